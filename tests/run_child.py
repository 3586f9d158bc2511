"""`schakel run` in a process of its own, offline (tests/test_one_process.py).

The real command (bot/cli/main.py: configuration, the database check, the lock,
run_polling with its signal handling, the exit code); only the network is replaced:
build_application is handed the offline stand-in, whose getUpdates waits as Telegram's
long polling does. With --conflict every getUpdates is answered 409 Conflict, as when
another process polls with the same token. With --outage SECONDS Telegram is gone for
that long from the start: every getUpdates is answered 502 Bad Gateway and every send
times out. --latency SECONDS: each call takes that long (messages are on their way).

    python -m tests.run_child [--conflict] [--outage S] [--latency S] --config CONFIG
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from bot.app import application as app_module
from bot.app.standin import FakeTelegram
from bot.cli import main as cli
from bot.core.clock import utc_now
from bot.core.config import Config
from handlers.core.context import SchakelApp

FOREVER = 10**9


def _option(argv: list[str], name: str) -> float | None:
    """The value after `name`, taken out of argv."""
    if name not in argv:
        return None
    at = argv.index(name)
    value = float(argv[at + 1])
    del argv[at : at + 2]
    return value


def main(argv: list[str]) -> int:
    argv = list(argv)
    conflict = "--conflict" in argv
    outage = _option(argv, "--outage")
    telegram = FakeTelegram(long_polling=True, latency=_option(argv, "--latency") or 0.0)
    if conflict:
        telegram.fail("409", method="getUpdates", times=FOREVER)
    if outage is not None:
        start = utc_now()
        during = (start, start + dt.timedelta(seconds=outage))
        telegram.fail("502", method="getUpdates", during=during)
        telegram.fail("timeout", during=during)
    build = app_module.build_application

    def offline(config: Config, **options: Any) -> SchakelApp:
        application = build(config, request=telegram, **options)
        telegram.attach(application)
        return application

    app_module.build_application = offline  # read by cli._run when it runs
    return cli.main([*(arg for arg in argv if arg != "--conflict"), "run"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
