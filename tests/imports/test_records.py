"""Imports of employers and institutions with their contact persons, and of
offers: workbooks of the shape offices keep (a title above the headings, one
row per contact person, empty rows), the preview's report, updates that change
nothing on a second run, and the undo."""

import datetime

import pytest
from django.utils import translation

from lotse.core.exceptions import Conflict, ServiceError
from lotse.core.models import AuditEntry
from lotse.core.services import Incoming
from lotse.employers import services as employers
from lotse.employers.models import Activity, Employer, EmployerContact
from lotse.imports import records, services
from lotse.imports.models import ImportStatus
from lotse.network.models import ContactPerson, Institution, Offer

from .helpers import EMPLOYER_HEADINGS, EMPLOYER_ROWS, acting
from .helpers import book as _book


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _start(world, kind, data):
    return services.start_import(
        actor=acting(world.alice),
        organisation=world.org_a,
        site=world.site_a1,
        file_name=f"{kind}.xlsx",
        data=data,
        kind=kind,
    )


def _columns(world, run, on_duplicate="skip", **changes):
    return services.set_columns(
        actor=acting(world.alice),
        run=run,
        version=run.version,
        header_row=run.header_row,
        mapping=changes.pop("mapping", run.mapping),
        role="",
        status="",
        match_key="",
        on_duplicate=on_duplicate,
    )


def _import(world, run, **options):
    return services.run_import(actor=acting(world.alice), run=run, version=run.version, **options)


def _problems(preview):
    return {(p.row, p.column, p.error) for p in preview.problems}


def test_employers_with_several_contact_persons_import_completely(world):
    run = _start(world, "employers", _book(EMPLOYER_HEADINGS, EMPLOYER_ROWS))

    assert run.header_row == 2
    assert {EMPLOYER_HEADINGS[int(c)]: code for c, code in run.mapping.items()} == {
        "Firma": "name",
        "Branche": "industry",
        "PLZ": "postal_code",
        "Ort": "municipality",
        "Webseite": "website",
        "Ansprechpartner": "contact_name",
        "Funktion": "contact_function",
        "Telefon": "contact_phone",
        "E-Mail": "contact_email",
        "Kein Newsletter": "contact_newsletter_opt_out",
    }
    run = _columns(world, run)
    preview = services.preview(run, acting(world.alice).membership)
    assert preview.errors == []
    assert preview.rows == 4
    assert preview.empty_rows == 1
    # The second row of Lindenhof is its second contact person; Sonnenkorn
    # (in the world's Leipzig) is there already.
    assert [plan.row.number for plan in preview.plans] == [3, 6, 7]
    assert preview.plans[2].match == world.employer_a

    done = _import(world, run)

    assert (done.status, done.created, done.updated, done.skipped) == ("imported", 2, 0, 1)
    lindenhof = Employer.objects.get(name="Pflegedienst Lindenhof")
    assert lindenhof.postal_code == "04109"  # the number cell lost its zero
    assert lindenhof.website == "https://www.lindenhof.example"
    assert lindenhof.industry.code == "Q"
    assert Employer.objects.get(name="Malerbetrieb Farbe").industry.code == "F"
    contacts = {c.name: c for c in lindenhof.contacts.all()}
    assert set(contacts) == {"Frau Linde", "Herr Ahmadi"}
    assert contacts["Frau Linde"].phone == "+49341123456"
    assert contacts["Herr Ahmadi"].newsletter_opt_out is True
    assert not EmployerContact.objects.filter(name="Herr Korn").exists()  # skipped
    assert AuditEntry.objects.filter(action="lotse.employer.created").count() == 2
    assert AuditEntry.objects.filter(action="lotse.employer.contact_saved").count() == 3


