"""SQLite through aiosqlite: WAL, foreign keys, a busy timeout and numbered migrations."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Collection, Sequence
from pathlib import Path

import aiosqlite

from bot.core.clock import to_db, utc_now
from bot.core.lanes import Lane, Lanes
from bot.storage import clean_stop
from bot.storage.schema import check_before_opening, migration_files

__all__ = ["Store", "backup", "connect", "migrate", "migration_files", "open_database"]

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


def _in_memory(path: Path | str) -> bool:
    """Whether it is ":memory:" or a "file:" URI (tests): no file to keep anything beside."""
    return str(path) == ":memory:" or str(path).startswith("file:")


def create_private(path: Path | str) -> None:
    """Create a new database file readable and writable by its owner only (it holds
    names and appointments); SQLite gives its -wal and -shm files the same mode. An
    existing file keeps the mode it has; a path SQLite cannot use is left to SQLite."""
    if _in_memory(path):
        return
    with contextlib.suppress(OSError):  # exists already, or no such folder
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


async def connect(path: Path | str) -> aiosqlite.Connection:
    """Open the database with the settings every connection needs."""
    create_private(path)
    db = await aiosqlite.connect(str(path), isolation_level=None)
    try:
        db.row_factory = aiosqlite.Row
        await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        await db.close()  # aiosqlite's thread would keep the process from ending
        raise
    return db


async def applied_versions(db: aiosqlite.Connection) -> set[int]:
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    async with db.execute("SELECT version FROM schema_migrations") as cursor:
        return {row[0] async for row in cursor}


async def migrate(db: aiosqlite.Connection, up_to: int | None = None) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction."""
    done = await applied_versions(db)
    applied = []
    for version, name, sql in migration_files():
        if version in done or (up_to is not None and version > up_to):
            continue
        # executescript commits first; BEGIN inside the script keeps each migration atomic.
        script = (
            f"BEGIN;\n{sql}\nINSERT INTO schema_migrations (version, name, applied_at) "
            f"VALUES ({version}, '{name}', '{to_db(utc_now())}');\nCOMMIT;"
        )
        try:
            await db.executescript(script)
        except sqlite3.Error:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise
        logger.info("applied migration %s", name)
        applied.append(name)
    return applied


@dataclasses.dataclass(frozen=True)
class Migrated:
    """What opening the database did to its schema: for the bot's start line."""

    before: int  # the newest migration the file had (0: a new database)
    after: int  # the newest it has now
    applied: tuple[str, ...]
    # False when quick_check was skipped: the file was as the last clean stop left it.
    looked_for_damage: bool = True

    def describe(self) -> str:
        damage = "" if self.looked_for_damage else ", not read through for damage (clean stop)"
        if not self.applied:
            return f"migrations up to date ({self.after}){damage}"
        return f"migrations {self.before} -> {self.after} ({len(self.applied)} applied){damage}"


async def open_database(path: Path | str) -> aiosqlite.Connection:
    """Check, connect, migrate. A file that is not a Schakel database this Schakel can
    run is refused (BadDatabase, one line) before it is opened for writing: no
    migration lands in another application's file or a newer Schakel's database."""
    db, _ = await _open_migrated(path)
    return db


async def _open_migrated(path: Path | str) -> tuple[aiosqlite.Connection, Migrated]:
    looked = check_before_opening(path)
    if not _in_memory(path):
        clean_stop.forget(Path(path))  # open for writing: only a clean stop marks it again
    db = await connect(path)
    try:
        before = max(await applied_versions(db), default=0)
        applied = await migrate(db)
        after = max(await applied_versions(db), default=0)
    except BaseException:
        await db.close()  # aiosqlite's thread would keep the process from ending
        raise
    return db, Migrated(before, after, tuple(applied), looked or _in_memory(path))


