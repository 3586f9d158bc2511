"""A caseworker writes a warm handover note by chat: `/overdracht CODE` or 🤝 on the
newcomer's sheet.

One question at a time (handlers/core/forms), buttons where a choice is enough: to which
organisation (and person), why, languages, interpreter, Dutch level and school, civic
orientation, plan A and B, points of attention, next step and its day; then the
newcomer's consent for that organisation and purpose, and the note and card exactly as
they will go. Free text is redacted as it is typed (only the redacted text is kept in
the draft) and the author is told what was taken out. Nothing is posted without ✅.
"""

from __future__ import annotations

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.core.callbacks import HANDOVER_STEP
from bot.core.redaction import Kind
from bot.core.typed_text import TextProblem, one_line
from bot.handovers import form_rules as rules
from bot.handovers import notes as handovers
from bot.handovers.form_rules import OPTIONAL_TEXT, UnknownLanguage, handover_from
from bot.handovers.model import TEXT_MAX, Civic, Reason
from bot.handovers.notes import CannotPost, PostProblem
from bot.handovers.words import CIVIC_NAMES, REASON_NAMES, card, note_text, removed_kinds
from bot.people import newcomers
from bot.people.interpreters import parse_interpreter_language
from bot.people.newcomers import DUTCH_LEVELS, parse_level
from bot.people.organisations import Organisation, all_organisations
from bot.people.staff import Role, caseworkers_of
from bot.storage import drafts
from handlers.core import form_answers as answers
from handlers.core import forms
from handlers.core.access import gate, staff_of
from handlers.core.context import SchakelApp, SchakelContext
from handlers.core.forms import (
    AskAgain,
    Finish,
    FormEnds,
    Go,
    Question,
    Retry,
    Step,
    Turn,
    pick,
    typed_into,
)
from handlers.core.replies import quoted, reply
from handlers.people.lookup import newcomer_named_in_command
from messages import language_names, render, texts

COMMON_LANGUAGES = ("nl", "en", "fr")


def register(application: SchakelApp) -> None:
    caseworkers = gate(Role.CASEWORKER)
    forms.serve(application, FORM, caseworkers)
    application.add_handler(CommandHandler("overdracht", caseworkers(handover_command)))


async def handover_command(update: Update, context: SchakelContext) -> None:
    """/overdracht CODE"""
    newcomer = await newcomer_named_in_command(update, context, texts.HANDOVER_USAGE)
    if newcomer is not None:
        await open_form(update, context, newcomer)


async def open_form(update: Update, context: SchakelContext, newcomer: newcomers.Newcomer) -> None:
    staff = staff_of(context)
    if staff.role is not Role.CASEWORKER or staff.organisation_id is None:
        await reply(update, context, render(staff.language, texts.HANDOVER_NO_ORGANISATION))
        return
    data = {"ref": newcomer.reference, "spoken": [], "mother": newcomer.language}
    if newcomer.dutch_level:
        data["level"] = newcomer.dutch_level
    await forms.start(update, context, FORM, data)


async def newcomer_of(turn: Turn) -> newcomers.Newcomer:
    """The newcomer the note is about, if this caseworker still sees them."""
    reference = turn.data["ref"]
    newcomer = await newcomers.newcomer_for_staff(turn.services.store, turn.staff, reference)
    if newcomer is None:  # forgotten, or no longer theirs
        raise FormEnds(render(turn.language, texts.NEWCOMER_NOT_FOUND, reference=reference))
    return newcomer


# --- to whom, and why -----------------------------------------------------------------------


