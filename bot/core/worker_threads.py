"""Seconds of Python (the figures, an export, a chart) on a worker thread, without making
the chats wait.

A worker thread keeps the event loop's thread out, but not out of Python's lock: the
loop's thread takes the lock again after each trip to SQLite's thread and each network
answer, and beside a busy thread each of those waits up to the interpreter's switch
interval, 5 ms by default. A `/help` of a dozen such trips took 50-240 ms beside two busy
threads, 9-34 ms with a 1 ms interval (docs/performance.md, section 6). So the interval
is 1 ms while such work runs, and back to what it was when none does: a burst of
reminders, the loop's thread and SQLite's thread handing the lock to each other, is
slower with the short interval (p99 1.6 s against 1.1 s for 700 at once).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

WHILE_HEAVY = 0.001  # seconds: the switch interval while heavy work runs

_running = 0  # heavy work on worker threads now (only the event loop's thread counts)
_usual = sys.getswitchinterval()


async def heavy(work: Callable[[], T]) -> T:
    """`work()` on a worker thread, the chats served meanwhile."""
    global _running, _usual
    if _running == 0:
        _usual = sys.getswitchinterval()
        sys.setswitchinterval(WHILE_HEAVY)
    _running += 1
    try:
        return await asyncio.to_thread(work)
    finally:
        _running -= 1
        if _running == 0:
            sys.setswitchinterval(_usual)
