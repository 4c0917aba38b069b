"""Workbooks and CSV files of the shape offices keep: a title merged across
the columns above the headings, empty rows, dates typed as text beside real
date cells, numbers that lost their leading zero."""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata

from openpyxl import Workbook

from lotse.accounts.models import Membership, User

HEADINGS = ["Nr.", "Vorname", "Nachname", "Geburtsdatum", "E-Mail", "Telefon", "PLZ", "Wohnort",
            "Herkunftsland", "Sprachen", "Rolle", "Bemerkung"]  # fmt: skip

GOOD_ROWS = [
    [1, "Samira", "Darwish", "01.02.1990", "samira@example.org", "0721 123456", 76133,
     "Karlsruhe", "Syrien", "Arabisch (Muttersprache), Deutsch (B1)", "Mentee", "kam 2016"],
    [2, "Olena", "Kowalenko", datetime.datetime(1985, 7, 14), "", 1701234567, "01067",
     "Dresden", "Ukraine", "Ukrainisch (Muttersprache); Deutsch A2", "Mentee", ""],
    [3, "Jürgen", "Mu\u0308ller", "3.4.62", "j.mueller@example.org", "", 76646, "Bruchsal",
     "Deutschland", "Deutsch (Muttersprache), Englisch (B2)", "Mentor", ""],
]  # fmt: skip


def acting(user: User) -> User:
    user.membership = Membership.objects.get(user=user)
    return user


def workbook(rows: list[list], *, title: str = "Teilnehmende 2026", sheets: int = 1) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Liste"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    sheet.append([])
    sheet.append(HEADINGS)
    for index, row in enumerate(rows):
        sheet.append(row)
        if index == 0:
            sheet.append([])  # an empty row between the records
    for extra in range(1, sheets):
        book.create_sheet(f"Notizen {extra}").append(["nichts"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(rows: list[list], *, encoding: str = "cp1252", delimiter: str = ";") -> bytes:
    """As Excel writes it: quoted where a cell holds the delimiter, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(HEADINGS)
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, datetime.datetime):
                cell = cell.strftime("%d.%m.%Y")
            cells.append("" if cell is None else unicodedata.normalize("NFC", str(cell)))
        writer.writerow(cells)
    return out.getvalue().encode(encoding)


EMPLOYER_HEADINGS = ["Firma", "Branche", "PLZ", "Ort", "Webseite", "Ansprechpartner",
                     "Funktion", "Telefon", "E-Mail", "Kein Newsletter"]  # fmt: skip
EMPLOYER_ROWS = [
    ["Pflegedienst Lindenhof", "Q", 4109, "Leipzig", "www.lindenhof.example", "Frau Linde",
     "Pflegedienstleitung", "0341 123456", "linde@lindenhof.example", "nein"],
    ["Pflegedienst Lindenhof", "", "", "", "", "Herr Ahmadi", "Ausbildung", "0341 123457",
     "", "x"],
    ["Malerbetrieb Farbe", "Baugewerbe", "04229", "Leipzig", "", "Frau Farbe", "Inhaberin",
     "", "", ""],
    ["Bäckerei Sonnenkorn", "", "", "Leipzig", "", "Herr Korn", "Backstube", "", "", ""],
]  # fmt: skip


def book(headings, rows, *, title="Arbeitgeberliste Stand 11/2026"):
    """A title merged above the headings, and an empty row after the second record row."""
    workbook_ = Workbook()
    sheet = workbook_.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    sheet.append(headings)
    for index, row in enumerate(rows):
        sheet.append(row)
        if index == 1:
            sheet.append([])
    out = io.BytesIO()
    workbook_.save(out)
    return out.getvalue()