async def backup(db: aiosqlite.Connection, target: Path) -> None:
    """A consistent copy of a live database (SQLite's online backup API).

    Written beside the target first and moved in place when complete, so a failed backup
    never leaves half a file where the last good one was; one self-contained file (no
    write-ahead log), so it can be read from read-only media.
    """
    async with db.execute("PRAGMA database_list") as cursor:
        files = [Path(row[2]).resolve() for row in await cursor.fetchall() if row[2]]
    if target.resolve() in files:
        raise ValueError(f"{target} is the live database itself; choose another path")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    create_private(partial)  # owner-only, like the live database
    copy = await aiosqlite.connect(str(partial), isolation_level=None)
    try:
        await db.backup(copy)
        await copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        await copy.close()
    # A log left beside an older copy (someone opened it) must not be read into the new one.
    for companion in ("-wal", "-shm"):
        target.with_name(target.name + companion).unlink(missing_ok=True)
    os.replace(partial, target)


class Store:
    """The one connection the bot uses, with a lock so transactions never interleave.

    aiosqlite runs every statement on one thread, but two coroutines could still
    open overlapping transactions on the same connection; the lock prevents that.
    """

    def __init__(self, db: aiosqlite.Connection, path: Path | None = None) -> None:
        self.db = db
        # The database file, when there is one: the forget-me journal lies beside it.
        self.path = path
        # One transaction at a time; a person waiting for a reply first, an announcement's
        # chunks of rows last (bot/core/lanes.py).
        self._lock = Lanes(1)
        self._reader: Store | None = None
        self._reader_opening = asyncio.Lock()
        # What opening it did to the schema (Store.open); nothing for a store made here.
        self.migrated: Migrated | None = None

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        db, migrated = await _open_migrated(path)
        store = cls(db, None if _in_memory(path) else Path(path))
        store.migrated = migrated
        return store

    async def close(self) -> None:
        await self.close_reader()
        await self.db.close()

    async def close_reader(self) -> None:
        """Closes the read-only second connection; the next `reader()` opens a new one.
        Whoever replaces the database file under a running store calls it first, or the
        second connection would go on reading the old file."""
        async with self._reader_opening:
            if self._reader is not None:
                await self._reader.close()
                self._reader = None

    async def reader(self) -> Store:
        """A second connection, read-only, for reads that take long (the figures, an
        export, a scan): it has its own thread, so the bot's own queries and writes do not
        wait behind it, and WAL lets it read while they write. An in-memory database has
        no second connection to it: then the bot's own."""
        if self.path is None:
            return self
        async with self._reader_opening:
            if self._reader is None:
                db = await connect(self.path)
                await db.execute("PRAGMA query_only = ON")
                self._reader = Store(db, self.path)
        return self._reader

    async def data_version(self) -> int:
        """SQLite's count of changes made by other connections (another process: the
        CLI's import, a restore): it changes when one of them committed."""
        return await self.fetch_int("PRAGMA data_version")

    @classmethod
    @contextlib.asynccontextmanager
    async def opened(cls, path: Path | str) -> AsyncIterator[Store]:
        """Open it for one piece of work (a command of `schakel`), closed after it whatever
        happens."""
        store = await cls.open(path)
        try:
            yield store
        finally:
            await store.close()

    @contextlib.asynccontextmanager
    async def transaction(self, lane: Lane = Lane.ROUTINE) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock.place(lane):
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise
            else:
                await self.db.execute("COMMIT")

    # One trip to the database thread each (a cursor would take three: execute, fetch,
    # close); the trips, not SQLite, were most of the time of a small query.

    async def fetch_one(self, sql: str, params: Sequence[object] = ()) -> aiosqlite.Row | None:
        """The first row of a query that gives one row (or a few: all are read)."""
        rows = await self.db.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetch_all(self, sql: str, params: Sequence[object] = ()) -> list[aiosqlite.Row]:
        return list(await self.db.execute_fetchall(sql, params))

    async def fetch_in(self, sql: str, values: Collection[object]) -> list[aiosqlite.Row]:
        """The rows of `sql`, whose `IN ({marks})` is filled with a mark per value (a group
        read in one query); no values: no rows, and no query."""
        if not values:
            return []
        marks = ",".join("?" * len(values))
        return await self.fetch_all(sql.format(marks=marks), tuple(values))

    async def fetch_value(self, sql: str, params: Sequence[object] = ()) -> object:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def fetch_int(self, sql: str, params: Sequence[object] = ()) -> int:
        """A count or a sum; 0 when there is no row or it is NULL."""
        row = await self.fetch_one(sql, params)
        return 0 if row is None or row[0] is None else int(row[0])
