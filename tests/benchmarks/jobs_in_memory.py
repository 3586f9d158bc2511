"""The approach most bots take instead: one JobQueue job per reminder, held in memory
(`job_queue.run_once` per reminder), against Schakel's reminders in the database with one
alarm for the next (bot/alarm.py).

Both are measured in fresh processes on the same reminders (the bot's planner, as for
section 4): memory, the time to start (schedule every job / open the database and set
the alarm), and what is left after the process is killed and started again.

    python -m tests.benchmarks.jobs_in_memory [--reminders 1000000] [--database PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import heapq
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.benchmarks import population
from tests.benchmarks.results import ROOT, Result, Table, save
from tests.benchmarks.scale import rss_mb

WITHIN = 300.0  # seconds: measure a million at once only if it takes about this at most
SMALL = 100_000
Reminder = tuple[dt.datetime, int, int, int]  # due, chat, appointment, offset in minutes


# --- the children ----------------------------------------------------------------------


def _planned(config: Any, now: dt.datetime, count: int, order: str) -> Iterator[Reminder]:
    """The first `count` reminders the bot plans, as (due, chat, appointment, offset): in
    due order (a bot that adds its jobs again at start-up, from a store, soonest first) or
    in the order they are planned (as appointments are made)."""
    per_slot = max(1, population.appointments_for(1_000_000, config) // (90 * 16))

    def planned(offset: int | None) -> Iterator[Reminder]:
        for reminder in population.future_reminders(config, now, per_slot):
            if reminder.status == "planned" and offset in (None, reminder.offset_minutes):
                assert reminder.due_at is not None
                yield (
                    reminder.due_at,
                    population.FIRST_CHAT_ID + reminder.appointment % 100_000,
                    reminder.appointment,
                    reminder.offset_minutes,
                )

    if order == "planned":
        return itertools.islice(planned(None), count)
    # Each offset's reminders come in due order already: merge the streams.
    offsets = [int(o.total_seconds() // 60) for o in config.reminders.offsets_for("duo_intake")]
    merged = heapq.merge(*(planned(offset) for offset in offsets), key=lambda r: r[0])
    return itertools.islice(merged, count)


async def _jobs(count: int, order: str) -> dict[str, Any]:
    """A typical PTB bot: every reminder is a run_once job with what it needs in `data`."""
    from telegram.ext import ApplicationBuilder, CallbackContext

    from bot.app.application import OFFLINE_TOKEN
    from bot.app.standin import FakeTelegram

    async def send_reminder(context: CallbackContext[Any, Any, Any, Any]) -> None:
        raise AssertionError("none is due during the measurement")

    config = population.config_for(Path("unused.db"))
    now = dt.datetime.now(dt.UTC)
    telegram = FakeTelegram()
    application = (
        ApplicationBuilder()
        .token(OFFLINE_TOKEN)
        .request(telegram)
        .get_updates_request(telegram)
        .build()
    )
    await application.initialize()
    await application.start()
    job_queue = application.job_queue
    assert job_queue is not None
    before, _ = rss_mb()
    # The reminders are made on the fly (the planner); that time is measured apart.
    started = time.perf_counter()
    for _ in _planned(config, now, count, order):
        pass
    planning = time.perf_counter() - started
    started = time.perf_counter()
    for due, chat, appointment, offset in _planned(config, now, count, order):
        job_queue.run_once(
            send_reminder,
            when=due,
            chat_id=chat,
            name=f"reminder:{appointment}:{offset}",
            data={"appointment": appointment, "offset": offset},
        )
    scheduled = time.perf_counter() - started
    await asyncio.sleep(0)  # the scheduler's wake-ups, one per job added, run now
    await asyncio.sleep(0)
    settled = time.perf_counter() - started
    after, peak = rss_mb()
    held = len(job_queue.scheduler.get_jobs())
    return {
        "count": count,
        "order": order,
        "held": held,
        "schedule_s": scheduled - planning,
        "settle_s": settled - scheduled,
        "start_s": settled - planning,
        "rss_before_mb": before,
        "rss_mb": after,
        "peak_mb": peak,
    }


async def _jobs_after_restart() -> dict[str, Any]:
    """The same bot started again: its JobQueue starts empty."""
    from telegram.ext import ApplicationBuilder

    from bot.app.application import OFFLINE_TOKEN
    from bot.app.standin import FakeTelegram

    telegram = FakeTelegram()
    application = (
        ApplicationBuilder()
        .token(OFFLINE_TOKEN)
        .request(telegram)
        .get_updates_request(telegram)
        .build()
    )
    async with application:
        await application.start()
        assert application.job_queue is not None
        held = len(application.job_queue.scheduler.get_jobs())
        await application.stop()
    return {"held": held}


async def _schakel(database: Path) -> dict[str, Any]:
    """Schakel on the database: start, count what waits, the alarm set for the next."""
    from bot.app.application import build_application, running
    from bot.app.standin import FakeTelegram
    from handlers.core.context import services_of

    before, _ = rss_mb()
    started = time.perf_counter()
    application = build_application(population.config_for(database), request=FakeTelegram())
    async with running(application):
        services = services_of(application)
        assert application.job_queue is not None
        while True:  # ready: the reminder alarm rang once and is set for the next reminder
            jobs = application.job_queue.get_jobs_by_name(services.reminder_alarm.name)
            if jobs and jobs[0].next_t is not None and jobs[0].next_t > dt.datetime.now(dt.UTC):
                break
            await asyncio.sleep(0.005)
        ready = time.perf_counter() - started
        planned = await services.store.fetch_int(
            "SELECT count(*) FROM reminders WHERE status = 'planned'"
        )
        after, peak = rss_mb()
        return {
            "start_s": ready,
            "held": planned,
            "jobs": len(application.job_queue.jobs()),
            "next": jobs[0].next_t.isoformat(),
            "rss_before_mb": before,
            "rss_mb": after,
            "peak_mb": peak,
        }


def child(what: str, argument: str) -> None:
    """Print the measurement as one JSON line, then wait to be killed (a crash)."""
    if what.startswith("jobs-in-"):  # jobs-in-due-order, jobs-in-planned-order
        result = asyncio.run(_jobs(int(argument), what.split("-")[2]))
    elif what == "jobs-again":
        result = asyncio.run(_jobs_after_restart())
    else:
        result = asyncio.run(_schakel(Path(argument)))
    print(json.dumps(result), flush=True)
    time.sleep(3600)


def run_and_kill(what: str, argument: str) -> dict[str, Any]:
    """Run a child until it reports, then SIGKILL it: nothing is shut down cleanly."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.jobs_in_memory", "--child", what, argument],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    if not line:
        sys.stderr.write(process.stderr.read())
        raise RuntimeError(f"the {what} process failed")
    result: dict[str, Any] = json.loads(line)
    return result


