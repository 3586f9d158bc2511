"""A coordinator announces an info session to newcomers: `/aankondiging`.

One question at a time, buttons where a choice is enough: the kind of session (known
kinds have a fixed text in every language), title, when, where, the session's language
and interpreters, who gets it (everyone, one language, organisation, label or
caseworker; the count shown), the Dutch text with plain-language tips after each
version, texts in other languages (and who gets Dutch and English instead, by name),
when to send; then exactly what each language group will get, and send or change.
A scheduled announcement comes back here to be changed (handlers/announcements.py).
The draft lives in the database (bot/drafts), so a restart loses nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.announcements import records as announcements
from bot.announcements.audiences import (
    Audience,
    AudienceKind,
    BadTag,
    clean_tag,
    languages_reached,
    recipients,
    tags_in_use,
)
from bot.announcements.records import (
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Announcement,
    Plan,
    SessionKind,
)
from bot.announcements.words import (
    SESSION_NAMES,
    TEMPLATES,
    dutch_part,
    plain_tips,
    preview,
    template_texts,
    without_text_lines,
)
from bot.core.clock import from_db, to_db
from bot.core.typed_dates import UnclearWhen, parse_when
from bot.people.interpreters import parse_interpreter_language
from bot.people.organisations import all_organisations
from bot.people.staff import Role, StaffMember, all_caseworkers
from bot.sending.outbox import Button
from bot.storage import drafts
from handlers.core.access import gate, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.forms import WHEN_PROBLEMS, answers_typed_by, draft_waiting_for, stop_form
from handlers.core.replies import quoted, reply
from messages import language_names, render, texts, when
from messages.languages import SUPPORTED_LANGUAGES

FORM = "announcement"
STEP_DATA = "v1:af:"  # v1:af:<step>:<value>
COMMON_LANGUAGES = ("nl", "en", "fr")
AUDIENCE_BUTTONS = {
    AudienceKind.ALL: texts.BUTTON_AUDIENCE_ALL,
    AudienceKind.LANGUAGE: texts.BUTTON_AUDIENCE_LANGUAGE,
    AudienceKind.ORGANISATION: texts.BUTTON_AUDIENCE_ORGANISATION,
    AudienceKind.TAG: texts.BUTTON_AUDIENCE_TAG,
    AudienceKind.CASEWORKER: texts.BUTTON_AUDIENCE_CASEWORKER,
}
# What ✏️ Wijzigen offers, and the step each choice opens.
CHANGES = {
    "title": texts.CHANGE_TITLE,
    "starts": texts.CHANGE_WHEN,
    "place": texts.CHANGE_PLACE,
    "session_language": texts.CHANGE_LANGUAGES,
    "audience": texts.CHANGE_AUDIENCE,
    "text": texts.CHANGE_TEXT,
    "send": texts.CHANGE_SEND,
}
# The step after each; in a change (data["review"]) the last step of a part goes back
# to the preview instead.
NEXT_STEP = {"kind": "title", "title": "starts", "starts": "place", "place": "session_language",
             "session_language": "interpreters", "interpreters": "audience",
             "audience": "text", "audience_value": "text", "text": "translations",
             "language_text": "translations", "translations": "send", "send": "confirm",
             "send_at": "confirm"}  # fmt: skip
ENDS_A_PART = {"title", "starts", "place", "interpreters", "audience", "audience_value",
               "translations", "send", "send_at"}  # fmt: skip


def register(application: SchakelApp) -> None:
    answers_typed_by(FORM, typed_answer)
    coordinators = gate(Role.COORDINATOR)
    application.add_handler(CommandHandler("aankondiging", coordinators(announce_command)))
    application.add_handler(CallbackQueryHandler(coordinators(press_step), pattern=f"^{STEP_DATA}"))


async def announce_command(update: Update, context: SchakelContext) -> None:
    staff, services = staff_of(context), context.services
    if not await recipients(services.store, Audience()):
        await reply(update, context, render(staff.language, texts.ANNOUNCE_NOBODY))
        return
    draft = drafts.Draft(staff.id, FORM, "kind", {"interpreters": [], "texts": {}})
    await drafts.save(services.store, services.clock, draft)
    await ask(update, context, draft)


def change_draft(staff: StaffMember, announcement: Announcement) -> drafts.Draft:
    """A scheduled announcement as a draft, to change and save again."""
    assert announcement.starts_at is not None
    data: dict[str, Any] = {
        "editing": announcement.id,
        "review": True,
        "kind": announcement.session_kind.value,
        "title": announcement.title,
        "title_from_kind": announcement.title_from_kind,
        "starts_at": to_db(announcement.starts_at),
        "place": announcement.place,
        "session_language": announcement.session_language,
        "interpreters": list(announcement.interpreter_languages),
        "audience": announcement.audience.model_dump(mode="json"),
        "texts": dict(announcement.texts),
        "send_at": to_db(announcement.send_at),
    }
    return drafts.Draft(staff.id, FORM, "confirm", data)


# --- the draft as a plan ------------------------------------------------------------------


def _audience(data: dict[str, Any]) -> Audience:
    return Audience.model_validate(data.get("audience") or {})


def plan_of(draft: drafts.Draft, now: dt.datetime) -> Plan:
    data = draft.data
    return Plan(
        title=data["title"],
        starts_at=from_db(data["starts_at"]),
        place=data["place"],
        audience=_audience(data),
        texts=data["texts"],
        send_at=from_db(data["send_at"]) if data.get("send_at") else now,
        session_language=data["session_language"],
        interpreter_languages=tuple(data["interpreters"]),
        session_kind=SessionKind(data["kind"]),
        title_from_kind=data["title_from_kind"],
    )


def _preview_of(context: SchakelContext, draft: drafts.Draft) -> Announcement:
    services = context.services
    return Announcement.preview(plan_of(draft, services.clock()), staff_of(context))


# --- asking -------------------------------------------------------------------------------


def _button(language: str, text: str, step: str, value: str, **values: object) -> Button:
    return Button(render(language, text, **values), f"{STEP_DATA}{step}:{value}")


def _rows(buttons: list[Button], per_row: int = 2) -> list[list[Button]]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


async def ask(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    lang = staff_of(context).language
    if draft.step == "confirm":
        await confirm(update, context, draft)
        return
    text, rows = await _question(context, draft)
    rows.append([_button(lang, texts.BUTTON_STOP, draft.step, "stop")])
    await reply(update, context, text, rows)


async def _question(context: SchakelContext, draft: drafts.Draft) -> tuple[str, list[list[Button]]]:
    """What each step asks, with its buttons."""
    staff, services = staff_of(context), context.services
    lang, step, data = staff.language, draft.step, draft.data
    store = services.store
    go_on = [_button(lang, texts.BUTTON_NEXT, step, "next")]
    if step == "kind":
        kinds = [_button(lang, SESSION_NAMES[k], step, k.value) for k in SessionKind]
        return render(lang, texts.ANNOUNCE_ASK_KIND), _rows(kinds)
    if step == "title":
        kind = SessionKind(data["kind"])
        if kind is SessionKind.OTHER:
            return render(lang, texts.ANNOUNCE_ASK_TITLE, max=TITLE_MAX), []
        title = render(lang, SESSION_NAMES[kind])
        return render(lang, texts.ANNOUNCE_ASK_TITLE_KIND, title=title), [go_on]
    if step in ("starts", "send_at"):
        question = texts.ANNOUNCE_ASK_WHEN if step == "starts" else texts.ANNOUNCE_ASK_SEND_AT
        return render(lang, question) + "\n" + render(lang, texts.WHEN_FORMS), []
    if step == "place":
        rows = [
            [Button(f"{org.short_name}: {org.address}", f"{STEP_DATA}place:{org.short_name}")]
            for org in services.config.organisations
            if org.address
        ]
        return render(lang, texts.ANNOUNCE_ASK_PLACE), rows
    if step == "session_language":
        offer = [
            Button(language_names([c])(lang), f"{STEP_DATA}{step}:{c}") for c in COMMON_LANGUAGES
        ]
        return render(lang, texts.ANNOUNCE_ASK_SESSION_LANGUAGE), [offer]
    if step == "interpreters":
        chosen = data["interpreters"]
        shown = language_names(chosen) if chosen else render(lang, texts.NONE_YET)
        reached = await languages_reached(store)
        codes = [c for c in reached if c not in chosen and c != data["session_language"]]
        rows = _rows(
            [Button(language_names([c])(lang), f"{STEP_DATA}{step}:{c}") for c in codes[:8]]
        )
        return render(lang, texts.ANNOUNCE_ASK_INTERPRETERS, chosen=shown), [*rows, go_on]
    if step == "audience":
        everyone = len(await recipients(store, Audience()))
        kinds = [_button(lang, AUDIENCE_BUTTONS[k], step, k.value) for k in AudienceKind]
        return render(lang, texts.ANNOUNCE_ASK_AUDIENCE, count=everyone), _rows(kinds)
    if step == "audience_value":
        return await _audience_question(context, draft)
    if step == "text":
        return _text_question(context, draft)
    if step == "translations":
        return await _translations_question(context, draft)
    if step == "language_text":
        name = language_names([data["adding"]])
        return render(lang, texts.ANNOUNCE_ASK_LANGUAGE_TEXT, language=name, max=TEXT_MAX), []
    if step == "change":
        changes = [_button(lang, label, step, part) for part, label in CHANGES.items()]
        return render(lang, texts.ANNOUNCE_ASK_CHANGE), _rows(changes)
    # send
    now_later = [
        _button(lang, texts.BUTTON_SEND_NOW, step, "now"),
        _button(lang, texts.BUTTON_SEND_LATER, step, "later"),
    ]
    return render(lang, texts.ANNOUNCE_ASK_SEND), [now_later]


async def _audience_question(
    context: SchakelContext, draft: drafts.Draft
) -> tuple[str, list[list[Button]]]:
    lang, store = staff_of(context).language, context.services.store
    kind = AudienceKind(draft.data["audience"]["kind"])

    def choice(text: str, value: object) -> Button:
        return Button(text, f"{STEP_DATA}audience_value:{value}")

    if kind is AudienceKind.LANGUAGE:
        reached = await languages_reached(store)
        buttons = [choice(f"{language_names([c])(lang)} ({n})", c) for c, n in reached.items()]
        return render(lang, texts.ANNOUNCE_ASK_AUDIENCE_LANGUAGE), _rows(buttons)
    if kind is AudienceKind.ORGANISATION:
        buttons = [choice(org.short_name, org.id) for org in await all_organisations(store)]
        return render(lang, texts.ANNOUNCE_ASK_AUDIENCE_ORGANISATION), _rows(buttons, 3)
    if kind is AudienceKind.TAG:
        tags = await tags_in_use(store)
        buttons = [choice(f"{tag} ({n})", tag) for tag, n in tags.items()]
        return render(lang, texts.ANNOUNCE_ASK_AUDIENCE_TAG), _rows(buttons)
    people = await all_caseworkers(store)
    buttons = [choice(f"{p.name} ({p.organisation})" if p.organisation else p.name, p.id)
               for p in people]  # fmt: skip
    return render(lang, texts.ANNOUNCE_ASK_AUDIENCE_CASEWORKER), _rows(buttons, 1)


def _text_question(context: SchakelContext, draft: drafts.Draft) -> tuple[str, list[list[Button]]]:
    lang, data = staff_of(context).language, draft.data
    go_on = [_button(lang, texts.BUTTON_NEXT, "text", "next")]
    dutch = data["texts"].get("nl")
    if dutch is None:
        return render(lang, texts.ANNOUNCE_ASK_TEXT, max=TEXT_MAX), []
    if data.get("template"):
        return render(lang, texts.ANNOUNCE_ASK_TEXT_TEMPLATE) + "\n\n" + dutch, [go_on]
    whole = dutch_part(_preview_of(context, draft), context.services.config.locale.tzinfo)
    tips = plain_tips(lang, dutch, whole)
    if tips:
        found = "\n".join([render(lang, texts.ANNOUNCE_TIPS), *(f"• {tip}" for tip in tips)])
    else:
        found = render(lang, texts.ANNOUNCE_NO_TIPS)
    return "\n\n".join([dutch, found, render(lang, texts.ANNOUNCE_TIPS_ASK)]), [go_on]


async def _translations_question(
    context: SchakelContext, draft: drafts.Draft
) -> tuple[str, list[list[Button]]]:
    lang, data = staff_of(context).language, draft.data
    people = await recipients(context.services.store, _audience(data))
    shown = without_text_lines(lang, _preview_of(context, draft), people)
    wanted = dict.fromkeys(["en", *(person.language for person in people)])
    missing = [code for code in wanted if code not in data["texts"]]
    add = [
        Button(f"➕ {language_names([c])(lang)}", f"{STEP_DATA}translations:{c}") for c in missing
    ]
    text = shown + "\n\n" + render(lang, texts.ANNOUNCE_ADD_LANGUAGE)
    return text, [*_rows(add), [_button(lang, texts.BUTTON_NEXT, "translations", "next")]]


async def confirm(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    """Exactly what each language group will get; then send, change or stop."""
    staff, services = staff_of(context), context.services
    lang, tzinfo = staff.language, services.config.locale.tzinfo
    problem_step = await _problem(update, context, draft)
    if problem_step is not None:
        draft.step = problem_step
        await drafts.save(services.store, services.clock, draft)
        await ask(update, context, draft)
        return
    announcement = _preview_of(context, draft)
    people = await recipients(services.store, announcement.audience)
    for shown in preview(lang, announcement, people, tzinfo):
        await reply(update, context, shown)
    await reply(update, context, without_text_lines(lang, announcement, people))
    if draft.data.get("send_at"):
        moment = when(announcement.send_at, tzinfo)
        question = render(lang, texts.ANNOUNCE_CONFIRM_LATER, when=moment, count=len(people))
    else:
        question = render(lang, texts.ANNOUNCE_CONFIRM_NOW, count=len(people))
    buttons = [
        [
            _button(lang, texts.BUTTON_SEND, "confirm", "send"),
            _button(lang, texts.BUTTON_CHANGE, "confirm", "change"),
        ],
        [_button(lang, texts.BUTTON_STOP, "confirm", "stop")],
    ]
    await reply(update, context, question, buttons)


async def _problem(update: Update, context: SchakelContext, draft: drafts.Draft) -> str | None:
    """Time passes while a draft waits: say what no longer holds; the step to ask again."""
    staff, services = staff_of(context), context.services
    lang, data, now = staff.language, draft.data, services.clock()
    starts = from_db(data["starts_at"])
    send_at = from_db(data["send_at"]) if data.get("send_at") else now
    if starts <= now:
        local = starts.astimezone(services.config.locale.tzinfo).strftime("%d/%m/%Y %H:%M")
        await reply(update, context, render(lang, texts.WHEN_PAST, typed=local))
        return "starts"
    if send_at >= starts:
        await reply(update, context, render(lang, texts.ANNOUNCE_SEND_AFTER_START))
        return "send"
    if not await recipients(services.store, _audience(data)):
        await reply(update, context, render(lang, texts.ANNOUNCE_AUDIENCE_EMPTY))
        return "audience"
    return None


# --- answers: buttons and typed text ------------------------------------------------------


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
    if step == "confirm" and value == "send":
        await query.answer()
        await save(update, context, draft)
        return
    following = await _take_button(context, draft, step, value)
    if following is None:
        await query.answer(render(staff.language, texts.BUTTON_TOO_OLD), show_alert=True)
        return
    await query.answer()
    await go_to(update, context, draft, following)


def _after(draft: drafts.Draft, step: str) -> str:
    """The step after `step`: in a change, back to the preview once its part is done."""
    if draft.data.get("review") and step in ENDS_A_PART:
        return "confirm"
    return NEXT_STEP[step]


async def _take_button(
    context: SchakelContext, draft: drafts.Draft, step: str, value: str
) -> str | None:
    """Store a button's choice; the step to go to, or None for data no button of ours has."""
    data = draft.data
    if step == "kind" and value in {k.value for k in SessionKind}:
        kind = SessionKind(value)
        data["kind"] = value
        data["title_from_kind"] = kind is not SessionKind.OTHER
        data["title"] = render("nl", SESSION_NAMES[kind]) if kind in TEMPLATES else ""
        if kind in TEMPLATES:
            data["texts"], data["template"] = template_texts(kind), True
    elif step == "title" and value == "next" and data.get("title_from_kind"):
        pass  # the known kind's name, translated
    elif step == "text" and value == "next" and "nl" in data["texts"]:
        pass
    elif step == "place":
        config = context.services.config
        org = next((o for o in config.organisations if o.short_name == value and o.address), None)
        if org is None:
            return None
        data["place"] = f"{org.short_name}, {org.address}"
    elif step == "session_language" and value in COMMON_LANGUAGES:
        data["session_language"] = value
    elif step == "interpreters":
        if value != "next":
            if parse_interpreter_language(value) is None:
                return None
            data["interpreters"] = list(dict.fromkeys([*data["interpreters"], value]))
            return "interpreters"
    elif step == "audience" and value in {k.value for k in AudienceKind}:
        data["audience"] = {"kind": value, "value": ""}
        if value != AudienceKind.ALL.value:
            return "audience_value"
    elif step == "audience_value":
        if not await _valid_audience_value(context, draft, value):
            return None
        data["audience"]["value"] = value
    elif step == "translations":
        if value != "next":
            if value not in SUPPORTED_LANGUAGES or value in data["texts"]:
                return None
            data["adding"] = value
            return "language_text"
    elif step == "send" and value in ("now", "later"):
        if value == "later":
            return "send_at"
        data["send_at"] = None
    elif step == "confirm" and value == "change":
        return "change"
    elif step == "change" and value in CHANGES:
        data["review"] = True
        return value
    else:
        return None
    return _after(draft, step)


