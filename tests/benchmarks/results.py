"""What every benchmark writes, and the one document made from it: docs/performance.md.

Each benchmark saves its figures as JSON in docs/bench/<name>.json (tables, goals with
their verdict, the command, the date and the machine); `render()` puts them together in
a fixed order. So one benchmark can be run again alone and the document stays whole.

    python -m tests.benchmarks.results   # render docs/performance.md again from the JSON
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sqlite3
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "bench"
DOCUMENT = ROOT / "docs" / "performance.md"
RUN = RESULTS / "run.json"  # the whole run: its command and how long it took
# The order of the sections; a benchmark not listed here comes last.
ORDER = (
    "announcement_rate",
    "own_speed",
    "reminder_lateness",
    "scale",
    "heavy_work",
    "worker_threads",
    "jobs_in_memory",
)


@dataclass
class Goal:
    what: str
    target: str
    measured: str
    met: bool
    margin: str  # by how much it is met or missed, in words

    @property
    def verdict(self) -> str:
        return f"met ({self.margin})" if self.met else f"**not met** ({self.margin})"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""

    def markdown(self) -> str:
        lines = ["| " + " | ".join(self.headers) + " |", "|" + " --- |" * len(self.headers)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return (f"{self.caption}\n\n" if self.caption else "") + "\n".join(lines)


@dataclass
class Result:
    name: str  # the module's name: the JSON file, and the place in ORDER
    title: str
    command: str
    about: str  # how it was measured, in a paragraph or two (Markdown)
    tables: list[Table] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0  # how long the benchmark ran
    date: str = ""
    machine: dict[str, str] = field(default_factory=dict)


def number(value: float) -> str:
    """As many digits as the size of the value needs: 1,447 / 8.7 / 0.16."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 1 else f"{value:.2f}"


def at_least(what: str, value: float, goal: float, unit: str, shown: str = "") -> Goal:
    """A goal of at least `goal`; `shown` is how the measured value reads (default: number)."""
    target = f"≥ {goal:,g} {unit}".strip()
    measured = shown or f"{number(value)} {unit}".strip()
    if value >= goal:
        margin = (
            f"{value / goal:.1f}× the goal"
            if value >= 1.5 * goal
            else f"{number(value - goal)} {unit} above"
        )
        return Goal(what, target, measured, True, margin)
    short = f"{number(goal - value)} {unit} short, {value / goal:.0%} of the goal"
    return Goal(what, target, measured, False, short)


def at_most(what: str, value: float, goal: float, unit: str, shown: str = "") -> Goal:
    """A goal of less than `goal`."""
    target = f"< {goal:,g} {unit}".strip()
    measured = shown or f"{number(value)} {unit}".strip()
    if value < goal:
        margin = (
            f"{goal / value:.1f}× under"
            if value > 0 and goal >= 1.5 * value
            else f"{number(goal - value)} {unit} under"
        )
        return Goal(what, target, measured, True, margin)
    over = f"{number(value - goal)} {unit} over, {value / goal:.1f}× the goal"
    return Goal(what, target, measured, False, over)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024**2:.1f} GB"
    except OSError:
        pass
    return "unknown"


def machine() -> dict[str, str]:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "ram": _ram(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "python-telegram-bot": metadata.version("python-telegram-bot"),
        "system": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "load": load,  # the load average when the benchmark began: other work on the machine
    }


def save(result: Result) -> Path:
    """Write the result as docs/bench/<name>.json (with today's date and this machine)."""
    result.date = result.date or dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    result.machine = result.machine or machine()
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{result.name}.json"
    path.write_text(json.dumps(asdict(result), indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path


def load_all() -> list[Result]:
    results = []
    for path in sorted(RESULTS.glob("*.json")):
        if path == RUN:
            continue
        data = json.loads(path.read_text("utf-8"))
        data["tables"] = [Table(**table) for table in data["tables"]]
        data["goals"] = [Goal(**goal) for goal in data["goals"]]
        results.append(Result(**data))
    place = {name: n for n, name in enumerate(ORDER)}
    return sorted(results, key=lambda r: (place.get(r.name, len(ORDER)), r.name))


def _machine_line(info: dict[str, str]) -> str:
    return (
        f"{info['cpu']}, {info['cores']} cores, {info['ram']} RAM; Python {info['python']}, "
        f"SQLite {info['sqlite']}, python-telegram-bot {info['python-telegram-bot']}; "
        f"{info['system']}"
    )


def save_run(command: str, seconds: float) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    RUN.write_text(json.dumps({"command": command, "seconds": seconds}) + "\n", "utf-8")


def render() -> str:
    results = load_all()
    run = json.loads(RUN.read_text("utf-8")) if RUN.exists() else {}
    command, total_seconds = run.get("command", "make bench"), run.get("seconds")
    machines = {_machine_line(r.machine) for r in results}
    dates = sorted(r.date for r in results)
    parts = [
        "# Performance",
        "",
        "Measured by the benchmarks in `tests/benchmarks/` (not part of `make test`). "
        f"Written by `{command}`"
        + (f" in {total_seconds / 60:.1f} minutes" if total_seconds else "")
        + (f", {dates[0]}" if len(set(dates)) == 1 else f", {dates[0]} to {dates[-1]}")
        + ".",
        "",
        "Machine: " + "; or ".join(sorted(machines)) + ".",
        "Load average (1, 5, 15 min) when each benchmark began, other work on the machine: "
        + "; ".join(f"{r.name} {r.machine['load']}" for r in results)
        + ".",
        "",
        "Each benchmark writes its figures to `docs/bench/<name>.json`; "
        "`python -m tests.benchmarks.results` renders this page from them, and "
        "`python -m tests.benchmarks.<name>` runs one benchmark again.",
        "",
        "## Goals",
        "",
        Table(
            ["Goal", "Target", "Measured", "Verdict"],
            [[g.what, g.target, g.measured, g.verdict] for r in results for g in r.goals],
        ).markdown(),
        "",
    ]
    for number, result in enumerate(results, 1):
        parts += [f"## {number}. {result.title}", "", result.about.strip(), ""]
        for table in result.tables:
            parts += [table.markdown(), ""]
        if result.goals:
            parts += ["Goals:", ""]
            parts += [
                f"- {g.what}: {g.measured}, target {g.target}: {g.verdict}." for g in result.goals
            ]
            parts.append("")
        parts += [f"- {note}" for note in result.notes]
        if result.notes:
            parts.append("")
        parts += [
            f"Command: `{result.command}` ({result.date}, {result.seconds:.0f} s).",
            "",
        ]
    text = "\n".join(parts).rstrip() + "\n"
    DOCUMENT.write_text(text, encoding="utf-8")
    return text


def main() -> int:
    render()
    print(f"wrote {DOCUMENT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
