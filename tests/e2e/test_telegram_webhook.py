"""`[telegram] mode = "webhook"` (issue 19): Telegram posts each update to the bot's own
HTTP server (behind an HTTPS proxy), proved by its secret token; a post without it is
refused and changes nothing. Driven through `serve_by_webhook`, as `schakel run` runs
it, and stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from bot.app.application import HTTP_KEY, build_application, serve_by_webhook
from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.http import HttpServer
from bot.app.standin import WEBHOOK_ACTIVE, FakeTelegram
from bot.core.config import Config, HttpConfig, StorageConfig, TelegramConfig, config_problems
from handlers.core.context import SchakelApp
from messages import render, texts

PUBLIC_URL = "https://schakel.example.be/telegram/updates"
SECRET = "s3cret_from-the-config"
PATIENCE = 30.0  # seconds: how long to wait for something that must come, not a timing


def webhook_config(tmp_path: Path) -> Config:
    return Config(
        telegram=TelegramConfig(
            mode="webhook", webhook_url=PUBLIC_URL, webhook_secret=SecretStr(SECRET)
        ),
        http=HttpConfig(listen="127.0.0.1:0"),
        storage=StorageConfig(database=tmp_path / "schakel.db"),
        organisations=DEMO_ORGANISATIONS,
    )


async def until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(int(PATIENCE / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"still waiting for {what} after {PATIENCE} s")


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[SchakelApp, FakeTelegram, str]]:
    """The bot run by serve_by_webhook until the test ends, with SIGTERM as systemd would."""
    config = webhook_config(tmp_path)
    telegram = FakeTelegram()
    application = build_application(config, request=telegram)
    telegram.attach(application)
    task = asyncio.create_task(serve_by_webhook(application, config))
    await until(lambda: telegram.webhook is not None or task.done(), "setWebhook")
    server: HttpServer = application.bot_data[HTTP_KEY]
    local = f"http://127.0.0.1:{server.port}"
    telegram.webhook_target = local  # what the HTTPS proxy in front of the bot does
    try:
        yield application, telegram, local
    finally:
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, PATIENCE)


async def test_telegram_posts_an_update_and_the_bot_answers(
    served: tuple[SchakelApp, FakeTelegram, str],
) -> None:
    _, telegram, _ = served
    # Registered once, with the secret and every kind of update the bot handles.
    [call] = [c for c in telegram.calls if c.method == "setWebhook"]
    assert call.params["url"] == PUBLIC_URL and call.params["secret_token"] == SECRET
    assert telegram.webhook == (PUBLIC_URL, SECRET)

    stranger = telegram.user(777, "Sam", "nl")
    await telegram.send(stranger, "hallo")
    assert telegram.webhook_answers == [200]
    await until(lambda: bool(telegram.texts_to(stranger.id)), "the bot's answer")
    assert render("nl", texts.UNKNOWN_PERSON) in telegram.texts_to(stranger.id)[0]


async def test_a_post_without_the_secret_is_refused_and_changes_nothing(
    served: tuple[SchakelApp, FakeTelegram, str], caplog: pytest.LogCaptureFixture
) -> None:
    application, telegram, local = served
    update = {
        "update_id": 99,
        "message": {
            "message_id": 1, "date": 0, "text": "/start",
            "chat": {"id": 778, "type": "private", "first_name": "Eve"},
            "from": {"id": 778, "is_bot": False, "first_name": "Eve"},
        },
    }  # fmt: skip
    async with httpx.AsyncClient(base_url=local) as client:
        post = client.post
        with caplog.at_level(logging.WARNING):
            forged = await post("/telegram/updates", json=update)
            wrong = await post(
                "/telegram/updates",
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"},
            )
        assert (forged.status_code, wrong.status_code) == (403, 403)
        assert sum("without the secret token" in r.getMessage() for r in caplog.records) == 2
        # With the secret but not an update: refused too, nothing reaches the handlers.
        garbage = await post(
            "/telegram/updates",
            content=b"{not json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert garbage.status_code == 400
        # Only POST, only on the webhook's path.
        assert (await client.get("/telegram/updates")).status_code == 405
    assert application.update_queue.empty()  # refused before anything was queued
    # Updates are handled in order: once a real one after them is answered, anything
    # the refused posts had queued would have been answered too.
    sam = telegram.user(779, "Sam", "nl")
    await telegram.send(sam, "hallo")
    await until(lambda: bool(telegram.texts_to(sam.id)), "the answer to a real update")
    assert telegram.texts_to(778) == []


async def test_the_webhook_stays_set_after_sigterm_and_polling_is_refused_meanwhile(
    tmp_path: Path,
) -> None:
    """Telegram keeps what comes while the bot is down (the webhook stays), and refuses
    getUpdates while a webhook is set, as Telegram does."""
    config = webhook_config(tmp_path)
    telegram = FakeTelegram()
    application = build_application(config, request=telegram)
    task = asyncio.create_task(serve_by_webhook(application, config))
    await until(lambda: telegram.webhook is not None, "setWebhook")
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(task, PATIENCE)
    assert telegram.webhook == (PUBLIC_URL, SECRET)
    assert not [c for c in telegram.calls if c.method == "deleteWebhook"]
    bot = build_application(Config(storage=config.storage), request=telegram).bot
    async with bot:
        with pytest.raises(Exception, match="webhook is active"):
            await bot.get_updates()
    assert WEBHOOK_ACTIVE.startswith("Conflict")


def test_webhook_mode_needs_its_address_secret_and_http_server(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[telegram]\nmode = "webhook"\n')
    assert config_problems(path, {}) == [
        'config: telegram.mode = "webhook" needs telegram.webhook_url, '
        "telegram.webhook_secret, http.listen"
    ]
    path.write_text(
        '[telegram]\nmode = "webhook"\nwebhook_url = "http://schakel.example.be/t"\n'
        'webhook_secret = "no spaces allowed"\n[http]\nlisten = "127.0.0.1:8080"\n'
    )
    assert config_problems(path, {}) == [
        "telegram.webhook_url: 'http://schakel.example.be/t' is not an HTTPS address"
        " (Telegram posts only to HTTPS)",
        "telegram.webhook_secret: must be 1 to 256 letters, digits, _ or - (Telegram's rule)",
    ]
    # The secret from the environment, like the token; then the configuration is whole.
    path.write_text(
        '[telegram]\ntoken = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"\nmode = "webhook"\n'
        'webhook_url = "https://schakel.example.be/t"\n[http]\nlisten = "127.0.0.1:8080"\n'
    )
    assert config_problems(path, {"SCHAKEL_TELEGRAM__WEBHOOK_SECRET": SECRET}) == []