def test_the_preview_names_each_bad_cell_of_an_employer_file(world):
    rows = [
        ["Pflegedienst Lindenhof", "Pflege?", "4109x", "Leipzig", "keine seite", "Frau Linde",
         "", "12", "linde@", ""],
        ["Pflegedienst Lindenhof", "Q", "", "Halle", "", "", "", "0341 1", "", "vielleicht"],
        ["", "", "", "", "", "Frau Niemand", "", "", "", ""],
    ]  # fmt: skip
    run = _columns(world, _start(world, "employers", _book(EMPLOYER_HEADINGS, rows)))

    preview = services.preview(run, acting(world.alice).membership)

    assert _problems(preview) == {
        (3, "Branche", True),
        (3, "PLZ", True),
        (3, "Webseite", True),
        (3, "Telefon", True),
        (3, "E-Mail", True),
        (4, "Telefon", True),
        (4, "Kein Newsletter", True),
        (4, "", True),  # left out with row 3, the record's first
        (6, "Firma", True),
    }
    with pytest.raises(ServiceError, match="3 rows have errors"):
        _import(world, run)
    assert not Employer.objects.filter(name="Pflegedienst Lindenhof").exists()
    assert services.preview(run, acting(world.alice).membership).bad_rows == 3


def test_re_importing_employers_with_update_changes_nothing_and_a_change_is_undone(world):
    data = _book(EMPLOYER_HEADINGS, EMPLOYER_ROWS)
    _import(world, _columns(world, _start(world, "employers", data)))
    lindenhof = Employer.objects.get(name="Pflegedienst Lindenhof")
    audit = AuditEntry.objects.count()

    again = _import(world, _columns(world, _start(world, "employers", data), "update"))

    # Sonnenkorn gains Herr Korn; Lindenhof and its contact persons stay as they were.
    assert (again.created, again.updated) == (0, 1)
    lindenhof.refresh_from_db()
    assert lindenhof.version == 1
    assert set(world.employer_a.contacts.values_list("name", flat=True)) == {
        "Frau Korn",
        "Herr Korn",
    }
    third = _import(world, _columns(world, _start(world, "employers", data), "update"))
    assert (third.created, third.updated) == (0, 0)
    assert AuditEntry.objects.count() == audit + 1 + 2 + 2  # the runs and Herr Korn

    changed = [row[:] for row in EMPLOYER_ROWS]
    changed[0][4] = "https://lindenhof-pflege.example"
    changed[1][7] = "0341 999999"
    data = _book(EMPLOYER_HEADINGS, changed)
    run = _import(world, _columns(world, _start(world, "employers", data), "update"))
    lindenhof.refresh_from_db()
    assert (run.updated, lindenhof.website, lindenhof.version) == (
        1,
        "https://lindenhof-pflege.example",
        2,
    )
    assert lindenhof.contacts.get(name="Herr Ahmadi").phone == "+49341999999"

    assert services.undo_problem(run) == ""
    services.undo_import(actor=acting(world.alice), run=run, version=run.version)
    lindenhof.refresh_from_db()
    assert lindenhof.website == "https://www.lindenhof.example"
    assert lindenhof.contacts.get(name="Herr Ahmadi").phone == "+49341123457"


def test_undo_of_employers_is_refused_once_they_have_been_used_or_changed(world):
    data = _book(EMPLOYER_HEADINGS, EMPLOYER_ROWS)
    run = _import(world, _columns(world, _start(world, "employers", data)))
    lindenhof = Employer.objects.get(name="Pflegedienst Lindenhof")
    visit = Activity.objects.create(
        organisation=world.org_a, employer=lindenhof, kind="visit", date=datetime.date.today()
    )

    assert "used since" in services.undo_problem(run)
    with pytest.raises(ServiceError, match="used since"):
        services.undo_import(actor=acting(world.alice), run=run, version=run.version)
    assert Activity.objects.filter(pk=visit.pk).exists()

    visit.delete()
    contact = lindenhof.contacts.get(name="Herr Ahmadi")
    contact.function = "Personal"
    contact.save()
    assert "changed since" in services.undo_problem(run)

    contact.function = "Ausbildung"
    contact.save()
    undone = services.undo_import(actor=acting(world.alice), run=run, version=run.version)
    assert undone.status == ImportStatus.UNDONE
    assert not Employer.objects.filter(name__in=["Pflegedienst Lindenhof", "Malerbetrieb Farbe"])
    assert not EmployerContact.objects.filter(name__in=["Frau Linde", "Herr Ahmadi"]).exists()
    assert world.employer_a.contacts.count() == 1


