"""The words of a warm handover: the card in the partner group (minimal: the note's own
reference, from and to, reason, next step and date; no name, no personal detail), the
whole note for staff of the two organisations, the notices to the author, and a
newcomer's history. The rules are in bot/handovers.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.appointments.records import Appointment, Status
from bot.appointments.words import KIND_NAMES
from bot.core.callbacks import HANDOVER_CONSENT, HANDOVER_NOTE, HANDOVER_RESUME
from bot.core.redaction import Finding, Kind
from bot.handovers.model import (
    Card,
    Civic,
    ConsentGivenBy,
    DeclineReason,
    Note,
    NoteBody,
    NoteStatus,
    Reason,
    show_removed,
)
from bot.sending.outbox import Button, Outgoing
from messages import (
    Line,
    a_day,
    language_names,
    line,
    listed,
    render,
    render_bilingual,
    render_lines,
    texts,
    translated,
    when,
)
from messages.sms import plain_replacement

# The partner group is shared by staff of several organisations, who work in Dutch.
GROUP_LANGUAGE = "nl"

REASON_NAMES = {Reason.REFERRAL: texts.HANDOVER_REFERRAL, Reason.HANDOVER: texts.HANDOVER_GUIDANCE}
CIVIC_NAMES = texts.for_members(Civic, "CIVIC_")
DECLINE_NAMES = texts.for_members(DeclineReason, "DECLINE_")
CONSENT_LINES = {
    ConsentGivenBy.CASEWORKER: texts.NOTE_CONSENT,
    ConsentGivenBy.NEWCOMER: texts.NOTE_CONSENT_BY_NEWCOMER,
    ConsentGivenBy.PAPER: texts.NOTE_CONSENT_ON_PAPER,
    ConsentGivenBy.IN_PERSON: texts.NOTE_CONSENT_IN_PERSON,
}
REMOVED_NAMES = texts.for_members(Kind, "REMOVED_")
NOTE_STATUS_NAMES = {
    NoteStatus.POSTED: texts.HANDOVER_STATUS_OPEN,
    NoteStatus.TAKEN_OVER: texts.HANDOVER_STATUS_TAKEN,
    NoteStatus.DECLINED: texts.HANDOVER_STATUS_DECLINED,
}
APPOINTMENT_STATUS_NAMES = texts.for_members(Status, "STATUS_")


# --- what was taken out of free text ---------------------------------------------------


def removed_kinds(findings: Sequence[Finding]) -> Callable[[str], str]:
    """'telefoonnummer en e-mailadres' (each kind once), as a value in any language."""
    return listed([REMOVED_NAMES[kind] for kind in dict.fromkeys(f.kind for f in findings)])


def readable(text: str, language: str) -> str:
    """A stored free text with each removal shown as '[telefoonnummer weggehaald]'."""
    return show_removed(
        text,
        lambda kind: render(language, texts.REMOVED_MARK, kind=translated(REMOVED_NAMES[kind])),
    )


# --- the card in the partner group -------------------------------------------------------


def _next_step_line(body: NoteBody | None) -> list[Line]:
    if body is None or not body.next_step:
        return []
    if body.next_date is None:
        return [line(texts.CARD_NEXT_NO_DATE, next_step=body.next_step)]
    return [line(texts.CARD_NEXT, next_step=body.next_step, date=a_day(body.next_date))]


def card_lines(note: Note, tzinfo: dt.tzinfo) -> list[Line]:
    lines = [
        line(
            texts.CARD_TITLE,
            reference=note.reference,
            from_organisation=note.from_organisation,
            to_organisation=note.to_organisation,
        )
    ]
    if note.to_staff_name:
        lines.append(line(texts.CARD_FOR, person=note.to_staff_name))
    lines.append(line(texts.CARD_REASON, reason=translated(REASON_NAMES[note.reason])))
    lines += _next_step_line(note.body)
    lines.append(_status_line(note, tzinfo))
    return lines


def _status_line(note: Note, tzinfo: dt.tzinfo) -> Line:
    if note.status is NoteStatus.POSTED or note.decided_at is None:
        return line(texts.CARD_OPEN)
    who = {
        "name": note.decided_by or "?",
        "organisation": note.decided_organisation or "",
        "when": when(note.decided_at, tzinfo),
    }
    if note.status is NoteStatus.TAKEN_OVER:
        return line(texts.CARD_TAKEN, **who)
    reason = DECLINE_NAMES[note.decline_reason or DeclineReason.OTHER]
    return line(texts.CARD_DECLINED, reason=translated(reason), **who)


def card_buttons(note: Note) -> list[list[Button]]:
    def button(text: str, action: str) -> Button:
        return Button(render(GROUP_LANGUAGE, text), HANDOVER_NOTE.data(action, note.reference))

    details = button(texts.BUTTON_DETAILS, "details")
    if note.status is not NoteStatus.POSTED:
        return [[details]]
    return [
        [details],
        [button(texts.BUTTON_TAKE_OVER, "take"), button(texts.BUTTON_DECLINE, "decline")],
    ]


def card(tzinfo: dt.tzinfo) -> Callable[[Note], Card]:
    return lambda note: Card(
        render_lines(GROUP_LANGUAGE, card_lines(note, tzinfo)), card_buttons(note)
    )


# --- the whole note, privately -------------------------------------------------------------


def note_lines(note: Note, tzinfo: dt.tzinfo) -> list[Line]:
    """Everything in the note, for staff of the sending or the receiving organisation."""
    lines = [
        line(
            texts.NOTE_TITLE,
            reference=note.reference,
            name=note.newcomer_name,
            newcomer_reference=note.newcomer_reference,
            author=note.author_name,
            organisation=note.from_organisation,
            when=when(note.created_at, tzinfo),
        ),
        line(
            CONSENT_LINES[note.consent_given_by],
            name=note.newcomer_name,
            date=a_day(note.consent_on),
            organisation=note.to_organisation,
            reason=translated(REASON_NAMES[note.reason]),
        ),
    ]
    body = note.body
    if body is None:
        return [*lines, line(texts.NOTE_ERASED)]
    not_set = translated(texts.NOT_SET)
    lines += [*about_lines(body), line(texts.NOTE_PLAN_A, plan=_free(body.plan_a) or not_set)]
    if body.plan_b:
        lines.append(line(texts.NOTE_PLAN_B, plan=_free(body.plan_b)))
    if body.attention:
        lines.append(line(texts.NOTE_ATTENTION, attention=_free(body.attention)))
    lines += _next_step_line(body.model_copy(update={"next_step": _free(body.next_step)}))
    lines.append(_status_line(note, tzinfo))
    return lines


def about_lines(body: NoteBody, civic: bool = True) -> list[Line]:
    """Languages, interpreter, Dutch and school, civic orientation: what the note says about
    the newcomer, and what the form shows as already known (without civic orientation
    when that is not known yet)."""
    not_set = translated(texts.NOT_SET)
    mother_tongue = language_names([body.mother_tongue])
    # "Also to use" names the other languages: the mother tongue is said just before.
    others = [code for code in body.contact_languages if code != body.mother_tongue]
    if others:
        languages = line(texts.NOTE_LANGUAGES, mother_tongue=mother_tongue,
                         spoken=language_names(others))  # fmt: skip
    elif body.contact_languages:
        languages = line(texts.NOTE_MOTHER_TONGUE, mother_tongue=mother_tongue)
    else:
        languages = line(texts.NOTE_LANGUAGES, mother_tongue=mother_tongue, spoken=not_set)
    lines = [
        languages,
        line(
            texts.NOTE_INTERPRETER,
            answer=translated(texts.BUTTON_YES if body.interpreter_needed else texts.BUTTON_NO),
        ),
        line(
            texts.NOTE_DUTCH,
            level=body.dutch_level or not_set,
            school=_free(body.school) or not_set,
        ),
    ]
    if civic:
        lines.append(line(texts.NOTE_CIVIC, civic=translated(CIVIC_NAMES[body.civic])))
    return lines


def _free(text: str) -> Callable[[str], str] | str:
    """A stored free text as a value: its removal marks in the reader's language."""
    return (lambda language: readable(text, language)) if text else ""


