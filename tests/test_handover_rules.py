"""Rules of the warm handover that need no Telegram: redaction of the note and the card,
working days, who may read and decide, the day parser, and the group's pace."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.redaction import Kind, find_sensitive
from bot.core.typed_dates import UnclearWhen, WhenProblem, parse_day
from bot.core.working_days import add_working_days, is_working_day
from bot.handovers.model import Civic, Handover, Note, NoteBody, Reason
from bot.handovers.notes import may_read, may_take_over, preview
from bot.handovers.words import card, note_text
from bot.people.newcomers import Newcomer, NewcomerStatus
from bot.people.staff import Role, StaffMember
from bot.sending.dispatcher import GROUP_LIMIT, GROUP_WINDOW, ChatPacer
from tests.test_sensitive import NOTATIONS, ORDINARY, WORDS, national_numbers, write

BRUSSELS = ZoneInfo("Europe/Brussels")
AUTHOR = StaffMember(1, 101, "Laila Peeters", Role.CASEWORKER, 1, "VDAB", "nl")
AMAL = Newcomer(7, "K-7F3Q", "Amal", "ar", NewcomerStatus.ACTIVE, 3, True)


def _note(body: NoteBody, author: StaffMember = AUTHOR) -> Note:
    handover = Handover(AMAL, 2, None, Reason.HANDOVER, body, dt.date(2027, 3, 22))
    return preview(author, handover, "OCMW", None, dt.datetime(2027, 3, 22, 9, tzinfo=dt.UTC))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


# --- nothing that should not be there ----------------------------------------------------


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    number=national_numbers(),
    notation=st.sampled_from(NOTATIONS),
    field=st.sampled_from(["plan_a", "attention", "next_step", "school"]),
    before=st.lists(st.one_of(st.sampled_from(WORDS), ORDINARY), max_size=3),
    after=st.lists(st.one_of(st.sampled_from(WORDS), ORDINARY), max_size=3),
)
@example(  # a BIS number of 2000 that, before a time, also reads as a phone number
    number="00271000114", notation="{a}{b}{c}{s}{k}", field="plan_a", before=[], after=["10:30"]
)
@example(  # a BIS number before "2026 Gent": the window "07001082026" passes as a national one
    number="69460700108",
    notation="{a}.{b}.{c}-{s}.{k}",
    field="plan_a",
    before=[],
    after=["2026 Gent"],
)
def test_no_national_or_bis_number_reaches_the_stored_note_or_the_card(
    number: str, notation: str, field: str, before: list[str], after: list[str]
) -> None:
    written = write(number, notation)
    text = " ".join([*before, written, *after])
    note = _note(
        NoteBody.model_validate({"mother_tongue": "ar", "plan_a": "Opleiding", field: text})
    )
    assert note.body is not None
    stored = note.body.model_dump_json()  # exactly what bot.handovers.notes.post stores
    channel = card(BRUSSELS)(note).text  # exactly what goes to the partner group
    private = note_text(note, "nl", BRUSSELS)  # what the two organisations may read
    for shown in (stored, channel, private):
        assert written not in shown
        assert number not in _digits(shown)
        assert not [
            f for f in find_sensitive(shown) if f.kind in (Kind.NATIONAL_NUMBER, Kind.BIS_NUMBER)
        ]
    # The reader is told what went. Usually as an identity number; "00271000114 10:30"
    # also reads as an international phone number (00 27 ...), and goes as that.
    bis = int(number[2:4]) > 12  # a BIS number's month is raised by 20 or 40
    told = "[BIS-nummer weggehaald]" if bis else "[rijksregisternummer weggehaald]"
    assert told in private or (number.startswith("00") and "[telefoonnummer weggehaald]" in private)


@settings(max_examples=200)
@given(st.lists(st.one_of(st.sampled_from(WORDS), ORDINARY), min_size=1, max_size=10))
def test_dates_house_numbers_and_amounts_stay_in_the_note(parts: list[str]) -> None:
    text = " ".join(parts)[:300]
    body = NoteBody(mother_tongue="ar", plan_a=text)
    assert body.redacted().plan_a == " ".join(text.split())


def test_phones_emails_and_ibans_are_taken_out_and_named_in_the_readers_language() -> None:
    body = NoteBody(
        mother_tongue="ar",
        attention="Bel 0470 12 34 56 of mail amal@example.com. Rekening BE71 0961 2345 6769.",
    )
    note = _note(body)
    assert note.body is not None
    assert "0470" not in note.body.attention and "example" not in note.body.attention
    assert "0961" not in note.body.attention
    english = note_text(note, "en", BRUSSELS)
    assert "[phone number removed]" in english
    assert "[e-mail address removed]" in english
    assert "[bank account number removed]" in english


def test_the_card_names_no_one_and_keeps_the_personal_details_out() -> None:
    body = NoteBody(
        mother_tongue="ar", contact_languages=("nl", "en"), interpreter_needed=True,
        dutch_level="A1", school="CVO Gent", civic=Civic.IN_PROGRESS,
        plan_a="Opleiding heftruck", attention="Kinderopvang op woensdag",
        next_step="Kennismaking", next_date=dt.date(2027, 4, 5),
    )  # fmt: skip
    shown = card(BRUSSELS)(_note(body)).text
    assert shown.startswith("🤝 Overdracht H-····: van VDAB naar OCMW.")
    assert "Kennismaking" in shown and "5 april 2027" in shown
    for private in ("Amal", "K-7F3Q", "Kinderopvang", "heftruck", "CVO", "A1"):
        assert private not in shown


# --- who may read and decide ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisation_id", "role", "reads", "takes"),
    [
        (1, Role.CASEWORKER, True, False),  # the sending organisation
        (2, Role.CASEWORKER, True, True),  # the receiving organisation
        (2, Role.COORDINATOR, True, False),  # reads, but does not become the contact
        (3, Role.CASEWORKER, False, False),  # an uninvolved partner
        (None, Role.COORDINATOR, False, False),  # a coordinator of no organisation
    ],
)
def test_only_the_two_organisations_read_and_only_the_receiver_takes_over(
    organisation_id: int | None, role: Role, reads: bool, takes: bool
) -> None:
    note = _note(NoteBody(mother_tongue="ar"))
    staff = StaffMember(9, 109, "Els", role, organisation_id, "?", "nl")
    assert may_read(staff, note) is reads
    assert may_take_over(staff, note) is takes


# --- working days ------------------------------------------------------------------------------


def test_working_days_skip_weekends_and_belgian_holidays() -> None:
    assert not is_working_day(dt.date(2027, 3, 29))  # Easter Monday
    assert not is_working_day(dt.date(2027, 3, 27))  # a Saturday
    friday = dt.datetime(2027, 3, 26, 15, tzinfo=BRUSSELS)
    # Friday + 3 working days: Tuesday (Easter Monday does not count), Wednesday, Thursday.
    assert add_working_days(friday, 3, BRUSSELS) == dt.datetime(2027, 4, 1, 15, tzinfo=BRUSSELS)
    saturday = dt.datetime(2027, 4, 3, 11, tzinfo=BRUSSELS)
    # From a Saturday the count starts on Monday morning: three full working days.
    assert add_working_days(saturday, 3, BRUSSELS) == dt.datetime(2027, 4, 8, tzinfo=BRUSSELS)


# --- days typed by caseworkers -----------------------------------------------------------------


def test_a_next_step_lies_ahead_and_a_consent_day_lies_behind() -> None:
    today = dt.date(2027, 3, 22)
    assert parse_day("5/4", today, ahead=True) == dt.date(2027, 4, 5)
    assert parse_day("20/3", today, ahead=False) == dt.date(2027, 3, 20)
    assert parse_day("ma 22/3", today, ahead=True) == today
    problems = {
        ("20-03-2027", True): WhenProblem.PAST,
        ("5/4/2027", False): WhenProblem.FUTURE,
        ("di 22/3", True): WhenProblem.WRONG_WEEKDAY,
        ("31/2", True): WhenProblem.NO_SUCH_DATE,
        ("morgen", True): WhenProblem.UNCLEAR,
    }
    for (typed, ahead), problem in problems.items():
        with pytest.raises(UnclearWhen) as refused:
            parse_day(typed, today, ahead=ahead)
        assert refused.value.problem is problem


# --- the partner group's pace -------------------------------------------------------------------


def test_a_group_gets_at_most_twenty_messages_in_any_minute() -> None:
    pacer, group = ChatPacer(), -100500
    for second in range(GROUP_LIMIT):
        assert pacer.wait_for(group, float(second)) == 0
        pacer.record(group, float(second))
    wait = pacer.wait_for(group, 20.0)
    assert GROUP_WINDOW - 20 < wait <= GROUP_WINDOW - 20 + 0.1  # the first send leaves the window
    assert pacer.wait_for(group, GROUP_WINDOW + 0.1) == 0
    assert pacer.wait_for(-100600, 20.0) == 0  # another group has its own count


@pytest.mark.parametrize(
    ("spoken", "dutch", "english"),
    [
        (("ar", "nl", "fr"), "Moedertaal: Arabisch. Ook te gebruiken: Nederlands en Frans.",
         "Mother tongue: Arabic. Can also be used: Dutch and French."),
        (("ar",), "Moedertaal: Arabisch.\n", "Mother tongue: Arabic.\n"),
        ((), "Moedertaal: Arabisch. Ook te gebruiken: niet ingevuld.",
         "Mother tongue: Arabic. Can also be used: not filled in."),
    ],
)  # fmt: skip
def test_the_other_languages_follow_the_mother_tongue_without_naming_it_twice(
    spoken: tuple[str, ...], dutch: str, english: str
) -> None:
    note = _note(NoteBody(mother_tongue="ar", contact_languages=spoken, plan_a="Opleiding"))
    assert dutch in note_text(note, "nl", BRUSSELS)
    assert english in note_text(note, "en", BRUSSELS)