INSTITUTION_HEADINGS = ["Einrichtung", "Kürzel", "Bereich", "Art", "Ort", "Telefon", "E-Mail",
                        "Ansprechpartner", "Funktion", "Telefon Ansprechpartner",
                        "Entscheidungsbefugt"]  # fmt: skip
INSTITUTION_ROWS = [
    ["Volkshochschule Alphastadt", "VHS", "Bildung", "VHS", "Alphastadt", "0341 300300", "",
     "Frau Kurs", "Fachbereich Deutsch", "0341 300301", "ja"],
    ["Volkshochschule Alphastadt", "", "", "", "", "", "", "Herr Plan", "Kursplanung", "", ""],
    ["Jobcenter Alphastadt", "JC", "Arbeit", "Jobcenter", "", "", "info@jc.example",
     "Herr Vermittler", "Arbeitsvermittlung", "", "nein"],
]  # fmt: skip


def test_institutions_with_contacts_import_and_update_adds_a_contact(world):
    run = _start(world, "institutions", _book(INSTITUTION_HEADINGS, INSTITUTION_ROWS))
    assert {INSTITUTION_HEADINGS[int(c)]: code for c, code in run.mapping.items()} == {
        "Einrichtung": "name",
        "Kürzel": "short_name",
        "Bereich": "domain",
        "Art": "kind",
        "Ort": "town",
        "Telefon": "phone",
        "E-Mail": "email",
        "Ansprechpartner": "contact_name",
        "Funktion": "contact_function",
        "Telefon Ansprechpartner": "contact_phone",
        "Entscheidungsbefugt": "contact_can_decide",
    }
    # An institution's name is unique: "create anyway" is not offered.
    with pytest.raises(ServiceError, match="there already"):
        _columns(world, run, "create")
    run = _columns(world, run, "update")

    done = _import(world, run)

    assert (done.created, done.updated) == (1, 1)
    vhs = Institution.objects.get(name="Volkshochschule Alphastadt")
    assert (vhs.domain, vhs.kind, vhs.short_name) == ("education", "adult_education_centre", "VHS")
    assert {(c.name, c.can_decide) for c in vhs.contacts.all()} == {
        ("Frau Kurs", True),
        ("Herr Plan", False),
    }
    world.institution_a.refresh_from_db()
    assert world.institution_a.email == "info@jc.example"
    assert world.institution_a.phone == "0341 100200"  # left empty in the file: kept
    assert set(world.institution_a.contacts.values_list("name", flat=True)) == {
        "Jana Jobcenter",
        "Herr Vermittler",
    }

    services.undo_import(actor=acting(world.alice), run=done, version=done.version)
    world.institution_a.refresh_from_db()
    assert world.institution_a.email == ""
    assert list(world.institution_a.contacts.values_list("name", flat=True)) == ["Jana Jobcenter"]
    assert not Institution.objects.filter(name="Volkshochschule Alphastadt").exists()


def test_an_institution_without_domain_is_an_error_and_one_added_meanwhile_is_matched(world):
    rows = [row[:] for row in INSTITUTION_ROWS[:2]]
    rows.append(["Ausländerbehörde Alphastadt", "ABH", "", "ABH", "", "", "", "", "", "", ""])
    run = _columns(world, _start(world, "institutions", _book(INSTITUTION_HEADINGS, rows)))
    preview = services.preview(run, acting(world.alice).membership)
    assert _problems(preview) == {(6, "Bereich", True)}
    assert preview.plans[0].match is None

    # Someone adds the VHS between the preview and the import: the import
    # recognises it and skips it instead of failing on the unique name.
    Institution.objects.create(
        organisation=world.org_a, name="Volkshochschule Alphastadt", domain="education",
        kind="other",
    )  # fmt: skip
    done = services.run_import(
        actor=acting(world.alice), run=run, version=run.version, skip_errors=True
    )
    assert (done.created, done.updated, done.skipped) == (0, 0, 2)
    assert not ContactPerson.objects.filter(name="Frau Kurs").exists()
    assert not Institution.objects.filter(name="Ausländerbehörde Alphastadt").exists()


