"""`schakel purge`, `schakel backup` and `schakel restore` as an admin runs them, as a
subprocess on a real database file."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest

from bot.core.clock import to_db
from tests.test_cli import one_line_error, query, schakel, write_config

DAY = dt.timedelta(days=1)


def admin_and_database(tmp_path: Path, extra: str = "") -> Path:
    """A configured Schakel with its first admin: the database as the CLI makes it."""
    database = tmp_path / "s.db"
    write_config(tmp_path, database, extra)
    result = schakel(tmp_path, "admin", "add", "42", "--name", "Annelies", "--org", "VDAB")
    assert result.returncode == 0, result.stderr
    return database


def old_history(database: Path) -> None:
    """Two settled messages older than ninety days, one younger, one still pending, and an
    audit entry older than five years."""
    now = dt.datetime.now(dt.UTC)
    rows = [
        ("update:1:1", "sent", now - 200 * DAY),
        ("update:2:1", "failed", now - 91 * DAY),
        ("update:3:1", "sent", now - 89 * DAY),
        ("update:4:1", "pending", now - 200 * DAY),
    ]
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as db:
        for key, status, at in rows:
            db.execute(
                "INSERT INTO outbox (chat_id, purpose, payload, due_at, idempotency_key, status,"
                " created_at, updated_at) VALUES (42, 'reply', ?, ?, ?, ?, ?, ?)",
                (json.dumps({"text": "Dag", "buttons": []}), to_db(at), key, status, to_db(at),
                 to_db(at)),
            )  # fmt: skip
        db.execute(
            "INSERT INTO audit_log (at, actor, action) VALUES (?, 'cli', 'staff.add')",
            (to_db(now - 6 * 365 * DAY),),
        )


def outbox_keys(database: Path) -> list[str]:
    return [str(key) for (key,) in query(database, "SELECT idempotency_key FROM outbox")]


@pytest.mark.parametrize(
    ("args", "usage"),
    [(["purge", "--help"], "usage: schakel purge [-h] [--dry-run]"),
     (["restore", "--help"], "usage: schakel restore [-h] [--force] BACKUP")],
)  # fmt: skip
def test_help(tmp_path: Path, args: list[str], usage: str) -> None:
    result = schakel(tmp_path, *args)
    assert result.returncode == 0
    assert result.stdout.startswith(usage)


def without_cutoff(lines: list[str]) -> list[str]:
    return [
        re.sub(r"older than \d{4}-\d\d-\d\d \d\d:\d\d UTC", "older than ...", line)
        for line in lines
    ]


def test_purge_dry_run_then_for_real(tmp_path: Path) -> None:
    database = admin_and_database(tmp_path)
    old_history(database)
    everything = query(database, "SELECT * FROM outbox"), query(database, "SELECT * FROM audit_log")

    dry = schakel(tmp_path, "purge", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert len(lines) == 8
    assert lines[0].startswith("appointments (kept 2 years, older than ")
    assert lines[0].endswith(": would remove 0 appointments, 0 reminders, 0 messages")
    assert lines[1].endswith(": would remove 0 handover notes, 0 consents, 0 messages")
    assert lines[2].endswith(": would remove 2 messages, 0 announcement deliveries")
    assert lines[3].startswith("form drafts (kept 30 days, older than ")
    assert lines[3].endswith(
        ": would remove 0 form drafts, 0 expired consent questions, 0 wishes for a new appointment"
    )
    assert lines[4].endswith(": would remove 0 newcomer invite links, 0 staff invite links")
    assert lines[5].startswith("newcomers who never joined (kept 180 days, older than ")
    assert lines[5].endswith(": would remove 0 newcomers' names")
    assert lines[6].endswith(": would remove 1 audit entry")
    assert lines[7] == "dry run: nothing was removed"
    assert (query(database, "SELECT * FROM outbox"), query(database, "SELECT * FROM audit_log")) \
        == everything  # fmt: skip

    real = schakel(tmp_path, "purge")
    assert real.returncode == 0, real.stderr
    # The cutoffs are "now" to the minute: the two runs may straddle a minute on a busy
    # machine, so they are compared without it.
    assert without_cutoff(real.stdout.splitlines()) == without_cutoff(
        [line.replace("would remove", "removed") for line in lines[:7]]
    )
    assert outbox_keys(database) == ["update:3:1", "update:4:1"]
    purges = query(
        database, "SELECT actor, subject FROM audit_log WHERE action = 'retention.purge'"
    )
    kinds = ("appointments", "handover_notes", "delivery_records", "drafts", "invites",
             "never_joined", "audit_log")  # fmt: skip
    assert purges == [("cli", f"retention:{kind}") for kind in kinds]

    again = schakel(tmp_path, "purge")
    assert ": removed 0 messages, 0 announcement deliveries" in again.stdout


def test_purge_follows_the_configured_retention(tmp_path: Path) -> None:
    database = admin_and_database(tmp_path, '\n[retention]\ndelivery_records = "keep"\n')
    old_history(database)
    result = schakel(tmp_path, "purge")
    assert result.returncode == 0, result.stderr
    assert "delivery records: kept (retention: keep)" in result.stdout.splitlines()
    assert len(outbox_keys(database)) == 4


def test_purge_with_a_wrong_retention_is_a_config_error(tmp_path: Path) -> None:
    admin_and_database(tmp_path)
    write_config(tmp_path, tmp_path / "s.db", '\n[retention]\naudit_log = "30d"\n')
    result = schakel(tmp_path, "purge", "--dry-run")
    assert result.returncode == 2
    assert one_line_error(result) == (
        "schakel: retention.audit_log: '30d' is shorter than the minimum of 365 days"
        " (the database never deletes younger audit entries)"
    )


def test_purge_without_a_database(tmp_path: Path) -> None:
    write_config(tmp_path)
    result = schakel(tmp_path, "purge")
    assert result.returncode == 1
    assert one_line_error(result) == f"schakel: no database at {tmp_path / 's.db'}"
    assert not (tmp_path / "s.db").exists()  # a purge creates nothing


def test_backup_then_restore_elsewhere_then_refused_then_forced(tmp_path: Path) -> None:
    database = admin_and_database(tmp_path)
    backup = schakel(tmp_path, "backup", "backups/monday.db")
    assert backup.returncode == 0, backup.stderr
    assert backup.stdout.startswith(f"backup of {database} written to backups/monday.db: integrity")

    # Restored with another configuration: the database of a second server.
    second = tmp_path / "second"
    second.mkdir()
    write_config(second, second / "restored.db")
    copy = str(tmp_path / "backups" / "monday.db")
    restored = schakel(second, "restore", copy)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"restored {copy} to {second / 'restored.db'}: integrity ok")
    assert query(second / "restored.db", "SELECT telegram_user_id, name FROM staff") == [
        (42, "Annelies")
    ]
    actions = [
        action for (action,) in query(second / "restored.db", "SELECT action FROM audit_log")
    ]
    assert actions[-1] == "database.restore"

    refused = schakel(second, "restore", copy)
    assert refused.returncode == 1
    assert one_line_error(refused).endswith("already exists: add --force to replace it (it is"
                                            " kept beside it)")  # fmt: skip
    forced = schakel(second, "restore", copy, "--force")
    assert forced.returncode == 0, forced.stderr
    kept = [path.name for path in second.iterdir() if ".replaced-" in path.name]
    assert len(kept) == 1 and kept[0].startswith("restored.db.replaced-")


def test_restore_of_something_else_is_refused(tmp_path: Path) -> None:
    write_config(tmp_path)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 5000)
    result = schakel(tmp_path, "restore", "photo.jpg")
    assert result.returncode == 1
    assert (
        one_line_error(result)
        == "schakel: photo.jpg is not a Schakel database (not an SQLite file)"
    )
    assert not (tmp_path / "s.db").exists()


def test_a_kind_that_fails_is_reported_and_the_others_still_go(tmp_path: Path) -> None:
    database = admin_and_database(tmp_path)
    old_history(database)
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as db:
        db.execute("DROP TABLE audit_retention")  # as if migration 0008 were undone by hand
    result = schakel(tmp_path, "purge")
    assert result.returncode == 1
    assert one_line_error(result) == (
        "schakel: purge of audit log failed: no such table: audit_retention"
    )
    assert result.stdout.splitlines()[2].endswith(": removed 2 messages, 0 announcement deliveries")
    assert outbox_keys(database) == ["update:3:1", "update:4:1"]
    five_years_ago = to_db(dt.datetime.now(dt.UTC) - 5 * 365 * DAY)
    old = query(database, f"SELECT count(*) FROM audit_log WHERE at < '{five_years_ago}'")
    assert old == [(1,)]  # the audit log's part removed nothing
