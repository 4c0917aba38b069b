"""Imports of the organisation's own records: employers and institutions with
their contact persons, and offers. One row is one record; a row that names a
record of an earlier row again adds a further contact person to it, the way
offices list them:

    Bäckerei Sommer | Frau Sommer | 0721 1111
    Bäckerei Sommer | Herr Öz     | 0721 2222

A record is recognised in the organisation by its name (an employer also by
its town, an offer by its provider, title and start). Updating fills in and
corrects the record; values the file leaves empty stay as they are."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lotse.accounts.models import User
from lotse.core.exceptions import ServiceError
from lotse.core.models import Organisation, SupportArea
from lotse.core.services import Incoming
from lotse.employers import services as employers
from lotse.employers.models import Employer, EmployerContact, Relationship, SizeClass
from lotse.network import services as network
from lotse.network.models import ContactPerson, Domain, Institution, InstitutionKind, Offer
from lotse.people.models import Industry

from . import reading, values
from .catalogue import Catalogue, Column, Preview, Problem, RowPlan, choice
from .models import ImportKind, OnDuplicate
from .values import Unreadable

CONTACT = "contact_"


@dataclass
class Record:
    """One record of the file as read: its values, its contact persons (each
    from its own row), and what is wrong. `number` is its first row."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    contacts: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Shown in the preview: what the lookups found (the provider's name …).
    shown: dict[str, str] = field(default_factory=dict)
    title_field: str = "name"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def name(self) -> str:
        return self.values.get(self.title_field, "")


# --- Reading a row ---------------------------------------------------------------


def _cells(
    number: int, cells: list[Any], mapping: dict[int, str], headings: list[str], kind: Kind
) -> tuple[dict[str, Any], dict[str, Any], list[Problem], set[str]]:
    """The record's and the contact person's values of one row, its problems,
    and the fields whose cells could not be read."""
    own: dict[str, Any] = {}
    contact: dict[str, Any] = {}
    problems: list[Problem] = []
    unreadable: set[str] = set()
    for index, code in mapping.items():
        column = kind.catalogue.by_code[code]
        heading = headings[index] if index < len(headings) else ""
        cell = cells[index] if index < len(cells) else None
        try:
            value = column.parse(cell)
        except Unreadable as error:
            problems.append(Problem(number, heading, error.problem, error.expected))
            unreadable.add(code)
            continue
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, str) and column.max_length and len(value) > column.max_length:
            problems.append(
                Problem(
                    number,
                    heading,
                    _("Longer than %(count)d characters.") % {"count": column.max_length},
                    _("at most %(count)d characters") % {"count": column.max_length},
                )
            )
            unreadable.add(code)
            continue
        if code.startswith(CONTACT):
            contact[column.field or code.removeprefix(CONTACT)] = value
        else:
            own[column.field or code] = value
    return own, contact, problems, unreadable


def _heading(mapping: dict[int, str], headings: list[str], code: str) -> str:
    index = next((i for i, c in mapping.items() if c == code), None)
    return headings[index] if index is not None and index < len(headings) else ""


# --- The kinds -------------------------------------------------------------------


class Kind:
    """One kind of organisation record the wizard imports."""

    code: str
    catalogue: Catalogue
    model: type[models.Model]
    contact_model: type[models.Model] | None = None
    parent_field = ""  # the contact person's field for its record
    title_field = "name"
    detail = ""  # the URL name of a record's page
    # What to do with a record that is there already.
    on_duplicate: tuple[str, ...] = (OnDuplicate.SKIP, OnDuplicate.UPDATE, OnDuplicate.CREATE)
    # Lookups that need the database, by field: {field: {key: (pk, name)}}.
    example_title: Promise
    # Values of a new record where the file has none.
    defaults: dict[str, Any] = {}
    example_rows: tuple[tuple[Any, ...], ...] = ()

    @property
    def required(self) -> list[str]:
        return [column.code for column in self.catalogue.columns if column.required]

    def lookups(self, organisation_id: int) -> dict[str, dict[str, tuple[int, str]]]:
        return {}

    def resolve(self, record: Record, lookups: dict, mapping, headings) -> None:
        """Check and complete the values with what needs the database."""

    def key(self, record: Record) -> tuple | None:
        name = values.key(record.values.get(self.title_field, ""))
        return (name,) if name else None

    def existing(self, organisation_id: int) -> dict[tuple, list[models.Model]]:
        found: dict[tuple, list[models.Model]] = {}
        rows = self.model.objects.filter(organisation_id=organisation_id).order_by("pk")
        for row in rows.iterator(chunk_size=5000):
            found.setdefault(self.key_of(row), []).append(row)
        return found

    def key_of(self, row: models.Model) -> tuple:
        return (values.key(getattr(row, self.title_field)),)

    def find(
        self, record: Record, pool: dict[tuple, list[models.Model]]
    ) -> tuple[models.Model | None, list[models.Model]]:
        same = pool.get(self.key(record) or (), [])
        return (same[0] if same else None), same[1:]

    def columns_shown(self) -> list[tuple[str, Callable[[Record], str]]]:
        """The columns of the preview's table of new records."""
        return []

    def write(
        self,
        actor: User,
        organisation: Organisation,
        records: list[Incoming],
        contacts: list[Incoming],
    ) -> list[tuple[models.Model, dict[str, Any] | None]]:
        raise NotImplementedError

    def restore(self, actor: User, row: models.Model, before: dict[str, Any]) -> None:
        raise NotImplementedError

    def url(self, row: models.Model) -> str:
        return reverse(self.detail, args=[row.pk])


