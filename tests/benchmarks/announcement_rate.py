"""An announcement to 2,000 newcomers through the real Application and the offline
Telegram stand-in with Telegram's limits switched on (30 messages a second overall;
going over answers 429). Reports the sustained rate against the 30/s limit and the
number of 429 answers, and writes them to docs/benchmark-announcement.md.

    python -m tests.benchmarks.announcement_rate [--newcomers 2000] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot import broadcasts
from bot.application import build_application, running, services_of
from bot.audiences import Audience
from bot.broadcast_texts import template_texts
from bot.broadcasts import BroadcastStatus, Plan, SessionKind
from bot.clock import to_db
from bot.config import Config, StorageConfig
from bot.demo import DEMO_ORGANISATIONS
from bot.organisations import find_organisation
from bot.services import Services
from bot.staff import Role, add_staff, find_staff
from bot.standin import FakeTelegram

LANGUAGES = ("ar", "ti", "fa", "so", "uk", "tr", "ps", "fa_AF", "ru", "en", "fr", "nl")
TELEGRAM_LIMIT = 30.0  # messages a second, overall
GOAL = 0.95
REPORT = Path(__file__).resolve().parents[2] / "docs" / "benchmark-announcement.md"
COORDINATOR = 7


async def newcomers(services: Services, count: int) -> None:
    now = to_db(services.clock())
    async with services.store.transaction() as db:
        for n in range(count):
            await db.execute(
                "INSERT INTO clients (reference, first_name, language, status, chat_id,"
                " telegram_user_id, consent_at, created_at)"
                " VALUES (?, 'Bench', ?, 'active', ?, ?, ?, ?)",
                (f"K-B{n:05d}", LANGUAGES[n % len(LANGUAGES)], 100_000 + n, 100_000 + n, now, now),
            )


async def measure(count: int, latency: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        config = Config(
            storage=StorageConfig(database=Path(folder) / "bench.db"),
            organisations=DEMO_ORGANISATIONS,
        )
        telegram = FakeTelegram(limits=True, latency=latency)
        application = build_application(config, request=telegram)
        telegram.attach(application)
        async with running(application):
            services = services_of(application)
            await newcomers(services, count)
            await add_staff(services.store, services.clock, telegram_user_id=COORDINATOR,
                            name="Kris", role=Role.COORDINATOR,
                            organisation=await find_organisation(services.store, "In-Gent"),
                            actor="bench")  # fmt: skip
            author = await find_staff(services.store, COORDINATOR)
            assert author is not None
            now = services.clock()
            plan = Plan(
                title="Werken in Vlaanderen",
                starts_at=now + dt.timedelta(days=7),
                place="In-Gent, Kongostraat 42, 9000 Gent",
                audience=Audience(),
                texts=template_texts(SessionKind.WORK),
                send_at=now,
                session_kind=SessionKind.WORK,
                title_from_kind=True,
            )
            started = time.monotonic()
            broadcast = await broadcasts.schedule(services, author, plan)
            services.broadcast_alarm.set(0)  # as the form does: the bot's own alarms do the rest
            while True:
                await asyncio.sleep(0.5)
                current = await broadcasts.get(services.store, broadcast.id)
                assert current is not None
                if current.status is BroadcastStatus.DONE:
                    break
                if time.monotonic() - started > 20 * 60:
                    raise TimeoutError("the announcement did not finish in 20 minutes")
            finished = time.monotonic()
            progress = await broadcasts.progress(services.store, broadcast.id)
        to_newcomers = [c for c in telegram.calls if c.method == "sendMessage"
                        and int(c.params["chat_id"]) >= 100_000]  # fmt: skip
        delivered = sorted(c.at for c in to_newcomers if c.outcome == "ok")
        edits = [c for c in telegram.calls if c.method == "editMessageText"]
        too_many = sum(c.outcome == "429" for c in telegram.calls)
        span = delivered[-1] - delivered[0]
        per_second = [
            sum(1 for at in delivered if second <= at - delivered[0] < second + 1)
            for second in range(int(span))
        ]
        return {
            "newcomers": count,
            "delivered": progress.sent,
            "failed": progress.failed,
            "seconds": span,
            "rate": (len(delivered) - 1) / span,
            "slowest_second": min(per_second) if per_second else 0,
            "median_second": statistics.median(per_second) if per_second else 0,
            "answers_429": too_many,
            "progress_edits": len(edits),
            "total_seconds": finished - started,
            "latency": latency,
        }


def write_report(result: dict[str, float], command: str) -> str:
    share = result["rate"] / TELEGRAM_LIMIT
    verdict = "met" if share >= GOAL and result["answers_429"] == 0 else "NOT met"
    reached = f"{result['delivered']:,.0f} of {result['newcomers']:,.0f}"
    rows = [
        ("Figure", "Value", "Goal"),
        ("---", "---", "---"),
        ("Newcomers reached", f"{reached} (failed: {result['failed']:.0f})", "all"),
        ("Sustained rate, first to last message",
         f"{result['rate']:.1f} messages/s = {share:.1%} of 30/s", "at least 95%"),
        ("Median second / slowest whole second",
         f"{result['median_second']:.0f} / {result['slowest_second']:.0f} messages", ""),
        ("429 answers from the stand-in", f"{result['answers_429']:.0f}", "none"),
        ("Edits of the coordinator's progress message", f"{result['progress_edits']:.0f}",
         "one every ~5 s"),
        ('From "send" to the report', f"{result['total_seconds']:.1f} s", ""),
    ]  # fmt: skip
    table = "\n".join("| " + " | ".join(row) + " |" for row in rows)
    text = f"""# Benchmark: an announcement to {result["newcomers"]:,.0f} newcomers

Written by `{command}` on {dt.date.today().isoformat()}.
Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()},
Python {platform.python_version()}.

The real Application (handlers, JobQueue alarms, outbox, dispatcher, PTB's AIORateLimiter)
sends one announcement through the offline Telegram stand-in with Telegram's limits
switched on: 30 messages a second overall, 1 a second per private chat; going over
answers 429 with retry_after. Each Bot API call takes {result["latency"] * 1000:.0f} ms.

{table}

Goals {verdict}.
"""
    REPORT.write_text(text, encoding="utf-8")
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--newcomers", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    result = asyncio.run(measure(args.newcomers, args.latency))
    command = "python -m tests.benchmarks.announcement_rate"
    if args.newcomers != 2000 or args.latency != 0.05:
        command += f" --newcomers {args.newcomers} --latency {args.latency}"
    print(write_report(result, command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
