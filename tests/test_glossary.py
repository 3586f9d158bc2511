"""The translators' glossary (messages/GLOSSARY.md): complete, and the catalogs keep to it."""

from __future__ import annotations

from pathlib import Path

import pytest

import messages.catalogs as catalogs
import messages.glossary as glossary
from messages.glossary import Avoid, check_terms, read_glossary
from messages.languages import SUPPORTED_LANGUAGES


def test_every_term_has_a_word_in_every_language() -> None:
    terms, avoid = read_glossary()
    assert check_terms(terms) == []
    assert {"afspraak", "begeleider", "inburgering"} <= {term["nl"] for term in terms}
    assert {rule.language for rule in avoid} <= set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize(
    ("rule", "text", "found"),
    [
        (Avoid("ru", "встреч", "приём", False, ("до встречи",)), "Ваша встреча отменена.", True),
        (Avoid("ru", "встреч", "приём", False, ("до встречи",)), "Спасибо. До встречи!", False),
        (Avoid("ru", "встреч", "приём", False, ()), "Ваш приём отменён.", False),
        (Avoid("en", "counsellor", "caseworker", False, ()), "Ask your counsellor.", True),
        (Avoid("en", "counsellor", "caseworker", False, ()), "{counsellor} helps", False),
        (Avoid("ar", "اكتب", "يُرجى كتابة", True, ()), "اكتب \u2068/stop\u2069.", True),
        (Avoid("ar", "اكتب", "يُرجى كتابة", True, ()), "يُرجى كتابة /stop.", False),
    ],
)
def test_an_avoided_word_is_found_and_only_that(rule: Avoid, text: str, found: bool) -> None:
    assert rule.found_in(text) is found


def test_check_catalogs_fails_on_an_avoided_word(catalog_copy: Path) -> None:
    po = catalog_copy / "ru" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("Ваш приём отменён.", "Ваша встреча отменена."), "utf-8")
    assert any("'встреч' is to be avoided in ru" in p for p in catalogs.check_catalogs())


def test_check_catalogs_fails_on_a_masculine_imperative_for_newcomers_only(
    catalog_copy: Path,
) -> None:
    po = catalog_copy / "ar" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("يُرجى اختيار لغتك.", "اختر لغتك."), encoding="utf-8")
    problems = catalogs.check_catalogs()
    assert any("'Kies uw taal.'" in p and "'اختر'" in p for p in problems)


def test_check_catalogs_fails_on_a_term_without_a_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = tmp_path / "GLOSSARY.md"
    text = glossary.GLOSSARY.read_text(encoding="utf-8")
    changed.write_text(text.replace("| tolk | interpreter |", "| tolk |  |"), encoding="utf-8")
    monkeypatch.setattr(glossary, "GLOSSARY", changed)
    monkeypatch.setattr(catalogs, "read_glossary", lambda: read_glossary(changed))
    assert "GLOSSARY.md: 'tolk' has no word in en" in catalogs.check_catalogs()