def _contact_columns(model: type[models.Model], *extra: Column) -> tuple[Column, ...]:
    return (
        Column(
            "contact_name",
            gettext_lazy("Contact person"),
            ("ansprechpartner", "ansprechpartnerin", "ansprechperson", "kontaktperson",
             "kontakt", "ansprechpartner in", "name ansprechpartner", "contact person",
             "contact"),
            values.text,
            model=model,
            field="name",
        ),
        Column(
            "contact_function",
            gettext_lazy("Function of the contact person"),
            ("funktion", "position", "stelle", "aufgabe", "function", "job title"),
            values.text,
            model=model,
            field="function",
        ),
        Column(
            "contact_phone",
            gettext_lazy("Phone of the contact person"),
            ("telefon ansprechpartner", "tel ansprechpartner", "durchwahl", "telefon",
             "tel", "telefonnummer", "mobil", "handy", "phone", "contact phone"),
            values.phone,
            model=model,
            field="phone",
        ),
        Column(
            "contact_email",
            gettext_lazy("E-mail of the contact person"),
            ("e mail ansprechpartner", "mail ansprechpartner", "e mail", "email", "mail",
             "e mail adresse", "email address", "contact e mail"),
            values.email,
            model=model,
            field="email",
        ),
        *extra,
    )  # fmt: skip


def _text(code: str, label: Promise, headings: tuple[str, ...], model, **kwargs) -> Column:
    return Column(code, label, headings, values.text, model=model, **kwargs)


# Words the offices write for the choices.
_SIZES = {
    SizeClass.MICRO: ("kleinst", "kleinstunternehmen", "1 9", "bis 9"),
    SizeClass.SMALL: ("klein", "kleinunternehmen", "10 49"),
    SizeClass.MEDIUM: ("mittel", "mittelstand", "50 249"),
    SizeClass.LARGE: ("gross", "grossunternehmen", "250", "ab 250"),
}
_RELATIONSHIPS = {
    Relationship.PROSPECT: ("interessent", "potenziell", "akquise", "neu", "kontakt"),
    Relationship.ACTIVE: ("aktiv", "partner", "kooperationspartner", "kooperiert", "ja"),
    Relationship.DORMANT: ("ruhend", "inaktiv", "pausiert"),
    Relationship.DO_NOT_CONTACT: ("nicht kontaktieren", "kein kontakt", "keine werbung", "sperre"),
}


def _industry(value: Any) -> str | None:
    return values.text(value) or None


