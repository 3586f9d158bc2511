"""One process per database, one bot per token (issue 18, item 3), with real processes.

The bot that runs is the real `schakel run` offline (tests/run_child.py: the real command
with the offline stand-in for the network). The second one is `python -m bot run`
itself: it is refused before it would reach Telegram, so it needs no stand-in (its
base_url points at a closed local port, should it ever try).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.storage import lock
from tests.test_cli import one_line_error, schakel

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:offline-offline-offline-offline-offline"
EXIT_ELSEWHERE = 3  # bot/cli/main.py
# Generous: starting Python and the Telegram library on a busy machine. A refusal takes
# well under a second; what matters is that it comes, instead of a bot that runs.
SECONDS = 60


def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f"[telegram]\ntoken = '{TOKEN}'\n"
        "base_url = 'http://127.0.0.1:9/bot'\nbase_file_url = 'http://127.0.0.1:9/file/bot'\n"
        f"[storage]\ndatabase = '{tmp_path / 'schakel.db'}'\n"
        "[[organisations]]\nshort_name = 'VDAB'\nname = 'VDAB Gent'\n",
        encoding="utf-8",
    )
    return path


def start_bot(
    tmp_path: Path, name: str, *extra: str, config: Path | None = None
) -> subprocess.Popen[bytes]:
    """The bot in its own process, with `config` (default: `config_file`)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SCHAKEL_")}
    config = config or config_file(tmp_path)
    command = [sys.executable, "-m", "tests.run_child", *extra, "--config", str(config)]
    with open(tmp_path / f"{name}.log", "wb") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def log_of(tmp_path: Path, name: str) -> str:
    return (tmp_path / f"{name}.log").read_text(encoding="utf-8")


def wait_until_ready(tmp_path: Path, name: str, bot: subprocess.Popen[bytes]) -> None:
    """Until its post_init is done: the database migrated, the outbox recovered, locked."""
    deadline = time.monotonic() + 120
    while "Schakel ready" not in log_of(tmp_path, name):
        assert bot.poll() is None, log_of(tmp_path, name)
        assert time.monotonic() < deadline, log_of(tmp_path, name)
        time.sleep(0.05)


def stop(bot: subprocess.Popen[bytes], how: int = signal.SIGTERM) -> int:
    if bot.poll() is None:
        os.kill(bot.pid, how)
    return bot.wait(timeout=SECONDS)


def outbox(database: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT * FROM outbox ORDER BY id").fetchall()


def messages_on_their_way(database: Path) -> None:
    """What the first bot is handing to Telegram right now (`sending`), and one still
    to go: the rows a second bot's start-up used to put back and send again."""
    with sqlite3.connect(database) as db:
        for key, status in (("one", "sending"), ("two", "sending"), ("three", "pending")):
            db.execute(
                "INSERT INTO outbox (chat_id, purpose, payload, due_at, idempotency_key,"
                " status, created_at, updated_at) VALUES (4242, 'notice', '{\"text\": \"hoi\"}',"
                " '2099-01-01T00:00:00.000000Z', ?, ?, '2026-12-01T10:00:00.000000Z',"
                " '2026-12-01T10:00:00.000000Z')",
                (key, status),
            )


def test_a_second_run_and_a_restore_are_refused_while_the_bot_runs(tmp_path: Path) -> None:
    database = tmp_path / "schakel.db"
    config = str(config_file(tmp_path))
    first = start_bot(tmp_path, "first")
    try:
        wait_until_ready(tmp_path, "first", first)
        messages_on_their_way(database)
        before = outbox(database)

        started = time.monotonic()
        second = schakel(tmp_path, "--config", config, "run", timeout=SECONDS)
        took = time.monotonic() - started
        assert second.returncode == EXIT_ELSEWHERE, second.stderr
        line = one_line_error(second)
        assert re.fullmatch(
            rf"schakel: Schakel is already running on {re.escape(str(database))} \(process"
            rf" {first.pid} since \d{{4}}-\d\d-\d\d \d\d:\d\d\); stop it first\.",
            line,
        ), line
        assert took < SECONDS
        assert second.stdout == ""

        # A backup may be made while the bot runs; a restore is refused with the same line.
        copy = tmp_path / "copy.db"
        assert schakel(tmp_path, "--config", config, "backup", str(copy)).returncode == 0
        restore = schakel(tmp_path, "--config", config, "restore", str(copy), "--force")
        assert restore.returncode == EXIT_ELSEWHERE
        assert one_line_error(restore) == line
        assert not [path for path in tmp_path.iterdir() if "replaced" in path.name]

        # The first one runs on, its messages on their way untouched.
        assert first.poll() is None
        assert outbox(database) == before
        assert "Traceback" not in log_of(tmp_path, "first")
    finally:
        assert stop(first) == 0, log_of(tmp_path, "first")


def test_the_lock_goes_with_the_process_however_it_ends(tmp_path: Path) -> None:
    """kill -9 leaves no stale lock: the kernel releases it."""
    first = start_bot(tmp_path, "first")
    try:
        wait_until_ready(tmp_path, "first", first)
    finally:
        assert stop(first, signal.SIGKILL) == -signal.SIGKILL
    again = start_bot(tmp_path, "again")
    try:
        wait_until_ready(tmp_path, "again", again)
    finally:
        assert stop(again) == 0, log_of(tmp_path, "again")


def test_a_conflict_on_the_token_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    """Telegram answers 409 Conflict to getUpdates while another process polls with the
    same token: the bot stops at once, one line, no traceback, exit 3."""
    bot = start_bot(tmp_path, "conflict", "--conflict")
    try:
        assert bot.wait(timeout=SECONDS * 2) == EXIT_ELSEWHERE, log_of(tmp_path, "conflict")
    finally:
        stop(bot, signal.SIGKILL)
    log = log_of(tmp_path, "conflict")
    assert "Schakel ready" in log
    assert "Traceback" not in log
    errors = [line for line in log.splitlines() if " ERROR " in line or " WARNING " in line]
    assert len(errors) == 1, log
    assert "stopping: another process polls Telegram with this bot's token" in errors[0]
    assert "Conflict: terminated by other getUpdates request" in errors[0]
    assert TOKEN.partition(":")[2] not in log


# --- the lock itself -------------------------------------------------------------------


def test_the_lock_names_its_holder_and_is_free_again_once_released(tmp_path: Path) -> None:
    database = tmp_path / "schakel.db"
    with lock.take(database, "restore"):
        with pytest.raises(lock.InUse) as refused:
            lock.take(database, "run")  # another open file: refused, even in one process
        assert re.fullmatch(
            rf"schakel restore is at work on {re.escape(str(database))} \(process {os.getpid()}"
            r" since \d{4}-\d\d-\d\d \d\d:\d\d\); wait until it is done\.",
            str(refused.value),
        )
    lock.take(database, "run").release()
    assert (tmp_path / "schakel.db.lock").stat().st_mode & 0o777 == 0o600


def test_a_holder_that_has_not_written_its_name_yet_is_another_process(tmp_path: Path) -> None:
    database = tmp_path / "schakel.db"
    with lock.take(database, "run") as held:
        held.path.write_text("", encoding="utf-8")  # as just after flock, before the write
        with pytest.raises(lock.InUse, match=r"\(another process\); stop it first\.$"):
            lock.take(database, "run")
