"""Export of a selection of the pool to XLSX and CSV, as the offices use them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Person

# In a CSV file opened in a spreadsheet, a cell starting with one of these is
# a formula: a name like "=HYPERLINK(...)" typed into a form must stay text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object, prefixes: tuple[str, ...] = _FORMULA_PREFIXES) -> object:
    if isinstance(value, str) and value.startswith(prefixes):
        return "'" + value
    return value


def rows(people: Iterable[Person]) -> tuple[list[str], list[list[object]]]:
    header = [
        _("Family name"),
        _("Given name"),
        _("Name in Latin letters"),
        _("Roles and status"),
        _("Site"),
        _("Date of birth"),
        _("Gender"),
        _("Phone"),
        _("E-mail address"),
        _("Postal code"),
        _("Municipality"),
        _("Languages"),
        _("Country of origin"),
    ]
    body = []
    for person in people:
        body.append(
            [
                value
                for value in (
                    person.family_name,
                    person.given_name,
                    person.latin_name,
                    ", ".join(
                        f"{role.get_role_display()}: {role.get_status_display()}"
                        for role in person.roles.all()
                    ),
                    person.site.name,
                    person.birth_date,
                    person.get_gender_display(),
                    person.phone,
                    person.email,
                    person.postal_code,
                    person.municipality,
                    ", ".join(str(language) for language in person.languages.all()),
                    person.country_name,
                )
            ]
        )
    return header, body


def to_xlsx(header: list[str], body: list[list[object]], sheet: str | None = None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet((sheet or _("People"))[:31])
    sheet.append(header)
    for row in body:
        # openpyxl stores a string starting with "=" as a formula; nothing else is.
        sheet.append([safe(value, ("=",)) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(header: list[str], body: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM: what German Excel opens correctly by double-click.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(["" if value is None else safe(value) for value in row] for row in body)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
