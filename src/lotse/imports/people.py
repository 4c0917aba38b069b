"""Importing people: the columns Lotse knows, the headings it recognises for
them in German and English, and how a row becomes a person."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from anyascii import anyascii
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from lotse.core import reference
from lotse.people.models import LanguageLevel, Person, PoolRole, Status

from . import values
from .values import Unreadable


def _choice(choices: type, words: dict[str, tuple[str, ...]], expected: Promise):
    def parse(value: Any) -> str | None:
        if values.blank(value):
            return None
        raw = values.key(value)
        for code, label in choices.choices:
            if raw in {values.key(code), values.key(label)} | {
                values.key(w) for w in words.get(code, ())
            }:
                return code
        raise Unreadable(
            _("“%(value)s” is not one of the choices.") % {"value": values.text(value)},
            str(expected),
        )

    return parse


role = _choice(
    PoolRole,
    {
        PoolRole.PARTICIPANT: (
            "mentee", "teilnehmer", "teilnehmerin", "teilnehmende", "participant", "klient",
            "klientin", "client", "ratsuchende", "ratsuchender",
        ),
        PoolRole.VOLUNTEER: (
            "mentor", "mentorin", "ehrenamt", "ehrenamtlich", "ehrenamtliche", "ehrenamtlicher",
            "volunteer",
        ),
    },
    gettext_lazy("Mentee or Mentor (participant or volunteer)"),
)  # fmt: skip
status = _choice(
    Status,
    {
        Status.INTERESTED: ("interessiert", "interessent", "interessentin", "neu", "new"),
        Status.ONBOARDING: ("in aufnahme", "aufnahme", "einarbeitung"),
        Status.ACTIVE: ("aktiv",),
        Status.PAUSED: ("pausiert", "pause", "ruhend"),
        Status.ALUMNI: ("ehemalig", "ehemalige", "ehemaliger", "abgeschlossen"),
        Status.WITHDRAWN: ("ausgeschieden", "zurückgezogen", "abgemeldet", "inaktiv"),
    },
    gettext_lazy("interessiert, aktiv, pausiert, ehemalig or ausgeschieden"),
)


@dataclass(frozen=True)
class Column:
    code: str
    label: Promise
    headings: tuple[str, ...]
    parse: Callable[[Any], Any]
    required: bool = False

    @property
    def max_length(self) -> int | None:
        try:
            return Person._meta.get_field(self.code).max_length
        except Exception:  # not a field of Person (languages, role, status)
            return None


COLUMNS = (
    Column(
        "given_name",
        gettext_lazy("Given name"),
        ("vorname", "vornamen", "rufname", "first name", "given name", "forename"),
        values.text,
        required=True,
    ),
    Column(
        "family_name",
        gettext_lazy("Family name"),
        ("nachname", "familienname", "name", "surname", "last name", "family name"),
        values.text,
        required=True,
    ),
    Column(
        "external_id",
        gettext_lazy("Own number"),
        ("kennung", "kennnummer", "personennummer", "eigene nummer", "id", "external id",
         "own number", "reference"),
        values.text,
    ),
    Column(
        "birth_date",
        gettext_lazy("Date of birth"),
        ("geburtsdatum", "geb datum", "geboren am", "geb", "geboren", "date of birth",
         "birth date", "birthday", "dob"),
        values.date,
    ),
    Column(
        "gender", gettext_lazy("Gender"), ("geschlecht", "anrede", "gender", "sex"), values.gender
    ),
    Column(
        "email",
        gettext_lazy("E-mail address"),
        ("e mail", "email", "mail", "e mail adresse", "email adresse", "email address"),
        values.email,
    ),
    Column(
        "phone",
        gettext_lazy("Phone"),
        ("telefon", "tel", "telefonnummer", "handy", "handynummer", "mobil", "mobilnummer",
         "phone", "mobile", "phone number"),
        values.phone,
    ),
    Column(
        "street",
        gettext_lazy("Street"),
        ("strasse", "str", "strasse und hausnummer", "adresse", "anschrift", "street", "address"),
        values.text,
    ),
    Column(
        "postal_code",
        gettext_lazy("Postal code"),
        ("plz", "postleitzahl", "postal code", "zip", "zip code", "postcode"),
        values.postal_code,
    ),
    Column(
        "municipality",
        gettext_lazy("Municipality"),
        ("ort", "wohnort", "stadt", "gemeinde", "city", "town", "municipality", "place"),
        values.text,
    ),
    Column(
        "country_of_origin",
        gettext_lazy("Country of origin"),
        ("herkunftsland", "herkunft", "land", "country of origin", "origin", "country"),
        values.country,
    ),
    Column(
        "languages",
        gettext_lazy("Languages"),
        ("sprachen", "sprachkenntnisse", "sprache", "languages", "language skills", "language"),
        values.languages,
    ),
    Column(
        "qualifications",
        gettext_lazy("Qualifications"),
        ("qualifikation", "qualifikationen", "abschluss", "abschlusse", "ausbildung",
         "beruf", "qualifications", "qualification", "profession"),
        values.text,
    ),
    Column(
        "notes",
        gettext_lazy("Notes"),
        ("bemerkung", "bemerkungen", "notiz", "notizen", "anmerkung", "anmerkungen",
         "kommentar", "notes", "comments", "remarks"),
        values.text,
    ),
    Column("role", gettext_lazy("Role in the pool"), ("rolle", "role", "art", "typ"), role),
    Column("status", gettext_lazy("Status"), ("status", "stand"), status),
)  # fmt: skip
BY_CODE = {column.code: column for column in COLUMNS}
_HEADINGS = {values.key(heading): column.code for column in COLUMNS for heading in column.headings}
for _column in COLUMNS:
    _HEADINGS.setdefault(values.key(_column.code.replace("_", " ")), _column.code)
PERSON_VALUES = tuple(c.code for c in COLUMNS if c.code not in {"languages", "role", "status"})


@cache
def _headings() -> dict[str, str]:
    """The headings Lotse recognises: its list, and each field's name in
    German and English (as the example file writes them)."""
    headings = dict(_HEADINGS)
    for language in ("de", "en"):
        with translation.override(language):
            for column in COLUMNS:
                headings.setdefault(values.key(str(column.label)), column.code)
    return headings


def known_heading(heading: str) -> bool:
    return values.key(heading) in _headings()


EXAMPLE_ROWS = (
    ("Samira", "Beispiel", "M-0001", "01.02.1990", "w", "samira.beispiel@example.org",
     "0721 123456", "Hauptstraße 1", "76133", "Karlsruhe", "Syrien",
     "Arabisch (Muttersprache), Deutsch (B1)", "Bauzeichnerin", "", "Mentee", "interessiert"),
    ("Jonas", "Muster", "E-0001", "3.4.62", "m", "", "0170 1234567", "", "76646", "Bruchsal",
     "Deutschland", "Deutsch (Muttersprache), Englisch (B2)", "Bauingenieur", "", "Mentor",
     "aktiv"),
)  # fmt: skip


def example_workbook() -> bytes:
    """An XLSX with a column for each field, headed in the UI language, and
    two rows of fictional people: a file to fill in."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(gettext_lazy("People"))[:31]
    sheet.append([str(column.label) for column in COLUMNS])
    for row in EXAMPLE_ROWS:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def suggest(headings: list[str], saved: dict[str, str] | None = None) -> dict[str, str]:
    """A field for each heading Lotse recognises ("Vorname", "PLZ", "E-Mail"),
    from a saved mapping first; each field once, for its first column."""
    saved = saved or {}
    known = _headings()
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for index, heading in enumerate(headings):
        name = values.key(heading)
        code = saved.get(name) or known.get(name)
        if code in BY_CODE and code not in taken:
            mapping[str(index)] = code
            taken.add(code)
    return mapping


