"""Every benchmark, each in its own process, then docs/performance.md (`make bench`).

The scale database (100,000 newcomers, a million reminders) is generated once and used
by the scale benchmark, the heavy work beside the chats and the comparison with one job
per reminder.

    python -m tests.benchmarks
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.results import DOCUMENT, ROOT, render, save_run

BUDGET = 40 * 60  # seconds: the whole run must stay under this, on a shared 2-core machine too


def run(module: str, *arguments: str) -> None:
    began = time.monotonic()
    print(f"== {module} {' '.join(arguments)}".rstrip(), flush=True)
    subprocess.run(
        [sys.executable, "-m", f"tests.benchmarks.{module}", *arguments], check=True, cwd=ROOT
    )
    print(f"== {module}: {time.monotonic() - began:.0f} s\n", flush=True)


def main() -> int:
    began = time.monotonic()
    run("announcement_rate")
    run("own_speed")
    run("reminder_lateness")
    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "scale.db")
        run("scale", "--database", database)
        run("heavy_work", "--database", database)
        run("worker_threads")
        run("jobs_in_memory", "--database", database)
    seconds = time.monotonic() - began
    save_run("make bench", seconds)
    render()
    print(f"wrote {DOCUMENT.relative_to(ROOT)} in {seconds / 60:.1f} minutes")
    if seconds > BUDGET:
        print(f"over the {BUDGET // 60}-minute budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
