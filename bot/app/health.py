"""Is Schakel well? The facts in the database (outbox, reminders, newcomers) and the
process's own (bot/sending/watch.py), and the one rule that says what is wrong.

Read by /healthz and /metrics (bot/app/http.py), the hourly log line, and `schakel
status` (which has only the database: it runs in another process).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import aiosqlite

from bot.core.clock import from_db, to_db
from bot.sending.watch import Watch

# The last poll of Telegram must have worked within this (long polling asks every ~10 s).
POLL_AT_MOST = dt.timedelta(minutes=1)
# A message due this long ago and still waiting: the dispatcher is stuck (a retry or a
# 429 moves the due time on, so trouble with Telegram does not look like this).
STUCK_AFTER = dt.timedelta(minutes=5)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Facts:
    """What the database says, at one moment."""

    pending: int  # in the outbox, waiting or on its way
    # Seconds since the oldest waiting message was due, or the oldest on its way was taken
    # up (0: none).
    oldest_due_age: float
    sent_last_hour: int
    failed_last_hour: int
    failed_last_day: int
    late_reminders_last_hour: int
    late_reminders_last_day: int
    unreachable_newcomers: int


async def read_facts(db: aiosqlite.Connection, now: dt.datetime) -> Facts:
    hour_ago, day_ago = to_db(now - dt.timedelta(hours=1)), to_db(now - DAY)

    async def number(sql: str, *params: str) -> int:
        async with db.execute(sql, params) as cursor:
            row = await cursor.fetchone()
        return int(row[0] or 0) if row is not None else 0

    pending = await number("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
    # Waiting past its due time, or on its way (claimed, handed to Telegram) since then: a
    # send takes seconds, a batch under Telegram's limits some more.
    async with db.execute(
        "SELECT min(moment) FROM ("
        " SELECT min(due_at) AS moment FROM outbox WHERE status = 'pending' AND due_at <= ?"
        " UNION ALL SELECT min(updated_at) FROM outbox WHERE status = 'sending')",
        (to_db(now),),
    ) as cursor:
        oldest = await cursor.fetchone()
    oldest_due_age = (
        max(0.0, (now - from_db(oldest[0])).total_seconds()) if oldest and oldest[0] else 0.0
    )
    failed = "SELECT count(*) FROM outbox WHERE status = 'failed' AND updated_at >= ?"
    late = "SELECT count(*) FROM reminders WHERE late = 1 AND status = 'queued' AND updated_at >= ?"
    return Facts(
        pending=pending,
        oldest_due_age=oldest_due_age,
        sent_last_hour=await number(
            "SELECT count(*) FROM outbox WHERE status = 'sent' AND sent_at >= ?", hour_ago
        ),
        failed_last_hour=await number(failed, hour_ago),
        failed_last_day=await number(failed, day_ago),
        late_reminders_last_hour=await number(late, hour_ago),
        late_reminders_last_day=await number(late, day_ago),
        unreachable_newcomers=await number(
            "SELECT count(*) FROM newcomers WHERE status = 'unreachable'"
        ),
    )


def stuck(facts: Facts) -> str | None:
    """The dispatcher's problem, in words, or None."""
    if facts.oldest_due_age > STUCK_AFTER.total_seconds():
        minutes = facts.oldest_due_age / 60
        return f"the dispatcher is stuck: a message due {minutes:.0f} min ago has not gone yet"
    return None


def poll_problem(watch: Watch, now: dt.datetime) -> str | None:
    """No successful poll of Telegram within POLL_AT_MOST (counted from the start until
    the first one), or None."""
    last = watch.last_poll_ok or watch.started
    if now - last > POLL_AT_MOST:
        seconds = (now - last).total_seconds()
        what = "no successful poll of Telegram" if watch.last_poll_ok else "no poll yet"
        return f"{what} for {seconds:.0f} s"
    return None


def summary(facts: Facts) -> str:
    """The hourly log line."""
    return (
        f"last hour: {facts.sent_last_hour} sent, {facts.failed_last_hour} failed, "
        f"{facts.late_reminders_last_hour} reminders late; {facts.pending} waiting now"
        f" (oldest due {facts.oldest_due_age:.0f} s ago), "
        f"{facts.unreachable_newcomers} newcomers unreachable"
    )
