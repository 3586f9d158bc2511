"""The mutation run (`make mutation`; not part of `make bench`: a whole run takes over an
hour): mutmut over the modules that hold the rules (`[tool.mutmut]` in pyproject.toml), then
its score and every mutant that was not killed written into docs/testing.md, between the
markers of its block.

    python -m tests.benchmarks.mutation            # run (a second run retries only what changed)
    python -m tests.benchmarks.mutation "bot.core.redaction*"  # these mutants only (again)
    python -m tests.benchmarks.mutation --report   # write the block again from the last run

mutmut keeps its results in mutants/ (<module>.py.meta: each mutant's exit code)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "testing.md"
BEGIN, END = "<!-- mutation:begin -->", "<!-- mutation:end -->"
MUTMUT = str(Path(sys.executable).with_name("mutmut"))
GOAL = 0.90  # of the mutants, killed

# mutmut's exit codes (mutmut/stats.py): 1 and 3 a failing test, 0 all tests passed.
_STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
           36: "timeout", 37: "caught by type check", None: "not checked"}  # fmt: skip
_SQL = re.compile(r"\b(SELECT|UPDATE|INSERT|DELETE|WHERE|VALUES|CONFLICT|SET)\b", re.IGNORECASE)
# A piece of a longer statement, in its own string literal: " sum(x IN (...)) AS n,".
_SQL_WORDS = re.compile(
    r'^\s*f?"[^"]*\b(AS|IN|AND|OR|IS|NULL|ORDER BY|GROUP BY|DESC|FROM|JOIN|LIMIT|CASE|WHEN)\b',
)
_QUOTED = re.compile(r"'[^']*'")
_PLACEHOLDER = re.compile(r"\{[^}]*\}")  # {name} in an f-string or a format
# A line of an SQL statement split over several string literals: `" attempts = ?, ..."`.
_SQL_PIECE = re.compile(r'\s*f?"[^"]*(\?|\b\w+ = \w+)[^"]*",?\s*$')
_ROW_KEY = re.compile(r'row\["\w+"\]', re.IGNORECASE)


def _status(code: int | None) -> str:
    if code in (24, -24, 152, 255):
        return "timeout"
    return _STATUS.get(code, "suspicious")


def results() -> dict[str, dict[str, str]]:
    """Per mutated module (its path), each mutant's name and status."""
    found: dict[str, dict[str, str]] = {}
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(ROOT / "mutants")).removesuffix(".meta")
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        found[module] = {name: _status(code) for name, code in codes.items()}
    return found


def _changed_lines(name: str) -> str:
    """The mutant as its changed lines (- before, + after), as `mutmut show` has them."""
    os.chdir(ROOT)  # mutmut reads its configuration and results from here
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    lines = [
        line.rstrip()
        for line in get_diff_for_mutant(name).splitlines()
        if line[:1] in "-+" and not line.startswith(("---", "+++"))
    ]
    return "\n".join(lines) or "(no diff shown)"


# Functions called only while their module is imported (to build a module-level table).
# mutmut switches a mutant on when its function is called, after the import, so these
# mutants never run and "survive"; applied by hand (the source edited, the tests run),
# they fail the unit tests (docs/testing.md, "The survivors, explained").
IMPORT_TIME = {
    "bot.core.redaction": {"_gap_rule"},
    "handlers.core.permissions": {"_button", "_command", "_newcomer", "_planners", "_staff"},
}
NEVER_RUN = "called only at import, where mutmut cannot switch a mutant on"


def _function(name: str) -> tuple[str, str]:
    """(module, function) of a mutant's name: handlers.core.permissions.x__command__mutmut_3."""
    module, _, mangled = name.rpartition(".")
    return module, mangled.removeprefix("x_").rsplit("__mutmut_", 1)[0]


