"""Ids in button data. A button names what it is about by id (`v1:ap:yes:12`); the data
comes back from the phone and can be made up, so an id is read strictly."""

from __future__ import annotations

SQLITE_INTEGER_MAX = 2**63 - 1
NO_ROW = 0  # SQLite gives rows ids from 1: this one finds nothing


def row_id(text: str) -> int:
    """The id a button of Schakel wrote: ASCII digits, no larger than SQLite's integers;
    NO_ROW for anything else. (`int()` would also take "٣" or " 3", or raise for "²",
    and a number past SQLite's range makes the query itself fail.)"""
    if not (text.isascii() and text.isdigit()):
        return NO_ROW
    value = int(text)
    return value if value <= SQLITE_INTEGER_MAX else NO_ROW
