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


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


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


def test_an_8_oclock_appointments_two_hour_reminder_goes_the_evening_before() -> None:
    """06:00 is quiet; the end of the quiet hours (08:00) is the start itself, not before
    it, so the reminder goes just before the quiet hours of the evening before."""
    assert due_local(local(2026, 12, 10, 8, 0)) == ["07/12 08:00", "09/12 08:00", "09/12 20:59"]
    moved = plan_reminders(local(2026, 12, 10, 8, 0), NOW, BRUSSELS, QUIET)[2]
    assert moved.moved and moved.due_at == local(2026, 12, 9, 20, 59).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("starts", "two_hours_before", "moved"),
    [
        (local(2026, 12, 10, 10, 0), "10/12 08:00", False),  # 08:00 is no longer quiet
        (local(2026, 12, 10, 9, 59), "10/12 08:00", True),  # 07:59 is
        (local(2026, 12, 10, 8, 1), "10/12 08:00", True),  # the end, a minute before
        (local(2026, 12, 10, 22, 59), "10/12 20:59", False),  # 20:59 is not quiet yet
        (local(2026, 12, 10, 23, 0), "10/12 20:59", True),  # 21:00 is
        (local(2026, 12, 11, 0, 30), "10/12 20:59", True),  # over midnight: the evening before
        (local(2026, 12, 11, 7, 0), "10/12 20:59", True),  # an early appointment in quiet hours
    ],
)
def test_the_edges_of_the_quiet_hours(
    starts: dt.datetime, two_hours_before: str, moved: bool
) -> None:
    """Quiet from 21:00 up to, not including, 08:00."""
    reminder = plan_reminders(starts, NOW, BRUSSELS, QUIET)[2]
    assert reminder.due_at is not None and reminder.moved is moved
    assert reminder.due_at.astimezone(BRUSSELS).strftime("%d/%m %H:%M") == two_hours_before


def test_quiet_hours_within_one_day_and_over_midnight() -> None:
    lunch = QuietHours(dt.time(12, 0), dt.time(13, 30))
    assert [lunch.contains(dt.time(*t)) for t in ((11, 59), (12, 0), (13, 29), (13, 30))] == [
        False, True, True, False,
    ]  # fmt: skip
    assert [QUIET.contains(dt.time(*t)) for t in ((20, 59), (21, 0), (0, 0), (7, 59), (8, 0))] == [
        False, True, True, True, False,
    ]  # fmt: skip
    # Within one day: 12:15 is nearer the start (11:59) than the end (13:30).
    plan = plan_reminders(local(2026, 12, 10, 14, 15), NOW, BRUSSELS, lunch)
    assert plan[2].due_at == local(2026, 12, 10, 11, 59).astimezone(dt.UTC) and plan[2].moved
    # 13:15 is nearer the end; the end is before the appointment.
    plan = plan_reminders(local(2026, 12, 10, 15, 15), NOW, BRUSSELS, lunch)
    assert plan[2].due_at == local(2026, 12, 10, 13, 30).astimezone(dt.UTC)
    # Half an hour before 13:30 is nearer the end, but the end is the appointment itself:
    # before the start instead.
    half_hour = (dt.timedelta(minutes=30),)
    [plan_] = plan_reminders(local(2026, 12, 10, 13, 30), NOW, BRUSSELS, lunch, half_hour)
    assert plan_.due_at == local(2026, 12, 10, 11, 59).astimezone(dt.UTC)


def test_two_reminders_moved_to_the_same_edge_go_once() -> None:
    offsets = (dt.timedelta(hours=1), dt.timedelta(hours=2))
    plan = plan_reminders(local(2026, 12, 10, 8, 0), NOW, BRUSSELS, QUIET, offsets)
    assert [(p.offset, p.skipped) for p in plan] == [
        (dt.timedelta(hours=2), None),
        (dt.timedelta(hours=1), SKIPPED_SAME),
    ]
    assert plan[0].due_at == local(2026, 12, 9, 20, 59).astimezone(dt.UTC)


