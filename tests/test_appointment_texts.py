"""The reminder a newcomer reads: the newcomer's language in full, nothing sensitive in
what a lock screen shows, then one GSM-7 SMS in Dutch with the longest realistic values."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.appointments.calendar_file import appointment_ics
from bot.appointments.records import Appointment, Kind, Status
from bot.appointments.words import (
    Event,
    WhoToCall,
    answer_buttons,
    dutch_sms,
    newcomer_message,
    own_sms_text,
    route_link,
    sms_fits,
    sms_text,
)
from bot.core.config import RemindersConfig, parse_offset
from bot.core.phones import display_phone
from bot.people.interpreters import parse_interpreter_language
from messages import DUTCH_SEPARATOR, FSI, render, texts
from messages.samples import SAMPLE_VALUES
from messages.sms import GSM7, as_gateway_sends, fits_one_sms, measure

BRUSSELS = ZoneInfo("Europe/Brussels")
# Thursday 30 September: the longest weekday and month names in Dutch.
LONGEST = dt.datetime(2027, 9, 30, 10, 30, tzinfo=BRUSSELS)
LONG_CALL = WhoToCall(SAMPLE_VALUES["contact"][0], "+32470123456")


def appointment(
    kind: Kind = Kind.DUO_INTAKE,
    *,
    place: str = SAMPLE_VALUES["place"][0],
    with_whom: str = SAMPLE_VALUES["with_whom"][0],
    interpreter: str | None = "so",
) -> Appointment:
    return Appointment(1, 1, kind, LONGEST, place, with_whom, interpreter, Status.PLANNED, None)


@pytest.mark.parametrize(
    ("kind", "event", "with_whom", "interpreter"),
    list(itertools.product(Kind, Event, [SAMPLE_VALUES["with_whom"][0], ""], ["so", "ti", None])),
)
def test_every_dutch_reminder_fits_one_gsm7_sms_with_long_values(
    kind: Kind, event: Event, with_whom: str, interpreter: str | None
) -> None:
    # "Sint-Pietersnieuwstraat 120, 9000 Gent", "Anneleen Van den Broeck", a mobile number.
    text = dutch_sms(
        appointment(kind, with_whom=with_whom, interpreter=interpreter), event, LONG_CALL, BRUSSELS
    )
    length = measure(text)
    assert length.encoding == GSM7 and length.parts == 1, (text, length)
    assert "Sint-Pietersnieuwstraat 120, 9000 Gent" in text or event is Event.CANCELLED


def test_the_reminder_says_day_date_time_place_who_interpreter_and_phone() -> None:
    text = dutch_sms(appointment(), Event.REMINDER, LONG_CALL, BRUSSELS)
    assert text.splitlines() == [
        "Afspraak: donderdag 30 september om 10:30",
        "Sint-Pietersnieuwstraat 120, 9000 Gent",
        "Met Anneleen Van den Broeck, tolk Somalisch",
        "Vragen? Bel 0470 12 34 56",
    ]
    alone = dutch_sms(
        appointment(with_whom="", interpreter="ar"), Event.REMINDER, LONG_CALL, BRUSSELS
    )
    assert "Er is een tolk Arabisch." in alone.splitlines()


@pytest.mark.parametrize("event", list(Event))
def test_the_first_line_shows_nothing_sensitive_on_a_lock_screen(event: Event) -> None:
    first = dutch_sms(appointment(Kind.SOCIAL_WORKER), event, LONG_CALL, BRUSSELS).splitlines()[0]
    for sensitive in ("Sociaal", "werker", "Sint-Pieters", "Anneleen", "tolk", "Somalisch"):
        assert sensitive not in first


@pytest.mark.parametrize("language", ["nl", "en", "ar", "ti"])
@pytest.mark.parametrize("event", list(Event))
def test_what_a_locked_phone_shows_of_the_message_is_the_title_and_the_moment(
    event: Event, language: str
) -> None:
    """The newcomer's own language comes first (one layout for every newcomer message): its
    first two lines, which a locked phone shows, name no service, place or person."""
    social = appointment(Kind.SOCIAL_WORKER)
    shown = newcomer_message(language, social, event, LONG_CALL, BRUSSELS).splitlines()[:2]
    assert shown[0] == render(language, getattr(texts, f"{event.name}_TITLE"))
    for sensitive in (render(language, texts.KIND_SOCIAL_WORKER), "Sint-Pieters", "Anneleen"):
        assert all(sensitive not in line for line in shown)


def test_the_newcomers_language_in_full_isolated_right_to_left_then_the_dutch_sms() -> None:
    text = newcomer_message("ar", appointment(Kind.JOB_COACH), Event.REMINDER, LONG_CALL, BRUSSELS)
    own, dutch = text.split(DUTCH_SEPARATOR)
    # The Dutch part is the SMS itself, unchanged: what a gateway would send.
    assert dutch == dutch_sms(appointment(Kind.JOB_COACH), Event.REMINDER, LONG_CALL, BRUSSELS)
    assert own.startswith(render("ar", texts.REMINDER_TITLE))
    assert render("ar", texts.KIND_JOB_COACH) in own  # the kind, which the SMS leaves out
    assert f"{FSI}Sint-Pietersnieuwstraat 120, 9000 Gent" in own
    # A Dutch reader gets the full message in Dutch: the kind and "tap a button" too.
    dutch_reader = newcomer_message("nl", appointment(), Event.NEW, LONG_CALL, BRUSSELS)
    assert dutch_reader.startswith(texts.NEW_TITLE)
    assert render("nl", texts.FULL_ASK) in dutch_reader
    assert DUTCH_SEPARATOR not in dutch_reader


def test_too_long_typed_values_do_not_fit_and_accents_are_counted_as_a_gateway_sends_them() -> None:
    long = appointment(with_whom="Anneleen Van den Broeck en Youssef El Amrani-Bakkali")
    assert not sms_fits(long, LONG_CALL, BRUSSELS)
    assert sms_fits(appointment(with_whom="Joëlle Van den Broeck"), LONG_CALL, BRUSSELS)
    assert as_gateway_sends("Joëlle – Oekraïens") == "Joelle - Oekraiens"
    assert fits_one_sms("é" * 160) and not fits_one_sms("é" * 161)


def test_buttons_answer_route_and_calendar_in_the_newcomers_language() -> None:
    rows = answer_buttons("ti", appointment())
    assert [b.text for b in rows[0]] == [
        render("ti", texts.BUTTON_COMING),
        render("ti", texts.BUTTON_NOT_COMING),
    ]
    assert [b.data for b in rows[0]] == ["v1:ap:yes:1", "v1:ap:no:1"]
    route, calendar = rows[1]
    assert route.url == route_link(appointment().place) and not route.data
    assert route.url.endswith("query=Sint-Pietersnieuwstraat+120%2C+9000+Gent")
    assert calendar.data == "v1:ap:ics:1"


def test_the_calendar_file_holds_the_appointment_in_utc() -> None:
    data = appointment_ics(
        uid="appointment-1@schakel",
        starts_at=LONGEST,
        title="Eerste gesprek",
        place="Kongostraat 7, 9000 Gent",
        description="Met: Els",
        stamp=LONGEST,
    )
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == LONGEST.astimezone(dt.UTC)
    assert str(event["location"]) == "Kongostraat 7, 9000 Gent"
    assert str(event["summary"]) == "Eerste gesprek"
    assert event.walk("VALARM")


def test_offsets_per_kind_from_the_configuration() -> None:
    config = RemindersConfig(kinds={"info_session": ("1d",)})
    assert config.offsets_for("info_session") == (dt.timedelta(days=1),)
    assert config.offsets_for("duo_intake") == (
        dt.timedelta(days=3), dt.timedelta(days=1), dt.timedelta(hours=2),
    )  # fmt: skip
    assert parse_offset("30m") == dt.timedelta(minutes=30)
    for wrong in ("3 weeks", "0h", "40d", ""):
        with pytest.raises(ValueError):
            parse_offset(wrong)
    with pytest.raises(ValueError, match="unknown appointment kind"):
        RemindersConfig(kinds={"party": ("1d",)})


def test_one_phone_format_everywhere_and_interpreter_languages_as_typed() -> None:
    # The card, the reminders and /profiel all show a number this one way.
    assert display_phone("+32470123456") == "0470 12 34 56"
    assert display_phone("+32 9 265 48 11") == "09 265 48 11"
    assert display_phone("+31612345678") == "+31 6 12345678"
    assert display_phone("bel het onthaal") == "bel het onthaal"
    assert [parse_interpreter_language(t) for t in ("Arabisch", "arabe", "dari", "Tigrinya")] == [
        "ar", "ar", "fa_AF", "ti",
    ]  # fmt: skip
    assert parse_interpreter_language("Klingons") is None


@pytest.mark.parametrize(
    ("kind", "with_whom", "interpreter"),
    list(itertools.product(Kind, [*SAMPLE_VALUES["with_whom"], ""], ["so", "ti", "ar", None])),
)
def test_the_reminder_by_sms_is_one_sms_with_the_reply_keywords_and_long_values(
    kind: Kind, with_whom: str, interpreter: str | None
) -> None:
    text = sms_text(
        appointment(kind, with_whom=with_whom, interpreter=interpreter),
        Event.REMINDER,
        LONG_CALL,
        BRUSSELS,
    )
    assert fits_one_sms(text), (text, measure(text))
    lines = text.splitlines()
    assert lines[0] == "Afspraak donderdag 30 september om 10:30"
    assert lines[-1] == render("nl", texts.SMS_ANSWER) == "Antwoord 1 = ik kom, 2 = ik kan niet"
    assert "Sint-Pietersnieuwstraat 120, 9000 Gent" in lines


def test_by_sms_the_phone_line_stays_when_it_fits_and_a_cancellation_asks_nothing() -> None:
    short = appointment(with_whom="Els", interpreter=None, place="Kongostraat 7, 9000 Gent")
    assert "Vragen? Bel 0470 12 34 56" in sms_text(short, Event.REMINDER, LONG_CALL, BRUSSELS)
    assert "Vragen? Bel" not in sms_text(appointment(), Event.REMINDER, LONG_CALL, BRUSSELS)
    cancelled = sms_text(appointment(), Event.CANCELLED, LONG_CALL, BRUSSELS)
    assert cancelled == dutch_sms(appointment(), Event.CANCELLED, LONG_CALL, BRUSSELS)
    assert texts.SMS_ANSWER not in cancelled
    # New and changed end with the keywords too (two segments: only reminders promise one).
    for event in (Event.NEW, Event.CHANGED):
        assert sms_text(appointment(), event, LONG_CALL, BRUSSELS).endswith(texts.SMS_ANSWER)


# The second SMS in the newcomer's language (`[sms] translation`): the segments a typical
# reminder costs, as config.example.toml and docs/operations.md tell the partners.
OWN_SMS_SEGMENTS = {"en": 1, "fr": 1, "so": 1, "tr": 3, "ti": 2,
                    "ar": 3, "fa": 3, "fa_AF": 3, "ps": 3, "ru": 3, "uk": 3}  # fmt: skip


@pytest.mark.parametrize("language", sorted(OWN_SMS_SEGMENTS))
def test_the_reminder_in_their_own_language_costs_what_the_configuration_says(
    language: str,
) -> None:
    """Typical values (a Thursday in March, VDAB's address, no interpreter) cost what the
    configuration's comment says; the longest realistic ones (the longest day, address and
    an interpreter) at most one segment more, as it says too."""
    typical = Appointment(1, 1, Kind.DUO_INTAKE, dt.datetime(2027, 3, 4, 10, tzinfo=BRUSSELS),
                          SAMPLE_VALUES["place"][1], "", None, Status.PLANNED, None)  # fmt: skip
    cost = measure(own_sms_text(language, typical, Event.REMINDER, BRUSSELS)).parts
    assert cost == OWN_SMS_SEGMENTS[language]
    for event in Event:
        longest = measure(own_sms_text(language, appointment(), event, BRUSSELS)).parts
        assert longest <= OWN_SMS_SEGMENTS[language] + 1, (event, longest)
    promised = (Path(__file__).parents[1] / "config.example.toml").read_text(encoding="utf-8")
    assert "longest" in promised and "one more segment" in promised
