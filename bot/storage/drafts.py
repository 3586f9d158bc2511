"""A form a staff member fills in by chat, step by step; kept in the database so a
restart in the middle loses nothing. One open draft per staff member."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.core.clock import Clock, to_db
from bot.storage.database import Store


@dataclass
class Draft:
    staff_id: int
    form: str  # "appointment", ...
    step: str
    data: dict[str, Any] = field(default_factory=dict)


async def get(store: Store, staff_id: int) -> Draft | None:
    row = await store.fetch_one("SELECT * FROM drafts WHERE staff_id = ?", (staff_id,))
    if row is None:
        return None
    return Draft(row["staff_id"], row["form"], row["step"], json.loads(row["data"]))


async def save(store: Store, clock: Clock, draft: Draft) -> None:
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO drafts (staff_id, form, step, data, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (staff_id) DO UPDATE SET form = excluded.form, step = excluded.step,"
            " data = excluded.data, updated_at = excluded.updated_at",
            (draft.staff_id, draft.form, draft.step, json.dumps(draft.data), to_db(clock())),
        )


async def drop(store: Store, staff_id: int) -> bool:
    async with store.transaction() as db:
        cursor = await db.execute("DELETE FROM drafts WHERE staff_id = ?", (staff_id,))
        return cursor.rowcount > 0
