"""Records read from the database: one way from a row to a frozen dataclass.

Each field is taken from the column of the same name; what needs converting (an enum,
a time, a flag, a renamed column) is given by the caller, so each model says only what
is special about it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, TypeVar

import aiosqlite

from bot.core.clock import from_db

T = TypeVar("T")


def record(cls: type[T], row: aiosqlite.Row, **converted: Any) -> T:
    """`cls` built from `row`; a field with a default may be missing from the row."""
    columns = set(row.keys())
    plain = {
        field.name: row[field.name]
        for field in dataclasses.fields(cls)  # type: ignore[arg-type]
        if field.name not in converted and field.name in columns
    }
    return cls(**plain, **converted)


def moment_or_none(text: str | None) -> dt.datetime | None:
    """A stored time that may be empty (not yet released, not yet decided)."""
    return from_db(text) if text else None