class EmployerImport(Kind):
    code = ImportKind.EMPLOYERS
    model = Employer
    contact_model = EmployerContact
    parent_field = "employer"
    detail = "employers:employer_detail"
    example_title = gettext_lazy("Employers")
    catalogue = Catalogue(
        (
            _text(
                "name",
                gettext_lazy("Employer"),
                ("firma", "firmenname", "unternehmen", "arbeitgeber", "arbeitgeberin",
                 "betrieb", "name", "company", "employer", "business"),
                Employer,
                required=True,
            ),
            Column(
                "industry",
                gettext_lazy("Industry (WZ 2008)"),
                ("branche", "wirtschaftszweig", "wz", "wz 2008", "industry", "sector"),
                _industry,
            ),
            Column(
                "size_class",
                gettext_lazy("Size"),
                ("grosse", "betriebsgrosse", "mitarbeitende", "beschaftigte", "size"),
                choice(SizeClass, _SIZES, gettext_lazy("klein, mittel, groß (or 1–9, 10–49 …)")),
            ),
            _text(
                "street",
                gettext_lazy("Street and number"),
                ("strasse", "str", "strasse und hausnummer", "adresse", "anschrift", "street",
                 "address"),
                Employer,
            ),
            Column(
                "postal_code",
                gettext_lazy("Postal code"),
                ("plz", "postleitzahl", "postal code", "zip", "postcode"),
                values.postal_code,
            ),
            _text(
                "municipality",
                gettext_lazy("Municipality"),
                ("ort", "stadt", "gemeinde", "sitz", "city", "town", "municipality"),
                Employer,
            ),
            Column(
                "website",
                gettext_lazy("Website"),
                ("webseite", "website", "homepage", "internet", "url", "web"),
                values.website,
            ),
            Column(
                "relationship",
                gettext_lazy("Relationship"),
                ("beziehung", "status", "kooperation", "relationship"),
                choice(
                    Relationship,
                    _RELATIONSHIPS,
                    gettext_lazy("Interessent, aktiv, ruhend or nicht kontaktieren"),
                ),
            ),
            _text(
                "notes",
                gettext_lazy("Notes"),
                ("bemerkung", "bemerkungen", "notiz", "notizen", "anmerkung", "kommentar",
                 "notes", "comments"),
                Employer,
            ),
            *_contact_columns(
                EmployerContact,
                Column(
                    "contact_newsletter_opt_out",
                    gettext_lazy("No newsletters"),
                    ("kein newsletter", "keine newsletter", "newsletter abbestellt",
                     "no newsletter", "no newsletters"),
                    values.yes_no,
                    field="newsletter_opt_out",
                ),
            ),
        )
    )  # fmt: skip
    example_rows = (
        ("Bäckerei Sommer GmbH", "C", "klein", "Kaiserstraße 10", "76133", "Karlsruhe",
         "www.baeckerei-sommer.example", "aktiv", "", "Anna Sommer", "Inhaberin",
         "0721 123456", "a.sommer@example.org", "nein"),
        ("Bäckerei Sommer GmbH", "", "", "", "", "", "", "", "", "Deniz Öz", "Ausbildung",
         "0721 123457", "", ""),
        ("Autohaus Weber KG", "G", "mittel", "Durlacher Allee 5", "76131", "Karlsruhe", "",
         "Interessent", "Messe 2026", "Jan Weber", "Personal", "", "", "ja"),
    )  # fmt: skip

    def lookups(self, organisation_id: int) -> dict[str, dict[str, tuple[int, str]]]:
        industries: dict[str, tuple[int, str]] = {}
        for industry in Industry.objects.all():
            for name in (industry.code, industry.name_de, industry.name_en):
                industries.setdefault(values.key(name), (industry.pk, str(industry)))
        return {"industry": industries}

    def resolve(self, record: Record, lookups: dict, mapping, headings) -> None:
        if "industry" not in record.values:
            return
        written = record.values.pop("industry")
        found = lookups["industry"].get(values.key(written))
        if found is None:
            record.problems.append(
                Problem(
                    record.number,
                    _heading(mapping, headings, "industry"),
                    _("“%(value)s” is not a section of the WZ 2008.") % {"value": written},
                    _("a letter from A to U, or the section's name, e.g. Baugewerbe"),
                )
            )
            return
        record.values["industry_id"], record.shown["industry"] = found

    def find(self, record, pool):
        same = pool.get(self.key(record) or (), [])
        town = values.key(record.values.get("municipality", ""))
        if town:
            in_town = [e for e in same if values.key(e.municipality) in {town, ""}]
            if in_town:
                return in_town[0], [e for e in same if e is not in_town[0]]
            return None, same
        return (same[0] if same else None), same[1:]

    def columns_shown(self):
        return [
            (_("Municipality"), lambda r: r.values.get("municipality", "")),
            (_("Industry (WZ 2008)"), lambda r: r.shown.get("industry", "")),
        ]

    def write(self, actor, organisation, records, contacts):
        return employers.import_employers(
            actor=actor, organisation=organisation, employers=records, contacts=contacts
        )

    def restore(self, actor, row, before):
        if isinstance(row, Employer):
            employers.save_employer(
                actor=actor,
                organisation=Organisation(pk=row.organisation_id),
                data=before,
                employer=row,
                version=row.version,
            )
        else:
            employers.save_contact(actor=actor, employer=row.employer, data=before, contact=row)


