"""The outbox and its dispatcher against the stand-in: limits, errors, a crash mid-batch."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram.error import BadRequest

from bot.app.application import build_application, running
from bot.app.standin import ApiCall, FakeTelegram
from bot.core.clock import from_db, to_db
from bot.core.config import Config
from bot.core.lanes import Lane
from bot.people.newcomers import invite_newcomer, link_newcomer, record_consent
from bot.people.organisations import find_organisation
from bot.people.staff import Role, add_staff, find_staff
from bot.sending import outbox
from bot.sending.dispatcher import (
    EDIT_WAIT,
    MAX_ATTEMPTS,
    PRIVATE_BURST,
    PRIVATE_INTERVAL,
    SLEEP_AT_MOST,
    SMS_BUDGET_REASON,
    SMS_OFF_REASON,
    ChatPacer,
    SentLedger,
    SmsLane,
)
from bot.sending.outbox import Attachment, Button, Outgoing
from bot.sending.services import Services
from bot.sending.sms_gateway import SmsAccepted, SmsRefused, SmsTryLater
from bot.sending.sms_limits import SmsPace, add_segments, month_of, segments_of, segments_used
from bot.storage.database import Store
from handlers.core.context import services_of
from tests.conftest import FakeClock, alarm_delays, lanes_recorded, until_set


@pytest.fixture
def services(bare_services: Services) -> Services:
    """The outbox's and the dispatcher's rules need no Application (tests/conftest.py,
    `bare_services`); the tests at Telegram's pace and of the JobQueue build their own."""
    return bare_services


def message(chat_id: int, key: str, text: str = "Hallo", **extra: object) -> Outgoing:
    return Outgoing(chat_id=chat_id, text=text, purpose="test", idempotency_key=key, **extra)  # type: ignore[arg-type]


async def enqueue_many(services: Services, messages: list[Outgoing]) -> None:
    async with services.store.transaction() as db:
        for item in messages:
            await outbox.enqueue(db, services.clock, item)


async def without_the_alarm(services: Services) -> None:
    """The test claims rows itself: no alarm may ring the dispatcher, and a start-up run
    still under way (late, on a busy machine) ends first."""
    services.dispatcher.alarm.detach()
    async with services.dispatcher._running:
        pass


async def statuses(services: Services) -> Counter[str]:
    rows = await services.store.fetch_all("SELECT status FROM outbox")
    return Counter(row["status"] for row in rows)


async def test_the_same_idempotency_key_is_stored_once(services: Services) -> None:
    await enqueue_many(services, [message(10, "k"), message(10, "k"), message(11, "k")])
    assert await services.store.fetch_value("SELECT count(*) FROM outbox") == 1


