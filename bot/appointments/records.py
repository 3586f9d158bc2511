"""Appointments of a newcomer: what they are, their answer, who came, and which are ahead."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection
from dataclasses import dataclass, fields, replace
from typing import Any

import aiosqlite

from bot.core import audit
from bot.core.clock import Clock, from_db, to_db
from bot.storage.database import Store
from bot.storage.rows import record

# Long enough for "Sint-Pietersnieuwstraat 120, 9000 Gent" and two names with a
# two-part surname; the reminder SMS check (bot/appointment_texts) has the last word.
PLACE_MAX = 60
WITH_WHOM_MAX = 50


class Kind(enum.StrEnum):
    DUO_INTAKE = "duo_intake"
    JOB_COACH = "job_coach"
    SOCIAL_WORKER = "social_worker"
    CIVIC_INTEGRATION = "civic_integration"
    INFO_SESSION = "info_session"
    OTHER = "other"


class Status(enum.StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    ATTENDED = "attended"  # the partners' sheet: "Opgedaagd? ja"
    NO_SHOW = "no_show"
    MOVED = "moved"  # it took place at another moment


class Answer(enum.StrEnum):
    COMING = "coming"
    NOT_COMING = "not_coming"


class Reason(enum.StrEnum):
    """Why a newcomer cannot come, as they choose it with one tap."""

    ILL = "ill"
    WORK = "work"
    DUTCH_CLASS = "dutch_class"
    OTHER = "other"


ATTENDANCE = (Status.ATTENDED, Status.NO_SHOW, Status.MOVED)


@dataclass(frozen=True)
class Details:
    """What staff decide about an appointment (in chat or in the planning sheet)."""

    kind: Kind
    starts_at: dt.datetime
    place: str
    with_whom: str = ""
    interpreter_language: str | None = None

    def as_fields(self) -> dict[str, Any]:
        """These, as keyword arguments for an Appointment (which has every one of them)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


@dataclass(frozen=True)
class Appointment:
    id: int
    newcomer_id: int
    kind: Kind
    starts_at: dt.datetime
    place: str
    with_whom: str
    interpreter_language: str | None
    status: Status
    answer: Answer | None
    answer_reason: Reason | None = None
    created_by: int | None = None
    source: str = "chat"

    @property
    def details(self) -> Details:
        return Details(
            self.kind, self.starts_at, self.place, self.with_whom, self.interpreter_language
        )

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Appointment:
        return record(
            cls,
            row,
            kind=Kind,
            starts_at=from_db,
            status=Status,
            answer=Answer,
            answer_reason=Reason,
        )


def _actor(staff_id: int | None) -> str:
    return f"staff:{staff_id}" if staff_id else "cli"


async def insert(
    db: aiosqlite.Connection,
    clock: Clock,
    newcomer_id: int,
    details: Details,
    *,
    created_by: int | None,
    source: str = "chat",
) -> Appointment:
    """Store a new appointment inside the caller's transaction (reminders come with it)."""
    now = to_db(clock())
    async with db.execute(
        "INSERT INTO appointments (newcomer_id, kind, starts_at, place, with_whom,"
        " interpreter_language, created_by, source, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
        (newcomer_id, details.kind.value, to_db(details.starts_at), details.place,
         details.with_whom, details.interpreter_language, created_by, source, now, now),
    ) as cursor:  # fmt: skip
        row = await cursor.fetchone()
    assert row is not None
    # A new appointment answers their wish for one (bot/appointments/wishes.py).
    await db.execute("DELETE FROM appointment_wishes WHERE newcomer_id = ?", (newcomer_id,))
    await audit.record(db, clock, _actor(created_by), "appointment.add", f"appointment:{row['id']}")
    return Appointment.from_row(row)


async def add_appointment(
    store: Store,
    clock: Clock,
    *,
    newcomer_id: int,
    kind: Kind,
    starts_at: dt.datetime,
    place: str,
    with_whom: str = "",
    interpreter_language: str | None = None,
    created_by: int | None = None,
) -> Appointment:
    """An appointment without reminders (tests, fixtures; staff use appointments.planning)."""
    details = Details(kind, starts_at, place, with_whom, interpreter_language)
    async with store.transaction() as db:
        return await insert(db, clock, newcomer_id, details, created_by=created_by)


async def update_details(
    db: aiosqlite.Connection, clock: Clock, appointment: Appointment, details: Details, actor: int
) -> Appointment:
    """A change by staff; the newcomer's earlier answer no longer holds."""
    await db.execute(
        "UPDATE appointments SET kind = ?, starts_at = ?, place = ?, with_whom = ?,"
        " interpreter_language = ?, answer = NULL, answer_reason = NULL, answered_at = NULL,"
        " attendance_asked_at = NULL, updated_at = ? WHERE id = ?",
        (details.kind.value, to_db(details.starts_at), details.place, details.with_whom,
         details.interpreter_language, to_db(clock()), appointment.id),
    )  # fmt: skip
    await audit.record(
        db, clock, _actor(actor), "appointment.change", f"appointment:{appointment.id}"
    )
    return replace(appointment, **details.as_fields(), answer=None, answer_reason=None)


