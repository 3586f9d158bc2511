"""Logging for `schakel run`: the bot token never shows, nor what people read.

The Bot API URL contains the token (https://api.telegram.org/bot<TOKEN>/sendMessage), so
every library that logs a URL would log it: httpx at INFO (each request), PTB at DEBUG
("Set Bot API URL: ..."), and PTB's InvalidToken names the token in its message. PTB's
DEBUG log also prints every API call with its parameters: the texts newcomers and staff
get, with names; aiosqlite's DEBUG log every statement with its values. So those loggers
stay at INFO or above even with -v, and every line that reaches the log, with its
traceback, has the token replaced, whatever logged it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HIDDEN = "[token hidden]"
# Below these levels each logs request URLs (with the token) or what people read:
# aiosqlite logs every statement with its parameters (names, message texts, links).
QUIET = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "aiosqlite": logging.INFO,
    "apscheduler": logging.WARNING,
    # Its own start lines and one line per request (a scrape every 15 s): the bot says
    # where it listens in one line of its own.
    "uvicorn": logging.WARNING,
}


class HideSecrets(logging.Filter):
    """Replaces each secret (and the part of a bot token after the colon) in the message
    and the traceback of every record passing the handler it is on."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        parts = {s for secret in secrets if secret for s in (secret, secret.partition(":")[2])}
        # Longest first: the whole token before the secret half of it.
        self._secrets = sorted((s for s in parts if len(s) >= 8), key=len, reverse=True)

    def hide(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, HIDDEN)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = self.hide(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.hide(record.exc_text)
        if record.stack_info:
            record.stack_info = self.hide(record.stack_info)
        return True


class JsonLines(logging.Formatter):
    """One JSON object per line (`[logging] format = "json"`), for a log collector: time
    (UTC, ISO 8601), level, logger, message, and the traceback when there is one. The
    secrets filter has done its work on the message and traceback before this runs."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure(
    verbose: bool,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
    *,
    as_json: bool = False,
) -> logging.Handler:
    """One handler on the root logger (standard error unless `stream`); returns it."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines() if as_json else logging.Formatter(FORMAT))
    handler.addFilter(HideSecrets(secrets))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
    return handler