async def test_due_rows_are_sent_once_and_later_rows_wait(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    later = clock() + dt.timedelta(hours=2)
    await enqueue_many(
        services,
        [message(10 + i, f"now{i}") for i in range(5)] + [message(20, "later", due_at=later)],
    )
    # run_due waits for a wake-up job that may already be sending, so count what arrived.
    await services.dispatcher.run_due()
    await services.dispatcher.run_due()
    assert len(telegram.sent()) == 5
    assert await statuses(services) == Counter({"sent": 5, "pending": 1})
    clock.advance(hours=2)
    await services.dispatcher.run_due()
    assert telegram.texts_to(20) == ["Hallo"]


async def test_429_waits_as_told_then_sends(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    telegram.fail("429", retry_after=7)
    await enqueue_many(services, [message(10, "a")])
    assert await services.dispatcher.run_due() == 0
    row = await services.store.fetch_one("SELECT status, due_at, reason, attempts FROM outbox")
    assert row is not None and row["status"] == "pending" and "429" in row["reason"]
    assert from_db(row["due_at"]) == clock() + dt.timedelta(seconds=7)
    assert row["attempts"] == 0  # Telegram's "wait" is not a failed try
    # Every send pauses for those 7 s, counted as a retry of its kind.
    pause = services.dispatcher._paused_until - asyncio.get_running_loop().time()
    assert 0 < pause <= 7
    assert services.dispatcher.watch.retried.labels("test")._value.get() == 1
    clock.advance(seconds=7)
    services.dispatcher._paused_until = 0  # the real pause is 7 s of wall time
    await services.dispatcher.run_due()
    assert telegram.texts_to(10) == ["Hallo"]


async def test_403_marks_the_newcomer_unreachable_and_tells_the_contact_once(
    services: Services, telegram: FakeTelegram
) -> None:
    org = await find_organisation(services.store, "VDAB")
    await add_staff(
        services.store,
        services.clock,
        telegram_user_id=2,
        name="Youssef",
        role=Role.CASEWORKER,
        organisation=org,
        actor="test",
    )
    caseworker = await find_staff(services.store, 2)
    assert caseworker is not None
    invite = await invite_newcomer(
        services.store,
        services.clock,
        caseworker=caseworker,
        first_name="Amal",
        language="ar",
        valid_days=14,
    )
    newcomer = await link_newcomer(
        services.store, services.clock, token=invite.token, telegram_user_id=3, chat_id=3
    )
    await record_consent(services.store, services.clock, newcomer, agreed=True)
    telegram.blocked.add(3)
    await enqueue_many(
        services,
        [message(3, "r1", newcomer_id=newcomer.id), message(3, "r2", newcomer_id=newcomer.id)],
    )
    # Neither reached Amal: what went is the notice to her caseworker, in the same run.
    assert await services.dispatcher.run_due() == 1
    assert await services.dispatcher.run_due() == 0
    assert await services.store.fetch_value("SELECT status FROM newcomers") == "unreachable"
    notices = [t for t in telegram.texts_to(2) if "krijgt geen berichten meer" in t]
    assert len(notices) == 1
    rows = await services.store.fetch_all("SELECT status, reason FROM outbox WHERE chat_id = 3")
    assert sorted((r["status"], r["reason"].split(":")[0]) for r in rows) == [
        ("failed", "blocked"),
        ("skipped", "newcomer unreachable (blocked"),
    ]


async def test_chat_not_found_and_other_400s_fail_with_a_reason(
    services: Services, telegram: FakeTelegram
) -> None:
    telegram.fail("400-chat", chat_id=10)
    telegram.fail("400", chat_id=11)
    await enqueue_many(services, [message(10, "a"), message(11, "b")])
    assert await services.dispatcher.run_due() == 0
    rows = await services.store.fetch_all(
        "SELECT chat_id, status, reason FROM outbox ORDER BY chat_id"
    )
    assert [(r["status"], r["reason"]) for r in rows] == [
        ("failed", "chat not found"),
        ("failed", "Message is too long"),
    ]


async def test_5xx_and_timeouts_are_retried_then_given_up(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    telegram.fail("500", chat_id=10, times=1)
    telegram.fail("timeout", chat_id=11, times=99)
    services.dispatcher.pacer = ChatPacer(burst=100)  # retries come faster than one a second here
    await enqueue_many(services, [message(10, "a"), message(11, "b")])
    sent = []
    for _ in range(MAX_ATTEMPTS + 3):
        sent.append(await services.dispatcher.run_due())
        clock.advance(minutes=10)
    assert sent == [0, 1] + [0] * (MAX_ATTEMPTS + 1)  # a retry counts when it goes
    rows = {r["chat_id"]: r for r in await services.store.fetch_all("SELECT * FROM outbox")}
    assert rows[10]["status"] == "sent" and rows[10]["attempts"] == 2
    assert rows[11]["status"] == "failed" and rows[11]["possible_duplicate"] == 1
    assert f"gave up after {MAX_ATTEMPTS} attempts" in rows[11]["reason"]


async def test_metrics_count_each_kind_of_message_sent_retried_and_failed(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    """/metrics tells a reminder from an announcement: each count under the row's purpose,
    and a retry waits its backoff, with the error it had as its reason."""
    telegram.fail("500", chat_id=11, times=1)
    telegram.fail("400", chat_id=12, times=1)
    telegram.fail("403", chat_id=13, times=1)
    telegram.fail("500", chat_id=14, times=1)
    await enqueue_many(services, [Outgoing(14, "e", "export", "e")])
    async with services.store.transaction() as db:  # its last attempt
        await db.execute("UPDATE outbox SET attempts = ? WHERE chat_id = 14", (MAX_ATTEMPTS,))
    await enqueue_many(
        services,
        [
            Outgoing(10, "a", "reminder", "a"), Outgoing(11, "b", "announcement", "b"),
            Outgoing(12, "c", "notice", "c"), Outgoing(13, "d", "card", "d"),
        ],
    )  # fmt: skip
    await services.dispatcher.run_due()
    watch = services.dispatcher.watch

    def count(counter: Any, kind: str) -> float:
        return float(counter.labels(kind)._value.get())

    assert count(watch.sent, "reminder") == 1 and count(watch.sent, "announcement") == 0
    assert count(watch.retried, "announcement") == 1
    assert count(watch.failed, "notice") == count(watch.failed, "card") == 1
    assert count(watch.failed, "reminder") == 0 and count(watch.retried, "export") == 0
    assert count(watch.failed, "export") == 1  # given up after its last attempt
    row = await services.store.fetch_one("SELECT reason, due_at FROM outbox WHERE chat_id = 11")
    assert row is not None and row["reason"].startswith("NetworkError: ")
    assert from_db(row["due_at"]) == clock() + dt.timedelta(seconds=2)  # after 1 try


def test_the_pacer_allows_a_short_burst_then_one_a_second() -> None:
    pacer = ChatPacer(burst=3, interval=1.0)
    for _ in range(3):
        assert pacer.wait_for(7, 0.0) == 0.0
        pacer.record(7, 0.0)
    assert pacer.wait_for(7, 0.0) == 1.0 + pacer.MARGIN
    assert pacer.wait_for(7, 0.5) == 0.5 + pacer.MARGIN
    assert pacer.wait_for(7, 1.0) == 0.0
    assert pacer.wait_for(8, 0.0) == 0.0  # other chats are not held up
    pacer.record(-100, 0.0)
    assert pacer.wait_for(-100, 0.0) == 0.0  # one in a group: 19 more fit its minute


async def test_with_telegrams_limits_on_nothing_gets_a_429(
    config: Config, clock: FakeClock
) -> None:
    telegram = FakeTelegram(limits=True)
    application = build_application(config, request=telegram, clock=clock)
    async with running(application):
        services = services_of(application)
        await enqueue_many(
            services,
            [message(1000 + i, f"m{i}") for i in range(60)]
            + [message(5, f"same{i}") for i in range(4)],
        )
        for _ in range(20):
            await services.dispatcher.run_due()
            if (await statuses(services))["sent"] == 64:
                break
            await asyncio.sleep(0.3)
            clock.advance(seconds=1)
    assert [c for c in telegram.calls if c.outcome == "429"] == []
    assert len(telegram.sent()) == 64


async def test_a_reply_overtakes_an_announcements_rows_at_telegrams_pace(
    config: Config, clock: FakeClock
) -> None:
    """150 bulk rows (five seconds at 30 a second) are on their way when a person's reply
    is sent: it reaches Telegram among the next few, not after them, and no 429."""
    telegram = FakeTelegram(limits=True, latency=0.02)
    application = build_application(config, request=telegram, clock=clock)
    async with running(application):
        services = services_of(application)
        await without_the_alarm(services)
        await enqueue_many(services, [message(1000 + i, f"b{i}", bulk=True) for i in range(150)])
        announcement = asyncio.create_task(services.dispatcher.run_due())
        while len(telegram.sent()) < 10:
            await asyncio.sleep(0.01)
        await services.send(message(7, "reply", "Antwoord"))
        before_the_reply = len(telegram.sent()) - 1
        await announcement
    assert telegram.sent()[before_the_reply].params["chat_id"] == 7
    assert before_the_reply < 25
    assert len(telegram.sent()) == 151
    assert [c for c in telegram.calls if c.outcome == "429"] == []


async def test_a_crash_mid_batch_loses_nothing_and_duplicates_only_in_flight_rows(
    config: Config, clock: FakeClock
) -> None:
    """Kill the dispatcher after 30 of 100 sends; restart on the same database."""
    telegram = FakeTelegram(latency=0.001)
    first = build_application(config, request=telegram, clock=clock)
    sending: list[asyncio.Task[int]] = []

    def crash_at_the_30th(call: ApiCall) -> None:
        # Abrupt, at the moment Telegram has the 30th: it and the rest of its batch are
        # on their way, not written down as sent.
        if len(telegram.sent()) == 30:
            # What is on its way stays on its way, as when the process dies: without this
            # the few sends still out could all be answered and written down before the
            # cancellation reached them (on a busy machine), leaving no row in flight.
            telegram.latency = 60
            sending[0].cancel()

    telegram.on_send = crash_at_the_30th
    async with running(first):
        services = services_of(first)
        services.dispatcher.batch_size = 40
        # This task is the only sender: no alarm rings, and a start-up run under way
        # (late, on a busy machine) ends first.
        services.dispatcher.alarm.detach()
        async with services.dispatcher._running:
            pass
        await enqueue_many(
            services, [message(100 + i, f"row{i}", text=f"bericht {i}") for i in range(100)]
        )
        sending.append(asyncio.create_task(services.dispatcher.run_due()))
        await asyncio.gather(*sending, return_exceptions=True)
    # What the database says when the bot comes back is what counts.
    with sqlite3.connect(config.storage.database) as db:
        before = {i: (s, h) for i, s, h in db.execute("SELECT id, status, handed FROM outbox")}
    # Handed to Telegram and not written down: may arrive twice. Claimed but still waiting
    # for their turn: never left, so they go once and unflagged, like the unclaimed.
    in_flight = {i for i, (s, handed) in before.items() if s == "sending" and handed}
    never_claimed = {i for i, (s, handed) in before.items() if s != "sent" and i not in in_flight}
    assert in_flight and never_claimed

    telegram.on_send, telegram.latency = None, 0.001
    second = build_application(config, request=telegram, clock=clock)
    async with running(second):
        services = services_of(second)
        await services.dispatcher.run_due()
        rows = await services.store.fetch_all("SELECT * FROM outbox")
    texts_sent = Counter(c.params["text"] for c in telegram.sent())
    by_id = {r["id"]: r for r in rows}
    assert all(r["status"] == "sent" for r in rows)
    for row_id, row in by_id.items():
        copies = texts_sent[f"bericht {row_id - 1}"]
        if row_id in never_claimed:
            assert copies == 1 and not row["possible_duplicate"]
        elif row_id in in_flight:
            assert copies in (1, 2) and row["possible_duplicate"] == 1
            assert row["reason"] == outbox.RECOVERED_REASON
        else:
            assert copies == 1


async def test_only_rows_handed_to_telegram_are_flagged_after_a_crash(
    services: Services, clock: FakeClock
) -> None:
    """A claimed batch is only partly on its way when the bot dies: the rows still waiting
    for their turn never reached Telegram and go again unflagged."""
    await without_the_alarm(services)
    await enqueue_many(services, [message(10 + i, f"m{i}") for i in range(5)])
    claimed = await outbox.claim(services.store, clock, 10)
    await outbox.mark_handed(services.store, clock, [claimed[0].id, claimed[3].id])
    assert await outbox.recover_in_flight(services.store, clock) == (2, 0)
    rows = await services.store.fetch_all(
        "SELECT id, status, possible_duplicate, recovered, attempts, reason FROM outbox"
    )
    flagged = {row["id"] for row in rows if row["possible_duplicate"]}
    assert flagged == {claimed[0].id, claimed[3].id}
    assert all(row["status"] == "pending" for row in rows)
    for row in rows:
        if row["id"] not in flagged:
            assert (row["recovered"], row["attempts"]) == (0, 0)
            assert row["reason"] == outbox.NEVER_HANDED_REASON


async def test_a_row_in_flight_at_two_restarts_is_not_sent_a_third_time(
    services: Services, clock: FakeClock
) -> None:
    await without_the_alarm(services)
    await enqueue_many(services, [message(10, "a"), message(11, "b")])
    claimed = await outbox.claim(services.store, clock, 10)
    await outbox.mark_handed(services.store, clock, [row.id for row in claimed])
    assert await outbox.recover_in_flight(services.store, clock) == (2, 0)
    [a, _] = await outbox.claim(services.store, clock, 10)
    # Only "a" was handed to Telegram again before the next crash; "b" was only claimed.
    await outbox.mark_handed(services.store, clock, [a.id])
    assert await outbox.recover_in_flight(services.store, clock) == (0, 1)
    rows = await services.store.fetch_all("SELECT chat_id, status, reason FROM outbox")
    assert {(r["chat_id"], r["status"], r["reason"]) for r in rows} == {
        (10, "failed", outbox.GIVEN_UP_REASON),
        (11, "pending", outbox.RECOVERED_REASON),  # the copy from before may exist
    }


class _Died(BaseException):
    """The process ends here (SIGKILL): nothing after it runs, no handler catches it."""


async def test_through_the_dispatcher_a_row_in_flight_at_two_crashes_goes_at_most_twice(
    services: Services, telegram: FakeTelegram
) -> None:
    """The in-flight rule with the real dispatcher handing the row over each time: it dies
    when Telegram has the message and before the answer is written down, twice. The
    second hand-over must be written down as the second (`recovered` = 2), or the row
    would look never handed and go a third time (a mutant that skipped this survived)."""
    services.dispatcher.alarm.detach()  # this test is the only sender
    async with services.dispatcher._running:
        pass  # a start-up run under way ends first

    def die(call: ApiCall) -> None:
        raise _Died

    async def life_until_the_send() -> None:
        telegram.on_send = die
        with pytest.raises(_Died):
            await services.dispatcher.run_due()
        telegram.on_send = None

    await enqueue_many(services, [message(10, "a", text="Uw afspraak"), message(11, "b")])
    # b is sent before the first crash and written down: no restart touches it again.
    await services.dispatcher.deliver(
        [await services.store.fetch_int("SELECT id FROM outbox WHERE idempotency_key = 'b'")]
    )
    await life_until_the_send()
    assert await outbox.recover_in_flight(services.store, services.clock) == (1, 0)
    row = await services.store.fetch_one("SELECT * FROM outbox WHERE idempotency_key = 'a'")
    assert row is not None
    assert (row["status"], row["recovered"], row["possible_duplicate"]) == ("pending", 1, 1)
    assert row["reason"] == outbox.RECOVERED_REASON

    await life_until_the_send()
    row = await services.store.fetch_one("SELECT * FROM outbox WHERE idempotency_key = 'a'")
    assert row is not None and (row["status"], row["handed"], row["recovered"]) == (
        "sending", 1, 2,
    )  # fmt: skip
    assert await outbox.recover_in_flight(services.store, services.clock) == (0, 1)

    await services.dispatcher.run_due()  # the third life sends nothing more
    assert telegram.texts_to(10) == ["Uw afspraak", "Uw afspraak"]  # at most two copies
    assert telegram.texts_to(11) == ["Hallo"]
    rows = await services.store.fetch_all("SELECT chat_id, status, reason FROM outbox")
    assert {(r["chat_id"], r["status"], r["reason"]) for r in rows} == {
        (10, "failed", outbox.GIVEN_UP_REASON),
        (11, "sent", None),
    }


async def test_a_recovered_row_claimed_but_not_handed_at_the_second_crash_goes_once_more(
    services: Services, telegram: FakeTelegram
) -> None:
    """A batch is claimed at once and handed over one by one: a recovered row still
    waiting for its turn at the second crash has only the one copy from before, so it goes
    again (flagged), and a fresh row of the same batch goes unflagged."""
    await enqueue_many(services, [message(10, "a"), message(11, "b")])
    [a, _] = await outbox.claim(services.store, services.clock, 10)
    await outbox.mark_handed(services.store, services.clock, [a.id])  # b was waiting
    assert await outbox.recover_in_flight(services.store, services.clock) == (1, 0)
    await outbox.claim(services.store, services.clock, 10)  # both claimed, none handed
    assert await outbox.recover_in_flight(services.store, services.clock) == (0, 0)
    rows = await services.store.fetch_all(
        "SELECT chat_id, status, recovered, possible_duplicate, attempts, reason FROM outbox"
        " ORDER BY chat_id"
    )
    assert [tuple(r) for r in rows] == [
        (10, "pending", 1, 1, 1, outbox.RECOVERED_REASON),
        (11, "pending", 0, 0, 0, outbox.NEVER_HANDED_REASON),
    ]
    services.dispatcher.alarm.detach()
    await services.dispatcher.run_due()
    assert telegram.texts_to(10) == ["Hallo"] and telegram.texts_to(11) == ["Hallo"]
    assert await statuses(services) == Counter({"sent": 2})


async def until_sent(telegram: FakeTelegram, chat_id: int, patience: float = 30.0) -> None:
    """Wait (polling) until the chat got a message; no timing is asserted, only that it
    comes at all while the minute's sweep has not rung."""
    for _ in range(int(patience / 0.02)):
        if telegram.texts_to(chat_id):
            return
        await asyncio.sleep(0.02)
    raise TimeoutError(f"nothing reached chat {chat_id} in {patience} s")


async def test_the_dispatcher_is_woken_by_one_named_job_at_the_due_time(
    config: Config, clock: FakeClock
) -> None:
    telegram = FakeTelegram()
    application = build_application(config, request=telegram, clock=clock)
    async with running(application):
        services = services_of(application)
        await asyncio.sleep(0.05)  # the start-up wake-up has passed
        delays = alarm_delays(services)
        await services.send(message(10, "soon", due_at=clock() + dt.timedelta(seconds=30)))
        await services.dispatcher.run_due()  # a look now: nothing is due yet
        assert telegram.texts_to(10) == []
        assert delays[-1] == 30.0  # the alarm is set for the due time, on the bot's clock
        assert application.job_queue is not None
        assert len(application.job_queue.get_jobs_by_name("outbox-dispatcher")) == 1
        clock.advance(seconds=30)
        services.dispatcher.wake()  # as the job does when its time comes
        await until_sent(telegram, 10)
        assert telegram.texts_to(10) == ["Hallo"]
        assert len(application.job_queue.get_jobs_by_name("outbox-dispatcher")) <= 1


async def test_a_text_past_telegrams_limit_goes_shortened_not_refused(
    services: Services, telegram: FakeTelegram
) -> None:
    """Telegram refuses a text over 4,096 characters or a caption over 1,024 ("message is
    too long"): the person got nothing. Found by tests/fuzz (a pasted page quoted back)."""
    photo = Attachment("photo", "qr.png", b"png")
    await enqueue_many(
        services,
        [message(10, "long", "x" * 5000), message(11, "caption", "y" * 2000, attachment=photo)],
    )
    await services.dispatcher.run_due()
    assert await statuses(services) == Counter({"sent": 2})
    text = telegram.sent()[0].params["text"]
    assert len(text) == 4096 and text.endswith("x…")
    caption = telegram.sent("sendPhoto")[0].params["caption"]
    assert len(caption) == 1024 and caption.endswith("y…")


async def test_a_text_is_measured_as_telegram_does_in_utf16_units(
    services: Services, telegram: FakeTelegram
) -> None:
    """📅 is one character and two UTF-16 code units, and Telegram counts the units: 2,100
    of them make 4,200 units, over the limit although only 2,100 characters."""
    await enqueue_many(
        services, [message(10, "emoji", "📅" * 2100), message(11, "fits", "📅" * 2048)]
    )
    await services.dispatcher.run_due()
    assert await statuses(services) == Counter({"sent": 2})
    shortened, fits = (call.params["text"] for call in telegram.sent())
    assert shortened == "📅" * 2047 + "…"  # 4,095 units: no half emoji at the cut
    assert fits == "📅" * 2048


async def test_sends_that_finish_together_are_written_down_together_and_only_when_written(
    services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The group commit: one write for the rows that finished meanwhile; a failed write
    leaves its rows `sending` (the in-flight rule recovers them) and fails only its caller's
    send, the others are written by the next write."""
    await enqueue_many(services, [message(10 + i, f"g{i}") for i in range(5)])
    rows = await outbox.claim(services.store, clock, 10)
    real_write = outbox.mark_sent
    writes: list[list[int]] = []
    others_waiting = asyncio.Event()

    async def write(store: Store, clock_: FakeClock, sent: list[tuple[int, int | None]]) -> None:
        writes.append([row_id for row_id, _ in sent])
        if len(writes) == 1:
            await others_waiting.wait()  # the other four finish while this write goes
        if len(writes) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        await real_write(store, clock_, sent)

    monkeypatch.setattr(outbox, "mark_sent", write)
    ledger = SentLedger(services.store, clock)
    first = asyncio.create_task(ledger.mark_sent(rows[0].id, 1))
    await asyncio.sleep(0)
    others = [
        asyncio.create_task(ledger.mark_sent(row.id, 2 + n)) for n, row in enumerate(rows[1:])
    ]
    await asyncio.sleep(0)
    others_waiting.set()
    results = await asyncio.gather(first, *others, return_exceptions=True)

    ids = [row.id for row in rows]
    assert writes == [ids[:1], ids[1:], ids[2:]]
    assert results[0] is None and isinstance(results[1], sqlite3.OperationalError)
    assert results[2:] == [None, None, None]
    rows_now = await services.store.fetch_all("SELECT id, status FROM outbox")
    stored = {row["id"]: row["status"] for row in rows_now}
    assert stored == {i: "sending" if i == ids[1] else "sent" for i in ids}


async def test_a_reply_put_back_by_a_429_is_woken_for_and_goes(config: Config) -> None:
    """Sent at once (deliver), answered 429: the row waits in the outbox with its due time,
    and the dispatcher's alarm is set for it (not only the minute's sweep)."""
    telegram = FakeTelegram()
    application = build_application(config, request=telegram)  # the real clock
    async with running(application):
        services = services_of(application)
        await asyncio.sleep(0.05)  # the start-up wake-up has passed
        delays = alarm_delays(services)
        telegram.fail("429", retry_after=1)
        await services.send(message(10, "reply"))
        assert telegram.texts_to(10) == []
        # Woken when Telegram allows, no later (a 0 is the start-up's own wake-up, when a
        # loaded machine started the bot later than the sleep above allowed for).
        later = [delay for delay in delays if delay > 0]
        assert later and max(later) <= 1.0
        await until_sent(telegram, 10)  # by that alarm: the sweep is a minute away
        assert telegram.texts_to(10) == ["Hallo"]


BRUSSELS = ZoneInfo("Europe/Brussels")

# --- the SMS lane: the same outbox, the gateway instead of Telegram ---------------------

NUMBER = "+32470123456"


class Gateway:
    """The SMS gateway as the dispatcher sees it: takes each SMS, or answers as told."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.answers: list[Exception] = []  # the next sends' troubles, in order

    async def send(self, to: str, body: str) -> SmsAccepted:
        if self.answers:
            raise self.answers.pop(0)
        self.sent.append((to, body))
        return SmsAccepted(f"SM{len(self.sent)}", segments_of(body))

    async def close(self) -> None:
        pass


@dataclass
class SmsWorld:
    gateway: Gateway
    unreachable: list[tuple[int, str]]
    opted_out: list[int]
    budget_told: list[int]
    newcomer_id: int


async def sms_lane(services: Services, monthly_segments: int = 100, rate: float = 0.5) -> SmsWorld:
    """The dispatcher's SMS lane with a gateway that takes at most `rate` a second, and a
    newcomer with a number."""
    world = SmsWorld(Gateway(), [], [], [], 0)

    async def unreachable(newcomer_id: int, reason: str) -> None:
        world.unreachable.append((newcomer_id, reason))

    async def opted_out(newcomer_id: int) -> None:
        world.opted_out.append(newcomer_id)

    async def budget_spent(segments: int) -> None:
        world.budget_told.append(segments)

    services.dispatcher.sms = SmsLane(
        world.gateway, SmsPace(rate), monthly_segments, BRUSSELS, unreachable, opted_out,
        budget_spent,
    )  # fmt: skip
    async with services.store.transaction() as db:
        cursor = await db.execute(
            "INSERT INTO newcomers (reference, first_name, language, status, consent_at,"
            " created_at) VALUES ('K-S001', 'Amal', 'ar', 'active', ?, ?)",
            (to_db(services.clock()), to_db(services.clock())),
        )
        assert cursor.lastrowid is not None
        world.newcomer_id = cursor.lastrowid
    return world


def sms(key: str, text: str = "Uw afspraak is morgen.", newcomer_id: int | None = None) -> Outgoing:
    return Outgoing(
        chat_id=outbox.SMS_CHAT, text=text, purpose="test", idempotency_key=key,
        channel="sms", to=NUMBER, newcomer_id=newcomer_id,
    )  # fmt: skip


async def outbox_rows(services: Services) -> list[tuple[str, str | None, int]]:
    """(status, reason, attempts) of each row, in the order they were written."""
    rows = await services.store.fetch_all("SELECT status, reason, attempts FROM outbox ORDER BY id")
    return [(row["status"], row["reason"], row["attempts"]) for row in rows]


async def test_an_sms_goes_to_the_gateway_and_its_segments_count_for_the_month(
    services: Services, clock: FakeClock
) -> None:
    world = await sms_lane(services, rate=100)
    # 00:30 on the first of February in Brussels, still January in UTC: February's budget.
    clock.now = dt.datetime(2027, 2, 1, 0, 30, tzinfo=BRUSSELS).astimezone(dt.UTC)
    long = "Uw afspraak is morgen om tien uur in het gebouw van de VDAB. " * 3  # > 160 letters
    await enqueue_many(services, [sms("a"), sms("b", long)])
    assert await services.dispatcher.run_due() == 2
    assert world.gateway.sent == [(NUMBER, "Uw afspraak is morgen."), (NUMBER, long)]
    rows = await services.store.fetch_all(
        "SELECT status, sms_sid, sms_segments, sms_status, handed FROM outbox ORDER BY id"
    )
    assert [tuple(row) for row in rows] == [
        ("sent", "SM1", 1, "accepted", 1),  # handed over first: the in-flight rule
        ("sent", "SM2", 2, "accepted", 1),
    ]
    assert await segments_used(services.store, "2027-02") == 3
    assert await segments_used(services.store, "2027-01") == 0
    assert services.dispatcher.watch.sent.labels("test")._value.get() == 2


async def test_an_sms_waits_for_the_gateways_pace_in_the_outbox_not_in_memory(
    services: Services, clock: FakeClock
) -> None:
    """At 0.5 a second the second SMS would wait two seconds, longer than a person should
    wait for a reply: it goes back to the outbox, due then, without counting as a try."""
    world = await sms_lane(services, rate=0.5)
    await enqueue_many(services, [sms("a"), sms("b")])
    await services.dispatcher.run_due()
    assert len(world.gateway.sent) == 1
    assert await outbox_rows(services) == [
        ("sent", None, 1),
        ("pending", "pacing for the SMS gateway", 0),
    ]
    due = await services.store.fetch_value("SELECT due_at FROM outbox WHERE status = 'pending'")
    waited = (from_db(str(due)) - clock()).total_seconds()
    assert 1.5 < waited <= 2.0 + SmsPace.MARGIN


async def test_sms_queued_past_what_a_person_may_wait_go_back_to_the_outbox_at_once(
    services: Services, clock: FakeClock
) -> None:
    """At 0.5 a second, with one SMS going and one waiting for its turn, a third would wait
    two seconds more for its turn alone: it goes back to the outbox without waiting, due
    when the one before it may go, so Telegram's rows do not wait behind a queue of SMS."""
    world = await sms_lane(services, rate=0.5)
    await enqueue_many(services, [sms("a"), sms("b"), sms("c")])
    assert await services.dispatcher.run_due() == 1  # the rows put back are not counted
    assert len(world.gateway.sent) == 1
    rows = await services.store.fetch_all(
        "SELECT status, reason, due_at, attempts FROM outbox ORDER BY id"
    )
    assert [row["attempts"] for row in rows] == [1, 0, 0]  # waiting is no attempt
    assert [(row["status"], row["reason"]) for row in rows] == [
        ("sent", None),
        ("pending", "pacing for the SMS gateway"),
        ("pending", "pacing for the SMS gateway"),
    ]
    assert from_db(rows[2]["due_at"]) == clock() + dt.timedelta(seconds=2)
    assert services.dispatcher._sms_waiting == 0  # nobody is left counted as waiting


async def test_past_the_months_budget_an_sms_is_skipped_and_the_coordinators_told_once(
    services: Services, clock: FakeClock
) -> None:
    world = await sms_lane(services, monthly_segments=3, rate=100)
    month = month_of(clock(), BRUSSELS)
    await add_segments(services.store, month, 2)
    await enqueue_many(services, [sms("fits")])  # 2 + 1 = 3: exactly the budget
    assert await services.dispatcher.run_due() == 1
    await enqueue_many(services, [sms("over"), sms("over again")])
    assert await services.dispatcher.run_due() == 0
    assert world.gateway.sent == [(NUMBER, "Uw afspraak is morgen.")]
    assert await outbox_rows(services) == [
        ("sent", None, 1),
        ("skipped", SMS_BUDGET_REASON, 1),
        ("skipped", SMS_BUDGET_REASON, 1),
    ]
    assert world.budget_told == [3]  # once a month, with the budget
    assert await segments_used(services.store, month) == 3


async def test_with_sms_off_an_sms_row_fails_with_why(services: Services) -> None:
    assert services.dispatcher.sms is None
    await enqueue_many(services, [sms("a")])
    assert await services.dispatcher.run_due() == 0
    assert await outbox_rows(services) == [("failed", SMS_OFF_REASON, 1)]
    assert services.dispatcher.watch.failed.labels("test")._value.get() == 1


async def test_the_gateways_429_pauses_every_sms_without_counting_a_try(
    services: Services, clock: FakeClock
) -> None:
    world = await sms_lane(services, rate=100)
    world.gateway.answers = [SmsTryLater("429", retry_after=30)]
    await enqueue_many(services, [sms("a"), sms("b")])
    assert await services.dispatcher.run_due() == 0
    assert world.gateway.sent == []
    assert services.dispatcher.watch.retried.labels("test")._value.get() == 1
    assert await outbox_rows(services) == [
        ("pending", "SMS 429 retry after 30 s", 0),
        ("pending", "the SMS gateway asked to wait", 0),
    ]
    dues = await services.store.fetch_all("SELECT due_at FROM outbox ORDER BY id")
    assert from_db(dues[0]["due_at"]) == clock() + dt.timedelta(seconds=30)
    assert from_db(dues[1]["due_at"]) > clock() + dt.timedelta(seconds=29)


async def test_a_429_of_one_second_is_a_pause_too_not_a_failed_try(services: Services) -> None:
    world = await sms_lane(services, rate=100)
    world.gateway.answers = [SmsTryLater("429", retry_after=1)]
    await enqueue_many(services, [sms("a")])
    await services.dispatcher.run_due()
    assert await outbox_rows(services) == [("pending", "SMS 429 retry after 1 s", 0)]


async def test_a_broken_gateway_is_tried_again_later_a_timeout_flagged_as_maybe_sent(
    services: Services, clock: FakeClock
) -> None:
    world = await sms_lane(services, rate=100)
    world.gateway.answers = [SmsTryLater("503 busy"), SmsTryLater("timeout", maybe_sent=True)]
    await enqueue_many(services, [sms("a"), sms("b")])
    await services.dispatcher.run_due()
    rows = await services.store.fetch_all(
        "SELECT status, attempts, possible_duplicate, reason, due_at FROM outbox ORDER BY id"
    )
    assert [(r["status"], r["attempts"], r["possible_duplicate"]) for r in rows] == [
        ("pending", 1, 0),
        ("pending", 1, 1),
    ]
    assert [r["reason"] for r in rows] == ["SmsTryLater: 503 busy", "SmsTryLater: timeout"]
    assert from_db(rows[0]["due_at"]) == clock() + dt.timedelta(seconds=2)
    clock.advance(seconds=2)
    await services.dispatcher.run_due()
    assert len(world.gateway.sent) == 2


async def test_a_refused_number_tells_the_people_rules_why(services: Services) -> None:
    """A number that cannot get SMS (a landline): the newcomer's SMS stops; STOP sent to
    the gateway: they opted out; any other refusal: only this SMS failed."""
    world = await sms_lane(services, rate=100)
    world.gateway.answers = [
        SmsRefused(21614, "not a mobile number"),
        SmsRefused(21610, "unsubscribed"),
        SmsRefused(21602, "message body is required"),
    ]
    me = world.newcomer_id
    await enqueue_many(
        services, [sms("a", newcomer_id=me), sms("b", newcomer_id=me), sms("c", newcomer_id=me)]
    )
    assert await services.dispatcher.run_due() == 0
    reasons = [
        "SMS refused 21614: not a mobile number",
        "SMS refused 21610: unsubscribed",
        "SMS refused 21602: message body is required",
    ]
    assert await outbox_rows(services) == [("failed", reason, 1) for reason in reasons]
    assert world.unreachable == [(me, reasons[0])]
    assert world.opted_out == [me]
    assert services.dispatcher.watch.failed.labels("test")._value.get() == 3


# --- edits in place: a card or a progress message, through the same outbox ------------


async def telegram_ids(services: Services) -> list[tuple[str, str, int | None]]:
    rows = await services.store.fetch_all(
        "SELECT idempotency_key, status, telegram_message_id FROM outbox ORDER BY id"
    )
    return [(row["idempotency_key"], row["status"], row["telegram_message_id"]) for row in rows]


async def test_an_edit_changes_the_sent_message_in_place_and_an_unchanged_one_is_done(
    services: Services, telegram: FakeTelegram
) -> None:
    buttons = [[Button("Stop", data="an:stop:1")]]
    await enqueue_many(services, [message(10, "progress", "0 van 40 verstuurd", buttons=buttons)])
    await services.dispatcher.run_due()
    (first,) = telegram.sent()
    await enqueue_many(
        services,
        [message(10, "progress:1", "20 van 40 verstuurd", edits="progress", buttons=buttons)],
    )
    await services.dispatcher.run_due()
    (edit,) = telegram.sent("editMessageText")
    original = (await telegram_ids(services))[0][2]
    assert original is not None
    assert (edit.params["chat_id"], edit.params["message_id"]) == (10, original)
    assert edit.params["text"] == "20 van 40 verstuurd"
    assert edit.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "an:stop:1"
    # The same text again: Telegram says "not modified"; the edit is done all the same.
    await enqueue_many(
        services,
        [message(10, "progress:2", "20 van 40 verstuurd", edits="progress", buttons=buttons)],
    )
    await services.dispatcher.run_due()
    assert len(telegram.sent()) == 1 and first.params["text"] == "0 van 40 verstuurd"
    assert await telegram_ids(services) == [
        ("progress", "sent", original),
        ("progress:1", "sent", original),
        ("progress:2", "sent", original),
    ]


async def test_an_edit_waits_for_its_message_and_goes_as_a_new_one_when_that_failed(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    later = clock() + dt.timedelta(minutes=1)
    await enqueue_many(
        services,
        [
            message(10, "card", "Open", due_at=later),
            message(10, "card:1", "Overgenomen", edits="card"),
        ],
    )
    await services.dispatcher.run_due()
    row = await services.store.fetch_one(
        "SELECT status, reason, due_at FROM outbox WHERE idempotency_key = 'card:1'"
    )
    assert row is not None
    assert (row["status"], row["reason"]) == ("pending", "waiting for the message it edits")
    assert from_db(row["due_at"]) == clock() + dt.timedelta(seconds=EDIT_WAIT)
    assert telegram.sent() == telegram.sent("editMessageText") == []
    attempts = "SELECT attempts FROM outbox WHERE idempotency_key = 'card:1'"
    assert await services.store.fetch_int(attempts) == 0  # waiting is not a failed try
    # The card on its way to Telegram (claimed, not yet sent): the edit waits again.
    card_id = await services.store.fetch_int("SELECT id FROM outbox WHERE idempotency_key = 'card'")
    clock.advance(minutes=1)
    [card] = await outbox.claim(services.store, services.clock, 10, ids=[card_id])
    assert card.text == "Open"
    clock.advance(seconds=EDIT_WAIT)
    await services.dispatcher.run_due()
    row = await services.store.fetch_one(
        "SELECT status, reason FROM outbox WHERE idempotency_key = 'card:1'"
    )
    assert row is not None
    assert (row["status"], row["reason"]) == ("pending", "waiting for the message it edits")
    # The card itself could not go (the chat is gone): the edit goes as a message of its own.
    await outbox.mark_final(services.store, services.clock, card_id, "failed", "test")
    clock.advance(seconds=EDIT_WAIT)
    await services.dispatcher.run_due()
    assert telegram.texts_to(10) == ["Overgenomen"]
    assert telegram.sent("editMessageText") == []


async def test_an_edit_of_a_menu_message_drops_the_keyboard_telegram_cannot_edit(
    services: Services, telegram: FakeTelegram
) -> None:
    await enqueue_many(services, [message(10, "m", "Welkom")])
    await services.dispatcher.run_due()
    await enqueue_many(
        services, [message(10, "m:1", "Welkom terug", edits="m", keyboard=[["Hulp"]])]
    )
    await services.dispatcher.run_due()
    (edit,) = telegram.sent("editMessageText")
    assert edit.params["text"] == "Welkom terug" and "reply_markup" not in edit.params


class HeldGateway(Gateway):
    """A gateway that keeps the first SMS until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.reached, self.go = asyncio.Event(), asyncio.Event()

    async def send(self, to: str, body: str) -> SmsAccepted:
        self.reached.set()
        await self.go.wait()
        return await super().send(to, body)


async def test_an_sms_given_up_while_waiting_for_its_turn_leaves_no_place_in_the_queue(
    services: Services,
) -> None:
    """A reply by SMS whose sender stopped waiting (the handler was cancelled) while
    another SMS was at the gateway: it no longer counts as waiting, or every later SMS
    would be put back to the outbox for a queue that is not there."""
    world = await sms_lane(services, rate=100)
    held = HeldGateway()
    assert services.dispatcher.sms is not None
    services.dispatcher.sms.gateway = held
    await enqueue_many(services, [sms("first"), sms("second")])
    first = asyncio.create_task(services.dispatcher.deliver([1]))
    await until_set(held.reached, first)
    second = asyncio.create_task(services.dispatcher.deliver([2]))
    for _ in range(100):
        if services.dispatcher._sms_waiting == 1:
            break
        await asyncio.sleep(0.01)
    assert services.dispatcher._sms_waiting == 1  # the second waits for its turn
    second.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await second
    assert services.dispatcher._sms_waiting == 0
    held.go.set()
    assert await first == 1
    assert world.gateway.sent == [] and held.sent == [(NUMBER, "Uw afspraak is morgen.")]


async def test_run_due_counts_every_batch_and_sets_the_alarm_for_what_waits(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    services.dispatcher.batch_size = 2
    delays = alarm_delays(services)
    later = clock() + dt.timedelta(seconds=90)
    await enqueue_many(
        services, [message(10 + n, f"n{n}") for n in range(5)] + [message(20, "l", due_at=later)]
    )
    assert await services.dispatcher.run_due() == 5  # three batches, all counted
    assert delays[-1] == 90.0
    services.dispatcher.wake()
    assert delays[-1] == 0.0  # woken now, when asked without a delay
    # A row already due (a clock that moved on meanwhile): the alarm rings at once.
    clock.advance(seconds=120)
    await services.dispatcher._schedule_next()
    assert delays[-1] == 0.0


async def test_after_a_429_the_rest_waits_and_the_alarm_is_set_for_it(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    telegram.fail("429", retry_after=7)
    delays = alarm_delays(services)
    await enqueue_many(services, [message(10, "a"), message(11, "b")])
    assert await services.dispatcher.run_due() == 1  # the other went before the pause
    assert delays[-1] == 7.0


# --- withdrawn before it goes (outbox.withdraw) ------------------------------------------


async def test_a_row_is_withdrawn_while_waiting_or_claimed_but_never_once_handed_over(
    services: Services, clock: FakeClock
) -> None:
    await without_the_alarm(services)
    await enqueue_many(services, [message(10 + i, f"w{i}") for i in range(4)])
    waiting, claimed, handed, untouched = [
        row[0] for row in await services.store.fetch_all("SELECT id FROM outbox ORDER BY id")
    ]
    await outbox.claim(services.store, clock, 2, ids=[claimed, handed])
    assert await outbox.mark_handed(services.store, clock, [handed]) == {handed}
    async with services.store.transaction() as db:
        withdrawn = await outbox.withdraw(
            db, "2026-11-22T10:00:00.000000Z", "the appointment was cancelled",
            "id IN (?, ?, ?)", (waiting, claimed, handed),
        )  # fmt: skip
    assert sorted(withdrawn) == [waiting, claimed]
    rows = {
        row["id"]: (row["status"], row["reason"])
        for row in await services.store.fetch_all("SELECT id, status, reason FROM outbox")
    }
    assert rows == {
        waiting: ("skipped", "the appointment was cancelled"),
        claimed: ("skipped", "the appointment was cancelled"),
        handed: ("sending", None),  # on its way: it may be at Telegram already
        untouched: ("pending", None),
    }
    # The dispatcher, holding the claimed one, asks before its request: no.
    assert await outbox.mark_handed(services.store, clock, [claimed]) == set()
    # And what it does with a row it holds leaves a withdrawn one as it is.
    later = clock() + dt.timedelta(seconds=5)
    await outbox.postpone(services.store, clock, claimed, later, "pacing", retry=False)
    await outbox.mark_final(services.store, clock, claimed, "failed", "Bad Request")
    row = await services.store.fetch_one(
        "SELECT status, reason FROM outbox WHERE id = ?", (claimed,)
    )
    assert row is not None and tuple(row) == ("skipped", "the appointment was cancelled")


async def test_a_claimed_row_withdrawn_while_it_waits_for_its_turn_does_not_go(
    services: Services, telegram: FakeTelegram, clock: FakeClock
) -> None:
    """A burst bigger than the dispatcher's places: the last rows, claimed, wait in memory
    for a place; the last newcomer stops meanwhile: their message must not arrive."""
    await without_the_alarm(services)
    telegram.latency = 0.05
    burst = 45  # more than the dispatcher's 32 places
    await enqueue_many(services, [message(100 + i, f"b{i}") for i in range(burst)])
    ids = [row[0] for row in await services.store.fetch_all("SELECT id FROM outbox ORDER BY id")]
    arrived = asyncio.Event()
    telegram.on_send = lambda call: arrived.set()
    delivery = asyncio.ensure_future(services.dispatcher.deliver(ids))
    await until_set(arrived, delivery)  # the first are at Telegram, the last wait for a place
    last = await services.store.fetch_one(
        "SELECT status, handed FROM outbox WHERE id = ?", (ids[-1],)
    )
    assert last is not None and tuple(last) == ("sending", 0)  # claimed, not on its way
    async with services.store.transaction() as db:
        assert await outbox.withdraw(db, to_db(clock()), "newcomer stopped", "id = ?", (ids[-1],))
    assert await delivery == burst - 1
    assert telegram.texts_to(100 + burst - 1) == []
    row = await services.store.fetch_one(
        "SELECT status, reason FROM outbox WHERE id = ?", (ids[-1],)
    )
    assert row is not None and tuple(row) == ("skipped", "newcomer stopped")


async def test_each_row_reaches_the_rate_limiter_in_its_lane(
    services: Services, telegram: FakeTelegram
) -> None:
    """A reply in the reply lane (it goes first where messages wait for Telegram's 30 a
    second), a reminder and an edit of a progress message in the routine lane, an
    announcement's rows in the bulk lane."""
    async with lanes_recorded(services, telegram) as lanes:
        await enqueue_many(services, [message(10, "reply"), message(11, "reminder")])
        assert await services.dispatcher.deliver([1]) == 1
        assert await services.dispatcher.deliver([2], Lane.ROUTINE) == 1
        await enqueue_many(
            services,
            [message(12, "one-of-many", bulk=True), message(11, "edit", edits="reminder")],
        )
        assert await services.dispatcher.run_due() == 2
    assert lanes[:2] == [("sendMessage", None), ("sendMessage", Lane.ROUTINE)]
    # The last two went together: in either order.
    assert sorted(lanes[2:]) == [
        ("editMessageText", Lane.ROUTINE),
        ("sendMessage", Lane.BULK),
    ]


async def test_a_reply_whose_row_the_sweep_took_first_returns_once_it_has_gone(
    services: Services, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep claims every due row, so it may take a reply's row while the handler is
    about to send it: the handler's `deliver` then waits for the sweep's send and counts
    it, so the person's answer has gone when it returns; a row already sent is not sent
    again; and nothing is left to wake the dispatcher for."""
    await without_the_alarm(services)
    await enqueue_many(services, [message(10, "answer", "Dank u")])
    at_telegram, go_on = asyncio.Event(), asyncio.Event()
    real_request = telegram.do_request

    async def held(*args: Any, **kwargs: Any) -> tuple[int, bytes]:
        at_telegram.set()
        await go_on.wait()
        return await real_request(*args, **kwargs)

    monkeypatch.setattr(telegram, "do_request", held)
    claimed_for_the_reply = asyncio.Event()
    real_claim = outbox.claim

    async def claim(*args: Any, **kwargs: Any) -> list[outbox.Row]:
        rows = await real_claim(*args, **kwargs)
        if kwargs.get("ids") is not None:
            claimed_for_the_reply.set()
        return rows

    monkeypatch.setattr(outbox, "claim", claim)
    sweep = asyncio.ensure_future(services.dispatcher.run_due())
    await until_set(at_telegram, sweep)  # the sweep's send of the row is on its way
    reply = asyncio.ensure_future(services.dispatcher.deliver([1]))
    await until_set(claimed_for_the_reply, reply)  # found nothing left to claim
    assert not reply.done()  # it waits for the sweep's send
    go_on.set()
    assert await reply == 1
    assert telegram.texts_to(10) == ["Dank u"]
    assert await sweep == 1
    # A reply that went whole leaves nothing to wake for (a later row has its alarm).
    later = services.clock() + dt.timedelta(seconds=90)
    await enqueue_many(services, [message(11, "later", due_at=later), message(10, "next")])
    delays = alarm_delays(services)
    assert await services.dispatcher.deliver([3]) == 1
    assert delays == []
    assert await services.dispatcher.deliver([1]) == 0  # already sent: not again
    assert telegram.texts_to(10) == ["Dank u", "Hallo"]


async def test_a_handlers_own_call_to_a_chat_waits_for_its_pace_and_counts_in_it(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`paced`: a handler's own call to a chat (the buttons taken off an answered question)
    keeps the chat's pace: a short burst, then it waits; while it is on its way the
    outbox's next row to that chat waits for it; a call that fails counts all the same."""
    dispatcher = services.dispatcher
    waits = sleeps_noted(monkeypatch)
    on_the_way: list[bool] = []

    async def take_the_buttons_off() -> str:
        on_the_way.append(10 in dispatcher._on_the_way)
        return "edited"

    for _ in range(PRIVATE_BURST):
        assert await dispatcher.paced(10, take_the_buttons_off) == "edited"
    assert waits == []  # the burst goes at once
    assert await dispatcher.paced(10, take_the_buttons_off) == "edited"
    assert len(waits) == 1 and 0.5 < waits[0] <= PRIVATE_INTERVAL + ChatPacer.MARGIN
    assert on_the_way == [True] * (PRIVATE_BURST + 1) and 10 not in dispatcher._on_the_way
    assert await dispatcher.paced(11, take_the_buttons_off) == "edited"
    assert len(waits) == 1  # another chat does not wait for this one

    async def refused() -> str:
        raise BadRequest("Message to edit not found")

    for _ in range(PRIVATE_BURST):
        with pytest.raises(BadRequest):
            await dispatcher.paced(12, refused)
    assert 12 not in dispatcher._on_the_way
    now = asyncio.get_running_loop().time()
    assert dispatcher.pacer.wait_for(12, now) > 0  # the failed calls counted


async def test_a_link_button_goes_as_a_url_button(
    services: Services, telegram: FakeTelegram
) -> None:
    buttons = [[Button("📍 Route", url="https://www.openstreetmap.org/?mlat=51.05")]]
    await enqueue_many(services, [message(10, "route", buttons=buttons)])
    assert await services.dispatcher.run_due() == 1
    (sent,) = telegram.sent()
    assert sent.params["reply_markup"]["inline_keyboard"] == [
        [{"text": "📍 Route", "url": "https://www.openstreetmap.org/?mlat=51.05"}]
    ]


def sleeps_noted(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every asyncio.sleep from now on, noted and not sat out (the loop's clock stands
    still): what the dispatcher waits, without the test waiting."""
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def sleep(delay: float, *args: Any, **kwargs: Any) -> None:
        waits.append(delay)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return waits


async def test_an_sms_waits_for_the_gateways_pace_when_that_is_short(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two SMS went 0.7 s ago at 2 a second: the next waits the 0.3 s left, then goes."""
    world = await sms_lane(services, rate=2)
    assert services.dispatcher.sms is not None
    now = asyncio.get_running_loop().time()
    for _ in range(2):
        services.dispatcher.sms.pace.record(now - 0.7)
    waits = sleeps_noted(monkeypatch)
    await enqueue_many(services, [sms("a")])
    assert await services.dispatcher.run_due() == 1
    assert len(world.gateway.sent) == 1
    assert len(waits) == 1 and 0.2 < waits[0] <= 0.3 + SmsPace.MARGIN


async def test_only_as_many_sms_wait_for_their_turn_as_a_person_may_wait_for(
    services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 2 a second six SMS at once: one goes, four wait their turn (the last of them
    1.5 s: as long as a person may wait), the sixth would wait 2 s and goes back to the
    outbox, due when its turn comes."""
    world = await sms_lane(services, rate=2)
    sleeps_noted(monkeypatch)
    await enqueue_many(services, [sms(f"s{n}") for n in range(6)])
    rows = await outbox.claim(services.store, services.clock, 6)
    assert await services.dispatcher._send_all(rows) == 5
    assert len(world.gateway.sent) == 5
    last = await services.store.fetch_one(
        "SELECT status, reason, due_at FROM outbox WHERE idempotency_key = 's5'"
    )
    assert last is not None
    assert (last["status"], last["reason"]) == ("pending", "pacing for the SMS gateway")
    assert from_db(last["due_at"]) == clock() + dt.timedelta(seconds=2)
    assert services.dispatcher._sms_waiting == 0


async def test_a_photo_a_file_and_a_protected_text_go_whole_in_their_lane(
    services: Services, telegram: FakeTelegram
) -> None:
    """A QR code (photo) and a handover's file (document) go with their caption, buttons
    and file; what is marked protected (a handover note's details) cannot be forwarded or
    saved, in every form; each in the lane it was sent in."""
    buttons = [[Button("✅ Ik neem over", data="ho:take:1")]]
    qr = Attachment("photo", "qr.png", b"\x89PNG qr")
    note = Attachment("document", "overdracht.pdf", b"%PDF note")
    async with lanes_recorded(services, telegram) as lanes:
        await enqueue_many(
            services,
            [
                message(10, "qr", "Scan mij", attachment=qr, buttons=buttons),
                message(11, "file", "De nota", attachment=note, buttons=buttons, protect=True),
                message(12, "details", "Details", protect=True),
            ],
        )
        assert await services.dispatcher.deliver([1, 2, 3], Lane.ROUTINE) == 3
    (photo,) = telegram.sent("sendPhoto")
    (document,) = telegram.sent("sendDocument")
    (text,) = telegram.sent("sendMessage")
    keyboard = [[{"text": "✅ Ik neem over", "callback_data": "ho:take:1"}]]
    for call, chat, caption in ((photo, 10, "Scan mij"), (document, 11, "De nota")):
        assert (int(call.params["chat_id"]), call.params["caption"]) == (chat, caption)
        assert call.params["reply_markup"]["inline_keyboard"] == keyboard
    assert (photo.uploads["photo"], photo.filenames["photo"]) == (b"\x89PNG qr", "qr.png")
    assert document.uploads["document"] == b"%PDF note"
    assert document.filenames["document"] == "overdracht.pdf"
    assert [call.params.get("protect_content") for call in (photo, document, text)] == [
        False, True, True,
    ]  # fmt: skip
    assert sorted(lanes) == [
        ("sendDocument", Lane.ROUTINE),
        ("sendMessage", Lane.ROUTINE),
        ("sendPhoto", Lane.ROUTINE),
    ]


async def test_past_a_chats_burst_a_short_wait_is_slept_a_longer_one_goes_back_to_the_outbox(
    services: Services, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five messages to one person, one after the other: three go (the chat's burst), the
    fourth waits its second in memory, the fifth would wait two and goes back to the
    outbox, due then, without counting as a try."""
    waits = sleeps_noted(monkeypatch)
    await enqueue_many(services, [message(10, f"m{n}") for n in range(5)])
    sent = [await services.dispatcher.deliver([n + 1]) for n in range(5)]
    assert sent == [1, 1, 1, 1, 0]
    assert len(waits) == 1 and 0.5 < waits[0] <= PRIVATE_INTERVAL + ChatPacer.MARGIN
    last = await services.store.fetch_one(
        "SELECT status, reason, due_at, attempts FROM outbox WHERE idempotency_key = 'm4'"
    )
    assert last is not None
    assert (last["status"], last["reason"], last["attempts"]) == (
        "pending", "pacing for this chat", 0,
    )  # fmt: skip
    assert clock() + dt.timedelta(seconds=SLEEP_AT_MOST) < from_db(last["due_at"])
    assert from_db(last["due_at"]) <= clock() + dt.timedelta(seconds=2 * PRIVATE_INTERVAL + 0.1)
