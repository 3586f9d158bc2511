"""The append-only audit log: who did what to whom, and when."""

from __future__ import annotations

import aiosqlite

from bot.core.clock import Clock, to_db


async def record(
    db: aiosqlite.Connection,
    clock: Clock,
    actor: str,
    action: str,
    subject: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one line; call it inside the transaction that makes the change."""
    await db.execute(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        (to_db(clock()), actor, action, subject, detail),
    )