async def _valid_audience_value(context: SchakelContext, draft: drafts.Draft, value: str) -> bool:
    store = context.services.store
    kind = AudienceKind(draft.data["audience"]["kind"])
    if kind is AudienceKind.LANGUAGE:
        return value in SUPPORTED_LANGUAGES
    if kind is AudienceKind.ORGANISATION:
        return any(str(org.id) == value for org in await all_organisations(store))
    if kind is AudienceKind.TAG:
        return value in await tags_in_use(store)
    return any(str(person.id) == value for person in await all_caseworkers(store))


async def go_to(update: Update, context: SchakelContext, draft: drafts.Draft, step: str) -> None:
    """Save the draft at `step` and ask it. A chosen group is counted first (nobody in it:
    choose again); asking for a label when there are none says how labels are given."""
    services = context.services
    lang = staff_of(context).language
    group_chosen = draft.step in ("audience", "audience_value") and step != "audience_value"
    if group_chosen and not await _tell_count(update, context, draft):
        step = "audience"
    wants_tag = step == "audience_value" and _audience(draft.data).kind is AudienceKind.TAG
    if wants_tag and not await tags_in_use(services.store):
        await reply(update, context, render(lang, texts.ANNOUNCE_NO_TAGS))
        step = "audience"
    draft.step = step
    await drafts.save(services.store, services.clock, draft)
    await ask(update, context, draft)


