"""Bad databases refused (issue 18, item 4), with real files and the real `schakel`
entry point (in this process, and each command once as a process of its own): random
bytes, a truncated copy of a Schakel database, another application's SQLite file and a
database from a newer Schakel. Every command that opens the database says so in one
line, exits 1 within seconds (no traceback, no hang) and leaves everything as it was:
the file byte for byte, nothing beside it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import random
import sqlite3
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.app.application import build_application, running
from bot.app.standin import FakeTelegram
from bot.cli.main import main
from bot.core import audit
from bot.core.config import Config
from bot.sending import outbox
from bot.storage import lock
from bot.storage.database import connect, migrate, migration_files, open_database
from bot.storage.schema import BadDatabase, check_before_opening
from tests.test_cli import one_line_error, schakel

LATEST = migration_files()[-1][0]
TOKEN = "123456:offline-offline-offline-offline-offline"
SHEET = "Datum;Uur;Referentie;Organisatie\n24-11-2026;09:00;K-0001;VDAB\n"


async def schakel_database(path: Path, newcomers: int = 300) -> None:
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


def clock() -> dt.datetime:
    return dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)


def sql(path: Path, *statements: str) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        for statement in statements:
            db.execute(statement)


async def make(kind: str, path: Path) -> str:
    """Write a bad database of this kind at `path`; returns what the refusal says."""
    if kind == "random bytes":
        path.write_bytes(random.Random(18).randbytes(64 * 1024))
        return "is not a Schakel database (not an SQLite file)"
    if kind == "truncated":
        whole = path.with_name("whole.db")
        await schakel_database(whole)
        data = whole.read_bytes()
        whole.unlink()
        path.write_bytes(data[: len(data) // 2])  # a copy that stopped half-way
        return "is damaged or incomplete (database disk image is malformed)"
    if kind == "another application's":
        sql(
            path,
            "PRAGMA journal_mode = WAL",
            "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)",
            "INSERT INTO moz_places (url) VALUES ('https://www.vdab.be')",
        )
        return "is not a Schakel database (no schema_migrations table)"
    assert kind == "from a newer Schakel"
    await schakel_database(path)
    future = LATEST + 1
    sql(
        path,
        "INSERT INTO schema_migrations VALUES"
        f" ({future}, '{future:04d}_future.sql', '2027-06-01T10:00:00.000000Z')",
    )
    return f"was written by a newer Schakel (migration {future}, {future:04d}_future.sql):" + (
        " install that Schakel first"
    )


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder`, by its content; a lock file only by its name (it says
    who held it last: `restore --force` takes the lock before it reads the backup)."""
    return {
        str(path.relative_to(folder)): "lock"
        if path.name.endswith(".lock")
        else hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def config_file(folder: Path, database: Path) -> Path:
    path = folder / f"{database.parent.name}-{database.name}.toml"
    path.write_text(
        # A closed local port: should `run` ever get past the check, it reaches nothing.
        f"[telegram]\ntoken = '{TOKEN}'\n"
        "base_url = 'http://127.0.0.1:9/bot'\nbase_file_url = 'http://127.0.0.1:9/file/bot'\n"
        f"[storage]\ndatabase = '{database}'\n"
        "[[organisations]]\nshort_name = 'VDAB'\nname = 'VDAB Gent'\n",
        encoding="utf-8",
    )
    return path


KINDS = ["random bytes", "truncated", "another application's", "from a newer Schakel"]


def in_process(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> subprocess.CompletedProcess[str]:
    """`schakel ARGS` through the real entry point, in this process (quicker than a
    process of its own; `run` and one of each command are run as processes below)."""
    code = main(args)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)


def as_process(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return schakel(cwd, *args, timeout=60)  # a process that hangs fails here


class Setting:
    """A bad database among real files: the configuration, a planning sheet, a folder
    where no bot ran and one with a live database, for restore to take it as a backup."""

    def __init__(self, tmp_path: Path, kind: str) -> None:
        self.folder = tmp_path / "bad"
        self.folder.mkdir()
        self.bad = self.folder / "schakel.db"
        self.problem = asyncio.run(make(kind, self.bad))
        self.work = tmp_path / "work"
        self.work.mkdir()
        sheet = self.work / "planning.csv"
        sheet.write_text(SHEET, encoding="utf-8")
        config = str(config_file(self.work, self.bad))
        # Restore takes the bad file as the backup: into a folder where no bot ran, and
        # over a live database (--force), beside the lock file a bot that ran left there.
        fresh = tmp_path / "fresh"
        fresh.mkdir()
        live = tmp_path / "live"
        live.mkdir()
        asyncio.run(schakel_database(live / "schakel.db", newcomers=2))
        lock.take(live / "schakel.db", "run").release()
        bad = str(self.bad)
        self.commands = {
            "run": ["--config", config, "run"],
            "purge": ["--config", config, "purge"],
            "purge --dry-run": ["--config", config, "purge", "--dry-run"],
            "export": ["--config", config, "export", "--from", "1-11-2026", "--out",
                       str(self.work / "out")],
            "admin add": ["--config", config, "admin", "add", "4242", "--name", "Sara Peeters"],
            "import-planning": ["--config", config, "import-planning", str(sheet)],
            "import-planning --apply": ["--config", config, "import-planning", str(sheet),
                                        "--apply"],
            "backup": ["--config", config, "backup", str(self.work / "copy.db")],
            "restore": ["--config", str(config_file(self.work, fresh / "schakel.db")),
                        "restore", bad],
            "restore --force": ["--config", str(config_file(self.work, live / "schakel.db")),
                                "restore", bad, "--force"],
        }  # fmt: skip
        self.folders = (self.folder, self.work, fresh, live)
        self.before = {folder: fingerprint(folder) for folder in self.folders}

    def check(self, results: dict[str, subprocess.CompletedProcess[str]]) -> None:
        for command, result in results.items():
            assert result.returncode == 1, (command, result.stderr)
            assert one_line_error(result) == f"schakel: {self.bad} {self.problem}", command
            assert result.stdout == "", (command, result.stdout)
        for folder, files in self.before.items():
            assert fingerprint(folder) == files, folder  # nothing written, made or left beside


@pytest.mark.parametrize("kind", KINDS)
def test_every_command_refuses_a_bad_database_in_one_line_and_touches_nothing(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    setting = Setting(tmp_path, kind)
    # `run` as a process: it sets up the log, and would poll for ever if let through.
    results = {"run": as_process(setting.commands["run"], setting.work)}
    for command, args in setting.commands.items():
        if command != "run":
            results[command] = in_process(args, capsys)
    setting.check(results)


def test_every_command_as_a_process_of_its_own_ends_at_once(tmp_path: Path) -> None:
    """Before, each printed a traceback and then hung: the connection opened for the
    migration that failed was never closed, and its thread kept the process alive."""
    setting = Setting(tmp_path, "from a newer Schakel")
    with ThreadPoolExecutor(max_workers=3) as pool:
        done = pool.map(lambda args: as_process(args, setting.work), setting.commands.values())
        setting.check(dict(zip(setting.commands, done, strict=True)))


# --- what is still a Schakel database -----------------------------------------------------


async def test_a_database_from_before_migration_0011_is_an_older_schakel_one_and_is_migrated(
    tmp_path: Path,
) -> None:
    """0011 renamed `clients` to `newcomers`: the file has the old name, and is fine."""
    database = tmp_path / "schakel.db"
    db = await connect(database)
    try:
        await migrate(db, up_to=10)
        await db.execute(
            "INSERT INTO clients (reference, first_name, language, created_at)"
            " VALUES ('K-0001', 'Amal', 'ar', '2026-11-22T10:00:00.000000Z')"
        )
    finally:
        await db.close()
    check_before_opening(database)
    result = schakel(
        tmp_path, "--config", str(config_file(tmp_path, database)), "admin", "add", "4242",
        "--name", "Sara Peeters",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with contextlib.closing(sqlite3.connect(database)) as opened:
        versions = [row[0] for row in opened.execute("SELECT version FROM schema_migrations")]
        assert versions == list(range(1, LATEST + 1))
        assert opened.execute("SELECT first_name FROM newcomers").fetchall() == [("Amal",)]


async def test_an_empty_file_is_a_new_database(tmp_path: Path) -> None:
    """What create_private leaves when the first start stopped before migrating."""
    database = tmp_path / "schakel.db"
    database.touch()
    db = await open_database(database)
    await db.close()
    with contextlib.closing(sqlite3.connect(database)) as opened:
        assert opened.execute("SELECT count(*) FROM schema_migrations").fetchone() == (LATEST,)


def test_another_applications_table_of_migrations_is_not_schakels(tmp_path: Path) -> None:
    rails = tmp_path / "rails.db"
    sql(
        rails,
        "CREATE TABLE schema_migrations (version varchar NOT NULL PRIMARY KEY)",
        "INSERT INTO schema_migrations VALUES ('20240101000000')",
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)",
    )
    with pytest.raises(BadDatabase) as refused:
        check_before_opening(rails)
    assert str(refused.value) == (
        f"{rails} is not a Schakel database (its schema_migrations table is not Schakel's)"
    )


async def test_a_start_that_fails_after_the_database_opened_closes_it_so_the_process_ends(
    config: Config, telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database's connection runs in a thread of its own that keeps a process alive:
    a start that fails after opening (recovering the outbox hits a disk error) must close
    it, or the bot hangs instead of ending, and systemd never starts it again."""

    async def disk_error(*_: object) -> tuple[int, int]:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(outbox, "recover_in_flight", disk_error)
    before = set(threading.enumerate())
    application = build_application(config, request=telegram)
    with pytest.raises(sqlite3.OperationalError):
        async with running(application):
            pass
    left = [thread for thread in threading.enumerate() if thread not in before]
    for thread in left:
        thread.join(timeout=10)
    assert [thread.name for thread in left if thread.is_alive()] == []
