"""A caseworker writes a warm handover note by chat: `/overdracht CODE` or 🤝 on the
newcomer's sheet.

One question at a time (handlers/core/forms), buttons where a choice is enough: to which
organisation (and person) and why; then, first, the newcomer's consent for that
organisation and purpose: asked of the newcomer themselves (✅/❌ in their language,
bot/handovers/consent.py) or given on paper or in person, with its day. Then what
Schakel already knows (languages, interpreter, Dutch level and school, civic
orientation: bot/handovers/known_facts.py) for one tap of confirmation (✏️ asks each
again), plan A and B in one message, points of attention, next step and its day, and
the note and card exactly as they will go. A typical note is ten answers. Free text is
redacted as it is typed (only the redacted text is kept in the draft) and the author is
told what was taken out. Nothing is posted without the consent and ✅; a note waiting
for the newcomer's answer can be put aside and comes back with their ✅.
"""

from __future__ import annotations

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.core.callbacks import HANDOVER_STEP
from bot.core.redaction import Kind
from bot.core.typed_text import TextProblem, one_line
from bot.handovers import consent
from bot.handovers import form_rules as rules
from bot.handovers import notes as handovers
from bot.handovers.consent import Status
from bot.handovers.form_rules import OPTIONAL_TEXT, UnknownLanguage, handover_from
from bot.handovers.known_facts import known_answers
from bot.handovers.model import TEXT_MAX, Civic, ConsentGivenBy, NoteBody, Reason, shows_room
from bot.handovers.notes import CannotPost, PostProblem
from bot.handovers.words import (
    CIVIC_NAMES,
    REASON_NAMES,
    about_lines,
    card,
    note_text,
    removed_kinds,
)
from bot.people import by_sms, newcomers
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
from messages import SOURCE_LANGUAGE, a_day, language_names, render, render_lines, texts

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
    known = await known_answers(context.services.store, newcomer)
    await forms.start(update, context, FORM, {"ref": newcomer.reference, **known})


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


# --- consent first: the newcomer's own answer, or given on paper or in person -------------


