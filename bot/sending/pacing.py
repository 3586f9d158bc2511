"""Schakel's own pacing of Telegram's flood limits: 30 messages in any second overall,
20 in any minute per group, counted as Telegram counts them.

Telegram counts a message when it arrives. The bot cannot see that moment, only when it
asked (the request starts) and when the answer came; the message arrived somewhere
between. So a message holds a place from the moment its request starts until one
window after its answer came: every message that can share a window with the next one
as Telegram sees them still holds its place, in flight or answered, and no window ever
holds more than the limit, whatever the latency (docs/standin.md has the proof).

Held that long, a place would cost a whole round trip per window (30 in 1.05 s at
50 ms). But a message cannot arrive sooner than its request start plus the way there,
nor later than its answer minus the way back: the next message and an earlier one are
at least those two ways apart, which together make a round trip. So a place is given
back that much sooner (`ROUND_TRIP_SHARE` of the shortest recent round trip, to allow
for a round trip shorter than any seen). A margin (`MARGIN`) is kept for the difference
between Telegram's clock and ours, and the start is a small burst (`BURST`), then an
even 30 a second, so the messages do not bunch at the start of each window.

A 429 (RetryAfter) pauses every request here for as long as Telegram asks, and is
raised to the caller (the dispatcher puts the row back in the outbox).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.core.lanes import Lane, Lanes

logger = logging.getLogger(__name__)

# Telegram's flood limits (Bot API FAQ): overall, and per group.
OVERALL_LIMIT, OVERALL_WINDOW = 30, 1.0
GROUP_LIMIT, GROUP_WINDOW = 20, 60.0
# What Telegram counts as a message: sends and edits alike.
COUNTED_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendAudio", "sendVideo", "sendVoice",
        "sendAnimation", "sendSticker", "sendLocation", "sendVenue", "sendContact",
        "sendPoll", "sendDice", "sendMediaGroup", "sendVideoNote", "copyMessage",
        "forwardMessage", "editMessageText", "editMessageCaption", "editMessageMedia",
        "editMessageReplyMarkup",
    }
)  # fmt: skip
# The start: this many at once, then an even pace.
BURST = 5
# Seconds of room per window, for the difference between Telegram's clock and ours.
MARGIN = 0.005
# The part of the shortest recent round trip that the next message and an answered one
# are surely apart (the way there of the one, the way back of the other).
ROUND_TRIP_SHARE = 0.9
# Round trips remembered for the shortest one.
ROUND_TRIPS = 64

Monotonic = Callable[[], float]


class Places:
    """At most `limit` messages in any `window` seconds as Telegram sees them.

    A message takes a place when its request starts (`take`) and gives it back
    `window` after its answer came (`answered`); in between it counts, in flight or not.
    """

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self.in_flight = 0
        self.answers: collections.deque[float] = collections.deque()  # when each came

    def wait(self, now: float, apart: float) -> float | None:
        """Seconds until a request started now may go; None: until an answer comes.
        `apart`: how much later than an answer a request started now arrives, at least."""
        # Gone for good: no message started from now on can share a window with these.
        while self.answers and self.answers[0] + self.window + MARGIN <= now:
            self.answers.popleft()
        counted = [at for at in self.answers if at + self.window + MARGIN > now + apart]
        if self.in_flight + len(counted) < self.limit:
            return 0.0
        if not counted:
            return None
        return counted[0] + self.window + MARGIN - apart - now

    def take(self) -> None:
        self.in_flight += 1

    def answered(self, at: float) -> None:
        self.in_flight -= 1
        # Answers come in almost in order; keep them sorted for `wait`.
        if self.answers and at < self.answers[-1]:
            self.answers.append(at)
            self.answers = collections.deque(sorted(self.answers))
        else:
            self.answers.append(at)


class Pacing(BaseRateLimiter[int]):
    """PTB's rate limiter interface, with Telegram's limits counted at arrival."""

    def __init__(
        self,
        per_second: int = OVERALL_LIMIT,
        per_group: int = GROUP_LIMIT,
        *,
        burst: int = BURST,
        clock: Monotonic | None = None,
    ) -> None:
        self.per_second, self.burst = per_second, burst
        self.per_group = per_group
        self._clock = clock
        self._overall = Places(per_second, OVERALL_WINDOW)
        self._groups: dict[int | str, Places] = {}
        self._group_turns: dict[int | str, asyncio.Lock] = {}
        # One at a time takes a place: first come, first served within a lane, and a
        # person waiting for a reply before the bot's own messages (bot/core/lanes.py).
        self._turn = Lanes(1)
        self._asking: list[Lane] = []  # the lane of each request waiting for the turn
        self._answer = asyncio.Event()
        self._tokens, self._tokens_at = float(burst), 0.0
        self._paused_until = 0.0
        self._round_trips: collections.deque[float] = collections.deque(maxlen=ROUND_TRIPS)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    @property
    def apart(self) -> float:
        """The way there of a request plus the way back of an answer, at least."""
        return ROUND_TRIP_SHARE * min(self._round_trips) if self._round_trips else 0.0

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint not in COUNTED_METHODS:
            return await callback(*args, **kwargs)
        group = _group(data.get("chat_id"))
        places = [self._overall]
        if group is not None:
            places.insert(0, self._groups.setdefault(group, Places(self.per_group, GROUP_WINDOW)))
            # A group's turn first: a message waiting for its group holds up no one else.
            async with self._group_turns.setdefault(group, asyncio.Lock()):
                await self._wait_for(places[0])
                places[0].take()
        lane = _lane(rate_limit_args)
        try:
            # The turn's holder may wait for its place and token (a 30th of a second at
            # Telegram's pace); a reply that comes meanwhile takes the turn from it, and
            # the holder asks again (whoever holds the turn checks the limits: no 429).
            self._asking.append(lane)
            self._answer.set()  # the holder looks whether it must give way
            try:
                while True:
                    async with self._turn.place(lane):
                        if await self._wait_for(self._overall, paced=True, lane=lane):
                            self._overall.take()
                            break
            finally:
                self._asking.remove(lane)
        except BaseException:
            if group is not None:
                places[0].answered(self.now())
            raise
        started = self.now()
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            seconds = exc._retry_after.total_seconds()
            self._paused_until = max(self._paused_until, self.now() + seconds)
            logger.warning("Telegram asked to wait %.0f s: every message waits", seconds)
            raise
        finally:
            answered = self.now()
            self._round_trips.append(answered - started)
            for place in places:
                place.answered(answered)
            self._answer.set()

    async def _wait_for(
        self, places: Places, *, paced: bool = False, lane: Lane | None = None
    ) -> bool:
        """Wait until a place (and, paced, a token) is there: True. False (nothing taken)
        when a request of a lower lane than `lane` asks meanwhile: it goes first."""
        while True:
            now = self.now()
            wait = places.wait(now, self.apart)
            if wait == 0.0:
                wait = max(self._paused_until - now, self._token_wait(now) if paced else 0.0)
                if wait <= 0:
                    if paced:
                        self._tokens -= 1
                    return True
            if lane is not None and any(other < lane for other in self._asking):
                return False
            self._answer.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._answer.wait(), wait)

    def _token_wait(self, now: float) -> float:
        """An even pace after a small burst: 0 when a token is there."""
        self._tokens = min(
            float(self.burst), self._tokens + (now - self._tokens_at) * self.per_second
        )
        self._tokens_at = now
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.per_second


def _lane(rate_limit_args: int | None) -> Lane:
    """The dispatcher's lane for the row; none (a handler's own call): a reply."""
    return Lane(rate_limit_args) if rate_limit_args in set(Lane) else Lane.REPLY


def _group(chat_id: object) -> int | str | None:
    """A group or channel (negative id, or @name), else None (a private chat)."""
    if isinstance(chat_id, str) and chat_id.startswith("@"):
        return chat_id
    try:
        number = int(str(chat_id))
    except ValueError:
        return None
    return number if number < 0 else None
