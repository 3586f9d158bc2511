"""What must never reach the partner channel or a stored note: Belgian national register
and BIS numbers, phone numbers, e-mail addresses and bank account numbers (IBAN).

Numbers are checked, not just matched: a national register or BIS number must pass its
checksum (python-stdnum), a phone number must be a valid number (phonenumbers), an
IBAN its check digits. So a date, a house number or an amount is left alone.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from stdnum import iban
from stdnum.be import bis, nn

from bot.core.phones import DEFAULT_REGION


class Kind(enum.StrEnum):
    NATIONAL_NUMBER = "national_number"  # rijksregisternummer or BIS-nummer
    PHONE = "phone"
    EMAIL = "email"
    IBAN = "iban"


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int
    text: str


# Eleven digits in the groups people write them in, year-month-day, serial, check, each
# optionally split by a dot, dash, slash or space: 85.07.30-033.28, 850730 033 28,
# 85073003328. Separators elsewhere ("Kongostraat 19 31/05/2027") make no number.
# A lookahead, so every starting digit is tried ("0,00 85 07 30 033 28" must not hide it).
_SEP = r"[.\-/ ]?"
_ELEVEN_DIGITS = re.compile(
    rf"(?<![\w.\-/])(?=(\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{2}})(?![\w\-/]|\.\d))"
)
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}\b", re.IGNORECASE)


def _national_numbers(text: str) -> list[Finding]:
    found: list[Finding] = []
    for match in _ELEVEN_DIGITS.finditer(text):
        start, end = match.start(1), match.end(1)
        digits = re.sub(r"\D", "", match.group(1))
        if not (nn.is_valid(digits) or bis.is_valid(digits)):
            continue
        # Two valid windows that overlap ("0,00 51 12 ..."): take both, as one span.
        if found and start < found[-1].end:
            start = found.pop().start
        found.append(Finding(Kind.NATIONAL_NUMBER, start, end, text[start:end]))
    return found


# "01-01-2000 0" is a valid Belgian number to phonenumbers; to a reader it is a date.
_DATE = re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")


def _phones(text: str) -> list[Finding]:
    # Strict grouping: the digits must be grouped as a number is written, not as a date.
    return [
        Finding(Kind.PHONE, match.start, match.end, match.raw_string)
        for match in phonenumbers.PhoneNumberMatcher(
            text, DEFAULT_REGION, leniency=phonenumbers.Leniency.STRICT_GROUPING
        )
        if not _DATE.search(match.raw_string)
    ]


def _regex(
    kind: Kind, pattern: re.Pattern[str], text: str, valid: Callable[[str], bool]
) -> list[Finding]:
    return [
        Finding(kind, match.start(), match.end(), match.group())
        for match in pattern.finditer(text)
        if valid(match.group())
    ]


def find_sensitive(text: str) -> list[Finding]:
    """Every finding, in order; where two overlap the national number wins (it is worse)."""
    candidates = (
        _national_numbers(text)
        + _regex(Kind.IBAN, _IBAN, text, lambda found: iban.is_valid(found))
        + _regex(Kind.EMAIL, _EMAIL, text, lambda found: True)
        + _phones(text)
    )
    priority = list(Kind)
    chosen: list[Finding] = []
    for finding in sorted(candidates, key=lambda f: (priority.index(f.kind), f.start)):
        if all(finding.end <= other.start or finding.start >= other.end for other in chosen):
            chosen.append(finding)
    return sorted(chosen, key=lambda f: f.start)


def redact(text: str, mask: Callable[[Kind], str]) -> tuple[str, list[Finding]]:
    """The text with every finding replaced by `mask(kind)`, and the findings."""
    findings = find_sensitive(text)
    parts, at = [], 0
    for finding in findings:
        parts += [text[at : finding.start], mask(finding.kind)]
        at = finding.end
    parts.append(text[at:])
    return "".join(parts), findings
