"""What a newcomer or a caseworker reads, put together from the rules' data: the
contact card, the appointment list, "everything about me", the newcomer sheet, menus."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from bot.appointments.records import Appointment
from bot.appointments.wishes import Wish
from bot.appointments.words import KIND_NAMES, wish_words
from bot.core.callbacks import LANGUAGE
from bot.core.phones import display_phone
from bot.people.by_sms import SmsState
from bot.people.counsellors import Counsellor, CounsellorRole
from bot.people.newcomers import Newcomer, NewcomerStatus
from bot.privacy.data_rights import NewcomerRecord
from bot.sending.outbox import Button
from messages import (
    Line,
    a_day,
    language_names,
    line,
    render,
    render_lines,
    render_lines_bilingual,
    texts,
    translated,
    when,
)
from messages.languages import ENDONYMS

COUNSELLOR_ROLE_NAMES: dict[CounsellorRole, str] = {
    CounsellorRole.CASEWORKER: texts.COUNSELLOR_CASEWORKER,
    CounsellorRole.CIVIC_INTEGRATION: texts.COUNSELLOR_CIVIC_INTEGRATION,
    CounsellorRole.SOCIAL_WORKER: texts.COUNSELLOR_SOCIAL_WORKER,
    CounsellorRole.JOB_COACH: texts.COUNSELLOR_JOB_COACH,
    CounsellorRole.TEACHER: texts.COUNSELLOR_TEACHER,
    CounsellorRole.BUDDY: texts.COUNSELLOR_BUDDY,
}
SMS_STATE_NAMES: dict[SmsState, str] = texts.for_members(SmsState, "SMS_STATE_")
STATUS_NAMES: dict[NewcomerStatus, str] = {
    NewcomerStatus.INVITED: texts.STATUS_INVITED,
    NewcomerStatus.ACTIVE: texts.STATUS_ACTIVE,
    NewcomerStatus.STOPPED: texts.STATUS_STOPPED,
    NewcomerStatus.UNREACHABLE: texts.STATUS_UNREACHABLE,
}

# The newcomer's menu: an icon says it to those who read little, the word to the rest.
MENU_ICONS = {"appointments": "📅", "contact": "👤", "language": "🌐", "help": "❓"}
_MENU_TEXTS = {
    "appointments": texts.MENU_APPOINTMENTS,
    "contact": texts.MENU_CONTACT,
    "language": texts.MENU_LANGUAGE,
    "help": texts.MENU_HELP,
}


def menu_keyboard(language: str) -> list[list[str]]:
    labels = {
        key: f"{MENU_ICONS[key]} {render(language, text)}" for key, text in _MENU_TEXTS.items()
    }
    return [[labels["appointments"], labels["contact"]], [labels["language"], labels["help"]]]


def language_buttons(
    languages: Sequence[str], data: Callable[[str], str] = LANGUAGE.data
) -> list[list[Button]]:
    """Every language named in itself, three to a row; `data` makes each button's data."""
    buttons = [Button(ENDONYMS[code], data(code)) for code in languages]
    return [buttons[i : i + 3] for i in range(0, len(buttons), 3)]


def appointment_line(appointment: Appointment, tzinfo: dt.tzinfo) -> Line:
    values: dict[str, object] = {
        "when": when(appointment.starts_at, tzinfo),
        "kind": translated(KIND_NAMES[appointment.kind]),
        "place": appointment.place,
    }
    if appointment.with_whom:
        return line(texts.APPOINTMENT_LINE, with_whom=appointment.with_whom, **values)
    return line(texts.APPOINTMENT_LINE_NO_PERSON, **values)


def appointment_list(language: str, appointments: Sequence[Appointment], tzinfo: dt.tzinfo) -> str:
    if not appointments:
        return render_lines_bilingual(language, [line(texts.APPOINTMENTS_NONE)])
    lines = [line(texts.APPOINTMENTS_TITLE)]
    lines += [appointment_line(appointment, tzinfo) for appointment in appointments]
    return render_lines_bilingual(language, lines)


def record_lines(record: NewcomerRecord, tzinfo: dt.tzinfo) -> list[Line]:
    """Everything Schakel holds about a newcomer, in words they can read."""
    newcomer = record.newcomer
    lines = [
        line(texts.MY_DATA_TITLE),
        line(texts.MY_DATA_NAME, name=newcomer.first_name, reference=newcomer.reference),
        line(texts.MY_DATA_LANGUAGE, language=language_names([newcomer.language])),
    ]
    if newcomer.dutch_level:
        lines.append(line(texts.MY_DATA_LEVEL, level=newcomer.dutch_level))
    if newcomer.consent_at:
        consent = dt.datetime.fromisoformat(newcomer.consent_at.replace("Z", "+00:00"))
        lines.append(line(texts.MY_DATA_CONSENT, when=when(consent, tzinfo)))
    if newcomer.telegram_user_id:
        lines.append(line(texts.MY_DATA_TELEGRAM, telegram=newcomer.telegram_user_id))
    if newcomer.sms_number:
        lines.append(line(texts.MY_DATA_SMS, number=display_phone(newcomer.sms_number)))
    if record.counsellors:
        names = ", ".join(f"{c.name} ({c.organisation})" for c in record.counsellors)
        lines.append(line(texts.MY_DATA_COUNSELLORS, names=names))
    lines.append(line(texts.MY_DATA_APPOINTMENTS, count=len(record.appointments)))
    lines += [appointment_line(appointment, tzinfo) for appointment in record.appointments]
    if record.wish is not None:
        lines.append(line(texts.MY_DATA_WISH, wish=wish_words(record.wish)))
    lines.append(line(texts.MY_DATA_MESSAGES, count=record.messages_sent))
    lines.append(line(texts.MY_DATA_HANDOVERS, count=record.handover_notes))
    lines.append(line(texts.MY_DATA_FORGET))
    return lines


def newcomer_sheet(
    language: str,
    newcomer: Newcomer,
    counsellors: Sequence[Counsellor],
    next_start: dt.datetime | None,
    tzinfo: dt.tzinfo,
    wish: Wish | None = None,
) -> str:
    """One newcomer as their caseworker sees them (with their wish for a new appointment)."""
    contact = next((c for c in counsellors if c.is_contact), None)
    others = [
        f"{c.name} ({render(language, COUNSELLOR_ROLE_NAMES[c.role])}, {c.organisation})"
        for c in counsellors
        if not c.is_contact
    ]
    none = render(language, texts.NO_NEXT)
    lines = [
        line(
            texts.NEWCOMER_SHEET,
            name=newcomer.first_name,
            reference=newcomer.reference,
            status=translated(STATUS_NAMES[newcomer.status]),
            language=ENDONYMS[newcomer.language],
            level=newcomer.dutch_level or render(language, texts.NOT_SET),
        ),
        line(
            texts.NEWCOMER_SHEET_PEOPLE,
            contact=f"{contact.name} ({contact.organisation})" if contact else none,
            others=", ".join(others) or none,
        ),
        line(texts.NEWCOMER_SHEET_NEXT, next=when(next_start, tzinfo) if next_start else none),
    ]
    if wish is not None:
        since = a_day(wish.asked_at.astimezone(tzinfo).date())
        lines.append(line(texts.SHEET_WISH, since=since, wish=wish_words(wish)))
    return render_lines(language, lines)