def note_text(note: Note, language: str, tzinfo: dt.tzinfo) -> str:
    return render_lines(language, note_lines(note, tzinfo))


# --- the newcomer's own consent ---------------------------------------------------------------

CONSENT_QUESTIONS = {
    Reason.REFERRAL: texts.HANDOVER_CONSENT_QUESTION_REFERRAL,
    Reason.HANDOVER: texts.HANDOVER_CONSENT_QUESTION_HANDOVER,
}


def consent_question(
    language: str, purpose: Reason, caseworker: str, organisation: str, request_id: int
) -> Card:
    """To the newcomer: may this go to that organisation? In their language, then Dutch."""
    text = render_bilingual(language, CONSENT_QUESTIONS[purpose], contact=caseworker,
                            organisation=organisation)  # fmt: skip
    buttons = [
        Button(f"{mark} {render(language, label)}", HANDOVER_CONSENT.data(answer, request_id))
        for mark, label, answer in (("✅", texts.BUTTON_YES, "yes"), ("❌", texts.BUTTON_NO, "no"))
    ]
    return Card(text, [buttons])


def consent_question_sms(language: str, purpose: Reason, caseworker: str, organisation: str) -> str:
    """The same question as an SMS: no buttons, so how to answer (JA or NEE, the Dutch
    words Schakel reads, whatever the language)."""
    question = render(language, CONSENT_QUESTIONS[purpose], contact=caseworker,
                      organisation=organisation)  # fmt: skip
    return plain_replacement(question + "\n" + render(language, texts.SMS_YES_OR_NO))