@dataclass
class Problem:
    row: int
    column: str
    problem: str
    expected: str = ""
    error: bool = True


@dataclass
class Row:
    """One row of the file, read: the values for the person, and what is wrong."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    languages: list[tuple[str, str]] = field(default_factory=list)
    role: str = ""
    status: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def role_label(self) -> str:
        return str(PoolRole(self.role).label) if self.role in PoolRole.values else ""

    @property
    def language_labels(self) -> list[tuple[str, str]]:
        levels = dict(LanguageLevel.choices)
        return [(reference.language_name(code), str(levels[lv])) for code, lv in self.languages]

    @property
    def name(self) -> str:
        return f"{self.values.get('given_name', '')} {self.values.get('family_name', '')}".strip()


def read_row(
    number: int,
    cells: list[Any],
    mapping: dict[int, str],
    headings: list[str],
    *,
    default_role: str,
    default_status: str,
) -> Row:
    row = Row(number=number)

    def problem(column: int, message: str, expected: str = "", error: bool = True) -> None:
        heading = headings[column] if column < len(headings) else ""
        row.problems.append(Problem(number, heading, message, expected, error))

    unreadable_codes: set[str] = set()
    for index, code in mapping.items():
        column = BY_CODE[code]
        cell = cells[index] if index < len(cells) else None
        try:
            value = column.parse(cell)
        except Unreadable as unreadable:
            problem(index, unreadable.problem, unreadable.expected)
            unreadable_codes.add(code)
            continue
        if value is None or value == "" or value == []:
            continue
        if code == "languages":
            for language, level in value:
                if level is None:
                    problem(
                        index,
                        _("No level given for %(language)s: it is left out.")
                        % {"language": values.text(cell)},
                        _("a level after each language, e.g. Deutsch (B1)"),
                        error=False,
                    )
                else:
                    row.languages.append((language, level))
        elif code in {"role", "status"}:
            setattr(row, code, value)
        else:
            if column.max_length and len(value) > column.max_length:
                problem(
                    index,
                    _("Longer than %(count)d characters.") % {"count": column.max_length},
                    _("at most %(count)d characters") % {"count": column.max_length},
                )
                continue
            row.values[code] = value
    for code in ("given_name", "family_name"):
        if not row.values.get(code) and code not in unreadable_codes:
            column_index = next((i for i, c in mapping.items() if c == code), len(headings))
            problem(
                column_index,
                _("%(field)s is missing.") % {"field": BY_CODE[code].label},
                _("a name"),
            )
    row.role = row.role or default_role
    row.status = row.status or default_status or Status.INTERESTED
    if not row.role and "role" not in unreadable_codes:
        problem(
            next((i for i, c in mapping.items() if c == "role"), len(headings)),
            _("The role in the pool is missing."),
            _("Mentee or Mentor, or one role for the whole file"),
        )
    given, family = row.values.get("given_name", ""), row.values.get("family_name", "")
    latin = anyascii(f"{given} {family}").strip()
    if latin != f"{given} {family}".strip():
        row.values["latin_name"] = latin[:200]
    return row