async def _tell_count(update: Update, context: SchakelContext, draft: drafts.Draft) -> bool:
    """The number the chosen group reaches; False (and said so) when it is nobody."""
    lang = staff_of(context).language
    count = len(await recipients(context.services.store, _audience(draft.data)))
    text = texts.ANNOUNCE_AUDIENCE_COUNT if count else texts.ANNOUNCE_AUDIENCE_EMPTY
    await reply(update, context, render(lang, text, count=count))
    return count > 0


async def typed_answer(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    """Text while the form waits for a title, a moment, an address, a language or a text."""
    staff = staff_of(context)
    message = update.effective_message
    assert message is not None
    raw = (message.text or "").strip()
    text = " ".join(raw.split())
    lang, data, step = staff.language, draft.data, draft.step
    if step in ("title", "place"):
        limit = TITLE_MAX if step == "title" else PLACE_MAX
        if len(text) > limit or not text:
            await reply(update, context, render(lang, texts.PLAN_TOO_LONG_TEXT, max=limit))
            return
        data[step] = text
        if step == "title":
            data["title_from_kind"] = False
    elif step in ("starts", "send_at"):
        moment = await _moment(update, context, text)
        if moment is None:
            return
        data["starts_at" if step == "starts" else "send_at"] = to_db(moment.astimezone(dt.UTC))
    elif step in ("session_language", "interpreters"):
        code = parse_interpreter_language(text)
        if code is None:
            await reply(
                update, context, render(lang, texts.UNKNOWN_INTERPRETER, typed=quoted(text))
            )
            return
        if step == "interpreters":
            data["interpreters"] = list(dict.fromkeys([*data["interpreters"], code]))
            await go_to(update, context, draft, "interpreters")
            return
        data["session_language"] = code
    elif step == "audience_value" and _audience(data).kind is AudienceKind.TAG:
        tag = await _typed_tag(update, context, text)
        if tag is None:
            return
        data["audience"]["value"] = tag
    elif step in ("text", "language_text"):
        # Line breaks are kept: a coordinator may write a list of what to bring.
        if len(raw) > TEXT_MAX or not raw:
            too_long = render(lang, texts.ANNOUNCE_TEXT_TOO_LONG, length=len(raw), max=TEXT_MAX)
            await reply(update, context, too_long)
            return
        if step == "text":
            # Their own words: the fixed translations no longer say the same.
            data["texts"], data["template"] = {"nl": raw}, False
            await go_to(update, context, draft, "text")  # the tips, then Verder
            return
        data["texts"][data.pop("adding")] = raw
    else:  # a step that wants a button
        await ask(update, context, draft)
        return
    await go_to(update, context, draft, _after(draft, step))


async def _moment(update: Update, context: SchakelContext, text: str) -> dt.datetime | None:
    services = context.services
    lang = staff_of(context).language
    try:
        return parse_when(text, services.clock(), services.config.locale.tzinfo)
    except UnclearWhen as unclear:
        problem = render(lang, WHEN_PROBLEMS[unclear.problem], typed=quoted(text))
        await reply(update, context, problem + "\n" + render(lang, texts.WHEN_FORMS))
        return None


async def _typed_tag(update: Update, context: SchakelContext, text: str) -> str | None:
    lang = staff_of(context).language
    try:
        tag = clean_tag(text)
    except BadTag:
        tag = ""
    if tag not in await tags_in_use(context.services.store):
        await reply(update, context, render(lang, texts.ANNOUNCE_UNKNOWN_TAG, typed=quoted(text)))
        return None
    return tag


# --- the end: send or schedule ------------------------------------------------------------


async def save(update: Update, context: SchakelContext, draft: drafts.Draft) -> None:
    staff, services = staff_of(context), context.services
    lang, tzinfo = staff.language, services.config.locale.tzinfo
    if await _problem(update, context, draft) is not None:
        await confirm(update, context, draft)
        return
    plan = plan_of(draft, services.clock())
    editing = draft.data.get("editing")
    if editing is not None:
        if not await announcements.change(services, editing, plan, staff):
            await drafts.drop(services.store, staff.id)
            await reply(
                update, context, render(lang, texts.ANNOUNCE_ALREADY_GONE, code=f"A{editing}")
            )
            return
        code, done = f"A{editing}", texts.ANNOUNCE_CHANGED
    else:
        announcement = await announcements.schedule(services, staff, plan)
        code, done = announcement.code, texts.ANNOUNCE_SCHEDULED
    await drafts.drop(services.store, staff.id)
    if draft.data.get("send_at"):
        await reply(update, context, render(lang, done, code=code, when=when(plan.send_at, tzinfo)))
    else:
        await reply(update, context, render(lang, texts.ANNOUNCE_SENDING, code=code))
    delay = (plan.send_at - services.clock()).total_seconds()
    services.announcement_alarm.set(max(0.0, delay))
