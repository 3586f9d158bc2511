"""An announcement to 2,000 newcomers with Telegram's limits switched on in the stand-in
(30 messages a second overall, a burst of 3 then 1 a second per chat; going over answers
429 with retry_after). Reports the sustained rate against the 30/s limit and the 429s.

    python -m tests.benchmarks.announcement_rate [--newcomers 2000] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from tests.benchmarks.announce import announce
from tests.benchmarks.results import Goal, Result, Table, save

TELEGRAM_LIMIT = 30.0  # messages a second, overall
GOAL = 0.95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--newcomers", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    began = time.monotonic()
    out = asyncio.run(announce(args.newcomers, limits=True, latency=args.latency))
    command = "python -m tests.benchmarks.announcement_rate"
    if args.newcomers != 2000 or args.latency != 0.05:
        command += f" --newcomers {args.newcomers} --latency {args.latency}"
    share = out.rate / TELEGRAM_LIMIT
    points = (share - GOAL) * 100
    rate_goal = Goal(
        "Announcement: delivery rate with Telegram's limits on",
        "≥ 95% of 30/s",
        f"{out.rate:.1f}/s = {share:.1%} of 30/s",
        points >= 0,
        f"{abs(points):.1f} points {'above' if points >= 0 else 'below'}",
    )
    no_429 = Goal(
        "Announcement: 429 answers from the stand-in",
        "0",
        f"{out.answers_429}",
        out.answers_429 == 0,
        "none" if out.answers_429 == 0 else f"{out.answers_429} too many",
    )
    table = Table(
        ["Figure", "Value"],
        [
            ["Newcomers reached", f"{out.delivered:,} of {out.newcomers:,} (failed: {out.failed})"],
            [
                "Sustained rate, first to last message",
                f"{out.rate:.1f} messages/s = {share:.1%} of 30/s",
            ],
            [
                "Median second / slowest whole second",
                f"{out.median_second:.0f} / {out.slowest_second:.0f} messages",
            ],
            ["429 answers from the stand-in", f"{out.answers_429}"],
            [
                "Edits of the coordinator's progress message",
                f"{out.progress_edits} (one every ~5 s)",
            ],
            ['From "send" to the first message', f"{out.release_seconds:.1f} s"],
            ['From "send" to the report', f"{out.total_seconds:.1f} s"],
        ],
    )
    result = Result(
        name="announcement_rate",
        title=f"An announcement to {out.newcomers:,} newcomers, Telegram's limits on",
        command=command,
        about=(
            "The real Application (handlers, JobQueue alarms, outbox, dispatcher, PTB's "
            "AIORateLimiter) sends one announcement through the offline Telegram stand-in "
            "with Telegram's limits switched on: 30 messages a second overall, a burst of 3 "
            "then 1 a second per private chat; going over answers 429 with retry_after. "
            f"Each Bot API call takes {out.latency * 1000:.0f} ms. The rate is counted from "
            "the first to the last message a newcomer got."
        ),
        tables=[table],
        goals=[rate_goal, no_429],
        seconds=time.monotonic() - began,
    )
    save(result)
    print(table.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
