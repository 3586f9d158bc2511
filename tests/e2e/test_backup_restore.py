"""Backup and restore, as an admin would do them (docs/operations.md): a backup made while
the bot runs, restored into a fresh database, and the real Application built on it: the
newcomer's contact card and appointments are there, and a reminder still to come is sent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.app.application import build_application, running
from bot.app.standin import FakeTelegram
from bot.appointments import reminders
from bot.cli.admin import backup_database, restore_database
from bot.core.config import Config, StorageConfig
from bot.sending.dispatcher import ChatPacer
from bot.sending.services import Services
from bot.storage.backups import NotRestorable, restore
from handlers.core.context import SchakelApp, services_of
from messages import render, texts
from tests.conftest import FakeClock
from tests.e2e.people import amal_with_an_appointment, dutch_of, local


def elsewhere(config: Config, database: Path) -> Config:
    return config.model_copy(update={"storage": StorageConfig(database=database)})


async def test_a_backup_made_while_the_bot_runs_restores_into_a_bot_that_carries_on(
    app: SchakelApp,
    telegram: FakeTelegram,
    services: Services,
    clock: FakeClock,
    config: Config,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caseworker, amal, reference = await amal_with_an_appointment(telegram, services, clock, "ar")
    menu = telegram.menus[amal.id]
    await telegram.send(amal, menu[1])  # 👤 the contact card
    card = telegram.texts_to(amal.id)[-1]
    assert "Laila Peeters" in card
    await telegram.send(amal, menu[0])  # 📅 the appointments
    listing = telegram.texts_to(amal.id)[-1]
    assert "Kongostraat 7" in listing

    # The bot runs: its connection is open and the newest rows are still in its log.
    live = config.storage.database
    assert live.with_name(live.name + "-wal").stat().st_size > 0
    copy = tmp_path / "backups" / "schakel-2027-03-20.db"
    assert await backup_database(config, copy, clock=clock) == 0
    assert "integrity ok, migrations 1-" in capsys.readouterr().out
    # The running bot carries on, and wrote down who copied everything.
    await telegram.send(amal, menu[1])
    assert telegram.texts_to(amal.id)[-1] == card
    backups = await services.store.fetch_all(
        "SELECT actor, detail FROM audit_log WHERE action = 'database.backup'"
    )
    assert [tuple(row) for row in backups] == [("cli", str(copy.resolve()))]

    # Restored into a fresh path; the live database is refused, even with --force.
    restored = elsewhere(config, tmp_path / "restored" / "schakel.db")
    assert await restore_database(restored, copy, force=False, clock=clock) == 0
    with pytest.raises(NotRestorable, match="is in use: stop the bot"):
        restore(copy, live, force=True, now=clock())

    # The old server is switched off; the real Application runs on the restored database
    # and Telegram (the same stand-in, its update numbers going on) talks to it.
    assert app.job_queue is not None
    app.job_queue.scheduler.pause()
    application = build_application(restored, request=telegram, clock=clock)
    telegram.attach(application)
    calls = len(telegram.calls)
    async with running(application):
        restored_services = services_of(application)
        restored_services.dispatcher.pacer = ChatPacer(burst=1000, interval=0.001)
        await restored_services.dispatcher.run_due()
        # What was sent before the backup is not sent again.
        assert [call.method for call in telegram.calls[calls:]] == ["getMe"]

        await telegram.send(amal, menu[1])
        assert telegram.texts_to(amal.id)[-1] == card
        await telegram.send(amal, menu[0])
        assert telegram.texts_to(amal.id)[-1] == listing
        await telegram.send(caseworker, f"/client {reference}")
        assert f"Amal ({reference})" in telegram.texts_to(caseworker.id)[-1]

        # The three-days-before reminder was still to come: it comes.
        clock.now = local(2027, 3, 26, 10).astimezone(dt.UTC)
        assert await reminders.run_due(restored_services) == 1
        reminder = telegram.texts_to(amal.id)[-1]
        assert dutch_of(reminder).startswith("Afspraak: maandag 29 maart om 10:00")
        assert render("ar", texts.BUTTON_COMING) in reminder
        restores = await restored_services.store.fetch_all(
            "SELECT actor, detail FROM audit_log WHERE action = 'database.restore'"
        )
        assert [tuple(row) for row in restores] == [("cli", f"from {copy.resolve()}")]
