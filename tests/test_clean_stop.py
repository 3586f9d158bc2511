"""A start after the bot's own clean stop skips SQLite's quick_check (it read all 700 MB
of a city's database, 6-8 s of every start); every other start still looks for damage,
and a damaged file put in the database's place is still refused (bot/storage/clean_stop.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.application import build_application, running
from bot.app.standin import FakeTelegram
from bot.core.config import Config
from bot.storage import clean_stop
from bot.storage.database import Store
from bot.storage.schema import BadDatabase, check_before_opening
from handlers.core.context import services_of


async def start_and_stop(config: Config) -> bool:
    """The real Application started and stopped as `schakel run` does on SIGTERM;
    returns whether its start read the database through for damage."""
    telegram = FakeTelegram()
    application = build_application(config, request=telegram)
    telegram.attach(application)
    async with running(application):
        migrated = services_of(application).store.migrated
        assert migrated is not None
        # Open for writing: a crash from here on must leave no mark behind.
        assert not clean_stop.mark_path(config.storage.database).exists()
        return migrated.looked_for_damage


async def test_the_start_after_a_clean_stop_does_not_read_the_file_through(
    config: Config,
) -> None:
    database = config.storage.database
    assert await start_and_stop(config) is True  # a new database: looked at
    assert clean_stop.mark_path(database).exists()
    assert check_before_opening(database) is False
    assert await start_and_stop(config) is False
    assert await start_and_stop(config) is False  # and again after each clean stop


async def test_a_file_put_in_its_place_after_the_stop_is_read_through_and_refused_if_damaged(
    config: Config, tmp_path: Path
) -> None:
    database = config.storage.database
    await start_and_stop(config)
    whole = database.read_bytes()
    database.write_bytes(whole[: len(whole) // 2])  # a copy that stopped half-way
    with pytest.raises(BadDatabase, match="is damaged or incomplete"):
        await start_and_stop(config)
    database.write_bytes(whole)  # the same bytes again, but written since the stop
    assert await start_and_stop(config) is True


async def test_a_copy_of_the_same_file_is_read_through(config: Config, tmp_path: Path) -> None:
    """A restore that copies a backup over it, even keeping the times: another file."""
    database = config.storage.database
    await start_and_stop(config)
    copy = tmp_path / "copy.db"
    shutil.copy2(database, copy)
    os.replace(copy, database)
    assert await start_and_stop(config) is True


async def test_a_write_by_another_process_since_the_stop_makes_the_next_start_look(
    config: Config,
) -> None:
    database = config.storage.database
    await start_and_stop(config)
    # `schakel import-planning --apply` while the bot is stopped: a writer of its own.
    store = await Store.open(database)
    await store.db.execute("INSERT INTO organisations (short_name, name) VALUES ('X', 'X')")
    await store.close()
    assert await start_and_stop(config) is True


async def test_a_process_killed_while_it_had_the_database_open_leaves_no_mark(
    config: Config,
) -> None:
    database = config.storage.database
    await start_and_stop(config)
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import asyncio, os, sys\n"
            "from bot.storage.database import Store\n"
            "async def crash():\n"
            "    store = await Store.open(sys.argv[1])\n"
            '    await store.db.execute("INSERT INTO organisations (short_name, name)'
            " VALUES ('Y', 'Y')\")\n"
            "    os._exit(9)  # no close, as with SIGKILL or a power cut\n"
            "asyncio.run(crash())\n",
            str(database),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert killed.returncode == 9, killed.stderr
    assert not clean_stop.mark_path(database).exists()
    assert await start_and_stop(config) is True


async def test_no_mark_while_another_connection_keeps_its_log_beside_the_file(
    config: Config,
) -> None:
    database = config.storage.database
    await start_and_stop(config)
    clean_stop.forget(database)
    other = sqlite3.connect(database)  # another process reading it: its log stays
    try:
        other.execute("SELECT count(*) FROM newcomers").fetchone()
        assert await start_and_stop(config) is True
        assert not clean_stop.mark_path(database).exists()
    finally:
        other.close()
    assert await start_and_stop(config) is True  # the stop above could not mark it
    assert await start_and_stop(config) is False


@pytest.mark.parametrize("mark", ["", "{", "{}", "[1, 2]", '{"size": 1}'])
async def test_a_mark_that_does_not_say_this_file_is_not_trusted(config: Config, mark: str) -> None:
    database = config.storage.database
    await start_and_stop(config)
    clean_stop.mark_path(database).write_text(mark, encoding="utf-8")
    assert await start_and_stop(config) is True


def test_the_mark_is_for_its_owner_only(tmp_path: Path) -> None:
    database = tmp_path / "schakel.db"
    sqlite3.connect(database).close()
    assert clean_stop.leave(database) is True
    assert clean_stop.mark_path(database).stat().st_mode & 0o777 == 0o600
    assert clean_stop.left_clean(database) is True
