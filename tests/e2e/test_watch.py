"""Watching the running bot (issue 19, item 3): /healthz and /metrics through a real HTTP
client against the real Application polling the stand-in, answering otherwise when the
stand-in fails; and the dispatcher found stuck.

The bot's clock is a FakeClock: "no successful poll for a minute" is a jump of the clock,
not a minute of waiting. The polling itself is PTB's real Updater.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.app.application import HTTP_KEY, SUMMARY_JOB, build_application
from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.http import HttpServer
from bot.app.standin import FakeTelegram
from bot.core.clock import to_db
from bot.core.config import Config, HttpConfig, StorageConfig
from bot.people.staff import Role
from bot.sending.outbox import Outgoing
from handlers.core.context import SchakelApp, services_of
from tests.conftest import FakeClock, make_staff

FOREVER = 10**9


@pytest.fixture
def config(tmp_path: Path) -> Config:
    # Port 0: the system picks a free one; the server says which.
    return Config(
        storage=StorageConfig(database=tmp_path / "schakel.db"),
        organisations=DEMO_ORGANISATIONS,
        http=HttpConfig(listen="127.0.0.1:0"),
    )


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram(long_polling=True)  # getUpdates waits, as Telegram's does


@pytest.fixture
async def polling_app(app: SchakelApp) -> AsyncIterator[SchakelApp]:
    """The conftest's running Application (with the config and stand-in above), polling."""
    assert app.updater is not None
    await app.updater.start_polling(timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()


@pytest.fixture
async def http(polling_app: SchakelApp) -> AsyncIterator[httpx.AsyncClient]:
    server: HttpServer = polling_app.bot_data[HTTP_KEY]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
        yield client


async def polled(telegram: FakeTelegram, at_least: int = 1) -> None:
    """Until the Updater has asked getUpdates `at_least` more times."""
    before = sum(call.method == "getUpdates" for call in telegram.calls)
    for _ in range(500):
        if sum(call.method == "getUpdates" for call in telegram.calls) >= before + at_least:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the Updater does not poll")


def metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in /metrics:\n{text}")


async def test_healthz_and_metrics_follow_the_stand_in(
    polling_app: SchakelApp, http: httpx.AsyncClient, telegram: FakeTelegram, clock: FakeClock
) -> None:
    await polled(telegram)
    answer = await http.get("/healthz")
    assert (answer.status_code, answer.text) == (200, "ok\n")

    # Someone writes; the reply goes through the outbox and is counted by its kind.
    services = services_of(polling_app)
    admin = await make_staff(services, telegram, 9001, "Annelies", Role.ADMIN)
    await telegram.send(admin, "/help")
    metrics = await http.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    assert metric(metrics.text, 'schakel_messages_sent_total{kind="reply"}') >= 1
    assert metric(metrics.text, "schakel_healthy") == 1
    assert metric(metrics.text, "schakel_telegram_poll_errors_total") == 0
    assert metric(metrics.text, "schakel_outbox_pending") == 0
    assert metric(metrics.text, "schakel_uptime_seconds") > 0

    # Telegram fails every poll with a 502; a minute and a half later the bot is unwell.
    telegram.fail("502", method="getUpdates", times=FOREVER)
    await polled(telegram, 2)
    clock.advance(seconds=90)
    answer = await http.get("/healthz")
    assert answer.status_code == 503
    assert answer.text.startswith("no successful poll of Telegram for 9"), answer.text
    metrics = await http.get("/metrics")
    assert metric(metrics.text, "schakel_telegram_poll_errors_total") >= 2
    assert metric(metrics.text, "schakel_healthy") == 0

    # Telegram is back: so is the bot.
    telegram.faults.clear()
    await polled(telegram, 2)
    answer = await http.get("/healthz")
    assert (answer.status_code, answer.text) == (200, "ok\n")


async def test_a_message_waiting_long_past_its_time_is_a_stuck_dispatcher(
    polling_app: SchakelApp, http: httpx.AsyncClient, telegram: FakeTelegram, clock: FakeClock
) -> None:
    """A message due ten minutes ago and still pending: whatever holds it, it is news."""
    services = services_of(polling_app)
    message = Outgoing(chat_id=42, text="hallo", purpose="notice", idempotency_key="stuck:1")
    # A sending round that never ends (a hung call) holds the dispatcher's lock: the
    # next round cannot start.
    async with services.dispatcher._running:
        await services.send(message, now=False)
        clock.advance(minutes=10)
        await polled(telegram)  # the poll is recent on the new clock too
        answer = await http.get("/healthz")
        assert answer.status_code == 503
        assert answer.text == "the dispatcher is stuck: a message due 10 min ago has not gone yet\n"
        metrics = await http.get("/metrics")
        assert metric(metrics.text, "schakel_outbox_pending") == 1
        assert metric(metrics.text, "schakel_outbox_oldest_due_age_seconds") == pytest.approx(600)
    # Free again, it sends; all is well.
    for _ in range(500):
        if telegram.texts_to(42):
            break
        await asyncio.sleep(0.01)
    assert telegram.texts_to(42) == ["hallo"]
    assert (await http.get("/healthz")).status_code == 200


async def test_the_server_is_off_unless_listen_is_set(tmp_path: Path) -> None:
    application = build_application(Config(storage=StorageConfig(database=tmp_path / "s.db")))
    assert HTTP_KEY not in application.bot_data


async def test_a_taken_port_is_one_line(tmp_path: Path) -> None:
    first = HttpServer("127.0.0.1", 0)
    await first.start()
    try:
        second = HttpServer("127.0.0.1", first.port)
        with pytest.raises(Exception, match=f"cannot listen on 127.0.0.1:{first.port}"):
            await second.start()
    finally:
        await first.stop()


def test_health_counts_from_the_start_until_the_first_poll() -> None:
    from bot.app.health import poll_problem
    from bot.sending.watch import Watch

    clock = FakeClock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))
    watch = Watch(clock)
    assert poll_problem(watch, clock()) is None
    clock.advance(seconds=61)
    assert poll_problem(watch, clock()) == "no poll yet for 61 s"


