"""Who an announcement reaches (groundwork for issue 7): each audience, and never anyone
who stopped, did not agree, cannot be reached or was forgotten."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.announcements.audiences import (
    TAG_MAX,
    Audience,
    AudienceKind,
    BadTag,
    LeftOut,
    Recipient,
    add_tag,
    clean_tag,
    languages_reached,
    left_out,
    reach,
    recipients,
    remove_tag,
    tags_in_use,
    tags_of,
    without_text,
)
from bot.people.newcomers import Newcomer, NewcomerStatus
from bot.storage.database import Store
from tests.conftest import FakeClock

NOW = "2027-03-22T09:00:00.000000Z"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = await Store.open(tmp_path / "audiences.db")
    async with store.transaction() as db:
        await db.execute("INSERT INTO organisations (id, short_name, name) VALUES (1, 'VDAB', 'V')")
        await db.execute("INSERT INTO organisations (id, short_name, name) VALUES (2, 'OCMW', 'O')")
        for staff_id, org in ((10, 1), (20, 2)):
            await db.execute(
                "INSERT INTO staff (id, telegram_user_id, name, role, organisation_id, created_at)"
                " VALUES (?, ?, ?, 'caseworker', ?, ?)",
                (staff_id, 1000 + staff_id, f"staff {staff_id}", org, NOW),
            )
        # (id, language, status, agreed, linked, forgotten, helped by staff)
        people = [
            (1, "ar", "active", True, True, False, 10),
            (2, "ti", "active", True, True, False, 10),
            (3, "ar", "active", True, True, False, 20),
            (4, "ar", "stopped", True, True, False, 10),
            (5, "ar", "active", False, True, False, 10),  # did not agree
            (6, "ar", "invited", False, False, False, 10),  # never linked
            (7, "ar", "unreachable", True, True, False, 10),  # blocked the bot
            (8, "ar", "active", True, True, True, 10),  # asked to be forgotten
        ]
        for newcomer_id, language, status, agreed, linked, forgotten, helper in people:
            await db.execute(
                "INSERT INTO newcomers (id, reference, first_name, language, status, chat_id,"
                " consent_at, forgotten_at, created_at) VALUES (?, ?, 'X', ?, ?, ?, ?, ?, ?)",
                (
                    newcomer_id, f"K-{newcomer_id}AAA", language, status,
                    5000 + newcomer_id if linked else None, NOW if agreed else None,
                    NOW if forgotten else None, NOW,
                ),
            )  # fmt: skip
            await db.execute(
                "INSERT INTO counsellors (newcomer_id, staff_id, name, organisation_id, role,"
                " is_contact) VALUES (?, ?, 'x', ?, 'caseworker', 1)",
                (newcomer_id, helper, 1 if helper == 10 else 2),
            )
    yield store
    await store.close()


def _newcomer(newcomer_id: int) -> Newcomer:
    return Newcomer(
        newcomer_id, f"K-{newcomer_id}AAA", "X", "ar", NewcomerStatus.ACTIVE, None, True
    )


async def _ids(store: Store, kind: AudienceKind, value: str = "") -> list[int]:
    return [r.newcomer_id for r in await recipients(store, Audience(kind=kind, value=value))]


async def test_each_audience_reaches_only_linked_newcomers_who_agreed(store: Store) -> None:
    assert await _ids(store, AudienceKind.ALL) == [1, 2, 3]
    assert await _ids(store, AudienceKind.LANGUAGE, "ar") == [1, 3]
    assert await _ids(store, AudienceKind.ORGANISATION, "2") == [3]
    assert await _ids(store, AudienceKind.CASEWORKER, "10") == [1, 2]
    assert await _ids(store, AudienceKind.TAG, "professioneel perspectief") == []
    clock = FakeClock()
    for newcomer_id in (2, 3, 4):
        await add_tag(store, clock, _newcomer(newcomer_id), "Professioneel  Perspectief", actor="t")
    await add_tag(store, clock, _newcomer(2), "professioneel perspectief", actor="t")  # once
    assert await tags_of(store, 2) == ["professioneel perspectief"]
    assert await _ids(store, AudienceKind.TAG, "professioneel perspectief") == [2, 3]


async def test_who_gets_dutch_and_english_because_their_language_has_no_text(
    store: Store,
) -> None:
    everyone = await recipients(store, Audience())
    assert [(p.newcomer_id, p.language) for p in without_text(everyone, {"nl", "ar"})] == [
        (2, "ti")
    ]


async def test_the_reach_is_counted_as_the_list_would_give_it_and_read_in_pages(
    store: Store,
) -> None:
    """A release counts before it lists (its first messages need not wait for 50,000
    recipients) and reads them a page at a time: the same people, once each."""
    everyone = await recipients(store, Audience())
    counted = await reach(store, Audience(), {"nl", "ar"})
    assert counted.reached == len(everyone)
    assert counted.without_text == len(without_text(everyone, {"nl", "ar"}))
    assert counted.left_out == await left_out(store, Audience())
    assert (await reach(store, Audience())).without_text == len(everyone)  # no text at all
    pages, after = [], 0
    while page := await recipients(store, Audience(), after=after, limit=2):
        pages.append(page)
        after = page[-1].newcomer_id
    assert [person for page in pages for person in page] == everyone
    assert len(everyone) > 2 and {len(page) for page in pages[:-1]} == {2}


def test_tags_are_short_words_without_odd_characters() -> None:
    assert clean_tag("  Job  beurs ") == "job beurs"
    for bad in ("", "x" * 41, "#vdab", "_", "a;b"):
        with pytest.raises(BadTag):
            clean_tag(bad)


async def test_an_organisation_reaches_its_own_newcomers_only(store: Store) -> None:
    """Three organisations and one that helps nobody; a newcomer helped by two is reached
    by both, once. (A filter comparing ids with >= instead of = survived the suite.)"""
    async with store.transaction() as db:
        for org in (3, 4):
            await db.execute(
                "INSERT INTO organisations (id, short_name, name) VALUES (?, ?, 'x')",
                (org, f"ORG{org}"),
            )
        await db.execute(
            "INSERT INTO newcomers (id, reference, first_name, language, status, chat_id,"
            " consent_at, created_at) VALUES (9, 'K-9AAA', 'X', 'uk', 'active', 5009, ?, ?)",
            (NOW, NOW),
        )
        # Helped by OCMW (contact) and by someone of organisation 3 without Schakel.
        await db.execute(
            "INSERT INTO counsellors (newcomer_id, staff_id, name, organisation_id, role,"
            " is_contact) VALUES (9, 20, 'x', 2, 'caseworker', 1),"
            " (9, NULL, 'y', 3, 'job_coach', 0)"
        )
    assert await _ids(store, AudienceKind.ORGANISATION, "1") == [1, 2]
    assert await _ids(store, AudienceKind.ORGANISATION, "2") == [3, 9]
    assert await _ids(store, AudienceKind.ORGANISATION, "3") == [9]
    assert await _ids(store, AudienceKind.ORGANISATION, "4") == []  # helps nobody
    assert await _ids(store, AudienceKind.ORGANISATION, "0") == []  # no such organisation
    assert await _ids(store, AudienceKind.CASEWORKER, "20") == [3, 9]
    assert await _ids(store, AudienceKind.CASEWORKER, "11") == []
    assert await _ids(store, AudienceKind.LANGUAGE, "uk") == [9]
    assert await _ids(store, AudienceKind.LANGUAGE, "fa") == []
    # Who the organisation names but will not reach: VDAB's stopped one and its two
    # linked without agreeing or never linked; nobody of the others.
    assert await left_out(store, Audience(kind=AudienceKind.ORGANISATION, value="1")) == LeftOut(
        1, 2
    )
    for other in ("2", "3", "4"):
        missed = await left_out(store, Audience(kind=AudienceKind.ORGANISATION, value=other))
        assert missed == LeftOut(0, 0), other


async def test_a_recipient_carries_what_the_message_needs(store: Store) -> None:
    first = (await recipients(store, Audience()))[0]
    assert first == Recipient(1, 5001, "ar", "X", "K-1AAA")


def test_a_tag_of_one_to_forty_characters() -> None:
    assert clean_tag("a") == "a"
    assert clean_tag("x" * TAG_MAX) == "x" * TAG_MAX
    with pytest.raises(BadTag) as refused:
        clean_tag("x" * (TAG_MAX + 1))
    assert refused.value.args == ("x" * (TAG_MAX + 1),)
    with pytest.raises(BadTag) as refused:
        clean_tag("85.07.30-033.28")  # a national register number
    assert refused.value.args == ("85.07.30-033.28",)


async def test_adding_and_removing_a_tag_is_in_the_audit_log(store: Store) -> None:
    clock = FakeClock()
    await add_tag(store, clock, _newcomer(2), "Jobbeurs", actor="staff:10")
    assert await remove_tag(store, clock, _newcomer(2), "jobbeurs", actor="staff:10")
    assert not await remove_tag(store, clock, _newcomer(2), "jobbeurs", actor="staff:10")
    rows = await store.fetch_all("SELECT actor, action, subject, detail FROM audit_log")
    assert [tuple(row) for row in rows] == [
        ("staff:10", "newcomer.tag.add", "newcomer:K-2AAA", "jobbeurs"),
        ("staff:10", "newcomer.tag.remove", "newcomer:K-2AAA", "jobbeurs"),
    ]
    assert await tags_of(store, 2) == []


async def test_the_form_offers_the_languages_and_tags_of_those_it_would_reach(store: Store) -> None:
    """The announcement form's choices count reachable newcomers only, most first (then by
    name): Arabic reaches two (1 and 3; 4 stopped, 5 did not agree, 6 is not linked, 7
    blocked Schakel, 8 is forgotten), Tigrinya one."""
    assert await languages_reached(store) == {"ar": 2, "ti": 1}
    assert list(await languages_reached(store)) == ["ar", "ti"]
    clock = FakeClock()
    for newcomer_id, tag in ((1, "nt2 a1"), (3, "nt2 a1"), (2, "zoekt werk"), (3, "zoekt werk"),
                             (1, "alfa"), (4, "nt2 a1"), (5, "nt2 a1"), (8, "alfa")):  # fmt: skip
        await add_tag(store, clock, _newcomer(newcomer_id), tag, actor="t")
    in_use = await tags_in_use(store)
    assert in_use == {"nt2 a1": 2, "zoekt werk": 2, "alfa": 1}
    assert list(in_use) == ["nt2 a1", "zoekt werk", "alfa"]  # most first, then by name
    assert list(await tags_in_use(store, at_most=2)) == ["nt2 a1", "zoekt werk"]
    # The form offers twenty at most (as buttons): the most used.
    for n in range(20):
        await add_tag(store, clock, _newcomer(2), f"label {n:02d}", actor="t")
    offered = await tags_in_use(store)
    assert len(offered) == 20 and list(offered)[:2] == ["nt2 a1", "zoekt werk"]
    # Nobody reachable has the tag any more: it is no longer offered.
    assert await remove_tag(store, clock, _newcomer(1), "alfa", actor="t")
    assert "alfa" not in await tags_in_use(store, at_most=50)


async def test_a_newcomer_telegram_does_not_reach_is_reached_by_sms_with_their_own_yes(
    store: Store,
) -> None:
    """7 blocked Schakel on Telegram but said JA to SMS: the announcement goes to their
    number (their chat stays known, for when they come back); 6, never linked, asked but
    did not say JA yet: not reached."""
    async with store.transaction() as db:
        await db.execute(
            "UPDATE newcomers SET sms_number = '+32470000007', sms_state = 'agreed' WHERE id = 7"
        )
        await db.execute(
            "UPDATE newcomers SET sms_number = '+32470000006', sms_state = 'asked',"
            " consent_at = ? WHERE id = 6",
            (NOW,),
        )
    everyone = await recipients(store, Audience())
    assert [(p.newcomer_id, p.chat_id, p.sms_number) for p in everyone] == [
        (1, 5001, None), (2, 5002, None), (3, 5003, None), (7, 5007, "+32470000007"),
    ]  # fmt: skip


async def test_an_audience_that_reaches_nobody_counts_zero_not_nothing(store: Store) -> None:
    nobody = Audience(kind=AudienceKind.TAG, value="niemand heeft dit label")
    counted = await reach(store, nobody, {"nl"})
    assert (counted.reached, counted.without_text) == (0, 0)
    assert counted.left_out == LeftOut(0, 0)
