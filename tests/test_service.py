"""Schakel run as a service (issue 19), with real processes: `schakel run` offline
(tests/run_child.py), stopped by SIGTERM and SIGINT, through a 30-second outage of
Telegram, and watched from the shell with `schakel status`.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from bot.core.version import __version__
from bot.storage.database import Store
from tests.test_cli import schakel
from tests.test_one_process import (
    SECONDS,
    config_file,
    log_of,
    start_bot,
    stop,
    wait_until_ready,
)

EXIT_WRONG = 1
EXIT_CONFIG = 2


def prepare(tmp_path: Path, messages: int) -> Path:
    """A migrated database with `messages` due now in the outbox, each to its own chat."""
    database = tmp_path / "schakel.db"

    async def migrate() -> None:
        await (await Store.open(database)).close()

    asyncio.run(migrate())
    with sqlite3.connect(database) as db:
        for n in range(messages):
            db.execute(
                "INSERT INTO outbox (chat_id, purpose, payload, due_at, idempotency_key,"
                " created_at, updated_at) VALUES (?, 'notice', ?, '2000-01-01T00:00:00.000000Z',"
                " ?, '2000-01-01T00:00:00.000000Z', '2000-01-01T00:00:00.000000Z')",
                (5000 + n, json.dumps({"text": f"bericht {n}", "buttons": []}), f"service:{n}"),
            )
    return database


def statuses(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()
    return {status: count for status, count in rows}


def wait_for(condition: str, tmp_path: Path, name: str, bot: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while condition not in log_of(tmp_path, name):
        assert bot.poll() is None, log_of(tmp_path, name)
        assert time.monotonic() < deadline, log_of(tmp_path, name)
        time.sleep(0.1)


def wait_until_all_sent(database: Path, messages: int, bot: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while statuses(database).get("sent", 0) < messages:
        assert bot.poll() is None
        assert time.monotonic() < deadline, statuses(database)
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_a_30_second_outage_is_two_warning_lines_and_no_traceback(tmp_path: Path) -> None:
    """Telegram gone for 30 seconds from the start: every poll a 502, every send a
    timeout. One line when it starts, one with the count when it is over; the messages
    go once Telegram is back. Before, this wrote 7 ERROR tracebacks (665 lines)."""
    database = prepare(tmp_path, 5)
    bot = start_bot(tmp_path, "outage", "--outage", "30")
    try:
        wait_until_ready(tmp_path, "outage", bot)
        wait_for("Telegram answers again", tmp_path, "outage", bot)
        wait_until_all_sent(database, 5, bot)
    finally:
        assert stop(bot) == 0, log_of(tmp_path, "outage")
    log = log_of(tmp_path, "outage")
    assert "Traceback" not in log
    warnings = [line for line in log.splitlines() if " WARNING " in line]
    assert not [line for line in log.splitlines() if " ERROR " in line], log
    assert len(warnings) == 2, log
    assert "Telegram does not answer (getUpdates: NetworkError: 502 from Telegram)" in log or (
        "Telegram does not answer (sendMessage: TimedOut" in log
    ), log
    over = re.search(r"Telegram answers again after (\d+) s; meanwhile (\d+) failed \((.*)\)", log)
    assert over is not None, log
    assert 25 <= int(over.group(1)) <= 40, over.group(0)
    assert "getUpdates" in over.group(3) and "sendMessage" in over.group(3)
    assert int(over.group(2)) >= 5  # each of the five messages failed at least once
    assert len(log.splitlines()) <= 10, log


def test_the_start_line_says_version_database_and_migrations(tmp_path: Path) -> None:
    bot = start_bot(tmp_path, "start")
    try:
        wait_until_ready(tmp_path, "start", bot)
    finally:
        assert stop(bot) == 0
    ready = next(line for line in log_of(tmp_path, "start").splitlines() if "Schakel ready" in line)
    assert re.search(
        rf"Schakel ready: version {re.escape(__version__)}, database "
        rf"{re.escape(str(tmp_path / 'schakel.db'))}, migrations 0 -> \d+ \(\d+ applied\), "
        r"HTTP off$",
        ready,
    ), ready


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_stops_cleanly_and_loses_nothing(tmp_path: Path, how: int) -> None:
    """Stopped while messages are on their way (Telegram's 30 a second): exit 0, no
    traceback; the batch on its way is finished and written down as sent, the rest waits
    and goes after a restart, and no message is sent twice (no possible duplicate)."""
    messages = 250  # more than one batch (200)
    database = prepare(tmp_path, messages)
    bot = start_bot(tmp_path, "first", "--latency", "0.2")
    try:
        wait_until_ready(tmp_path, "first", bot)
        deadline = time.monotonic() + SECONDS
        while statuses(database).get("sent", 0) == 0:
            assert time.monotonic() < deadline, log_of(tmp_path, "first")
            time.sleep(0.02)
    finally:
        assert stop(bot, how) == 0, log_of(tmp_path, "first")
    assert "Traceback" not in log_of(tmp_path, "first")
    after_stop = statuses(database)
    assert 0 < after_stop.get("sent", 0) < messages, after_stop
    assert "failed" not in after_stop

    again = start_bot(tmp_path, "again")
    try:
        wait_until_ready(tmp_path, "again", again)
        wait_until_all_sent(database, messages, again)
    finally:
        assert stop(again) == 0
    with sqlite3.connect(database) as db:
        flagged = db.execute("SELECT count(*) FROM outbox WHERE possible_duplicate").fetchone()
    assert flagged == (0,)
    assert "Traceback" not in log_of(tmp_path, "again")


def test_status_says_whether_the_bot_runs_and_is_well(tmp_path: Path) -> None:
    port = free_port()
    config = config_file(tmp_path)
    with config.open("a", encoding="utf-8") as more:
        more.write(f"[http]\nlisten = '127.0.0.1:{port}'\n")
    prepare(tmp_path, 0)

    stopped = schakel(tmp_path, "--config", str(config), "status", timeout=SECONDS)
    assert stopped.returncode == EXIT_WRONG, stopped.stdout + stopped.stderr
    assert "bot: not running" in stopped.stdout
    assert stopped.stdout.endswith("problem: the bot is not running\n")

    bot = start_bot(tmp_path, "bot", config=config)
    try:
        wait_until_ready(tmp_path, "bot", bot)
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").text == "ok\n"
        running = schakel(tmp_path, "--config", str(config), "status", timeout=SECONDS)
        assert running.returncode == 0, running.stdout + running.stderr
        assert f"bot: running (process {bot.pid} since " in running.stdout
        assert "outbox: 0 waiting" in running.stdout
        assert "healthz: 200 ok" in running.stdout
        assert running.stdout.endswith("\nok\n")
    finally:
        assert stop(bot) == 0, log_of(tmp_path, "bot")

    broken = tmp_path / "broken.toml"
    broken.write_text("[storage]\ndatabse = 'x.db'\n", encoding="utf-8")
    refused = schakel(tmp_path, "--config", str(broken), "status", timeout=SECONDS)
    assert refused.returncode == EXIT_CONFIG
    assert "storage.databse is not a known setting" in refused.stderr
