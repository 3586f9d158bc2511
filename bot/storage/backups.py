"""Restores: putting a backup back in place (what a sound Schakel database is, and so a
sound backup: bot/storage/schema.py).

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

from bot.storage.schema import BadDatabase, DatabaseFacts, Refused, check_database

__all__ = ["BadDatabase", "NotRestorable", "Restored", "check_database", "in_use", "restore"]


class NotRestorable(Refused):
    """Why a restore cannot go on, in one line (a bad backup raises BadDatabase)."""


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
    """Check `backup` and make it the database at `target` (raises NotRestorable, or
    BadDatabase for a backup that is not a sound Schakel database)."""
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
