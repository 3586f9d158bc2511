"""Staff plan, change and cancel appointments; the newcomer hears of it at once.

Every change is one transaction: the appointment, its reminder plan and the message
to the newcomer (in the outbox) are stored together or not at all.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot import appointments, reminders
from bot.appointment_texts import Event, WhoToCall, sms_fits, who_to_call
from bot.appointments import PLACE_MAX, WITH_WHOM_MAX, Appointment, Details, Status
from bot.clients import Client
from bot.clock import to_db
from bot.outbox import Outgoing, enqueue
from bot.reminder_plan import PlannedReminder

if TYPE_CHECKING:
    from bot.services import Services


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


def preview(client: Client, details: Details, appointment_id: int = 0) -> Appointment:
    """The appointment as it will be, for checks and for the caseworker's preview."""
    return _as_appointment(client.id, details, appointment_id)


def _as_appointment(client_id: int, details: Details, appointment_id: int = 0) -> Appointment:
    return Appointment(
        id=appointment_id,
        client_id=client_id,
        kind=details.kind,
        starts_at=details.starts_at,
        place=details.place,
        with_whom=details.with_whom,
        interpreter_language=details.interpreter_language,
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


class CannotPlan(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


async def _check(services: Services, client: Client, details: Details) -> WhoToCall:
    call = await who_to_call(services.store, client.id)
    problem = problem_with(details, call, services.clock(), services.config.locale.tzinfo)
    if problem is not None:
        raise CannotPlan(problem)
    return call


async def _tell(services: Services, message: Outgoing | None) -> bool:
    if message is None:
        return False
    async with services.store.transaction() as db:
        row_id = await enqueue(db, services.clock, message)
    if row_id is not None:
        await services.dispatcher.deliver([row_id])
    return True


async def create(
    services: Services,
    client: Client,
    details: Details,
    *,
    actor_id: int | None,
    source: str = "chat",
) -> Planned:
    """A new appointment with its reminders; the newcomer is told now. Raises CannotPlan."""
    call = await _check(services, client, details)
    async with services.store.transaction() as db:
        appointment = await appointments.insert(
            db, services.clock, client.id, details, created_by=actor_id, source=source
        )
        planned = await reminders.store_plan(db, services.clock, services.config, appointment)
    message = await reminders.newcomer_notice(
        services.store,
        services.config,
        client,
        appointment,
        Event.NEW,
        f"appointment:{appointment.id}:new",
        call,
    )
    told = await _tell(services, message)
    await reminders.set_alarm(services)
    return Planned(appointment, planned, told)


async def change(
    services: Services, client: Client, appointment: Appointment, details: Details, *, actor_id: int
) -> Planned:
    """New details: open reminders are replanned, the newcomer is told now."""
    call = await _check(services, client, details)
    async with services.store.transaction() as db:
        changed = await appointments.update_details(
            db, services.clock, appointment, details, actor_id
        )
        await reminders.cancel_open(db, services.clock, appointment.id, reminders.CANCELLED_CHANGED)
        planned = await reminders.store_plan(db, services.clock, services.config, changed)
    key = f"appointment:{appointment.id}:changed:{to_db(services.clock())}"
    message = await reminders.newcomer_notice(
        services.store, services.config, client, changed, Event.CHANGED, key, call
    )
    told = await _tell(services, message)
    await reminders.set_alarm(services)
    return Planned(changed, planned, told)


async def cancel(
    services: Services, client: Client, appointment: Appointment, *, actor_id: int
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
    message = await reminders.newcomer_notice(
        services.store, services.config, client, cancelled, Event.CANCELLED, key
    )
    return await _tell(services, message)
