"""How long to keep something, as written in the configuration: '90d', '2y' or 'keep'."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

KEEP = "keep"
_PERIOD = re.compile(r"^\s*(\d+)\s*([dy])\s*$")
_UNIT_NAMES = {"d": "day", "y": "year"}


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str  # "d" days, "y" calendar years

    @property
    def shortest_days(self) -> int:
        """The fewest days this period can be (a year is at least 365 days)."""
        return self.amount * (365 if self.unit == "y" else 1)

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        """The moment this long before `now`: what is older than it may go."""
        if self.unit == "d":
            return now - dt.timedelta(days=self.amount)
        try:
            return now.replace(year=now.year - self.amount)
        except ValueError:  # 29 February in a year without one
            return now.replace(year=now.year - self.amount, day=28)

    def __str__(self) -> str:
        name = _UNIT_NAMES[self.unit]
        return f"{self.amount} {name}{'' if self.amount == 1 else 's'}"


def parse_period(text: str) -> Period | None:
    """'90d' -> 90 days, '2y' -> two calendar years, 'keep' -> None (never removed)."""
    if text.strip().lower() == KEEP:
        return None
    match = _PERIOD.match(text)
    if match is None or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not a retention like 90d, 2y or keep")
    return Period(int(match.group(1)), match.group(2))
