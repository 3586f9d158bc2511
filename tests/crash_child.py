"""The bot in a process of its own, for the crash test (tests/test_crash.py).

The real Application (its alarms, outbox and dispatcher) runs on the real clock
against a file database and the offline stand-in. The stand-in appends every message
it delivers to a file, one JSON line each, flushed and fsynced before it answers the
bot: a SIGKILL cannot lose a message Telegram delivered. With --newcomers (the first
run) it makes that many newcomers and an announcement to them all, due now. It runs
until the announcement is reported and the outbox is settled, then exits 0. Idle time
(the wait for the next alarm) is skipped as in the fault tests (tests/e2e/simulation.py)
unless --real-time.

    python -m tests.crash_child --database D --received R [--newcomers 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.announcements import records as announcements
from bot.announcements.model import AnnouncementStatus
from bot.app.application import build_application, running
from bot.app.demo import DEMO_ORGANISATIONS
from bot.app.standin import ApiCall, FakeTelegram
from bot.core.clock import utc_now
from bot.core.config import Config, StorageConfig
from bot.people.staff import Role
from bot.sending.services import Services
from handlers.core.context import services_of
from tests.conftest import make_staff
from tests.e2e.crowd import COORDINATOR, announce_to_everyone, newcomers_with_a_contact
from tests.e2e.simulation import FlowingClock, let_time_pass, quicker_overall_limit


def recorder(log: TextIO) -> Callable[[ApiCall], None]:
    def record(call: ApiCall) -> None:
        line = {
            "chat_id": int(call.params["chat_id"]),
            "text": call.params.get("text", ""),
            "at": round(time.time(), 3),
        }
        log.write(json.dumps(line, ensure_ascii=False) + "\n")
        log.flush()
        os.fsync(log.fileno())

    return record


async def settled(services: Services) -> bool:
    made = await announcements.recent(services.store, 1)
    waiting = await services.store.fetch_value(
        "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
    )
    return bool(made) and made[0].status is AnnouncementStatus.DONE and waiting == 0


async def run(args: argparse.Namespace) -> int:
    config = Config(storage=StorageConfig(database=args.database), organisations=DEMO_ORGANISATIONS)
    telegram = FakeTelegram(latency=args.latency)
    clock = FlowingClock(utc_now())
    with open(args.received, "a", encoding="utf-8") as log:
        telegram.on_send = recorder(log)
        application = build_application(config, request=telegram, clock=clock)
        telegram.attach(application)
        if args.per_second:
            quicker_overall_limit(application, args.per_second)
        async with running(application):
            services = services_of(application)
            if args.newcomers:
                await newcomers_with_a_contact(services, telegram, args.newcomers)
                await make_staff(
                    services, telegram, COORDINATOR, "Kris Maes", Role.COORDINATOR, "In-Gent"
                )
                await announce_to_everyone(services)
            print(f"running {time.time():.3f}", flush=True)
            if args.real_time:
                while not await settled(services):
                    await asyncio.sleep(0.1)
            else:
                await let_time_pass(
                    application, services, clock, done=lambda: settled(services), real_seconds=300
                )
            print(f"settled {time.time():.3f}", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--received", type=Path, required=True)
    parser.add_argument("--newcomers", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.002)
    parser.add_argument(
        "--per-second", type=int, default=400, help="PTB's overall limit; 0: Telegram's 30/s"
    )
    parser.add_argument(
        "--real-time",
        action="store_true",
        help="wait out idle time (the progress alarm's"
        " 5 s) instead of skipping it (tests/e2e/simulation.py)",
    )
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