_DOMAINS = {
    Domain.MIGRATION: ("migration", "integration", "migration integration"),
    Domain.WORK: ("arbeit", "wirtschaft", "arbeit wirtschaft", "arbeitsmarkt", "work"),
    Domain.SOCIAL: ("soziales", "sozial", "social"),
    Domain.EDUCATION: ("bildung", "schule", "education"),
}
_INSTITUTION_KINDS = {
    InstitutionKind.EMPLOYMENT_AGENCY: ("agentur fur arbeit", "arbeitsagentur", "afa", "ba"),
    InstitutionKind.JOBCENTER: ("jc",),
    InstitutionKind.BAMF: ("bundesamt",),
    InstitutionKind.FOREIGNERS_AUTHORITY: ("auslanderbehorde", "abh", "auslanderamt"),
    InstitutionKind.SOCIAL_WELFARE_OFFICE: ("sozialamt",),
    InstitutionKind.YOUTH_WELFARE_OFFICE: ("jugendamt",),
    InstitutionKind.MUNICIPALITY: ("kommune", "gemeinde", "stadtverwaltung", "landratsamt",
                                   "kreisverwaltung", "verwaltung"),
    InstitutionKind.ADULT_EDUCATION_CENTRE: ("vhs", "volkshochschule"),
    InstitutionKind.LANGUAGE_SCHOOL: ("sprachschule", "sprachkurstrager", "kurstrager"),
    InstitutionKind.MIGRATION_COUNSELLING: ("mbe", "jmd", "migrationsberatung",
                                            "jugendmigrationsdienst"),
    InstitutionKind.CHAMBER: ("ihk", "hwk", "kammer", "handwerkskammer"),
    InstitutionKind.EMPLOYERS: ("unternehmensverband", "wirtschaftsverband", "arbeitgeberverband"),
    InstitutionKind.WELFARE_ORGANISATION: ("wohlfahrtsverband", "caritas", "diakonie", "awo",
                                           "drk", "paritatischer"),
    InstitutionKind.SCHOOL: ("schule", "berufsschule"),
    InstitutionKind.RECOGNITION_COUNSELLING: ("anerkennungsberatung", "iq netzwerk"),
    InstitutionKind.HEALTH: ("gesundheitsamt", "gesundheit"),
    InstitutionKind.ASSOCIATION: ("verein", "migrantenorganisation", "mso"),
    InstitutionKind.OTHER: ("sonstige", "sonstiges", "andere"),
}  # fmt: skip


class InstitutionImport(Kind):
    code = ImportKind.INSTITUTIONS
    model = Institution
    contact_model = ContactPerson
    parent_field = "institution"
    detail = "network:institution_detail"
    example_title = gettext_lazy("Institutions")
    defaults = {"kind": InstitutionKind.OTHER}
    # The name of an institution is unique in the network.
    on_duplicate = (OnDuplicate.SKIP, OnDuplicate.UPDATE)
    catalogue = Catalogue(
        (
            _text(
                "name",
                gettext_lazy("Institution"),
                ("institution", "einrichtung", "trager", "organisation", "behorde", "stelle",
                 "akteur", "partner", "name", "institution name"),
                Institution,
                required=True,
            ),
            _text(
                "short_name",
                gettext_lazy("Short name"),
                ("kurzname", "abkurzung", "kurzel", "kurzbezeichnung", "short name",
                 "abbreviation"),
                Institution,
            ),
            Column(
                "domain",
                gettext_lazy("Domain"),
                ("bereich", "handlungsfeld", "domane", "domain", "field"),
                choice(Domain, _DOMAINS, gettext_lazy("Migration, Arbeit, Soziales or Bildung")),
                required=True,
            ),
            Column(
                "kind",
                gettext_lazy("Type"),
                ("art", "typ", "art der einrichtung", "type", "kind"),
                choice(
                    InstitutionKind,
                    _INSTITUTION_KINDS,
                    gettext_lazy("e.g. Jobcenter, Ausländerbehörde, VHS, Verein or sonstige"),
                ),
            ),
            _text(
                "street",
                gettext_lazy("Street and number"),
                ("strasse", "str", "adresse", "anschrift", "street", "address"),
                Institution,
            ),
            Column(
                "postcode",
                gettext_lazy("Postal code"),
                ("plz", "postleitzahl", "postal code", "postcode", "zip"),
                values.postal_code,
            ),
            _text(
                "town",
                gettext_lazy("Town"),
                ("ort", "stadt", "gemeinde", "town", "city"),
                Institution,
            ),
            Column(
                "website",
                gettext_lazy("Website"),
                ("webseite", "website", "homepage", "internet", "url"),
                values.website,
            ),
            Column(
                "phone",
                gettext_lazy("Phone"),
                ("telefon", "tel", "telefonnummer", "zentrale", "phone"),
                values.phone,
            ),
            Column(
                "email",
                gettext_lazy("E-mail"),
                ("e mail", "email", "mail", "e mail adresse", "email address"),
                values.email,
            ),
            _text(
                "tasks",
                gettext_lazy("Tasks"),
                ("aufgaben", "aufgabe", "zustandigkeit", "tasks"),
                Institution,
            ),
            _text(
                "contributions",
                gettext_lazy("Possible contributions"),
                ("beitrag", "beitrage", "mogliche beitrage", "contributions"),
                Institution,
            ),
            Column(
                "cooperates",
                gettext_lazy("Cooperation exists"),
                ("kooperation", "kooperation besteht", "kooperiert", "cooperation",
                 "cooperates"),
                values.yes_no,
            ),
            *_contact_columns(
                ContactPerson,
                Column(
                    "contact_can_decide",
                    gettext_lazy("Contact person can decide"),
                    ("entscheidungsbefugt", "kann entscheiden", "entscheider", "can decide"),
                    values.yes_no,
                    field="can_decide",
                ),
            ),
        )
    )  # fmt: skip
    example_rows = (
        ("Jobcenter Musterstadt", "JC", "Arbeit", "Jobcenter", "Bahnhofstraße 1", "76133",
         "Karlsruhe", "", "0721 5550", "", "Grundsicherung, Vermittlung", "", "ja",
         "Petra Beispiel", "Teamleitung", "0721 5551", "p.beispiel@example.org", "ja"),
        ("Jobcenter Musterstadt", "", "", "", "", "", "", "", "", "", "", "", "",
         "Ali Muster", "Arbeitsvermittlung", "0721 5552", "", "nein"),
        ("Volkshochschule Musterstadt", "VHS", "Bildung", "VHS", "Kaiserallee 12", "76133",
         "Karlsruhe", "www.vhs.example", "", "", "Integrationskurse", "Kursplätze", "ja",
         "", "", "", "", ""),
    )  # fmt: skip

    def columns_shown(self):
        return [
            (_("Domain"), lambda r: str(Domain(r.values["domain"]).label)),
            (_("Town"), lambda r: r.values.get("town", "")),
        ]

    def write(self, actor, organisation, records, contacts):
        return network.import_institutions(
            actor=actor, organisation=organisation, institutions=records, contacts=contacts
        )

    def restore(self, actor, row, before):
        if isinstance(row, Institution):
            network.save_institution(
                actor=actor,
                organisation=Organisation(pk=row.organisation_id),
                data=before,
                institution=row,
                version=row.version,
            )
        else:
            network.save_contact(actor=actor, institution=row.institution, data=before, contact=row)


