"""Working days in Belgium: Monday to Friday, minus the public holidays (holidays library)."""

from __future__ import annotations

import datetime as dt
import functools

import holidays


@functools.cache
def _belgian_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("BE")


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _belgian_holidays()


def add_working_days(start: dt.datetime, days: int, tz: dt.tzinfo) -> dt.datetime:
    """The same local clock time `days` working days after `start` (aware, in UTC).

    A start on a weekend or holiday counts from the next working day's morning, so a note
    posted on Saturday is not overdue before the team has had its working days.
    """
    local = start.astimezone(tz)
    day = local.date()
    clock_time = local.time().replace(tzinfo=None)
    if not is_working_day(day):
        clock_time = dt.time(0, 0)
        while not is_working_day(day):
            day += dt.timedelta(days=1)
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return dt.datetime.combine(day, clock_time, tzinfo=tz).astimezone(dt.UTC)
