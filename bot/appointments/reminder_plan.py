"""When the reminders of one appointment are due.

Offsets of whole days keep the local clock time ("the day before" at 10:00 is 10:00,
also across a daylight-saving switch); other offsets ("two hours before") are exact.
A reminder due in quiet hours moves to the nearest edge of them that is still before
the appointment (so an evening reminder stays the evening before). A reminder whose
moment has passed when the appointment is made is skipped, with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DEFAULT_OFFSETS = (dt.timedelta(days=3), dt.timedelta(days=1), dt.timedelta(hours=2))
SKIPPED_PAST = "its moment had passed when the appointment was made"
SKIPPED_SAME = "falls at the same moment as another reminder"
SKIPPED_QUIET = "no moment outside quiet hours before the appointment"


@dataclass(frozen=True)
class PlannedReminder:
    offset: dt.timedelta
    due_at: dt.datetime | None  # UTC; None when skipped
    skipped: str | None = None
    moved: bool = False  # moved out of quiet hours


@dataclass(frozen=True)
class QuietHours:
    start: dt.time  # e.g. 21:00
    end: dt.time  # e.g. 08:00 (the next morning when end < start)

    def contains(self, clock: dt.time) -> bool:
        if self.start <= self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end


def _before(starts_at: dt.datetime, offset: dt.timedelta, tz: ZoneInfo) -> dt.datetime:
    if offset % dt.timedelta(days=1) == dt.timedelta(0):
        local = starts_at.astimezone(tz)
        wall = local.replace(tzinfo=None) - offset  # same clock time, earlier day
        return wall.replace(tzinfo=tz)
    return starts_at - offset


def _out_of_quiet(
    due: dt.datetime, starts_at: dt.datetime, quiet: QuietHours, tz: ZoneInfo
) -> dt.datetime | None:
    local = due.astimezone(tz)
    if not quiet.contains(local.timetz().replace(tzinfo=None)):
        return due
    # The quiet period around `local`; over midnight it began the evening before.
    wraps = quiet.start > quiet.end
    start_day = local.date()
    if wraps and local.time() < quiet.start:
        start_day -= dt.timedelta(days=1)
    end_day = start_day + dt.timedelta(days=1) if wraps else start_day
    quiet_start = dt.datetime.combine(start_day, quiet.start, tzinfo=tz)
    quiet_end = dt.datetime.combine(end_day, quiet.end, tzinfo=tz)
    # Just before the quiet hours start, or when they end, whichever is nearer.
    earlier = quiet_start - dt.timedelta(minutes=1)
    candidates = sorted((quiet_end, earlier), key=lambda edge: abs(edge - local))
    for edge in candidates:
        if edge < starts_at:
            return edge.astimezone(dt.UTC)
    return None


def plan_reminders(
    starts_at: dt.datetime,
    now: dt.datetime,
    tz: ZoneInfo,
    quiet: QuietHours,
    offsets: Sequence[dt.timedelta] = DEFAULT_OFFSETS,
) -> list[PlannedReminder]:
    """One entry per offset, earliest reminder first."""
    planned: list[PlannedReminder] = []
    taken: set[dt.datetime] = set()
    for offset in sorted(offsets, reverse=True):
        wanted = _before(starts_at, offset, tz)
        due = _out_of_quiet(wanted, starts_at, quiet, tz)
        if due is None:
            planned.append(PlannedReminder(offset, None, SKIPPED_QUIET))
        elif due <= now:
            planned.append(PlannedReminder(offset, None, SKIPPED_PAST))
        elif due in taken:
            planned.append(PlannedReminder(offset, None, SKIPPED_SAME))
        else:
            taken.add(due)
            planned.append(PlannedReminder(offset, due.astimezone(dt.UTC), None, due != wanted))
    return planned


# Leaving early: a burst due at one moment (a thousand reminders at 08:00) is spread over
# the minutes before it, so all are delivered by then at Telegram's pace. A reminder less
# than a day before the appointment goes at most SHORT_EARLY_AT_MOST early.
SHORT_EARLY_AT_MOST = dt.timedelta(minutes=5)
ONE_DAY = dt.timedelta(days=1)


def early_window(offset: dt.timedelta, early: dt.timedelta) -> dt.timedelta:
    """How long before its moment a reminder with this offset may leave."""
    return early if offset >= ONE_DAY else min(early, SHORT_EARLY_AT_MOST)


def may_leave_from(
    due_at: dt.datetime,
    offset: dt.timedelta,
    early: dt.timedelta,
    quiet: QuietHours,
    tz: ZoneInfo,
) -> dt.datetime:
    """The first moment this reminder may leave: up to its early window before its due
    moment, but never in quiet hours (then from their end, and never after due_at)."""
    start = due_at - early_window(offset, early)
    local = start.astimezone(tz)
    if not quiet.contains(local.timetz().replace(tzinfo=None)):
        return start
    end = dt.datetime.combine(local.date(), quiet.end, tzinfo=tz)
    if end <= local:
        end = dt.datetime.combine(local.date() + ONE_DAY, quiet.end, tzinfo=tz)
    return min(due_at, end.astimezone(dt.UTC))
