"""`schakel import-planning`: headers in Dutch or English, every row's problem, a dry run
that saves nothing, --apply in one transaction, the national register never stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.app.demo import DEMO_ORGANISATIONS
from bot.appointments.sheet_import import SheetError, read_sheet
from bot.cli.planning import import_planning
from bot.core.clock import to_db
from bot.core.config import Config, StorageConfig
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
