"""A coordinator announces an info session to newcomers: `/aankondiging`.

One question at a time (handlers/core/forms), buttons where a choice is enough: the kind
of session (known kinds have a fixed text in every language), title, when, where, the
session's language and interpreters, who gets it (everyone, one language, organisation,
label or caseworker; the count shown), the Dutch text with plain-language tips after
each version, texts in other languages (and who gets Dutch and English instead, by
name), when to send; then exactly what each language group will get, and send or change
one part. A scheduled announcement comes back here to be changed
(handlers/announcements/commands.py).
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot.announcements import form_rules as rules
from bot.announcements import records as announcements
from bot.announcements.audiences import (
    Audience,
    AudienceKind,
    languages_reached,
    recipients,
    tags_in_use,
)
from bot.announcements.form_rules import Stale, audience_of, plan_from
from bot.announcements.model import PLACE_MAX, TEXT_MAX, TITLE_MAX, Announcement, SessionKind
from bot.announcements.words import (
    SESSION_NAMES,
    dutch_part,
    group_preview,
    language_groups,
    plain_tips,
    preview,
    without_text_lines,
)
from bot.core.callbacks import ANNOUNCEMENT_STEP
from bot.core.clock import from_db, to_db
from bot.core.typed_text import TextProblem, one_line
from bot.people.interpreters import parse_interpreter_language
from bot.people.organisations import all_organisations
from bot.people.staff import Role, all_caseworkers
from bot.storage import drafts
from handlers.core import form_answers as answers
from handlers.core import forms
from handlers.core.access import gate, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.forms import (
    AskAgain,
    Finish,
    Go,
    Question,
    Retry,
    Step,
    Turn,
    chosen_into,
    pick,
    typed_into,
)
from handlers.core.replies import quoted, reply
from messages import language_names, render, texts, when
from messages.languages import SUPPORTED_LANGUAGES

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


def register(application: SchakelApp) -> None:
    coordinators = gate(Role.COORDINATOR)
    forms.serve(application, FORM, coordinators)
    application.add_handler(CommandHandler("aankondiging", coordinators(announce_command)))


async def announce_command(update: Update, context: SchakelContext) -> None:
    staff, services = staff_of(context), context.services
    if not await recipients(services.store, Audience()):
        await reply(update, context, render(staff.language, texts.ANNOUNCE_NOBODY))
        return
    await forms.start(update, context, FORM, {"interpreters": [], "texts": {}})


async def change(update: Update, context: SchakelContext, announcement: Announcement) -> None:
    """A scheduled announcement as a draft, to change and save again: its preview first."""
    await forms.start(update, context, FORM, answers_of(announcement), "confirm")


def answers_of(announcement: Announcement) -> dict[str, Any]:
    assert announcement.starts_at is not None
    return {
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


async def nothing(_: Turn) -> None:
    """An announcement is about no one person: nothing to look up before each question."""


def _preview_of(turn: Turn) -> Announcement:
    return Announcement.preview(plan_from(turn.data, turn.services.clock()), turn.staff)


# --- the session ----------------------------------------------------------------------------


async def ask_kind(turn: Turn, _: None) -> Question:
    kinds = [turn.button(SESSION_NAMES[k], k.value) for k in SessionKind]
    return Question(render(turn.language, texts.ANNOUNCE_ASK_KIND), forms.pairs(kinds))


async def take_kind(turn: Turn, value: str) -> Go | None:
    chosen = rules.chosen_kind(value)
    if chosen is None:
        return None
    turn.data.update(chosen)
    return Go()


async def ask_title(turn: Turn, _: None) -> Question:
    lang, kind = turn.language, SessionKind(turn.data["kind"])
    if kind is SessionKind.OTHER:
        return Question(render(lang, texts.ANNOUNCE_ASK_TITLE, max=TITLE_MAX))
    title = render(lang, SESSION_NAMES[kind])
    go_on = [turn.button(texts.BUTTON_NEXT, "next")]
    return Question(render(lang, texts.ANNOUNCE_ASK_TITLE_KIND, title=title), [go_on])


async def take_title(turn: Turn, value: str) -> Go | None:
    # The known kind's name, translated.
    return Go() if value == "next" and turn.data.get("title_from_kind") else None


async def typed_title(turn: Turn, typed: str) -> Go | Retry:
    title = answers.short_text(rules.typed_title, TITLE_MAX)(turn, typed)
    if isinstance(title, Retry):
        return title
    turn.data.update(title=title, title_from_kind=False)
    return Go()


async def ask_moment(turn: Turn, _: None) -> Question:
    lang = turn.language
    question = (
        texts.ANNOUNCE_ASK_WHEN if turn.draft.step == "starts" else texts.ANNOUNCE_ASK_SEND_AT
    )
    return Question(render(lang, question) + "\n" + render(lang, texts.WHEN_FORMS))


async def ask_place(turn: Turn, _: None) -> Question:
    return Question(render(turn.language, texts.ANNOUNCE_ASK_PLACE), answers.place_rows(turn))


async def ask_session_language(turn: Turn, _: None) -> Question:
    offer = [turn.choice(language_names([c])(turn.language), c) for c in COMMON_LANGUAGES]
    return Question(render(turn.language, texts.ANNOUNCE_ASK_SESSION_LANGUAGE), [offer])


async def ask_interpreters(turn: Turn, _: None) -> Question:
    lang, data = turn.language, turn.data
    chosen = data["interpreters"]
    shown = language_names(chosen) if chosen else render(lang, texts.NONE_YET)
    reached = await languages_reached(turn.services.store)
    codes = [c for c in reached if c not in chosen and c != data["session_language"]]
    rows = forms.pairs([turn.choice(language_names([c])(lang), c) for c in codes[:8]])
    go_on = [turn.button(texts.BUTTON_NEXT, "next")]
    return Question(render(lang, texts.ANNOUNCE_ASK_INTERPRETERS, chosen=shown), [*rows, go_on])


async def take_interpreter(turn: Turn, value: str) -> Go | None:
    if value == "next":
        return Go()
    if parse_interpreter_language(value) is None:
        return None
    return _add_interpreter(turn, value)


async def typed_interpreter(turn: Turn, typed: str) -> Go | Retry:
    code = answers.language(turn, typed)
    return code if isinstance(code, Retry) else _add_interpreter(turn, code)


def _add_interpreter(turn: Turn, code: str) -> Go:
    turn.data["interpreters"] = list(dict.fromkeys([*turn.data["interpreters"], code]))
    return Go("interpreters")


# --- who gets it ----------------------------------------------------------------------------


async def ask_audience(turn: Turn, _: None) -> Question:
    everyone = len(await recipients(turn.services.store, Audience()))
    kinds = [turn.button(AUDIENCE_BUTTONS[k], k.value) for k in AudienceKind]
    text = render(turn.language, texts.ANNOUNCE_ASK_AUDIENCE, count=everyone)
    return Question(text, forms.pairs(kinds))


async def take_audience(turn: Turn, value: str) -> Go | None:
    if value not in {k.value for k in AudienceKind}:
        return None
    turn.data["audience"] = {"kind": value, "value": ""}
    return Go() if value == AudienceKind.ALL.value else Go("audience_value")


async def ask_audience_value(turn: Turn, _: None) -> Question:
    lang, store = turn.language, turn.services.store
    kind = audience_of(turn.data).kind
    if kind is AudienceKind.LANGUAGE:
        reached = await languages_reached(store)
        buttons = [turn.choice(f"{language_names([c])(lang)} ({n})", c) for c, n in reached.items()]
        return Question(render(lang, texts.ANNOUNCE_ASK_AUDIENCE_LANGUAGE), forms.pairs(buttons))
    if kind is AudienceKind.ORGANISATION:
        buttons = [turn.choice(org.short_name, org.id) for org in await all_organisations(store)]
        text = render(lang, texts.ANNOUNCE_ASK_AUDIENCE_ORGANISATION)
        return Question(text, forms.pairs(buttons, 3))
    if kind is AudienceKind.TAG:
        tags = await tags_in_use(store)
        buttons = [turn.choice(f"{tag} ({n})", tag) for tag, n in tags.items()]
        return Question(render(lang, texts.ANNOUNCE_ASK_AUDIENCE_TAG), forms.pairs(buttons))
    people = await all_caseworkers(store)
    buttons = [turn.choice(f"{p.name} ({p.organisation})" if p.organisation else p.name, p.id)
               for p in people]  # fmt: skip
    return Question(render(lang, texts.ANNOUNCE_ASK_AUDIENCE_CASEWORKER), forms.pairs(buttons, 1))


async def take_audience_value(turn: Turn, value: str) -> Go | None:
    kind = audience_of(turn.data).kind
    if not await rules.audience_value_known(turn.services.store, kind, value):
        return None
    turn.data["audience"]["value"] = value
    return Go()


async def typed_tag(turn: Turn, typed: str) -> Go | Retry | AskAgain:
    """A label may be typed; any other group is chosen by its button."""
    if audience_of(turn.data).kind is not AudienceKind.TAG:
        return AskAgain()
    text = one_line(typed)
    tag = await rules.typed_tag(turn.services.store, text)
    if tag is None:
        return Retry(render(turn.language, texts.ANNOUNCE_UNKNOWN_TAG, typed=quoted(text)))
    turn.data["audience"]["value"] = tag
    return Go()


async def moving(turn: Turn, to: str) -> str:
    """Before the next question: a chosen group is counted (nobody in it: choose again);
    asking for a label when there are none says how labels are given."""
    leaving = turn.draft.step
    if leaving in ("audience", "audience_value") and to != "audience_value":
        count = len(await recipients(turn.services.store, audience_of(turn.data)))
        text = texts.ANNOUNCE_AUDIENCE_COUNT if count else texts.ANNOUNCE_AUDIENCE_EMPTY
        await turn.say(render(turn.language, text, count=count))
        if not count:
            to = "audience"
    wants_tag = to == "audience_value" and audience_of(turn.data).kind is AudienceKind.TAG
    if wants_tag and not await tags_in_use(turn.services.store):
        await turn.say(render(turn.language, texts.ANNOUNCE_NO_TAGS))
        to = "audience"
    return to


# --- what it says ---------------------------------------------------------------------------


async def ask_text(turn: Turn, _: None) -> Question:
    lang, data = turn.language, turn.data
    go_on = [turn.button(texts.BUTTON_NEXT, "next")]
    dutch = data["texts"].get("nl")
    if dutch is None:
        return Question(render(lang, texts.ANNOUNCE_ASK_TEXT, max=TEXT_MAX))
    if data.get("template"):
        return Question(render(lang, texts.ANNOUNCE_ASK_TEXT_TEMPLATE) + "\n\n" + dutch, [go_on])
    whole = dutch_part(_preview_of(turn), turn.services.config.locale.tzinfo)
    tips = plain_tips(lang, dutch, whole)
    if tips:
        found = "\n".join([render(lang, texts.ANNOUNCE_TIPS), *(f"• {tip}" for tip in tips)])
    else:
        found = render(lang, texts.ANNOUNCE_NO_TIPS)
    room = answers.room_left(lang, dutch, TEXT_MAX)
    asked = render(lang, texts.ANNOUNCE_TIPS_ASK)
    return Question("\n\n".join([f"{dutch}\n{room}", found, asked]), [go_on])


async def take_text(turn: Turn, value: str) -> Go | None:
    return Go() if value == "next" and "nl" in turn.data["texts"] else None


def _message(turn: Turn, typed: str) -> str | Retry:
    message = rules.typed_message(typed)
    if isinstance(message, TextProblem):
        length = len(typed.strip())
        return Retry(render(turn.language, texts.ANNOUNCE_TEXT_TOO_LONG, length=length,
                            max=TEXT_MAX))  # fmt: skip
    return message


async def typed_text(turn: Turn, typed: str) -> Go | Retry:
    dutch = _message(turn, typed)
    if isinstance(dutch, Retry):
        return dutch
    # Their own words: the fixed translations no longer say the same.
    turn.data.update(texts={"nl": dutch}, template=False)
    return Go("text")  # the tips, then Verder


async def ask_translations(turn: Turn, _: None) -> Question:
    lang, data = turn.language, turn.data
    people = await recipients(turn.services.store, audience_of(data))
    shown = without_text_lines(lang, _preview_of(turn), people)
    wanted = dict.fromkeys(["en", *(person.language for person in people)])
    missing = [code for code in wanted if code not in data["texts"]]
    add = [turn.choice(f"➕ {language_names([c])(lang)}", c) for c in missing]
    text = shown + "\n\n" + render(lang, texts.ANNOUNCE_ADD_LANGUAGE)
    return Question(text, [*forms.pairs(add), [turn.button(texts.BUTTON_NEXT, "next")]])


async def take_translation(turn: Turn, value: str) -> Go | None:
    if value == "next":
        return Go()
    if value not in SUPPORTED_LANGUAGES or value in turn.data["texts"]:
        return None
    turn.data["adding"] = value
    return Go("language_text")


async def ask_language_text(turn: Turn, _: None) -> Question:
    name = language_names([turn.data["adding"]])
    text = render(turn.language, texts.ANNOUNCE_ASK_LANGUAGE_TEXT, language=name, max=TEXT_MAX)
    return Question(text)


async def typed_language_text(turn: Turn, typed: str) -> Go | Retry:
    text = _message(turn, typed)
    if isinstance(text, Retry):
        return text
    turn.data["texts"][turn.data.pop("adding")] = text
    return Go("translations")


# --- when it goes ---------------------------------------------------------------------------


async def ask_send(turn: Turn, _: None) -> Question:
    now_later = [
        turn.button(texts.BUTTON_SEND_NOW, "now"),
        turn.button(texts.BUTTON_SEND_LATER, "later"),
    ]
    return Question(render(turn.language, texts.ANNOUNCE_ASK_SEND), [now_later])


async def take_send(turn: Turn, value: str) -> Go | None:
    if value == "later":
        return Go("send_at")
    if value != "now":
        return None
    turn.data["send_at"] = None
    return Go()


# --- the preview: send, change one part, or stop --------------------------------------------


STALE = {
    Stale.STARTED: "starts",
    Stale.SEND_AFTER_START: "send",
    Stale.NOBODY: "audience",
}


async def _stale(turn: Turn) -> Stale | None:
    """Time passes while a draft waits: say what no longer holds."""
    lang, data = turn.language, turn.data
    problem = await rules.stale(turn.services.store, data, turn.services.clock())
    if problem is Stale.STARTED:
        tzinfo = turn.services.config.locale.tzinfo
        local = from_db(data["starts_at"]).astimezone(tzinfo).strftime("%d/%m/%Y %H:%M")
        await turn.say(render(lang, texts.WHEN_PAST, typed=local))
    elif problem is Stale.SEND_AFTER_START:
        await turn.say(render(lang, texts.ANNOUNCE_SEND_AFTER_START))
    elif problem is Stale.NOBODY:
        await turn.say(render(lang, texts.ANNOUNCE_AUDIENCE_EMPTY))
    return problem


async def ask_confirm(turn: Turn, _: None) -> Question | Go:
    """One message: the Dutch, the language groups and who gets which text, a button per
    language to see what that group gets; then send, change or stop."""
    services, lang = turn.services, turn.language
    tzinfo = services.config.locale.tzinfo
    problem = await _stale(turn)
    if problem is not None:
        return Go(STALE[problem])
    announcement = _preview_of(turn)
    people = await recipients(services.store, announcement.audience)
    if turn.data.get("send_at"):
        moment = when(announcement.send_at, tzinfo)
        question = render(lang, texts.ANNOUNCE_CONFIRM_LATER, when=moment, count=len(people))
    else:
        question = render(lang, texts.ANNOUNCE_CONFIRM_NOW, count=len(people))
    text = "\n\n".join(
        [preview(lang, announcement, people, tzinfo), render(lang, texts.ANNOUNCE_SEE_LANGUAGE),
         question]
    )  # fmt: skip
    see = [
        turn.button(texts.BUTTON_SEE_LANGUAGE, f"{SEE}{code}", language=language_names([code]))
        for code, _ in language_groups(people)
    ]
    rows = forms.preview_rows(turn, (texts.BUTTON_SEND, "send"), change=True)
    return Question(text, [*forms.pairs(see, per_row=3), *rows])


SEE = "see-"  # a preview button's value: "see-ar" shows what the Arabic readers get


async def take_confirm(turn: Turn, value: str) -> Go | Finish | forms.Stay | None:
    if value == "send":
        return Finish(save)
    if value.startswith(SEE):
        return await _see(turn, value.removeprefix(SEE))
    return Go("change") if value == "change" else None


async def _see(turn: Turn, code: str) -> forms.Stay | None:
    """What one language group gets; the preview and its buttons stay where they are."""
    announcement = _preview_of(turn)
    people = await recipients(turn.services.store, announcement.audience)
    count = dict(language_groups(people)).get(code)
    if count is None:
        return None  # no such group (any more): "this button no longer works"
    tzinfo = turn.services.config.locale.tzinfo
    shown = group_preview(turn.language, announcement, code, count, tzinfo)
    return forms.Stay(lambda turn: turn.say(shown))


async def ask_change(turn: Turn, _: None) -> Question:
    changes = [turn.button(label, part) for part, label in CHANGES.items()]
    return Question(render(turn.language, texts.ANNOUNCE_ASK_CHANGE), forms.pairs(changes))


async def take_change(turn: Turn, value: str) -> Go | None:
    if value not in CHANGES:
        return None
    turn.data["review"] = True  # the end of that part leads back to the preview
    return Go(value)


async def save(turn: Turn) -> None:
    staff, services, lang = turn.staff, turn.services, turn.language
    tzinfo = services.config.locale.tzinfo
    if await _stale(turn) is not None:
        await forms.ask(turn)  # the preview, which sends the form where it must change
        return
    plan = plan_from(turn.data, services.clock())
    editing = turn.data.get("editing")
    if editing is not None:
        if not await announcements.change(services, editing, plan, staff):
            await drafts.drop(services.store, staff.id)
            await turn.say(render(lang, texts.ANNOUNCE_ALREADY_GONE, code=f"A{editing}"))
            return
        code, done = f"A{editing}", texts.ANNOUNCE_CHANGED
    else:
        announcement = await announcements.schedule(services, staff, plan)
        code, done = announcement.code, texts.ANNOUNCE_SCHEDULED
    await drafts.drop(services.store, staff.id)
    if turn.data.get("send_at"):
        await turn.say(render(lang, done, code=code, when=when(plan.send_at, tzinfo)))
    else:
        await turn.say(render(lang, texts.ANNOUNCE_SENDING, code=code))
    delay = (plan.send_at - services.clock()).total_seconds()
    services.announcement_alarm.set(max(0.0, delay))


ASIDE = forms.only_when_sent_for
# `ends_part`: in a change of one part (from the preview), the step that ends that part.
STEPS = (
    Step("kind", ask_kind, press=take_kind),
    Step("title", ask_title, press=take_title, typed=typed_title, ends_part=True),
    Step("starts", ask_moment, typed=typed_into("starts_at", answers.moment), ends_part=True),
    Step("place", ask_place, press=chosen_into("place", answers.place_chosen),
         typed=typed_into("place", answers.short_text(rules.typed_place, PLACE_MAX)),
         ends_part=True),
    Step("session_language", ask_session_language,
         press=pick("session_language", {code: code for code in COMMON_LANGUAGES}),
         typed=typed_into("session_language", answers.language)),
    Step("interpreters", ask_interpreters, press=take_interpreter, typed=typed_interpreter,
         ends_part=True),
    Step("audience", ask_audience, press=take_audience, ends_part=True),
    Step("audience_value", ask_audience_value, press=take_audience_value, typed=typed_tag,
         skip=lambda data: audience_of(data).kind is AudienceKind.ALL, ends_part=True),
    Step("text", ask_text, press=take_text, typed=typed_text),
    Step("translations", ask_translations, press=take_translation, ends_part=True),
    Step("language_text", ask_language_text, typed=typed_language_text, skip=ASIDE),
    Step("send", ask_send, press=take_send, ends_part=True),
    Step("send_at", ask_moment, typed=typed_into("send_at", answers.moment), skip=ASIDE,
         ends_part=True),
    Step("confirm", ask_confirm, press=take_confirm, stop_row=False),
    Step("change", ask_change, press=take_change, skip=ASIDE),
)  # fmt: skip
FORM = forms.Form[None](
    name="announcement",
    callback=ANNOUNCEMENT_STEP,
    steps=STEPS,
    subject=nothing,
    moving=moving,
)