def test_a_reminder_moved_to_a_moment_already_past_is_skipped() -> None:
    """Planned at 21:30 for 08:00 the next morning: the evening edge (20:59) has gone."""
    now = local(2026, 12, 9, 21, 30)
    plan = plan_reminders(local(2026, 12, 10, 8, 0), now, BRUSSELS, QUIET)
    assert [p.skipped for p in plan] == [SKIPPED_PAST, SKIPPED_PAST, SKIPPED_PAST]
    assert all(p.due_at is None for p in plan)
    # One minute before the edge it still goes, at the edge.
    plan = plan_reminders(local(2026, 12, 10, 8, 0), local(2026, 12, 9, 20, 58), BRUSSELS, QUIET)
    assert plan[2].due_at == local(2026, 12, 9, 20, 59).astimezone(dt.UTC)
    # At the very moment it is due, it is past.
    plan = plan_reminders(local(2026, 12, 10, 8, 0), local(2026, 12, 9, 20, 59), BRUSSELS, QUIET)
    assert plan[2].skipped == SKIPPED_PAST


def test_across_daylight_saving_as_the_database_gives_the_start_in_utc() -> None:
    """Appointments come from the database in UTC. (In local time Python's arithmetic is
    on the wall clock anyway, so a plan that took whole days as exact hours would pass
    the test above and still be an hour off here.)"""
    utc = local(2027, 3, 29, 10, 0).astimezone(dt.UTC)
    assert due_local(utc) == ["26/03 10:00", "28/03 10:00", "29/03 08:00"]
    utc = local(2027, 11, 1, 10, 0).astimezone(dt.UTC)
    assert due_local(utc) == ["29/10 10:00", "31/10 10:00", "01/11 08:00"]


def test_two_real_hours_over_the_switch_and_no_quiet_hours_when_start_is_end() -> None:
    """03:30 on the night clocks go forward is 01:30 UTC; two hours before is 23:30 UTC,
    00:30 in winter time (not 01:30: the wall clock lost an hour). Quiet hours from 00:00
    to 00:00 are none at all, so the reminder stays where it falls."""
    none = QuietHours(dt.time(0, 0), dt.time(0, 0))
    assert not any(none.contains(dt.time(hour)) for hour in range(24))
    starts = local(2027, 3, 28, 3, 30).astimezone(dt.UTC)
    plan = plan_reminders(starts, NOW, BRUSSELS, none)
    assert plan[2].due_at == dt.datetime(2027, 3, 27, 23, 30, tzinfo=dt.UTC)
    assert not plan[2].moved
    assert plan[1].due_at == local(2027, 3, 27, 3, 30).astimezone(dt.UTC)  # the day before


# --- leaving early (issue 20): a burst spread over the minutes before its moment ------------

DAY, TWO_HOURS = dt.timedelta(days=1), dt.timedelta(hours=2)


def _from(due: dt.datetime, offset: dt.timedelta, early_minutes: int) -> dt.datetime:
    moment = may_leave_from(
        due.astimezone(dt.UTC), offset, dt.timedelta(minutes=early_minutes), QUIET, BRUSSELS
    )
    return moment.astimezone(BRUSSELS)


def brussels(hour: int, minute: int = 0, day: int = 3) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour, minute, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("due", "offset", "early", "leaves"),
    [
        (brussels(10), DAY, 5, brussels(9, 55)),  # the window before its moment
        (brussels(10), DAY, 30, brussels(9, 30)),  # configured wider
        (brussels(10), TWO_HOURS, 30, brussels(9, 55)),  # "2 hours before": 5 minutes at most
        (brussels(10), DAY, 0, brussels(10)),  # no window: at its moment
        (brussels(8), DAY, 5, brussels(8)),  # never before quiet hours end
        (brussels(8, 3), DAY, 5, brussels(8)),  # from their end, not from 07:58
        (brussels(20, 59), DAY, 5, brussels(20, 54)),  # before quiet hours begin: as usual
        (brussels(8, 40), DAY, 60, brussels(8)),  # an hour early, but not before 08:00
        # Local time, not UTC: at 08:30 in Brussels it is 07:30 in UTC, but not quiet here.
        (brussels(8, 35), DAY, 5, brussels(8, 30)),
        # Due in quiet hours (planned before they changed): at its moment, not earlier and
        # not the next morning.
        (brussels(22, 30), DAY, 5, brussels(22, 30)),
        (brussels(23, 59), TWO_HOURS, 5, brussels(23, 59)),
    ],
)
def test_a_reminder_may_leave_a_little_early_but_never_in_quiet_hours(
    due: dt.datetime, offset: dt.timedelta, early: int, leaves: dt.datetime
) -> None:
    assert _from(due, offset, early) == leaves
