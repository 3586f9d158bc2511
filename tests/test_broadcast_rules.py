"""Announcements (issue 7 groundwork): scheduled, released once into the outbox, sent by
the one dispatcher through the stand-in, cancelled before they go, answered."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.announcements import delivery as broadcast_delivery
from bot.announcements import records as broadcasts
from bot.announcements import words as broadcast_texts
from bot.announcements.audiences import Audience, AudienceKind, Recipient
from bot.announcements.records import Broadcast, Plan, Rsvp
from bot.app.standin import FakeTelegram
from bot.appointments.words import OWN_LANGUAGE_SEPARATOR
from bot.people.newcomers import client_by_id
from bot.people.staff import Role, find_staff
from bot.privacy.data_rights import forget_client
from bot.sending.outbox import Outgoing
from bot.sending.services import Services
from messages import render, texts
from messages.languages import SUPPORTED_LANGUAGES
from tests.conftest import FakeClock, make_staff

LANGUAGES = ("ar", "ti", "fa", "so", "uk", "tr")


def compose(broadcast: Broadcast, person: Recipient) -> Outgoing:
    text = broadcast.texts.get(person.language) or broadcast.texts["nl"]
    return Outgoing(
        chat_id=person.chat_id,
        text=text,
        purpose="broadcast",
        idempotency_key=broadcasts.outbox_key(broadcast, person),
        client_id=person.client_id,
    )


def no_start(broadcast: Broadcast, total: int) -> None:
    return None  # the author's progress message is tested end to end


async def newcomers(services: Services, count: int) -> None:
    """`count` linked newcomers who agreed, in six languages; plus one who stopped."""
    now = "2027-03-22T09:00:00.000000Z"
    async with services.store.transaction() as db:
        for n in range(count + 1):
            status = "stopped" if n == count else "active"
            await db.execute(
                "INSERT INTO clients (reference, first_name, language, status, chat_id,"
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
    broadcast = await broadcasts.schedule(services, author, plan(clock))
    assert await broadcasts.release_due(services, compose, no_start) == 0  # not yet
    clock.advance(hours=1)
    assert await broadcasts.release_due(services, compose, no_start) == 60
    assert await broadcasts.release_due(services, compose, no_start) == 0  # released once
    await services.dispatcher.run_due()
    sent = telegram.sent()
    assert len(sent) == 60
    assert len({int(call.params["chat_id"]) for call in sent}) == 60
    assert 10_060 not in {int(call.params["chat_id"]) for call in sent}  # the one who stopped
    assert {call.params["text"] for call in sent} == {f"Infosessie [{c}]" for c in LANGUAGES}
    done = await broadcasts.progress(services.store, broadcast.id)
    assert (done.total, done.sent, done.waiting) == (60, 60, 0)


async def test_cancelled_before_it_goes_nothing_is_sent_and_answers_are_counted(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    await newcomers(services, 12)
    coordinator = await make_staff(services, telegram, 7, "Kris", Role.COORDINATOR)
    author = await find_staff(services.store, coordinator.id)
    assert author is not None
    cancelled = await broadcasts.schedule(services, author, plan(clock))
    arabic = Audience(kind=AudienceKind.LANGUAGE, value="ar")
    kept = await broadcasts.schedule(services, author, plan(clock, audience=arabic))
    assert await broadcasts.cancel(services, cancelled.id, author)
    clock.advance(hours=2)
    assert await broadcasts.release_due(services, compose, no_start) == 2  # the Arabic readers
    assert not await broadcasts.cancel(services, kept.id, author)  # already gone
    first, second = [
        row["client_id"]
        for row in await services.store.fetch_all(
            "SELECT client_id FROM broadcast_deliveries WHERE broadcast_id = ?", (kept.id,)
        )
    ]
    assert await broadcasts.record_rsvp(services, kept.id, first, Rsvp.COMING)
    assert await broadcasts.record_rsvp(services, kept.id, second, Rsvp.COMING)
    assert await broadcasts.record_rsvp(services, kept.id, second, Rsvp.NOT_COMING)
    assert not await broadcasts.record_rsvp(services, cancelled.id, first, Rsvp.COMING)
    counts = await broadcasts.rsvp_counts(services.store, kept.id)
    assert counts == {Rsvp.COMING: 1, Rsvp.NOT_COMING: 1}


# --- what newcomers and coordinators read (bot/broadcast_texts.py) -----------------------

BRUSSELS = ZoneInfo("Europe/Brussels")


def a_broadcast(**changes: object) -> Broadcast:
    values: dict[str, object] = {
        "id": 3,
        "author_id": 1,
        "title": "Praatcafé",
        "starts_at": dt.datetime(2027, 5, 20, 16, 30, tzinfo=dt.UTC),  # 18:30 in Brussels
        "place": "De Krook, Gent",
        "audience": Audience(),
        "texts": {"nl": "Kom praten.", "ar": "تعالوا نتحدث."},
        "send_at": dt.datetime(2027, 5, 15, 8, 0, tzinfo=dt.UTC),
        "status": broadcasts.BroadcastStatus.SCHEDULED,
        "session_language": "nl",
        "interpreter_languages": (),
    }
    return Broadcast(**(values | changes))  # type: ignore[arg-type]


def test_each_language_gets_its_text_else_the_english_said_so_else_the_dutch_above() -> None:
    arabic = broadcast_texts.newcomer_message(a_broadcast(), "ar", BRUSSELS)
    dutch, own = arabic.split(OWN_LANGUAGE_SEPARATOR)
    assert dutch == "Uitnodiging: Praatcafé, donderdag 20 mei om 18:30\nDe Krook, Gent\nKom praten."
    assert "تعالوا نتحدث." in own
    assert broadcast_texts.newcomer_message(a_broadcast(), "nl", BRUSSELS) == dutch
    with_english = a_broadcast(texts={"nl": "Kom praten.", "en": "Come and talk."})
    somali = broadcast_texts.own_text(with_english, "so")
    assert somali == render("so", texts.NO_TEXT_ENGLISH) + "\nCome and talk."
    assert broadcast_texts.own_text(a_broadcast(), "so") == render("so", texts.NO_TEXT_DUTCH_ONLY)
    kind = a_broadcast(title_from_kind=True, session_kind=broadcasts.SessionKind.JOB_FAIR)
    assert broadcast_texts.title_in(kind, "en") == render("en", texts.SESSION_JOB_FAIR)
    assert broadcast_texts.title_in(a_broadcast(), "en") == "Praatcafé"  # typed: as typed


def test_every_kind_with_a_fixed_text_has_it_in_all_twelve_languages() -> None:
    for kind in broadcast_texts.TEMPLATES:
        assert set(broadcast_texts.template_texts(kind)) == set(SUPPORTED_LANGUAGES)


def test_plain_language_tips_name_the_problem_in_the_coordinators_language() -> None:
    text = "Gelieve uw identiteitskaart mee te brengen i.v.m. de controle."
    tips = broadcast_texts.plain_tips("en", text, text)
    assert render("en", texts.TIP_FORMAL_WORD, text="Gelieve", plain="wilt u") in tips
    assert render("en", texts.TIP_ABBREVIATION, text="i.v.m.", plain="over") in tips
    assert broadcast_texts.plain_tips("nl", "Kom praten.", "Kom praten.") == []
    long_sms = "Kom praten. " * 20
    assert render("nl", texts.TIP_SMS_LENGTH, parts=2) in broadcast_texts.plain_tips(
        "nl", "Kom praten.", long_sms
    )


def test_time_left_follows_the_pace_so_far() -> None:
    released = dt.datetime(2027, 5, 15, 8, 0, tzinfo=dt.UTC)
    broadcast = a_broadcast(released_at=released, author_language="nl")
    halfway = broadcasts.Progress(total=2000, sent=1000, failed=0, skipped=0)
    later = released + dt.timedelta(seconds=40)  # 25 a second: 40 s left
    text = broadcast_texts.progress_text(broadcast, halfway, later)
    assert text == "📣 Praatcafé: 1000 van 2000 verstuurd, 0 mislukt. Nog ongeveer 40 seconden."


def test_the_day_before_reminder_keeps_the_clock_time_and_skips_a_session_tomorrow(
    services: Services,
) -> None:
    broadcast = a_broadcast(released_at=dt.datetime(2027, 5, 15, 8, 0, tzinfo=dt.UTC))
    due = broadcast_delivery.reminder_due(services, broadcast)
    assert due == dt.datetime(2027, 5, 19, 16, 30, tzinfo=dt.UTC)  # 18:30 the day before
    late = a_broadcast(released_at=dt.datetime(2027, 5, 20, 8, 0, tzinfo=dt.UTC))
    assert broadcast_delivery.reminder_due(services, late) is None


async def test_forget_me_erases_what_an_announcement_left(
    telegram: FakeTelegram, services: Services, clock: FakeClock
) -> None:
    await newcomers(services, 6)
    coordinator = await make_staff(services, telegram, 7, "Kris", Role.COORDINATOR)
    author = await find_staff(services.store, coordinator.id)
    assert author is not None
    broadcast = await broadcasts.schedule(services, author, plan(clock, send_at=clock.now))
    await broadcasts.release_due(services, compose, no_start)
    await services.dispatcher.run_due()
    await broadcasts.record_rsvp(services, broadcast.id, 1, Rsvp.COMING)
    client = await client_by_id(services.store, 1)
    assert client is not None
    await forget_client(services.store, services.clock, client, actor="client:1")
    left = await services.store.fetch_value(
        "SELECT count(*) FROM broadcast_deliveries WHERE client_id = 1"
    )
    assert left == 0
    assert (await broadcasts.rsvp_counts(services.store, broadcast.id))[Rsvp.COMING] == 0
