"""The figures and the anonymous appointment rows as files for the partners' reports:
one XLSX with two sheets, and the same two tables as CSV (semicolons and a byte-order
mark, so Excel in Belgium opens them in columns).

No names, no chat ids, no places, no notes. The newcomer's code (K-7F3Q) is a column
only when `[export] include_references = true`.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.appointments.records import Reason
from bot.appointments.words import KIND_NAMES, REASON_NAMES
from bot.core import audit
from bot.core.clock import Clock
from bot.core.worker_threads import heavy
from bot.figures.queries import (
    AppointmentRow,
    Figures,
    Period,
    answer_group,
    appointment_rows,
    gather,
)
from bot.figures.scope import PARTNERSHIP, Scope
from bot.figures.words import ANSWER_GROUP_NAMES, CHANNEL_NAMES, figure_rows, language_name
from bot.figures.xlsx import Sheet, workbook_bytes, write
from bot.handovers.words import APPOINTMENT_STATUS_NAMES
from bot.storage.database import Store
from messages import render, texts

SOURCE_NAMES = {"chat": texts.SOURCE_CHAT, "import": texts.SOURCE_IMPORT}
Cell = str | int | float | dt.date


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]


def figures_table(figures: Figures, language: str) -> Table:
    return Table(
        render(language, texts.EXPORT_SHEET_FIGURES),
        [
            render(language, text)
            for text in (
                texts.EXPORT_COLUMN_SECTION,
                texts.EXPORT_COLUMN_FIGURE,
                texts.EXPORT_COLUMN_GROUP,
                texts.EXPORT_COLUMN_VALUE,
            )
        ],
        [list(row) for row in figure_rows(figures, language)],
    )


def appointments_table(
    rows: Sequence[AppointmentRow], language: str, *, with_reference: bool
) -> Table:
    columns = [
        texts.EXPORT_COLUMN_APPOINTMENT,
        texts.EXPORT_COLUMN_DATE,
        texts.EXPORT_COLUMN_TIME,
        texts.EXPORT_COLUMN_KIND,
        texts.EXPORT_COLUMN_ORGANISATION,
        texts.EXPORT_COLUMN_LANGUAGE,
        texts.EXPORT_COLUMN_INTERPRETER,
        texts.EXPORT_COLUMN_SOURCE,
        texts.EXPORT_COLUMN_ANSWER,
        texts.EXPORT_COLUMN_REASON,
        texts.EXPORT_COLUMN_OUTCOME,
    ]
    header = [render(language, text) for text in columns]
    reminders = render(language, texts.FIGURES_REMINDERS)
    header += [
        f"{reminders}: {render(language, text)}"
        for text in (
            texts.FIGURES_SENT,
            texts.FIGURES_FAILED,
            texts.FIGURES_LATE,
            texts.FIGURES_SKIPPED,
        )
    ]
    header.append(render(language, texts.EXPORT_COLUMN_CHANNEL))
    if with_reference:
        header.append(render(language, texts.EXPORT_COLUMN_REFERENCE))

    # A month's rows repeat the same few words: each is put into words once.
    @functools.cache
    def say(text: str) -> str:
        return render(language, text)

    @functools.cache
    def named(code: str) -> str:
        return language_name(code, language) if code else ""

    body: list[list[Cell]] = []
    for row in rows:
        cells: list[Cell] = [
            row.id,
            row.starts_at.date(),
            row.starts_at.strftime("%H:%M"),
            say(KIND_NAMES[row.kind]),
            row.organisation,
            named(row.language),
            named(row.interpreter_language),
            say(SOURCE_NAMES.get(row.source, texts.SOURCE_CHAT)),
            say(ANSWER_GROUP_NAMES[answer_group(row.answer)]),
            say(REASON_NAMES[Reason(row.answer_reason)]) if row.answer_reason else "",
            say(APPOINTMENT_STATUS_NAMES[row.status]),
            row.reminders_sent,
            row.reminders_failed,
            row.reminders_late,
            row.reminders_skipped,
            say(CHANNEL_NAMES[row.channel]),
        ]
        if with_reference:
            cells.append(row.reference)
        body.append(cells)
    return Table(render(language, texts.EXPORT_SHEET_APPOINTMENTS), header, body)


# A text cell that starts like a formula is run as one by Excel and LibreOffice, from
# XLSX and from CSV alike: an organisation or language name "=HYPERLINK(...)" would act
# when a partner opens the report. OWASP's advice: a leading apostrophe makes it text.
# Numbers (negative ones too) and dates are not text and stay what they are.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral(cell: Cell) -> Cell:
    """The cell as it is written to a file: text starting like a formula gets a `'`."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _sheets(tables: Sequence[Table]) -> list[Sheet]:
    return [
        Sheet(
            table.title,
            [str(neutral(title)) for title in table.header],
            ([neutral(value) for value in row] for row in table.rows),
            # Wide enough for the header's words.
            [max(10, len(title) + 2) for title in table.header],
        )
        for table in tables
    ]


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """The tables as one workbook, a sheet each; each row formatted as it is written."""
    return workbook_bytes(_sheets(tables))


