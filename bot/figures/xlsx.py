"""A workbook of plain tables written straight as XLSX (Office Open XML) parts.

openpyxl, even write-only, builds an object per cell and runs its XML serialiser over it:
about 0.4 ms a row of the appointments sheet, ten seconds for a city's month. What the
export needs is small: text, whole numbers and decimals, dates, a bold frozen header and
column widths. So each row is formatted once, as text, and written to the zip entry a
batch at a time: the file is never held twice and no cell object is ever made.

Text goes as inline strings (no shared-string table to build first), every date cell has
the one date style and every header cell the one bold style. What Excel, LibreOffice and
openpyxl read back is checked in tests/test_xlsx.py.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO
from xml.sax.saxutils import escape, quoteattr

Value = str | int | float | dt.date

# Excel's day 0 (1900 date system, with Lotus's leap day 1900-02-29 already counted in).
EPOCH = dt.date(1899, 12, 30)
DATE_FORMAT = "yyyy-mm-dd"
# Style numbers in styles.xml's cellXfs, below.
PLAIN, DATE, BOLD = 0, 1, 2
# Characters XML 1.0 forbids in a document: openpyxl refuses them; a report drops them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ROWS_PER_WRITE = 500

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
PACKAGE_RELATIONSHIPS = f"{PACKAGE}/relationships"
RELATIONS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Sheet:
    """One sheet to write: its name (Excel takes at most 31 characters), the bold header
    row, the rows (read once, as they come), and each column's width in characters."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Value]]
    widths: Sequence[float]


def column_letter(number: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    value = escape(NOT_XML.sub("", value))
    # Leading or trailing spaces and line breaks are kept only when XML is told to.
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f"<t{space}>{value}</t>"


class _Cells:
    """Each cell after its reference (`<c r="B7`), formatted once per distinct text or
    date: a month's rows repeat the same few words, times and days."""

    def __init__(self, style: int) -> None:
        self.style = f' s="{style}"' if style else ""
        self.known: dict[str | dt.date, str] = {}

    def tail(self, value: Value) -> str:
        if isinstance(value, bool):  # an int to Python, a truth value to Excel
            return f'"{self.style} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):  # numbers are mostly different: not kept
            return f'"{self.style}><v>{value!r}</v></c>'
        found = self.known.get(value)
        if found is None:
            found = self.known[value] = self._format(value)
        return found

    def _format(self, value: str | dt.date) -> str:
        if isinstance(value, dt.datetime):
            days = (value.replace(tzinfo=None) - dt.datetime(1899, 12, 30)) / dt.timedelta(days=1)
            return f'" s="{DATE}"><v>{days!r}</v></c>'
        if isinstance(value, dt.date):
            return f'" s="{DATE}"><v>{(value - EPOCH).days}</v></c>'
        return f'"{self.style} t="inlineStr"><is>{_text(value)}</is></c>'


def _row(number: int, values: Sequence[Value], letters: list[str], cells: _Cells) -> str:
    suffix = str(number)
    if len(values) > len(letters):  # a row longer than the header: more columns
        letters += [column_letter(n) for n in range(len(letters) + 1, len(values) + 1)]
    parts = [f'<row r="{suffix}">']
    for letter, value in zip(letters, values, strict=False):
        if value == "":  # an empty cell is no cell, as in Excel
            continue
        parts.append(f'<c r="{letter}{suffix}{cells.tail(value)}')
    parts.append("</row>")
    return "".join(parts)


def _sheet(out: IO[bytes], sheet: Sheet) -> None:
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
        for n, width in enumerate(sheet.widths, start=1)
    )
    out.write(
        (
            f'{HEADER}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            "</sheetView></sheetViews>"
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + "<sheetData>"
        ).encode()
    )
    letters = [column_letter(n) for n in range(1, len(sheet.header) + 1)]
    body = _Cells(PLAIN)
    batch = [_row(1, sheet.header, letters, _Cells(BOLD))]
    for number, row in enumerate(sheet.rows, start=2):
        batch.append(_row(number, row, letters, body))
        if len(batch) >= ROWS_PER_WRITE:
            out.write("".join(batch).encode())
            batch.clear()
    batch.append("</sheetData></worksheet>")
    out.write("".join(batch).encode())


STYLES = (
    f'{HEADER}<styleSheet xmlns="{MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook_parts(titles: Sequence[str]) -> dict[str, str]:
    sheets = "".join(
        f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
        for n, title in enumerate(titles, start=1)
    )
    sheet_relations = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet"'
        f' Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(titles) + 1)
    )
    styles_id = len(titles) + 1
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SHEET_TYPE}"/>'
        for n in range(1, len(titles) + 1)
    )
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return {
        "[Content_Types].xml": (
            f'{HEADER}<Types xmlns="{PACKAGE}/content-types">'
            f'<Default Extension="rels" ContentType="{RELATIONS_TYPE}"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{HEADER}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument"'
            ' Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{HEADER}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            f"<sheets>{sheets}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{HEADER}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{sheet_relations}'
            f'<Relationship Id="rId{styles_id}" Type="{RELATIONSHIPS}/styles"'
            ' Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": STYLES,
    }


def write(target: IO[bytes], sheets: Sequence[Sheet]) -> None:
    """The workbook into `target` (a file or a buffer), one sheet after the other."""
    # Level 1: a few times faster than zlib's default, and the file a few % larger.
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _workbook_parts([sheet.title[:31] for sheet in sheets]).items():
            archive.writestr(name, text)
        for number, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as out:
                _sheet(out, sheet)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    output = io.BytesIO()
    write(output, sheets)
    return output.getvalue()