async def ask_org(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    organisations = await all_organisations(turn.services.store)
    own = turn.staff.organisation_id
    partners = [turn.choice(o.short_name, o.id) for o in organisations if o.id != own]
    if not partners:
        raise FormEnds(render(turn.language, texts.HANDOVER_NO_PARTNERS))
    values = {"name": newcomer.first_name, "reference": newcomer.reference}
    text = render(turn.language, texts.HANDOVER_ASK_ORGANISATION, **values)
    return Question(text, forms.pairs(partners))


async def take_org(turn: Turn, value: str) -> Go | None:
    organisations = await all_organisations(turn.services.store)
    return await _to_partner(turn, rules.partner(organisations, turn.staff.organisation_id, value))


async def typed_org(turn: Turn, typed: str) -> Go | AskAgain:
    organisations = await all_organisations(turn.services.store)
    chosen = rules.partner_named(organisations, turn.staff.organisation_id, typed)
    return await _to_partner(turn, chosen) or AskAgain()


async def _to_partner(turn: Turn, chosen: Organisation | None) -> Go | None:
    """The partner chosen; whom there to ask is passed over when it has no caseworkers."""
    if chosen is None:
        return None
    data = turn.data
    data |= {"org": chosen.id, "org_name": chosen.short_name}
    data.pop("person", None)
    data.pop("person_name", None)
    if not await caseworkers_of(turn.services.store, chosen.id):
        return Go("reason")
    return Go()


async def ask_person(turn: Turn, _: newcomers.Newcomer) -> Question:
    people = await caseworkers_of(turn.services.store, turn.data["org"])
    rows = forms.pairs([turn.choice(p.name, p.id) for p in people])
    rows.append([turn.button(texts.BUTTON_ANYONE, "any")])
    org = turn.data["org_name"]
    return Question(render(turn.language, texts.HANDOVER_ASK_PERSON, organisation=org), rows)


async def take_person(turn: Turn, value: str) -> Go | None:
    if value == "any":
        return Go()
    people = await caseworkers_of(turn.services.store, turn.data["org"])
    person = next((p for p in people if str(p.id) == value), None)
    if person is None:
        return None
    turn.data.update(person=person.id, person_name=person.name)
    return Go()


async def ask_reason(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    org = turn.data.get("org_name", "")
    text = render(turn.language, texts.HANDOVER_ASK_REASON, name=newcomer.first_name,
                  organisation=org)  # fmt: skip
    return Question(text, [[turn.button(REASON_NAMES[r], r.value) for r in Reason]])


# --- languages, Dutch, civic orientation --------------------------------------------------


async def ask_mother(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    known = turn.choice(language_names([turn.data["mother"]])(turn.language), "ok")
    text = render(turn.language, texts.HANDOVER_ASK_MOTHER_TONGUE, name=newcomer.first_name)
    return Question(text, [[known]])


async def take_mother(turn: Turn, value: str) -> Go | None:
    return Go() if value == "ok" else None


async def ask_spoken(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    lang, chosen = turn.language, turn.data["spoken"]
    shown = language_names(chosen) if chosen else render(lang, texts.NONE_YET)
    text = render(lang, texts.HANDOVER_ASK_CONTACT_LANGUAGES, name=newcomer.first_name,
                  chosen=shown)  # fmt: skip
    offer = dict.fromkeys(c for c in (*COMMON_LANGUAGES, turn.data["mother"]) if c not in chosen)
    rows = forms.pairs([turn.choice(language_names([c])(lang), c) for c in offer])
    return Question(text, [*rows, [turn.button(texts.BUTTON_NEXT, "next")]])


async def take_spoken(turn: Turn, value: str) -> Go | None:
    if value == "next":
        return Go()
    if parse_interpreter_language(value) is None:
        return None
    turn.data["spoken"] = list(dict.fromkeys([*turn.data["spoken"], value]))
    return Go("spoken")


async def typed_languages(turn: Turn, typed: str) -> Go | Retry:
    """The mother tongue (the first one typed), or more languages to speak in."""
    codes = rules.typed_languages(typed)
    if isinstance(codes, UnknownLanguage):
        return answers.unknown_language(turn, codes.typed)
    if turn.draft.step == "mother":
        turn.data["mother"] = codes[0]
    else:
        turn.data["spoken"] = list(dict.fromkeys([*turn.data["spoken"], *codes]))
    return Go("spoken")


async def ask_interpreter(turn: Turn, _: newcomers.Newcomer) -> Question:
    yes_no = [turn.button(texts.BUTTON_YES, "yes"), turn.button(texts.BUTTON_NO, "no")]
    return Question(render(turn.language, texts.HANDOVER_ASK_INTERPRETER), [yes_no])


async def ask_level(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    levels = [turn.choice(level, level) for level in DUTCH_LEVELS]
    rows = [levels, [turn.button(texts.BUTTON_DONT_KNOW, "unknown")]]
    return Question(render(turn.language, texts.HANDOVER_ASK_LEVEL, name=newcomer.first_name), rows)


def _level(turn: Turn, typed: str) -> str | Retry:
    text = one_line(typed)
    level = parse_level(text)
    if level is None:
        levels = ", ".join(DUTCH_LEVELS)
        return Retry(render(turn.language, texts.UNKNOWN_LEVEL, level=quoted(text), levels=levels))
    return level


async def ask_civic(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    rows = forms.pairs([turn.button(CIVIC_NAMES[c], c.value) for c in Civic])
    return Question(render(turn.language, texts.HANDOVER_ASK_CIVIC, name=newcomer.first_name), rows)


# --- free texts -----------------------------------------------------------------------------

_TYPED_QUESTIONS = {
    "school": texts.HANDOVER_ASK_SCHOOL,
    "plan_a": texts.HANDOVER_ASK_PLAN_A,
    "plan_b": texts.HANDOVER_ASK_PLAN_B,
    "attention": texts.HANDOVER_ASK_ATTENTION,
    "next_step": texts.HANDOVER_ASK_NEXT_STEP,
}


async def ask_text(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    step = turn.draft.step
    text = render(turn.language, _TYPED_QUESTIONS[step], name=newcomer.first_name,
                  max=TEXT_MAX[step])  # fmt: skip
    rows = [[turn.button(texts.BUTTON_NONE, "none")]] if step in OPTIONAL_TEXT else []
    return Question(text, rows)


async def typed_text(turn: Turn, typed: str) -> Go | Retry:
    step = turn.draft.step
    kept = rules.typed_note_text(step, typed)
    if isinstance(kept, TextProblem):
        return Retry(render(turn.language, texts.PLAN_TOO_LONG_TEXT, max=TEXT_MAX[step]))
    if kept.findings:
        await _tell_removed(turn, kept)
    turn.data[step] = kept.text
    return Go()


async def _tell_removed(turn: Turn, kept: rules.Redacted) -> None:
    """The author hears what was taken out of what they typed."""
    await turn.say(render(turn.language, texts.HANDOVER_REMOVED,
                          kinds=removed_kinds(kept.findings)))  # fmt: skip
    message = turn.update.effective_message
    identity_numbers = (Kind.NATIONAL_NUMBER, Kind.BIS_NUMBER)
    if message is not None and any(f.kind in identity_numbers for f in kept.findings):
        # Not even the author's own chat should keep a national register number.
        try:
            await message.delete()
        except TelegramError:
            return
        await turn.say(render(turn.language, texts.HANDOVER_MESSAGE_DELETED))


# --- the next step's day, and consent --------------------------------------------------------


async def ask_next_date(turn: Turn, _: newcomers.Newcomer) -> Question:
    no_date = [[turn.button(texts.BUTTON_NO_DATE, "none")]]
    return Question(render(turn.language, texts.HANDOVER_ASK_NEXT_DATE), no_date)


async def ask_consent(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    lang, data = turn.language, turn.data
    reason = render(lang, REASON_NAMES[Reason(data["reason"])])
    text = render(lang, texts.HANDOVER_ASK_CONSENT, name=newcomer.first_name,
                  organisation=data.get("org_name", ""), reason=reason)  # fmt: skip
    today_or_earlier = [
        turn.button(texts.BUTTON_CONSENT_TODAY, "today"),
        turn.button(texts.BUTTON_CONSENT_EARLIER, "earlier"),
    ]
    return Question(text, [today_or_earlier, [turn.button(texts.BUTTON_CONSENT_NO, "no")]])


async def take_consent(turn: Turn, value: str) -> Go | Finish | None:
    if value == "no":
        return Finish(no_consent)
    if value == "earlier":
        return Go("consent_date")
    if value != "today":
        return None
    services = turn.services
    today = services.clock().astimezone(services.config.locale.tzinfo).date()
    turn.data["agreed_on"] = today.isoformat()
    return Go("confirm")


async def ask_consent_date(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    return Question(
        render(turn.language, texts.HANDOVER_ASK_CONSENT_DATE, name=newcomer.first_name)
    )


# --- the preview, and the end: post, or no consent ------------------------------------------


async def preview(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    """The whole note as the partner will read it, and the card as the group will see it."""
    services, lang, data = turn.services, turn.language, turn.data
    tzinfo = services.config.locale.tzinfo
    handover = handover_from(data, newcomer)
    note = handovers.preview(
        turn.staff, handover, data["org_name"], data.get("person_name"), services.clock()
    )
    text = "\n\n".join(
        [
            render(lang, texts.HANDOVER_CONFIRM, organisation=note.to_organisation),
            note_text(note, lang, tzinfo),
            render(lang, texts.HANDOVER_CARD_PREVIEW),
            card(tzinfo)(note).text,
        ]
    )
    return Question(text, forms.preview_rows(turn, (texts.BUTTON_POST, "post")))


async def take_post(turn: Turn, value: str) -> Finish | None:
    return Finish(post) if value == "post" else None


async def post(turn: Turn) -> None:
    staff, services, lang = turn.staff, turn.services, turn.language
    reference = turn.data["ref"]
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, reference)
    if newcomer is None:
        await drafts.drop(services.store, staff.id)
        await turn.say(render(lang, texts.NEWCOMER_NOT_FOUND, reference=reference))
        return
    try:
        note = await handovers.post(services, staff, handover_from(turn.data, newcomer))
    except CannotPost as refused:
        # The draft stays: once the group is linked, ✅ posts it.
        problem = POST_PROBLEMS[refused.problem]
        await turn.say(render(lang, problem, typed=turn.data.get("agreed_on", "")))
        await forms.ask(turn)
        return
    await drafts.drop(services.store, staff.id)
    await turn.say(render(lang, texts.HANDOVER_POSTED, reference=note.reference,
                          organisation=note.to_organisation))  # fmt: skip


POST_PROBLEMS = {
    PostProblem.NO_PARTNER_GROUP: texts.HANDOVER_NO_GROUP,
    PostProblem.OWN_ORGANISATION: texts.HANDOVER_OWN_ORGANISATION,
    PostProblem.CONSENT_IN_FUTURE: texts.DAY_FUTURE,
}


async def no_consent(turn: Turn) -> None:
    staff, services = turn.staff, turn.services
    await drafts.drop(services.store, staff.id)
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, turn.data["ref"])
    name = newcomer.first_name if newcomer else turn.data["ref"]
    await turn.say(render(staff.language, texts.HANDOVER_NO_CONSENT, name=name))


def _free_text(key: str) -> Step[newcomers.Newcomer]:
    # "None" for a free text that may stay empty.
    empty = pick(key, {"none": ""} if key in OPTIONAL_TEXT else {})
    return Step(key, ask_text, press=empty, typed=typed_text)


def _values(choices: type[Reason] | type[Civic]) -> dict[str, str]:
    return {choice.value: choice.value for choice in choices}


LEVELS: dict[str, str | None] = {level: level for level in DUTCH_LEVELS} | {"unknown": None}
STEPS = (
    Step("org", ask_org, press=take_org, typed=typed_org),
    Step("person", ask_person, press=take_person),
    Step("reason", ask_reason, press=pick("reason", _values(Reason))),
    Step("mother", ask_mother, press=take_mother, typed=typed_languages),
    Step("spoken", ask_spoken, press=take_spoken, typed=typed_languages),
    Step("interpreter", ask_interpreter, press=pick("interpreter", {"yes": True, "no": False})),
    Step("level", ask_level, press=pick("level", LEVELS), typed=typed_into("level", _level)),
    _free_text("school"),
    Step("civic", ask_civic, press=pick("civic", _values(Civic))),
    *(_free_text(key) for key in ("plan_a", "plan_b", "attention", "next_step")),
    Step("next_date", ask_next_date, press=pick("next_date", {"none": None}),
         typed=typed_into("next_date", answers.day_ahead)),
    Step("consent", ask_consent, press=take_consent),
    # Only "consented earlier" leads here.
    Step("consent_date", ask_consent_date, typed=typed_into("agreed_on", answers.day_gone),
         skip=forms.only_when_sent_for),
    Step("confirm", preview, press=take_post, stop_row=False),
)  # fmt: skip
FORM = forms.Form[newcomers.Newcomer](
    name="handover",
    callback=HANDOVER_STEP,
    steps=STEPS,
    subject=newcomer_of,  # v1:hf:<step>:<value>
)