_AREAS = {
    SupportArea.LANGUAGE: ("sprache", "sprachkurs", "deutsch", "deutschkurs", "sprachforderung"),
    SupportArea.INTEGRATION_COURSE: ("integrationskurs", "ik"),
    SupportArea.COUNSELLING: ("beratung",),
    SupportArea.RECOGNITION: ("anerkennung", "anerkennungsberatung"),
    SupportArea.QUALIFICATION: ("qualifizierung", "weiterbildung", "ausbildung", "fortbildung"),
    SupportArea.APPLICATION: ("bewerbung", "bewerbungstraining", "jobsuche", "arbeitssuche"),
    SupportArea.WORK: ("arbeit", "praktikum", "beschaftigung"),
    SupportArea.MENTORING: ("patenschaft", "begleitung"),
    SupportArea.CHILDCARE: ("kinderbetreuung", "kita"),
    SupportArea.HEALTH: ("gesundheit",),
    SupportArea.HOUSING: ("wohnen", "wohnung", "wohnungssuche"),
    SupportArea.FINANCES: ("finanzen", "schulden", "schuldnerberatung"),
    SupportArea.AUTHORITIES: ("behorden", "amter", "behordengange"),
    SupportArea.LEISURE: ("freizeit", "begegnung", "soziale kontakte"),
}


def _language_codes(value: Any) -> list[str] | None:
    found = values.languages(value)
    return [code for code, _level in found] or None


