"""`schakel run` in a process of its own, offline (tests/test_one_process.py).

The real command (bot/cli/main.py: configuration, the database check, the lock,
run_polling with its signal handling, the exit code); only the network is replaced:
build_application is handed the offline stand-in, whose getUpdates waits as Telegram's
long polling does. With --conflict every getUpdates is answered 409 Conflict, as when
another process polls with the same token.

    python -m tests.run_child [--conflict] --config CONFIG
"""

from __future__ import annotations

import sys
from typing import Any

from bot.app import application as app_module
from bot.app.standin import FakeTelegram
from bot.cli import main as cli
from bot.core.config import Config
from handlers.core.context import SchakelApp

FOREVER = 10**9


def main(argv: list[str]) -> int:
    conflict = "--conflict" in argv
    telegram = FakeTelegram(long_polling=True)
    if conflict:
        telegram.fail("409", method="getUpdates", times=FOREVER)
    build = app_module.build_application

    def offline(config: Config, **options: Any) -> SchakelApp:
        application = build(config, request=telegram, **options)
        telegram.attach(application)
        return application

    app_module.build_application = offline  # read by cli._run when it runs
    return cli.main([*(arg for arg in argv if arg != "--conflict"), "run"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
