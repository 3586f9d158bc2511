"""What a newcomer reads about an appointment, and what their contact person is told.

One layout for every message to a newcomer (README, "One layout for newcomers"): their own
language first, in full, then plain Dutch under `🇧🇪 ───` (messages.DUTCH_SEPARATOR).
Here the Dutch is the SMS-style text (one SMS: day, time, place, with whom, interpreter, a
phone number), the same text an SMS gateway sends as it is. The first lines show on a
locked phone, so the own-language part opens with its title and the moment, and only then
names the kind of appointment and the place. Reminders, new, changed and cancelled
appointments all take this one form; a Dutch reader gets the full text in Dutch.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from urllib.parse import quote_plus

from babel.dates import format_datetime, get_day_names

from bot.appointments.records import Appointment, Details, Kind, Reason
from bot.appointments.wishes import WEEKDAYS, Part, Wish
from bot.core.callbacks import APPOINTMENT_ANSWER, APPOINTMENT_WISH
from bot.core.phones import display_phone
from bot.sending.outbox import Button
from bot.storage.database import Store
from messages import (
    DUTCH_SEPARATOR,
    SOURCE_LANGUAGE,
    Line,
    PerLanguage,
    language_names,
    line,
    list_separator,
    render,
    render_lines,
    texts,
    translated,
    when,
)
from messages.languages import babel_locale
from messages.sms import fits_one_sms, plain_replacement

# The address as its own line of the Dutch SMS: the value speaks, a label costs room.
PLACE_ONLY = "{place}"

KIND_NAMES: dict[Kind, str] = texts.for_members(Kind, "KIND_")
REASON_BUTTONS: dict[Reason, str] = texts.for_members(Reason, "BUTTON_REASON_")
REASON_NAMES: dict[Reason, str] = texts.for_members(Reason, "REASON_")
PART_NAMES: dict[Part, str] = texts.for_members(Part, "WISH_")
PART_BUTTONS: dict[Part, str] = texts.for_members(Part, "BUTTON_WISH_")


class Event(enum.StrEnum):
    REMINDER = "reminder"
    NEW = "new"
    CHANGED = "changed"
    CANCELLED = "cancelled"


_SMS_FIRST_LINE = texts.for_members(Event, "SMS_")
_TITLE = texts.for_members(Event, suffix="_TITLE")


@dataclass(frozen=True)
class WhoToCall:
    """The newcomer's contact person and the number that reaches them (or their office)."""

    name: str
    phone: str


async def who_to_call(store: Store, newcomer_id: int) -> WhoToCall:
    return (await whom_to_call(store, [newcomer_id]))[newcomer_id]


async def whom_to_call(store: Store, newcomer_ids: Collection[int]) -> dict[int, WhoToCall]:
    """Who to call for each of these newcomers, in one query (a burst of reminders): their
    single point of contact still at work (staff whose access ended are left out) and the
    contact's own number, else their office's; nobody ("", "") when there is none."""
    calls = dict.fromkeys(newcomer_ids, WhoToCall("", ""))
    rows = await store.fetch_in(
        "SELECT k.newcomer_id, k.name, coalesce(s.phone, '') AS phone,"
        " coalesce(o.phone, '') AS office"
        " FROM counsellors k LEFT JOIN organisations o ON o.id = k.organisation_id"
        " LEFT JOIN staff s ON s.id = k.staff_id"
        " WHERE k.newcomer_id IN ({marks}) AND k.is_contact = 1"
        " AND (k.staff_id IS NULL OR s.active = 1) ORDER BY k.id DESC",
        list(calls),
    )
    for row in rows:  # the first contact of each (by id) comes last and stays
        calls[row["newcomer_id"]] = WhoToCall(row["name"], row["phone"] or row["office"])
    return calls


def day(moment: dt.datetime, tzinfo: dt.tzinfo) -> PerLanguage:
    """'donderdag 30 september' in the reader's language (no year: the SMS is short)."""
    return functools.partial(_day, moment, tzinfo)


@functools.lru_cache(maxsize=1024)  # a burst of reminders shares a few moments
def _day(moment: dt.datetime, tzinfo: dt.tzinfo, language: str) -> str:
    return format_datetime(
        moment.astimezone(tzinfo), "EEEE d MMMM", tzinfo=tzinfo, locale=babel_locale(language)
    )


def clock_time(moment: dt.datetime, tzinfo: dt.tzinfo) -> str:
    return moment.astimezone(tzinfo).strftime("%H:%M").removeprefix("0")


def interpreter_name(code: str) -> PerLanguage:
    return language_names([code])


