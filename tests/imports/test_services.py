import datetime
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import AuditEntry
from lotse.imports import reading, services
from lotse.imports.models import ImportStatus, SavedMapping
from lotse.people.models import Person, PersonLanguage, PersonRole
from tests.factories import PersonFactory

from .helpers import GOOD_ROWS, HEADINGS, acting, csv_file, workbook

BAD_ROWS = [
    [4, "Amir", "", "12.13.1980", "amir@", "12", "7613", "Ettlingen", "Atlantis", "Arabisch",
     "Mentee", ""],
    [5, "Lina", "Berg", "30.02.2001", "lina@example.org", "", "", "", "", "Blablaisch",
     "Chef", ""],
]  # fmt: skip


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _start(world, data, name="Teilnehmende.xlsx", user=None):
    return services.start_import(
        actor=acting(user or world.alice),
        organisation=world.org_a,
        site=world.site_a1,
        file_name=name,
        data=data,
    )


def _columns(world, run, **changes):
    values = {
        "header_row": run.header_row,
        "mapping": run.mapping,
        "role": "",
        "status": "interested",
        "match_key": "name_birth_date",
        "on_duplicate": "skip",
    } | changes
    return services.set_columns(actor=acting(world.alice), run=run, version=run.version, **values)


def _import(world, run, **options):
    return services.run_import(actor=acting(world.alice), run=run, version=run.version, **options)


def test_a_messy_workbook_is_read_past_its_title_and_empty_rows(world):
    run = _start(world, workbook(GOOD_ROWS))

    # The title merged across the columns and the empty row above the headings are left out.
    assert run.header_row == 3
    assert run.sheet == "Liste"
    assert {HEADINGS[int(c)]: code for c, code in run.mapping.items()} == {
        "Vorname": "given_name",
        "Nachname": "family_name",
        "Geburtsdatum": "birth_date",
        "E-Mail": "email",
        "Telefon": "phone",
        "PLZ": "postal_code",
        "Wohnort": "municipality",
        "Herkunftsland": "country_of_origin",
        "Sprachen": "languages",
        "Rolle": "role",
        "Bemerkung": "notes",
    }
    preview = services.preview(run, acting(world.alice).membership)
    assert preview.empty_rows == 1
    assert [plan.row.number for plan in preview.plans] == [4, 6, 7]
    assert preview.errors == []


def test_the_good_file_imports_completely(world):
    run = _columns(world, _start(world, workbook(GOOD_ROWS)))

    done = _import(world, run)

    assert (done.status, done.created, done.updated, done.skipped) == (
        ImportStatus.IMPORTED,
        3,
        0,
        0,
    )
    samira = Person.objects.get(given_name="Samira", family_name="Darwish")
    assert samira.birth_date == datetime.date(1990, 2, 1)
    assert (samira.phone, samira.postal_code, samira.country_of_origin) == (
        "+49721123456",
        "76133",
        "SY",
    )
    assert samira.site == world.site_a1
    assert set(PersonLanguage.objects.filter(person=samira).values_list("language", "level")) == {
        ("ara", "native"),
        ("deu", "B1"),
    }
    assert PersonRole.objects.get(person=samira).role == "participant"
    olena = Person.objects.get(given_name="Olena")
    assert (olena.birth_date, olena.phone, olena.postal_code) == (
        datetime.date(1985, 7, 14),
        "+491701234567",
        "01067",
    )
    juergen = Person.objects.get(email="j.mueller@example.org")
    assert juergen.family_name == "Müller"  # one form of the umlaut
    assert juergen.birth_date == datetime.date(1962, 4, 3)
    assert PersonRole.objects.get(person=juergen).role == "volunteer"
    assert AuditEntry.objects.filter(action="lotse.import.done").count() == 1
    assert AuditEntry.objects.filter(action="lotse.person.created").count() == 3


def test_the_preview_lists_the_bad_rows_precisely(world):
    run = _columns(world, _start(world, workbook(GOOD_ROWS + BAD_ROWS)))

    preview = services.preview(run, acting(world.alice).membership)

    found = {(p.row, p.column, p.problem) for p in preview.errors}
    assert found == {
        (8, "Nachname", "Family name is missing."),
        (8, "Geburtsdatum", "“12.13.1980” is no day of the calendar."),
        (8, "E-Mail", "“amir@” is not an e-mail address."),
        (8, "Telefon", "“12” is not a valid phone number."),
        (8, "PLZ", "“7613” is not a postal code."),
        (8, "Herkunftsland", "“Atlantis” is not a country Lotse knows."),
        (9, "Geburtsdatum", "“30.02.2001” is no day of the calendar."),
        (9, "Sprachen", "“Blablaisch” is not a language Lotse knows."),
        (9, "Rolle", "“Chef” is not one of the choices."),
    }
    assert all(p.expected for p in preview.errors)
    # A language without a level is a warning: the rest of the row comes in.
    assert [(p.row, p.column) for p in preview.warnings] == [(8, "Sprachen")]
    assert preview.bad_rows == 2


