"""One name for every language in every language: the table, its use, and the check of
the catalogs against it."""

from __future__ import annotations

from pathlib import Path

import pytest

import messages.catalogs as catalogs
import messages.language_table as names
from messages import language_names
from messages.language_table import LANGUAGE_NAMES, check_language_names, names_in_translations
from messages.languages import SUPPORTED_LANGUAGES


def test_every_language_has_one_name_for_every_reader() -> None:
    assert check_language_names() == []
    assert len(LANGUAGE_NAMES) == len(SUPPORTED_LANGUAGES) == 12


@pytest.mark.parametrize(
    ("reader", "dutch"),
    [("ti", "ሆላንድኛ"), ("so", "Holandays"), ("tr", "Hollandaca"), ("ps", "هالنډي")],
)
def test_texts_and_catalogs_name_dutch_the_same_way(reader: str, dutch: str) -> None:
    assert language_names(["nl"])(reader) == dutch
    assert LANGUAGE_NAMES[reader]["nl"] == dutch


def test_a_declined_name_still_counts_and_another_name_does_not() -> None:
    level = "Niveau Nederlands: {level}."
    assert names_in_translations(level, "Уровень нидерландского: {level}.", "ru") == []
    assert names_in_translations("les Nederlands", "ትምህርቲ ዳች", "ti") == ["Nederlands -> ሆላንድኛ"]
    assert names_in_translations("les Nederlands", "casharka Nederlands", "so") != []


def test_check_catalogs_fails_on_another_name_for_dutch(catalog_copy: Path) -> None:
    po = catalog_copy / "ti" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("ትምህርቲ ሆላንድኛ", "ትምህርቲ ዳች"), encoding="utf-8")
    assert any("Nederlands -> ሆላንድኛ" in problem for problem in catalogs.check_catalogs())


def test_check_catalogs_fails_on_a_missing_name(monkeypatch: pytest.MonkeyPatch) -> None:
    table = {reader: dict(row) for reader, row in LANGUAGE_NAMES.items()}
    del table["so"]["ti"]
    monkeypatch.setattr(names, "LANGUAGE_NAMES", table)
    assert "so: no name for ti" in catalogs.check_catalogs()