def sms_lines(
    appointment: Appointment | Details, event: Event, call: WhoToCall, tzinfo: dt.tzinfo
) -> list[Line]:
    starts = appointment.starts_at
    lines = [line(_SMS_FIRST_LINE[event], day=day(starts, tzinfo), time=clock_time(starts, tzinfo))]
    if event is not Event.CANCELLED:
        lines.append(line(PLACE_ONLY, place=appointment.place))
        interpreter = appointment.interpreter_language
        if appointment.with_whom and interpreter:
            lines.append(
                line(
                    texts.SMS_WITH_INTERPRETER,
                    with_whom=appointment.with_whom,
                    interpreter=interpreter_name(interpreter),
                )
            )
        elif appointment.with_whom:
            lines.append(line(texts.SMS_WITH, with_whom=appointment.with_whom))
        elif interpreter:
            lines.append(line(texts.INTERPRETER_BOOKED, interpreter=interpreter_name(interpreter)))
    if call.phone:
        lines.append(line(texts.SMS_CALL, number=display_phone(call.phone)))
    return lines


def full_lines(
    appointment: Appointment | Details, event: Event, call: WhoToCall, tzinfo: dt.tzinfo
) -> list[Line]:
    # The title and the moment first: what a locked phone shows (no service, no place).
    lines = [
        line(_TITLE[event]),
        line(texts.FULL_WHEN, when=when(appointment.starts_at, tzinfo)),
        line(texts.FULL_WHAT, kind=translated(KIND_NAMES[appointment.kind])),
    ]
    if event is not Event.CANCELLED:
        lines.append(line(texts.FULL_WHERE, place=appointment.place))
        if appointment.with_whom:
            lines.append(line(texts.FULL_WITH, with_whom=appointment.with_whom))
        if appointment.interpreter_language:
            lines.append(
                line(
                    texts.INTERPRETER_BOOKED,
                    interpreter=interpreter_name(appointment.interpreter_language),
                )
            )
    if call.phone:
        lines.append(line(texts.FULL_CALL, contact=call.name, number=display_phone(call.phone)))
    if event in (Event.REMINDER, Event.NEW, Event.CHANGED):
        lines.append(line(texts.FULL_ASK))
    return lines


def dutch_sms(
    appointment: Appointment | Details, event: Event, call: WhoToCall, tzinfo: dt.tzinfo
) -> str:
    return render_lines(SOURCE_LANGUAGE, sms_lines(appointment, event, call, tzinfo))


def sms_text(
    appointment: Appointment | Details, event: Event, call: WhoToCall, tzinfo: dt.tzinfo
) -> str:
    """What goes by SMS (bot/people/by_sms.py): the Dutch lines, then how to answer (not
    for a cancellation). A reminder stays one SMS: its phone line goes only when it fits
    (the contact person's number came with the opt-in's answer)."""
    lines = sms_lines(appointment, event, call, tzinfo)
    if event is Event.CANCELLED:
        return render_lines(SOURCE_LANGUAGE, lines)
    if event is Event.REMINDER:
        starts = appointment.starts_at
        lines[0] = line(
            texts.SMS_REMINDER_BY_SMS, day=day(starts, tzinfo), time=clock_time(starts, tzinfo)
        )
    answer = line(texts.SMS_ANSWER)
    text = render_lines(SOURCE_LANGUAGE, [*lines, answer])
    if call.phone and event is Event.REMINDER and not fits_one_sms(text):
        text = render_lines(SOURCE_LANGUAGE, [*lines[:-1], answer])
    return text


def own_sms_text(language: str, appointment: Appointment, event: Event, tzinfo: dt.tzinfo) -> str:
    """The second SMS, in the newcomer's own language (`[sms] translation`), after the Dutch
    one: the title and the moment first (a locked phone), the place, the interpreter, and
    how to answer. Short, as each part costs: no kind of service (the Dutch SMS has none
    either), and the names and the phone number are in the Dutch SMS just before it."""
    lines = [line(_TITLE[event]), line(texts.FULL_WHEN, when=when(appointment.starts_at, tzinfo))]
    if event is not Event.CANCELLED:
        lines.append(line(texts.FULL_WHERE, place=appointment.place))
        if appointment.interpreter_language:
            interpreter = interpreter_name(appointment.interpreter_language)
            lines.append(line(texts.INTERPRETER_BOOKED, interpreter=interpreter))
        lines.append(line(texts.SMS_ANSWER_OWN))
    # A no-break space (Babel's dates, French punctuation) would make the whole SMS UCS-2.
    return plain_replacement(render_lines(language, lines))


def newcomer_message(
    language: str, appointment: Appointment, event: Event, call: WhoToCall, tzinfo: dt.tzinfo
) -> str:
    """The newcomer's language in full, then the Dutch SMS-style text under the Dutch
    separator. A newcomer who reads Dutch gets the full message in Dutch (the kind of
    appointment, "tap a button"), not only the short lines written to fit an SMS."""
    return _newcomer_message(language, appointment.details, event, call, tzinfo)


