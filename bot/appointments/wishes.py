"""Towards a new appointment: after "I can't come" or a missed appointment, the newcomer
says when they could come (a weekday and morning or afternoon, or a short typed line);
their contact person sees it on the sheet and in /week.

Kept minimally (migration 0017): one open wish per newcomer, the latest answer replacing
the earlier one, no history. It goes when a new appointment is planned for them
(records.insert), by "forget me" and with the form drafts' retention.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import aiosqlite

from bot.appointments.records import Answer, Appointment, Status
from bot.core.clock import Clock, from_db, to_db
from bot.core.typed_text import TextProblem, typed_line
from bot.storage.database import Store
from bot.storage.rows import record

WEEKDAYS = range(5)  # Monday to Friday: the partners' working days
TYPED_MAX = 100  # one short line: "dinsdag na 14 uur, niet op woensdag"
# How long "I'll type it" waits for the text; later, their text is not read as the wish.
TYPING_WAIT = dt.timedelta(hours=24)


class Part(enum.StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"


@dataclass(frozen=True)
class Wish:
    newcomer_id: int
    appointment_id: int | None
    weekday: int | None
    part: Part | None
    typed: str
    typing_since: dt.datetime | None
    asked_at: dt.datetime
    updated_at: dt.datetime

    @property
    def complete(self) -> bool:
        """Said in full: a day and its part, or a typed line (what the contact is told)."""
        return bool(self.typed) or (self.weekday is not None and self.part is not None)

    @classmethod
    def from_row(cls, row: aiosqlite.Row) -> Wish:
        moments = dict.fromkeys(("typing_since", "asked_at", "updated_at"), from_db)
        return record(cls, row, part=Part, **moments)


def may_wish(appointment: Appointment) -> bool:
    """A wish follows an appointment they said they cannot come to, or missed."""
    return appointment.status is Status.NO_SHOW or (
        appointment.status is Status.PLANNED and appointment.answer is Answer.NOT_COMING
    )


async def planned_since(store: Store, appointment: Appointment) -> bool:
    """Another appointment of theirs was planned after they said they cannot come, or after
    the missed one was recorded: the wish is answered, and an old button of it must not
    bring it back."""
    found = await store.fetch_value(
        "SELECT 1 FROM appointments a JOIN appointments b ON b.newcomer_id = a.newcomer_id"
        " AND b.id != a.id AND b.created_at >= coalesce(a.attendance_at, a.answered_at)"
        " WHERE a.id = ?",
        (appointment.id,),
    )
    return found is not None


async def get(store: Store, newcomer_id: int) -> Wish | None:
    row = await store.fetch_one(
        "SELECT * FROM appointment_wishes WHERE newcomer_id = ?", (newcomer_id,)
    )
    return Wish.from_row(row) if row else None


async def of_newcomers(store: Store, newcomer_ids: list[int]) -> dict[int, Wish]:
    """The open wish of each of these newcomers (those without one left out)."""
    rows = await store.fetch_in(
        "SELECT * FROM appointment_wishes WHERE newcomer_id IN ({marks}) ORDER BY asked_at",
        newcomer_ids,
    )
    return {row["newcomer_id"]: Wish.from_row(row) for row in rows}


async def _save(store: Store, clock: Clock, appointment: Appointment, **changes: object) -> Wish:
    """One answer of the newcomer: a wish about another appointment starts afresh; about
    the same one, this answer replaces what it changes."""
    now = to_db(clock())
    columns = ("weekday", "part", "typed", "typing_since")
    values = {"weekday": None, "part": None, "typed": "", "typing_since": None, **changes}
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO appointment_wishes (newcomer_id, appointment_id, weekday, part, typed,"
            " typing_since, asked_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (newcomer_id) DO UPDATE SET"
            " asked_at = CASE WHEN appointment_id IS excluded.appointment_id"
            "  THEN asked_at ELSE excluded.asked_at END,"
            " appointment_id = excluded.appointment_id, "
            + ", ".join(f"{column} = excluded.{column}" for column in columns)
            + ", updated_at = excluded.updated_at",
            (appointment.newcomer_id, appointment.id,
             *(values[column] for column in columns), now, now),
        )  # fmt: skip
    wish = await get(store, appointment.newcomer_id)
    assert wish is not None
    return wish


async def ask_again(store: Store, clock: Clock, appointment: Appointment) -> Wish:
    """ "Please plan a new appointment", with no moment said (yet)."""
    current = await get(store, appointment.newcomer_id)
    if current is not None and current.appointment_id == appointment.id:
        return current  # a second tap changes nothing
    return await _save(store, clock, appointment)


async def choose_day(store: Store, clock: Clock, appointment: Appointment, weekday: int) -> Wish:
    return await _save(store, clock, appointment, weekday=weekday)


async def choose_part(store: Store, clock: Clock, appointment: Appointment, part: Part) -> Wish:
    """The part of the day they chose, with the day chosen just before."""
    current = await get(store, appointment.newcomer_id)
    weekday = current.weekday if current and current.appointment_id == appointment.id else None
    return await _save(store, clock, appointment, weekday=weekday, part=part)


async def wait_for_text(store: Store, clock: Clock, appointment: Appointment) -> Wish:
    return await _save(store, clock, appointment, typing_since=to_db(clock()))


async def waiting_for_text(store: Store, clock: Clock, newcomer_id: int) -> Wish | None:
    """Their wish, when its "I'll type it" waits for the text."""
    wish = await get(store, newcomer_id)
    if wish is None or wish.typing_since is None or clock() - wish.typing_since > TYPING_WAIT:
        return None
    return wish


async def type_text(store: Store, clock: Clock, wish: Wish, typed: str) -> Wish | TextProblem:
    """The moment as they typed it: one line, redacted (a number they typed stays out)."""
    text = typed_line(typed, TYPED_MAX, required=True)
    if isinstance(text, TextProblem):
        return text
    now = to_db(clock())
    async with store.transaction() as db:
        await db.execute(
            "UPDATE appointment_wishes SET typed = ?, typing_since = NULL, weekday = NULL,"
            " part = NULL, updated_at = ? WHERE newcomer_id = ?",
            (text, now, wish.newcomer_id),
        )
    found = await get(store, wish.newcomer_id)
    assert found is not None
    return found
