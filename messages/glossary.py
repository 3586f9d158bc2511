"""The translators' glossary (messages/GLOSSARY.md) read as data and checked against the
catalogs: every key term has a word in every language, and no translation uses a word
the glossary says to avoid (a masculine Arabic imperative, встреча for an appointment)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from messages.languages import SUPPORTED_LANGUAGES

GLOSSARY = Path(__file__).parent / "GLOSSARY.md"
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_MARKS = re.compile("[\u2066-\u2069\u200e\u200f]")
# Short vowels and tanween, left out when comparing Arabic words (تابِع is تابع). The
# shadda stays: غيّر (change!) is not غير (not), قسّم (divide!) is not قسم (section).
_ARABIC_VOWELS = re.compile("[\u064b-\u0650\u0652\u0670]")
_ARABIC_PRONOUNS = "(?:ه|ها|هم|هما|هن|ني|نا|ك|كم)?"


@dataclass(frozen=True)
class Avoid:
    language: str
    word: str
    use: str
    newcomer_texts_only: bool
    exceptions: tuple[str, ...]

    def found_in(self, translation: str) -> bool:
        text = _MARKS.sub("", _PLACEHOLDER.sub(" ", translation)).casefold()
        word = self.word.casefold()
        if self.language == "ar":
            text, word = _ARABIC_VOWELS.sub("", text), _ARABIC_VOWELS.sub("", word)
        for phrase in self.exceptions:
            text = text.replace(_ARABIC_VOWELS.sub("", phrase.casefold()), " ")
        if self.language == "ar":
            # A whole word: اكتب is an imperative, اكتبي and كتابة are not; و/ف and an
            # object pronoun are written onto it (واكتبه is still اكتب).
            pattern = rf"(?<!\w)[وف]?{re.escape(word)}{_ARABIC_PRONOUNS}(?!\w)"
        else:
            # The start of a word, so that declined forms count (встреч: встреча, встречу).
            pattern = rf"(?<!\w){re.escape(word)}"
        return re.search(pattern, text) is not None


def _tables(text: str) -> dict[str, list[list[str]]]:
    """Each '## heading' with the rows of the table under it (header and rule left out)."""
    tables: dict[str, list[list[str]]] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
        elif line.startswith("|") and heading:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            tables.setdefault(heading, []).append(cells)
    return {name: rows[2:] for name, rows in tables.items()}


def read_glossary(path: Path = GLOSSARY) -> tuple[list[dict[str, str]], list[Avoid]]:
    tables = _tables(path.read_text(encoding="utf-8"))
    terms = [dict(zip(SUPPORTED_LANGUAGES, row, strict=False)) for row in tables["Terms"]]
    avoid = [
        Avoid(
            language,
            word,
            use,
            where.startswith("newcomer"),
            tuple(phrase.strip() for phrase in exceptions.split(";") if phrase.strip()),
        )
        for language, word, use, where, exceptions, _why in tables["Avoid"]
    ]
    return terms, avoid


def check_terms(terms: list[dict[str, str]]) -> list[str]:
    return [
        f"GLOSSARY.md: {term.get('nl', '?')!r} has no word in {language}"
        for term in terms
        for language in SUPPORTED_LANGUAGES
        if not term.get(language)
    ]
