"""The SMS lane's two limits: the gateway's pace and the month's budget in segments.

Pace: `[sms] rate_per_second`, counted as the gateway counts it, at the moment a request
arrives (a sliding window, like Telegram's in bot/sending/pacing.py), for every SMS
together: the gateway's limit is per account, not per number.

Budget: `[sms] monthly_segments` a calendar month (local time). What a message will cost
is known before it goes (messages/sms.py counts as the network does); one that would
pass the budget is not sent, and the coordinators are told once that month
(`sms_months.budget_told_at`).
"""

from __future__ import annotations

import collections
import datetime as dt
import math

from bot.core.clock import Clock, to_db
from bot.storage.database import Store
from messages.sms import measure


class SmsPace:
    """At most `limit` requests in any window of `limit / rate` seconds (1 s from 1/s up)."""

    MARGIN = 0.02  # our clock and the gateway's are not the same

    def __init__(self, rate_per_second: float) -> None:
        self.limit = max(1, math.floor(rate_per_second))
        self.window = self.limit / rate_per_second
        self._sent: collections.deque[float] = collections.deque(maxlen=self.limit)

    def wait_for(self, now: float) -> float:
        if len(self._sent) < self.limit:
            return 0.0
        return max(0.0, self._sent[0] + self.window + self.MARGIN - now)

    def record(self, now: float) -> None:
        self._sent.append(now)


def segments_of(text: str) -> int:
    return measure(text).parts


def month_of(moment: dt.datetime, tzinfo: dt.tzinfo) -> str:
    return moment.astimezone(tzinfo).strftime("%Y-%m")


async def segments_used(store: Store, month: str) -> int:
    used = await store.fetch_value("SELECT segments FROM sms_months WHERE month = ?", (month,))
    return int(str(used or 0))


async def add_segments(store: Store, month: str, segments: int) -> None:
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO sms_months (month, segments) VALUES (?, ?)"
            " ON CONFLICT (month) DO UPDATE SET segments = segments + excluded.segments",
            (month, segments),
        )


async def first_time_over(store: Store, clock: Clock, month: str) -> bool:
    """True once a month: the first message past the budget (the coordinators are told)."""
    async with store.transaction() as db:
        await db.execute(
            "INSERT INTO sms_months (month) VALUES (?) ON CONFLICT DO NOTHING", (month,)
        )
        told = await db.execute_fetchall(
            "UPDATE sms_months SET budget_told_at = ? WHERE month = ? AND budget_told_at IS NULL"
            " RETURNING month",
            (to_db(clock()), month),
        )
    return bool(list(told))
