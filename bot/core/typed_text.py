"""Short texts staff type into a form (a place, names, a title, a message): the rules
every form holds them to, each with the limit of its own feature. What is kept is what
`redaction.keep` leaves: a national register number, phone number, e-mail address or
IBAN typed into a place or a message never reaches the database or a newcomer."""

from __future__ import annotations

import enum

from bot.core.redaction import keep


class TextProblem(enum.Enum):
    EMPTY = "empty"
    TOO_LONG = "too long"


def one_line(typed: str) -> str:
    """As typed, with runs of spaces and line breaks made one space."""
    return " ".join(typed.split())


def typed_line(typed: str, limit: int, *, required: bool = False) -> str | TextProblem:
    """One line of at most `limit` characters; empty only where it may be."""
    line = one_line(typed)
    if len(line) > limit:
        return TextProblem.TOO_LONG
    if required and not line:
        return TextProblem.EMPTY
    return keep(line)


def typed_block(typed: str, limit: int) -> str | TextProblem:
    """A text with its line breaks kept (a list of what to bring), not empty."""
    block = typed.strip()
    if len(block) > limit:
        return TextProblem.TOO_LONG
    return keep(block) if block else TextProblem.EMPTY
