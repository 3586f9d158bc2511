"""Backups: is a file a sound Schakel database, and putting one back in place.

A restore never writes to the backup itself: the backup (with its write-ahead log, if one
lies beside it) is copied next to the database, the copy is checked (SQLite's
integrity_check and foreign_key_check, the migrations it went through are Schakel's own
and not newer than this Schakel), and only then moved in place. An existing database is
replaced only when asked (`--force`), never while a process has it open (the bot), and
is kept beside it under another name, not deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.storage.database import migration_files

REQUIRED_TABLES = ("schema_migrations", "audit_log", "newcomers", "appointments", "outbox")
# Migration 0011 renamed it; a database from before still has the table by its old name.
NEWCOMERS_BEFORE_0011 = "clients"


class NotRestorable(Exception):
    """Why a file cannot be restored, in one line."""


@dataclass(frozen=True)
class DatabaseFacts:
    migrations: tuple[int, ...]
    newcomers: int
    appointments: int
    audit_entries: int

    def describe(self) -> str:
        shipped = len(migration_files())
        return (
            f"integrity ok, migrations {self.migrations[0]}-{self.migrations[-1]}"
            f" (this Schakel has {shipped}), {self.newcomers} newcomers,"
            f" {self.appointments} appointments, {self.audit_entries} audit entries"
        )


def check_database(path: Path, shown: Path | None = None) -> DatabaseFacts:
    """Raise NotRestorable unless `path` is a sound Schakel database this Schakel can run.

    `shown` is the name the problems give it (the backup, when `path` is its copy)."""
    name = shown or path
    if not path.is_file():
        raise NotRestorable(f"{name} is not a file")
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            return _facts(name, db)
    except sqlite3.DatabaseError as exc:
        raise NotRestorable(f"{name} is not a readable SQLite database ({exc})") from None


def _facts(path: Path, db: sqlite3.Connection) -> DatabaseFacts:
    problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    if problems != ["ok"]:
        raise NotRestorable(f"{path} is damaged: {problems[0]}")
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    newcomers = "newcomers" if "newcomers" in tables else NEWCOMERS_BEFORE_0011
    missing = [
        table for table in REQUIRED_TABLES if table not in tables and table != "newcomers"
    ] + ([] if newcomers in tables else ["newcomers"])
    if missing:
        raise NotRestorable(f"{path} is not a Schakel database (no {missing[0]} table)")
    shipped = {version: name for version, name, _ in migration_files()}
    recorded = db.execute("SELECT version, name FROM schema_migrations ORDER BY version")
    versions = []
    for version, name in recorded.fetchall():
        if version not in shipped:
            raise NotRestorable(
                f"{path} was made by a newer Schakel (migration {name}): install that first"
            )
        if shipped[version] != name:
            raise NotRestorable(f"{path} has migration {name} where Schakel has {shipped[version]}")
        versions.append(version)
    if versions != list(range(1, len(versions) + 1)):
        raise NotRestorable(f"{path} is missing migrations (it has {versions})")
    broken = db.execute("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        raise NotRestorable(f"{path} has a row in {broken[0]} that points at nothing")
    return DatabaseFacts(
        tuple(versions),
        db.execute(f"SELECT count(*) FROM {newcomers}").fetchone()[0],
        db.execute("SELECT count(*) FROM appointments").fetchone()[0],
        db.execute("SELECT count(*) FROM audit_log").fetchone()[0],
    )


def in_use(path: Path) -> bool:
    """True when another connection (the bot, a command) has the database open.

    An exclusive lock is refused while any other connection holds the file open in WAL
    mode, even an idle one; on success, closing the last connection also folds the
    write-ahead log back into the file.
    """
    if not path.exists():
        return False
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as db:
            db.execute("PRAGMA locking_mode = EXCLUSIVE")
            db.execute("BEGIN EXCLUSIVE")
            db.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return True
        raise
    except sqlite3.DatabaseError:
        return False  # not a database: nobody can have it open as one
    return False


@dataclass(frozen=True)
class Restored:
    facts: DatabaseFacts
    replaced_kept_as: Path | None  # where the database it replaced is now


def _companions(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def restore(backup: Path, target: Path, *, force: bool, now: dt.datetime) -> Restored:
    """Check `backup` and make it the database at `target` (raises NotRestorable)."""
    if not backup.exists():
        raise NotRestorable(f"{backup} not found")
    if target.exists() and backup.resolve() == target.resolve():
        raise NotRestorable(f"{backup} is the database itself")
    if target.exists():
        if in_use(target):
            raise NotRestorable(f"{target} is in use: stop the bot (and any schakel command) first")
        if not force:
            raise NotRestorable(
                f"{target} already exists: add --force to replace it (it is kept beside it)"
            )
    elif _companions(target)[0].exists():
        # SQLite would read this log into the restored database.
        raise NotRestorable(
            f"{_companions(target)[0]} lies there without its database: move it away first"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.restoring")
    staging_wal, staging_shm = _companions(staging)
    for leftover in (staging, staging_wal, staging_shm):
        leftover.unlink(missing_ok=True)
    try:
        shutil.copyfile(backup, staging)
        backup_wal = _companions(backup)[0]
        if backup_wal.exists():  # a backup that was opened since: its log belongs to it
            shutil.copyfile(backup_wal, staging_wal)
        facts = check_database(staging, shown=backup)
        # One self-contained file: the log folded in, the bot switches WAL on again.
        with contextlib.closing(sqlite3.connect(staging, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode = DELETE")
        kept = _move_aside(target, now) if target.exists() else None
        os.replace(staging, target)
    finally:
        for leftover in (staging, staging_wal, staging_shm):
            leftover.unlink(missing_ok=True)
    return Restored(facts, kept)


def _move_aside(target: Path, now: dt.datetime) -> Path:
    """Keep the database a restore replaces (with its log), under a dated name."""
    if in_use(target):  # checked again: the bot may have started since
        raise NotRestorable(f"{target} is in use: stop the bot (and any schakel command) first")
    kept = target.with_name(f"{target.name}.replaced-{now.strftime('%Y%m%dT%H%M%SZ')}")
    wal, shm = _companions(target)
    os.replace(target, kept)
    if wal.exists():
        os.replace(wal, _companions(kept)[0])
    shm.unlink(missing_ok=True)
    return kept
