"""Heavy work on a worker thread shortens the interpreter's switch interval while it runs
(bot/core/worker_threads.py), and only while: a burst of reminders is faster with the
usual one. Its effect on the chats is measured in docs/performance.md, section 6."""

from __future__ import annotations

import asyncio
import sys
import threading

import pytest

from bot.core import worker_threads
from bot.core.worker_threads import WHILE_HEAVY, heavy


async def test_the_interval_is_short_while_heavy_work_runs_and_as_before_after() -> None:
    usual = sys.getswitchinterval()
    assert usual != WHILE_HEAVY
    seen = await heavy(sys.getswitchinterval)
    assert seen == WHILE_HEAVY
    assert sys.getswitchinterval() == usual


async def test_two_at_once_keep_it_short_until_the_last_one_ends() -> None:
    usual = sys.getswitchinterval()
    first_may_end, second_started = threading.Event(), threading.Event()

    def first() -> float:
        first_may_end.wait(timeout=30)
        return sys.getswitchinterval()

    def second() -> float:
        second_started.set()
        return sys.getswitchinterval()

    one = asyncio.ensure_future(heavy(first))
    two = await heavy(second)  # ends while the first still runs
    assert two == WHILE_HEAVY and second_started.is_set()
    assert sys.getswitchinterval() == WHILE_HEAVY  # the first one still runs
    first_may_end.set()
    assert await one == WHILE_HEAVY
    assert sys.getswitchinterval() == usual


async def test_work_that_fails_gives_the_interval_back_and_its_error() -> None:
    usual = sys.getswitchinterval()

    def broken() -> None:
        raise ValueError("no rows")

    with pytest.raises(ValueError, match="no rows"):
        await heavy(broken)
    assert sys.getswitchinterval() == usual
    assert worker_threads._running == 0