class OfferImport(Kind):
    code = ImportKind.OFFERS
    model = Offer
    title_field = "title"
    detail = "network:offer_detail"
    example_title = gettext_lazy("Offers")
    catalogue = Catalogue(
        (
            _text(
                "title",
                gettext_lazy("Offer"),
                ("angebot", "titel", "bezeichnung", "kurs", "massnahme", "kursname", "title",
                 "offer", "course", "name"),
                Offer,
                required=True,
            ),
            Column(
                "area",
                gettext_lazy("Area"),
                ("bereich", "art", "kategorie", "themenfeld", "area", "category", "type"),
                choice(
                    SupportArea,
                    _AREAS,
                    gettext_lazy("e.g. Sprache, Integrationskurs, Beratung, Kinderbetreuung"),
                ),
                required=True,
            ),
            Column(
                "provider",
                gettext_lazy("Provider"),
                ("trager", "anbieter", "einrichtung", "institution", "veranstalter",
                 "provider"),
                values.text,
                required=True,
            ),
            Column(
                "language_level",
                gettext_lazy("Course level"),
                ("niveau", "kursniveau", "sprachniveau", "stufe", "level", "course level"),
                values.level,
            ),
            _text(
                "description",
                gettext_lazy("Description"),
                ("beschreibung", "inhalt", "inhalte", "description", "content"),
                Offer,
            ),
            _text(
                "target_groups",
                gettext_lazy("Target groups"),
                ("zielgruppe", "zielgruppen", "fur wen", "target group", "target groups"),
                Offer,
            ),
            _text(
                "place",
                gettext_lazy("Place"),
                ("ort", "kursort", "veranstaltungsort", "adresse", "place", "location"),
                Offer,
            ),
            _text(
                "schedule",
                gettext_lazy("Schedule"),
                ("zeiten", "zeit", "uhrzeit", "termine", "wochentage", "schedule", "times"),
                Offer,
            ),
            Column(
                "starts_on",
                gettext_lazy("Starts on"),
                ("beginn", "start", "kursbeginn", "von", "ab", "starts on", "start date"),
                values.date_near,
            ),
            Column(
                "ends_on",
                gettext_lazy("Ends on"),
                ("ende", "kursende", "bis", "ends on", "end date", "end"),
                values.date_near,
            ),
            Column(
                "capacity",
                gettext_lazy("Places"),
                ("platze", "teilnehmerplatze", "kapazitat", "anzahl platze", "places",
                 "capacity"),
                values.count,
            ),
            Column(
                "languages",
                gettext_lazy("Languages"),
                ("sprachen", "sprache", "unterrichtssprache", "kurssprache", "languages",
                 "language"),
                _language_codes,
            ),
            _text(
                "cost",
                gettext_lazy("Cost"),
                ("kosten", "gebuhr", "gebuhren", "preis", "cost", "fee"),
                Offer,
            ),
            Column(
                "childcare",
                gettext_lazy("Childcare provided"),
                ("kinderbetreuung", "mit kinderbetreuung", "childcare"),
                values.yes_no,
            ),
        )
    )  # fmt: skip
    example_rows = (
        ("Integrationskurs mit Kinderbetreuung", "Integrationskurs", "Volkshochschule Musterstadt",
         "B1", "", "Eltern mit kleinen Kindern", "Kaiserallee 12", "Mo–Do 9:00–12:15",
         "01.02.2027", "31.07.2027", 16, "Deutsch", "", "ja"),
        ("Bewerbungstraining", "Bewerbung", "JC", "", "Lebenslauf, Anschreiben, Gespräch", "",
         "Bahnhofstraße 1", "Di 14:00–16:00", "", "", 10, "Deutsch, Arabisch", "", "nein"),
    )  # fmt: skip

    def lookups(self, organisation_id: int) -> dict[str, dict[str, tuple[int, str]]]:
        providers: dict[str, tuple[int, str]] = {}
        rows = Institution.objects.filter(organisation_id=organisation_id).order_by("pk")
        for institution in rows.only("pk", "name", "short_name"):
            providers.setdefault(values.key(institution.name), (institution.pk, institution.name))
        for institution in rows.exclude(short_name="").only("pk", "name", "short_name"):
            providers.setdefault(
                values.key(institution.short_name), (institution.pk, institution.name)
            )
        return {"provider": providers}

    def resolve(self, record, lookups, mapping, headings) -> None:
        written = record.values.pop("provider", "")
        if written:
            found = lookups["provider"].get(values.key(written))
            if found is None:
                record.problems.append(
                    Problem(
                        record.number,
                        _heading(mapping, headings, "provider"),
                        _("No institution “%(value)s” in the network.") % {"value": written},
                        _("the name or short name of an institution of the network; import "
                          "the institutions first"),
                    )
                )  # fmt: skip
            else:
                record.values["provider_id"], record.shown["provider"] = found
        starts_on, ends_on = record.values.get("starts_on"), record.values.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            record.problems.append(
                Problem(
                    record.number,
                    _heading(mapping, headings, "ends_on"),
                    _("The offer cannot end before it starts."),
                    _("an end on or after the start"),
                )
            )

    def key(self, record: Record) -> tuple | None:
        title = values.key(record.values.get("title", ""))
        if not title or "provider_id" not in record.values:
            return None
        return (title, record.values["provider_id"], record.values.get("starts_on"))

    def key_of(self, row: models.Model) -> tuple:
        return (values.key(row.title), row.provider_id, row.starts_on)

    def columns_shown(self):
        return [
            (_("Provider"), lambda r: r.shown.get("provider", "")),
            (_("Area"), lambda r: str(SupportArea(r.values["area"]).label)),
            (_("Starts on"), lambda r: _date(r.values.get("starts_on"))),
        ]

    def write(self, actor, organisation, records, contacts):
        return network.import_offers(actor=actor, organisation=organisation, offers=records)

    def restore(self, actor, row, before):
        network.save_offer(
            actor=actor, organisation=Organisation(pk=row.organisation_id), data=before, offer=row
        )