# Survivors that behave exactly as the code does, each with why (looked at one by one; a
# mutant's name stays as long as its function does not change).
_SAME_FIRST_PART = '`split("@", n)[0]` is the part before the first @ for any n'
_NOTHING_MATCHES_EITHER = 'neither "" nor "XXXX" starts with any button\'s prefix'
_ONLY_THE_ID = 'of the Message made for an edit Telegram found "not modified", only its id is read'
EQUIVALENT = {
    **{
        f"bot.sending.dispatcher.xǁDispatcherǁ_edit__mutmut_{n}": _ONLY_THE_ID
        for n in (40, 41, 45, 46, 47, 50)
    },
    **{
        name: "`postpone` reads `retry` as true or false, and None is false"
        for name in (
            "bot.sending.dispatcher.xǁDispatcherǁ_send_sms__mutmut_78",
            "bot.sending.dispatcher.xǁDispatcherǁ_send_sms__mutmut_115",
            "bot.sending.dispatcher.xǁDispatcherǁ_send_sms_in_turn__mutmut_20",
        )
    },
    **{
        f"bot.appointments.reminder_plan.x_plan_reminders__mutmut_{n}": (
            "unreachable: a reminder in quiet hours always has an earlier edge before the"
            " appointment (a guard for a configuration that would break that)"
        )
        for n in range(25, 31)
    },
    **{
        name: "the same moment in another zone: it is compared and stored as a moment"
        for name in (
            "bot.appointments.reminder_plan.x__out_of_quiet__mutmut_47",
            "bot.appointments.reminder_plan.x_plan_reminders__mutmut_54",
        )
    },
    "bot.appointments.reminder_plan.x__out_of_quiet__mutmut_6": (
        "start equal to end: nothing is quiet, and `_out_of_quiet` returns before it"
    ),
    **{
        f"bot.appointments.reminder_plan.x_may_leave_from__mutmut_{n}": (
            "the next morning's end is always after due_at (at most an hour after a start"
            " in the evening), so min() gives due_at whatever zone the end is read in"
        )
        for n in (22, 25)
    },
    "bot.appointments.reminder_plan.x_may_leave_from__mutmut_31": (
        "the same moment in another zone: it is compared and stored as a moment"
    ),
    "bot.appointments.reminder_plan.x_may_leave_from__mutmut_18": (
        "the end of quiet hours is not quiet, so a moment in quiet hours never equals it"
    ),
    "bot.appointments.reminders.x__prepare__mutmut_8": (
        "a reminder is deleted with its appointment (ON DELETE CASCADE): never without one"
    ),
    "bot.sending.dispatcher.xǁDispatcherǁrun_due__mutmut_15": (
        "the pause's end equal to the loop's clock to the last bit: never in practice"
    ),
    "bot.sending.dispatcher.xǁDispatcherǁ_send_sms__mutmut_68": (
        "a pause is a difference of two readings of the loop's clock: never exactly 0"
    ),
    "bot.sending.dispatcher.xǁDispatcherǁ_send_sms__mutmut_87": (
        "sleeping 0 s or less returns at once, as not sleeping does"
    ),
    "bot.sending.dispatcher.xǁDispatcherǁ_send_sms_in_turn__mutmut_6": (
        "with SMS off, 0 and 1 are both under the wait a person may take (1.5 s)"
    ),
    "handlers.core.permissions.x_message_entry__mutmut_11": _SAME_FIRST_PART,
    "handlers.core.permissions.x_message_entry__mutmut_14": _SAME_FIRST_PART,
    "handlers.core.permissions.x_entry_for__mutmut_4": _NOTHING_MATCHES_EITHER,
    "handlers.core.permissions.x__retired_button__mutmut_6": _NOTHING_MATCHES_EITHER,
    "bot.announcements.audiences.x_clean_tag__mutmut_8": (
        "an empty tag fails the pattern, which wants a first letter or digit, either way"
    ),
    "bot.announcements.audiences.x_clean_tag__mutmut_13": (
        "nobody reads what a BadTag carries: the handlers word the refusal themselves"
    ),
}


def why_not_counted(name: str, changed: str) -> str | None:
    module, function = _function(name)
    if function in IMPORT_TIME.get(module, set()):
        return NEVER_RUN
    return EQUIVALENT.get(name) or why_equivalent(changed)


def why_equivalent(changed: str) -> str | None:
    """A survivor that changes nothing a person or the database could tell, or None.

    SQLite reads keywords and the names of tables and columns in any case, so a mutant
    that only upper- or lowercases an SQL text is the same program (unless it changes a
    quoted value, such as 'sending'). A log line's wording is not a rule."""
    before = [line[1:] for line in changed.splitlines() if line.startswith("-")]
    after = [line[1:] for line in changed.splitlines() if line.startswith("+")]
    if len(before) != len(after) or not before:
        return None
    pairs = list(zip(before, after, strict=True))
    if all(_same_sql(old, new) for old, new in pairs):
        return "SQL in another case: the same statement to SQLite"
    if all(_same_column(old, new) for old, new in pairs):
        return "a column name in another case: a database row finds it in any case"
    if all("logger." in old for old in before):
        return "the wording of a log line"
    return None


def _same_sql(old: str, new: str) -> bool:
    return (
        old != new
        and old.lower() == new.lower()
        and (
            bool(_SQL.search(old))
            or _SQL_PIECE.match(old) is not None
            or _SQL_WORDS.match(old) is not None
        )
        and _QUOTED.findall(old) == _QUOTED.findall(new)
        and _PLACEHOLDER.findall(old) == _PLACEHOLDER.findall(new)
    )