async def ask_consent(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    lang, data = turn.language, turn.data
    reason = render(lang, REASON_NAMES[Reason(data["reason"])])
    text = render(lang, texts.HANDOVER_ASK_CONSENT, name=newcomer.first_name,
                  organisation=data.get("org_name", ""), reason=reason)  # fmt: skip
    rows = []
    channel = consent.channel_for(newcomer)
    if channel is not None:
        language = language_names([newcomer.language])
        can_ask = texts.HANDOVER_CONSENT_CAN_ASK
        if channel is consent.Channel.SMS:  # in Dutch, then their own when set to
            can_ask = texts.HANDOVER_CONSENT_CAN_ASK_SMS
            translation = turn.services.config.sms.translation
            if not by_sms.in_own_language_too(translation, newcomer.language):
                language = language_names([SOURCE_LANGUAGE])
        text += "\n" + render(lang, can_ask, name=newcomer.first_name, language=language)
        rows.append([turn.button(texts.BUTTON_CONSENT_ASK, "ask")])
    rows.append([
        turn.button(texts.BUTTON_CONSENT_PAPER, ConsentGivenBy.PAPER.value),
        turn.button(texts.BUTTON_CONSENT_IN_PERSON, ConsentGivenBy.IN_PERSON.value),
    ])  # fmt: skip
    rows.append([turn.button(texts.BUTTON_CONSENT_NO, "no")])
    return Question(text, rows)


async def take_consent(turn: Turn, value: str) -> Go | Finish | None:
    data = turn.data
    if value == "no":
        return Finish(no_consent)
    if value in (ConsentGivenBy.PAPER.value, ConsentGivenBy.IN_PERSON.value):
        data["consent"] = value
        return Go("consent_date")
    if value != "ask":
        return None
    newcomer = await newcomer_of(turn)
    purpose = Reason(data["reason"])
    asked = await consent.ask(turn.services, turn.staff, newcomer, data["org"], purpose)
    if asked is None:  # no longer reachable since the question was shown
        return None
    data.update(consent=ConsentGivenBy.NEWCOMER.value, request=asked.id)
    await turn.say(render(turn.language, texts.HANDOVER_CONSENT_ASKED, name=newcomer.first_name))
    return Go("known")


# --- what Schakel knows: one tap, or ✏️ to answer each again -------------------------------


async def ask_known(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    data, lang = turn.data, turn.language
    civic_known = "civic" in data
    body = NoteBody(
        mother_tongue=data["mother"], contact_languages=tuple(data.get("spoken", ())),
        interpreter_needed=data.get("interpreter", False), dutch_level=data.get("level"),
        school=data.get("school", ""), civic=Civic(data.get("civic", Civic.NOT_STARTED)),
    )  # fmt: skip
    intro = texts.HANDOVER_KNOWN if civic_known else texts.HANDOVER_KNOWN_CIVIC
    text = render(lang, intro, name=newcomer.first_name) + "\n\n"
    text += render_lines(lang, about_lines(body, civic=civic_known))
    change = turn.button(texts.BUTTON_CHANGE, "change")
    if civic_known:
        return Question(text, [[turn.button(texts.BUTTON_CORRECT, "ok"), change]])
    civic = forms.pairs([turn.button(CIVIC_NAMES[c], c.value) for c in Civic])
    return Question(text, [*civic, [change]])


async def take_known(turn: Turn, value: str) -> Go | None:
    if value == "change":
        turn.data["spoken"] = []  # chosen again, one by one
        return Go("mother")
    if value in _values(Civic):
        turn.data["civic"] = value
    elif value != "ok" or "civic" not in turn.data:
        return None
    return Go("plans")


# --- languages, Dutch, civic orientation (after ✏️ on what Schakel knows) ---------------


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
        return _too_long(turn, typed, TEXT_MAX[step])
    if kept.findings:
        await _tell_removed(turn, kept)
    if shows_room(step):
        await turn.say(answers.room_left(turn.language, kept.text, TEXT_MAX[step]))
    turn.data[step] = kept.text
    return Go()


def _too_long(turn: Turn, typed: str, limit: int) -> Retry:
    """How long the text was, and how long it may be: the writer knows how much to cut."""
    length = len(one_line(typed))
    return Retry(render(turn.language, texts.ANNOUNCE_TEXT_TOO_LONG, length=length, max=limit))


async def ask_plans(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    text = render(turn.language, texts.HANDOVER_ASK_PLANS, name=newcomer.first_name,
                  max=TEXT_MAX["plan_a"])  # fmt: skip
    return Question(text)


async def typed_plans(turn: Turn, typed: str) -> Go | Retry:
    """Plan A on the first line, plan B (if any) on the lines below it."""
    first, _, rest = typed.strip().partition("\n")
    plans = {"plan_a": first, "plan_b": rest}
    kept = {key: rules.typed_note_text(key, text) for key, text in plans.items()}
    for key, plan in kept.items():
        if isinstance(plan, TextProblem):
            return _too_long(turn, plans[key], TEXT_MAX[key])
    redacted = [plan for plan in kept.values() if isinstance(plan, rules.Redacted)]
    findings = [finding for plan in redacted for finding in plan.findings]
    if findings:
        await _tell_removed(turn, rules.Redacted("", findings))
    turn.data.update({key: plan.text for key, plan in zip(kept, redacted, strict=True)})
    await _say_room(turn, {key: turn.data[key] for key in plans if turn.data[key]})
    return Go()


async def _say_room(turn: Turn, typed: dict[str, str]) -> None:
    """Plan A and plan B each have their own room: one line per plan typed."""
    labels = {"plan_a": texts.NOTE_PLAN_A, "plan_b": texts.NOTE_PLAN_B}
    language = turn.language
    lines = [
        render(language, labels[key], plan=answers.room_left(language, text, TEXT_MAX[key]))
        for key, text in typed.items()
        if shows_room(key)
    ]
    if lines:
        await turn.say("\n".join(lines))


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


async def ask_consent_date(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    today = [[turn.button(texts.BUTTON_CONSENT_TODAY, "today")]]
    text = render(turn.language, texts.HANDOVER_ASK_CONSENT_DATE, name=newcomer.first_name)
    return Question(text, today)


async def take_consent_today(turn: Turn, value: str) -> Go | None:
    if value != "today":
        return None
    services = turn.services
    today = services.clock().astimezone(services.config.locale.tzinfo).date()
    turn.data["agreed_on"] = today.isoformat()
    return Go()


# --- the preview, and the end: post, or no consent ------------------------------------------


async def newcomers_answer(turn: Turn, newcomer: newcomers.Newcomer) -> consent.Request | None:
    """The question to the newcomer, when they were asked; the form ends when they said no
    or the question expired. Their yes gives the note its consent day."""
    if turn.data.get("consent") != ConsentGivenBy.NEWCOMER.value:
        return None
    services, name = turn.services, newcomer.first_name
    request = await consent.get(services.store, turn.data["request"])
    if request is None or not request.open_at(services.clock()):
        raise FormEnds(render(turn.language, texts.HANDOVER_CONSENT_GONE, name=name))
    if request.status is Status.REFUSED:
        raise FormEnds(render(turn.language, texts.HANDOVER_NEWCOMER_REFUSED, name=name,
                              organisation=request.organisation))  # fmt: skip
    agreed_on = consent.agreed_on(request, services.config.locale.tzinfo)
    if agreed_on is not None:
        turn.data["agreed_on"] = agreed_on.isoformat()
    return request


async def preview(turn: Turn, newcomer: newcomers.Newcomer) -> Question:
    """The whole note as the partner will read it, and the card as the group will see it;
    while the newcomer has not answered, only that, and a way to put the note aside."""
    services, lang, data = turn.services, turn.language, turn.data
    request = await newcomers_answer(turn, newcomer)
    if request is not None and request.status is Status.WAITING:
        # The day itself, not a number of days left: "nog 1 dagen" read wrong, and a
        # date needs no plural.
        until = a_day(request.expires_at.astimezone(services.config.locale.tzinfo).date())
        text = render(lang, texts.HANDOVER_CONSENT_WAITING, name=newcomer.first_name, until=until)
        return Question(text, forms.preview_rows(turn, (texts.BUTTON_KEEP_NOTE, "keep")))
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
    if value == "keep":
        return Finish(put_aside)
    return Finish(post) if value == "post" else None


async def put_aside(turn: Turn) -> None:
    """The finished note waits for the newcomer's answer with the question, not in the
    caseworker's one form draft: the next form they start does not overwrite it."""
    services, name = turn.services, (await newcomer_of(turn)).first_name
    if not await consent.put_aside(services, turn.staff, turn.data["request"], turn.data):
        await drafts.drop(services.store, turn.staff.id)
        await turn.say(render(turn.language, texts.HANDOVER_CONSENT_GONE, name=name))
        return
    days = services.config.handover.consent_wait_days
    await turn.say(render(turn.language, texts.HANDOVER_KEPT, name=name, days=days))


async def post(turn: Turn) -> None:
    staff, services, lang = turn.staff, turn.services, turn.language
    reference = turn.data["ref"]
    newcomer = await newcomers.newcomer_for_staff(services.store, staff, reference)
    if newcomer is None:
        await drafts.drop(services.store, staff.id)
        await turn.say(render(lang, texts.NEWCOMER_NOT_FOUND, reference=reference))
        return
    try:
        request = await newcomers_answer(turn, newcomer)  # their yes gives the day
    except FormEnds as ends:
        await drafts.drop(services.store, staff.id)
        await turn.say(ends.text)
        return
    if request is not None and request.status is not Status.AGREED:
        await forms.ask(turn)  # still waiting: the preview says so
        return
    try:
        note = await handovers.post(services, staff, handover_from(turn.data, newcomer))
    except CannotPost as refused:
        if refused.problem is PostProblem.CONSENT_GONE:
            await drafts.drop(services.store, staff.id)
            await turn.say(render(lang, texts.HANDOVER_CONSENT_GONE, name=newcomer.first_name))
            return
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
    PostProblem.CONSENT_GONE: texts.HANDOVER_CONSENT_GONE,
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
    # Consent first: asked of the newcomer, or given on paper or in person on a day.
    Step("consent", ask_consent, press=take_consent),
    Step("consent_date", ask_consent_date, press=take_consent_today,
         typed=typed_into("agreed_on", answers.day_gone), skip=forms.only_when_sent_for),
    Step("known", ask_known, press=take_known),
    # Only ✏️ on what Schakel knows leads through these, one by one, to the plans.
    Step("mother", ask_mother, press=take_mother, typed=typed_languages),
    Step("spoken", ask_spoken, press=take_spoken, typed=typed_languages),
    Step("interpreter", ask_interpreter, press=pick("interpreter", {"yes": True, "no": False})),
    Step("level", ask_level, press=pick("level", LEVELS), typed=typed_into("level", _level)),
    _free_text("school"),
    Step("civic", ask_civic, press=pick("civic", _values(Civic))),
    Step("plans", ask_plans, typed=typed_plans),
    *(_free_text(key) for key in ("attention", "next_step")),
    Step("next_date", ask_next_date, press=pick("next_date", {"none": None}),
         typed=typed_into("next_date", answers.day_ahead)),
    Step("confirm", preview, press=take_post, stop_row=False),
)  # fmt: skip
FORM = forms.Form[newcomers.Newcomer](
    name="handover",
    callback=HANDOVER_STEP,
    steps=STEPS,
    subject=newcomer_of,  # v1:hf:<step>:<value>
)
