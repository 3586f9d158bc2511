"""Letting time pass for the real Application, faster than the wall clock, honestly.

The bot's own alarms (bot/alarm.py: one JobQueue job each for the dispatcher, the
reminders and the announcements) decide when anything happens. The test never rings
them itself: while the bot is busy it waits in real time; when the bot is idle until
its next alarm, the test skips that wait (moves the clock and lets that alarm ring
now). The one-minute sweeps are not counted as alarms: a message that only the sweep
would pick up is a bug, and a test that waits for it times out.

Retry-after pauses and pacing are in real time (the dispatcher's event loop), so
skipping idle time can never make the bot send sooner than Telegram allows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.core.clock import to_db
from bot.sending.alarm import Alarm
from bot.sending.pacing import OVERALL_WINDOW, Pacing, Places
from bot.sending.services import Services
from handlers.core.context import SchakelApp

# The bot is idle if its next alarm is further away than this (seconds).
IDLE_AFTER = 0.3


class FlowingClock:
    """Real time plus the idle time the test skipped: alarms of a second or two ring
    for real and find the clock moved on; a wait until 10:00 is skipped."""

    def __init__(self, start: dt.datetime) -> None:
        self.start = start
        self._started = time.monotonic()
        self.skipped = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self._started) + self.skipped

    def skip(self, seconds: float) -> None:
        self.skipped += dt.timedelta(seconds=seconds)


class Troubles:
    """Whatever reached the error handlers or escaped a task, while it watched."""

    def __init__(self, application: SchakelApp) -> None:
        self.errors: list[BaseException] = []
        self.loop_errors: list[dict[str, Any]] = []
        application.add_error_handler(self._record)
        self._loop = asyncio.get_running_loop()
        self._loop.set_exception_handler(lambda _, context: self.loop_errors.append(context))

    async def _record(self, update: object, context: Any) -> None:
        self.errors.append(context.error)

    def __bool__(self) -> bool:
        return bool(self.errors or self.loop_errors)

    def __repr__(self) -> str:
        return f"errors={self.errors!r} loop_errors={self.loop_errors!r}"


def quicker_overall_limit(application: SchakelApp, per_second: int = 400) -> None:
    """The bot's pacing (bot/sending/pacing.py) keeps it at 30 messages a second overall,
    so 1,000 messages take 33 s of real time. The stand-in runs without Telegram's limits
    here, and the 30/s is tested at Telegram's pace elsewhere (tests/test_pacing.py,
    tests/e2e/test_real_pace.py) and measured by tests/benchmarks/announcement_rate.py:
    allow more so a test with 1,000 recipients takes a few seconds."""
    limiter = application.bot.rate_limiter
    assert isinstance(limiter, Pacing)
    limiter.per_second = limiter.burst = per_second
    limiter._overall = Places(per_second, OVERALL_WINDOW)


def _alarms(services: Services) -> list[Alarm]:
    return [services.dispatcher.alarm, services.reminder_alarm, services.announcement_alarm]


class _Watched:
    """An alarm's callback that counts how many of its runs are under way: a run may
    be between its lock and setting its alarm again, and then nothing else shows it."""

    def __init__(self, callback: Callable[[], Awaitable[object]]) -> None:
        self.callback = callback
        self.running = 0

    async def __call__(self) -> object:
        self.running += 1
        try:
            return await self.callback()
        finally:
            self.running -= 1


def _watch(services: Services) -> list[_Watched]:
    watched = []
    for alarm in _alarms(services):
        callback = alarm._callback
        assert callback is not None, f"alarm {alarm.name} is not attached"
        if not isinstance(callback, _Watched):
            callback = alarm._callback = _Watched(callback)
        watched.append(callback)
    return watched


async def busy(services: Services) -> bool:
    """Something is on its way now: an alarm's run, a row being handed over, a lock
    held, or a flood-control pause of the dispatcher (that wait is real time)."""
    sending = await services.store.fetch_value(
        "SELECT count(*) FROM outbox WHERE status = 'sending'"
    )
    # After the query: a job that started meanwhile shows by now.
    if any(callback.running for callback in _watch(services)):
        return True
    locks = (
        services.dispatcher._running,
        services.reminder_lock,
        services.announcement_lock,
        services.store._lock,
    )
    paused = services.dispatcher._paused_until > asyncio.get_running_loop().time()
    return bool(sending) or paused or any(lock.locked() for lock in locks)


@dataclass(frozen=True)
class Ring:
    alarm: Alarm
    at: dt.datetime  # real time

    @property
    def seconds(self) -> float:
        return (self.at - dt.datetime.now(dt.UTC)).total_seconds()


def next_ring(application: SchakelApp, services: Services) -> Ring | None:
    """The bot's next alarm."""
    assert application.job_queue is not None
    upcoming = [
        Ring(alarm, job.next_t)
        for alarm in _alarms(services)
        for job in application.job_queue.get_jobs_by_name(alarm.name)
        if job.next_t is not None
    ]
    return min(upcoming, key=lambda ring: ring.at) if upcoming else None


async def let_time_pass(
    application: SchakelApp,
    services: Services,
    clock: FlowingClock,
    *,
    until: dt.datetime | None = None,
    done: Callable[[], Awaitable[bool]] | None = None,
    real_seconds: float = 60.0,
) -> None:
    """Let the bot work until `done()` says so, or until the clock reaches `until`
    with the bot idle. Fails if that takes more than `real_seconds` of real time."""
    started = time.monotonic()
    while True:
        await asyncio.sleep(0.02)
        if time.monotonic() - started > real_seconds:
            pending = await services.store.fetch_all(
                "SELECT id, chat_id, status, due_at, reason FROM outbox"
                " WHERE status IN ('pending', 'sending') LIMIT 5"
            )
            raise TimeoutError(
                f"still busy after {real_seconds} s at {to_db(clock())}: "
                f"{[tuple(row) for row in pending]}, next ring {next_ring(application, services)}"
            )
        if done is not None and await done():
            return
        ring = next_ring(application, services)
        to_ring = ring.seconds if ring is not None else float("inf")
        if to_ring <= IDLE_AFTER:
            continue  # rings in a moment: wait for it in real time
        if await busy(services) or next_ring(application, services) != ring:
            continue  # an alarm rang meanwhile: its job may not hold its lock yet
        if until is not None:
            left = (until - clock()).total_seconds()
            if left <= 0:
                return  # the end, and the bot is idle
            if to_ring >= left:
                skip_idle_time(application, services, clock, left)  # nothing rings before
                continue
        if ring is None:
            raise AssertionError(
                "the bot has no alarm set, and what the test waits for is not done"
            )
        skip_idle_time(application, services, clock, to_ring)


def skip_idle_time(
    application: SchakelApp, services: Services, clock: FlowingClock, seconds: float
) -> None:
    """Move the clock and every alarm on by `seconds`, as if they had passed."""
    clock.skip(seconds)
    assert application.job_queue is not None
    now = dt.datetime.now(dt.UTC)
    for alarm in _alarms(services):
        for job in application.job_queue.get_jobs_by_name(alarm.name):
            if job.next_t is not None:
                alarm.set(max(0.0, (job.next_t - now).total_seconds() - seconds))
