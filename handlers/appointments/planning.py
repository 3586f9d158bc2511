"""Caseworkers plan, change and cancel a newcomer's appointment by chat.

`/afspraak CODE` (or the newcomer sheet) opens a short form, one question at a time,
with buttons where a choice is enough: kind, date and time (typed as people type
them in Flanders), place (a partner's address, or typed), with whom, interpreter.
The last step shows exactly what the newcomer will get and when the reminders go.
`/cancel` or ✖ leaves without saving. The form is a draft in the database (bot/drafts),
so a restart in the middle loses nothing. Every button names its step; a button from
an older form, or of another person, changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.appointments import planning
from bot.appointments import records as appointments
from bot.appointments.planning import CannotPlan, Problem
from bot.appointments.records import PLACE_MAX, WITH_WHOM_MAX, Appointment, Details, Kind, Status
from bot.appointments.reminders import plan_for
from bot.appointments.words import (
    KIND_NAMES,
    Event,
    newcomer_message,
    reminder_moments,
    who_to_call,
)
from bot.core.callbacks import row_id
from bot.core.clock import from_db, to_db
from bot.core.typed_dates import UnclearWhen, parse_when
from bot.people import newcomers
from bot.people.interpreters import parse_interpreter_language
from bot.people.staff import Role
from bot.sending.outbox import Button
from bot.storage import drafts
from handlers.core.access import gate, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.forms import WHEN_PROBLEMS, answers_typed_by, draft_waiting_for, stop_form
from handlers.core.replies import quoted, reply
from handlers.people.lookup import newcomer_named_in_command
from messages import language_names, render, texts, when

FORM = "appointment"
STEP_DATA = "v1:pl:"  # v1:pl:<step>:<value>
ACTION_DATA = "v1:sa:"  # v1:sa:<change|cancel|cancelyes|cancelno>:<appointment id>
KEEP = "="

PLANNERS = (Role.CASEWORKER, Role.COORDINATOR)


def register(application: SchakelApp) -> None:
    answers_typed_by(FORM, typed_answer)
    planners = gate(*PLANNERS)
    application.add_handler(CommandHandler("afspraak", planners(plan_command)))
    application.add_handler(CallbackQueryHandler(planners(press_step), pattern=f"^{STEP_DATA}"))
    application.add_handler(CallbackQueryHandler(planners(press_action), pattern=f"^{ACTION_DATA}"))


# --- opening the form ---------------------------------------------------------


async def plan_command(update: Update, context: SchakelContext) -> None:
    """/afspraak CODE"""
    newcomer = await newcomer_named_in_command(update, context, texts.PLAN_USAGE)
    if newcomer is not None:
        await open_form(update, context, newcomer)


async def open_form(
    update: Update,
    context: SchakelContext,
    newcomer: newcomers.Newcomer,
    appointment: Appointment | None = None,
) -> None:
    """A new form, or one filled in with an appointment to change."""
    staff, services = staff_of(context), context.services
    data: dict[str, Any] = {"ref": newcomer.reference}
    if appointment is not None:
        data |= {
            "id": appointment.id,
            "kind": appointment.kind.value,
            "starts_at": to_db(appointment.starts_at),
            "place": appointment.place,
            "with_whom": appointment.with_whom,
            "interpreter": appointment.interpreter_language,
        }
    draft = drafts.Draft(staff.id, FORM, "kind", data)
    await drafts.save(services.store, services.clock, draft)
    await ask(update, context, draft)


# --- asking each step -----------------------------------------------------------


def _button(language: str, text: str, step: str, value: str) -> Button:
    return Button(render(language, text), f"{STEP_DATA}{step}:{value}")


def _stop_row(language: str, draft: drafts.Draft) -> list[Button]:
    row = [_button(language, texts.BUTTON_STOP, draft.step, "stop")]
    if "id" in draft.data and draft.step != "confirm":
        row.insert(0, _button(language, texts.BUTTON_KEEP, draft.step, KEEP))
    return row


async def ask(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    staff, services = staff_of(context), context.services
    lang = staff.language
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, draft.data["ref"])
    if newcomer is None:  # forgotten or handed to someone else meanwhile
        await drafts.drop(services.store, staff.id)
        await reply(
            update, context, render(lang, texts.NEWCOMER_NOT_FOUND, reference=draft.data["ref"])
        )
        return
    step = draft.step
    rows: list[list[Button]] = []
    if step == "kind":
        text = render(
            lang, texts.PLAN_ASK_KIND, name=newcomer.first_name, reference=newcomer.reference
        )
        kinds = [_button(lang, KIND_NAMES[kind], step, kind.value) for kind in Kind]
        rows = [kinds[i : i + 2] for i in range(0, len(kinds), 2)]
    elif step == "when":
        text = render(lang, texts.PLAN_ASK_WHEN) + "\n" + render(lang, texts.WHEN_FORMS)
    elif step == "place":
        text = render(lang, texts.PLAN_ASK_PLACE)
        rows = [
            [Button(f"{org.short_name}: {org.address}", f"{STEP_DATA}place:{org.short_name}")]
            for org in services.config.organisations
            if org.address
        ]
    elif step == "with":
        text = render(lang, texts.PLAN_ASK_WITH)
        rows = [
            [
                Button(staff.name, f"{STEP_DATA}with:me"),
                _button(lang, texts.BUTTON_NOBODY, step, "none"),
            ]
        ]
    elif step == "interpreter":
        text = render(lang, texts.PLAN_ASK_INTERPRETER)
        row = [_button(lang, texts.BUTTON_NO_INTERPRETER, step, "none")]
        if newcomer.language != "nl":
            name = language_names([newcomer.language])(lang)
            row.append(Button(name, f"{STEP_DATA}interpreter:{newcomer.language}"))
        rows = [row]
    else:
        await confirm(update, context, draft, newcomer)
        return
    rows.append(_stop_row(lang, draft))
    await reply(update, context, text, rows)


async def confirm(
    update: Update, context: SchakelContext, draft: drafts.Draft, newcomer: newcomers.Newcomer
) -> None:
    """What the newcomer will get, and when the reminders go; then save or stop."""
    staff, services = staff_of(context), context.services
    lang, tzinfo = staff.language, services.config.locale.tzinfo
    details = details_of(draft)
    call = await who_to_call(services.store, newcomer.id)
    problem = planning.problem_with(details, call, services.clock(), tzinfo)
    if problem is not None:
        await explain_problem(update, context, draft, problem)
        return
    preview = planning.preview(newcomer, details, draft.data.get("id", 0))
    event = Event.CHANGED if "id" in draft.data else Event.NEW
    dues = [r.due_at for r in plan_for(services.config, preview, services.clock()) if r.due_at]
    reminders_line = (
        render(lang, texts.PLAN_REMINDERS, moments=reminder_moments(dues, tzinfo))
        if dues
        else render(lang, texts.PLAN_NO_REMINDERS)
    )
    text = "\n\n".join(
        [
            render(lang, texts.PLAN_CONFIRM, name=newcomer.first_name),
            newcomer_message(newcomer.language, preview, event, call, tzinfo),
            reminders_line,
        ]
    )
    buttons = [
        [
            _button(lang, texts.BUTTON_SAVE, "confirm", "save"),
            _button(lang, texts.BUTTON_STOP, "confirm", "stop"),
        ]
    ]
    await reply(update, context, text, buttons)


def details_of(draft: drafts.Draft) -> Details:
    data = draft.data
    return Details(
        kind=Kind(data["kind"]),
        starts_at=from_db(data["starts_at"]),
        place=data["place"],
        with_whom=data.get("with_whom") or "",
        interpreter_language=data.get("interpreter"),
    )


async def explain_problem(
    update: Update, context: SchakelContext, draft: drafts.Draft, problem: Problem
) -> None:
    """Say what is wrong and ask that step again; nothing is saved."""
    staff, services = staff_of(context), context.services
    lang = staff.language
    if problem is Problem.PAST:
        text, draft.step = render(lang, texts.WHEN_PAST, typed=_local(context, draft)), "when"
    elif problem is Problem.WITH_WHOM_TOO_LONG:
        text, draft.step = render(lang, texts.PLAN_TOO_LONG_TEXT, max=WITH_WHOM_MAX), "with"
    elif problem is Problem.SMS_TOO_LONG:
        text, draft.step = render(lang, texts.PLAN_SMS_TOO_LONG), "place"
    else:
        text, draft.step = render(lang, texts.PLAN_TOO_LONG_TEXT, max=PLACE_MAX), "place"
    await drafts.save(services.store, services.clock, draft)
    await reply(update, context, text)
    await ask(update, context, draft)


def _local(context: SchakelContext, draft: drafts.Draft) -> str:
    moment = from_db(draft.data["starts_at"]).astimezone(context.services.config.locale.tzinfo)
    return moment.strftime("%d/%m/%Y %H:%M")


# --- answers: buttons and typed text ----------------------------------------------

NEXT_STEP = {"kind": "when", "when": "place", "place": "with", "with": "interpreter",
             "interpreter": "confirm"}  # fmt: skip


async def press_step(update: Update, context: SchakelContext) -> None:
    query = update.callback_query
    assert query is not None
    waiting = await draft_waiting_for(update, context, FORM, STEP_DATA)
    if waiting is None:
        return
    draft, step, value = waiting
    staff = staff_of(context)
    known = value in ("stop", KEEP) or (step == "confirm" and value == "save")
    if not known and not _take_choice(context, draft, step, value):
        await query.answer(render(staff.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    if value == "stop":
        await stop_form(update, context)
    elif step == "confirm":
        await save(update, context, draft)
    else:
        await advance(update, context, draft)


def _take_choice(context: SchakelContext, draft: drafts.Draft, step: str, value: str) -> bool:
    """Store a button's choice in the draft; False for a value no button of ours has."""
    staff, config = staff_of(context), context.services.config
    if step == "kind" and value in {kind.value for kind in Kind}:
        draft.data["kind"] = value
    elif step == "place":
        org = next((o for o in config.organisations if o.short_name == value and o.address), None)
        if org is None:
            return False
        draft.data["place"] = f"{org.short_name}, {org.address}"
    elif step == "with" and value in ("me", "none"):
        draft.data["with_whom"] = staff.name if value == "me" else ""
    elif step == "interpreter" and (value == "none" or parse_interpreter_language(value)):
        draft.data["interpreter"] = None if value == "none" else value
    else:
        return False
    return True


