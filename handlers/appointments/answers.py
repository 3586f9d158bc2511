"""A newcomer's taps under an appointment message: I'll come, I can't come (and why),
add to my calendar. Each answer reaches their contact person at once."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.appointments import answers
from bot.appointments import records as appointments
from bot.appointments.calendar_file import appointment_ics
from bot.appointments.records import Appointment, Reason, Status
from bot.appointments.words import (
    KIND_NAMES,
    Event,
    day_buttons,
    full_lines,
    reason_buttons,
    who_to_call,
)
from bot.core.callbacks import APPOINTMENT_ANSWER, row_id
from bot.people.newcomers import Newcomer
from bot.sending.outbox import Attachment, Button
from handlers.core.access import NEWCOMER, gate
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from messages import (
    FSI,
    PDI,
    SOURCE_LANGUAGE,
    line,
    render,
    render_bilingual,
    render_lines,
    render_lines_bilingual,
    texts,
    when,
)


def register(application: SchakelApp) -> None:
    application.add_handler(
        CallbackQueryHandler(gate(NEWCOMER)(press_answer), pattern=APPOINTMENT_ANSWER.pattern)
    )


async def _own_appointment(
    context: SchakelContext, newcomer: Newcomer, ref: str
) -> Appointment | None:
    """The appointment named in the button, if it is this newcomer's own."""
    found = await appointments.get(context.services.store, row_id(ref))
    return found if found is not None and found.newcomer_id == newcomer.id else None


async def press_answer(update: Update, context: SchakelContext) -> None:
    query = update.callback_query
    newcomer = context.identity.newcomer
    assert query is not None and newcomer is not None
    pressed = APPOINTMENT_ANSWER.parse(query.data)
    action, ref, argument = (
        (pressed["action"], pressed["appointment"], pressed["reason"]) if pressed else ("", "", "")
    )
    appointment = await _own_appointment(context, newcomer, ref)
    reason = _reason(argument)
    if (
        appointment is None
        or action not in ("yes", "no", "why", "ics")
        or (
            action == "why" and reason is None  # every "why" button of ours names a reason
        )
    ):
        await query.answer(render(newcomer.language, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return
    services = context.services
    if appointment.status is not Status.PLANNED or appointment.starts_at <= services.clock():
        await query.answer(render(newcomer.language, texts.APPOINTMENT_CLOSED), show_alert=True)
        return
    await query.answer()
    if action == "ics":
        await send_calendar_file(update, context, newcomer, appointment)
    elif action == "yes":
        await coming(update, context, newcomer, appointment)
    elif action == "no":
        await not_coming(update, context, newcomer, appointment)
    elif reason is not None:
        await give_reason(update, context, newcomer, appointment, reason)


def _reason(text: str) -> Reason | None:
    try:
        return Reason(text)
    except ValueError:
        return None


def _when(context: SchakelContext, appointment: Appointment) -> object:
    return when(appointment.starts_at, context.services.config.locale.tzinfo)


async def coming(
    update: Update, context: SchakelContext, newcomer: Newcomer, appointment: Appointment
) -> None:
    await answers.coming(context.services, newcomer, appointment)
    await reply(update, context, render_bilingual(newcomer.language, texts.ANSWER_COMING))


async def not_coming(
    update: Update, context: SchakelContext, newcomer: Newcomer, appointment: Appointment
) -> None:
    """Recorded and told to the contact person at once; then: why?"""
    await answers.not_coming(context.services, newcomer, appointment)
    await _reply_naming_contact(
        update,
        context,
        newcomer,
        texts.ANSWER_NOT_COMING,
        reason_buttons(newcomer.language, appointment),
    )


async def give_reason(
    update: Update,
    context: SchakelContext,
    newcomer: Newcomer,
    appointment: Appointment,
    reason: Reason,
) -> None:
    services = context.services
    await answers.give_reason(services, newcomer, appointment, reason)
    # Thanks, and at once the way to a new appointment: when could they come instead?
    call = await who_to_call(services.store, newcomer.id)
    thanks = [line(texts.ANSWER_REASON_THANKS, contact=call.name), line(texts.WISH_ASK_DAY)]
    await reply(
        update,
        context,
        render_lines_bilingual(newcomer.language, thanks),
        day_buttons(newcomer.language, appointment),
    )


async def _reply_naming_contact(
    update: Update,
    context: SchakelContext,
    newcomer: Newcomer,
    text: str,
    buttons: Sequence[Sequence[Button]] = (),
) -> None:
    """A reply to the newcomer that names the person to call."""
    call = await who_to_call(context.services.store, newcomer.id)
    await reply(
        update, context, render_bilingual(newcomer.language, text, contact=call.name), buttons
    )


async def send_calendar_file(
    update: Update, context: SchakelContext, newcomer: Newcomer, appointment: Appointment
) -> None:
    """An .ics file in the newcomer's language; the phone offers to add it."""
    services = context.services
    tzinfo = services.config.locale.tzinfo
    call = await who_to_call(services.store, newcomer.id)
    # The title, place, people and phone; not the "tap a button" line.
    details = full_lines(appointment, Event.REMINDER, call, tzinfo)[1:-1]
    # A calendar shows no text direction: no isolation marks (they show as boxes or
    # vanish unevenly), and the title in Dutch too, as the appointment is named there.
    kind = KIND_NAMES[appointment.kind]
    titles = dict.fromkeys([render(SOURCE_LANGUAGE, kind), render(newcomer.language, kind)])
    description = render_lines(newcomer.language, details)
    data = appointment_ics(
        uid=f"appointment-{appointment.id}@schakel",
        starts_at=appointment.starts_at,
        title=" / ".join(titles),
        place=appointment.place,
        description=description.replace(FSI, "").replace(PDI, ""),
        stamp=services.clock(),
    )
    day = appointment.starts_at.astimezone(tzinfo).date().isoformat()
    await reply(
        update,
        context,
        render_bilingual(newcomer.language, texts.CALENDAR_CAPTION),
        attachment=Attachment("document", f"afspraak-{day}.ics", data),
    )
