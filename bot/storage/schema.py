"""Is a file a Schakel database this Schakel can use? One function decides, for every
command: the bot, purge, export, import and admin before they open the database, backup
for the database it copies and the copy it made, restore for the backup.

What is refused is refused in one line, before anything is written: no migration is
applied to another application's file, a newer Schakel's database is not half-migrated
back, and no log file is left beside a file that is not a database.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.storage import clean_stop

MIGRATIONS_PACKAGE = "bot.storage"
# Made by migration 0001, so every Schakel database has them.
REQUIRED_TABLES = ("schema_migrations", "audit_log", "newcomers", "outbox")
# Migration 0011 renamed it; a database from before still has the table by its old name.
NEWCOMERS_BEFORE_0011 = "clients"


class Refused(Exception):
    """Why Schakel will not go on with a database, in one line (the command prints it)."""


class BadDatabase(Refused):
    """The file is not a Schakel database this Schakel can use."""


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped with Schakel, in order."""
    folder = resources.files(MIGRATIONS_PACKAGE).joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


@dataclass(frozen=True)
class DatabaseFacts:
    migrations: tuple[int, ...]  # empty: a new database, nothing in it yet
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


NEW_DATABASE = DatabaseFacts((), 0, 0, 0)


def check_database(
    path: Path,
    shown: Path | None = None,
    *,
    thorough: bool = True,
    new_is_fine: bool = False,
    look_for_damage: bool = True,
) -> DatabaseFacts:
    """Raise BadDatabase unless `path` is a sound Schakel database this Schakel can run.

    `shown` is the name the problems give it (the backup, when `path` is its copy).
    `thorough` (a backup or a restore) runs integrity_check and foreign_key_check; without
    it (every start of a command) quick_check, which finds torn and missing pages in a
    fraction of the time (0.15 s against 1.8 s for 150 MB). `new_is_fine`: an empty file
    or an SQLite database without tables is a new database, to be migrated.
    `look_for_damage=False` skips quick_check (the file is as a clean stop left it:
    bot/storage/clean_stop.py); what kind of database it is is checked all the same.

    The check uses an ordinary connection: a read-only one cannot remove the -wal and
    -shm files it makes beside a database in WAL mode, an ordinary one does when it
    closes, and reading writes nothing to the file itself.
    """
    name = shown or path
    if new_is_fine and (not path.exists() or (path.is_file() and path.stat().st_size == 0)):
        return NEW_DATABASE
    if not path.is_file():
        raise BadDatabase(f"{name} is not a file")
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            return _facts(
                name, db, thorough=thorough, new_is_fine=new_is_fine, damage=look_for_damage
            )
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorname", "")
        if code == "SQLITE_NOTADB":
            raise BadDatabase(f"{name} is not a Schakel database (not an SQLite file)") from None
        if code == "SQLITE_CORRUPT":
            raise BadDatabase(f"{name} is damaged or incomplete ({exc})") from None
        raise BadDatabase(f"{name} cannot be read as a database ({exc})") from None


def _facts(
    path: Path, db: sqlite3.Connection, *, thorough: bool, new_is_fine: bool, damage: bool
) -> DatabaseFacts:
    if thorough or damage:
        check = "integrity_check" if thorough else "quick_check"
        problems = [row[0] for row in db.execute(f"PRAGMA {check}").fetchall()]
        if problems != ["ok"]:
            raise BadDatabase(f"{path} is damaged: {problems[0]}")
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_migrations" not in tables:
        if new_is_fine and not tables:
            return NEW_DATABASE
        raise BadDatabase(f"{path} is not a Schakel database (no schema_migrations table)")
    try:
        recorded = db.execute(
            "SELECT version, name FROM schema_migrations ORDER BY version"
        ).fetchall()
    except sqlite3.OperationalError:  # another application's table of that name
        raise BadDatabase(
            f"{path} is not a Schakel database (its schema_migrations table is not Schakel's)"
        ) from None
    if new_is_fine and not recorded and tables == {"schema_migrations"}:
        return NEW_DATABASE  # stopped before the first migration was done
    shipped = {version: name for version, name, _ in migration_files()}
    versions = []
    for version, name in recorded:
        if version not in shipped:
            raise BadDatabase(
                f"{path} was written by a newer Schakel (migration {version}, {name}):"
                " install that Schakel first"
            )
        if shipped[version] != name:
            raise BadDatabase(f"{path} has migration {name} where Schakel has {shipped[version]}")
        versions.append(version)
    if not versions:
        raise BadDatabase(f"{path} is not a Schakel database (no migration recorded)")
    if versions != list(range(1, len(versions) + 1)):
        raise BadDatabase(f"{path} is missing migrations (it has {versions})")
    newcomers = "newcomers" if "newcomers" in tables else NEWCOMERS_BEFORE_0011
    missing = [
        table for table in REQUIRED_TABLES if table not in tables and table != "newcomers"
    ] + ([] if newcomers in tables else ["newcomers"])
    if missing:
        raise BadDatabase(f"{path} is not a Schakel database (no {missing[0]} table)")
    if thorough:
        broken = db.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:
            raise BadDatabase(f"{path} has a row in {broken[0]} that points at nothing")
    appointments = (
        db.execute("SELECT count(*) FROM appointments").fetchone()[0]
        if "appointments" in tables
        else 0  # made by migration 0002
    )
    return DatabaseFacts(
        tuple(versions),
        db.execute(f"SELECT count(*) FROM {newcomers}").fetchone()[0],
        appointments,
        db.execute("SELECT count(*) FROM audit_log").fetchone()[0],
    )


def check_before_opening(path: Path | str) -> bool:
    """Refuse (BadDatabase) what a command must not open for writing. A path that is not
    a file (":memory:", a "file:" URI in tests) is left to SQLite. Returns whether it was
    looked through for damage (not when the bot's last clean stop left it as it is)."""
    if str(path) == ":memory:" or str(path).startswith("file:"):
        return False
    look = not clean_stop.left_clean(Path(path))
    check_database(Path(path), thorough=False, new_is_fine=True, look_for_damage=look)
    return look
