"""The mark a clean stop of the bot leaves beside its database, so that the next start
can skip SQLite's quick_check.

Every start looks for damage (torn or missing pages) before anything is written: at
100,000 newcomers that check reads the whole file, about 700 MB, and took 6-8 s of a
start that is otherwise a few milliseconds. A database the bot itself closed cleanly,
untouched since, cannot have been torn by anyone: so a clean stop writes down what the
file was (device, inode, size, modification time and SQLite's 100-byte header), and the
next start skips the check only when the file is still exactly that and no write-ahead
log lies beside it. Like a file system's "cleanly unmounted" flag, it trusts the disk
while the bot was stopped.

Whatever else happens, the check runs again: the first start, a start after a crash or a
kill (opening the database for writing removes the mark, and only a clean stop writes a
new one), a file written, copied or restored over since (another inode, size or time),
another process still holding it open at the stop (its log is still there), or a mark
that cannot be read.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

SUFFIX = ".clean-stop"
HEADER_BYTES = 100  # SQLite's database header: page size, counters, schema cookie


def mark_path(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def _log_path(database: Path) -> Path:
    return database.with_name(database.name + "-wal")


def _identity(database: Path) -> dict[str, object] | None:
    """What the file is now, or None when it is not there or a log lies beside it
    (another connection has it open, or one ended without closing)."""
    if _log_path(database).exists():
        return None
    try:
        with database.open("rb") as file:
            header = file.read(HEADER_BYTES)
            status = os.fstat(file.fileno())
    except OSError:
        return None
    return {
        "device": status.st_dev,
        "inode": status.st_ino,
        "size": status.st_size,
        "modified_ns": status.st_mtime_ns,
        "header": header.hex(),
    }


def leave(database: Path) -> bool:
    """After the bot closed its last connection: write the mark. Nothing when another
    connection keeps a log beside the file. Returns whether the mark was written."""
    identity = _identity(database)
    if identity is None:
        return False
    mark = mark_path(database)
    try:
        # Owner-only, like the database; written beside and moved, so it is whole or absent.
        partial = mark.with_name(mark.name + ".partial")
        partial.unlink(missing_ok=True)
        descriptor = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(identity, file)
        os.replace(partial, mark)
    except OSError as problem:  # a read-only folder: the next start checks, that is all
        logger.warning("could not mark the clean stop beside %s: %s", database, problem)
        return False
    return True


def left_clean(database: Path) -> bool:
    """Whether the file is exactly as the bot's last clean stop left it."""
    try:
        recorded = json.loads(mark_path(database).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(recorded) and recorded == _identity(database)


def forget(database: Path) -> None:
    """Before the database is opened for writing: from now on only a clean stop says it
    is sound again."""
    with contextlib.suppress(FileNotFoundError):
        mark_path(database).unlink()