async def test_a_message_on_its_way_for_minutes_is_a_stuck_dispatcher(
    app: SchakelApp, clock: FakeClock
) -> None:
    """A send that never returns leaves its row `sending`: counted from when it was taken."""
    from bot.app.health import read_facts, stuck

    services = services_of(app)
    message = Outgoing(chat_id=43, text="hallo", purpose="notice", idempotency_key="hung:1")
    async with services.dispatcher._running:  # no sending round takes it meanwhile
        await services.send(message, now=False)
        async with services.store.transaction() as db:
            await db.execute(
                "UPDATE outbox SET status = 'sending', handed = 1, updated_at = ?"
                " WHERE idempotency_key = 'hung:1'",
                (to_db(clock() + dt.timedelta(minutes=1)),),
            )
        clock.advance(minutes=4)
        facts = await read_facts(services.store.db, clock())
        assert (facts.pending, facts.oldest_due_age, stuck(facts)) == (1, 180.0, None)
        clock.advance(minutes=3)
        facts = await read_facts(services.store.db, clock())
        assert stuck(facts) == ("the dispatcher is stuck: a message due 6 min ago has not gone yet")


async def test_the_hourly_line_says_what_was_sent_failed_and_is_waiting(
    app: SchakelApp, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    services = services_of(app)
    admin = await make_staff(services, telegram, 9002, "Annelies", Role.ADMIN)
    await telegram.send(admin, "/help")
    telegram.gone.add(44)
    await services.send(
        Outgoing(chat_id=44, text="weg", purpose="notice", idempotency_key="gone:1")
    )
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name(SUMMARY_JOB)
    caplog.set_level(logging.INFO, logger="bot.app.application")
    await job.run(app)
    assert caplog.messages[-1] == (
        "last hour: 1 sent, 1 failed, 0 reminders late; 0 waiting now (oldest due 0 s ago), "
        "0 newcomers unreachable"
    )