def consent_thanks(language: str, agreed: bool, caseworker: str, organisation: str) -> str:
    """To the newcomer, after their answer."""
    thanks = texts.HANDOVER_CONSENT_THANKS_YES if agreed else texts.HANDOVER_CONSENT_THANKS_NO
    return render_bilingual(language, thanks, contact=caseworker, organisation=organisation)


def consent_answer_notice(
    language: str, request_id: int, name: str, organisation: str, agreed: bool
) -> Card:
    """To the caseworker who asked: the newcomer's answer, with the way back to the note."""
    if not agreed:
        text = render(language, texts.HANDOVER_NEWCOMER_REFUSED, name=name,
                      organisation=organisation)  # fmt: skip
        return Card(text, [])
    text = render(language, texts.HANDOVER_NEWCOMER_AGREED, name=name, organisation=organisation)
    label = render(language, texts.BUTTON_OPEN_NOTE)
    return Card(text, [[Button(label, HANDOVER_RESUME.data(request_id))]])


# --- notices to the author, and the note raised again ---------------------------------------


def _to_author(note: Note, text: str, key: str) -> Outgoing:
    return Outgoing(
        chat_id=note.author_chat_id,
        text=text,
        purpose="notice",
        idempotency_key=key,
        newcomer_id=note.newcomer_id,  # names the newcomer: erased with them
        ref=f"note:{note.reference}",
    )


def _author_decided(note: Note, tzinfo: dt.tzinfo) -> Outgoing:
    lang = note.author_language
    if note.status is NoteStatus.TAKEN_OVER:
        text = render(
            lang, texts.HANDOVER_TAKEN_AUTHOR, taker=note.decided_by or "?",
            organisation=note.decided_organisation or note.to_organisation,
            reference=note.reference, name=note.newcomer_name,
        )  # fmt: skip
    else:
        reason = DECLINE_NAMES[note.decline_reason or DeclineReason.OTHER]
        text = render(
            lang, texts.HANDOVER_DECLINED_AUTHOR, organisation=note.to_organisation,
            reference=note.reference, name=note.newcomer_name, reason=translated(reason),
            newcomer_reference=note.newcomer_reference,
        )  # fmt: skip
    return _to_author(note, text, f"handover-decided:{note.id}")


@dataclass(frozen=True)
class DecisionMessages:
    """The words for a decision: the card as it reads after it, and the author's notice."""

    card: Callable[[Note], Card]  # the card as it reads after the decision
    author_notice: Callable[[Note], Outgoing]


def decision_messages(tzinfo: dt.tzinfo) -> DecisionMessages:
    return DecisionMessages(card=card(tzinfo), author_notice=lambda n: _author_decided(n, tzinfo))


@dataclass(frozen=True)
class RaiseMessages:
    group_message: Callable[
        [Note], Card
    ]  # "still open after N working days", with the card's buttons
    author_notice: Callable[[Note], Outgoing]


def raise_messages(days: int) -> RaiseMessages:
    def group_message(note: Note) -> Card:
        text = render(GROUP_LANGUAGE, texts.CARD_RAISED, reference=note.reference, days=days)
        return Card(text, card_buttons(note))

    def author_notice(note: Note) -> Outgoing:
        text = render(
            note.author_language, texts.HANDOVER_RAISED_AUTHOR, reference=note.reference,
            name=note.newcomer_name, days=days, organisation=note.to_organisation,
        )  # fmt: skip
        return _to_author(note, text, f"handover-raised:{note.id}:{note.raise_count}")

    return RaiseMessages(group_message=group_message, author_notice=author_notice)


# --- history: handovers and appointments, newest first ---------------------------------------


def history_lines(
    notes: Sequence[Note], appointments: Sequence[Appointment], tzinfo: dt.tzinfo
) -> list[Line]:
    dated: list[tuple[dt.datetime, Line]] = [
        (
            note.created_at,
            line(
                texts.HISTORY_HANDOVER,
                when=when(note.created_at, tzinfo),
                note=note.reference,
                from_organisation=note.from_organisation,
                to_organisation=note.to_organisation,
                reason=translated(REASON_NAMES[note.reason]),
                status=translated(NOTE_STATUS_NAMES[note.status]),
            ),
        )
        for note in notes
    ]
    dated += [
        (
            appointment.starts_at,
            line(
                texts.HISTORY_APPOINTMENT,
                when=when(appointment.starts_at, tzinfo),
                kind=translated(KIND_NAMES[appointment.kind]),
                status=translated(APPOINTMENT_STATUS_NAMES[appointment.status]),
            ),
        )
        for appointment in appointments
    ]
    return [entry for _, entry in sorted(dated, key=lambda pair: pair[0], reverse=True)]
