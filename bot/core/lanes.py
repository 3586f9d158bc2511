"""Who goes first when messages wait for the same thing: a person who is writing now, then
the bot's own timed messages, then an announcement's thousands.

First come, first served would make a reply wait behind every announcement row that
asked before it (seconds at Telegram's 30 a second: issue 20). So waiting is in lanes:
a place that comes free goes to the first waiter of the lowest lane. A lane may also be
kept from the last few places, so a reply finds one free at once however many bulk
messages are on their way.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import enum
from collections.abc import AsyncIterator, Mapping


class Lane(enum.IntEnum):
    """Lower goes first. REPLY is 0 on purpose: PTB leaves a falsy `rate_limit_args` out,
    and a request with none (a handler's own call, a person waiting) is a reply too."""

    REPLY = 0  # an answer to a person who is writing now
    ROUTINE = 1  # reminders, notices, an announcement's progress: the bot's own timing
    BULK = 2  # an announcement's rows to every recipient


# Lowest first (a look through the Enum itself each time cost more than the rest).
_IN_ORDER = tuple(sorted(Lane))


class Lanes:
    """`places` at once; waiters served lowest lane first, in order of arrival within one."""

    def __init__(self, places: int, *, at_most: Mapping[Lane, int] | None = None) -> None:
        self.places = places
        self.at_most = dict(at_most or {})
        self._taken: dict[Lane, int] = dict.fromkeys(Lane, 0)
        # One queue per lane, in order of arrival: a lane at its limit is passed by as a
        # whole (one look), not waiter by waiter (700 reminders waiting made each place
        # given back cost 700 looks).
        self._waiting: dict[Lane, collections.deque[asyncio.Future[None]]] = {
            lane: collections.deque() for lane in Lane
        }

    @property
    def taken(self) -> int:
        return sum(self._taken.values())

    def locked(self) -> bool:
        """Every place taken (as asyncio.Lock.locked for one place)."""
        return self.taken >= self.places

    def _free_for(self, lane: Lane) -> bool:
        return self.taken < self.places and self._taken[lane] < self.at_most.get(lane, self.places)

    @contextlib.asynccontextmanager
    async def place(self, lane: Lane) -> AsyncIterator[None]:
        """Hold a place while inside; wait for one first if none is free for this lane."""
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[lane].append(turn)
        self._hand_on()
        try:
            await turn  # at once when a place was free for it
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # given a place, then cancelled
                self._give_back(lane)
            raise  # else: still in the queue, done (cancelled): passed over there
        try:
            yield
        finally:
            self._give_back(lane)

    def _give_back(self, lane: Lane) -> None:
        self._taken[lane] -= 1
        self._hand_on()

    def _hand_on(self) -> None:
        """Give free places to waiters, lowest lane first; a lane at its limit is passed by."""
        for lane in _IN_ORDER:
            queue = self._waiting[lane]
            while queue and self._free_for(lane):
                turn = queue.popleft()
                if turn.done():  # cancelled while waiting
                    continue
                self._taken[lane] += 1
                turn.set_result(None)
            if self.taken >= self.places:
                return
