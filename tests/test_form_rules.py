"""The rules the three forms hold their answers to, without Telegram: short texts, the
appointment's place and names, the handover's partner, languages and free texts, the
announcement's kind, title and message, and what no longer holds once a draft waited."""

from __future__ import annotations

import datetime as dt

from bot.announcements import form_rules as announcement_rules
from bot.announcements.audiences import AudienceKind
from bot.announcements.model import TEXT_MAX, TITLE_MAX, SessionKind
from bot.appointments import planning
from bot.appointments.records import PLACE_MAX, Kind
from bot.core.clock import to_db
from bot.core.config import OrganisationConfig
from bot.core.redaction import Kind as Removed
from bot.core.typed_text import TextProblem, one_line, typed_block, typed_line
from bot.handovers import form_rules as handover_rules
from bot.handovers.form_rules import Redacted, UnknownLanguage
from bot.handovers.model import TEXT_MAX as NOTE_MAX
from bot.handovers.model import Reason
from bot.people.newcomers import Newcomer, NewcomerStatus
from bot.people.organisations import Organisation, address_of
from bot.sending.services import Services
from tests.conftest import FakeClock

NOW = dt.datetime(2027, 1, 20, 9, tzinfo=dt.UTC)


def test_a_typed_line_is_one_line_within_its_limit() -> None:
    assert one_line("  Kongostraat\n 7 ") == "Kongostraat 7"
    assert typed_line("a  b", 3) == "a b"
    assert typed_line("abcd", 3) is TextProblem.TOO_LONG
    assert typed_line("   ", 3) == ""
    assert typed_line("   ", 3, required=True) is TextProblem.EMPTY


def test_a_typed_block_keeps_its_line_breaks_and_may_not_be_empty() -> None:
    assert typed_block(" Bring:\n- your card \n", 20) == "Bring:\n- your card"
    assert typed_block("\n \n", 20) is TextProblem.EMPTY
    assert typed_block("x" * 21, 20) is TextProblem.TOO_LONG


def test_the_appointment_form_takes_a_place_and_names_within_their_limits() -> None:
    assert planning.typed_place("Kongostraat   7, Gent") == "Kongostraat 7, Gent"
    assert planning.typed_place("x" * (PLACE_MAX + 1)) is TextProblem.TOO_LONG
    assert planning.typed_with_whom("Anneleen  en Youssef") == "Anneleen en Youssef"
    details = planning.details_from(
        {"kind": Kind.JOB_COACH.value, "starts_at": to_db(NOW), "place": "VDAB",
         "with_whom": None, "interpreter": "ar"}
    )  # fmt: skip
    assert (details.kind, details.starts_at, details.with_whom) == (Kind.JOB_COACH, NOW, "")
    assert details.interpreter_language == "ar"


def test_a_partner_with_an_address_is_a_place_to_meet() -> None:
    vdab = OrganisationConfig(short_name="VDAB", name="VDAB", address="Kongostraat 7")
    city = OrganisationConfig(short_name="Stad", name="Stad Gent")
    assert address_of((vdab, city), "VDAB") == "VDAB, Kongostraat 7"
    assert address_of((vdab, city), "Stad") is None  # no address
    assert address_of((vdab, city), "OCMW") is None


ORGANISATIONS = [Organisation(1, "VDAB", "VDAB"), Organisation(2, "OCMW", "OCMW Gent")]


def test_a_handover_goes_to_a_partner_by_button_or_by_name_never_to_ones_own() -> None:
    assert handover_rules.partner(ORGANISATIONS, 1, "2") == ORGANISATIONS[1]
    assert handover_rules.partner(ORGANISATIONS, 1, "1") is None  # one's own
    assert handover_rules.partner(ORGANISATIONS, 1, "9") is None
    assert handover_rules.partner_named(ORGANISATIONS, 1, " ocmw ") == ORGANISATIONS[1]
    assert handover_rules.partner_named(ORGANISATIONS, 1, "vdab") is None
    assert handover_rules.partner_named(ORGANISATIONS, 1, "Fedasil") is None