def _date(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


KINDS: dict[str, Kind] = {
    kind.code: kind for kind in (EmployerImport(), InstitutionImport(), OfferImport())
}


# --- Preview -------------------------------------------------------------------------


def preview(
    kind: Kind,
    run: Any,
    sheet: reading.Sheet,
    headings: list[str],
    choices: dict[int, str] | None = None,
) -> Preview:
    """What importing the sheet would do with each record, and everything
    wrong with it. Writes nothing."""
    choices = choices or {}
    mapping = run.mapped
    lookups = kind.lookups(run.organisation_id)
    pool = kind.existing(run.organisation_id)
    result = Preview(headings=headings, plans=[])
    by_key: dict[tuple, RowPlan] = {}
    for offset, cells in enumerate(sheet.rows[run.header_row :]):
        number = run.header_row + offset + 1
        if reading.is_empty(cells):
            result.empty_rows += 1
            continue
        result.rows += 1
        own, contact, problems, unreadable = _cells(number, cells, mapping, headings, kind)
        record = Record(number=number, values=own, problems=problems, title_field=kind.title_field)
        written = dict(own)  # as the file has it, before the lookups
        kind.resolve(record, lookups, mapping, headings)
        key = kind.key(record)
        if key is not None and kind.contact_model is not None:
            earlier = by_key.get(key)
            if earlier is not None and earlier.row.errors:
                # A further row of a record whose first row has errors: left out with it.
                record.problems.append(
                    Problem(
                        number,
                        "",
                        _("Row %(row)d of the same record has errors: this row is left out "
                          "with it.") % {"row": earlier.row.number},
                        _("a correct first row of the record"),
                    )
                )  # fmt: skip
                result.plans.append(RowPlan(row=record))
                continue
            if earlier is not None:
                if record.errors:  # left out on its own; the record keeps its good rows
                    result.plans.append(RowPlan(row=record))
                else:  # the same record again: a further contact person of it
                    _merge(earlier.row, record, contact, mapping, headings, kind)
                continue
        for code in kind.required:
            column = kind.catalogue.by_code[code]
            if code not in unreadable and not written.get(column.field or code):
                record.problems.append(
                    Problem(
                        number,
                        _heading(mapping, headings, code),
                        _("%(field)s is missing.") % {"field": column.label},
                        _("a value in every row"),
                    )
                )
        if contact and not contact.get("name"):
            record.problems.append(
                Problem(
                    number,
                    _heading(mapping, headings, "contact_name"),
                    _("The contact person's name is missing."),
                    _("a name wherever a contact person's phone or e-mail is given"),
                )
            )
        earlier = by_key.get(key) if key is not None else None
        if earlier is not None:
            record.problems.append(
                Problem(
                    number,
                    "",
                    _("The same record as in row %(row)d.") % {"row": earlier.row.number},
                    _("each record once in the file"),
                )
            )
        if contact.get("name"):
            record.contacts.append((number, contact))
        plan = RowPlan(row=record)
        if key is not None and key not in by_key:
            by_key[key] = plan
        if not record.errors:
            plan.match, plan.possible = kind.find(record, pool)
            for other in plan.possible:
                record.problems.append(
                    Problem(
                        number,
                        "",
                        _("Possibly the same as “%(name)s” (same name).") % {"name": other},
                        error=False,
                    )
                )
            if plan.match is not None:
                chosen = choices.get(number, run.on_duplicate)
                plan.choice = chosen if chosen in kind.on_duplicate else OnDuplicate.SKIP
        result.plans.append(plan)
    return result


def _merge(
    record: Record,
    again: Record,
    contact: dict[str, Any],
    mapping: dict[int, str],
    headings: list[str],
    kind: Kind,
) -> None:
    """A later row of the same record: its contact person is added; a value
    that differs from the record's first row is a warning, the first stands."""
    record.problems.extend(p for p in again.problems if not p.error)
    for name, value in again.values.items():
        if name not in record.values:
            record.values[name] = value
        elif record.values[name] != value and name != kind.title_field:
            code = name.removesuffix("_id") if name.endswith("_id") else name
            record.problems.append(
                Problem(
                    again.number,
                    _heading(mapping, headings, code),
                    _("Differs from row %(row)d of the same record; row %(row)d is kept.")
                    % {"row": record.number},
                    _("the record's values in its first row, or nothing"),
                    error=False,
                )
            )
    if contact.get("name"):
        record.contacts.append((again.number, contact))


# --- Import --------------------------------------------------------------------------


def fingerprint(row: models.Model) -> str:
    """A digest of the row's values: the undo refuses a row changed since."""
    parts = [
        f"{f.attname}={f.value_to_string(row)}"
        for f in row._meta.concrete_fields
        if not getattr(f, "auto_now", False)
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def write(
    kind: Kind,
    actor: User,
    organisation: Organisation,
    plans: list[RowPlan],
) -> tuple[list[list[Any]], int, int]:
    """Write the records of `plans` (with their action chosen) and their
    contact persons; the written rows for the undo, and how many records
    were created and updated."""
    incoming: list[Incoming] = []
    contacts: list[Incoming] = []
    existing_contacts = _contacts_of(kind, [p.match for p in plans if p.action == "update"])
    for plan in plans:
        record = plan.row
        item = Incoming(values=dict(record.values))
        if plan.action == OnDuplicate.UPDATE:
            item.pk = plan.match.pk
        else:
            item.values = {**kind.defaults, **item.values}
        incoming.append(item)
        known = existing_contacts.get(item.pk, {}) if item.pk else {}
        for _number, values_ in record.contacts:
            same = known.get(values.key(values_["name"]))
            contacts.append(
                Incoming(values=dict(values_), pk=same.pk if same else None, parent=item)
            )
    written = kind.write(actor, organisation, incoming, contacts)
    ids = {id(row) for row, _before in written}
    touched = {id(c.parent) for c in contacts if id(c.instance) in ids}
    updated = sum(
        1 for item in incoming if item.pk and (id(item.instance) in ids or id(item) in touched)
    )
    created = sum(1 for item in incoming if item.pk is None)
    # The digests of the rows as stored, which the undo compares with.
    fresh = _stored([(row._meta.label, row.pk) for row, _before in written])
    records = [
        [row._meta.label, row.pk, fingerprint(fresh[row._meta.label][row.pk]), _plain(before)]
        for row, before in written
    ]
    return records, created, updated


def _stored(keys: list[tuple[str, int]]) -> dict[str, dict[int, models.Model]]:
    by_model: dict[str, dict[int, models.Model]] = {}
    for label in {label for label, _pk in keys}:
        model = apps.get_model(label)
        by_model[label] = model.objects.in_bulk([pk for lb, pk in keys if lb == label])
    return by_model


def _contacts_of(kind: Kind, rows: list[models.Model]) -> dict[int, dict[str, models.Model]]:
    if kind.contact_model is None or not rows:
        return {}
    found: dict[int, dict[str, models.Model]] = {}
    parent_id = f"{kind.parent_field}_id"
    for contact in kind.contact_model.objects.filter(
        **{f"{parent_id}__in": [row.pk for row in rows]}
    ).order_by("pk"):
        found.setdefault(getattr(contact, parent_id), {}).setdefault(
            values.key(contact.name), contact
        )
    return found


def _plain(before: dict[str, Any] | None) -> dict[str, Any] | None:
    if before is None:
        return None
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in before.items()}


# --- Undo --------------------------------------------------------------------------


def _rows(records: list[list[Any]]) -> list[tuple[models.Model | None, list[Any]]]:
    stored = _stored([(entry[0], entry[1]) for entry in records])
    return [(stored[entry[0]].get(entry[1]), entry) for entry in records]


def undo_problem(records: list[list[Any]]) -> str:
    """Why the records cannot be put back as they were, or ""."""
    rows = _rows(records)
    changed = sum(1 for row, entry in rows if row is None or fingerprint(row) != entry[2])
    if changed:
        return ngettext(
            "%(count)d of its records has been changed since (or removed): the import can no "
            "longer be undone.",
            "%(count)d of its records have been changed since (or removed): the import can no "
            "longer be undone.",
            changed,
        ) % {"count": changed}
    created = [row for row, entry in rows if entry[3] is None]
    if not created:
        return ""
    ours = {(type(row)._meta.label, row.pk) for row, _entry in rows}
    collector = Collector(using=router.db_for_write(type(created[0])))
    by_model: dict[type, list[models.Model]] = {}
    for row in created:
        by_model.setdefault(type(row), []).append(row)
    try:
        for same in by_model.values():
            collector.collect(same)
    except (ProtectedError, RestrictedError):
        return _used_since()
    for model, instances in collector.data.items():
        if any((model._meta.label, obj.pk) not in ours for obj in instances):
            return _used_since()
    for queryset in collector.fast_deletes:
        label = queryset.model._meta.label
        if any((label, pk) not in ours for pk in queryset.values_list("pk", flat=True)):
            return _used_since()
    return ""


def _used_since() -> str:
    return _(
        "Records this import created have been used since (activities, openings, offers, "
        "meetings …): the import can no longer be undone."
    )


def undo(kind: Kind, actor: User, records: list[list[Any]]) -> None:
    """Remove the rows the import created and put back what it changed."""
    problem = undo_problem(records)
    if problem:
        raise ServiceError(problem)
    rows = _rows(records)
    # Contact persons first, then their records.
    for row, entry in sorted(rows, key=lambda pair: pair[0]._meta.label != _contact_label(kind)):
        if entry[3] is None:
            type(row).objects.filter(pk=row.pk).delete()
    for row, entry in rows:
        if entry[3] is not None:
            kind.restore(actor, row, _values(type(row), entry[3]))


def _contact_label(kind: Kind) -> str:
    return kind.contact_model._meta.label if kind.contact_model else ""


def _values(model: type[models.Model], before: dict[str, Any]) -> dict[str, Any]:
    result = {}
    for name, value in before.items():
        field_ = model._meta.get_field(name)
        if isinstance(field_, models.DateField) and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        result[field_.attname if field_.is_relation else name] = value
    return result