# --- the parent ------------------------------------------------------------------------


def per_job_kb(measured: dict[str, Any]) -> float:
    return float((measured["rss_mb"] - measured["rss_before_mb"]) * 1024 / measured["count"])


def measure(reminders: int, database: Path) -> Result:
    began = time.monotonic()
    measured = [run_and_kill("jobs-in-due-order", str(SMALL))]
    per_job = measured[0]["start_s"] / SMALL
    extrapolated = reminders > SMALL and per_job * reminders > WITHIN
    if reminders > SMALL:  # a million if it fits in WITHIN, else a quarter, extrapolated
        size = reminders // 4 if extrapolated else reminders
        measured.append(run_and_kill("jobs-in-due-order", str(size)))
    in_planned_order = run_and_kill("jobs-in-planned-order", str(SMALL))
    again = run_and_kill("jobs-again", "")
    schakel = run_and_kill("schakel", str(database))
    schakel_again = run_and_kill("schakel", str(database))

    largest = measured[-1]
    jobs_mb, jobs_start = largest["rss_mb"], largest["start_s"]
    if extrapolated:  # the line through the two measurements
        small, large = measured[0], measured[-1]
        share = (reminders - small["count"]) / (large["count"] - small["count"])
        jobs_mb = small["rss_mb"] + (large["rss_mb"] - small["rss_mb"]) * share
        jobs_start = small["start_s"] + (large["start_s"] - small["start_s"]) * share
    rows = [
        [
            f"{m['count']:,} jobs, added in due order",
            f"{m['start_s']:.1f} s (add {m['schedule_s']:.1f} s, wake-ups {m['settle_s']:.1f} s)",
            f"{m['rss_mb']:,.0f} MB (before: {m['rss_before_mb']:.0f} MB)",
            f"{per_job_kb(m):.2f} KB",
        ]
        for m in measured
    ]
    rows.append(
        [
            f"{SMALL:,} jobs, added in the order planned (not by due time)",
            f"{in_planned_order['start_s']:.1f} s",
            f"{in_planned_order['rss_mb']:,.0f} MB",
            f"{per_job_kb(in_planned_order):.2f} KB",
        ]
    )
    if extrapolated:
        rows.append(
            [
                f"{reminders:,} jobs (extrapolated linearly from "
                f"{SMALL:,} and {largest['count']:,})",
                f"{jobs_start:.0f} s",
                f"{jobs_mb:,.0f} MB",
                "",
            ]
        )
    jobs_table = Table(
        [
            "JobQueue, one job per reminder",
            "Time to schedule them all",
            "Resident memory",
            "Per job",
        ],
        rows,
    )
    compare = Table(
        [
            "",
            f"One job per reminder ({reminders:,})",
            f"Schakel: rows in SQLite, one alarm ({schakel['held']:,})",
        ],
        [
            [
                "Start-up",
                f"{jobs_start:.1f} s" + (" (extrapolated)" if extrapolated else ""),
                f"{schakel['start_s']:.2f} s",
            ],
            [
                "Resident memory",
                f"{jobs_mb:,.0f} MB" + (" (extrapolated)" if extrapolated else ""),
                f"{schakel['rss_mb']:.0f} MB",
            ],
            [
                "Reminders held while running",
                f"{largest['held']:,} jobs in memory",
                f"{schakel['held']:,} rows on disk; {schakel['jobs']} jobs in memory",
            ],
            [
                "After SIGKILL and a new start",
                f"**{again['held']} jobs**: every reminder is gone",
                f"{schakel_again['held']:,} reminders; the alarm set for the next "
                f"({schakel_again['next'][:16].replace('T', ' ')} UTC)",
            ],
        ],
    )
    return Result(
        name="jobs_in_memory",
        title="One job per reminder in memory, against reminders in the database",
        command="python -m tests.benchmarks.jobs_in_memory"
        + ("" if reminders == 1_000_000 else f" --reminders {reminders}"),
        about=(
            "Most Telegram bots remind with `job_queue.run_once(callback, when, data=...)` per "
            "reminder: PTB's JobQueue (APScheduler) holds each job in memory. Here a plain PTB "
            "Application (with the stand-in) schedules the reminders the bot's planner gives "
            "(the same as section 4's, soonest first), each job with a small "
            "`data` (appointment and offset; a bot that keeps the text in it needs more). "
            "Schakel instead keeps every reminder as a row and one JobQueue job for the next "
            "due moment. Each side runs in a fresh process, is killed with SIGKILL once "
            "measured, and is started again."
        ),
        tables=[jobs_table, compare],
        notes=[
            (
                "A million jobs took longer than "
                f"{WITHIN / 60:.0f} minutes to schedule here, so they were measured at "
                f"{', '.join(format(m['count'], ',') for m in measured)} and extrapolated "
                "linearly "
                "(memory and time per job stay about the same as the count grows)."
                if extrapolated
                else f"Measured at {SMALL:,} and at {reminders:,} jobs (no extrapolation)."
            ),
            "A job added while the scheduler runs also queues a wake-up on the event loop; "
            'those run when the loop is next free (the "wake-ups" time). APScheduler keeps '
            "its jobs in a list sorted by due time: added in due order each goes at the end; "
            "added in the order they were planned, each insert moves part of the list, which "
            "grows with the square of the count.",
            "After a restart the jobs approach must plan every reminder again from somewhere: "
            "if it kept them nowhere else, they are lost; Schakel only sets one alarm.",
        ],
        seconds=time.monotonic() - began,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reminders", type=int, default=1_000_000)
    parser.add_argument("--newcomers", type=int, default=100_000)
    parser.add_argument("--database", type=Path, help="Schakel's side (generated if missing)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or Path(folder) / "scale.db"
        if not database.exists():
            population.generate(database, args.newcomers, args.reminders)
        result = measure(args.reminders, database)
    save(result)
    for table in result.tables:
        print(table.markdown(), end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