def test_languages_are_typed_as_a_list_with_the_commas_of_any_keyboard() -> None:
    assert handover_rules.typed_languages("Arabisch, Frans") == ["ar", "fr"]
    assert handover_rules.typed_languages("Arabisch، Frans") == ["ar", "fr"]
    assert handover_rules.typed_languages("Arabisch; Klingons") == UnknownLanguage("Klingons")
    assert handover_rules.typed_languages(" , ") == UnknownLanguage(",")


def test_a_free_text_of_the_note_is_redacted_and_held_to_its_field() -> None:
    kept = handover_rules.typed_note_text("attention", "Bel  0470 12 34 56 eerst")
    assert isinstance(kept, Redacted)
    assert "0470" not in kept.text and [f.kind for f in kept.findings] == [Removed.PHONE]
    too_long = "x" * (NOTE_MAX["school"] + 1)
    assert handover_rules.typed_note_text("school", too_long) is TextProblem.TOO_LONG
    assert handover_rules.typed_note_text("plan_a", too_long) == Redacted(too_long, [])


def test_the_handovers_answers_make_the_handover() -> None:
    newcomer = Newcomer(7, "K-ABCD", "Amal", "ar", NewcomerStatus.ACTIVE, 3, True)
    answers = {"ref": "K-ABCD", "mother": "ar", "spoken": ["nl", "fr"], "org": 2,
               "reason": Reason.HANDOVER.value, "agreed_on": "2027-01-19",
               "next_date": None, "plan_a": "NT2"}  # fmt: skip
    handover = handover_rules.handover_from(answers, newcomer)
    assert (handover.to_organisation_id, handover.to_staff_id) == (2, None)
    assert handover.agreed_on == dt.date(2027, 1, 19)
    assert handover.body.contact_languages == ("nl", "fr") and handover.body.plan_a == "NT2"
    assert handover.body.next_date is None


def test_a_known_session_kind_brings_its_title_and_texts() -> None:
    work = announcement_rules.chosen_kind(SessionKind.WORK.value)
    assert work is not None and work["title_from_kind"] and work["template"]
    assert work["title"] and "nl" in work["texts"]
    other = announcement_rules.chosen_kind(SessionKind.OTHER.value)
    assert other == {"kind": "other", "title_from_kind": False, "title": ""}
    assert announcement_rules.chosen_kind("party") is None


def test_an_announcements_title_and_message_are_not_empty_and_within_limits() -> None:
    assert announcement_rules.typed_title("Werken  in België") == "Werken in België"
    assert announcement_rules.typed_title(" ") is TextProblem.EMPTY
    assert announcement_rules.typed_title("x" * (TITLE_MAX + 1)) is TextProblem.TOO_LONG
    assert announcement_rules.typed_message("Breng:\n- uw kaart") == "Breng:\n- uw kaart"
    assert announcement_rules.typed_message("x" * (TEXT_MAX + 1)) is TextProblem.TOO_LONG


async def test_what_no_longer_holds_once_a_draft_waited(
    services: Services, clock: FakeClock
) -> None:
    starts = NOW + dt.timedelta(days=3)
    answers = {"starts_at": to_db(starts), "send_at": None, "audience": {"kind": "all"}}
    store = services.store
    assert await announcement_rules.stale(store, answers, NOW) is announcement_rules.Stale.NOBODY
    late = answers | {"send_at": to_db(starts + dt.timedelta(hours=1))}
    stale = await announcement_rules.stale(store, late, NOW)
    assert stale is announcement_rules.Stale.SEND_AFTER_START
    started = await announcement_rules.stale(store, answers, starts)
    assert started is announcement_rules.Stale.STARTED
    assert not await announcement_rules.audience_value_known(store, AudienceKind.TAG, "x")
    assert await announcement_rules.audience_value_known(store, AudienceKind.LANGUAGE, "ar")
    assert await announcement_rules.typed_tag(store, "lavendelgroep") is None
