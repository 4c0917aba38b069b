"""OpenDocument spreadsheets (ODS), as LibreOffice writes them: a title over
covered cells, typed cells (dates, numbers), text in spans, and a million
repeated empty rows after the data."""

import datetime
import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.utils import translation

from lotse.core.exceptions import ServiceError
from lotse.imports import reading, services
from lotse.people.models import Person

from .helpers import acting

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _cell(value):
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value:%d.%m.%Y}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>'
        f"{escape(value)}</text:p></table:table-cell>"
    )


def ods(
    sheets,
    *,
    prolog="",
    mimetype=b"application/vnd.oasis.opendocument.spreadsheet",
    edit=lambda content: content,
):
    tables = []
    for name, rows in sheets:
        body = []
        for row in rows:
            if isinstance(row, str):  # raw XML of a row
                body.append(row)
            else:
                body.append("<table:table-row>" + "".join(map(_cell, row)) + "</table:table-row>")
        tables.append(f'<table:table table:name="{name}">{"".join(body)}</table:table>')
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NAMESPACES}>'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", edit(content), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


TITLE = (
    '<table:table-row><table:table-cell table:number-columns-spanned="4" '
    'office:value-type="string"><text:p>Teilnehmende <text:span>2026</text:span></text:p>'
    '</table:table-cell><table:covered-table-cell table:number-columns-repeated="3"/>'
    "</table:table-row>"
)
# What LibreOffice writes after the data: empty rows up to the sheet's end.
TAIL = (
    '<table:table-row table:number-rows-repeated="1048570">'
    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
)
ROWS = [
    TITLE,
    [],
    ["Vorname", "Nachname", "Geburtsdatum", "PLZ", "Rolle"],
    ["Samira", "Darwish", datetime.date(1990, 2, 1), 76133, "Mentee"],
    '<table:table-row table:number-rows-repeated="2"><table:table-cell '
    'table:number-columns-repeated="5"/></table:table-row>',
    ["Olena", "Kowalenko", "14.07.1985", 1067, "Mentee"],
    TAIL,
]


def test_an_ods_file_is_read_with_its_typed_cells_and_without_the_empty_tail():
    sheets = reading.read(ods([("Liste", ROWS), ("Notizen", [["nichts"], TAIL])]))

    assert [sheet.name for sheet in sheets] == ["Liste", "Notizen"]
    rows = sheets[0].rows
    assert rows[0] == ["Teilnehmende 2026"]
    assert rows[1] == []
    assert rows[3] == ["Samira", "Darwish", datetime.date(1990, 2, 1), 76133, "Mentee"]
    assert rows[4] == rows[5] == []
    assert rows[6] == ["Olena", "Kowalenko", "14.07.1985", 1067, "Mentee"]
    assert len(rows) == 7
    assert sheets[1].rows == [["nichts"]]


def test_people_from_an_ods_file_import_completely(world):
    run = services.start_import(
        actor=acting(world.alice),
        organisation=world.org_a,
        site=world.site_a1,
        file_name="Teilnehmende.ods",
        data=ods([("Liste", ROWS)]),
    )
    assert run.file.name.endswith(".ods")
    assert run.header_row == 3
    run = services.set_columns(
        actor=acting(world.alice),
        run=run,
        version=run.version,
        header_row=run.header_row,
        mapping=run.mapping,
        role="",
        status="interested",
        match_key="name_birth_date",
        on_duplicate="skip",
    )
    assert services.preview(run, acting(world.alice).membership).errors == []

    done = services.run_import(actor=acting(world.alice), run=run, version=run.version)

    assert done.created == 2
    olena = Person.objects.get(family_name="Kowalenko")
    assert (olena.birth_date, olena.postal_code) == (datetime.date(1985, 7, 14), "01067")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Entities are refused (a "billion laughs" would expand them).
        (
            ods(
                [("Liste", [["&lol;"]])],
                prolog='<!DOCTYPE d [<!ENTITY lol "lol">]>',
                edit=lambda content: content.replace("&amp;lol;", "&lol;"),
            ),
            "damaged",
        ),
        (ods([("Liste", [["Text"]])], mimetype=b"application/vnd.oasis.opendocument.text"),
         "not a spreadsheet"),
        (ods([("Liste", ['<table:table-row table:number-rows-repeated="60000">'
                         '<table:table-cell office:value-type="string"><text:p>x</text:p>'
                         "</table:table-cell></table:table-row>"])]), "more than 50000 rows"),
        (ods([("Liste", ['<table:table-row><table:table-cell office:value-type="string" '
                         'table:number-columns-repeated="300"><text:p>x</text:p>'
                         "</table:table-cell></table:table-row>"])]), "more than 200 columns"),
    ],
)  # fmt: skip
def test_what_an_ods_file_must_not_hold_is_refused(data, message):
    with pytest.raises(reading.Unusable, match=message):
        reading.read(data)


def test_the_wizard_refuses_a_damaged_ods_file(world):
    data = ods([("Liste", [["Vorname"]])], edit=lambda c: c.replace("</office:spreadsheet>", ""))
    with pytest.raises(ServiceError, match="damaged"):
        services.start_import(
            actor=acting(world.alice),
            organisation=world.org_a,
            site=world.site_a1,
            file_name="kaputt.ods",
            data=data,
        )
