"""SQLite storage: connection settings, migrations, constraints, transactions, backups, clock."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import zoneinfo
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.core import audit
from bot.core.clock import from_db, to_db
from bot.storage.database import (
    Store,
    applied_versions,
    backup,
    connect,
    migrate,
    migration_files,
    open_database,
)

NOW = "2026-11-22T10:00:00.000000Z"
FIXED = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    return FIXED


@contextlib.asynccontextmanager
async def opened(path: Path) -> AsyncIterator[aiosqlite.Connection]:
    db = await open_database(path)
    try:
        yield db
    finally:
        await db.close()


async def value(db: aiosqlite.Connection, sql: str, params: tuple[object, ...] = ()) -> object:
    async with db.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    return None if row is None else row[0]


async def rows(
    db: aiosqlite.Connection, sql: str, params: tuple[object, ...] = ()
) -> list[tuple[Any, ...]]:
    async with db.execute(sql, params) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def tables(db: aiosqlite.Connection) -> set[str]:
    found = await rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in found}


async def insert_core_rows(db: aiosqlite.Connection) -> None:
    """One organisation, one staff member and one newcomer, as version 1 knew them (the
    newcomers table was called clients until migration 0011)."""
    newcomers = "newcomers" if "newcomers" in await tables(db) else "clients"
    await db.execute(
        "INSERT INTO organisations (id, short_name, name) VALUES (1, 'VDAB', 'VDAB Gent')"
    )
    await db.execute(
        "INSERT INTO staff (id, telegram_user_id, name, role, organisation_id, created_at)"
        " VALUES (1, 42, 'Annelies', 'admin', 1, ?)",
        (NOW,),
    )
    await db.execute(
        f"INSERT INTO {newcomers} (id, reference, first_name, language, created_by, created_at)"
        " VALUES (1, 'K-7F3Q', 'Samir', 'ar', 1, ?)",
        (NOW,),
    )


# --- connection settings ---------------------------------------------------------------


async def test_connect_settings(tmp_path: Path) -> None:
    db = await connect(tmp_path / "s.db")
    try:
        assert await value(db, "PRAGMA journal_mode") == "wal"
        assert await value(db, "PRAGMA foreign_keys") == 1
        assert await value(db, "PRAGMA busy_timeout") == 5000
    finally:
        await db.close()


# --- migrations ------------------------------------------------------------------------


def test_migration_files_are_numbered_in_order() -> None:
    files = migration_files()
    versions = [version for version, _, _ in files]
    assert versions == list(range(1, len(files) + 1))
    assert len(files) >= 2
    for version, name, sql in files:
        assert name.startswith(f"{version:04d}_")
        assert name.endswith(".sql")
        assert sql.strip()


async def test_migrate_applies_everything_once(tmp_path: Path) -> None:
    db = await connect(tmp_path / "s.db")
    try:
        applied = await migrate(db)
        assert applied == [name for _, name, _ in migration_files()]
        recorded = await rows(db, "SELECT version, name FROM schema_migrations ORDER BY version")
        assert recorded == [(version, name) for version, name, _ in migration_files()]
        for (applied_at,) in await rows(db, "SELECT applied_at FROM schema_migrations"):
            from_db(applied_at)  # stored in the clock's format
        assert {"organisations", "staff", "newcomers", "audit_log", "appointments"} <= await tables(
            db
        )
        assert not db.in_transaction

        assert await migrate(db) == []
        assert await value(db, "SELECT count(*) FROM schema_migrations") == len(migration_files())
    finally:
        await db.close()


async def test_open_database_twice_applies_nothing_new(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    async with opened(path):
        pass
    async with opened(path) as db:
        assert await applied_versions(db) == {version for version, _, _ in migration_files()}
        assert await migrate(db) == []


async def test_upgrade_keeps_old_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = await connect(path)
    try:
        assert await migrate(db, up_to=1) == [migration_files()[0][1]]
        assert await applied_versions(db) == {1}
        assert "appointments" not in await tables(db)
        await insert_core_rows(db)
    finally:
        await db.close()

    async with opened(path) as db:
        versions = await applied_versions(db)
        assert 2 in versions
        assert versions == {version for version, _, _ in migration_files()}
        assert "appointments" in await tables(db)
        assert await rows(db, "SELECT id, short_name, name FROM organisations") == [
            (1, "VDAB", "VDAB Gent")
        ]
        assert await rows(db, "SELECT telegram_user_id, name, role, created_at FROM staff") == [
            (42, "Annelies", "admin", NOW)
        ]
        assert await rows(db, "SELECT reference, first_name, language, status FROM newcomers") == [
            ("K-7F3Q", "Samir", "ar", "invited")
        ]
        # The new tables work with the old rows.
        await db.execute(
            "INSERT INTO appointments (newcomer_id, kind, starts_at, place, created_by,"
            " created_at, updated_at) VALUES (1, 'duo_intake', ?, 'VDAB Gent', 1, ?, ?)",
            (NOW, NOW, NOW),
        )
        assert await value(db, "SELECT count(*) FROM appointments") == 1


async def test_a_failing_migration_leaves_nothing_half_done(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = await connect(path)
    try:
        await migrate(db, up_to=1)
        # Make migration 2 fail halfway: its first tables get created, then a clash.
        await db.execute("CREATE TABLE broadcasts (id INTEGER PRIMARY KEY)")
        with pytest.raises(sqlite3.OperationalError):
            await migrate(db)
        assert not db.in_transaction
        assert await applied_versions(db) == {1}
        assert "appointments" not in await tables(db)
    finally:
        await db.close()


# --- constraints -----------------------------------------------------------------------


async def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    async with opened(tmp_path / "s.db") as db:
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute(
                "INSERT INTO counsellors (newcomer_id, name, role) VALUES (999, 'Jan', 'buddy')"
            )
        assert await value(db, "SELECT count(*) FROM counsellors") == 0


async def test_audit_log_is_append_only(tmp_path: Path) -> None:
    async with opened(tmp_path / "s.db") as db:
        await audit.record(db, fixed_clock, "cli", "staff.add", "staff:1", "admin")
        before = await rows(db, "SELECT * FROM audit_log")
        assert before == [(1, NOW, "cli", "staff.add", "staff:1", "admin")]

        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await db.execute("UPDATE audit_log SET actor = 'someone else'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await db.execute("DELETE FROM audit_log")
        assert not db.in_transaction
        assert await rows(db, "SELECT * FROM audit_log") == before

        # Appending still works.
        await audit.record(db, fixed_clock, "system", "backup")
        assert await value(db, "SELECT count(*) FROM audit_log") == 2


# --- the Store -------------------------------------------------------------------------


async def test_transaction_commits(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "s.db")
    try:
        async with store.transaction() as db:
            await db.execute("INSERT INTO organisations (short_name, name) VALUES ('A', 'A')")
        assert await store.fetch_value("SELECT count(*) FROM organisations") == 1
        assert not store.db.in_transaction
    finally:
        await store.close()


async def test_transaction_rolls_back_on_an_exception(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "s.db")
    try:
        with pytest.raises(RuntimeError, match="boom"):
            async with store.transaction() as db:
                await db.execute("INSERT INTO organisations (short_name, name) VALUES ('A', 'A')")
                await audit.record(db, fixed_clock, "cli", "organisation.add")
                raise RuntimeError("boom")
        assert not store.db.in_transaction
        assert await store.fetch_value("SELECT count(*) FROM organisations") == 0
        assert await store.fetch_value("SELECT count(*) FROM audit_log") == 0

        # The lock is free again and the connection usable.
        async with store.transaction() as db:
            await db.execute("INSERT INTO organisations (short_name, name) VALUES ('B', 'B')")
        names = await store.fetch_all("SELECT short_name FROM organisations")
        assert [tuple(row) for row in names] == [("B",)]
    finally:
        await store.close()


async def test_transaction_rolls_back_on_a_database_error(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "s.db")
    try:
        with pytest.raises(sqlite3.IntegrityError):
            async with store.transaction() as db:
                await db.execute("INSERT INTO organisations (short_name, name) VALUES ('A', 'A')")
                await db.execute("INSERT INTO organisations (short_name, name) VALUES ('a', 'b')")
        assert await store.fetch_value("SELECT count(*) FROM organisations") == 0
    finally:
        await store.close()


# --- backups ---------------------------------------------------------------------------


async def test_backup_of_a_live_database(tmp_path: Path) -> None:
    source = tmp_path / "live.db"
    target = tmp_path / "copies" / "copy.db"
    async with opened(source) as db:
        await insert_core_rows(db)
        await audit.record(db, fixed_clock, "cli", "staff.add", "staff:1")
        # The rows are still in the write-ahead log, not yet in the main file.
        wal = source.with_name(source.name + "-wal")
        assert wal.exists()
        assert wal.stat().st_size > 0

        await backup(db, target)
        # The source stays usable.
        assert await value(db, "SELECT count(*) FROM staff") == 1

    with contextlib.closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT telegram_user_id, name FROM staff").fetchall() == [
            (42, "Annelies")
        ]
        assert copy.execute("SELECT reference FROM newcomers").fetchall() == [("K-7F3Q",)]
        assert copy.execute("SELECT action FROM audit_log").fetchall() == [("staff.add",)]
        versions = copy.execute("SELECT version FROM schema_migrations ORDER BY version")
        assert [v for (v,) in versions] == [version for version, _, _ in migration_files()]


async def test_backup_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_bytes(b"not a database")
    async with opened(tmp_path / "live.db") as db:
        await insert_core_rows(db)
        await backup(db, target)
    with contextlib.closing(sqlite3.connect(target)) as copy:
        assert copy.execute("SELECT count(*) FROM newcomers").fetchone() == (1,)


async def test_backup_onto_the_live_database_loses_nothing(tmp_path: Path) -> None:
    source = tmp_path / "live.db"
    async with opened(source) as db:
        await db.execute("INSERT INTO organisations (short_name, name) VALUES ('A', 'A')")
        # Refusing is fine; silently damaging the live database is not.
        with contextlib.suppress(Exception):
            await backup(db, tmp_path / "." / "live.db")
        await db.execute("INSERT INTO organisations (short_name, name) VALUES ('B', 'B')")
    with contextlib.closing(sqlite3.connect(source)) as check:
        names = check.execute("SELECT short_name FROM organisations ORDER BY short_name")
        assert names.fetchall() == [("A",), ("B",)]


# --- the clock -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 22, 11, 0, 0, 123456, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels")),
        dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ],
)
def test_clock_round_trip(moment: dt.datetime) -> None:
    text = to_db(moment)
    assert len(text) == len(NOW)
    assert text.endswith("Z")
    back = from_db(text)
    assert back == moment
    assert back.utcoffset() == dt.timedelta(0)


def test_clock_format() -> None:
    brussels = dt.datetime(2026, 11, 22, 11, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
    assert to_db(brussels) == NOW
    assert from_db(NOW) == FIXED


def test_clock_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_db(dt.datetime(2026, 11, 22, 10, 0))


def test_clock_string_order_is_time_order() -> None:
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    kabul = zoneinfo.ZoneInfo("Asia/Kabul")
    moments = [
        dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 22, 10, 0, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 22, 10, 30, tzinfo=brussels),  # 09:30 UTC
        dt.datetime(2026, 11, 22, 14, 0, tzinfo=kabul),  # 09:30 UTC, minus nothing
        dt.datetime(2026, 11, 22, 14, 0, 0, 5, tzinfo=kabul),
        dt.datetime(2026, 3, 29, 3, 0, tzinfo=brussels),  # just after the clocks go forward
        dt.datetime(2026, 3, 29, 1, 59, tzinfo=brussels),
        dt.datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 2, 30, fold=0, tzinfo=brussels),
        dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=brussels),
    ]
    by_time = sorted(moments, key=lambda moment: moment.astimezone(dt.UTC))
    by_text = sorted(moments, key=to_db)
    assert [to_db(m) for m in by_text] == [to_db(m) for m in by_time]
    texts = [to_db(m) for m in by_time]
    assert texts == sorted(texts)


@pytest.mark.parametrize(
    "text",
    ["2026-11-22 10:00:00.000000Z", "2026-11-22T10:00:00Z", "2026-11-22T10:00:00.000000+00:00"],
)
def test_only_the_stored_form_is_read_back(text: str) -> None:
    with pytest.raises(ValueError):
        from_db(text)


async def test_one_word_per_concept_keeps_every_row_and_key(tmp_path: Path) -> None:
    """Migration 0011 renames clients/broadcasts to newcomers/announcements: the rows stay,
    and the words inside stored keys follow, so an old key still matches a new one."""
    path = tmp_path / "old.db"
    db = await connect(path)
    try:
        await migrate(db, up_to=10)
        await insert_core_rows(db)
        await db.execute(
            "INSERT INTO outbox (client_id, chat_id, purpose, payload, idempotency_key, ref,"
            " status, due_at, created_at, updated_at) VALUES (1, 7, 'broadcast', '{}',"
            " 'broadcast:3:client:1', 'broadcast:3', 'sent', ?, ?, ?)",
            (NOW, NOW, NOW),
        )
        await audit.record(db, fixed_clock, "client:K-7F3Q", "client.forget", "client:K-7F3Q")
        await audit.record(db, fixed_clock, "staff:1", "broadcast.release", "broadcast:3")
        await db.commit()
    finally:
        await db.close()

    async with opened(path) as db:
        assert "clients" not in await tables(db)
        assert await rows(db, "SELECT id, reference FROM newcomers") == [(1, "K-7F3Q")]
        assert await rows(db, "SELECT newcomer_id, purpose, idempotency_key, ref FROM outbox") == [
            (1, "announcement", "announcement:3:newcomer:1", "announcement:3")
        ]
        assert await rows(db, "SELECT actor, action, subject FROM audit_log ORDER BY id") == [
            ("newcomer:K-7F3Q", "newcomer.forget", "newcomer:K-7F3Q"),
            ("staff:1", "announcement.release", "announcement:3"),
        ]
        # The audit log is append-only again after the one rewrite.
        with pytest.raises(sqlite3.IntegrityError):
            await db.execute("UPDATE audit_log SET actor = 'x'")
        assert await value(db, "PRAGMA foreign_key_check") is None


async def test_the_reader_reads_a_replaced_file_only_once_it_was_closed(tmp_path: Path) -> None:
    """Whoever swaps the file under a running store closes the read-only second connection
    first (it would go on reading the old file); the next reader reads the new file."""
    path, other = tmp_path / "s.db", tmp_path / "other.db"
    store = await Store.open(path)
    try:
        reader = await store.reader()
        assert await reader.fetch_value("SELECT count(*) FROM organisations") == 0
        async with Store.opened(other) as replacement, replacement.transaction() as db:
            await db.execute("INSERT INTO organisations (short_name, name) VALUES ('A', 'A')")
        await store.close_reader()
        await store.db.close()
        for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            old.unlink(missing_ok=True)
        other.rename(path)
        store.db = await connect(path)
        fresh = await store.reader()
        assert fresh is not reader
        assert await fresh.fetch_value("SELECT count(*) FROM organisations") == 1
    finally:
        await store.close()
