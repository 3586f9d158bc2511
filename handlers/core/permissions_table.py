"""The table "who may do what" in docs/security.md, written from handlers/core/permissions.py.

    python -m handlers.core.permissions_table          # rewrite the table in docs/security.md
    python -m handlers.core.permissions_table --check  # exit 1 when the table is out of date

Only the part between the two markers is rewritten; the rest of the document is prose.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from handlers.core.permissions import ENTRIES, FALLBACKS, Entry, Kind, Who

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "security.md"
START = "<!-- permissions table: start (python -m handlers.core.permissions_table) -->"
END = "<!-- permissions table: end -->"
ROLES = tuple(Who)


def _name(entry: Entry) -> str:
    if entry.kind is Kind.BUTTON:
        return f"`{entry.key}…`"
    if entry.kind is Kind.INVITE:
        return f"`{entry.key}…` (link)"
    if entry.kind is Kind.MENU:
        return f"{entry.key} (menu)"
    if entry.kind is Kind.TEXT:
        return "typed text"
    return f"`{entry.key}`"


def _cell(entry: Entry, who: Who) -> str:
    if who in entry.allowed:
        note = entry.allowed[who]
        return f"✅ {note}" if note else "✅"
    if who in entry.refused_inside:
        return f"— ({entry.refused_inside[who]})"
    return "—"


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    head = ["command or button", "what", *(who.value for who in ROLES), "in the partner group"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for entry in ENTRIES:
        cells = [
            _name(entry),
            entry.what,
            *(_cell(entry, who) for who in ROLES),
            "✅" if entry.in_groups else "—",
        ]
        lines.append("| " + " | ".join(_escape(cell) for cell in cells) + " |")
    lines.append("")
    lines += [f"- {what}" for what in FALLBACKS.values()]
    return "\n".join(lines)


def with_table(document: str) -> str:
    """The document with the part between the markers replaced by the current table."""
    before, start, rest = document.partition(START)
    _, end, after = rest.partition(END)
    if not start or not end:
        raise ValueError(f"the markers {START!r} and {END!r} are missing")
    return f"{before}{START}\n{markdown()}\n{END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when out of date")
    parser.add_argument("--document", type=Path, default=DOCUMENT)
    args = parser.parse_args(argv)
    current = args.document.read_text(encoding="utf-8")
    wanted = with_table(current)
    if args.check:
        if wanted != current:
            print(
                f"{args.document}: the permissions table is out of date; run "
                "python -m handlers.core.permissions_table"
            )
            return 1
        return 0
    if wanted != current:
        args.document.write_text(wanted, encoding="utf-8")
        print(f"{args.document}: permissions table rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
