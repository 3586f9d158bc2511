"""Dates and times as caseworkers in Flanders type them: `26/1 10:00`,
`26-01-2027 10u30`, `di 26/1 om 10u`. Anything unclear or in the past is refused with
the reason, so the handler can show the accepted forms and save nothing."""

from __future__ import annotations

import datetime as dt
import enum
import re
from zoneinfo import ZoneInfo

from bot.core.refusals import Refused

WEEKDAYS = {
    "ma": 0, "maandag": 0, "di": 1, "dinsdag": 1, "wo": 2, "woensdag": 2, "do": 3,
    "donderdag": 3, "vr": 4, "vrijdag": 4, "za": 5, "zaterdag": 5, "zo": 6, "zondag": 6,
}  # fmt: skip

_PATTERN = re.compile(
    r"^\s*(?:(?P<weekday>[a-z]+)\.?\s+)?"
    r"(?P<day>\d{1,2})\s*[/.\-]\s*(?P<month>\d{1,2})(?:\s*[/.\-]\s*(?P<year>\d{2}|\d{4}))?"
    r"\s*(?:,|om|at)?\s*"
    r"(?P<hour>\d{1,2})\s*(?:(?:[:.hu]|uur)\s*(?P<minute>\d{2})?)?\s*(?:u|uur)?\s*$",
    re.IGNORECASE,
)


class WhenProblem(enum.Enum):
    UNCLEAR = "unclear"  # not one of the accepted forms
    NO_SUCH_DATE = "no_such_date"  # 31/2, 25:00
    WRONG_WEEKDAY = "wrong_weekday"  # "di 27/1" when 27/1 is a Wednesday
    PAST = "past"
    FUTURE = "future"  # a day that must have been (when the newcomer agreed)


class UnclearWhen(Refused[WhenProblem], ValueError):
    pass


def parse_when(text: str, now: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The moment meant, aware in `tz`. Without a year: the next such date from today."""
    match = _PATTERN.match(text.strip().lower())
    if match is None:
        raise UnclearWhen(WhenProblem.UNCLEAR)
    weekday = match["weekday"]
    if weekday is not None and weekday not in WEEKDAYS:
        raise UnclearWhen(WhenProblem.UNCLEAR)
    today = now.astimezone(tz).date()
    day, month = int(match["day"]), int(match["month"])
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["year"] is None:
        year = today.year
        if _date_or_none(year, month, day) is None or dt.date(year, month, day) < today:
            year += 1
    else:
        year = int(match["year"]) + (2000 if len(match["year"]) == 2 else 0)
    date = _date_or_none(year, month, day)
    if date is None or hour > 23 or minute > 59:
        raise UnclearWhen(WhenProblem.NO_SUCH_DATE)
    if weekday is not None and WEEKDAYS[weekday] != date.weekday():
        raise UnclearWhen(WhenProblem.WRONG_WEEKDAY)
    moment = dt.datetime.combine(date, dt.time(hour, minute), tzinfo=tz)
    if not exists(moment):
        # 02:30 on the night clocks go forward does not exist in Brussels.
        raise UnclearWhen(WhenProblem.NO_SUCH_DATE)
    if moment <= now:
        raise UnclearWhen(WhenProblem.PAST)
    return moment


def exists(local: dt.datetime) -> bool:
    """False for a wall-clock time skipped by the spring daylight-saving switch."""
    return local.astimezone(dt.UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(
        tzinfo=None
    )


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_DAY = re.compile(
    r"^\s*(?:(?P<weekday>[a-z]+)\.?\s+)?"
    r"(?P<day>\d{1,2})\s*[/.\-]\s*(?P<month>\d{1,2})(?:\s*[/.\-]\s*(?P<year>\d{2}|\d{4}))?\s*$",
    re.IGNORECASE,
)


def parse_day(text: str, today: dt.date, *, ahead: bool) -> dt.date:
    """A day without a time: `26/1`, `26-01-2027`, `di 26/1`.

    `ahead=True`: today or later (a next step); without a year, the next such day.
    `ahead=False`: today or earlier (when someone agreed); without a year, the last one.
    """
    match = _DAY.match(text.strip().lower())
    weekday = match["weekday"] if match else None
    if match is None or (weekday is not None and weekday not in WEEKDAYS):
        raise UnclearWhen(WhenProblem.UNCLEAR)
    day, month = int(match["day"]), int(match["month"])
    if match["year"] is None:
        year = today.year
        candidate = _date_or_none(year, month, day)
        if candidate is not None and (candidate < today if ahead else candidate > today):
            year += 1 if ahead else -1
    else:
        year = int(match["year"]) + (2000 if len(match["year"]) == 2 else 0)
    date = _date_or_none(year, month, day)
    if date is None:
        raise UnclearWhen(WhenProblem.NO_SUCH_DATE)
    if weekday is not None and WEEKDAYS[weekday] != date.weekday():
        raise UnclearWhen(WhenProblem.WRONG_WEEKDAY)
    if ahead and date < today:
        raise UnclearWhen(WhenProblem.PAST)
    if not ahead and date > today:
        raise UnclearWhen(WhenProblem.FUTURE)
    return date
