"""Checks on the translation catalogs, run in CI (`schakel check-catalogs`) and in tests."""

from __future__ import annotations

import string
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from messages import DOMAIN, LOCALE_DIR
from messages.languages import SUPPORTED_LANGUAGES
from messages.texts import KEYWORDS

TEXTS_FILE = Path(__file__).parent / "texts.py"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"


def placeholders(text: str) -> Counter[str]:
    """Named {placeholders} in a text, with how often each appears."""
    return Counter(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def source_texts() -> list[str]:
    """Every msgid in messages/texts.py, as pybabel would extract it."""
    return [
        str(message)
        for _, message, _, _ in extract_from_file(
            "python", str(TEXTS_FILE), keywords=dict.fromkeys(KEYWORDS)
        )
    ]


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def check_catalogs() -> list[str]:
    """Every problem, one line each; an empty list means all is well."""
    problems: list[str] = []
    source = source_texts()
    template_ids = [str(m.id) for m in read_catalog(TEMPLATE) if m.id]
    if set(template_ids) != set(source):
        problems.append(f"{TEMPLATE.name} is out of date with texts.py: run `make catalogs`")
    for language in SUPPORTED_LANGUAGES:
        path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not path.exists():
            problems.append(f"{language}: no catalog at {path}")
            continue
        catalog = read_catalog(path)
        for msgid in source:
            message = catalog.get(msgid)
            where = f"{language}: {msgid[:50]!r}"
            if message is None or not message.string:
                problems.append(f"{where} is not translated")
            elif message.fuzzy:
                problems.append(f"{where} is fuzzy")
            elif placeholders(str(message.string)) != placeholders(msgid):
                problems.append(f"{where} has other placeholders than the Dutch")
    return problems
