"""Rows another process writes (`schakel import-planning --apply` beside the running bot)
are noticed within a second through SQLite's data_version, not at the minute's sweep."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.app.standin import FakeTelegram
from bot.cli.planning import import_planning
from bot.core.config import Config
from bot.sending.alarm import OtherWriters
from bot.sending.services import Services
from bot.storage.database import Store
from handlers.core.context import SchakelApp
from tests.conftest import FakeClock
from tests.e2e.people import BRUSSELS, caseworker_with_phone, linked_newcomer


async def test_only_another_connections_commit_counts_as_another_writer(
    services: Services, config: Config
) -> None:
    rung: list[bool] = []
    watcher = OtherWriters(services.store, lambda: rung.append(True))
    assert not await watcher.look()  # the first look only learns where it stands
    async with services.store.transaction() as db:  # the bot's own write
        await db.execute("UPDATE organisations SET short_name = short_name")
    assert not await watcher.look()
    async with (
        Store.opened(config.storage.database) as other,  # another process's
        other.transaction() as db,
    ):
        await db.execute("UPDATE organisations SET short_name = short_name")
    assert await watcher.look()
    assert not await watcher.look()  # seen once
    assert rung == [True]


async def first_look(app: SchakelApp) -> None:
    """Until the bot's watcher has had its first look at the database: a write before it
    is the baseline, not news. (Waited for, not slept for: on a busy machine the first
    look may come later than its half second.)"""
    assert app.job_queue is not None
    [job] = app.job_queue.get_jobs_by_name(OtherWriters.NAME)
    watcher = job.callback.__self__  # type: ignore[attr-defined]
    assert isinstance(watcher, OtherWriters)
    for _ in range(1000):
        if watcher._seen is not None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the watcher never looked")


async def test_an_imported_appointments_message_leaves_without_waiting_for_the_sweep(
    app: SchakelApp,
    services: Services,
    telegram: FakeTelegram,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caseworker = await caseworker_with_phone(services, telegram)
    amal, reference = await linked_newcomer(telegram, caseworker, 101, "Amal", "ar")
    await first_look(app)
    told = len(telegram.texts_to(amal.id))
    day = clock.now.astimezone(BRUSSELS).date() + dt.timedelta(days=8)
    while day.weekday() >= 5:  # a working day
        day += dt.timedelta(days=1)
    sheet = tmp_path / "planning.csv"
    sheet.write_text(
        "Datum;Uur;Referentie;Intakers;Organisatie\n"
        f"{day:%d/%m/%Y};10:00;{reference};Laila Peeters;VDAB\n"
    )
    await import_planning(config, sheet, apply=True, clock=clock)
    assert "1 newcomer(s) get a message" in capsys.readouterr().out
    # The sweeps ring first after a minute: only the watcher can bring it this soon.
    for _ in range(100):
        if len(telegram.texts_to(amal.id)) > told:
            break
        await asyncio.sleep(0.05)
    assert len(telegram.texts_to(amal.id)) == told + 1
