"""Catalogs, placeholders, fallback, bidi isolation and dates in twelve languages."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
import zoneinfo

import pytest

import messages
from messages import (
    DUTCH_SEPARATOR,
    FSI,
    PDI,
    format_when,
    render,
    render_bilingual,
    render_everywhere,
    texts,
)
from messages.catalogs import check_catalogs, placeholders, read_catalog, source_texts
from messages.languages import ENDONYMS, RIGHT_TO_LEFT, SUPPORTED_LANGUAGES, parse_language
from messages.samples import SAMPLE_VALUES

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def test_every_catalog_is_complete_not_fuzzy_and_keeps_the_placeholders() -> None:
    assert check_catalogs() == []


def test_the_template_holds_every_text_of_texts_py() -> None:
    template = read_catalog(messages.LOCALE_DIR / "messages.pot")
    assert {str(m.id) for m in template if m.id} == set(source_texts())
    assert len(source_texts()) >= 40


def test_the_check_finds_a_missing_placeholder(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import messages.catalogs as catalogs

    copy = tmp_path / "locale"  # type: ignore[operator]
    shutil.copytree(messages.LOCALE_DIR, copy)
    po = copy / "en" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("Hello {name}!", "Hello {naam}!"), encoding="utf-8")
    monkeypatch.setattr(catalogs, "LOCALE_DIR", copy)
    monkeypatch.setattr(catalogs, "TEMPLATE", copy / "messages.pot")
    assert any("other placeholders" in problem for problem in catalogs.check_catalogs())


def test_placeholders_are_counted_by_name() -> None:
    assert placeholders("{a} en {b} en {a}") == {"a": 2, "b": 1}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_language_renders_every_text_without_falling_back(
    language: str, caplog: pytest.LogCaptureFixture
) -> None:
    values = {name: samples[0] for name, samples in SAMPLE_VALUES.items()}
    with caplog.at_level(logging.WARNING, logger="messages"):
        for text in source_texts():
            needed = {key: values[key] for key in placeholders(text)}
            rendered = render(language, text, **needed)
            assert rendered
            # Short labels may rightly stay the same ("buddy", "OK"); sentences may not.
            words = re.findall(r"[^\W\d_]+", re.sub(r"\{\w+\}", "", text))
            if language != "nl" and len(words) >= 3:
                assert rendered != text.format(**needed), f"{language} untranslated: {text}"
    assert "falling back" not in caplog.text


def test_fallback_to_dutch_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    translations = messages.translations("ar")
    with caplog.at_level(logging.WARNING, logger="messages"):
        assert (
            translations.gettext("Een zin die niemand vertaalde.")
            == "Een zin die niemand vertaalde."
        )
    assert "no ar translation" in caplog.text and "falling back to Dutch" in caplog.text


def test_an_unsupported_language_falls_back_to_dutch_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="messages"):
        assert render("xx", texts.NOT_UNDERSTOOD) == texts.NOT_UNDERSTOOD
    assert "unsupported language 'xx'" in caplog.text


@pytest.mark.parametrize("language", sorted(RIGHT_TO_LEFT))
def test_values_in_right_to_left_text_are_isolated(language: str) -> None:
    text = render(language, texts.CASEWORKER_CONSENT_GIVEN, name="Amal", reference="K-7F3Q")
    assert f"{FSI}K-7F3Q{PDI}" in text and f"{FSI}Amal{PDI}" in text


def test_values_in_left_to_right_text_are_left_alone() -> None:
    text = render("tr", texts.CASEWORKER_CONSENT_GIVEN, name="Amal", reference="K-7F3Q")
    assert "K-7F3Q" in text and FSI not in text


def test_bilingual_puts_the_dutch_below_and_only_once_for_dutch_readers() -> None:
    arabic = render_bilingual(
        "ar", texts.NEWCOMER_WELCOME, name="Amal", contact="Youssef", organisation="VDAB"
    )
    first, dutch = arabic.split(DUTCH_SEPARATOR)
    assert dutch == "Hallo Amal! Ik ben Schakel. Youssef van VDAB is uw contactpersoon."
    assert first.startswith("مرحب")
    assert render_bilingual("nl", texts.NEWCOMER_HELP) == texts.NEWCOMER_HELP


def test_the_stranger_notice_names_each_language_in_itself() -> None:
    notice = render_everywhere(texts.UNKNOWN_PERSON, ["fa_AF", "nl"])
    assert notice.splitlines()[0].startswith("دری: ")
    assert notice.splitlines()[1] == f"Nederlands: {texts.UNKNOWN_PERSON}"
    assert ENDONYMS["ti"] == "ትግርኛ" and ENDONYMS["ps"] == "پښتو"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "dinsdag 26 januari 2027, 10:30"),
        ("fr", "mardi 26 janvier 2027, 10:30"),
        ("tr", "26 Ocak 2027 Salı"),
        ("ar", "الثلاثاء"),
        ("ti", "ሰሉስ"),
        ("uk", "вівторок"),
    ],
)
def test_dates_are_written_in_the_readers_language_and_timezone(
    language: str, expected: str
) -> None:
    moment = dt.datetime(2027, 1, 26, 9, 30, tzinfo=dt.UTC)  # 10:30 in Brussels (winter)
    assert expected.split(",")[0].split()[0] in format_when(moment, language, BRUSSELS)
    assert "10:30" in format_when(moment, language, BRUSSELS)


def test_summer_time_is_applied() -> None:
    moment = dt.datetime(2027, 3, 28, 8, 30, tzinfo=dt.UTC)  # the day clocks go forward
    assert format_when(moment, "nl", BRUSSELS) == "zondag 28 maart 2027, 10:30"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ar", "ar"),
        ("AR", "ar"),
        ("fa-af", "fa_AF"),
        ("Dari", "fa_AF"),
        ("دری", "fa_AF"),
        ("arabisch", "ar"),
        ("Oekraïens", "uk"),
        ("Soomaali", "so"),
        ("klingon", None),
        ("", None),
    ],
)
def test_languages_are_understood_as_people_type_them(typed: str, code: str | None) -> None:
    assert parse_language(typed) == code


def test_texts_for_members_names_each_member_and_refuses_one_without_text() -> None:
    class Known(enum.Enum):
        ILL = "ill"
        WORK = "work"

    class Unknown(enum.Enum):
        NO_SUCH_TEXT = "x"

    assert texts.for_members(Known, "REASON_") == {
        Known.ILL: texts.REASON_ILL,
        Known.WORK: texts.REASON_WORK,
    }
    with pytest.raises(KeyError):
        texts.for_members(Unknown, "REASON_")
