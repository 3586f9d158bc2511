""" "Forget me" holds: a newcomer forgotten after a backup stays forgotten when that backup is
restored (the forget-me journal beside the database, replayed by `schakel restore`), and
a newcomer is told "erased" only once the erase has succeeded."""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest

from bot.app.application import build_application, running
from bot.app.standin import FakeTelegram
from bot.cli.admin import backup_database, restore_database
from bot.core.config import Config, StorageConfig
from bot.privacy import data_rights
from bot.sending.dispatcher import ChatPacer
from bot.sending.services import Services
from bot.storage import forget_journal
from handlers.core.context import services_of
from messages import render, render_bilingual, texts
from tests.conftest import FakeClock
from tests.e2e.people import amal_with_an_appointment, caseworker_with_phone, linked_newcomer

# What "forget me" erases from the newcomer's row (the rest is the anonymous count).
ERASED = ("first_name", "telegram_user_id", "chat_id", "dutch_level", "status", "forgotten_at")


def a_city_of_its_own(config: Config, tmp_path: Path) -> Config:
    """A database of its own: the fixture's bot runs on the other one, and a restore
    refuses a database in use."""
    database = tmp_path / "city" / "schakel.db"
    database.parent.mkdir()
    return config.model_copy(update={"storage": StorageConfig(database=database)})


@contextlib.asynccontextmanager
async def bot_on(
    config: Config, telegram: FakeTelegram, clock: FakeClock
) -> AsyncIterator[Services]:
    application = build_application(config, request=telegram, clock=clock)
    telegram.attach(application)
    async with running(application):
        services = services_of(application)
        services.dispatcher.pacer = ChatPacer(burst=1000, interval=0.001)  # people type fast
        yield services


def everything_in(database: Path) -> str:
    """The whole database as SQL text, as a copy of the file would give it."""
    with closing(sqlite3.connect(database)) as db:
        return "\n".join(db.iterdump())


