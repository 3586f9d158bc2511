"""A caseworker writes a warm handover note by chat: `/overdracht CODE` or 🤝 on the
newcomer's sheet.

One question at a time, buttons where a choice is enough: to which organisation (and
person), why, languages, interpreter, Dutch level and school, civic orientation, plan A
and B, points of attention, next step and its day; then the newcomer's consent for that
organisation and purpose, and the note and card exactly as they will go. Free text is
redacted as it is typed (only the redacted text is kept in the draft) and the author is
told what was taken out. `/cancel` or ✖ leaves at any point; nothing is posted without
✅ at the end. The draft lives in the database (bot/drafts), so a restart loses nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core.redaction import Kind
from bot.core.typed_dates import UnclearWhen, WhenProblem, parse_day
from bot.handovers import notes as handovers
from bot.handovers.notes import TEXT_MAX, CannotPost, Civic, Handover, NoteBody, PostProblem, Reason
from bot.handovers.words import CIVIC_NAMES, REASON_NAMES, card, note_text, removed_kinds
from bot.people import newcomers
from bot.people.interpreters import parse_interpreter_language
from bot.people.newcomers import DUTCH_LEVELS, parse_level
from bot.people.organisations import all_organisations
from bot.people.staff import Role, caseworkers_of
from bot.sending.outbox import Button
from bot.storage import drafts
from handlers.core.access import gate, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.forms import answers_typed_by, draft_waiting_for, stop_form
from handlers.core.replies import quoted, reply
from handlers.people.lookup import newcomer_named_in_command
from messages import language_names, render, texts

FORM = "handover"
STEP_DATA = "v1:hf:"  # v1:hf:<step>:<value>
ORDER = ("org", "person", "reason", "mother", "spoken", "interpreter", "level", "school",
         "civic", "plan_a", "plan_b", "attention", "next_step", "next_date", "consent",
         "consent_date", "confirm")  # fmt: skip
# Free-text steps that may be left empty with a "None" button.
OPTIONAL_TEXT = ("school", "plan_b", "attention")
DAY_PROBLEMS = {
    WhenProblem.UNCLEAR: texts.WHEN_UNCLEAR,
    WhenProblem.NO_SUCH_DATE: texts.WHEN_NO_SUCH_DATE,
    WhenProblem.WRONG_WEEKDAY: texts.WHEN_WRONG_WEEKDAY,
    WhenProblem.PAST: texts.WHEN_PAST,
    WhenProblem.FUTURE: texts.DAY_FUTURE,
}
COMMON_LANGUAGES = ("nl", "en", "fr")


def register(application: SchakelApp) -> None:
    answers_typed_by(FORM, typed_answer)
    caseworkers = gate(Role.CASEWORKER)
    application.add_handler(CommandHandler("overdracht", caseworkers(handover_command)))
    application.add_handler(CallbackQueryHandler(caseworkers(press_step), pattern=f"^{STEP_DATA}"))


async def handover_command(update: Update, context: SchakelContext) -> None:
    """/overdracht CODE"""
    newcomer = await newcomer_named_in_command(update, context, texts.HANDOVER_USAGE)
    if newcomer is not None:
        await open_form(update, context, newcomer)


async def open_form(update: Update, context: SchakelContext, newcomer: newcomers.Newcomer) -> None:
    staff, services = staff_of(context), context.services
    if staff.role is not Role.CASEWORKER or staff.organisation_id is None:
        await reply(update, context, render(staff.language, texts.HANDOVER_NO_ORGANISATION))
        return
    data = {"ref": newcomer.reference, "spoken": [], "mother": newcomer.language}
    if newcomer.dutch_level:
        data["level"] = newcomer.dutch_level
    draft = drafts.Draft(staff.id, FORM, "org", data)
    await drafts.save(services.store, services.clock, draft)
    await ask(update, context, draft)


# --- asking --------------------------------------------------------------------------------


def _button(language: str, text: str, step: str, value: str) -> Button:
    return Button(render(language, text), f"{STEP_DATA}{step}:{value}")


def _pairs(buttons: list[Button]) -> list[list[Button]]:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


Question = tuple[str, list[list[Button]]]


async def ask(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    staff, services = staff_of(context), context.services
    lang, data = staff.language, draft.data
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, data["ref"])
    if newcomer is None:  # forgotten, or no longer theirs
        await drafts.drop(services.store, staff.id)
        await reply(update, context, render(lang, texts.NEWCOMER_NOT_FOUND, reference=data["ref"]))
        return
    if draft.step == "confirm":
        await confirm(update, context, draft, newcomer)
        return
    question = await _looked_up_question(context, draft, newcomer)
    if question is None:
        await drafts.drop(services.store, staff.id)
        await reply(update, context, render(lang, texts.HANDOVER_NO_PARTNERS))
        return
    text, rows = question
    rows.append([_button(lang, texts.BUTTON_STOP, draft.step, "stop")])
    await reply(update, context, text, rows)


async def _looked_up_question(
    context: SchakelContext, draft: drafts.Draft, newcomer: newcomers.Newcomer
) -> Question | None:
    """The steps whose buttons come from the database; None when there is no partner."""
    staff, store = staff_of(context), context.services.store
    lang, step = staff.language, draft.step
    if step == "org":
        partners = [
            Button(o.short_name, f"{STEP_DATA}org:{o.id}")
            for o in await all_organisations(store)
            if o.id != staff.organisation_id
        ]
        if not partners:
            return None
        values = {"name": newcomer.first_name, "reference": newcomer.reference}
        return render(lang, texts.HANDOVER_ASK_ORGANISATION, **values), _pairs(partners)
    if step == "person":
        people = await caseworkers_of(store, draft.data["org"])
        rows = _pairs([Button(p.name, f"{STEP_DATA}person:{p.id}") for p in people])
        rows.append([_button(lang, texts.BUTTON_ANYONE, step, "any")])
        org = draft.data["org_name"]
        return render(lang, texts.HANDOVER_ASK_PERSON, organisation=org), rows
    return _question(lang, draft, newcomer.first_name)


def _question(lang: str, draft: drafts.Draft, name: str) -> Question:
    """What each other step asks, with its buttons (typed answers where none fit)."""
    step, data = draft.step, draft.data
    org = data.get("org_name", "")

    def buttons(*choices: tuple[str, str]) -> list[Button]:
        return [_button(lang, text, step, value) for text, value in choices]

    if step == "reason":
        text = render(lang, texts.HANDOVER_ASK_REASON, name=name, organisation=org)
        return text, [buttons(*((REASON_NAMES[r], r.value) for r in Reason))]
    if step == "mother":
        known = Button(language_names([data["mother"]])(lang), f"{STEP_DATA}mother:ok")
        return render(lang, texts.HANDOVER_ASK_MOTHER_TONGUE, name=name), [[known]]
    if step == "spoken":
        chosen = data["spoken"]
        shown = language_names(chosen) if chosen else render(lang, texts.NONE_YET)
        text = render(lang, texts.HANDOVER_ASK_CONTACT_LANGUAGES, name=name, chosen=shown)
        offer = dict.fromkeys(c for c in (*COMMON_LANGUAGES, data["mother"]) if c not in chosen)
        rows = _pairs([Button(language_names([c])(lang), f"{STEP_DATA}spoken:{c}") for c in offer])
        return text, [*rows, buttons((texts.BUTTON_NEXT, "next"))]
    if step == "interpreter":
        yes_no = buttons((texts.BUTTON_YES, "yes"), (texts.BUTTON_NO, "no"))
        return render(lang, texts.HANDOVER_ASK_INTERPRETER), [yes_no]
    if step == "level":
        levels = [Button(level, f"{STEP_DATA}level:{level}") for level in DUTCH_LEVELS]
        rows = [levels, buttons((texts.BUTTON_DONT_KNOW, "unknown"))]
        return render(lang, texts.HANDOVER_ASK_LEVEL, name=name), rows
    if step == "civic":
        rows = _pairs(buttons(*((CIVIC_NAMES[c], c.value) for c in Civic)))
        return render(lang, texts.HANDOVER_ASK_CIVIC, name=name), rows
    if step == "next_date":
        return render(lang, texts.HANDOVER_ASK_NEXT_DATE), [buttons((texts.BUTTON_NO_DATE, "none"))]
    if step == "consent":
        reason = render(lang, REASON_NAMES[Reason(data["reason"])])
        text = render(lang, texts.HANDOVER_ASK_CONSENT, name=name, organisation=org, reason=reason)
        today_or_earlier = buttons(
            (texts.BUTTON_CONSENT_TODAY, "today"), (texts.BUTTON_CONSENT_EARLIER, "earlier")
        )
        return text, [today_or_earlier, buttons((texts.BUTTON_CONSENT_NO, "no"))]
    if step == "consent_date":
        return render(lang, texts.HANDOVER_ASK_CONSENT_DATE, name=name), []
    # school, plan_a, plan_b, attention, next_step: typed
    text = render(lang, _TYPED_QUESTIONS[step], name=name, max=TEXT_MAX[step])
    return text, [buttons((texts.BUTTON_NONE, "none"))] if step in OPTIONAL_TEXT else []


_TYPED_QUESTIONS = {
    "school": texts.HANDOVER_ASK_SCHOOL,
    "plan_a": texts.HANDOVER_ASK_PLAN_A,
    "plan_b": texts.HANDOVER_ASK_PLAN_B,
    "attention": texts.HANDOVER_ASK_ATTENTION,
    "next_step": texts.HANDOVER_ASK_NEXT_STEP,
}


def handover_of(draft: drafts.Draft, newcomer: newcomers.Newcomer) -> Handover:
    data = draft.data
    body = NoteBody(
        mother_tongue=data["mother"],
        contact_languages=tuple(data["spoken"]),
        interpreter_needed=data.get("interpreter", False),
        dutch_level=data.get("level"),
        school=data.get("school", ""),
        civic=Civic(data.get("civic", Civic.NOT_STARTED)),
        plan_a=data.get("plan_a", ""),
        plan_b=data.get("plan_b", ""),
        attention=data.get("attention", ""),
        next_step=data.get("next_step", ""),
        next_date=dt.date.fromisoformat(data["next_date"]) if data.get("next_date") else None,
    )
    return Handover(
        newcomer=newcomer,
        to_organisation_id=data["org"],
        to_staff_id=data.get("person"),
        reason=Reason(data["reason"]),
        body=body,
        agreed_on=dt.date.fromisoformat(data["agreed_on"]),
    )


async def confirm(
    update: Update, context: SchakelContext, draft: drafts.Draft, newcomer: newcomers.Newcomer
) -> None:
    """The whole note as the partner will read it, and the card as the group will see it."""
    staff, services = staff_of(context), context.services
    lang, tzinfo = staff.language, services.config.locale.tzinfo
    handover = handover_of(draft, newcomer)
    note = handovers.preview(
        staff, handover, draft.data["org_name"], draft.data.get("person_name"), services.clock()
    )
    shown = card(tzinfo)(note)
    text = "\n\n".join(
        [
            render(lang, texts.HANDOVER_CONFIRM, organisation=note.to_organisation),
            note_text(note, lang, tzinfo),
            render(lang, texts.HANDOVER_CARD_PREVIEW),
            shown.text,
        ]
    )
    buttons = [
        [
            _button(lang, texts.BUTTON_POST, "confirm", "post"),
            _button(lang, texts.BUTTON_STOP, "confirm", "stop"),
        ]
    ]
    await reply(update, context, text, buttons)


# --- answers: buttons --------------------------------------------------------------------


async def press_step(update: Update, context: SchakelContext) -> None:
    query = update.callback_query
    assert query is not None
    waiting = await draft_waiting_for(update, context, FORM, STEP_DATA)
    if waiting is None:
        return
    draft, step, value = waiting
    staff = staff_of(context)
    if value == "stop":
        await query.answer()
        await stop_form(update, context)
        return
    next_step = await _take_button(context, draft, step, value)
    if next_step is None:
        await query.answer(render(staff.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    if next_step == "posted":
        await post(update, context, draft)
    elif next_step == "no_consent":
        await no_consent(update, context, draft)
    else:
        await go_to(update, context, draft, next_step)


async def _take_button(
    context: SchakelContext, draft: drafts.Draft, step: str, value: str
) -> str | None:
    """Store a button's choice; the step to go to, or None for data no button of ours has."""
    services, data = context.services, draft.data
    following = _following(step)
    if step == "org":
        partner = next(
            (o for o in await all_organisations(services.store) if str(o.id) == value), None
        )
        if partner is None or partner.id == staff_of(context).organisation_id:
            return None
        data |= {"org": partner.id, "org_name": partner.short_name}
        data.pop("person", None)
        data.pop("person_name", None)
        if not await caseworkers_of(services.store, partner.id):
            return "reason"
    elif step == "person":
        if value != "any":
            people = await caseworkers_of(services.store, data["org"])
            person = next((p for p in people if str(p.id) == value), None)
            if person is None:
                return None
            data |= {"person": person.id, "person_name": person.name}
    elif step == "reason" and value in {r.value for r in Reason}:
        data["reason"] = value
    elif step == "mother" and value == "ok":
        pass
    elif step == "spoken":
        if value == "next":
            return following
        if parse_interpreter_language(value) is None:
            return None
        data["spoken"] = list(dict.fromkeys([*data["spoken"], value]))
        return "spoken"
    elif step == "interpreter" and value in ("yes", "no"):
        data["interpreter"] = value == "yes"
    elif step == "level" and (value in DUTCH_LEVELS or value == "unknown"):
        data["level"] = None if value == "unknown" else value
    elif step == "civic" and value in {c.value for c in Civic}:
        data["civic"] = value
    elif step in OPTIONAL_TEXT and value == "none":
        data[step] = ""
    elif step == "next_date" and value == "none":
        data["next_date"] = None
        return "consent"
    elif step == "consent" and value in ("today", "earlier", "no"):
        if value == "no":
            return "no_consent"
        if value == "earlier":
            return "consent_date"
        today = services.clock().astimezone(services.config.locale.tzinfo).date()
        data["agreed_on"] = today.isoformat()
        return "confirm"
    elif step == "confirm" and value == "post":
        return "posted"
    else:
        return None
    return following


