"""The forget-me journal: which newcomers were erased, in a file beside the database.

A backup holds every newcomer who asked to be forgotten after it was made. `schakel
restore` reads this journal and erases them again in the restored database. It is a file
of its own (`schakel.db.forgotten` beside `schakel.db`), not a table: a table would be
put back with the backup, which cannot know what came after it.

It holds no personal data. A line per erasure: the newcomer's row number, when, and a
check that the row under that number in a restored database is the same newcomer (SQLite
may have given the number to someone else in a backup of another database). The check is
an HMAC of their reference and the moment their row was made, keyed with a random key in
the journal's first line. The reference alone would not do: there are only about 920,000,
so a hash of one is undone in a second. The moment, to the microsecond, is known only to
whoever has the database, and whoever has the database has the row anyway.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

FORMAT = "schakel forget-me journal 1"
KEY_BYTES = 32


class JournalUnreadable(Exception):
    """Why the journal cannot be read, in one line."""


@dataclass(frozen=True)
class Entry:
    """One forgotten newcomer: their row id, a keyed check of their reference and creation
    time (to recognise them in a restored backup without keeping who they were), and when."""

    newcomer_id: int
    check: str
    at: str


@dataclass(frozen=True)
class Journal:
    key: bytes
    entries: tuple[Entry, ...]
    unreadable_lines: int = 0  # a line cut off by a crash while it was written

    def same_newcomer(self, entry: Entry, reference: str, created_at: str) -> bool:
        return hmac.compare_digest(entry.check, check(self.key, reference, created_at))


def beside(database: Path) -> Path:
    return database.with_name(database.name + ".forgotten")


def check(key: bytes, reference: str, created_at: str) -> str:
    return hmac.new(key, f"{reference}\n{created_at}".encode(), hashlib.sha256).hexdigest()


def append(path: Path, *, newcomer_id: int, reference: str, created_at: str, at: str) -> None:
    """Add one erasure, on disk (fsync) before this returns. A new journal gets its key and
    is readable by its owner only, like the database."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            key = secrets.token_bytes(KEY_BYTES)
            lines = [json.dumps({"format": FORMAT, "key": key.hex()})]
        else:
            key = _key(path, handle)
            handle.seek(size - 1)
            # A line cut off by a crash stays on its own line, and this one on the next.
            lines = [""] if handle.read(1) != b"\n" else []
        entry = {"newcomer": newcomer_id, "check": check(key, reference, created_at), "at": at}
        lines.append(json.dumps(entry))
        handle.write(("\n".join(lines) + "\n").encode())
        handle.flush()
        os.fsync(handle.fileno())


def read(path: Path) -> Journal | None:
    """The journal at `path`, None when there is none (nobody was forgotten)."""
    try:
        with path.open("rb") as handle:
            key = _key(path, handle)
            handle.seek(0)
            lines = handle.read().decode("utf-8", errors="replace").splitlines()[1:]
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise JournalUnreadable(f"{path} cannot be read ({exc.strerror})") from None
    entries, unreadable = [], 0
    for line in lines:
        try:
            data = json.loads(line)
            entries.append(Entry(int(data["newcomer"]), str(data["check"]), str(data["at"])))
        except (ValueError, KeyError, TypeError):
            unreadable += 1
    return Journal(key, tuple(entries), unreadable)


def _key(path: Path, handle: IO[bytes]) -> bytes:
    handle.seek(0)
    first = handle.readline()
    with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
        header = json.loads(first)
        if header["format"] == FORMAT:
            return bytes.fromhex(header["key"])
    raise JournalUnreadable(f"{path} is not a Schakel forget-me journal")