def test_rows_with_errors_stop_the_import_unless_left_out(world):
    run = _columns(world, _start(world, workbook(GOOD_ROWS + BAD_ROWS)))

    with pytest.raises(ServiceError, match="2 rows have errors"):
        _import(world, run)
    assert not Person.objects.filter(family_name="Darwish").exists()

    run.refresh_from_db()
    done = _import(world, run, skip_errors=True)
    assert (done.created, done.skipped) == (3, 2)


def test_a_windows_csv_with_semicolons_imports_like_the_workbook(world):
    data = csv_file(GOOD_ROWS)
    assert "Jürgen".encode("cp1252") in data
    run = _columns(world, _start(world, data, name="export.csv"))

    assert run.header_row == 1
    done = _import(world, run)

    assert done.created == 3
    assert Person.objects.filter(given_name="Jürgen", family_name="Müller").exists()


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-8", "\t"), ("cp1252", ";")]
)
def test_csv_in_any_common_encoding_and_delimiter(encoding, delimiter):
    sheets = reading.read(csv_file(GOOD_ROWS, encoding=encoding, delimiter=delimiter))
    assert sheets[0].rows[0] == HEADINGS
    assert sheets[0].rows[3][1:3] == ["Jürgen", "Müller"]
    assert sheets[0].rows[1][9] == "Arabisch (Muttersprache), Deutsch (B1)"


def test_importing_the_same_file_again_with_update_changes_nothing(world):
    data = workbook(GOOD_ROWS)
    _import(world, _columns(world, _start(world, data)))
    versions = dict(Person.objects.values_list("pk", "version"))
    entries = AuditEntry.objects.count()

    again = _import(world, _columns(world, _start(world, data), on_duplicate="update"))

    assert (again.created, again.updated) == (0, 0)
    assert dict(Person.objects.values_list("pk", "version")) == versions
    # Only the upload and the import itself are logged.
    assert AuditEntry.objects.count() == entries + 2


def test_update_fills_in_and_corrects_by_the_chosen_key(world):
    existing = PersonFactory(
        organisation=world.org_a,
        site=world.site_a1,
        given_name="Samira",
        family_name="Darwish",
        birth_date=datetime.date(1990, 2, 1),
        municipality="Pforzheim",
        email="",
        role="volunteer",
    )
    run = _columns(world, _start(world, workbook(GOOD_ROWS[:1])), on_duplicate="update")

    done = _import(world, run)

    existing.refresh_from_db()
    assert (done.created, done.updated) == (0, 1)
    assert (existing.municipality, existing.email) == ("Karlsruhe", "samira@example.org")
    assert PersonRole.objects.filter(person=existing, role="participant").exists()

    # Undo puts the values back and takes the new role away.
    services.undo_import(actor=acting(world.alice), run=done, version=done.version)
    existing.refresh_from_db()
    assert (existing.municipality, existing.email) == ("Pforzheim", "")
    assert not PersonRole.objects.filter(person=existing, role="participant").exists()


def test_a_duplicate_row_can_be_skipped_or_created_one_by_one(world):
    PersonFactory(
        organisation=world.org_a,
        site=world.site_a1,
        given_name="Samira",
        family_name="Darwish",
        birth_date=datetime.date(1990, 2, 1),
    )
    run = _columns(world, _start(world, workbook(GOOD_ROWS)))
    preview = services.preview(run, acting(world.alice).membership)
    assert [plan.row.number for plan in preview.matched] == [4]

    done = _import(world, run, choices={4: "create"})

    assert done.created == 3
    assert Person.objects.filter(given_name="Samira", family_name="Darwish").count() == 2


def test_the_same_person_twice_in_the_file_is_an_error(world):
    run = _columns(world, _start(world, workbook([*GOOD_ROWS, GOOD_ROWS[0]])))

    preview = services.preview(run, acting(world.alice).membership)

    assert [(p.row, p.problem) for p in preview.errors] == [(8, "The same person as in row 4.")]


def test_undo_removes_what_the_import_created_until_someone_changes_it(world):
    done = _import(world, _columns(world, _start(world, workbook(GOOD_ROWS))))
    assert services.undo_problem(done) == ""

    undone = services.undo_import(actor=acting(world.alice), run=done, version=done.version)

    assert undone.status == ImportStatus.UNDONE
    assert not Person.objects.filter(family_name__in=["Darwish", "Kowalenko"]).exists()
    assert AuditEntry.objects.filter(action="lotse.import.undone").count() == 1

    again = _import(world, _columns(world, _start(world, workbook(GOOD_ROWS))))
    olena = Person.objects.get(given_name="Olena")
    olena.version += 1  # someone edited the record since
    olena.save()
    assert "changed since" in services.undo_problem(again)
    with pytest.raises(ServiceError, match="changed since"):
        services.undo_import(actor=acting(world.alice), run=again, version=again.version)
    assert Person.objects.filter(family_name="Darwish").exists()


