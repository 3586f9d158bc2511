"""Caseworkers plan, change and cancel a newcomer's appointment by chat.

`/afspraak CODE` (or the newcomer sheet) opens a short form (handlers/core/forms), one
question at a time, with buttons where a choice is enough: kind, date and time (typed as
people type them in Flanders), place (a partner's address, or typed), with whom,
interpreter. The last step shows exactly what the newcomer will get and when the
reminders go. While an appointment is changed, every step offers "don't change".
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.appointments import planning
from bot.appointments import records as appointments
from bot.appointments.planning import CannotPlan, Problem, details_from
from bot.appointments.records import PLACE_MAX, WITH_WHOM_MAX, Appointment, Kind, Status
from bot.appointments.reminders import plan_for
from bot.appointments.words import (
    KIND_NAMES,
    Event,
    newcomer_message,
    reminder_moments,
    who_to_call,
)
from bot.core.callbacks import APPOINTMENT_ACTION, NEWCOMER_SHEET, PLANNING_STEP, row_id
from bot.core.clock import from_db, to_db
from bot.people import newcomers
from bot.people.interpreters import parse_interpreter_language
from bot.people.staff import Role
from bot.sending.outbox import Button
from bot.storage import drafts
from handlers.core import form_answers as answers
from handlers.core import forms
from handlers.core.access import gate, pressed_button, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.forms import (
    Finish,
    FormEnds,
    Go,
    Question,
    Step,
    Turn,
    chosen_into,
    pick,
    typed_into,
)
from handlers.core.replies import reply
from handlers.people.lookup import newcomer_named_in_command
from messages import language_names, render, texts, when

PLANNERS = (Role.CASEWORKER, Role.COORDINATOR)


def register(application: SchakelApp) -> None:
    planners = gate(*PLANNERS)
    forms.serve(application, FORM, planners)
    application.add_handler(CommandHandler("afspraak", planners(plan_command)))
    application.add_handler(
        CallbackQueryHandler(planners(press_action), pattern=APPOINTMENT_ACTION.pattern)
    )


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
    await forms.start(update, context, FORM, data)


async def newcomer_of(turn: Turn) -> newcomers.Newcomer:
    """The newcomer the form is about, if this caseworker still sees them."""
    reference = turn.data["ref"]
    newcomer = await newcomers.newcomer_for_staff(turn.services.store, turn.staff, reference)
    if newcomer is None:  # forgotten or handed to someone else meanwhile
        raise FormEnds(render(turn.language, texts.NEWCOMER_NOT_FOUND, reference=reference))
    return newcomer


# --- the steps ----------------------------------------------------------------------------


async def ask_kind(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    lang = turn.language
    text = render(lang, texts.PLAN_ASK_KIND, name=newcomer.first_name, reference=newcomer.reference)
    return Question(text, forms.pairs([turn.button(KIND_NAMES[kind], kind.value) for kind in Kind]))


async def ask_when(turn: Turn, _: newcomers.Newcomer) -> Question:
    lang = turn.language
    return Question(render(lang, texts.PLAN_ASK_WHEN) + "\n" + render(lang, texts.WHEN_FORMS))


async def ask_place(turn: Turn, _: newcomers.Newcomer) -> Question:
    return Question(render(turn.language, texts.PLAN_ASK_PLACE), answers.place_rows(turn))


async def ask_with(turn: Turn, _: newcomers.Newcomer) -> Question:
    me_or_nobody = [turn.choice(turn.staff.name, "me"), turn.button(texts.BUTTON_NOBODY, "none")]
    return Question(render(turn.language, texts.PLAN_ASK_WITH), [me_or_nobody])


def _with_whom(turn: Turn, value: str) -> str | None:
    return {"me": turn.staff.name, "none": ""}.get(value)


async def ask_interpreter(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    lang = turn.language
    row = [turn.button(texts.BUTTON_NO_INTERPRETER, "none")]
    if newcomer.language != "nl":
        row.append(turn.choice(language_names([newcomer.language])(lang), newcomer.language))
    return Question(render(lang, texts.PLAN_ASK_INTERPRETER), [row])


async def take_interpreter(turn: Turn, value: str) -> Go | None:
    if value != "none" and parse_interpreter_language(value) is None:
        return None
    turn.data["interpreter"] = None if value == "none" else value
    return Go()


KINDS = {kind.value: kind.value for kind in Kind}


# --- the preview, and saving --------------------------------------------------------------


async def preview(turn: Turn, newcomer: newcomers.Newcomer) -> Question | Go:
    """What the newcomer will get, and when the reminders go; then save or stop."""
    services, lang = turn.services, turn.language
    tzinfo = services.config.locale.tzinfo
    details = details_from(turn.data)
    call = await who_to_call(services.store, newcomer.id)
    problem = planning.problem_with(details, call, services.clock(), tzinfo)
    if problem is not None:
        return await explain(turn, problem)
    shown = planning.preview(newcomer, details, turn.data.get("id", 0))
    event = Event.CHANGED if "id" in turn.data else Event.NEW
    dues = [r.due_at for r in plan_for(services.config, shown, services.clock()) if r.due_at]
    reminders_line = (
        render(lang, texts.PLAN_REMINDERS, moments=reminder_moments(dues, tzinfo))
        if dues
        else render(lang, texts.PLAN_NO_REMINDERS)
    )
    text = "\n\n".join(
        [
            render(lang, texts.PLAN_CONFIRM, name=newcomer.first_name),
            newcomer_message(newcomer.language, shown, event, call, tzinfo),
            reminders_line,
        ]
    )
    return Question(text, forms.preview_rows(turn, (texts.BUTTON_SAVE, "save")))


async def take_save(turn: Turn, value: str) -> Finish | None:
    return Finish(save) if value == "save" else None


# Where each problem is put right, and what is said about it.
PROBLEM_STEPS = {
    Problem.PAST: "when",
    Problem.WITH_WHOM_TOO_LONG: "with",
    Problem.SMS_TOO_LONG: "place",
    Problem.PLACE_MISSING: "place",
    Problem.PLACE_TOO_LONG: "place",
}


async def explain(turn: Turn, problem: Problem) -> Go:
    """Say what is wrong; that step is asked again, nothing is saved."""
    lang = turn.language
    if problem is Problem.PAST:
        tzinfo = turn.services.config.locale.tzinfo
        typed = from_db(turn.data["starts_at"]).astimezone(tzinfo).strftime("%d/%m/%Y %H:%M")
        text = render(lang, texts.WHEN_PAST, typed=typed)
    elif problem is Problem.WITH_WHOM_TOO_LONG:
        text = render(lang, texts.PLAN_TOO_LONG_TEXT, max=WITH_WHOM_MAX)
    elif problem is Problem.SMS_TOO_LONG:
        text = render(lang, texts.PLAN_SMS_TOO_LONG)
    else:
        text = render(lang, texts.PLAN_TOO_LONG_TEXT, max=PLACE_MAX)
    await turn.say(text)
    return Go(PROBLEM_STEPS[problem])


async def save(turn: Turn) -> None:
    staff, services, data = turn.staff, turn.services, turn.data
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, data["ref"])
    existing = await appointments.get(services.store, data["id"]) if "id" in data else None
    if newcomer is None or (
        "id" in data and (existing is None or existing.newcomer_id != newcomer.id)
    ):
        await drafts.drop(services.store, staff.id)
        await turn.say(render(turn.language, texts.APPOINTMENT_NOT_FOUND))
        return
    details = details_from(data)
    try:
        if existing is not None:
            planned = await planning.change(
                services, newcomer, existing, details, actor_id=staff.id
            )
        else:
            planned = await planning.create(services, newcomer, details, actor_id=staff.id)
    except CannotPlan as refused:
        await explain(turn, refused.problem)
        await forms.move_to(turn, PROBLEM_STEPS[refused.problem])
        return
    await drafts.drop(services.store, staff.id)
    text = texts.PLAN_SAVED if planned.told_newcomer else texts.PLAN_SAVED_NO_MESSAGE
    await turn.say(render(turn.language, text, name=newcomer.first_name))


STEPS = (
    Step("kind", ask_kind, press=pick("kind", KINDS), keep=True),
    Step("when", ask_when, typed=typed_into("starts_at", answers.moment), keep=True),
    Step("place", ask_place, press=chosen_into("place", answers.place_chosen),
         typed=typed_into("place", answers.short_text(planning.typed_place, PLACE_MAX)),
         keep=True),
    Step("with", ask_with, press=chosen_into("with_whom", _with_whom),
         typed=typed_into("with_whom", answers.short_text(planning.typed_with_whom,
                                                          WITH_WHOM_MAX)),
         keep=True),
    Step("interpreter", ask_interpreter, press=take_interpreter,
         typed=typed_into("interpreter", answers.language), keep=True),
    Step("confirm", preview, press=take_save, stop_row=False),
)  # fmt: skip
FORM = forms.Form[newcomers.Newcomer](
    name="appointment",
    callback=PLANNING_STEP,
    steps=STEPS,
    subject=newcomer_of,
    editing=lambda data: "id" in data,
)


# --- one newcomer's appointments, for staff: change, cancel -------------------------


async def show_newcomer_appointments(
    update: Update, context: SchakelContext, newcomer: newcomers.Newcomer
) -> None:
    """Each appointment ahead as its own message with ✏️ and ✖; then ➕."""
    staff, services = staff_of(context), context.services
    lang, tzinfo = staff.language, services.config.locale.tzinfo
    ahead = await appointments.upcoming(services.store, newcomer.id, services.clock())
    new = [
        [
            Button(
                render(lang, texts.BUTTON_NEW_APPOINTMENT),
                NEWCOMER_SHEET.data("plan", newcomer.reference),
            )
        ]
    ]
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
        buttons = _action_buttons(
            lang,
            appointment,
            ("change", texts.BUTTON_CHANGE),
            ("cancel", texts.BUTTON_CANCEL_APPOINTMENT),
        )
        await reply(update, context, text, buttons)
    await reply(update, context, render(lang, texts.PLAN_USAGE), new)


def _action_buttons(
    lang: str, appointment: Appointment, *actions: tuple[str, str]
) -> list[list[Button]]:
    """One row of APPOINTMENT_ACTION buttons for this appointment: (action, label text)."""
    return [
        [
            Button(render(lang, label), APPOINTMENT_ACTION.data(action, appointment.id))
            for action, label in actions
        ]
    ]


async def press_action(update: Update, context: SchakelContext) -> None:
    """✏️ change, ✖ cancel (asked once more), for an appointment this person may see."""
    query, pressed = pressed_button(update, APPOINTMENT_ACTION)
    staff, services = staff_of(context), context.services
    lang = staff.language
    action, ref = (pressed["action"], pressed["appointment"]) if pressed else ("", "")
    found = await planning.appointment_for_staff(services.store, staff, row_id(ref))
    if found is None or action not in _ACTIONS_ALLOWED:
        await query.answer(render(lang, texts.BUTTON_NOT_FOR_YOU), show_alert=True)
        return
    appointment, newcomer = found
    if appointment.status is not Status.PLANNED:
        await query.answer(render(lang, texts.APPOINTMENT_NOT_FOUND), show_alert=True)
        return
    await query.answer()
    values = {"name": newcomer.first_name}
    if action == "change":
        await open_form(update, context, newcomer, appointment)
    elif action == "cancel":
        buttons = _action_buttons(
            lang,
            appointment,
            ("cancelyes", texts.BUTTON_CANCEL_YES),
            ("cancelno", texts.BUTTON_CANCEL_NO),
        )
        await reply(update, context, render(lang, texts.CANCEL_ASK, **values), buttons)
    elif action == "cancelyes":
        await planning.cancel(services, newcomer, appointment, actor_id=staff.id)
        await reply(update, context, render(lang, texts.CANCEL_DONE, **values))
    else:
        await reply(update, context, render(lang, texts.CANCEL_KEPT))


_ACTIONS_ALLOWED = ("change", "cancel", "cancelyes", "cancelno")
