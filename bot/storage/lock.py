"""One process per database: `schakel run` and `schakel restore` hold an OS lock on a
file beside the database (`schakel.db.lock`) for as long as they run.

Two bots on one database would each put the other's messages in flight back in the
queue at start-up and send them again. The lock is flock(2): the kernel releases it when
the process ends, however it ends (kill -9, a crash, a power cut), so no stale lock is
ever left to clean up. The file holds who has it (process, command, since when) only
for the refusal's message. It is never deleted: a process that opened the old file just
before another deleted it and made a new one would lock another file than the next one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
from pathlib import Path
from types import TracebackType

from bot.storage.schema import Refused


class InUse(Refused):
    """Another process has the database (its lock file names it)."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class DatabaseLock:
    """Held from `take` until `release` (or the end of a `with` block, or the process)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the lock
            self._fd = None

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def take(database: Path, command: str) -> DatabaseLock:
    """Lock `database` for `command` ("run", "restore"), or raise InUse naming the
    process that has it. Never waits."""
    path = lock_path(database)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise Refused(f"cannot make the lock file {path}: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _holder(fd)
        os.close(fd)
        raise InUse(_taken_message(database, holder)) from None
    except BaseException:
        os.close(fd)
        raise
    since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    data = json.dumps({"pid": os.getpid(), "command": command, "since": since}) + "\n"
    os.ftruncate(fd, 0)
    os.pwrite(fd, data.encode(), 0)
    return DatabaseLock(path, fd)


def _holder(fd: int) -> dict[str, object]:
    """What the lock's holder wrote; empty if it has not written it yet (it just took it)."""
    with contextlib.suppress(OSError, ValueError):
        found = json.loads(os.pread(fd, 1000, 0).decode())
        if isinstance(found, dict):
            return found
    return {}


def _taken_message(database: Path, holder: dict[str, object]) -> str:
    who = f"process {holder['pid']}" if "pid" in holder else "another process"
    with contextlib.suppress(KeyError, TypeError, ValueError):
        since = dt.datetime.fromisoformat(str(holder["since"]))
        who += f" since {since.strftime('%Y-%m-%d %H:%M')}"
    if holder.get("command") == "restore":
        return f"schakel restore is at work on {database} ({who}); wait until it is done."
    return f"Schakel is already running on {database} ({who}); stop it first."


def holder(database: Path) -> dict[str, object] | None:
    """Who holds the lock now (`schakel status`), or None when nobody does. Looks without
    taking it, even for a moment: a bot starting at that moment must not be refused.
    The kernel's list of locks (/proc/locks) names the locked file by its inode."""
    path = lock_path(database)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        inode = os.fstat(fd).st_ino
        written = _holder(fd)
    finally:
        os.close(fd)
    try:
        with open("/proc/locks", encoding="ascii") as locks:
            held = any(
                len(fields) > 5 and fields[5].rsplit(":", 1)[-1] == str(inode)
                for fields in (line.split() for line in locks)
            )
    except OSError:  # no /proc: the process the file names, if it is still there
        held = "pid" in written and _alive(int(str(written["pid"])))
    return written if held else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
