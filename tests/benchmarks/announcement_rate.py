"""An announcement to 2,000 newcomers with Telegram's limits switched on in the strict
stand-in, ten times over. The stand-in counts each message when it arrives (after the
latency): 30 in any one-second window overall, 20 in any minute per group, about one a
second per private chat, sends and edits alike; going over answers 429 with
retry_after (docs/standin.md). Reports per run the sustained rate against the 30/s
limit, the 429s and the busiest one-second window as the stand-in saw it.

    python -m tests.benchmarks.announcement_rate [--newcomers 2000] [--latency 0.05] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from tests.benchmarks.announce import Outcome, announce
from tests.benchmarks.results import Goal, Result, Table, save

TELEGRAM_LIMIT = 30.0  # messages a second, overall
GOAL = 0.95
NEWCOMERS, LATENCY, RUNS = 2000, 0.05, 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--newcomers", type=int, default=NEWCOMERS)
    parser.add_argument("--latency", type=float, default=LATENCY)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    began = time.monotonic()
    runs: list[Outcome] = []
    for n in range(args.runs):
        out = asyncio.run(announce(args.newcomers, limits=True, latency=args.latency))
        print(
            f"run {n + 1}: {out.rate:.1f}/s = {out.rate / TELEGRAM_LIMIT:.1%} of 30/s,"
            f" {out.answers_429} × 429, busiest second {out.busiest_window}",
            flush=True,
        )
        runs.append(out)
    command = "python -m tests.benchmarks.announcement_rate"
    if (args.newcomers, args.latency, args.runs) != (NEWCOMERS, LATENCY, RUNS):
        command += f" --newcomers {args.newcomers} --latency {args.latency} --runs {args.runs}"
    slowest = min(runs, key=lambda out: out.rate)
    share = slowest.rate / TELEGRAM_LIMIT
    points = (share - GOAL) * 100
    rate_goal = Goal(
        "Announcement: delivery rate with Telegram's limits on (slowest of the runs)",
        "≥ 95% of 30/s",
        f"{slowest.rate:.1f}/s = {share:.1%} of 30/s",
        points >= 0,
        f"{abs(points):.1f} points {'above' if points >= 0 else 'below'}",
    )
    refused = sum(out.answers_429 for out in runs)
    with_429 = sum(out.answers_429 > 0 for out in runs)
    no_429 = Goal(
        "Announcement: 429 answers from the strict stand-in",
        f"0 in {len(runs)} runs",
        f"{refused} ({with_429} of {len(runs)} runs with any)",
        refused == 0,
        "none" if refused == 0 else f"{refused} too many",
    )
    busiest = max(out.busiest_window for out in runs)
    per_run = Table(
        [
            "Run",
            "Sustained rate",
            "429 answers",
            "Busiest one-second window",
            "Median / slowest whole second",
            'From "send" to the first message',
            'From "send" to the report',
        ],
        [
            [
                f"{n + 1}",
                f"{out.rate:.1f}/s = {out.rate / TELEGRAM_LIMIT:.1%}",
                f"{out.answers_429}",
                f"{out.busiest_window}",
                f"{out.median_second:.0f} / {out.slowest_second:.0f}",
                f"{out.release_seconds:.1f} s",
                f"{out.total_seconds:.1f} s",
            ]
            for n, out in enumerate(runs)
        ],
        caption=f"Each run: a new database, bot and stand-in; {args.newcomers:,} newcomers.",
    )
    summary = Table(
        ["Figure", "Value"],
        [
            [
                "Newcomers reached, every run",
                f"{min(out.delivered for out in runs):,} of {args.newcomers:,}"
                f" (failed: {max(out.failed for out in runs)})",
            ],
            [
                "Sustained rate, first to last message (slowest / fastest run)",
                f"{slowest.rate:.1f} / {max(out.rate for out in runs):.1f} messages/s",
            ],
            ["429 answers from the stand-in, all runs", f"{refused}"],
            [
                "Every message Telegram counted over that span, sends and edits (slowest run)",
                f"{min(out.rate_all for out in runs):.1f} messages/s",
            ],
            [
                "Busiest one-second window as the stand-in counted (any run; the limit is 30)",
                f"{busiest}",
            ],
            [
                "Edits of the coordinator's progress message (per run)",
                f"{min(out.progress_edits for out in runs)}-"
                f"{max(out.progress_edits for out in runs)} (one every ~5 s)",
            ],
        ],
    )
    result = Result(
        name="announcement_rate",
        title=(
            f"An announcement to {args.newcomers:,} newcomers, Telegram's limits on,"
            f" {len(runs)} runs"
        ),
        command=command,
        about=(
            "The real Application (handlers, JobQueue alarms, outbox, dispatcher, and the "
            "bot's own pacing, bot/sending/pacing.py) sends one announcement through the "
            "offline Telegram stand-in with Telegram's limits switched on, as strictly as "
            "Telegram counts them: each message when it arrives (after the latency and any "
            "delay of the event loop), at most 30 in any one-second window overall, 20 in any "
            "minute per group, about one a second per private chat, sends and edits alike; "
            "going over answers 429 with retry_after (docs/standin.md). "
            f"Each Bot API call takes {args.latency * 1000:.0f} ms to arrive. The rate is "
            "counted from the first to the last message a newcomer got (the progress edits "
            "in between are not counted in it, though they take places of the 30)."
        ),
        tables=[summary, per_run],
        goals=[rate_goal, no_429],
        seconds=time.monotonic() - began,
    )
    save(result)
    print(summary.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
