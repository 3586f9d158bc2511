"""Records read from the database: one way from a row to a frozen dataclass.

Each field is taken from the column of the same name; what needs converting (an enum,
a time, a flag, a renamed column) is given by the caller, so each model says only what
is special about it: a callable converts the column of that name (an empty column stays
None), anything else is the field's value."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")


def record(cls: type[T], row: aiosqlite.Row, **special: Any) -> T:
    """`cls` built from `row`; a field with a default may be missing from the row."""
    columns = set(row.keys())
    values = {
        field.name: row[field.name]
        for field in dataclasses.fields(cls)  # type: ignore[arg-type]
        if field.name in columns
    }
    for name, how in special.items():
        if not callable(how):
            values[name] = how
        elif values[name] not in (None, ""):
            values[name] = how(values[name])
        else:
            values[name] = None
    return cls(**values)
