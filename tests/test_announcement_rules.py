"""Announcements (issue 7 groundwork): scheduled, released once into the outbox, sent by
the one dispatcher through the stand-in, cancelled before they go, answered."""

from __future__ import annotations

import datetime as dt
import sqlite3
from zoneinfo import ZoneInfo

import pytest

from bot.announcements import delivery as announcement_delivery
from bot.announcements import records as announcements
from bot.announcements import words as announcement_texts
from bot.announcements.audiences import Audience, AudienceKind
from bot.announcements.model import (
    Announcement,
    AnnouncementStatus,
    Plan,
    Progress,
    Rsvp,
    SessionKind,
)
from bot.app.standin import ApiCall, FakeTelegram
from bot.people.newcomers import newcomer_by_id
from bot.people.staff import Role, find_staff
from bot.privacy.data_rights import forget_newcomer
from bot.sending.services import Services
from messages import DUTCH_SEPARATOR, render, texts
from messages.languages import SUPPORTED_LANGUAGES
from tests.conftest import FakeClock, make_staff

LANGUAGES = ("ar", "ti", "fa", "so", "uk", "tr")


async def newcomers(services: Services, count: int) -> None:
    """`count` linked newcomers who agreed, in six languages; plus one who stopped."""
    now = "2027-03-22T09:00:00.000000Z"
    async with services.store.transaction() as db:
        for n in range(count + 1):
            status = "stopped" if n == count else "active"
            await db.execute(
                "INSERT INTO newcomers (reference, first_name, language, status, chat_id,"
                " consent_at, created_at) VALUES (?, 'X', ?, ?, ?, ?, ?)",
                (f"K-{n:04d}", LANGUAGES[n % 6], status, 10_000 + n, now, now),
            )


def plan(clock: FakeClock, **changes: object) -> Plan:
    texts = {language: f"Infosessie [{language}]" for language in LANGUAGES}
    values: dict[str, object] = {
        "title": "Werken in België",
        "starts_at": clock.now + dt.timedelta(days=7),
        "place": "In-Gent, Kongostraat 42",
        "audience": Audience(),
        "texts": {"nl": "Infosessie", **texts},
        "send_at": clock.now + dt.timedelta(hours=1),
    }
    return Plan(**(values | changes))  # type: ignore[arg-type]


