"""Announcements (issue 7 groundwork): scheduled, released once into the outbox, sent by
the one dispatcher through the stand-in, cancelled before they go, answered."""

from __future__ import annotations

import datetime as dt

from bot import broadcasts
from bot.audiences import Audience, AudienceKind, Recipient
from bot.broadcasts import Broadcast, Plan, Rsvp
from bot.outbox import Outgoing
from bot.services import Services
from bot.staff import Role, find_staff
from bot.standin import FakeTelegram
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