def test_a_saved_mapping_chooses_the_columns_of_the_next_file(world):
    odd = ["Vorn.", "Famname", "Geb.-Datum", "Typ"]

    def book():
        wb = Workbook()
        wb.active.append(odd)
        wb.active.append(["Samira", "Darwish", "01.02.1990", "Mentee"])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    run = _start(world, book())
    assert "0" not in run.mapping  # "Vorn." is not a heading Lotse knows
    _columns(
        world,
        run,
        mapping={"0": "given_name", "1": "family_name", "2": "birth_date", "3": "role"},
        save_as="Liste der Außenstelle",
    )
    assert SavedMapping.objects.get().name == "Liste der Außenstelle"

    second = _start(world, book())

    assert second.mapping == {"0": "given_name", "1": "family_name", "2": "birth_date", "3": "role"}


def test_columns_must_name_the_person_and_the_key(world):
    run = _start(world, workbook(GOOD_ROWS))
    with pytest.raises(ServiceError, match="given name and the family name"):
        _columns(world, run, mapping={"1": "given_name"})
    with pytest.raises(ServiceError, match="one column only"):
        _columns(world, run, mapping={"1": "given_name", "2": "given_name"})
    with pytest.raises(ServiceError, match="e-mail column"):
        _columns(world, run, mapping={"1": "given_name", "2": "family_name", "10": "role"},
                 match_key="email")  # fmt: skip


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel file"),
        (b"PK\x03\x04 not really", "damaged"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "neither"),
    ],
)
def test_what_is_not_a_table_is_refused_clearly(world, data, message):
    with pytest.raises(ServiceError, match=message):
        _start(world, data)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (reading.MAX_UNPACKED_BYTES + 1))
    assert len(out.getvalue()) < 1_000_000

    with pytest.raises(ServiceError, match="unpacks to more"):
        _start(world, out.getvalue())


def test_only_coordinators_and_administrators_import(world):
    with pytest.raises(NotPermitted):
        _start(world, workbook(GOOD_ROWS), user=world.cora)


def test_people_of_a_site_the_importer_does_not_see_are_not_named_or_updated(world):
    PersonFactory(
        organisation=world.org_a,
        site=world.site_a2,
        given_name="Samira",
        family_name="Darwish",
        birth_date=datetime.date(1990, 2, 1),
    )
    membership = acting(world.alice).membership
    membership.all_sites = False
    membership.save()
    membership.sites.set([world.site_a1])
    run = _columns(world, _start(world, workbook(GOOD_ROWS[:1])), on_duplicate="update")

    preview = services.preview(run, acting(world.alice).membership)

    assert preview.matched == []
    assert "site you do not see" in preview.errors[0].problem


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_example_file_imports_with_every_column_recognised(world, language):
    from lotse.imports.people import COLUMNS, example_workbook

    with translation.override(language):
        data = example_workbook()
    run = _start(world, data)

    assert sorted(run.mapping.values()) == sorted(c.code for c in COLUMNS)
    done = _import(world, _columns(world, run))
    assert done.created == 2
    jonas = Person.objects.get(given_name="Jonas", family_name="Muster")
    assert PersonRole.objects.get(person=jonas).status == "active"


def test_another_heading_row_gets_its_columns_suggested_anew(world):
    run = _start(world, workbook(GOOD_ROWS))
    assert run.header_row == 3

    moved = services.change_header_row(
        actor=acting(world.alice), run=run, version=run.version, header_row=1
    )

    # Row 1 holds the title alone: no heading Lotse knows.
    assert (moved.header_row, moved.mapping) == (1, {})
    with pytest.raises(ServiceError, match="not in the sheet"):
        services.change_header_row(
            actor=acting(world.alice), run=moved, version=moved.version, header_row=99
        )


def test_workbooks_are_parsed_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_people_are_recognised_by_the_offices_own_number(world):
    def book(family: str) -> bytes:
        wb = Workbook()
        wb.active.append(["Kennung", "Vorname", "Nachname", "Rolle"])
        wb.active.append(["M-0042", "Samira", family, "Mentee"])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    first = _start(world, book("Darwisch"))
    assert first.mapping["0"] == "external_id"
    _import(world, _columns(world, first, match_key="external_id"))
    person = Person.objects.get(external_id="M-0042")

    # The next list spells the name right: the same number updates the record.
    again = _columns(world, _start(world, book("Darwish")), match_key="external_id",
                     on_duplicate="update")  # fmt: skip
    done = _import(world, again)

    person.refresh_from_db()
    assert (done.created, done.updated, person.family_name) == (0, 1, "Darwish")
    with pytest.raises(ServiceError, match="own number"):
        _columns(world, _start(world, workbook(GOOD_ROWS)), match_key="external_id")


def test_a_stale_page_changes_nothing(world):
    run = _start(world, workbook(GOOD_ROWS))
    stale = run.version
    _columns(world, run)

    with pytest.raises(Conflict):
        services.set_columns(
            actor=acting(world.alice),
            run=run,
            version=stale,
            header_row=3,
            mapping={"1": "given_name", "2": "family_name", "3": "birth_date"},
            role="volunteer",
            status="active",
            match_key="name_birth_date",
            on_duplicate="skip",
        )
    with pytest.raises(Conflict):
        services.undo_import(actor=acting(world.alice), run=run, version=stale)
    run.refresh_from_db()
    assert run.role == ""
