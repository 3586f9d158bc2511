"""Staff plan, change and cancel appointments; the newcomer hears of it at once.

Every change is one transaction: the appointment, its reminder plan and the message
to the newcomer (in the outbox) are stored together or not at all.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiosqlite

from bot.appointments import records as appointments
from bot.appointments import reminders
from bot.appointments.records import (
    PLACE_MAX,
    WITH_WHOM_MAX,
    Appointment,
    Details,
    Kind,
    Status,
)
from bot.appointments.reminder_plan import PlannedReminder
from bot.appointments.words import Event, WhoToCall, sms_fits, who_to_call
from bot.core.clock import from_db, to_db
from bot.core.refusals import Refused
from bot.core.typed_text import TextProblem, typed_line
from bot.people.newcomers import Newcomer, newcomer_by_id_for_staff
from bot.people.staff import StaffMember
from bot.sending.outbox import enqueue
from bot.storage.database import Store

if TYPE_CHECKING:
    from bot.sending.services import Services


class Problem(enum.Enum):
    PAST = "past"
    PLACE_MISSING = "place missing"
    PLACE_TOO_LONG = "place too long"
    WITH_WHOM_TOO_LONG = "with whom too long"
    SMS_TOO_LONG = "the Dutch reminder would not fit in one SMS"


@dataclass(frozen=True)
class Planned:
    appointment: Appointment
    reminders: list[PlannedReminder]
    told_newcomer: bool


async def appointment_for_staff(
    store: Store, staff: StaffMember, appointment_id: int | None
) -> tuple[Appointment, Newcomer] | None:
    """The appointment and its newcomer, if this staff member may see that newcomer; else
    None (the same answer as for an appointment that does not exist, so nothing leaks)."""
    appointment = None if appointment_id is None else await appointments.get(store, appointment_id)
    if appointment is None:
        return None
    newcomer = await newcomer_by_id_for_staff(store, staff, appointment.newcomer_id)
    return None if newcomer is None else (appointment, newcomer)


def preview(newcomer: Newcomer, details: Details, appointment_id: int = 0) -> Appointment:
    """The appointment as it will be, for checks and for the caseworker's preview."""
    return _as_appointment(newcomer.id, details, appointment_id)


def _as_appointment(newcomer_id: int, details: Details, appointment_id: int = 0) -> Appointment:
    return Appointment(
        id=appointment_id,
        newcomer_id=newcomer_id,
        **details.as_fields(),
        status=Status.PLANNED,
        answer=None,
    )


def problem_with(
    details: Details, call: WhoToCall, now: dt.datetime, tzinfo: dt.tzinfo
) -> Problem | None:
    if details.starts_at <= now:
        return Problem.PAST
    if not details.place.strip():
        return Problem.PLACE_MISSING
    if len(details.place) > PLACE_MAX:
        return Problem.PLACE_TOO_LONG
    if len(details.with_whom) > WITH_WHOM_MAX:
        return Problem.WITH_WHOM_TOO_LONG
    if not sms_fits(_as_appointment(0, details), call, tzinfo):
        return Problem.SMS_TOO_LONG
    return None


# --- the answers of the caseworker's form (handlers/appointments/planning.py) ---------------


def typed_place(typed: str) -> str | TextProblem:
    return typed_line(typed, PLACE_MAX)


def typed_with_whom(typed: str) -> str | TextProblem:
    return typed_line(typed, WITH_WHOM_MAX)


def details_from(answers: Mapping[str, Any]) -> Details:
    """The form's answers, as kept in its draft, as the appointment's details."""
    return Details(
        kind=Kind(answers["kind"]),
        starts_at=from_db(answers["starts_at"]),
        place=answers["place"],
        with_whom=answers.get("with_whom") or "",
        interpreter_language=answers.get("interpreter"),
    )


class CannotPlan(Refused[Problem], ValueError):
    pass


async def _check(services: Services, newcomer: Newcomer, details: Details) -> WhoToCall:
    call = await who_to_call(services.store, newcomer.id)
    problem = problem_with(details, call, services.clock(), services.config.locale.tzinfo)
    if problem is not None:
        raise CannotPlan(problem)
    return call


async def _store_notice(
    db: aiosqlite.Connection,
    services: Services,
    newcomer: Newcomer,
    appointment: Appointment,
    event: Event,
    key: str,
    call: WhoToCall | None = None,
) -> list[int]:
    """The message(s) to the newcomer, in the caller's transaction; none if it cannot go."""
    messages = await reminders.newcomer_notice(
        services.store, services.config, newcomer, appointment, event, key, call
    )
    row_ids = [await enqueue(db, services.clock, message) for message in messages]
    return [row_id for row_id in row_ids if row_id is not None]


async def _deliver(services: Services, row_ids: list[int]) -> bool:
    """After the commit: hand the message over now (the staff member is waiting)."""
    if row_ids:
        await services.dispatcher.deliver(row_ids)
    await reminders.set_alarm(services)
    return bool(row_ids)


async def create(
    services: Services,
    newcomer: Newcomer,
    details: Details,
    *,
    actor_id: int | None,
    source: str = "chat",
) -> Planned:
    """A new appointment with its reminders; the newcomer is told now. Raises CannotPlan."""
    call = await _check(services, newcomer, details)
    async with services.store.transaction() as db:
        appointment = await appointments.insert(
            db, services.clock, newcomer.id, details, created_by=actor_id, source=source
        )
        planned = await reminders.store_plan(db, services.clock, services.config, appointment)
        key = f"appointment:{appointment.id}:new"
        row_ids = await _store_notice(db, services, newcomer, appointment, Event.NEW, key, call)
    return Planned(appointment, planned, await _deliver(services, row_ids))


async def change(
    services: Services,
    newcomer: Newcomer,
    appointment: Appointment,
    details: Details,
    *,
    actor_id: int,
) -> Planned:
    """New details: open reminders are replanned, the newcomer is told now."""
    call = await _check(services, newcomer, details)
    async with services.store.transaction() as db:
        changed = await appointments.update_details(
            db, services.clock, appointment, details, actor_id
        )
        await reminders.cancel_open(db, services.clock, appointment.id, reminders.CANCELLED_CHANGED)
        planned = await reminders.store_plan(db, services.clock, services.config, changed)
        key = f"appointment:{appointment.id}:changed:{to_db(services.clock())}"
        row_ids = await _store_notice(db, services, newcomer, changed, Event.CHANGED, key, call)
    return Planned(changed, planned, await _deliver(services, row_ids))


async def cancel(
    services: Services, newcomer: Newcomer, appointment: Appointment, *, actor_id: int
) -> bool:
    """Cancelled: no more reminders, the newcomer is told now. True if they were told."""
    async with services.store.transaction() as db:
        cancelled = await appointments.set_status(
            db, services.clock, appointment, Status.CANCELLED, actor_id
        )
        await reminders.cancel_open(
            db, services.clock, appointment.id, reminders.CANCELLED_CANCELLED
        )
        key = f"appointment:{appointment.id}:cancelled"
        row_ids = await _store_notice(db, services, newcomer, cancelled, Event.CANCELLED, key)
    return await _deliver(services, row_ids)