# The text reads only the details (not who the appointment is for): the appointments of
# one slot at one office, in one language, with one contact person, read the same.
@functools.lru_cache(maxsize=2048)
def _newcomer_message(
    language: str, appointment: Details, event: Event, call: WhoToCall, tzinfo: dt.tzinfo
) -> str:
    if language == SOURCE_LANGUAGE:
        return render_lines(SOURCE_LANGUAGE, full_lines(appointment, event, call, tzinfo))
    own = render_lines(language, full_lines(appointment, event, call, tzinfo))
    return own + DUTCH_SEPARATOR + dutch_sms(appointment, event, call, tzinfo)


def sms_fits(appointment: Appointment, call: WhoToCall, tzinfo: dt.tzinfo) -> bool:
    """Every Dutch form of this appointment (reminder, new, changed) fits one SMS, and so
    does the reminder as it goes by SMS."""
    return fits_one_sms(sms_text(appointment, Event.REMINDER, call, tzinfo)) and all(
        fits_one_sms(dutch_sms(appointment, event, call, tzinfo))
        for event in (Event.REMINDER, Event.NEW, Event.CHANGED, Event.CANCELLED)
    )


def route_link(place: str) -> str:
    """A map search for the address; phones open it in their maps app."""
    return f"https://www.google.com/maps/search/?api=1&query={quote_plus(place)}"


def answer_buttons(language: str, appointment: Appointment) -> list[list[Button]]:
    """✅ ❌ on the first row (the answer), 📍 📅 below, in the newcomer's language."""

    def tap(text: str, action: str) -> Button:
        return Button(render(language, text), APPOINTMENT_ANSWER.data(action, appointment.id))

    return [
        [tap(texts.BUTTON_COMING, "yes"), tap(texts.BUTTON_NOT_COMING, "no")],
        [
            Button(render(language, texts.BUTTON_ROUTE), url=route_link(appointment.place)),
            tap(texts.BUTTON_CALENDAR, "ics"),
        ],
    ]


def reason_buttons(language: str, appointment: Appointment) -> list[list[Button]]:
    buttons = [
        Button(render(language, text), APPOINTMENT_ANSWER.data("why", appointment.id, reason.value))
        for reason, text in REASON_BUTTONS.items()
    ]
    return [buttons[:2], buttons[2:]]


def reminder_moments(dues: Sequence[dt.datetime], tzinfo: dt.tzinfo) -> PerLanguage:
    """'zondag 26 september 10:30, ...' in the reader's language, for the planning summary."""

    def listed(language: str) -> str:
        separator = list_separator(language)
        return separator.join(
            format_datetime(due.astimezone(tzinfo), "EEEE d MMMM H:mm", tzinfo=tzinfo,
                            locale=babel_locale(language))
            for due in dues
        )  # fmt: skip

    return listed


# --- towards a new appointment (bot/appointments/wishes.py) ---------------------------------


def weekday_name(weekday: int, language: str) -> str:
    """'dinsdag' in the reader's language (Monday is 0)."""
    return str(get_day_names("wide", locale=babel_locale(language))[weekday])


def wish_words(wish: Wish) -> PerLanguage:
    """'dinsdag, ochtend', what they typed (as typed), or 'geen voorkeur'."""

    def words(language: str) -> str:
        if wish.typed:
            return wish.typed
        said = [] if wish.weekday is None else [weekday_name(wish.weekday, language)]
        if wish.part is not None:
            said.append(render(language, PART_NAMES[wish.part]))
        return list_separator(language).join(said) or render(language, texts.WISH_NO_PREFERENCE)

    return words


def day_buttons(language: str, appointment: Appointment) -> list[list[Button]]:
    """Monday to Friday in the newcomer's language, and "I'll type it"."""

    days = [
        Button(
            _capitalised(weekday_name(weekday, language)),
            APPOINTMENT_WISH.data("day", appointment.id, weekday),
        )
        for weekday in WEEKDAYS
    ]
    typing = Button(
        render(language, texts.BUTTON_WISH_TYPE), APPOINTMENT_WISH.data("type", appointment.id)
    )
    return [days[:3], [*days[3:], typing]]


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def part_buttons(language: str, appointment: Appointment) -> list[list[Button]]:
    return [
        [
            Button(render(language, text), APPOINTMENT_WISH.data("part", appointment.id, part))
            for part, text in PART_BUTTONS.items()
        ]
    ]


def no_show_lines(appointment: Appointment, call: WhoToCall, tzinfo: dt.tzinfo) -> list[Line]:
    """A kind word after a missed appointment: no blame, a new one one tap away, and who
    to call. The first line shows on a locked phone: a moment, nothing more."""
    lines = [line(texts.NO_SHOW_MISSED, when=when(appointment.starts_at, tzinfo))]
    if call.phone:
        lines.append(line(texts.FULL_CALL, contact=call.name, number=display_phone(call.phone)))
    lines.append(line(texts.NO_SHOW_ASK))
    return lines


def plan_again_buttons(language: str, appointment: Appointment) -> list[list[Button]]:
    data = APPOINTMENT_WISH.data("plan", appointment.id)
    return [[Button(render(language, texts.BUTTON_PLAN_AGAIN), data)]]
