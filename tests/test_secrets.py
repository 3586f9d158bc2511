"""The bot token stays out of the log (even with -v) and out of every error message, and
the database and its backups are readable by their owner only."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import InvalidToken
from telegram.ext import ApplicationBuilder
from telegram.request import RequestData

import bot.app.application
from bot.app.application import build_application, running
from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.standin import FakeTelegram
from bot.cli.main import main
from bot.core import logs
from bot.core.config import Config, StorageConfig, TelegramConfig
from bot.storage.database import Store, backup

TOKEN = "4839574812:AAFD39kkdpWt3ywyRZergyOLMaJhac60qc"
SECRET_HALF = TOKEN.partition(":")[2]


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """`schakel -v run`'s logging, into a string; the root logger as it was afterwards."""
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in [*logs.QUIET, ""]}
    stream = io.StringIO()
    handler = logs.configure(True, secrets=[TOKEN], stream=stream)
    yield stream
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def config_with_token(tmp_path: Path) -> Config:
    return Config(
        telegram=TelegramConfig(token=SecretStr(TOKEN), bot_username="SchakelBot"),
        storage=StorageConfig(database=tmp_path / "schakel.db"),
        organisations=DEMO_ORGANISATIONS,
    )


async def test_the_token_is_not_in_a_verbose_log_of_a_whole_exchange(
    tmp_path: Path, log: io.StringIO
) -> None:
    telegram = FakeTelegram()
    application = build_application(config_with_token(tmp_path), request=telegram)
    telegram.attach(application)
    async with running(application):
        await asyncio.sleep(0.05)
        await telegram.send(telegram.user(99, "Mehmet", "tr"), "/start")
        try:
            raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
        except InvalidToken:
            logging.getLogger("test").exception("while starting")
    written = log.getvalue()
    assert "Schakel ready" in written and "while starting" in written  # it did log, verbosely
    assert f"The token `{logs.HIDDEN}` was rejected" in written
    assert TOKEN not in written and SECRET_HALF not in written
    # PTB's debug lines (the API URL with the token, every call's parameters with the
    # texts people read) and aiosqlite's (every statement with its values) stay out.
    for quiet in ("Set Bot API URL", "Calling Bot API endpoint", "aiosqlite"):
        assert quiet not in written


async def test_whoever_turns_telegrams_debug_log_on_still_sees_no_token(log: io.StringIO) -> None:
    logging.getLogger("telegram").setLevel(logging.DEBUG)
    ApplicationBuilder().token(TOKEN).build()
    written = log.getvalue()
    assert f"Set Bot API URL: https://api.telegram.org/bot{logs.HIDDEN}" in written
    assert SECRET_HALF not in written


def test_a_hidden_token_stays_hidden_in_a_traceback() -> None:
    hide = logs.HideSecrets([TOKEN])
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/getMe and {SECRET_HALF}")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed: %s", (TOKEN,), None)
        record.exc_info = sys.exc_info()
    assert hide.filter(record)
    text = logging.Formatter().format(record)
    assert TOKEN not in text and SECRET_HALF not in text
    assert text.count(logs.HIDDEN) == 3


class RefusingTelegram(FakeTelegram):
    """Telegram's answer to a wrong token: 401 Unauthorized on the first call."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        return 401, b'{"ok": false, "error_code": 401, "description": "Unauthorized"}'


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PTB's run_polling and its loop
def test_a_refused_token_is_one_line_that_does_not_repeat_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """PTB's InvalidToken says "The token `<token>` was rejected": `schakel run` must not
    print that traceback, nor log it."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\nbot_username = "SchakelBot"\n\n'
        f"[storage]\ndatabase = '{tmp_path / 's.db'}'\n",
        encoding="utf-8",
    )
    for name in [n for n in os.environ if n.startswith("SCHAKEL_")]:
        monkeypatch.delenv(name)
    real_build = bot.app.application.build_application

    def build(config: Config, **_: Any) -> Any:
        return real_build(config, request=RefusingTelegram())

    monkeypatch.setattr(bot.app.application, "build_application", build)
    stream = io.StringIO()
    configure = logs.configure
    added: list[logging.Handler] = []

    def configure_into_stream(
        verbose: bool, secrets: list[str], *, as_json: bool = False
    ) -> logging.Handler:
        added.append(configure(True, secrets, stream, as_json=as_json))
        return added[-1]

    monkeypatch.setattr(logs, "configure", configure_into_stream)
    try:
        code = main(["--config", str(config), "-v", "run"])
    finally:
        for handler in added:
            logging.getLogger().removeHandler(handler)
    printed = capsys.readouterr()
    assert code == 2
    assert printed.err == "schakel: Telegram refused telegram.token (ask @BotFather for it)\n"
    assert SECRET_HALF not in printed.out + printed.err + stream.getvalue()
    # PTB itself logs the refusal at ERROR, with the traceback that names the token: hidden.
    assert f"The token `{logs.HIDDEN}` was rejected" in stream.getvalue()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_database_its_log_files_and_backups_are_for_their_owner_only(
    tmp_path: Path,
) -> None:
    database = tmp_path / "schakel.db"
    store = await Store.open(database)
    try:
        async with store.transaction() as db:
            await db.execute("INSERT INTO settings VALUES ('x', 'y', NULL, 'now')")
        assert mode(database) == 0o600
        assert mode(tmp_path / "schakel.db-wal") == 0o600
        copy = tmp_path / "backups" / "schakel.db"
        await backup(store.db, copy)
        assert mode(copy) == 0o600
    finally:
        await store.close()


async def test_an_existing_database_keeps_its_mode(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    database.touch(mode=0o640)
    database.chmod(0o640)
    store = await Store.open(database)
    await store.close()
    assert mode(database) == 0o640
