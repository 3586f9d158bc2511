"""One named JobQueue job set to the next moment something is due.

No job per message or per reminder lives in memory: the database is the truth, and
a restart only has to set the alarm again. Rows another process writes (`schakel
import-planning --apply`) are noticed within a second by `OtherWriters`, which watches
SQLite's data_version; a slow sweep still catches anything nobody set the alarm for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import CallbackContext, JobQueue

from bot.storage.database import Store

SWEEP_SECONDS = 60.0
WATCH_SECONDS = 0.5  # how often to look whether another process wrote


class Alarm:
    def __init__(self, name: str) -> None:
        self.name = name
        self._job_queue: JobQueue[Any] | None = None
        self._callback: Callable[[], Awaitable[object]] | None = None

    def attach(
        self,
        job_queue: JobQueue[Any],
        callback: Callable[[], Awaitable[object]],
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self._job_queue, self._callback = job_queue, callback
        job_queue.run_repeating(
            self._ring, interval=sweep_seconds, first=sweep_seconds, name=f"{self.name}-sweep"
        )

    def detach(self) -> None:
        """Stop ringing (a test that drives every step itself)."""
        if self._job_queue is not None:
            for job in self._job_queue.jobs():
                if job.name in (self.name, f"{self.name}-sweep"):
                    job.schedule_removal()
        self._job_queue = None

    def set(self, delay: float = 0.0) -> None:
        """Ring `delay` seconds from now, unless it already rings earlier."""
        if self._job_queue is None:
            return
        target = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay)
        for job in self._job_queue.get_jobs_by_name(self.name):
            if job.next_t is not None and job.next_t <= target:
                return
            job.schedule_removal()
        self._job_queue.run_once(self._ring, when=delay, name=self.name)

    async def _ring(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        # Rung while the bot stops (SIGTERM): the work waits in the database for the next
        # start; begun now, the JobQueue's own stop would cancel it half-way.
        if self._callback is not None and context.application.running:
            await self._callback()


class OtherWriters:
    """Rings the alarms when another process committed to the database: SQLite's
    `PRAGMA data_version` on the bot's own connection changes exactly then (the bot's
    own writes leave it alone). One cheap look every WATCH_SECONDS, so an imported
    appointment's message leaves within a second instead of at the minute's sweep."""

    NAME = "other-writers"

    def __init__(self, store: Store, on_change: Callable[[], object]) -> None:
        self.store, self.on_change = store, on_change
        self._seen: int | None = None

    def attach(self, job_queue: JobQueue[Any], every: float = WATCH_SECONDS) -> None:
        job_queue.run_repeating(self._look, interval=every, first=every, name=self.NAME)

    async def look(self) -> bool:
        """True (and the alarms rung) when another process wrote since the last look."""
        version = await self.store.data_version()
        changed = self._seen is not None and version != self._seen
        self._seen = version
        if changed:
            self.on_change()
        return changed

    async def _look(self, context: object) -> None:
        await self.look()