def _following(step: str) -> str:
    after = {"next_date": "consent", "consent_date": "confirm", "confirm": "confirm"}
    return after.get(step) or ORDER[ORDER.index(step) + 1]


async def go_to(update: Update, context: SchakelContext, draft: drafts.Draft, step: str) -> None:
    services = context.services
    draft.step = step
    await drafts.save(services.store, services.clock, draft)
    await ask(update, context, draft)


# --- answers: typed --------------------------------------------------------------------


async def typed_answer(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    """Text while the form waits for a language, a level, a free text or a day."""
    staff, services = staff_of(context), context.services
    message = update.effective_message
    assert message is not None
    typed = " ".join((message.text or "").split())
    lang, step, data = staff.language, draft.step, draft.data
    if step == "org":
        wanted = typed.casefold()
        partner = next(
            (
                o
                for o in await all_organisations(services.store)
                if o.short_name.casefold() == wanted
            ),
            None,
        )
        next_step = await _take_button(context, draft, "org", str(partner.id)) if partner else None
        if next_step is None:
            await ask(update, context, draft)
            return
        await go_to(update, context, draft, next_step)
        return
    if step in ("mother", "spoken"):
        # Commas as typed in Latin, Arabic-script and Ethiopic keyboards.
        parts = [part.strip() for part in re.split(r"[,،፣;]", typed) if part.strip()]
        codes = [parse_interpreter_language(part) for part in parts]
        unknown = next((p for p, c in zip(parts, codes, strict=True) if c is None), None)
        if unknown is not None or not codes:
            await reply(
                update,
                context,
                render(lang, texts.UNKNOWN_INTERPRETER, typed=quoted(unknown or typed)),
            )
            return
        if step == "mother":
            data["mother"] = codes[0]
        else:
            data["spoken"] = list(dict.fromkeys([*data["spoken"], *[c for c in codes if c]]))
        await go_to(update, context, draft, "spoken")
        return
    if step == "level":
        level = parse_level(typed)
        if level is None:
            levels = ", ".join(DUTCH_LEVELS)
            await reply(
                update,
                context,
                render(lang, texts.UNKNOWN_LEVEL, level=quoted(typed), levels=levels),
            )
            return
        data["level"] = level
    elif step in TEXT_MAX:
        if len(typed) > TEXT_MAX[step]:
            await reply(update, context, render(lang, texts.PLAN_TOO_LONG_TEXT, max=TEXT_MAX[step]))
            return
        data[step] = await _redacted(update, context, typed)
    elif step in ("next_date", "consent_date"):
        today = services.clock().astimezone(services.config.locale.tzinfo).date()
        try:
            day = parse_day(typed, today, ahead=step == "next_date")
        except UnclearWhen as unclear:
            problem = render(lang, DAY_PROBLEMS[unclear.problem], typed=quoted(typed))
            await reply(update, context, problem + "\n" + render(lang, texts.DAY_FORMS))
            return
        data["next_date" if step == "next_date" else "agreed_on"] = day.isoformat()
    else:  # a step that wants a button
        await ask(update, context, draft)
        return
    await go_to(update, context, draft, _following(step))


async def _redacted(update: Update, context: SchakelContext, typed: str) -> str:
    """The typed text without what must not be shared; the author hears what went."""
    staff = staff_of(context)
    text, findings = handovers.redact(typed)
    if not findings:
        return text
    await reply(
        update,
        context,
        render(staff.language, texts.HANDOVER_REMOVED, kinds=removed_kinds(findings)),
    )
    message = update.effective_message
    if message is not None and any(f.kind is Kind.NATIONAL_NUMBER for f in findings):
        # Not even the author's own chat should keep a national register number.
        try:
            await message.delete()
        except TelegramError:
            return text
        await reply(update, context, render(staff.language, texts.HANDOVER_MESSAGE_DELETED))
    return text


# --- the end: post, or no consent ----------------------------------------------------


async def post(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    staff, services = staff_of(context), context.services
    lang = staff.language
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, draft.data["ref"])
    if newcomer is None:
        await drafts.drop(services.store, staff.id)
        await reply(
            update, context, render(lang, texts.NEWCOMER_NOT_FOUND, reference=draft.data["ref"])
        )
        return
    try:
        note = await handovers.post(
            services, staff, handover_of(draft, newcomer), card(services.config.locale.tzinfo)
        )
    except CannotPost as refused:
        # The draft stays: once the group is linked, ✅ posts it.
        problem = {
            PostProblem.NO_PARTNER_GROUP: texts.HANDOVER_NO_GROUP,
            PostProblem.OWN_ORGANISATION: texts.HANDOVER_OWN_ORGANISATION,
            PostProblem.CONSENT_IN_FUTURE: texts.DAY_FUTURE,
        }[refused.problem]
        await reply(update, context, render(lang, problem, typed=draft.data.get("agreed_on", "")))
        await ask(update, context, draft)
        return
    await drafts.drop(services.store, staff.id)
    await reply(
        update,
        context,
        render(
            lang, texts.HANDOVER_POSTED, reference=note.reference, organisation=note.to_organisation
        ),
    )


async def no_consent(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    staff, services = staff_of(context), context.services
    await drafts.drop(services.store, staff.id)
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, draft.data["ref"])
    name = newcomer.first_name if newcomer else draft.data["ref"]
    await reply(update, context, render(staff.language, texts.HANDOVER_NO_CONSENT, name=name))
