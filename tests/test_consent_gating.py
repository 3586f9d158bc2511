"""Nothing goes to a newcomer who has not agreed: every kind of message is held back at
its rule, not only at the door. A newcomer who tapped the invite link is linked (Schakel
knows their chat) before they agree, so "we know the chat" must never stand for "they
agreed" (a mutant that dropped the consent check from the reminders survived the suite).

Each test has a newcomer who agreed beside one who is only linked, so a check that holds
everything back fails as well as one that lets everything through."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.announcements.audiences import Audience, AudienceKind, left_out, recipients
from bot.app.standin import FakeTelegram
from bot.appointments import reminders
from bot.appointments.words import Event
from bot.core.clock import to_db
from bot.people.contact_card import contact_changed_notice
from bot.people.counsellors import Counsellor, CounsellorRole
from bot.people.newcomers import Newcomer, NewcomerStatus
from bot.people.staff import Role
from bot.sending.services import Services
from tests.conftest import FakeClock, make_staff, plan_appointment

BRUSSELS = ZoneInfo("Europe/Brussels")
AGREED, ONLY_LINKED, STOPPED = 61_001, 61_002, 61_003  # their chats


@pytest.fixture
def services(bare_services: Services) -> Services:
    """The gates are rules: no Application needed (tests/conftest.py, `bare_services`)."""
    return bare_services


async def _newcomers(services: Services, staff_id: int) -> dict[int, Newcomer]:
    """Three linked newcomers with the caseworker as contact: one agreed, one only linked
    (tapped the link, did not answer the consent question yet), one who agreed and stopped."""
    now = to_db(services.clock())
    made: dict[int, Newcomer] = {}
    async with services.store.transaction() as db:
        for chat, status, agreed in (
            (AGREED, "active", True), (ONLY_LINKED, "invited", False), (STOPPED, "stopped", True),
        ):  # fmt: skip
            cursor = await db.execute(
                "INSERT INTO newcomers (reference, first_name, language, status, chat_id,"
                " telegram_user_id, consent_at, created_at) VALUES (?, 'Amal', 'ar', ?, ?, ?,"
                " ?, ?)",
                (f"K-C{chat % 100:03d}", status, chat, chat, now if agreed else None, now),
            )
            assert cursor.lastrowid is not None
            await db.execute(
                "INSERT INTO counsellors (newcomer_id, staff_id, name, role, is_contact)"
                " VALUES (?, ?, 'Laila Peeters', 'caseworker', 1)",
                (cursor.lastrowid, staff_id),
            )
    for row in await services.store.fetch_all("SELECT * FROM newcomers"):
        made[row["chat_id"]] = Newcomer.from_row(row)
    return made


async def _setting(services: Services, telegram: FakeTelegram) -> dict[int, Newcomer]:
    caseworker = await make_staff(services, telegram, 2, "Laila Peeters", Role.CASEWORKER)
    staff_id = await services.store.fetch_int(
        "SELECT id FROM staff WHERE telegram_user_id = ?", (caseworker.id,)
    )
    return await _newcomers(services, staff_id)


_appointment = plan_appointment


async def test_no_notice_of_an_appointment_without_consent(
    services: Services, telegram: FakeTelegram
) -> None:
    """New, changed, cancelled and the reminder: one rule words them all, and holds them."""
    people = await _setting(services, telegram)
    starts = services.clock() + dt.timedelta(days=5)
    for chat, goes in ((AGREED, True), (ONLY_LINKED, False), (STOPPED, False)):
        appointment = await _appointment(services, people[chat], starts)
        for event in Event:
            notices = await reminders.newcomer_notice(
                services.store, services.config, people[chat], appointment, event, f"{chat}{event}"
            )
            assert len(notices) == (1 if goes else 0), (chat, event)
            assert all(notice.chat_id == chat for notice in notices)


async def test_a_due_reminder_is_skipped_for_a_newcomer_who_did_not_agree(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    clock.now = dt.datetime(2027, 3, 2, 10, tzinfo=BRUSSELS).astimezone(dt.UTC)
    people = await _setting(services, telegram)
    for chat in (AGREED, ONLY_LINKED, STOPPED):
        await _appointment(services, people[chat], dt.datetime(2027, 3, 4, 10, tzinfo=BRUSSELS))
    clock.now = dt.datetime(2027, 3, 3, 10, tzinfo=BRUSSELS).astimezone(dt.UTC)  # the day before
    assert await reminders.run_due(services) == 1
    assert [int(call.params["chat_id"]) for call in telegram.sent()] == [AGREED]
    rows = await services.store.fetch_all(
        "SELECT c.chat_id, r.status, r.reason FROM reminders r"
        " JOIN appointments a ON a.id = r.appointment_id JOIN newcomers c ON c.id = a.newcomer_id"
        " WHERE r.offset_minutes = 1440 ORDER BY c.chat_id"
    )
    assert [(row["chat_id"], row["status"], row["reason"]) for row in rows] == [
        (AGREED, "queued", None),
        (ONLY_LINKED, "skipped", reminders.SKIPPED_NOT_LINKED),
        (STOPPED, "skipped", reminders.SKIPPED_STOPPED),
    ]


async def test_no_new_contact_card_without_consent(
    services: Services, telegram: FakeTelegram
) -> None:
    """A handover taken over or a caseworker who leaves: the newcomer hears of their new
    contact person only if they agreed to get messages."""
    people = await _setting(services, telegram)
    contact = Counsellor(
        1, 7, "Sarah Janssens", "OCMW", CounsellorRole.CASEWORKER, True, "", "", (), 7, "nl"
    )
    for chat, goes in ((AGREED, True), (ONLY_LINKED, False), (STOPPED, False)):
        notice = contact_changed_notice(people[chat], [contact], f"card{chat}")
        assert (notice is not None) is goes, chat
    agreed_but_unknown_chat = Newcomer(9, "K-9ZZZ", "Amal", "ar", NewcomerStatus.ACTIVE, None, True)
    assert contact_changed_notice(agreed_but_unknown_chat, [contact], "card9") is None
    # The consent itself is the gate, whatever the status says.
    active_without_consent = Newcomer(9, "K-9ZZZ", "Amal", "ar", NewcomerStatus.ACTIVE, 9, False)
    assert contact_changed_notice(active_without_consent, [contact], "card9") is None


async def test_an_announcement_reaches_only_who_agreed_and_counts_the_others(
    services: Services, telegram: FakeTelegram
) -> None:
    people = await _setting(services, telegram)
    for audience in (Audience(), Audience(kind=AudienceKind.LANGUAGE, value="ar")):
        assert [r.chat_id for r in await recipients(services.store, audience)] == [AGREED]
        missed = await left_out(services.store, audience)
        assert (missed.stopped, missed.not_linked) == (1, 1)
    assert people[ONLY_LINKED].consent is False
