"""Days from a newcomer's first intake to the next step with a partner: what the partners
report on ("tijdsduur van trajecten", the VDAB's monitoring answer, seeds/003).

What the data has, and so the definitions (README, "Figures"):
- a newcomer's **first intake** is their earliest appointment of the kind "Eerste gesprek"
  (duo-intake) that was not cancelled and not missed (no-show); its organisation is that of
  the staff member who planned it. A newcomer counts in the period their first intake
  falls in (a cohort), whatever happened after.
- **next appointment with another partner**: their earliest appointment after the intake,
  not cancelled and not missed, planned by staff of another organisation (one still ahead
  counts with its planned day; an imported one has no organisation and does not count);
- **handover taken over**: the first handover note about them taken over after the intake.
Days are calendar days in Brussels (an intake on Monday, the partner on Wednesday: 2).
Newcomers who did not get there (yet) are counted, not left out: "not yet".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import aiosqlite

from bot.appointments.records import Kind, Status
from bot.core.clock import from_db
from bot.core.worker_threads import heavy
from bot.figures.scope import Scope
from bot.storage.database import Store

NOT_HELD = (Status.CANCELLED.value, Status.NO_SHOW.value)


def percentile(ordered: Sequence[float], share: float) -> float:
    """The value below which `share` of `ordered` (sorted, not empty) lies, interpolated
    between neighbours as Excel's PERCENTILE.INC and LibreOffice's PERCENTILE do, so a
    partner can check it from the rows."""
    position = share * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


@dataclass(frozen=True)
class Spread:
    """Days, for the newcomers who got there: how many, the median and the middle half
    (from the 25th to the 75th percentile)."""

    count: int = 0
    median: float | None = None
    p25: float | None = None
    p75: float | None = None


def spread(days: Iterable[float]) -> Spread:
    ordered = sorted(days)
    if not ordered:
        return Spread()
    return Spread(
        len(ordered),
        percentile(ordered, 0.5),
        percentile(ordered, 0.25),
        percentile(ordered, 0.75),
    )


@dataclass(frozen=True)
class FromIntake:
    intakes: int = 0  # newcomers whose first intake was in the period
    to_partner: Spread = Spread()
    to_handover: Spread = Spread()


NO_INTAKES = FromIntake()


# One row per newcomer whose first intake starts in the period (bounds as parameters): the
# period's intakes by appointments_by_start_day, everything else by the newcomer's own
# appointments and notes (appointments_by_newcomer, handover_notes_by_client): a year of a
# city's intakes reads each newcomer's few rows, never a whole table.
_INTAKES = (
    "SELECT a.starts_at AS intake_at,"
    " (SELECT min(b.starts_at) FROM appointments b JOIN staff t ON t.id = b.created_by"
    "   WHERE b.newcomer_id = a.newcomer_id AND b.starts_at > a.starts_at"
    "   AND b.status NOT IN (?, ?) AND t.organisation_id IS NOT s.organisation_id) AS partner_at,"
    " (SELECT min(h.decided_at) FROM handover_notes h WHERE h.newcomer_id = a.newcomer_id"
    "   AND h.status = 'taken_over' AND h.decided_at >= a.starts_at) AS handover_at"
    " FROM appointments a LEFT JOIN staff s ON s.id = a.created_by"
    " WHERE a.starts_at >= ? AND a.starts_at < ? AND a.kind = ? AND a.status NOT IN (?, ?)"
    " AND NOT EXISTS (SELECT 1 FROM appointments e WHERE e.newcomer_id = a.newcomer_id"
    "   AND e.kind = a.kind AND e.status NOT IN (?, ?)"
    "   AND (e.starts_at < a.starts_at OR (e.starts_at = a.starts_at AND e.id < a.id)))"
)


async def from_intake(store: Store, start: str, end: str, tz: ZoneInfo, scope: Scope) -> FromIntake:
    """The period's first intakes (UTC bounds `start`, `end`) and the days to each step;
    with an organisation, the intakes its staff planned."""
    mine, parameters = scope.staff_in("a.created_by")
    rows = await store.fetch_all(
        _INTAKES + mine,
        (*NOT_HELD, start, end, Kind.DUO_INTAKE.value, *NOT_HELD, *NOT_HELD, *parameters),
    )
    return await heavy(lambda: _days(rows, tz))


def _days(rows: Iterable[aiosqlite.Row], tz: ZoneInfo) -> FromIntake:
    def day(text: str) -> dt.date:
        return from_db(text).astimezone(tz).date()

    intakes = 0
    to_partner: list[float] = []
    to_handover: list[float] = []
    for row in rows:
        intakes += 1
        intake = day(row["intake_at"])
        if row["partner_at"]:
            to_partner.append((day(row["partner_at"]) - intake).days)
        if row["handover_at"]:
            to_handover.append((day(row["handover_at"]) - intake).days)
    return FromIntake(intakes, spread(to_partner), spread(to_handover))
