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
        # Arabic: the whole word, with و/ف before it and a pronoun after it, vowels ignored.
        (Avoid("ar", "اكتب", "يُرجى كتابة", False, ()), "واكتبه هنا.", True),
        (Avoid("ar", "اكتب", "يُرجى كتابة", False, ()), "كتابة الاسم.", False),
        (Avoid("ar", "تابع", "يمكنك متابعة", False, ()), "تابِع كتابة المذكرة.", True),
        (Avoid("ar", "تريد", "", False, ()), "لا تريد رسائل؟", True),
        (Avoid("ar", "تريد", "", False, ()), "يريد {contact} إرسال معلوماتك.", False),
        (Avoid("ar", "غيّر", "يمكن تغيير", False, ()), "غيّرها هناك.", True),
        (Avoid("ar", "غيّر", "يمكن تغيير", False, ()), "منظمة غير منظمتك.", False),
        (Avoid("ar", "ألغِ", "إلغاء", False, ()), "نعم، ألغِ الموعد", True),
        (Avoid("ar", "ألغِ", "إلغاء", False, ()), "ألغيتُ الإعلان.", False),
        (Avoid("ar", "تستطيع", "", False, ("تستطيع المنظمة",)), "تستطيع المنظمة ذلك.", False),
    ],
)
def test_an_avoided_word_is_found_and_only_that(rule: Avoid, text: str, found: bool) -> None:
    assert rule.found_in(text) is found


def test_check_catalogs_fails_on_an_avoided_word(catalog_copy: Path) -> None:
    po = catalog_copy / "ru" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("Ваш приём отменён.", "Ваша встреча отменена."), "utf-8")
    assert any("'встреч' is to be avoided in ru" in p for p in catalogs.check_catalogs())


def test_check_catalogs_fails_on_a_masculine_imperative_in_a_newcomer_text(
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


@pytest.mark.parametrize(
    ("dutch", "neutral", "masculine", "word"),
    [
        # A staff text with a masculine imperative (اكتب: write!) ...
        ("Wanneer? Typ de datum en het uur.", "متى؟ يُرجى كتابة", "متى؟ اكتب", "اكتب"),
        # ... a second-person masculine verb in a newcomer text (a woman reads تريدين) ...
        ("Afspraken: /afspraken.", "إيقاف الرسائل؟", "لا تريد رسائل؟", "تريد"),
        # ... and a masculine imperative on a button.
        ("💾 Bewaren", "💾 حفظ", "💾 احفظ", "احفظ"),
    ],
)
def test_check_catalogs_fails_on_a_masculine_form_in_any_arabic_text(
    catalog_copy: Path, dutch: str, neutral: str, masculine: str, word: str
) -> None:
    po = catalog_copy / "ar" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert neutral in text and not catalogs.check_catalogs()
    po.write_text(text.replace(neutral, masculine, 1), encoding="utf-8")
    problems = catalogs.check_catalogs()
    assert any(repr(dutch)[:-1] in p and f"{word!r} is to be avoided in ar" in p for p in problems)


def test_the_arabic_rules_hold_for_staff_texts_too() -> None:
    """The words the Arabic catalog used before it was made neutral, each still listed."""
    _, avoid = read_glossary()
    arabic = {rule.word for rule in avoid if rule.language == "ar"}
    assert {"اكتب", "اختر", "اضغط", "اسأل", "تريد", "تستطيع", "احفظ", "احذف"} <= arabic
    assert all(not rule.newcomer_texts_only for rule in avoid if rule.language == "ar")
