"""bot/storage/rows.py: one way from a database row to a record."""

from __future__ import annotations

import datetime as dt
import enum
import sqlite3
from dataclasses import dataclass

import pytest

from bot.core.clock import from_db
from bot.storage.rows import record


class Colour(enum.StrEnum):
    RED = "red"


@dataclass(frozen=True)
class Thing:
    id: int
    colour: Colour | None
    seen_at: dt.datetime | None
    flag: bool
    label: str = "none"


def _row(sql: str) -> sqlite3.Row:
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    row: sqlite3.Row = db.execute(sql).fetchone()
    return row


def test_columns_by_name_converters_by_field_and_defaults_for_missing_columns() -> None:
    row = _row(
        "SELECT 7 AS id, 'red' AS colour, '2027-03-25T09:00:00.000000Z' AS seen_at, 0 AS flag"
    )
    thing = record(Thing, row, colour=Colour, seen_at=from_db, flag=bool)
    assert thing == Thing(7, Colour.RED, from_db("2027-03-25T09:00:00.000000Z"), False)
    assert thing.label == "none"  # not in the row: the field's default


def test_an_empty_column_stays_none_and_a_plain_value_is_used_as_it_is() -> None:
    row = _row("SELECT 1 AS id, NULL AS colour, '' AS seen_at, 1 AS flag, 'x' AS label")
    thing = record(Thing, row, colour=Colour, seen_at=from_db, flag=bool, label="given")
    assert (thing.colour, thing.seen_at, thing.flag, thing.label) == (None, None, True, "given")


def test_a_missing_column_without_default_is_an_error() -> None:
    with pytest.raises(TypeError):
        record(Thing, _row("SELECT 1 AS id"), colour=None)
