"""Importing people: the columns Lotse knows, the headings it recognises for
them in German and English, and how a row becomes a person."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from anyascii import anyascii
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.core import reference
from lotse.people.models import LanguageLevel, Person, PoolRole, Status

from . import values
from .catalogue import Catalogue, Column, Problem, choice
from .values import Unreadable

role = choice(
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
status = choice(
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
COLUMNS = tuple(replace(column, model=Person) for column in COLUMNS)
CATALOGUE = Catalogue(COLUMNS)
BY_CODE = CATALOGUE.by_code
known_heading = CATALOGUE.known_heading
suggest = CATALOGUE.suggest
PERSON_VALUES = tuple(c.code for c in COLUMNS if c.code not in {"languages", "role", "status"})


EXAMPLE_ROWS = (
    ("Samira", "Beispiel", "M-0001", "01.02.1990", "w", "samira.beispiel@example.org",
     "0721 123456", "Hauptstraße 1", "76133", "Karlsruhe", "Syrien",
     "Arabisch (Muttersprache), Deutsch (B1)", "Bauzeichnerin", "", "Mentee", "interessiert"),
    ("Jonas", "Muster", "E-0001", "3.4.62", "m", "", "0170 1234567", "", "76646", "Bruchsal",
     "Deutschland", "Deutsch (Muttersprache), Englisch (B2)", "Bauingenieur", "", "Mentor",
     "aktiv"),
)  # fmt: skip


def example_workbook() -> bytes:
    """An XLSX with a column for each field and two fictional people."""
    return CATALOGUE.example(str(gettext_lazy("People")), EXAMPLE_ROWS)


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