async def advance(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    services = context.services
    draft.step = NEXT_STEP[draft.step]
    await drafts.save(services.store, services.clock, draft)
    await ask(update, context, draft)


async def typed_answer(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    """Text while the form waits for a date, an address, names or a language."""
    staff, services = staff_of(context), context.services
    message = update.effective_message
    assert message is not None
    text = " ".join((message.text or "").split())
    lang = staff.language
    if draft.step == "when":
        try:
            moment = parse_when(text, services.clock(), services.config.locale.tzinfo)
        except UnclearWhen as unclear:
            problem = render(lang, WHEN_PROBLEMS[unclear.problem], typed=quoted(text))
            await reply(update, context, problem + "\n" + render(lang, texts.WHEN_FORMS))
            return
        draft.data["starts_at"] = to_db(moment.astimezone(dt.UTC))
    elif draft.step in ("place", "with"):
        limit = PLACE_MAX if draft.step == "place" else WITH_WHOM_MAX
        if len(text) > limit:
            await reply(update, context, render(lang, texts.PLAN_TOO_LONG_TEXT, max=limit))
            return
        draft.data["place" if draft.step == "place" else "with_whom"] = text
    elif draft.step == "interpreter":
        code = parse_interpreter_language(text)
        if code is None:
            await reply(
                update, context, render(lang, texts.UNKNOWN_INTERPRETER, typed=quoted(text))
            )
            return
        draft.data["interpreter"] = code
    else:  # a step that wants a button
        await ask(update, context, draft)
        return
    await advance(update, context, draft)


# --- the end: save


async def save(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    staff, services = staff_of(context), context.services
    lang = staff.language
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, draft.data["ref"])
    existing = (
        await appointments.get(services.store, draft.data["id"]) if "id" in draft.data else None
    )
    if newcomer is None or (
        "id" in draft.data and (existing is None or existing.newcomer_id != newcomer.id)
    ):
        await drafts.drop(services.store, staff.id)
        await reply(update, context, render(lang, texts.APPOINTMENT_NOT_FOUND))
        return
    try:
        if existing is not None:
            planned = await planning.change(
                services, newcomer, existing, details_of(draft), actor_id=staff.id
            )
        else:
            planned = await planning.create(
                services, newcomer, details_of(draft), actor_id=staff.id
            )
    except CannotPlan as refused:
        await explain_problem(update, context, draft, refused.problem)
        return
    await drafts.drop(services.store, staff.id)
    text = texts.PLAN_SAVED if planned.told_newcomer else texts.PLAN_SAVED_NO_MESSAGE
    await reply(update, context, render(lang, text, name=newcomer.first_name))


# --- one newcomer's appointments, for staff: change, cancel -------------------------


async def show_newcomer_appointments(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer
) -> None:
    """Each appointment ahead as its own message with ✏️ and ✖; then ➕."""
    staff, services = staff_of(context), context.services
    lang, tzinfo = staff.language, services.config.locale.tzinfo
    ahead = await appointments.upcoming(services.store, newcomer.id, services.clock())
    new = [[Button(render(lang, texts.BUTTON_NEW_APPOINTMENT), f"v1:cl:plan:{newcomer.reference}")]]
    values = {"name": newcomer.first_name, "reference": newcomer.reference}
    if not ahead:
        await reply(update, context, render(lang, texts.STAFF_APPOINTMENTS_NONE, **values), new)
        return
    await reply(update, context, render(lang, texts.STAFF_APPOINTMENTS_TITLE, **values))
    for appointment in ahead:
        text = render(
            lang,
            texts.APPOINTMENT_LINE if appointment.with_whom else texts.APPOINTMENT_LINE_NO_PERSON,
            when=when(appointment.starts_at, tzinfo),
            kind=render(lang, KIND_NAMES[appointment.kind]),
            place=appointment.place,
            with_whom=appointment.with_whom,
        )
        buttons = [
            [
                Button(render(lang, texts.BUTTON_CHANGE), f"{ACTION_DATA}change:{appointment.id}"),
                Button(
                    render(lang, texts.BUTTON_CANCEL_APPOINTMENT),
                    f"{ACTION_DATA}cancel:{appointment.id}",
                ),
            ]
        ]
        await reply(update, context, text, buttons)
    await reply(update, context, render(lang, texts.PLAN_USAGE), new)


async def press_action(update: Update, context: SchakelContext) -> None:
    """✏️ change, ✖ cancel (asked once more), for an appointment this person may see."""
    query = update.callback_query
    assert query is not None
    staff, services = staff_of(context), context.services
    lang = staff.language
    action, _, ref = (query.data or "").removeprefix(ACTION_DATA).partition(":")
    appointment = await appointments.get(services.store, row_id(ref))
    newcomer = (
        await newcomers.newcomer_by_id_for_staff(services.store, staff, appointment.newcomer_id)
        if appointment is not None
        else None
    )
    if appointment is None or newcomer is None or action not in _ACTIONS_ALLOWED:
        await query.answer(render(lang, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return
    if appointment.status is not Status.PLANNED:
        await query.answer(render(lang, texts.APPOINTMENT_NOT_FOUND), show_alert=True)
        return
    await query.answer()
    values = {"name": newcomer.first_name}
    if action == "change":
        await open_form(update, context, newcomer, appointment)
    elif action == "cancel":
        buttons = [
            [
                Button(
                    render(lang, texts.BUTTON_CANCEL_YES),
                    f"{ACTION_DATA}cancelyes:{appointment.id}",
                ),
                Button(
                    render(lang, texts.BUTTON_CANCEL_NO), f"{ACTION_DATA}cancelno:{appointment.id}"
                ),
            ]
        ]
        await reply(update, context, render(lang, texts.CANCEL_ASK, **values), buttons)
    elif action == "cancelyes":
        await planning.cancel(services, newcomer, appointment, actor_id=staff.id)
        await reply(update, context, render(lang, texts.CANCEL_DONE, **values))
    else:
        await reply(update, context, render(lang, texts.CANCEL_KEPT))


_ACTIONS_ALLOWED = ("change", "cancel", "cancelyes", "cancelno")