OFFER_HEADINGS = ["Angebot", "Bereich", "Träger", "Niveau", "Beginn", "Ende", "Plätze",
                  "Sprachen", "Kinderbetreuung"]  # fmt: skip


def test_offers_find_their_provider_by_name_or_short_name(world):
    Institution.objects.filter(pk=world.institution_a.pk).update(short_name="JC")
    rows = [
        ["Integrationskurs am Vormittag", "Integrationskurs", "JC", "B1", "1.2.27",
         "31.07.2027", 16, "Deutsch, Arabisch", "ja"],
        ["Bewerbungstraining", "Bewerbung", "Jobcenter Alphastadt", "", "", "", "10", "", ""],
        ["Schwimmkurs", "Freizeit", "Schwimmverein", "", "", "", "", "", ""],
        ["Nähcafé", "Begegnung", "JC", "", "01.03.2027", "01.02.2027", "viele", "", ""],
        ["Bewerbungstraining", "Bewerbung", "JC", "", "", "", "", "", ""],
    ]  # fmt: skip
    run = _columns(world, _start(world, "offers", _book(OFFER_HEADINGS, rows)))

    preview = services.preview(run, acting(world.alice).membership)

    assert _problems(preview) == {
        (6, "Träger", True),  # no such institution
        (7, "Ende", True),  # ends before it starts
        (7, "Plätze", True),
        (8, "", True),  # the same offer as row 4
    }
    done = _import(world, run, skip_errors=True)
    assert done.created == 2
    course = Offer.objects.get(title="Integrationskurs am Vormittag")
    assert course.provider == world.institution_a
    assert (course.area, course.language_level, course.capacity) == ("integration_course", "B1",
                                                                     16)  # fmt: skip
    assert course.starts_on == datetime.date(2027, 2, 1)
    assert course.languages == ["deu", "ara"]
    assert course.childcare is True
    assert Offer.objects.get(title="Bewerbungstraining").capacity == 10

    course.capacity = 18
    course.save()
    assert "changed since" in services.undo_problem(done)


def test_each_kind_offers_an_example_file_that_imports_as_it_is(world):
    for code, kind in records.KINDS.items():
        data = kind.catalogue.example(str(kind.example_title), kind.example_rows)
        # (The offers' providers are the institutions of the example before.)
        run = _columns(world, _start(world, code, data), "update")
        assert len(run.mapping) == len(kind.catalogue.columns), code
        preview = services.preview(run, acting(world.alice).membership)
        assert preview.errors == [], (code, preview.errors)
        done = _import(world, run)
        assert done.created + done.updated >= 2, code


def test_a_record_removed_between_the_preview_and_the_writing_stops_it_all(world):
    gone = Employer.objects.create(organisation=world.org_a, name="Weg GmbH")
    pk = gone.pk
    gone.delete()
    new = Incoming(values={"name": "Neu GmbH"})
    with pytest.raises(Conflict, match="nothing was saved"):
        employers.import_employers(
            actor=acting(world.alice),
            organisation=world.org_a,
            employers=[new, Incoming(values={"name": "Weg GmbH"}, pk=pk)],
            contacts=[Incoming(values={"name": "Frau Neu"}, parent=new)],
        )
    assert not Employer.objects.filter(name="Neu GmbH").exists()
    assert not EmployerContact.objects.filter(name="Frau Neu").exists()