def _same_column(old: str, new: str) -> bool:
    """`row["id"]` and `row["ID"]` (sqlite3.Row looks a name up in any case)."""
    return (
        old != new and old.lower() == new.lower() and _ROW_KEY.sub("", old) == _ROW_KEY.sub("", new)
    )


CAUGHT = ("killed", "timeout", "caught by type check")


def score(counts: Counter[str]) -> tuple[int, int]:
    """(killed, counted): every mutant counts but those skipped on purpose. A mutant no
    selected test reaches counts as not killed: the suite would not catch that bug. A
    timeout is caught: with that bug the tests hang (mutmut stops them at 30 times their
    usual time), and a suite that does not finish does not pass."""
    counted = sum(n for status, n in counts.items() if status not in ("skipped", "not checked"))
    return sum(counts[status] for status in CAUGHT), counted


def report(seconds: float | None) -> str:
    found = results()
    if not found:
        return "(The mutation run has not written its results here yet.)"
    total: Counter[str] = Counter()
    rows = ["| module | mutants | killed | of them by timeout | survived | no test reaches it"
            " | other | score |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for module, mutants in found.items():
        counts = Counter(mutants.values())
        total += counts
        killed, counted = score(counts)
        other = counted - killed - counts["survived"] - counts["no tests"]  # suspicious
        rows.append(
            f"| `{module}` | {counted} | {killed} | {counts['timeout']} | {counts['survived']}"
            f" | {counts['no tests']}"
            f" | {other} | {killed / max(counted, 1):.1%} |"
        )
    killed, counted = score(total)
    rate = killed / max(counted, 1)
    verdict = "met" if rate >= GOAL else "**not met**"
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    took = f" in {seconds / 60:.0f} minutes" if seconds is not None else ""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        f"Last run{took}, written {when}; machine: {os.cpu_count()} cores, load average"
        f" (1, 5, 15 min) at the end {load}.",
        "",
        f"**Score: {killed} of {counted} mutants killed, {rate:.1%}** (goal {GOAL:.0%}:"
        f" {verdict}). Not counted: {total['not checked']} not checked,"
        f" {total['skipped']} skipped.",
        "",
    ]
    if total["not checked"]:
        lines += [
            f"**This run was stopped before its end**: {total['not checked']} mutants were not"
            " checked, so the score is of those checked only.",
            "",
        ]
    lines += [
        *rows,
        "",
    ]
    unreached = Counter(
        ".".join(_function(name))
        for mutants in found.values()
        for name, status in mutants.items()
        if status == "no tests"
    )
    if unreached:
        lines += [
            f"No test of the run calls these functions ({sum(unreached.values())} mutants):"
            + ", ".join(f" `{function}` ({n})" for function, n in sorted(unreached.items()))
            + ".",
            "",
        ]
    left = [
        (name, status, _changed_lines(name))
        for mutants in found.values()
        for name, status in mutants.items()
        if status not in (*CAUGHT, "skipped", "not checked", "no tests")
    ]
    explained = [
        (name, why) for name, _, changed in left if (why := why_not_counted(name, changed))
    ]
    if explained:
        reasons = Counter(why for _, why in explained)
        lines += [
            f"Of the survivors, {len(explained)} are equivalent or never run by mutmut:"
            + "".join(f" {n} × {why};" for why, n in reasons.items()).rstrip(";")
            + f". Without them the score is {killed} of {counted - len(explained)},"
            f" {killed / max(counted - len(explained), 1):.1%}.",
            "",
        ]
    named = dict(explained)
    rest = [(name, status, changed) for name, status, changed in left if name not in named]
    if rest:
        lines += [f"The other {len(rest)} survivors, each as the lines it changes:", "", "```diff"]
        for name, status, changed in rest:
            lines += [f"# {name} ({status})", changed]
        lines += ["```"]
    return "\n".join(lines)


def write(block: str) -> None:
    text = DOCUMENT.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOCUMENT.write_text(f"{head}{BEGIN}\n{block}\n{END}{tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="only write the last results")
    parser.add_argument("names", nargs="*", help="mutants to run (again), e.g. 'bot.core.*'")
    # One mutant at a time by default: the machine is shared (other test runs beside it).
    parser.add_argument("--max-children", type=int, default=1)
    arguments = parser.parse_args()
    seconds = None
    if not arguments.report:
        began = time.monotonic()
        subprocess.run(
            [MUTMUT, "run", "--max-children", str(arguments.max_children), *arguments.names],
            cwd=ROOT,
            check=True,
        )
        seconds = time.monotonic() - began
    write(report(seconds))
    print(f"wrote the mutation score to {DOCUMENT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
