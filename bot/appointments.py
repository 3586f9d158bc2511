"""Appointments of a newcomer: what they are, and which are still to come."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import aiosqlite

from bot import audit
from bot.clock import Clock, from_db, to_db
from bot.storage import Store


class Kind(enum.StrEnum):
    DUO_INTAKE = "duo_intake"
    JOB_COACH = "job_coach"
    SOCIAL_WORKER = "social_worker"
    CIVIC_INTEGRATION = "civic_integration"
    INFO_SESSION = "info_session"
    OTHER = "other"


@dataclass(frozen=True)
class Appointment:
    id: int
    client_id: int
    kind: Kind
    starts_at: dt.datetime
    place: str
    with_whom: str
    interpreter_language: str | None
    status: str
    answer: str | None

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Appointment:
        return cls(
            id=row["id"],
            client_id=row["client_id"],
            kind=Kind(row["kind"]),
            starts_at=from_db(row["starts_at"]),
            place=row["place"],
            with_whom=row["with_whom"],
            interpreter_language=row["interpreter_language"],
            status=row["status"],
            answer=row["answer"],
        )


async def add_appointment(
    store: Store,
    clock: Clock,
    *,
    client_id: int,
    kind: Kind,
    starts_at: dt.datetime,
    place: str,
    with_whom: str = "",
    interpreter_language: str | None = None,
    created_by: int | None = None,
) -> Appointment:
    now = to_db(clock())
    async with store.transaction() as db:
        async with db.execute(
            "INSERT INTO appointments (client_id, kind, starts_at, place, with_whom,"
            " interpreter_language, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (client_id, kind.value, to_db(starts_at), place, with_whom, interpreter_language,
             created_by, now, now),
        ) as cursor:  # fmt: skip
            row = await cursor.fetchone()
        assert row is not None
        actor = f"staff:{created_by}" if created_by else "system"
        await audit.record(db, clock, actor, "appointment.add", f"appointment:{row['id']}")
    return Appointment.from_row(row)


async def upcoming(
    store: Store, client_id: int, now: dt.datetime, limit: int = 10
) -> list[Appointment]:
    """Planned appointments that have not started yet, soonest first."""
    rows = await store.fetch_all(
        "SELECT * FROM appointments WHERE client_id = ? AND status = 'planned'"
        " AND starts_at >= ? ORDER BY starts_at LIMIT ?",
        (client_id, to_db(now), limit),
    )
    return [Appointment.from_row(row) for row in rows]


async def next_starts(
    store: Store, client_ids: list[int], now: dt.datetime
) -> dict[int, dt.datetime]:
    """The start of each client's next planned appointment (clients without one left out)."""
    if not client_ids:
        return {}
    marks = ",".join("?" * len(client_ids))
    rows = await store.fetch_all(
        f"SELECT client_id, min(starts_at) AS next FROM appointments"
        f" WHERE client_id IN ({marks}) AND status = 'planned' AND starts_at >= ?"
        f" GROUP BY client_id",
        (*client_ids, to_db(now)),
    )
    return {row["client_id"]: from_db(row["next"]) for row in rows}
