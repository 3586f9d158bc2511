"""The newcomer's contact card: the one contact person first, with how to reach them, then
everyone else who helps, each with what to ask them; and the notice of a new contact
person, only to a newcomer who agreed and can be reached."""

from __future__ import annotations

from bot.people.contact_card import contact_card, contact_changed_notice, contact_lines
from bot.people.counsellors import Counsellor, CounsellorRole
from bot.people.newcomers import Newcomer, NewcomerStatus
from messages import DUTCH_SEPARATOR, render_lines

CONTACT = Counsellor(
    1, 7, "Sarah Janssens", "OCMW", CounsellorRole.CASEWORKER, True,
    "+32470123456", "ma-vr 9-12", ("nl", "fr"), 70, "nl",
)  # fmt: skip
COACH = Counsellor(
    2, 8, "Jonas Peeters", "VDAB", CounsellorRole.JOB_COACH, False, "+32470999999", "", (), 80, "nl"
)
BUDDY = Counsellor(3, None, "Mia", "Buddy vzw", CounsellorRole.BUDDY, False, "", "", (), None, "nl")
AMAL = Newcomer(5, "K-5AAA", "Amal", "ar", NewcomerStatus.ACTIVE, 5005, True)


def test_the_card_names_the_contact_first_with_phone_hours_and_languages_then_the_others() -> None:
    card = render_lines("nl", contact_lines([COACH, CONTACT, BUDDY])).splitlines()
    assert card == [
        "Uw contactpersoon is Sarah Janssens van OCMW.",
        "Bel of stuur een bericht: 0470 12 34 56.",  # a Belgian number, as Belgians write it
        "U kunt bellen: maandag–vrijdag 9:00–12:00.",  # read in the reader's language
        "Sarah Janssens spreekt Nederlands en Frans.",
        "Ook deze mensen helpen u:",
        "Jonas Peeters (VDAB): Vraag naar werk en een job zoeken.",
        "Mia (Buddy vzw): Samen praten en Nederlands oefenen.",
    ]
    # The others' phones are not on the card: the newcomer has one number to call.
    assert "999" not in "\n".join(card)


def test_a_contact_without_phone_hours_or_languages_and_nobody_else_is_one_line() -> None:
    bare = Counsellor(
        1, None, "Sarah", "OCMW", CounsellorRole.CASEWORKER, True, "", "", (), None, "nl"
    )
    assert render_lines("nl", contact_lines([bare])) == "Uw contactpersoon is Sarah van OCMW."
    assert contact_lines([]) == []  # nobody yet: no empty "others" heading either


def test_the_card_is_in_the_newcomers_language_then_in_plain_dutch() -> None:
    dutch = contact_card("nl", [CONTACT])
    assert DUTCH_SEPARATOR not in dutch and dutch.startswith("Uw contactpersoon is Sarah")
    arabic, again = contact_card("ar", [CONTACT]).split(DUTCH_SEPARATOR)
    assert again == dutch
    assert "Sarah Janssens" in arabic and "Uw contactpersoon" not in arabic


def test_a_new_contact_is_told_with_how_to_reach_them_in_both_languages() -> None:
    notice = contact_changed_notice(AMAL, [COACH, CONTACT], "contact:5:1")
    assert notice is not None
    assert (notice.chat_id, notice.newcomer_id, notice.idempotency_key, notice.purpose) == (
        5005, 5, "contact:5:1", "notice",
    )  # fmt: skip
    arabic, dutch = notice.text.split(DUTCH_SEPARATOR)
    assert dutch.splitlines() == [
        "U hebt een nieuwe contactpersoon: Sarah Janssens van OCMW.",
        "Bel of stuur een bericht: 0470 12 34 56.",  # a Belgian number, as Belgians write it
        "U kunt bellen: maandag–vrijdag 9:00–12:00.",  # read in the reader's language
    ]
    assert "Sarah Janssens" in arabic and "U hebt" not in arabic


def test_no_notice_without_a_contact_or_to_a_newcomer_who_cannot_be_reached() -> None:
    assert contact_changed_notice(AMAL, [COACH, BUDDY], "k") is None  # nobody is the contact
    for status in (NewcomerStatus.STOPPED, NewcomerStatus.UNREACHABLE, NewcomerStatus.INVITED):
        someone = Newcomer(5, "K-5AAA", "Amal", "ar", status, 5005, True)
        assert contact_changed_notice(someone, [CONTACT], "k") is None, status
