"""A newcomer's `/help` while seconds of Python run on worker threads: with the
interpreter's usual switch interval (5 ms) and with the short one that
bot/core/worker_threads.py sets while heavy work runs (1 ms).

The real Application on a small generated database, with the stand-in (Telegram's limits
on); two worker threads do pure Python for a few seconds (as building an export's
workbook does), started once through plain `asyncio.to_thread` and once through the
bot's `heavy`; meanwhile newcomers send `/help`, one every 100 ms.

    python -m tests.benchmarks.worker_threads
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tests.benchmarks import population
from tests.benchmarks.results import Result, Table, at_most, save

BUSY_SECONDS = 4.0
THREADS = 2
PROBE_EVERY = 0.1
GOAL = 250.0  # ms, p99, as for the heavy work of section 5


def busy() -> int:
    """Pure Python for BUSY_SECONDS: the kind of work that keeps Python's lock."""
    until, total = time.monotonic() + BUSY_SECONDS, 0
    while time.monotonic() < until:
        total += sum(i * i for i in range(2_000))
    return total


async def run(database: Path) -> dict[str, list[float]]:
    from bot.app.application import build_application, running
    from bot.app.standin import ApiCall, FakeTelegram
    from bot.core.worker_threads import heavy
    from handlers.core.context import services_of

    config = population.config_for(database)
    telegram = FakeTelegram(limits=True)
    application = build_application(config, request=telegram)
    telegram.attach(application)
    arrived: dict[int, float] = {}

    def on_send(call: ApiCall) -> None:
        arrived[int(call.params["chat_id"])] = time.monotonic()

    telegram.on_send = on_send
    measured: dict[str, list[float]] = {}
    async with running(application):
        rows = await services_of(application).store.fetch_all(
            "SELECT telegram_user_id, first_name FROM newcomers WHERE status = 'active'"
            " AND consent_at IS NOT NULL AND chat_id IS NOT NULL ORDER BY id LIMIT 40"
        )
        probers = itertools.cycle(
            [telegram.user(row["telegram_user_id"], row["first_name"], "nl") for row in rows]
        )
        for _ in range(3):  # Babel's data and the catalogs loaded before measuring
            await telegram.send(next(probers), "/help")

        async def probe_while(work: Callable[[], Awaitable[Any]]) -> list[float]:
            task = asyncio.ensure_future(work())
            latencies = []
            while not task.done():
                prober = next(probers)
                arrived.pop(prober.id, None)
                sent = time.monotonic()
                await telegram.send(prober, "/help")
                while prober.id not in arrived:
                    await asyncio.sleep(0.002)
                latencies.append((arrived[prober.id] - sent) * 1000)
                await asyncio.sleep(PROBE_EVERY)
            await task
            return latencies

        async def idle() -> None:
            await asyncio.sleep(BUSY_SECONDS)

        async def plain_threads() -> None:
            await asyncio.gather(*(asyncio.to_thread(busy) for _ in range(THREADS)))

        async def heavy_threads() -> None:
            await asyncio.gather(*(heavy(busy) for _ in range(THREADS)))

        measured["nothing else"] = await probe_while(idle)
        for _ in range(2):  # alternated: a machine shared with other work changes meanwhile
            measured.setdefault("usual", []).extend(await probe_while(plain_threads))
            measured.setdefault("short", []).extend(await probe_while(heavy_threads))
    return measured


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    argparse.ArgumentParser(description=__doc__).parse_args()
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "small.db"
        population.generate(database, 400, 2_000)
        measured = asyncio.run(run(database))
    labels = {
        "nothing else": "nothing else",
        "usual": f"{THREADS} worker threads, `asyncio.to_thread` (switch interval 5 ms)",
        "short": f"{THREADS} worker threads, the bot's `heavy` (switch interval 1 ms)",
    }
    table = Table(
        ["While", "`/help` answered: p50 / p99 / max", "Probes"],
        [
            [
                labels[key],
                f"{statistics.median(values):.0f} / {_quantile(values, 0.99):.0f} / "
                f"{max(values):.0f} ms",
                f"{len(values)}",
            ]
            for key, values in measured.items()
        ],
    )
    usual, short = _quantile(measured["usual"], 0.99), _quantile(measured["short"], 0.99)
    result = Result(
        name="worker_threads",
        title="Replies beside seconds of Python on worker threads",
        command="python -m tests.benchmarks.worker_threads",
        about=(
            "The real Application on a small generated database (400 newcomers), with the "
            f"stand-in, Telegram's limits on. {THREADS} worker threads do pure Python for "
            f"{BUSY_SECONDS:.0f} s (as building an export's workbook does), twice through "
            "plain `asyncio.to_thread` and twice through the bot's `heavy` "
            "(bot/core/worker_threads.py, which shortens the interpreter's switch interval "
            "while such work runs), alternated; a newcomer's `/help` every "
            f"{PROBE_EVERY * 1000:.0f} ms meanwhile, from the update to the stand-in receiving "
            "the answer. Each trip of a reply to SQLite's thread gives Python's lock away, "
            "and beside a busy thread taking it back waits up to the switch interval."
        ),
        tables=[table],
        goals=[
            at_most(
                "Worker threads: `/help` p99 beside heavy work through `heavy`",
                short,
                GOAL,
                "ms",
                shown=f"{short:.0f} ms (through plain `asyncio.to_thread`: {usual:.0f} ms)",
            )
        ],
        seconds=time.monotonic() - began,
    )
    save(result)
    print(table.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
