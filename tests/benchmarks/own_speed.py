"""The bot's own speed: the same announcement with the limits switched off (in the
stand-in and in the bot's rate limiter) and no API latency, so what is left is the work
the bot does per message: outbox rows, the dispatcher, PTB's request and answer.

    python -m tests.benchmarks.own_speed [--newcomers 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time

from tests.benchmarks.announce import announce, minimal_sender
from tests.benchmarks.results import Result, Table, at_least, save

GOAL = 1000.0  # messages a second on a 2-core machine
GOAL_RATIO = 0.6  # of a minimal sender's speed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--newcomers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    began = time.monotonic()
    outcomes = [
        asyncio.run(announce(args.newcomers, limits=False, latency=0.0)) for _ in range(args.runs)
    ]
    command = "python -m tests.benchmarks.own_speed"
    if args.newcomers != 10_000 or args.runs != 3:
        command += f" --newcomers {args.newcomers} --runs {args.runs}"
    rate = statistics.median(o.rate for o in outcomes)
    # The same messages, straight through httpx to the stand-in, after each run of the bot.
    ceilings = [asyncio.run(minimal_sender(o.requests)) for o in outcomes]
    ceiling = statistics.median(ceilings)
    ratio = rate / ceiling
    rows = [
        [
            f"run {n}",
            f"{o.delivered:,} of {o.newcomers:,}",
            f"{o.rate:,.0f}/s",
            f"{o.span:.1f} s",
            f"{o.release_seconds:.1f} s",
            f"{o.total_seconds:.1f} s",
            f"{o.cpu_per_message_ms:.2f} ms",
            f"{o.answers_429}",
            f"{ceilings[n - 1]:,.0f}/s",
            f"{o.rate / ceilings[n - 1]:.2f}",
        ]
        for n, o in enumerate(outcomes, 1)
    ]
    table = Table(
        [
            "",
            "Delivered",
            "Rate, first to last",
            "Sending took",
            'From "send" to the first',
            'From "send" to the report',
            "CPU per message",
            "429s",
            "A minimal sender, the same messages",
            "Ratio",
        ],
        rows,
    )
    cores = os.cpu_count() or 0
    result = Result(
        name="own_speed",
        title=f"The bot's own speed: {args.newcomers:,} messages with the limits off",
        command=command,
        about=(
            "The announcement of section 1, to more newcomers, with Telegram's limits switched "
            "off in the stand-in and in the bot's AIORateLimiter (an unlimited one), and no "
            "API latency: what remains is the bot's own work per message (release into the "
            "outbox, claim, PTB's request and the parsing of Telegram's answer, writing down "
            f"that it was sent) and the stand-in's, which is small. {args.runs} runs; the goal "
            f"is judged on the median. The machine has {cores} cores; CPU per message is the "
            'process\'s CPU time from "send" to the report divided by the messages. '
            "After each run the same messages (chat, text, buttons as the bot sent them) "
            "are posted by a minimal sender: httpx straight to the same stand-in (limits "
            "off), 32 at once like the dispatcher, no database, no outbox, no PTB; the "
            "ratio is the bot's rate over that one's."
        ),
        tables=[table],
        goals=[
            at_least(
                "Own speed: messages a second, limits off",
                rate,
                GOAL,
                "messages/s",
                shown=f"{rate:,.0f}/s (median of {args.runs})",
            ),
            at_least(
                "Own speed against a minimal sender (httpx straight to the stand-in)",
                ratio,
                GOAL_RATIO,
                "",
                shown=f"{ratio:.2f} ({rate:,.0f}/s against {ceiling:,.0f}/s)",
            ),
        ],
        notes=[
            "Where the time went (cProfile, before): one transaction per message to write down "
            "that it was sent (three round trips to SQLite's thread each), and PTB turning "
            "Telegram's answer into a Message (about 300 attribute sets a message). The "
            "dispatcher now writes down the sends that finished together in one transaction "
            "(a group commit, `SentLedger` in bot/sending/dispatcher.py); each send still "
            "returns only once its row is written, so the in-flight rule holds as before. "
            "Measured while making the change (5,000 newcomers, this shared machine): from "
            "about 1,100/s to about 1,900/s.",
            "Since issue 18 each row is also written down as handed to Telegram just before "
            "its request (`HandedLedger`, the same group commit), so that after a crash only "
            "those are flagged as possible duplicates: about 0.4 ms more CPU a message "
            "(1,687/s before, on the same machine).",
            "The release (one outbox row per newcomer, in one transaction) comes before the "
            'first message and is not in the rate; it is the "send" to first column.',
        ],
        seconds=time.monotonic() - began,
    )
    save(result)
    print(table.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
