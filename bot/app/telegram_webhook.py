"""Telegram's webhook (`[telegram] mode = "webhook"`): Telegram posts each update to an
HTTPS address; a reverse proxy passes it to the bot's own HTTP server (bot/app/http.py),
where this route checks Telegram's secret token and hands the update to the
Application, as polling would.

Telegram sends the secret given to setWebhook in the `X-Telegram-Bot-Api-Secret-Token`
header of every post: a post without it (anyone who found the address) is refused with
403 and logged, and changes nothing. Telegram posts an update again until it gets a 2xx
answer, so the bot answers 200 once the update is in the Application's queue.

The webhook stays set when the bot stops: Telegram keeps the updates of the meantime
(up to a day) and posts them when the bot is back, so nothing a person sent is lost.
`schakel run` in polling mode deletes it again (PTB does so before its first getUpdates).
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from telegram import Update

from bot.app.http import HttpServer
from bot.core.config import Config
from handlers.core.context import SchakelApp

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# An update is a few kilobytes; a post much larger than this is not from Telegram.
LARGEST_UPDATE = 1_000_000


def with_telegram_webhook(server: HttpServer, application: SchakelApp, config: Config) -> None:
    """The POST route at the path of `[telegram] webhook_url`."""
    assert config.telegram.webhook_secret is not None  # the configuration requires it
    secret = config.telegram.webhook_secret.get_secret_value().encode()

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            sender = request.client.host if request.client else "unknown"
            logger.warning(
                "Telegram webhook: a post without the secret token from %s refused", sender
            )
            return PlainTextResponse("forbidden\n", status_code=403)
        body = await request.body()
        try:
            if len(body) > LARGEST_UPDATE:
                raise ValueError(f"{len(body)} bytes")
            update = Update.de_json(json.loads(body), application.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as problem:
            # Telegram would post it again and again: say so once, answer that it is bad.
            logger.warning("Telegram webhook: a post that is not an update (%s)", problem)
            return PlainTextResponse("not an update\n", status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    server.add_route(config.telegram.webhook_path, receive, methods=("POST",))