async def set_status(
    db: aiosqlite.Connection, clock: Clock, appointment: Appointment, status: Status, actor: int
) -> Appointment:
    """Cancelled by staff, or the attendance after the appointment."""
    now = to_db(clock())
    attendance = status in ATTENDANCE
    await db.execute(
        "UPDATE appointments SET status = ?, updated_at = ?,"
        " attendance_by = CASE WHEN ? THEN ? ELSE attendance_by END,"
        " attendance_at = CASE WHEN ? THEN ? ELSE attendance_at END WHERE id = ?",
        (status.value, now, attendance, actor, attendance, now, appointment.id),
    )
    await audit.record(
        db, clock, _actor(actor), f"appointment.{status.value}", f"appointment:{appointment.id}"
    )
    return replace(appointment, status=status)


async def record_answer(
    store: Store,
    clock: Clock,
    appointment: Appointment,
    answer: Answer,
    reason: Reason | None = None,
) -> Appointment:
    async with store.transaction() as db:
        await db.execute(
            "UPDATE appointments SET answer = ?, answer_reason = ?, answered_at = ?,"
            " updated_at = ? WHERE id = ?",
            (answer.value, reason.value if reason else None, to_db(clock()), to_db(clock()),
             appointment.id),
        )  # fmt: skip
    return replace(appointment, answer=answer, answer_reason=reason)


async def not_coming_since(store: Store, appointment_id: int) -> str | None:
    """When the newcomer said they cannot come (database time), while that is still their
    answer: it names the notice to their contact person that the reason completes."""
    row = await store.fetch_one(
        "SELECT answered_at FROM appointments WHERE id = ? AND answer = 'not_coming'",
        (appointment_id,),
    )
    return None if row is None else row["answered_at"]


async def get(store: Store, appointment_id: int) -> Appointment | None:
    row = await store.fetch_one("SELECT * FROM appointments WHERE id = ?", (appointment_id,))
    return Appointment.from_row(row) if row else None


async def get_many(store: Store, appointment_ids: Collection[int]) -> dict[int, Appointment]:
    """These appointments by id, in one query (a burst of reminders); a missing one is left out."""
    rows = await store.fetch_in("SELECT * FROM appointments WHERE id IN ({marks})", appointment_ids)
    return {row["id"]: Appointment.from_row(row) for row in rows}


async def upcoming(
    store: Store, newcomer_id: int, now: dt.datetime, limit: int = 10
) -> list[Appointment]:
    """Planned appointments that have not started yet, soonest first."""
    rows = await store.fetch_all(
        "SELECT * FROM appointments WHERE newcomer_id = ? AND status = 'planned'"
        " AND starts_at >= ? ORDER BY starts_at LIMIT ?",
        (newcomer_id, to_db(now), limit),
    )
    return [Appointment.from_row(row) for row in rows]


async def planned_between(
    store: Store, newcomer_ids: list[int], start: dt.datetime, end: dt.datetime
) -> list[Appointment]:
    """Every appointment of these newcomers that starts in [start, end), soonest first."""
    if not newcomer_ids:
        return []
    marks = ",".join("?" * len(newcomer_ids))
    rows = await store.fetch_all(
        f"SELECT * FROM appointments WHERE newcomer_id IN ({marks}) AND status != 'cancelled'"
        f" AND starts_at >= ? AND starts_at < ? ORDER BY starts_at",
        (*newcomer_ids, to_db(start), to_db(end)),
    )
    return [Appointment.from_row(row) for row in rows]


async def all_of(store: Store, newcomer_id: int) -> list[Appointment]:
    """Every appointment of one newcomer, past and future, newest first (their history)."""
    rows = await store.fetch_all(
        "SELECT * FROM appointments WHERE newcomer_id = ? ORDER BY starts_at DESC", (newcomer_id,)
    )
    return [Appointment.from_row(row) for row in rows]


async def exists_at(store: Store, newcomer_id: int, starts_at: dt.datetime) -> bool:
    """A planned appointment of this newcomer at this moment (an import run twice)."""
    found = await store.fetch_value(
        "SELECT 1 FROM appointments WHERE newcomer_id = ? AND starts_at = ? AND status = 'planned'",
        (newcomer_id, to_db(starts_at)),
    )
    return found is not None


async def next_starts(
    store: Store, newcomer_ids: list[int], now: dt.datetime
) -> dict[int, dt.datetime]:
    """The start of each newcomer's next planned appointment (newcomers without one left out)."""
    if not newcomer_ids:
        return {}
    marks = ",".join("?" * len(newcomer_ids))
    rows = await store.fetch_all(
        f"SELECT newcomer_id, min(starts_at) AS next FROM appointments"
        f" WHERE newcomer_id IN ({marks}) AND status = 'planned' AND starts_at >= ?"
        f" GROUP BY newcomer_id",
        (*newcomer_ids, to_db(now)),
    )
    return {row["newcomer_id"]: from_db(row["next"]) for row in rows}


async def claim_attendance_questions(
    store: Store, clock: Clock, started_before: dt.datetime, limit: int = 200
) -> list[Appointment]:
    """Planned appointments that started before this moment and nobody was asked about yet.

    Marks them asked in the same statement, so a restart never asks twice.
    """
    async with (
        store.transaction() as db,
        db.execute(
            "UPDATE appointments SET attendance_asked_at = ? WHERE id IN ("
            " SELECT id FROM appointments WHERE status = 'planned'"
            " AND attendance_asked_at IS NULL AND starts_at <= ? ORDER BY starts_at LIMIT ?)"
            " RETURNING *",
            (to_db(clock()), to_db(started_before), limit),
        ) as cursor,
    ):
        rows = await cursor.fetchall()
    return [Appointment.from_row(row) for row in rows]
