"""Dates as typed in Flanders, and when reminders are due (quiet hours, DST, the past)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.appointments.reminder_plan import (
    SKIPPED_PAST,
    SKIPPED_SAME,
    QuietHours,
    may_leave_from,
    plan_reminders,
)
from bot.core.typed_dates import UnclearWhen, WhenProblem, parse_when

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2026, 11, 22, 14, 0, tzinfo=BRUSSELS)
QUIET = QuietHours(dt.time(21, 0), dt.time(8, 0))


def local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("26/1 10:00", local(2027, 1, 26, 10, 0)),
        ("26-01-2027 10u30", local(2027, 1, 26, 10, 30)),
        ("di 26/1 om 10u", local(2027, 1, 26, 10, 0)),
        ("dinsdag 26.1.27 9.15", local(2027, 1, 26, 9, 15)),
        ("24/11 8u", local(2026, 11, 24, 8, 0)),
        ("22/11 14:30", local(2026, 11, 22, 14, 30)),
        ("  3/12   10 uur ", local(2026, 12, 3, 10, 0)),
    ],
)
def test_dates_as_typed_in_flanders(typed: str, meant: dt.datetime) -> None:
    assert parse_when(typed, NOW, BRUSSELS) == meant


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("morgen", WhenProblem.UNCLEAR),
        ("26/1", WhenProblem.UNCLEAR),  # no time
        ("31/2 10:00", WhenProblem.NO_SUCH_DATE),
        ("26/1 25:00", WhenProblem.NO_SUCH_DATE),
        ("wo 26/1/2027 10u", WhenProblem.WRONG_WEEKDAY),
        ("xx 26/1 10u", WhenProblem.UNCLEAR),
        ("22/11/2026 13:00", WhenProblem.PAST),
        ("1/1/2020 10:00", WhenProblem.PAST),
        ("28/3/2027 2u30", WhenProblem.NO_SUCH_DATE),  # skipped by the spring switch
    ],
)
def test_unclear_or_past_dates_are_refused_with_the_reason(
    typed: str, problem: WhenProblem
) -> None:
    with pytest.raises(UnclearWhen) as refused:
        parse_when(typed, NOW, BRUSSELS)
    assert refused.value.problem is problem


def test_without_a_year_a_date_already_gone_means_next_year() -> None:
    assert parse_when("5/1 10u", NOW, BRUSSELS) == local(2027, 1, 5, 10, 0)


def due_local(starts: dt.datetime, now: dt.datetime = NOW) -> list[str | None]:
    return [
        p.due_at.astimezone(BRUSSELS).strftime("%d/%m %H:%M") if p.due_at else p.skipped
        for p in plan_reminders(starts, now, BRUSSELS, QUIET)
    ]


def test_three_days_the_day_before_and_two_hours_before() -> None:
    assert due_local(local(2026, 12, 10, 10, 0)) == ["07/12 10:00", "09/12 10:00", "10/12 08:00"]


def test_day_offsets_keep_the_local_time_across_both_daylight_saving_switches() -> None:
    # Clocks go forward on Sunday 28 March 2027 and back on Sunday 31 October 2027.
    assert due_local(local(2027, 3, 29, 10, 0)) == ["26/03 10:00", "28/03 10:00", "29/03 08:00"]
    assert due_local(local(2027, 11, 1, 10, 0)) == ["29/10 10:00", "31/10 10:00", "01/11 08:00"]
    # Two hours before is two real hours, also on the night of the switch.
    plan = plan_reminders(local(2027, 3, 28, 12, 0), NOW, BRUSSELS, QUIET)
    assert plan[2].due_at == local(2027, 3, 28, 12, 0).astimezone(dt.UTC) - dt.timedelta(hours=2)


def test_quiet_hours_move_a_reminder_to_the_nearest_edge_before_the_appointment() -> None:
    # 08:30: two hours before is 06:30, quiet; 08:00 is nearer and still before.
    plan = plan_reminders(local(2026, 12, 10, 8, 30), NOW, BRUSSELS, QUIET)
    assert plan[2].due_at == local(2026, 12, 10, 8, 0).astimezone(dt.UTC) and plan[2].moved
    # An evening session at 21:30: the day before at 21:30 moves back to 20:59, not to the
    # morning of the session itself; two hours before (19:30) is not quiet.
    assert due_local(local(2026, 12, 10, 21, 30)) == ["07/12 20:59", "09/12 20:59", "10/12 19:30"]


def test_a_reminder_whose_moment_passed_is_skipped_with_the_reason() -> None:
    plan = plan_reminders(local(2026, 11, 23, 16, 0), NOW, BRUSSELS, QUIET)
    assert [p.skipped for p in plan] == [SKIPPED_PAST, None, None]
    assert plan[1].due_at == local(2026, 11, 22, 16, 0).astimezone(dt.UTC)


    SKIPPED_SAME,
    QuietHours,
    may_leave_from,
