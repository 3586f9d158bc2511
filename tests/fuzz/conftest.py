"""The arena: the real Application on the made world (tests/fuzz/world.py).

The world is made once per test session, through the stand-in, and kept as a database
file; each test function gets its own Application on a copy of it, and each example
starts from that copy again (Arena.reset).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import AIORateLimiter

from bot.app.application import HANDOVER_JOB, build_application, running
from bot.app.standin import FakeTelegram
from bot.core.config import Config
from bot.sending.dispatcher import ChatPacer
from bot.sending.services import Services
from bot.storage.database import connect
from handlers.core.context import SchakelApp, services_of
from tests.conftest import FakeClock
from tests.fuzz import world
from tests.fuzz.arena import FIRST_EXAMPLE_ID, Arena

# The world, once made: its database file, what it holds, what the chats show.
_MADE: list[tuple[Path, world.Cast, dict[int, dict[int, dict[str, Any]]]]] = []


def _quiet(services: Services, application: SchakelApp) -> None:
    """Nothing runs behind an example's back: the examples say when anything happens."""
    services.dispatcher.alarm.detach()
    services.reminder_alarm.detach()
    services.announcement_alarm.detach()
    assert application.job_queue is not None
    for job in application.job_queue.get_jobs_by_name(HANDOVER_JOB):
        job.schedule_removal()
    # Telegram's pace is not what these tests are about (tests/test_dispatcher.py and the
    # benchmark are); its limits would only make the examples wait in real time.
    application.bot._rate_limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    services.dispatcher.pacer = ChatPacer(burst=1000, interval=0.001)


async def _keep_copy(services: Services, database: Path, copy: Path) -> None:
    """A copy of the live database file, with everything written in it."""
    await services.store.db.close()
    shutil.copyfile(database, copy)
    services.store.db = await connect(database)


@pytest.fixture
async def arena(
    config: Config,
    telegram: FakeTelegram,
    clock: FakeClock,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Arena]:
    database = config.storage.database
    if _MADE:
        shutil.copyfile(_MADE[0][0], database)
    application = build_application(config, request=telegram, clock=clock)
    telegram.attach(application)
    async with running(application):
        services = services_of(application)
        _quiet(services, application)
        await asyncio.sleep(0.05)  # what the start-up set going before that, finishes
        if not _MADE:
            cast = await world.make(telegram, services, clock)
            made = tmp_path_factory.mktemp("world") / "world.db"
            await _keep_copy(services, database, made)
            _MADE.append((made, cast, copy.deepcopy(dict(telegram._messages))))
        made, cast, messages = _MADE[0]
        # Telegram's update and message ids only grow; the made world's replies are keyed
        # by the ones used while it was made (from 1), so the examples go on far after them.
        telegram._update_ids = itertools.count(FIRST_EXAMPLE_ID)
        telegram._message_ids = itertools.count(FIRST_EXAMPLE_ID)
        snapshot = database.with_name("snapshot.db")
        shutil.copyfile(made, snapshot)
        arena = Arena(application, telegram, services, clock, cast, database, snapshot, messages)
        try:
            yield arena
        finally:
            arena.close()
