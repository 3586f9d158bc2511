"""The workbook written straight as XLSX parts (bot/figures/xlsx.py), read back by openpyxl:
what a partner's Excel or LibreOffice would find in it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from bot.figures.xlsx import ROWS_PER_WRITE, Sheet, Value, column_letter, workbook_bytes


def test_column_letters_go_on_after_z() -> None:
    assert [column_letter(n) for n in (1, 2, 26, 27, 52, 53, 702, 703, 16384)] == [
        "A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"
    ]  # fmt: skip


def test_what_is_written_is_read_back_as_the_same_values_and_types() -> None:
    day = dt.date(2027, 1, 26)
    rows: list[list[Value]] = [
        [1, day, "10:00", "Jobcoach", "VDAB", "Arabisch", "", 2.5, -3],
        [2, dt.date(1900, 3, 1), "08:30", "A & B <c> \"d\" 'e'", "  spaced  ", "two\nlines",
         "عربي", 0, -1234.56],
        [3, dt.date(2099, 12, 31), "", "ትግርኛ", "x\x00y\x1fz", "", "", 10**12, 0.1],
    ]  # fmt: skip
    data = workbook_bytes(
        [
            Sheet("Cijfers", ["Wat", "Hoeveel"], [["Afspraken", 3]], [10, 12]),
            Sheet("Afspraken", [f"Kolom {n}" for n in range(9)], rows, [10] * 9),
        ]
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Cijfers", "Afspraken"]
    assert [[c.value for c in row] for row in book["Cijfers"].iter_rows()] == [
        ["Wat", "Hoeveel"],
        ["Afspraken", 3],
    ]
    sheet = book["Afspraken"]
    read = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    midnight = dt.datetime.combine
    assert read == [
        [1, midnight(day, dt.time()), "10:00", "Jobcoach", "VDAB", "Arabisch", None, 2.5, -3],
        [2, dt.datetime(1900, 3, 1), "08:30", "A & B <c> \"d\" 'e'", "  spaced  ",
         "two\nlines", "عربي", 0, -1234.56],
        [3, dt.datetime(2099, 12, 31), None, "ትግርኛ", "xyz", None, None, 10**12, 0.1],
    ]  # fmt: skip
    # Text is text (never a formula), numbers numbers, dates dates in the one date style.
    assert sheet["D2"].data_type == "s" and sheet["A2"].data_type == "n"
    assert {sheet[f"B{n}"].number_format for n in (2, 3, 4)} == {"yyyy-mm-dd"}
    assert sheet["A2"].number_format == "General" and sheet["D2"].number_format == "General"
    # The header: bold, frozen, its columns as wide as asked; the body not bold.
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 10
    assert book["Cijfers"].column_dimensions["B"].width == 12


def test_a_long_sheet_is_written_in_batches_and_read_back_whole() -> None:
    count = ROWS_PER_WRITE * 3 + 7
    rows = (
        (n, f"rij {n % 4}", dt.date(2027, 1, 1) + dt.timedelta(days=n % 40)) for n in range(count)
    )
    data = workbook_bytes([Sheet("Lang", ["Nr", "Wat", "Dag"], rows, [10, 10, 10])])
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Lang"]
    read = [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(read) == count
    assert read[-1] == (count - 1, f"rij {(count - 1) % 4}",
                        dt.datetime(2027, 1, 1) + dt.timedelta(days=(count - 1) % 40))  # fmt: skip


@pytest.mark.parametrize("title", ["Afspraken & <cijfers>", "x" * 40])
def test_every_part_is_well_formed_and_named_in_the_content_types(title: str) -> None:
    data = workbook_bytes([Sheet(title, ["a"], [["b"]], [10])])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        for name in names:
            ElementTree.fromstring(archive.read(name))  # raises on anything malformed
        types = archive.read("[Content_Types].xml").decode()
    assert "/xl/worksheets/sheet1.xml" in types and "/xl/styles.xml" in types
    assert load_workbook(io.BytesIO(data)).sheetnames == [title[:31]]
