"""Checks on the translation catalogs, run in CI (`schakel check-catalogs`) and in tests."""

from __future__ import annotations

import string
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from messages import DOMAIN, LOCALE_DIR
from messages.bidi import insertions, unisolated_ltr_runs
from messages.button_length import too_long
from messages.glossary import check_terms, read_glossary
from messages.language_table import check_language_names, names_in_translations
from messages.languages import RIGHT_TO_LEFT, SUPPORTED_LANGUAGES
from messages.texts import AUDIENCE, KEYWORDS, Audience

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
    problems: list[str] = check_language_names()
    terms, avoid = read_glossary()
    problems += check_terms(terms)
    source = source_texts()
    problems += [f"nl: {problem}" for msgid in source if (problem := too_long(msgid, msgid, "nl"))]
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
            else:
                problems += [
                    f"{where} names a language otherwise than messages/language_table.py: {name}"
                    for name in names_in_translations(msgid, str(message.string), language)
                ]
            if message and message.string:
                wide = too_long(msgid, str(message.string), language)
                problems += [f"{where}: {wide}"] if wide else []
                for_newcomers = AUDIENCE.get(msgid) in (Audience.NEWCOMER, Audience.LABEL)
                problems += [
                    f"{where}: {rule.word!r} is to be avoided in {language} "
                    f"(GLOSSARY.md: use {rule.use!r})"
                    for rule in avoid
                    if rule.language == language
                    and (for_newcomers or not rule.newcomer_texts_only)
                    and rule.found_in(str(message.string))
                ]
            if message and message.string and language in RIGHT_TO_LEFT:
                problems += [
                    f"{where}: {run!r} is not isolated (run `schakel check-catalogs --isolate`)"
                    for run in unisolated_ltr_runs(str(message.string))
                ]
    return problems


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


_PO_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unescaped(segment: str) -> list[tuple[str, str]]:
    """The characters of one quoted .po segment, each with the text that writes it."""
    pieces: list[tuple[str, str]] = []
    index = 0
    while index < len(segment):
        if segment[index] == "\\" and index + 1 < len(segment):
            raw = segment[index : index + 2]
            pieces.append((_PO_ESCAPES.get(raw[1], raw[1]), raw))
            index += 2
        else:
            pieces.append((segment[index], segment[index]))
            index += 1
    return pieces


def _isolated_block(block: list[str]) -> list[str]:
    """A msgstr block (its lines as in the file) with every left-to-right run isolated,
    marks put inside the segments where they belong so the wrapping stays as it was."""
    heads = [line[: line.index('"')] for line in block]
    segments = [_unescaped(line[line.index('"') + 1 : line.rindex('"')]) for line in block]
    text = "".join(char for pieces in segments for char, _ in pieces)
    marks = insertions(text)
    if not marks:
        return block
    at: dict[int, str] = {}
    for position, mark in marks:
        at[position] = at.get(position, "") + mark
    lines, position = [], 0
    for head, pieces in zip(heads, segments, strict=True):
        raw = ""
        for _, written in pieces:
            raw += at.pop(position, "") + written
            position += 1
        lines.append(f'{head}"{raw}"')
    if at:  # marks after the last character
        lines[-1] = lines[-1][:-1] + "".join(at.values()) + '"'
    return lines


def isolate_catalog(path: Path) -> int:
    """Isolate every left-to-right run in the translations of one catalog, in place, keeping
    the file's wrapping (Babel would rewrap every entry). Returns how many entries changed."""
    lines = path.read_text(encoding="utf-8").split("\n")
    result: list[str] = []
    changed = index = 0
    while index < len(lines):
        if not lines[index].startswith("msgstr "):
            result.append(lines[index])
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].startswith('"'):
            end += 1
        block = lines[index:end]
        fixed = block if lines[index - 1 : index] == ['msgid ""'] else _isolated_block(block)
        changed += fixed != block
        result += fixed
        index = end
    path.write_text("\n".join(result), encoding="utf-8")
    return changed


def isolate_catalogs() -> dict[str, int]:
    """`schakel check-catalogs --isolate`: every right-to-left catalog, fixed in place."""
    return {language: isolate_catalog(catalog_path(language)) for language in sorted(RIGHT_TO_LEFT)}