async def test_a_newcomer_forgotten_after_a_backup_stays_forgotten_when_it_is_restored(
    config: Config,
    telegram: FakeTelegram,
    clock: FakeClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = a_city_of_its_own(config, tmp_path)
    database = config.storage.database
    backup = tmp_path / "backups" / "schakel-2027-03-20.db"
    async with bot_on(config, telegram, clock) as services:
        laila, amal, reference = await amal_with_an_appointment(telegram, services, clock, "ar")
        samira, _ = await linked_newcomer(telegram, laila, 4, "Samira", "ti")
        assert await backup_database(config, backup, clock=clock) == 0

        clock.advance(days=2)
        await telegram.send(amal, "/vergeet")
        await telegram.press(amal, render("ar", texts.BUTTON_FORGET_YES))
        assert telegram.texts_to(amal.id)[-1].startswith(render("ar", texts.FORGOTTEN))
        row = await services.store.fetch_one(
            "SELECT * FROM newcomers WHERE reference = ?", (reference,)
        )
        assert row is not None
        forgotten = {name: row[name] for name in (*ERASED, "language", "created_at")}
        assert forgotten["first_name"] == "" and forgotten["chat_id"] is None
    # The bot is stopped, as a restore needs; the backup still knows Amal.
    assert "'Amal'" in everything_in(backup)
    capsys.readouterr()

    assert await restore_database(config, backup, force=True, clock=clock) == 0
    said = capsys.readouterr().out
    assert (
        f"forget-me journal {forget_journal.beside(database)}: 1 newcomer forgotten again"
        " (0 already forgotten in the backup, 0 not in it)"
    ) in said.splitlines()

    # The journal names nobody: no name, no reference, not even the moment they were made.
    journal = forget_journal.beside(database).read_text()
    for clear in ("Amal", reference, reference.removeprefix("K-"), forgotten["created_at"]):
        assert clear not in journal
    assert len(journal.splitlines()) == 2  # its key, and the one erasure

    # The restored database: Amal is forgotten as she was before the restore, and her
    # name is nowhere; Samira, who asked nothing, is all there.
    stored = everything_in(database)
    assert "Amal" not in stored
    assert "'Samira'" in stored
    async with bot_on(config, telegram, clock) as services:
        row = await services.store.fetch_one(
            "SELECT * FROM newcomers WHERE reference = ?", (reference,)
        )
        assert row is not None
        again = {name: row[name] for name in (*ERASED, "language", "created_at")}
        assert {**again, "forgotten_at": None} == {**forgotten, "forgotten_at": None}
        assert again["forgotten_at"] is not None
        # Forgotten means unknown: Amal's next message gets the stranger's notice.
        await telegram.send(amal, "/contact")
        # The bot's start-up sweep may have taken the reply along: wait for it to be sent.
        await services.dispatcher.run_due()
        assert render("en", texts.UNKNOWN_PERSON) in telegram.texts_to(amal.id)[-1]
        await telegram.send(samira, "/contact")
        assert "Laila Peeters" in telegram.texts_to(samira.id)[-1]
        audited = await services.store.fetch_all(
            "SELECT actor, subject, detail FROM audit_log WHERE action = 'newcomer.forget'"
            " ORDER BY id"
        )
        # The backup did not know the first erasure; the restore's is written down.
        assert [(row[0], row[1]) for row in audited] == [("cli", f"newcomer:{reference}")]
        assert str(audited[0][2]).startswith("again after a restore (asked ")

    # A second restore of the same backup does the same; a restore of a backup made after
    # the erasure finds her forgotten already.
    assert await restore_database(config, backup, force=True, clock=clock) == 0
    assert "1 newcomer forgotten again" in capsys.readouterr().out
    later = tmp_path / "backups" / "schakel-2027-03-23.db"
    async with bot_on(config, telegram, clock):
        assert await backup_database(config, later, clock=clock) == 0
    assert await restore_database(config, later, force=True, clock=clock) == 0
    assert "0 newcomers forgotten again (1 already forgotten" in capsys.readouterr().out


async def test_a_restore_without_a_journal_says_so_and_a_broken_journal_stops_it(
    config: Config,
    telegram: FakeTelegram,
    clock: FakeClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = a_city_of_its_own(config, tmp_path)
    backup = tmp_path / "backup.db"
    async with bot_on(config, telegram, clock):
        assert await backup_database(config, backup, clock=clock) == 0
    capsys.readouterr()
    assert await restore_database(config, backup, force=True, clock=clock) == 0
    assert "no forget-me journal at " in capsys.readouterr().out

    journal = forget_journal.beside(config.storage.database)
    journal.write_text("not a journal\n")
    before = config.storage.database.read_bytes()
    assert await restore_database(config, backup, force=True, clock=clock) == 1
    assert capsys.readouterr().err == (f"schakel: {journal} is not a Schakel forget-me journal\n")
    assert config.storage.database.read_bytes() == before  # nothing touched


async def broken_erase(*_: object) -> None:
    raise sqlite3.OperationalError("disk I/O error")


def broken_journal(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(
    ("module", "name", "broken"),
    [(data_rights, "erase", broken_erase), (forget_journal, "append", broken_journal)],
)  # fmt: skip
async def test_a_newcomer_is_told_erased_only_once_the_erase_succeeded(
    telegram: FakeTelegram,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    name: str,
    broken: object,
) -> None:
    laila = await caseworker_with_phone(services, telegram)
    amal, reference = await linked_newcomer(telegram, laila, 3, "Amal", "ar")
    told_laila = len(telegram.texts_to(laila.id))
    monkeypatch.setattr(module, name, broken)
    await telegram.send(amal, "/vergeet")
    await telegram.press(amal, render("ar", texts.BUTTON_FORGET_YES))

    # The error reply, not "erased"; the contact person is not told either.
    told = telegram.texts_to(amal.id)
    assert told[-1] == render_bilingual("ar", texts.SOMETHING_WENT_WRONG)
    assert not [text for text in told if text.startswith(render("ar", texts.FORGOTTEN))]
    assert len(telegram.texts_to(laila.id)) == told_laila
    # Nothing was erased (a journal that cannot be written rolls the erase back).
    row = await services.store.fetch_one(
        "SELECT first_name, forgotten_at FROM newcomers WHERE reference = ?", (reference,)
    )
    assert row is not None and tuple(row) == ("Amal", None)
    assert not await services.store.fetch_int(
        "SELECT count(*) FROM audit_log WHERE action = 'newcomer.forget'"
    )

    # Once it works again, asking again erases, and then says so.
    monkeypatch.undo()
    await telegram.send(amal, "/vergeet")
    await telegram.press(amal, render("ar", texts.BUTTON_FORGET_YES))
    assert telegram.texts_to(amal.id)[-1].startswith(render("ar", texts.FORGOTTEN))
    assert "vroeg om alles te wissen" in telegram.texts_to(laila.id)[-1]
    assert await services.store.fetch_value(
        "SELECT first_name FROM newcomers WHERE reference = ?", (reference,)
    ) == ""  # fmt: skip
