"""`schakel import-planning FILE`: appointments from the partners' planning sheet.

The sheet is CSV or XLSX, one appointment per row; columns are found by their header,
in Dutch or English ("Datum"/"Date", "Uur"/"Time", "Referentie"/"Reference",
"Intaker 1"/"Intakers", "Organisatie", "Plaats"/"Place", "Tolk"/"Interpreter",
"Soort"/"Kind"). A national register number column is never read into Schakel: it
is dropped, with a warning. By default nothing is saved: every row is checked and
its problem printed. With `--apply` all valid rows go in, in one transaction, with
their reminders and the message to the newcomer (sent by the running bot).

The file comes from someone else: one too big, too long or unreadable is refused with
a SheetError (one line) before it is read whole ([planning_import] in the config).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.parsers import expat

from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader

from bot.appointments import records as appointments
from bot.appointments import reminders
from bot.appointments.planning import Problem, problem_with
from bot.appointments.records import Details, Kind
from bot.appointments.words import Event, who_to_call
from bot.core.clock import Clock
from bot.core.config import Config, PlanningImportConfig
from bot.core.redaction import keep
from bot.core.typed_dates import UnclearWhen, WhenProblem, parse_when
from bot.people.interpreters import parse_interpreter_language
from bot.people.newcomers import Newcomer
from bot.sending.outbox import enqueue
from bot.storage.database import Store

# Normalised header (lower case, no punctuation) -> field.
HEADERS = {
    "datum": "date", "date": "date", "dag": "date", "day": "date",
    "uur": "time", "tijd": "time", "time": "time", "startuur": "time", "start": "time",
    "referentie": "reference", "ref": "reference", "code": "reference",
    "reference": "reference", "klant": "reference", "client": "reference",
    "nieuwkomer": "reference", "newcomer": "reference",
    "intakers": "with_whom", "intaker": "with_whom", "met": "with_whom", "with": "with_whom",
    "met wie": "with_whom", "with whom": "with_whom", "begeleider": "with_whom",
    "organisatie": "organisation", "organisation": "organisation",
    "organization": "organisation", "partner": "organisation",
    "plaats": "place", "adres": "place", "locatie": "place", "place": "place",
    "location": "place", "address": "place",
    "tolk": "interpreter", "tolktaal": "interpreter", "taal tolk": "interpreter",
    "interpreter": "interpreter", "interpreter language": "interpreter",
    "soort": "kind", "type": "kind", "kind": "kind", "soort afspraak": "kind",
}  # fmt: skip
# Never stored: the column is dropped before any row is read.
NATIONAL_REGISTER = re.compile(
    r"rijksregister|\brrn\b|\binsz\b|national (register|number)|\bnrn\b|bis.?nummer"
)
KINDS = {
    "duo-intake": Kind.DUO_INTAKE, "duo intake": Kind.DUO_INTAKE, "intake": Kind.DUO_INTAKE,
    "eerste gesprek": Kind.DUO_INTAKE, "jobcoach": Kind.JOB_COACH, "job coach": Kind.JOB_COACH,
    "sociaal werker": Kind.SOCIAL_WORKER, "maatschappelijk werker": Kind.SOCIAL_WORKER,
    "social worker": Kind.SOCIAL_WORKER, "inburgering": Kind.CIVIC_INTEGRATION,
    "civic integration": Kind.CIVIC_INTEGRATION, "infosessie": Kind.INFO_SESSION,
    "info session": Kind.INFO_SESSION, "andere": Kind.OTHER, "other": Kind.OTHER,
    **{kind.value: kind for kind in Kind},
}  # fmt: skip
REQUIRED = ("date", "reference")
HEADER_SEARCH = 10  # rows looked at for the header
# A planning sheet is small: a file far bigger than these is not one (and would fill the
# memory). The file size and the number of rows are in [planning_import] in the config.
MAX_COLUMNS = 100  # columns further right are not read
MAX_CELL = 32767  # characters: Excel's own limit for one cell
# In any sheet of an XLSX file (see _WorksheetScan): a planning workbook's other sheets
# may be long, not this long.
MAX_ROWS_IN_ANY_SHEET = 100_000
MAX_CELLS_IN_ROW = 1000  # cells written in one row, empty ones included
MAX_ELEMENTS_BESIDE_ROWS = 20_000  # merged cells, links, formatting...
MIB = 1024 * 1024


class SheetError(ValueError):
    """The file cannot be read as a planning sheet at all; nothing was saved."""


@dataclass
class Row:
    number: int  # as the spreadsheet shows it (the header is row 1)
    newcomer: Newcomer | None = None
    details: Details | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    rows: list[Row]
    warnings: list[str]

    @property
    def valid(self) -> list[Row]:
        return [row for row in self.rows if not row.problems]


def _normal(header: object) -> str:
    return " ".join(re.sub(r"[^\w ]", " ", str(header or "")).lower().split())


def _too_many_rows(path: Path, max_rows: int) -> SheetError:
    return SheetError(
        f"{path.name} has more than {max_rows} rows; import at most {max_rows} at once"
    )


def _first_rows(
    path: Path, source: Iterator[Sequence[object]], max_rows: int
) -> list[list[object]]:
    """The rows up to the limit (and the header above them); the next one is refused
    without reading further."""
    rows: list[list[object]] = []
    for number, row in enumerate(source, start=1):
        if number > max_rows + HEADER_SEARCH:
            raise _too_many_rows(path, max_rows)
        cells = list(row[:MAX_COLUMNS])
        if any(isinstance(cell, str) and len(cell) > MAX_CELL for cell in cells):
            raise SheetError(f"{path.name}, row {number}: a cell longer than {MAX_CELL} characters")
        rows.append(cells)
    return rows


def _csv_rows(path: Path, encoding: str) -> Iterator[list[str]]:
    with path.open(encoding=encoding, newline="") as file:
        sample = file.read(4096)
        file.seek(0)
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                sample, delimiters=";,\t"
            )
        except csv.Error:
            dialect = csv.excel  # one column, or a plain comma file
        yield from csv.reader(file, dialect)


def _read_csv(path: Path, max_rows: int) -> list[list[object]]:
    for encoding in ("utf-8-sig", "cp1252"):  # Excel in Belgium saves cp1252
        try:
            return _first_rows(path, _csv_rows(path, encoding), max_rows)
        except UnicodeDecodeError:
            continue  # read again from the start in the next encoding
        except csv.Error as problem:  # a field over csv's limit (128 KiB), a NUL byte...
            raise SheetError(f"{path.name} is not a readable CSV file ({problem})") from None
    raise SheetError(f"{path.name} is neither UTF-8 nor Windows-1252 text")


class _Hostile(Exception):
    """A worksheet Excel would never write."""


class _WorksheetScan:
    """Looks through a worksheet's XML before openpyxl opens the file, holding nothing.
    openpyxl keeps a whole row in memory, and everything beside the rows (merged cells,
    links...), and on opening walks every sheet's rows when the sheet does not say its
    size: a small hostile file (a row of a million cells) would fill the memory. Excel
    never writes such a sheet."""

    def __init__(self) -> None:
        self.rows = self.cells_in_row = self.beside_rows = 0
        self.in_rows = False

    def start(self, name: str, _attributes: object) -> None:
        tag = name.rpartition(" ")[2]  # "namespace tag"
        if tag == "sheetData":
            self.in_rows = True
        elif tag == "row":
            self.rows += 1
            self.cells_in_row = 0
            if self.rows > MAX_ROWS_IN_ANY_SHEET:
                raise _Hostile(f"a sheet of more than {MAX_ROWS_IN_ANY_SHEET} rows")
        elif tag == "c":
            self.cells_in_row += 1
            if self.cells_in_row > MAX_CELLS_IN_ROW:
                raise _Hostile(f"a row of more than {MAX_CELLS_IN_ROW} cells")
        elif not self.in_rows:
            self.beside_rows += 1
            if self.beside_rows > MAX_ELEMENTS_BESIDE_ROWS:
                raise _Hostile(f"more than {MAX_ELEMENTS_BESIDE_ROWS} elements beside the rows")

    def end(self, name: str) -> None:
        if name.rpartition(" ")[2] == "sheetData":
            self.in_rows = False

    def scan(self, xml: IO[bytes]) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.ParseFile(xml)


def _open_xlsx(path: Path) -> Workbook:
    """The workbook in read-only mode (openpyxl streams the rows instead of building the
    whole sheet), after every worksheet in it has passed the scan."""
    reader = ExcelReader(path, read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_workbook()
        for _, link in reader.parser.find_sheets():
            if link.target in reader.valid_files and "chartsheet" not in link.Type:
                with reader.archive.open(link.target) as xml:
                    _WorksheetScan().scan(xml)
        reader.read()
    except BaseException:
        reader.archive.close()
        raise
    return reader.wb


def _read_xlsx(path: Path, limits: PlanningImportConfig) -> list[list[object]]:
    try:
        # The sizes a zip declares are what Python's zipfile unpacks at most (more is a
        # CRC error), so their sum bounds the work before anything is unpacked.
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > limits.max_unzipped_bytes:
            raise SheetError(
                f"{path.name} unpacks to {unzipped / MIB:.0f} MB;"
                f" at most {limits.max_unzipped_mb:g} MB"
            )
        workbook = _open_xlsx(path)
        try:
            rows = workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True)
            return _first_rows(path, rows, limits.max_rows)
        finally:
            workbook.close()
    except SheetError:
        raise
    except _Hostile as problem:
        raise SheetError(f"{path.name} is not a planning sheet ({problem})") from None
    except Exception as problem:  # openpyxl raises whatever its parser meets in a broken file
        why = " ".join(str(problem).split())[:200] or type(problem).__name__
        raise SheetError(f"{path.name} is not a readable XLSX file ({why})") from None


def _cells(path: Path, limits: PlanningImportConfig) -> list[list[object]]:
    """The rows of the first sheet as lists of cells (header first): at most the row
    limit, with HEADER_SEARCH rows more for a title above the header."""
    if not path.is_file():
        raise SheetError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise SheetError(f"{path.name}: use a .csv or .xlsx file")
    size = path.stat().st_size  # before a byte is read
    if size > limits.max_file_bytes:
        raise SheetError(
            f"{path.name} is {size / MIB:.1f} MB; a planning sheet is at most"
            f" {limits.max_file_mb:g} MB"
        )
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, limits)
    return _read_csv(path, limits.max_rows)


def _columns(header: Sequence[object]) -> tuple[dict[str, list[int]], list[str]]:
    columns: dict[str, list[int]] = {}
    warnings: list[str] = []
    for index, cell in enumerate(header):
        name = _normal(cell)
        if not name:
            continue
        if NATIONAL_REGISTER.search(name):
            warnings.append(f'dropped column "{cell}": national register numbers are never stored')
            continue
        target = HEADERS.get(name) or HEADERS.get(name.rstrip(" 0123456789"))
        if target is None:
            warnings.append(f'ignored column "{cell}"')
            continue
        columns.setdefault(target, []).append(index)
    return columns, warnings


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _moment_text(date: object, time: object) -> str:
    """The date and time cells as text parse_when reads: '26/1/2027 10:00'."""
    if isinstance(date, dt.datetime) and (time is None or time == ""):
        time = date.time()
    if isinstance(date, dt.datetime | dt.date):
        date = f"{date.day}/{date.month}/{date.year}"
    date_text = _text(date)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", date_text)
    if iso:
        date_text = f"{iso[3]}/{iso[2]}/{iso[1]}"
    if isinstance(time, dt.datetime):
        time = time.time()
    if isinstance(time, dt.time):
        time = f"{time.hour}:{time.minute:02d}"
    return f"{date_text} {_text(time)}".strip()


WHEN_PROBLEMS = {
    WhenProblem.UNCLEAR: "date or time not understood: {typed!r} (use 26/01/2027 and 10:30)",
    WhenProblem.NO_SUCH_DATE: "no such date or time: {typed!r}",
    WhenProblem.WRONG_WEEKDAY: "weekday does not match the date: {typed!r}",
    WhenProblem.PAST: "in the past: {typed!r}",
}
PLAN_PROBLEMS = {
    Problem.PLACE_MISSING: "no place, and no address for the organisation",
    Problem.PLACE_TOO_LONG: f"place longer than {appointments.PLACE_MAX} characters",
    Problem.WITH_WHOM_TOO_LONG: f"intakers longer than {appointments.WITH_WHOM_MAX} characters",
    Problem.SMS_TOO_LONG: "the Dutch reminder would not fit one SMS: shorten place or intakers",
    Problem.PAST: "in the past",
}


async def read_sheet(store: Store, config: Config, now: dt.datetime, path: Path) -> Sheet:
    """Check every row; nothing is saved. Raises SheetError for an unreadable file."""
    limits = config.planning_import
    cells = _cells(path, limits)
    filled = [i for i, row in enumerate(cells) if any(_text(c) for c in row)]
    if not filled:
        raise SheetError(f"{path.name} is empty")
    # The header is the first row naming the required columns; a title may sit above it.
    header_at = next(
        (i for i in filled[:HEADER_SEARCH] if set(REQUIRED) <= set(_columns(cells[i])[0])),
        filled[0],
    )
    columns, warnings = _columns(cells[header_at])
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise SheetError(
            f"{path.name}: no column for {', '.join(missing)}"
            f" (headers like Datum, Uur, Referentie, Intakers, Organisatie, Plaats, Tolk)"
        )
    body = cells[header_at + 1 :]
    if len(body) > limits.max_rows:
        raise _too_many_rows(path, limits.max_rows)
    organisations = {org.short_name.casefold(): org for org in config.organisations}
    rows: list[Row] = []
    seen: set[tuple[int, dt.datetime]] = set()
    for offset, cells_of_row in enumerate(body):

        def cell(name: str, row: Sequence[object] = cells_of_row) -> object:
            found = [row[i] for i in columns.get(name, []) if i < len(row)]
            return found[0] if found else None

        def texts_of(name: str, row: Sequence[object] = cells_of_row) -> list[str]:
            return [_text(row[i]) for i in columns.get(name, []) if i < len(row) and _text(row[i])]

        if not any(_text(value) for value in cells_of_row):
            continue  # an empty line between blocks of intakes
        row = Row(number=header_at + offset + 2)
        rows.append(row)
        reference = _text(cell("reference")).upper()
        newcomer_row = await store.fetch_one(
            "SELECT * FROM newcomers WHERE reference = ? AND forgotten_at IS NULL", (reference,)
        )
        if newcomer_row is None:
            row.problems.append(f"unknown newcomer reference {reference!r}")
        else:
            row.newcomer = Newcomer.from_row(newcomer_row)
        typed = _moment_text(cell("date"), cell("time"))
        starts_at = None
        try:
            starts_at = parse_when(typed, now, config.locale.tzinfo)
        except UnclearWhen as unclear:
            row.problems.append(WHEN_PROBLEMS[unclear.problem].format(typed=typed))
        kind_text = _text(cell("kind")).casefold()
        kind = KINDS.get(kind_text) if kind_text else Kind.DUO_INTAKE
        if kind is None:
            row.problems.append(f"unknown kind {kind_text!r} (duo-intake, jobcoach, ...)")
        place = _text(cell("place"))
        organisation = _text(cell("organisation"))
        if organisation and organisation.casefold() not in organisations:
            known = ", ".join(org.short_name for org in config.organisations)
            row.problems.append(f"unknown organisation {organisation!r} (known: {known})")
        elif organisation and not place and organisations[organisation.casefold()].address:
            org = organisations[organisation.casefold()]
            place = f"{org.short_name}, {org.address}"
        interpreter_text = _text(cell("interpreter"))
        interpreter = None
        if interpreter_text and interpreter_text.casefold() not in ("nee", "no", "geen", "-"):
            interpreter = parse_interpreter_language(interpreter_text)
            if interpreter is None:
                row.problems.append(f"interpreter language not known: {interpreter_text!r}")
        if row.problems or row.newcomer is None or starts_at is None or kind is None:
            continue
        # A sheet's free text is kept as a form's is (bot/core/redaction.py).
        with_whom = keep(" en ".join(texts_of("with_whom")))
        details = Details(kind, starts_at, keep(place), with_whom, interpreter)
        call = await who_to_call(store, row.newcomer.id)
        problem = problem_with(details, call, now, config.locale.tzinfo)
        if problem is not None:
            row.problems.append(PLAN_PROBLEMS[problem])
        elif (row.newcomer.id, starts_at) in seen:
            row.problems.append("the same newcomer and moment twice in this sheet")
        elif await appointments.exists_at(store, row.newcomer.id, starts_at):
            row.problems.append("already planned (imported before?)")
        else:
            seen.add((row.newcomer.id, starts_at))
            row.details = details
    return Sheet(rows, warnings)


@dataclass(frozen=True)
class Imported:
    appointments: int
    reminders: int
    messages: int  # newcomers who get a message (the others have not linked or agreed)


async def apply(store: Store, clock: Clock, config: Config, rows: Iterable[Row]) -> Imported:
    """All valid rows in one transaction: appointments, reminders, messages."""
    count = planned_reminders = messages = 0
    notices = []
    async with store.transaction() as db:
        for row in rows:
            if row.problems or row.newcomer is None or row.details is None:
                continue
            appointment = await appointments.insert(
                db, clock, row.newcomer.id, row.details, created_by=None, source="import"
            )
            plan = await reminders.store_plan(db, clock, config, appointment)
            planned_reminders += sum(1 for reminder in plan if reminder.due_at is not None)
            count += 1
            notices.append((row.newcomer, appointment))
        for newcomer, appointment in notices:
            notice = await reminders.newcomer_notice(
                store, config, newcomer, appointment, Event.NEW, f"appointment:{appointment.id}:new"
            )
            row_ids = [await enqueue(db, clock, message) for message in notice]
            if any(row_id is not None for row_id in row_ids):
                messages += 1
    return Imported(count, planned_reminders, messages)


def describe(row: Row, tzinfo: dt.tzinfo) -> str:
    if row.problems:
        return f"row {row.number}: " + "; ".join(row.problems)
    assert row.newcomer is not None and row.details is not None
    details = row.details
    local = details.starts_at.astimezone(tzinfo).strftime("%a %d/%m/%Y %H:%M")
    parts = [row.newcomer.reference, details.kind.value, local, details.place]
    if details.with_whom:
        parts.append(f"with {details.with_whom}")
    if details.interpreter_language:
        parts.append(f"interpreter {details.interpreter_language}")
    return f"row {row.number}: ok  " + "  |  ".join(parts)