def csv_text(table: Table) -> str:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutral(title) for title in table.header])
    writer.writerows(
        [cell.isoformat() if isinstance(cell, dt.date) else neutral(cell) for cell in row]
        for row in table.rows
    )
    return output.getvalue()


NOT_IN_A_FILE_NAME = re.compile(r"[^\w-]+")


def export_name(period: Period, organisation: str = "") -> str:
    """schakel-2026-10-01-2026-10-31, with -VDAB for one organisation's figures (anything
    but letters, digits and dashes in its name made an underscore: it names a file)."""
    name = f"schakel-{period.first.isoformat()}-{period.last.isoformat()}"
    return f"{name}-{NOT_IN_A_FILE_NAME.sub('_', organisation)}" if organisation else name


def write_files(folder: Path, name: str, figures: Table, appointments: Table) -> list[Path]:
    """name.xlsx, name-<figures sheet>.csv and name-<appointments sheet>.csv in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    workbook = folder / f"{name}.xlsx"
    with workbook.open("wb") as file:
        write(file, _sheets([figures, appointments]))
    written = [workbook]
    for table, part in ((figures, "cijfers"), (appointments, "afspraken")):
        path = folder / f"{name}-{part}.csv"
        # utf-8-sig: the byte-order mark tells Excel the file is UTF-8 (names of languages).
        path.write_text(csv_text(table), encoding="utf-8-sig", newline="")
        written.append(path)
    return written


async def export_tables(
    store: Store,
    period: Period,
    tz: ZoneInfo,
    language: str,
    *,
    with_reference: bool,
    scope: Scope = PARTNERSHIP,
) -> tuple[Table, Table]:
    """The figures and the appointment rows of a period (of one organisation, with
    `scope`), from the one set of queries: read through the store's reader, put into words
    on a worker thread (tens of thousands of rows must not hold the event loop)."""
    reader = await store.reader()
    rows = await appointment_rows(reader, period, tz, scope)
    figures = await gather(reader, period, tz, rows, scope)
    return await heavy(
        lambda: (
            figures_table(figures, language),
            appointments_table(rows, language, with_reference=with_reference),
        )
    )


async def workbook(tables: Sequence[Table]) -> bytes:
    """xlsx_bytes on a worker thread: 25,000 rows take seconds of Python."""
    return await heavy(lambda: xlsx_bytes(tables))


async def record_export(
    store: Store,
    clock: Clock,
    actor: str,
    period: Period,
    *,
    with_reference: bool,
    scope: Scope = PARTNERSHIP,
) -> None:
    """Who took the figures out of Schakel, for which period and organisation, and with
    codes or not."""
    detail = f"{period.first}..{period.last} references={'yes' if with_reference else 'no'}"
    if scope.organisation:
        detail += f" organisation={scope.organisation}"
    async with store.transaction() as db:
        await audit.record(db, clock, actor, "export_figures", detail=detail)
