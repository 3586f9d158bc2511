"""A newcomer's answer about an appointment, by a tap in Telegram or by SMS: recorded,
and their contact person told at once. "Cannot come" and its reason are one event: the
reason edits that one notice (a new one if it could not be sent)."""

from __future__ import annotations

import datetime as dt

from bot.appointments import records as appointments
from bot.appointments.records import Answer, Appointment, Reason
from bot.appointments.words import REASON_NAMES
from bot.core.clock import from_db, to_db
from bot.people.newcomers import Newcomer, notify_contact
from bot.sending.services import Services
from messages import texts, translated, when


def _when(services: Services, appointment: Appointment) -> object:
    return when(appointment.starts_at, services.config.locale.tzinfo)


def not_coming_key(appointment: Appointment, since: str) -> str:
    return f"answer:{appointment.id}:not_coming:{since}"


async def coming(services: Services, newcomer: Newcomer, appointment: Appointment) -> None:
    if appointment.answer is Answer.COMING:
        return
    await appointments.record_answer(services.store, services.clock, appointment, Answer.COMING)
    await notify_contact(
        services, newcomer, texts.STAFF_NEWCOMER_COMING,
        key=f"answer:{appointment.id}:coming:{to_db(services.clock())}",
        when=_when(services, appointment),
    )  # fmt: skip


async def not_coming(services: Services, newcomer: Newcomer, appointment: Appointment) -> None:
    if appointment.answer is Answer.NOT_COMING:
        return
    now = services.clock()  # the answer's moment names its notice
    await appointments.record_answer(services.store, lambda: now, appointment, Answer.NOT_COMING)
    await notify_contact(
        services, newcomer, texts.STAFF_NEWCOMER_NOT_COMING,
        key=not_coming_key(appointment, to_db(now)), when=_when(services, appointment),
    )  # fmt: skip


async def give_reason(
    services: Services, newcomer: Newcomer, appointment: Appointment, reason: Reason
) -> None:
    since = await appointments.not_coming_since(services.store, appointment.id)
    await appointments.record_answer(
        services.store, lambda: _kept(since, services), appointment, Answer.NOT_COMING, reason
    )
    await notify_contact(
        services, newcomer, texts.STAFF_NEWCOMER_REASON,
        key=f"answer:{appointment.id}:reason:{reason.value}:{to_db(services.clock())}",
        edits=not_coming_key(appointment, since) if since else None,
        when=_when(services, appointment), reason=translated(REASON_NAMES[reason]),
    )  # fmt: skip


def _kept(since: str | None, services: Services) -> dt.datetime:
    """The moment of "I cannot come" stays the answer's moment when the reason follows, so
    a second reason edits the same notice."""
    return from_db(since) if since else services.clock()
