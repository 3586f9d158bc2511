"""Backups and restores: what counts as a sound Schakel database, what a restore refuses,
and that it never loses the database it replaces. The whole round trip through the real
Application is in tests/e2e/test_backup_restore.py."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot.app.application import build_application, running
from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.standin import FakeTelegram
from bot.cli.admin import backup_database, restore_database
from bot.core import audit
from bot.core.config import Config, StorageConfig
from bot.storage.backups import NotRestorable, check_database, in_use, restore
from bot.storage.database import backup, connect, migrate, migration_files, open_database
from bot.storage.schema import BadDatabase
from handlers.core.context import services_of
from tests.conftest import FakeClock

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)


def clock() -> dt.datetime:
    return NOW


async def schakel_database(path: Path, *, newcomers: int = 1) -> None:
    db = await open_database(path)
    try:
        for number in range(newcomers):
            await db.execute(
                "INSERT INTO newcomers (reference, first_name, language, created_at)"
                " VALUES (?, 'Amal', 'ar', '2026-11-22T10:00:00.000000Z')",
                (f"K-{number:04d}",),
            )
        await audit.record(db, clock, "cli", "staff.add")
    finally:
        await db.close()


def sql(path: Path, *statements: str) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        for statement in statements:
            db.execute(statement)


# --- what a sound Schakel database is ------------------------------------------------------


async def test_a_schakel_database_is_described(tmp_path: Path) -> None:
    await schakel_database(tmp_path / "s.db", newcomers=2)
    facts = check_database(tmp_path / "s.db")
    shipped = len(migration_files())
    assert facts.migrations == tuple(range(1, shipped + 1))
    assert facts.describe() == (
        f"integrity ok, migrations 1-{shipped} (this Schakel has {shipped}), 2 newcomers,"
        " 0 appointments, 1 audit entries"
    )


async def test_an_older_schakel_database_is_accepted(tmp_path: Path) -> None:
    db = await connect(tmp_path / "old.db")
    try:
        await migrate(db, up_to=4)
    finally:
        await db.close()
    assert check_database(tmp_path / "old.db").migrations == (1, 2, 3, 4)


async def test_what_is_not_a_sound_schakel_database_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all " * 200)
    other = tmp_path / "other.db"
    sql(other, "CREATE TABLE notes (text TEXT)")
    newer = tmp_path / "newer.db"
    await schakel_database(newer)
    sql(newer, "INSERT INTO schema_migrations VALUES (99, '0099_future.sql', '')")
    renamed = tmp_path / "renamed.db"
    await schakel_database(renamed)
    sql(renamed, "UPDATE schema_migrations SET name = '0002_other.sql' WHERE version = 2")
    gap = tmp_path / "gap.db"
    await schakel_database(gap)
    sql(gap, "DELETE FROM schema_migrations WHERE version = 3")
    dangling = tmp_path / "dangling.db"
    await schakel_database(dangling)
    sql(dangling, "INSERT INTO counsellors (newcomer_id, name, role) VALUES (42, 'Ghost', 'buddy')")
    cases = {
        junk: "is not a Schakel database (not an SQLite file)",
        other: "is not a Schakel database (no schema_migrations table)",
        newer: "was written by a newer Schakel (migration 99, 0099_future.sql):"
        " install that Schakel first",
        renamed: "has migration 0002_other.sql where Schakel has 0002_",
        gap: "is missing migrations (it has [1, 2, 4,",
        dangling: "has a row in counsellors that points at nothing",
        tmp_path: "is not a file",
    }
    for path, problem in cases.items():
        with pytest.raises(BadDatabase) as refused:
            check_database(path)
        assert str(refused.value).startswith(f"{path} {problem}"), str(refused.value)


async def test_a_damaged_database_is_refused(tmp_path: Path) -> None:
    # An index that no longer matches its table: SQLite reads it, integrity_check does not
    # agree with it.
    index = tmp_path / "index.db"
    await schakel_database(index)
    sql(
        index,
        "INSERT INTO appointments (newcomer_id, kind, starts_at, place, created_at, updated_at)"
        " VALUES (1, 'other', '2026-11-24T09:00:00.000000Z', 'VDAB', '', '')",
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = 'CREATE INDEX appointments_by_newcomer"
        " ON appointments(place, newcomer_id)' WHERE name = 'appointments_by_newcomer'",
    )
    with pytest.raises(BadDatabase) as refused:
        check_database(index)
    assert str(refused.value) == (
        f"{index} is damaged: row 1 missing from index appointments_by_newcomer"
    )
    # Pages overwritten: SQLite cannot even read it.
    pages = tmp_path / "pages.db"
    await schakel_database(pages, newcomers=300)
    data = bytearray(pages.read_bytes())
    for offset in range(len(data) - 3 * 4096, len(data) - 4096, 7):
        data[offset] ^= 0xFF
    pages.write_bytes(bytes(data))
    with pytest.raises(BadDatabase) as refused:
        check_database(pages)
    assert str(refused.value) == (
        f"{pages} is damaged or incomplete (database disk image is malformed)"
    )


# --- in use ------------------------------------------------------------------------------


async def test_a_database_someone_has_open_is_in_use(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    assert not in_use(path)  # nothing there
    db = await open_database(path)
    try:
        assert in_use(path)  # open and idle, as the bot is between messages
    finally:
        await db.close()
    assert not in_use(path)


# --- backup and restore --------------------------------------------------------------------


async def test_a_backup_is_one_checked_file_and_replaces_an_older_copy_with_its_log(
    tmp_path: Path,
) -> None:
    live = tmp_path / "live.db"
    await schakel_database(live, newcomers=1)
    copy = tmp_path / "copy.db"
    await schakel_database(copy, newcomers=5)  # an older copy someone opened: it has a log
    stale = copy.with_name("copy.db-wal")
    stale.write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 28)
    db = await open_database(live)
    try:
        await backup(db, copy)
    finally:
        await db.close()
    assert not stale.exists()
    assert not copy.with_name("copy.db.partial").exists()
    assert check_database(copy).newcomers == 1
    with contextlib.closing(sqlite3.connect(copy)) as opened:
        assert opened.execute("PRAGMA journal_mode").fetchone() == ("delete",)


async def test_restore_takes_a_backups_log_along(tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    await schakel_database(copy, newcomers=1)
    # Someone opened the backup and added a row that is only in its log so far.
    holder = sqlite3.connect(copy, isolation_level=None)
    try:
        holder.execute("PRAGMA journal_mode = WAL")
        holder.execute("PRAGMA wal_autocheckpoint = 0")
        holder.execute(
            "INSERT INTO newcomers (reference, first_name, language, created_at)"
            " VALUES ('K-LOGD', 'Dawit', 'ti', '2026-11-22T10:00:00.000000Z')"
        )
        assert copy.with_name("copy.db-wal").stat().st_size > 0
        # The copy is taken of both files, as they are; the backup itself is not written.
        before = copy.read_bytes()
        restored = restore(copy, tmp_path / "new" / "s.db", force=False, now=NOW)
        assert copy.read_bytes() == before
    finally:
        holder.close()
    assert restored.facts.newcomers == 2
    assert restored.replaced_kept_as is None
    assert sorted(path.name for path in (tmp_path / "new").iterdir()) == ["s.db"]


async def test_restore_refuses_a_missing_backup_and_the_database_itself(tmp_path: Path) -> None:
    await schakel_database(tmp_path / "s.db")
    with pytest.raises(NotRestorable, match="not found"):
        restore(tmp_path / "nothing.db", tmp_path / "s.db", force=True, now=NOW)
    with pytest.raises(NotRestorable, match="is the database itself"):
        restore(tmp_path / "." / "s.db", tmp_path / "s.db", force=True, now=NOW)
    # A log left where the database was lost would be read into the restored one.
    orphan = tmp_path / "lost.db-wal"
    orphan.write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 28)
    with pytest.raises(NotRestorable, match=r"lost\.db-wal lies there without its database"):
        restore(tmp_path / "s.db", tmp_path / "lost.db", force=True, now=NOW)
    assert not (tmp_path / "lost.db").exists()


async def test_restore_never_silently_replaces_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = Config(
        storage=StorageConfig(database=tmp_path / "schakel.db"), organisations=DEMO_ORGANISATIONS
    )
    fake = FakeClock(NOW)
    first = build_application(config, request=FakeTelegram(), clock=fake)
    async with running(first):
        await services_of(first).store.fetch_all("SELECT 1")
        copy = tmp_path / "copy.db"
        assert await backup_database(config, copy, clock=fake) == 0
        # The bot runs: refused, --force or not, and nothing changes.
        assert await restore_database(config, copy, force=True, clock=fake) == 1
        assert capsys.readouterr().err == (
            f"schakel: {config.storage.database} is in use: stop the bot"
            " (and any schakel command) first\n"
        )

    # The bot stopped: the database exists; without --force it stays as it is.
    before = config.storage.database.read_bytes()
    assert await restore_database(config, copy, force=False, clock=fake) == 1
    assert capsys.readouterr().err == (
        f"schakel: {config.storage.database} already exists: add --force to replace it"
        " (it is kept beside it)\n"
    )
    assert config.storage.database.read_bytes() == before

    # With --force it is replaced, and the old one kept beside it under a dated name.
    assert await restore_database(config, copy, force=True, clock=fake) == 0
    kept = tmp_path / "schakel.db.replaced-20261122T100000Z"
    assert f"the database it replaced is kept as {kept}" in capsys.readouterr().out
    assert check_database(kept).audit_entries == check_database(copy).audit_entries + 1
    leftovers = [path.name for path in tmp_path.iterdir() if "restoring" in path.name]
    assert leftovers == []