async def test_an_announcement_reaches_each_newcomer_once_in_their_language(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    await newcomers(services, 60)
    coordinator = await make_staff(services, telegram, 7, "Kris", Role.COORDINATOR)
    author = await find_staff(services.store, coordinator.id)
    assert author is not None
    announcement = await announcements.schedule(services, author, plan(clock))
    assert await announcements.release_due(services) == 0  # not yet
    clock.advance(hours=1)
    assert await announcements.release_due(services) == 60
    assert await announcements.release_due(services) == 0  # released once
    await services.dispatcher.run_due()
    # The newcomers' messages (the author's progress message goes to the coordinator).
    sent = [call for call in telegram.sent() if int(call.params["chat_id"]) >= 10_000]
    assert len(sent) == 60
    assert len({int(call.params["chat_id"]) for call in sent}) == 60
    assert 10_060 not in {int(call.params["chat_id"]) for call in sent}  # the one who stopped
    for call in sent:  # each in their own language (newcomer n reads LANGUAGES[n % 6])
        language = LANGUAGES[(int(call.params["chat_id"]) - 10_000) % 6]
        assert f"Infosessie [{language}]" in call.params["text"]
    done = await announcements.progress(services.store, announcement.id)
    assert (done.total, done.sent, done.waiting) == (60, 60, 0)


async def test_cancelled_before_it_goes_nothing_is_sent_and_answers_are_counted(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    await newcomers(services, 12)
    coordinator = await make_staff(services, telegram, 7, "Kris", Role.COORDINATOR)
    author = await find_staff(services.store, coordinator.id)
    assert author is not None
    cancelled = await announcements.schedule(services, author, plan(clock))
    arabic = Audience(kind=AudienceKind.LANGUAGE, value="ar")
    kept = await announcements.schedule(services, author, plan(clock, audience=arabic))
    assert await announcements.cancel(services, cancelled.id, author)
    clock.advance(hours=2)
    assert await announcements.release_due(services) == 2  # the Arabic readers
    assert not await announcements.cancel(services, kept.id, author)  # already gone
    first, second = [
        row["newcomer_id"]
        for row in await services.store.fetch_all(
            "SELECT newcomer_id FROM announcement_deliveries WHERE announcement_id = ?", (kept.id,)
        )
    ]
    assert await announcements.record_rsvp(services, kept.id, first, Rsvp.COMING)
    assert await announcements.record_rsvp(services, kept.id, second, Rsvp.COMING)
    assert await announcements.record_rsvp(services, kept.id, second, Rsvp.NOT_COMING)
    assert not await announcements.record_rsvp(services, cancelled.id, first, Rsvp.COMING)
    counts = await announcements.rsvp_counts(services.store, kept.id)
    assert counts == {Rsvp.COMING: 1, Rsvp.NOT_COMING: 1}


async def due_in_chunks_of_seven(
    telegram: FakeTelegram, services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Announcement:
    """An announcement to 60 newcomers, due now, released in chunks of 7 (nine chunks)."""
    monkeypatch.setattr(announcements, "RELEASE_CHUNK", 7)
    await newcomers(services, 60)
    coordinator = await make_staff(services, telegram, 7, "Kris", Role.COORDINATOR)
    author = await find_staff(services.store, coordinator.id)
    assert author is not None
    announcement = await announcements.schedule(services, author, plan(clock))
    clock.advance(hours=1)
    return announcement


async def test_a_release_in_chunks_sends_while_it_writes_and_each_newcomer_once(
    telegram: FakeTelegram, services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of 7 for 60 recipients: the dispatcher, woken after each chunk, hands the
    first messages to Telegram before the last chunk is written; each newcomer gets one."""
    announcement = await due_in_chunks_of_seven(telegram, services, clock, monkeypatch)
    written_at_first_send: list[int] = []

    def first_send(call: ApiCall) -> None:
        if int(call.params["chat_id"]) >= 10_000 and not written_at_first_send:
            with sqlite3.connect(services.store.path or "") as db:
                [(rows,)] = db.execute(
                    "SELECT count(*) FROM outbox WHERE ref = ?",
                    (f"announcement:{announcement.id}",),
                )
            written_at_first_send.append(rows)

    telegram.on_send = first_send
    assert await announcements.release_due(services) == 60
    # The dispatcher ran between the chunks (an alarm wakes it after each one).
    assert written_at_first_send and written_at_first_send[0] < 60
    await services.dispatcher.run_due()
    sent = [int(c.params["chat_id"]) for c in telegram.sent() if int(c.params["chat_id"]) >= 10_000]
    assert sorted(sent) == list(range(10_000, 10_060))
    done = await announcements.progress(services.store, announcement.id)
    assert (done.total, done.sent, done.waiting) == (60, 60, 0)
    after = await announcements.get(services.store, announcement.id)
    assert after is not None and not after.releasing


async def test_a_release_cut_off_half_way_is_finished_once_and_reported_only_then(
    telegram: FakeTelegram, services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bot stops after the third of nine chunks (an error here, a kill in life): the
    next run writes the rest, no newcomer gets two messages, and the report waits until
    every row is written."""
    announcement = await due_in_chunks_of_seven(telegram, services, clock, monkeypatch)
    compose = announcement_texts.compose
    made = 0

    def stopping_after_three_chunks(tzinfo: dt.tzinfo) -> object:
        inner = compose(tzinfo)

        def message(*args: object) -> object:
            nonlocal made
            made += 1
            if made > 21:
                raise RuntimeError("the bot stops here")
            return inner(*args)  # type: ignore[arg-type]

        return message

    monkeypatch.setattr(announcement_texts, "compose", stopping_after_three_chunks)
    with pytest.raises(RuntimeError):
        await announcements.release_due(services)
    half = await announcements.get(services.store, announcement.id)
    assert half is not None and half.releasing and half.status is AnnouncementStatus.SENDING
    # What was written goes out; the rest is not written yet, so no report.
    await services.dispatcher.run_due()
    progress = await announcements.progress(services.store, announcement.id)
    assert (progress.total, progress.waiting) == (21, 0)
    await announcement_delivery._follow(services, half)  # every written row is settled
    assert (
        await services.store.fetch_int("SELECT count(*) FROM outbox WHERE purpose = 'announcement'")
        == 21
    )
    still = await announcements.get(services.store, announcement.id)
    assert still is not None and still.status is AnnouncementStatus.SENDING
    # The next run (a restart) writes the other 39, and only those.
    monkeypatch.setattr(announcement_texts, "compose", compose)
    assert await announcements.release_due(services) == 39
    assert await announcements.release_due(services) == 0
    await services.dispatcher.run_due()
    sent = [int(c.params["chat_id"]) for c in telegram.sent() if int(c.params["chat_id"]) >= 10_000]
    assert sorted(sent) == list(range(10_000, 10_060))
    assert (
        await services.store.fetch_int(
            "SELECT count(*) FROM announcement_deliveries WHERE announcement_id = ?",
            (announcement.id,),
        )
        == 60
    )
    await announcement_delivery.run_due(services)
    done = await announcements.get(services.store, announcement.id)
    assert done is not None and done.status is AnnouncementStatus.DONE and not done.releasing


# --- what newcomers and coordinators read (bot/announcement_texts.py) -----------------------

BRUSSELS = ZoneInfo("Europe/Brussels")


def a_announcement(**changes: object) -> Announcement:
    values: dict[str, object] = {
        "id": 3,
        "author_id": 1,
        "title": "Praatcafé",
        "starts_at": dt.datetime(2027, 5, 20, 16, 30, tzinfo=dt.UTC),  # 18:30 in Brussels
        "place": "De Krook, Gent",
        "audience": Audience(),
        "texts": {"nl": "Kom praten.", "ar": "تعالوا نتحدث."},
        "send_at": dt.datetime(2027, 5, 15, 8, 0, tzinfo=dt.UTC),
        "status": AnnouncementStatus.SCHEDULED,
        "session_language": "nl",
        "interpreter_languages": (),
    }
    return Announcement(**(values | changes))  # type: ignore[arg-type]


def test_each_language_gets_its_text_else_the_english_said_so_else_the_dutch_below() -> None:
    arabic = announcement_texts.newcomer_message(a_announcement(), "ar", BRUSSELS)
    own, dutch = arabic.split(DUTCH_SEPARATOR)
    assert dutch == "Uitnodiging: Praatcafé, donderdag 20 mei om 18:30\nDe Krook, Gent\nKom praten."
    assert "تعالوا نتحدث." in own
    assert announcement_texts.newcomer_message(a_announcement(), "nl", BRUSSELS) == dutch
    with_english = a_announcement(texts={"nl": "Kom praten.", "en": "Come and talk."})
    somali = announcement_texts.own_text(with_english, "so")
    assert somali == render("so", texts.NO_TEXT_ENGLISH) + "\nCome and talk."
    assert announcement_texts.own_text(a_announcement(), "so") == render(
        "so", texts.NO_TEXT_DUTCH_ONLY
    )
    kind = a_announcement(title_from_kind=True, session_kind=SessionKind.JOB_FAIR)
    assert announcement_texts.title_in(kind, "en") == render("en", texts.SESSION_JOB_FAIR)
    assert announcement_texts.title_in(a_announcement(), "en") == "Praatcafé"  # typed: as typed


def test_every_kind_with_a_fixed_text_has_it_in_all_twelve_languages() -> None:
    for kind in announcement_texts.TEMPLATES:
        assert set(announcement_texts.template_texts(kind)) == set(SUPPORTED_LANGUAGES)


def test_plain_language_tips_name_the_problem_in_the_coordinators_language() -> None:
    text = "Gelieve uw identiteitskaart mee te brengen i.v.m. de controle."
    tips = announcement_texts.plain_tips("en", text, text)
    assert render("en", texts.TIP_FORMAL_WORD, text="Gelieve", plain="wilt u") in tips
    assert render("en", texts.TIP_ABBREVIATION, text="i.v.m.", plain="over") in tips
    assert announcement_texts.plain_tips("nl", "Kom praten.", "Kom praten.") == []
    long_sms = "Kom praten. " * 20
    assert render("nl", texts.TIP_SMS_LENGTH, parts=2) in announcement_texts.plain_tips(
        "nl", "Kom praten.", long_sms
    )


def test_time_left_follows_the_pace_so_far() -> None:
    released = dt.datetime(2027, 5, 15, 8, 0, tzinfo=dt.UTC)
    announcement = a_announcement(released_at=released, author_language="nl")
    halfway = Progress(total=2000, sent=1000, failed=0, skipped=0)
    later = released + dt.timedelta(seconds=40)  # 25 a second: 40 s left
    text = announcement_texts.progress_text(announcement, halfway, later)
    assert text == "📣 Praatcafé: 1000 van 2000 verstuurd, 0 mislukt. Nog ongeveer 40 seconden."


def test_the_day_before_reminder_keeps_the_clock_time_and_skips_a_session_tomorrow(
    services: Services,
) -> None:
    announcement = a_announcement(released_at=dt.datetime(2027, 5, 15, 8, 0, tzinfo=dt.UTC))
    due = announcement_delivery.reminder_due(services, announcement)
    assert due == dt.datetime(2027, 5, 19, 16, 30, tzinfo=dt.UTC)  # 18:30 the day before
    late = a_announcement(released_at=dt.datetime(2027, 5, 20, 8, 0, tzinfo=dt.UTC))
    assert announcement_delivery.reminder_due(services, late) is None


async def test_forget_me_erases_what_an_announcement_left(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    await newcomers(services, 6)
    coordinator = await make_staff(services, telegram, 7, "Kris", Role.COORDINATOR)
    author = await find_staff(services.store, coordinator.id)
    assert author is not None
    announcement = await announcements.schedule(services, author, plan(clock, send_at=clock.now))
    await announcements.release_due(services)
    await services.dispatcher.run_due()
    await announcements.record_rsvp(services, announcement.id, 1, Rsvp.COMING)
    newcomer = await newcomer_by_id(services.store, 1)
    assert newcomer is not None
    await forget_newcomer(services.store, services.clock, newcomer, actor="newcomer:1")
    left = await services.store.fetch_value(
        "SELECT count(*) FROM announcement_deliveries WHERE newcomer_id = 1"
    )
    assert left == 0
    assert (await announcements.rsvp_counts(services.store, announcement.id))[Rsvp.COMING] == 0
