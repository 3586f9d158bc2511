"""Staff overview of appointments (/vandaag, /week) with each newcomer's answer, and the
one-tap attendance question after an appointment (the partners' "Opgedaagd?")."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.appointments import records as appointments
from bot.appointments import reminders, wishes
from bot.appointments.planning import appointment_for_staff
from bot.appointments.records import ATTENDANCE, Answer, Appointment, Status
from bot.appointments.words import KIND_NAMES, REASON_NAMES, day, wish_words
from bot.core.callbacks import WHO_CAME
from bot.people import newcomers
from bot.people.staff import Role
from handlers.core.access import gate, pressed_button, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.replies import reply
from messages import render, texts, when

ATTENDANCE_NAMES = texts.for_members((Status.ATTENDED, Status.NO_SHOW, Status.MOVED), "STATUS_")
LIST_AT_MOST = 60


def register(application: SchakelApp) -> None:
    staff_who_plan = gate(Role.CASEWORKER, Role.COORDINATOR)
    application.add_handler(CommandHandler("vandaag", staff_who_plan(show_today)))
    application.add_handler(CommandHandler("week", staff_who_plan(show_week)))
    application.add_handler(
        CallbackQueryHandler(staff_who_plan(press_attendance), pattern=WHO_CAME.pattern)
    )


def answer_text(language: str, appointment: Appointment) -> str:
    """What the newcomer said, or, once it is over, whether they came."""
    if appointment.status in ATTENDANCE:
        return render(language, ATTENDANCE_NAMES[appointment.status])
    if appointment.answer is Answer.COMING:
        return render(language, texts.AGENDA_COMING)
    if appointment.answer is Answer.NOT_COMING and appointment.answer_reason is not None:
        reason = render(language, REASON_NAMES[appointment.answer_reason])
        return render(language, texts.AGENDA_NOT_COMING, reason=reason)
    if appointment.answer is Answer.NOT_COMING:
        return render(language, texts.AGENDA_NOT_COMING_NO_REASON)
    return render(language, texts.AGENDA_NO_ANSWER)


async def _overview(update: Update, context: SchakelContext, title: str, days: int) -> None:
    staff, services = staff_of(context), context.services
    lang, tzinfo = staff.language, services.config.locale.tzinfo
    today = services.clock().astimezone(tzinfo).date()
    start = dt.datetime.combine(today, dt.time(0), tzinfo=tzinfo)
    end = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(0), tzinfo=tzinfo)
    visible = await newcomers.visible_newcomers(services.store, staff)
    by_id = {newcomer.id: newcomer for newcomer in visible}
    found = await appointments.planned_between(services.store, list(by_id), start, end)
    last_day = end - dt.timedelta(days=1)
    lines = [render(lang, title, day=day(last_day, tzinfo)(lang))]
    if not found:
        lines.append(render(lang, texts.AGENDA_NONE))
    for appointment in found[:LIST_AT_MOST]:
        newcomer = by_id[appointment.newcomer_id]
        lines.append(
            render(
                lang,
                texts.AGENDA_LINE,
                when=when(appointment.starts_at, tzinfo),
                name=newcomer.first_name,
                reference=newcomer.reference,
                kind=render(lang, KIND_NAMES[appointment.kind]),
                answer=answer_text(lang, appointment),
            )
        )
    lines += await _wishes_lines(context, lang, list(by_id.values()))
    await reply(update, context, "\n".join(lines))


async def _wishes_lines(
    context: SchakelContext, lang: str, visible: list[newcomers.Newcomer]
) -> list[str]:
    """Who asks for a new appointment, and when they could come (bot/appointments/wishes)."""
    asked = await wishes.of_newcomers(context.services.store, [n.id for n in visible])
    if not asked:
        return []
    by_id = {newcomer.id: newcomer for newcomer in visible}
    return ["", render(lang, texts.AGENDA_WISHES)] + [
        render(
            lang, texts.AGENDA_WISH_LINE, name=by_id[newcomer_id].first_name,
            reference=by_id[newcomer_id].reference, wish=wish_words(wish),
        )
        for newcomer_id, wish in list(asked.items())[:LIST_AT_MOST]
    ]  # fmt: skip


async def show_today(update: Update, context: SchakelContext) -> None:
    await _overview(update, context, texts.AGENDA_TODAY, 1)


async def show_week(update: Update, context: SchakelContext) -> None:
    """From today up to and including Sunday."""
    tzinfo = context.services.config.locale.tzinfo
    weekday = context.services.clock().astimezone(tzinfo).weekday()
    await _overview(update, context, texts.AGENDA_WEEK, 7 - weekday)


async def press_attendance(update: Update, context: SchakelContext) -> None:
    query, pressed = pressed_button(update, WHO_CAME)
    staff, services = staff_of(context), context.services
    lang = staff.language
    found = await appointment_for_staff(
        services.store, staff, pressed.row("appointment") if pressed else None
    )
    status = next((s for s in ATTENDANCE if pressed and s.value == pressed["outcome"]), None)
    if found is None or status is None:
        await query.answer(render(lang, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return
    appointment, newcomer = found
    if appointment.status is Status.CANCELLED or appointment.starts_at > services.clock():
        await query.answer(render(lang, texts.APPOINTMENT_NOT_FOUND), show_alert=True)
        return
    await query.answer()
    async with services.store.transaction() as db:
        await appointments.set_status(db, services.clock, appointment, status, staff.id)
    await reply(
        update,
        context,
        render(lang, texts.ATTENDANCE_SAVED, name=newcomer.first_name,
               status=render(lang, ATTENDANCE_NAMES[status])),
    )  # fmt: skip
    told_us = appointment.answer is Answer.NOT_COMING  # and was asked when they could come
    if status is Status.NO_SHOW and appointment.status is not Status.NO_SHOW and not told_us:
        # Towards a new appointment: a kind word to the newcomer, a new one a tap away.
        missed = replace(appointment, status=status)
        notice = await reminders.no_show_notice(services.store, services.config, newcomer, missed)
        if notice is not None:
            await services.send(notice)
