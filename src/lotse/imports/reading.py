"""Reading an uploaded table: an Excel workbook (XLSX), an OpenDocument
spreadsheet (ODS) or a CSV file in any common delimiter and encoding, sheet
by sheet, as rows of cell values.

Uploads are untrusted: the file's first bytes decide how it is read (not its
name), a workbook's unpacked size and number of parts are capped before it is
opened (a zip bomb is refused), its XML is parsed with defusedxml (by openpyxl
for XLSX, here for ODS), and a table may have at most MAX_ROWS rows and
MAX_COLUMNS columns.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import defusedxml  # noqa: F401 - openpyxl parses with it once it is installed
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import values

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 2_000
MAX_ROWS = 50_000
MAX_COLUMNS = 200
HEADER_SEARCH_ROWS = 10
DELIMITERS = ";,\t|"


class Unusable(ValueError):
    """The file cannot be read as a table; the message says why."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


def read(data: bytes) -> list[Sheet]:
    """The sheets of an uploaded XLSX, ODS or CSV file, each without its empty
    rows at the end and with trailing empty cells cut off."""
    if not data:
        raise Unusable(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise Unusable(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if data.startswith(b"PK\x03\x04"):
        return _workbook(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unusable(
            _("This is an old Excel file (XLS). Save it as an Excel workbook (XLSX) or as CSV.")
        )
    if b"\x00" in data[:4096]:
        raise Unusable(_("This is neither an Excel workbook (XLSX) nor a CSV file."))
    return [Sheet(name="CSV", rows=_csv(data))]


def _workbook(data: bytes) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except zipfile.BadZipFile as error:
        raise Unusable(_("The workbook is damaged.")) from error
    names = {part.filename for part in parts}
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise Unusable(_("The workbook unpacks to more than Lotse reads."))
    if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
        return _spreadsheet(archive, names)
    if "mimetype" in names and archive.read("mimetype").startswith(_OPENDOCUMENT):
        raise Unusable(_("This OpenDocument file is not a spreadsheet."))
    if "xl/workbook.xml" not in names:
        raise Unusable(_("This is neither an Excel workbook (XLSX) nor a CSV file."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise Unusable(_("The workbook is damaged.")) from error
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = _limited(worksheet.iter_rows(values_only=True))
            sheets.append(Sheet(name=worksheet.title, rows=rows))
    except Unusable:
        raise
    except Exception as error:
        raise Unusable(_("The workbook is damaged.")) from error
    finally:
        workbook.close()
    if not sheets:
        raise Unusable(_("The workbook has no sheets."))
    return sheets


_OPENDOCUMENT = b"application/vnd.oasis.opendocument"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELLS = {f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"}


def _spreadsheet(archive: zipfile.ZipFile, names: set[str]) -> list[Sheet]:
    """The sheets of an OpenDocument spreadsheet, read from its content.xml as
    it streams by. Repeated empty cells and rows (LibreOffice writes a million
    of them after the data) only count when data follows them."""
    if "content.xml" not in names:
        raise Unusable(_("The workbook is damaged."))
    sheets: list[Sheet] = []
    rows: list[list[Any]] = []
    row: list[Any] = []
    empty_rows = empty_cells = 0
    try:
        with archive.open("content.xml") as handle:
            for event, element in iterparse(handle, events=("start", "end"), forbid_dtd=True):
                tag = element.tag
                if event == "start":
                    if tag == f"{_TABLE}table":
                        rows, empty_rows = [], 0
                    elif tag == f"{_TABLE}table-row":
                        row, empty_cells = [], 0
                    continue
                if tag in _CELLS:
                    value = _cell(element)
                    repeated = _repeated(element, "number-columns-repeated")
                    if values.blank(value):
                        empty_cells += repeated
                    else:
                        if len(row) + empty_cells + repeated > MAX_COLUMNS:
                            raise Unusable(
                                _("The table has more than %(count)d columns.")
                                % {"count": MAX_COLUMNS}
                            )
                        row.extend([None] * empty_cells + [value] * repeated)
                        empty_cells = 0
                    element.clear()
                elif tag == f"{_TABLE}table-row":
                    repeated = _repeated(element, "number-rows-repeated")
                    if not row:
                        empty_rows += repeated
                    else:
                        if len(rows) + empty_rows + repeated > MAX_ROWS + HEADER_SEARCH_ROWS:
                            raise Unusable(
                                _("The table has more than %(count)d rows.") % {"count": MAX_ROWS}
                            )
                        rows.extend([[] for _ in range(empty_rows)])
                        rows.extend(list(row) for _ in range(repeated))
                        empty_rows = 0
                    element.clear()
                elif tag == f"{_TABLE}table":
                    sheets.append(Sheet(name=element.get(f"{_TABLE}name", ""), rows=rows))
                    element.clear()
    except Unusable:
        raise
    except Exception as error:  # broken XML, a DTD, entities …
        raise Unusable(_("The workbook is damaged.")) from error
    if not sheets:
        raise Unusable(_("The workbook has no sheets."))
    return sheets


def _repeated(element: Any, attribute: str) -> int:
    try:
        return max(1, int(element.get(f"{_TABLE}{attribute}", "1")))
    except ValueError:
        return 1


def _cell(element: Any) -> Any:
    """A cell's value as openpyxl would give it: numbers, dates, booleans, text."""
    kind = element.get(f"{_OFFICE}value-type")
    if kind in {"float", "percentage", "currency"}:
        number = float(element.get(f"{_OFFICE}value", "0"))
        return int(number) if number.is_integer() else number
    if kind == "date":
        raw = element.get(f"{_OFFICE}date-value", "")
        moment = datetime.datetime.fromisoformat(raw)
        return moment if "T" in raw else moment.date()
    if kind == "boolean":
        return element.get(f"{_OFFICE}boolean-value") == "true"
    paragraphs = ["".join(p.itertext()) for p in element.findall(f"{_TEXT}p")]
    return "\n".join(paragraphs) or None


class _Semicolon(csv.excel):
    delimiter = ";"


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM, else Windows-1252 (what Excel writes as CSV on
    German Windows); Latin-1 never fails, so Windows-1252 comes first."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv(data: bytes) -> list[list[Any]]:
    content = _decode(data)
    sample = content[:65536]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        # One column, or nothing the sniffer is sure of: the German Excel default.
        dialect = _Semicolon if sample.count(";") >= sample.count(",") else csv.excel
    try:
        return _limited(csv.reader(io.StringIO(content, newline=""), dialect))
    except csv.Error as error:
        raise Unusable(_("The CSV file is damaged: %(error)s") % {"error": error}) from error


def _limited(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    table: list[list[Any]] = []
    for row in rows:
        cells = list(row)
        while cells and values.blank(cells[-1]):
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise Unusable(_("The table has more than %(count)d columns.") % {"count": MAX_COLUMNS})
        table.append(cells)
        if len(table) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise Unusable(_("The table has more than %(count)d rows.") % {"count": MAX_ROWS})
    while table and not table[-1]:
        table.pop()
    return table


def header_row(rows: list[list[Any]], known: Callable[[str], bool]) -> int:
    """The index of the row with the column headings: among the first rows,
    the one naming most columns Lotse knows, then the one with most filled
    cells (a title row merged across the columns above it has one)."""
    best, best_score = 0, (-1, -1)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        filled = [values.text(cell) for cell in row if not values.blank(cell)]
        score = (sum(1 for cell in filled if known(cell)), len(filled))
        if score > best_score:
            best, best_score = index, score
    return best


def is_empty(row: list[Any]) -> bool:
    return all(values.blank(cell) for cell in row)
