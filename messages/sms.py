"""SMS length: encoding, units and parts, as a phone network would count them.

GSM-7 (3GPP TS 23.038) fits 160 septets in one SMS, 153 per part when split; the
characters of its extension table (€, [, ], ...) cost two septets (an escape and the
character), and that pair is never split across parts. Any character outside GSM-7
turns the whole message into UCS-2: 70 UTF-16 units in one SMS, 67 per part.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# The basic character set (without the escape code itself).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs two septets.
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

SINGLE = {GSM7: 160, UCS2: 70}
PER_PART = {GSM7: 153, UCS2: 67}

# Typographic characters with a plain GSM-7 look-alike. Letters with accents are not
# here on purpose: "België" must stay spelled right, even if it costs UCS-2.
PLAIN_REPLACEMENTS = {
    "\u2019": "'", "\u2018": "'", "\u201a": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2026": "...",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2022": "-",
}  # fmt: skip


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    parts: int
    ucs2_characters: tuple[str, ...]  # what forces UCS-2, each once, in order of appearance
    double_characters: tuple[str, ...]  # GSM-7 characters that cost two septets
    suggestion: str | None  # the same text with plain look-alikes, when that keeps GSM-7


def _unique(characters: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(characters))


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)


def _costs(text: str, encoding: str) -> list[int]:
    """The units each character takes; never split within one character."""
    if encoding == GSM7:
        return [2 if c in GSM7_EXTENDED else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]  # a surrogate pair stays together


def count_parts(costs: list[int], encoding: str) -> int:
    total = sum(costs)
    if total <= SINGLE[encoding]:
        return 1
    parts, used = 1, 0
    for cost in costs:
        if used + cost > PER_PART[encoding]:
            parts, used = parts + 1, 0
        used += cost
    return parts


def plain_replacement(text: str) -> str:
    return "".join(PLAIN_REPLACEMENTS.get(c, c) for c in text)


def measure(text: str) -> SmsLength:
    """Encoding, length and number of SMS parts of a text, with a GSM-7 suggestion."""
    outside = [c for c in text if c not in GSM7_BASIC and c not in GSM7_EXTENDED]
    encoding = UCS2 if outside else GSM7
    costs = _costs(text, encoding)
    suggestion = None
    if outside:
        replaced = plain_replacement(text)
        if replaced != text and is_gsm7(replaced):
            suggestion = replaced
    return SmsLength(
        encoding=encoding,
        units=sum(costs),
        parts=count_parts(costs, encoding),
        ucs2_characters=_unique(outside),
        double_characters=_unique([c for c in text if c in GSM7_EXTENDED]),
        suggestion=suggestion,
    )


def as_gateway_sends(text: str) -> str:
    """The text as an SMS gateway would send it in GSM-7: typographic look-alikes
    replaced and accents outside GSM-7 dropped ("Joëlle" -> "Joelle", "Oekraïens" ->
    "Oekraiens"). Used to measure texts whose values people type; the chat keeps
    the right spelling."""
    folded = []
    for character in plain_replacement(text):
        if character in GSM7_BASIC or character in GSM7_EXTENDED:
            folded.append(character)
            continue
        base = unicodedata.normalize("NFD", character)[0]
        folded.append(base if base in GSM7_BASIC else character)
    return "".join(folded)


def fits_one_sms(text: str) -> bool:
    """One GSM-7 SMS of at most 160 septets, once a gateway has folded the accents."""
    length = measure(as_gateway_sends(text))
    return length.encoding == GSM7 and length.parts == 1
