"""`schakel import-planning`: headers in Dutch or English, every row's problem, a dry run
that saves nothing, --apply in one transaction, the national register never stored."""

from __future__ import annotations

import datetime as dt
import random
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.app.demo import DEMO_ORGANISATIONS
from bot.appointments.sheet_import import SheetError, read_sheet
from bot.cli.planning import import_planning
from bot.core.clock import to_db
from bot.core.config import Config, PlanningImportConfig, StorageConfig
from bot.people.newcomers import invite_newcomer
from bot.people.organisations import find_organisation, sync_organisations
from bot.people.staff import Role, add_staff, find_staff
from bot.storage.database import Store
from tests.conftest import FakeClock

NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(
        storage=StorageConfig(database=tmp_path / "schakel.db"), organisations=DEMO_ORGANISATIONS
    )


@pytest.fixture
async def reference(config: Config) -> str:
    """One newcomer, invited by a caseworker of VDAB."""
    store = await Store.open(config.storage.database)
    clock = FakeClock(NOW)
    await sync_organisations(store, config.organisations)
    vdab = await find_organisation(store, "VDAB")
    assert vdab is not None
    await add_staff(store, clock, telegram_user_id=2, name="Laila Peeters",
                    role=Role.CASEWORKER, organisation=vdab, actor="test")  # fmt: skip
    staff = await find_staff(store, 2)
    assert staff is not None
    invite = await invite_newcomer(
        store, clock, caseworker=staff, first_name="Amal", language="ar", valid_days=14
    )
    await store.close()
    return invite.newcomer.reference


def csv_file(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "planning.csv"
    path.write_bytes(text.encode(encoding))
    return path


async def table(config: Config, sql: str) -> list[tuple[object, ...]]:
    store = await Store.open(config.storage.database)
    try:
        return [tuple(row) for row in await store.fetch_all(sql)]
    finally:
        await store.close()


async def test_a_dry_run_prints_every_rows_problem_and_saves_nothing(
    config: Config, reference: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = csv_file(tmp_path, (
        "Datum;Uur;Referentie;Rijksregisternummer;Intakers;Organisatie;Tolk;Naam\n"
        f"26/01/2027;10:00;{reference};85073003328;Laila Peeters;VDAB;Arabisch;Amal B.\n"
        f"31/02/2027;10:00;{reference};;Laila;VDAB;;\n"
        "26/01/2027;11:00;K-ZZZZ;;Laila;VDAB;;\n"
        f"26/01/2027;12:00;{reference};;Laila;Stad;;\n"
        f"26/01/2027;13:00;{reference};;Laila;VDAB;Klingons;\n"
        f"02/01/2027;13:00;{reference};;Laila;VDAB;;\n"
        f"26/01/2027;10:00;{reference};;Laila;VDAB;;\n"
        "\n"
    ))  # fmt: skip
    assert await import_planning(config, sheet, clock=FakeClock(NOW)) == 1
    out = capsys.readouterr().out
    assert 'warning: dropped column "Rijksregisternummer": national register numbers' in out
    assert 'warning: ignored column "Naam"' in out
    assert f"row 2: ok  {reference}  |  duo_intake  |  Tue 26/01/2027 10:00" in out
    assert "row 3: no such date or time: '31/02/2027 10:00'" in out
    assert "row 4: unknown newcomer reference 'K-ZZZZ'" in out
    assert "row 5: unknown organisation 'Stad' (known: VDAB, OCMW, In-Gent)" in out
    assert "row 6: interpreter language not known: 'Klingons'" in out
    assert "row 7: in the past: '02/01/2027 13:00'" in out
    assert "row 8: the same newcomer and moment twice in this sheet" in out
    assert "1 row(s) ready, 6 with a problem." in out
    assert "Dry run: nothing saved." in out
    assert await table(config, "SELECT * FROM appointments") == []
    assert "85073003328" not in out


async def test_apply_imports_the_valid_rows_with_reminders_once(
    config: Config, reference: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = csv_file(tmp_path, (
        "Date,Time,Reference,National register number,Intaker 1,Intaker 2,Organisation,"
        "Interpreter,Kind\n"
        f"2027-01-26,10u30,{reference},85.07.30-033.28,Laila,Inge,OCMW,ar,jobcoach\n"
        f"26-01-2027,14:00,{reference},,,,,,infosessie\n"
    ), encoding="cp1252")  # fmt: skip
    assert await import_planning(config, sheet, apply=True, clock=FakeClock(NOW)) == 1
    out = capsys.readouterr().out
    assert "row 3: no place, and no address for the organisation" in out
    assert "Imported 1 appointment(s) with 3 reminder(s); 0 newcomer(s) get a message" in out
    rows = await table(config, "SELECT kind, starts_at, place, with_whom, interpreter_language,"
                               " source FROM appointments")  # fmt: skip
    starts = dt.datetime(2027, 1, 26, 9, 30, tzinfo=dt.UTC)
    assert rows == [("job_coach", to_db(starts), "OCMW, Onderbergen 86, 9000 Gent",
                     "Laila en Inge", "ar", "import")]  # fmt: skip
    everything = str(await table(config, "SELECT * FROM appointments")) + str(
        await table(config, "SELECT * FROM audit_log")
    )
    assert "85.07.30" not in everything
    # The same sheet again: nothing twice.
    assert await import_planning(config, sheet, apply=True, clock=FakeClock(NOW)) == 1
    assert "already planned (imported before?)" in capsys.readouterr().out
    assert len(await table(config, "SELECT * FROM appointments")) == 1
    assert len(await table(config, "SELECT * FROM reminders")) == 3


async def test_xlsx_cells_with_dates_and_times(
    config: Config, reference: str, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Planning duo-intakes januari"])  # a title above the header is not data
    sheet.append(["Datum", "Uur", "Referentie", "Organisatie"])
    sheet.append([dt.datetime(2027, 1, 26), dt.time(9, 0), reference, "In-Gent"])
    sheet.append([dt.datetime(2027, 1, 27, 13, 30), None, reference, "VDAB"])
    path = tmp_path / "planning.xlsx"
    book.save(path)
    store = await Store.open(config.storage.database)
    try:
        read = await read_sheet(store, config, NOW, path)
    finally:
        await store.close()
    assert [(row.number, row.problems) for row in read.rows] == [(3, []), (4, [])]
    assert [row.details.place for row in read.rows if row.details] == [
        "In-Gent, Kongostraat 42, 9000 Gent",
        "VDAB, Kongostraat 7, 9000 Gent",
    ]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("planning.xlsx", b"PK\x03\x04 not really a zip", "is not a readable XLSX file"),
        ("planning.csv", b"Naam;Telefoon\nAmal;0470\n", "no column for date, reference"),
        ("planning.csv", b"", "is empty"),
        ("planning.pdf", b"%PDF", "use a .csv or .xlsx file"),
    ],
)
async def test_a_corrupt_or_wrong_file_gets_a_clear_message_and_changes_nothing(
    config: Config,
    reference: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    problem: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert await import_planning(config, path, apply=True, clock=FakeClock(NOW)) == 1
    assert problem in capsys.readouterr().out
    assert await table(config, "SELECT * FROM appointments") == []
    with pytest.raises(SheetError):
        store = await Store.open(config.storage.database)
        try:
            await read_sheet(store, config, NOW, tmp_path / "missing.csv")
        finally:
            await store.close()


# --- hostile sheets: refused in one line, before they fill the memory -----------------

SHEET1 = "xl/worksheets/sheet1.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet'
    b' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def xlsx_with_sheet(path: Path, parts: Iterable[bytes]) -> Path:
    """A real workbook whose first sheet's XML is `parts`, streamed into the zip."""
    Workbook().save(path.with_suffix(".base.xlsx"))
    with (
        zipfile.ZipFile(path.with_suffix(".base.xlsx")) as base,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in base.infolist():
            if info.filename == SHEET1:
                with out.open(SHEET1, "w", force_zip64=True) as sheet:
                    for part in parts:
                        sheet.write(part)
            else:
                out.writestr(info, base.read(info.filename))
    return path


def repeated(part: bytes, times: int, head: bytes = b"", tail: bytes = b"") -> Iterator[bytes]:
    yield SHEET_START + head
    chunk = part * 10_000
    for _ in range(times // 10_000):
        yield chunk
    yield part * (times % 10_000) + tail + b"</worksheet>"


async def refused(
    config: Config, path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[str, int]:
    """The one line `import-planning --apply` prints, and the peak memory it took."""
    tracemalloc.start()
    try:
        status = await import_planning(config, path, apply=True, clock=FakeClock(NOW))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert status == 1
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1, out
    assert out.startswith("schakel: ") and out.endswith("; nothing saved\n")
    assert await table(config, "SELECT * FROM appointments") == []
    return out, peak


async def test_a_file_over_the_size_cap_is_refused_before_it_is_read(
    config: Config, reference: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "planning.csv"
    row = f"26/01/2027;10:00;{reference};VDAB\n".encode()
    with path.open("wb") as file:
        file.write(b"Datum;Uur;Referentie;Organisatie\n")
        for _ in range(40):  # 40 x 1 MB: eight times the 5 MB of the default limit
            file.write(row * (1024 * 1024 // len(row)))
    size = path.stat().st_size
    out, peak = await refused(config, path, capsys)
    assert out == (
        f"schakel: planning.csv is {size / 2**20:.1f} MB; a planning sheet is at most 5 MB;"
        " nothing saved\n"
    )
    assert peak < size / 20
    # An XLSX file too: the size is looked at before the zip is.
    big = tmp_path / "planning.xlsx"
    with big.open("wb") as file:
        file.truncate(6 * 1024 * 1024)
    out, _ = await refused(config, big, capsys)
    assert "planning.xlsx is 6.0 MB; a planning sheet is at most 5 MB" in out


async def test_reading_stops_at_the_row_limit(
    config: Config, reference: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    limited = config.model_copy(update={"planning_import": PlanningImportConfig(max_rows=3)})
    row = f"26/01/2027;10:00;{reference};VDAB\n"
    # A title above the header and exactly the limit: read.
    sheet = csv_file(tmp_path, "Planning januari;;;\nDatum;Uur;Referentie;Organisatie\n" + row * 3)
    assert await import_planning(limited, sheet, clock=FakeClock(NOW)) == 1
    assert "row 5: the same newcomer and moment twice" in capsys.readouterr().out
    # One row more: refused.
    sheet = csv_file(tmp_path, "Datum;Uur;Referentie;Organisatie\n" + row * 4)
    out, _ = await refused(limited, sheet, capsys)
    assert out == (
        "schakel: planning.csv has more than 3 rows; import at most 3 at once; nothing saved\n"
    )
    # Four megabytes of rows (or of empty lines): reading stops at the limit.
    for line in (row.encode(), b";;;\n", b"\n"):
        path = tmp_path / "planning.csv"
        path.write_bytes(b"Datum;Uur;Referentie;Organisatie\n" + line * (4 * 2**20 // len(line)))
        out, peak = await refused(limited, path, capsys)
        assert "has more than 3 rows" in out
        assert peak < 200_000
    # The same in an XLSX file.
    book = Workbook()
    sheet_of_book = book.active
    assert sheet_of_book is not None
    sheet_of_book.append(["Datum", "Uur", "Referentie", "Organisatie"])
    for _ in range(20):
        sheet_of_book.append([dt.datetime(2027, 1, 26), dt.time(10, 0), reference, "VDAB"])
    book.save(tmp_path / "planning.xlsx")
    out, _ = await refused(limited, tmp_path / "planning.xlsx", capsys)
    assert "planning.xlsx has more than 3 rows" in out


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            b"Datum;Referentie;Plaats\n26/01/2027;K-AAAA;" + b"x" * (129 * 1024) + b"\n",
            "planning.csv is not a readable CSV file (field larger than field limit (131072))",
        ),
        (
            b"Datum;Referentie;Plaats\n26/01/2027;K-AAAA;" + b"x" * 40_000 + b"\n",
            "planning.csv, row 2: a cell longer than 32767 characters",
        ),
        (
            b"Datum;Referentie\n26/01/2027;K-\x81\x8d\x8f\x90\x9d\n",
            "planning.csv is neither UTF-8 nor Windows-1252 text",
        ),
        (
            random.Random(18).randbytes(50_000),
            "planning.csv is neither UTF-8 nor Windows-1252 text",
        ),
    ],
    ids=["cell-over-128-KiB", "cell-over-Excel-limit", "neither-utf8-nor-cp1252", "random-bytes"],
)
async def test_a_hostile_csv_is_refused_in_one_line(
    config: Config,
    reference: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    problem: str,
) -> None:
    path = tmp_path / "planning.csv"
    path.write_bytes(content)
    out, _ = await refused(config, path, capsys)
    assert out == f"schakel: {problem}; nothing saved\n"


def truncated_xlsx(path: Path) -> bytes:
    book = Workbook()
    assert book.active is not None
    book.active.append(["Datum", "Referentie"])
    book.save(path)
    whole = path.read_bytes()
    return whole[: len(whole) // 2]


def not_a_workbook(path: Path) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:  # a .docx, say: a zip, not a workbook
        archive.writestr("word/document.xml", "<document/>")
    return path.read_bytes()


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda path: random.Random(18).randbytes(50_000), "is not a readable XLSX file"),
        (truncated_xlsx, "is not a readable XLSX file"),
        (not_a_workbook, "is not a readable XLSX file"),
        (
            lambda path: xlsx_with_sheet(path, [SHEET_START, b"<sheetData><row><c>"]).read_bytes(),
            "is not a readable XLSX file",
        ),
    ],
    ids=["random-bytes", "truncated-zip", "zip-not-workbook", "broken-xml"],
)
async def test_a_corrupt_xlsx_is_refused_in_one_line(
    config: Config,
    reference: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], bytes],
    problem: str,
) -> None:
    content = make(tmp_path / "made.xlsx")
    path = tmp_path / "planning.xlsx"
    path.write_bytes(content)
    out, _ = await refused(config, path, capsys)
    assert out.startswith(f"schakel: planning.xlsx {problem} (")


@pytest.mark.parametrize(
    ("sheet", "problem"),
    [
        # 47 MB of rows in a 50 KB file: refused from the sizes the zip declares.
        (
            (
                b'<row><c t="inlineStr"><is><t>x</t></is></c></row>',
                1_000_000,
                b"<sheetData>",
                b"</sheetData>",
            ),
            "unpacks to 47 MB; at most 10 MB",
        ),
        # Smaller than the limit unpacked, and still what openpyxl would build in memory:
        # one row of 400,000 cells, 1.5 million empty rows, 400,000 merged cells.
        (
            (b'<c t="n"><v>1</v></c>', 400_000, b"<sheetData><row>", b"</row></sheetData>"),
            "is not a planning sheet (a row of more than 1000 cells)",
        ),
        (
            (b"<row/>", 1_500_000, b"<sheetData>", b"</sheetData>"),
            "is not a planning sheet (a sheet of more than 100000 rows)",
        ),
        (
            (b'<mergeCell ref="A1:B2"/>', 400_000, b"<sheetData/><mergeCells>", b"</mergeCells>"),
            "is not a planning sheet (more than 20000 elements beside the rows)",
        ),
        # One cell of 200 KiB.
        (
            (
                b"x",
                200 * 1024,
                b'<sheetData><row><c t="inlineStr"><is><t>',
                b"</t></is></c></row></sheetData>",
            ),
            "planning.xlsx, row 1: a cell longer than 32767 characters",
        ),
    ],
    ids=["zip-bomb", "wide-row", "empty-rows", "merged-cells", "cell-over-128-KiB"],
)
async def test_an_xlsx_bomb_is_refused_before_it_fills_the_memory(
    config: Config,
    reference: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sheet: tuple[bytes, int, bytes, bytes],
    problem: str,
) -> None:
    path = xlsx_with_sheet(tmp_path / "planning.xlsx", repeated(*sheet))
    assert path.stat().st_size < 1_000_000
    out, peak = await refused(config, path, capsys)
    if not problem.startswith("planning.xlsx"):
        problem = f"planning.xlsx {problem}"
    assert out == f"schakel: {problem}; nothing saved\n"
    assert peak < 5_000_000
