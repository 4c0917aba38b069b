"""The pool list: filters combine, the export holds the same rows, saved filters."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotse.core.models import AuditEntry
from lotse.people import services
from lotse.people.models import (
    Availability,
    Industry,
    ParticipantProfile,
    Person,
    PersonLanguage,
    PoolRole,
    SavedFilter,
    Status,
    VolunteerProfile,
)

from ..factories import PersonFactory


@pytest.fixture
def mentors(world):
    """Mentors of organisation A with different industries, languages and times."""

    def mentor(name, industry, arabic_level, slots, status=Status.ACTIVE, cleared=True):
        person = PersonFactory(
            organisation=world.org_a,
            site=world.site_a1,
            given_name=name,
            family_name="Mentor",
            role=PoolRole.VOLUNTEER,
            availability=Availability.mask(slots),
        )
        person.roles.update(status=status)
        profile = VolunteerProfile.objects.create(
            person=person,
            police_clearance_on=datetime.date.today() if cleared else None,
        )
        profile.industries.set([Industry.objects.get(code=industry)])
        if arabic_level:
            PersonLanguage.objects.create(person=person, language="ara", level=arabic_level)
        return person

    return {
        "match": mentor("Treffer", "C", "B2", ["tue-eve"]),
        "match_f": mentor("Bau", "F", "native", ["tue-eve", "sat-am"]),
        "weak_arabic": mentor("Schwach", "C", "A2", ["tue-eve"]),
        "wrong_time": mentor("Morgens", "F", "C1", ["tue-am"]),
        "wrong_industry": mentor("Handel", "G", "B1", ["tue-eve"]),
        "paused": mentor("Pause", "C", "B1", ["tue-eve"], status=Status.PAUSED),
    }


ISSUE_EXAMPLE = {
    # "active mentors with industry C or F, speaking Arabic at B1+, available Tuesday evening"
    "role": "volunteer",
    "status": "active",
    "language": "ara",
    "level": "B1",
    "available": "tue-eve",
}


def _query(world, **extra):
    c_and_f = [str(Industry.objects.get(code=code).pk) for code in ("C", "F")]
    return {**ISSUE_EXAMPLE, "industries": c_and_f, **extra}


def test_filters_combine_as_in_the_issue(world, mentors, client_for):
    response = client_for(world.alice).get(reverse("people:person_list"), _query(world))
    found = {person.given_name for person in response.context["page"]}
    assert found == {"Treffer", "Bau"}


def test_the_police_clearance_filter(world, mentors, client_for):
    VolunteerProfile.objects.filter(person=mentors["match"]).update(police_clearance_on=None)
    response = client_for(world.alice).get(
        reverse("people:person_list"), _query(world, cleared="on")
    )
    assert {person.given_name for person in response.context["page"]} == {"Bau"}


def test_the_export_holds_the_filtered_rows_in_xlsx_and_csv(world, mentors, client_for):
    client = client_for(world.alice)
    response = client.get(reverse("people:person_export", args=["xlsx"]), _query(world))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"Treffer", "Bau"}
    response = client.get(reverse("people:person_export", args=["csv"]), _query(world))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert {row[1] for row in rows[1:]} == {"Treffer", "Bau"}
    assert AuditEntry.objects.filter(action=services.PEOPLE_EXPORTED).count() == 2


def test_exported_cells_cannot_become_formulas(world, client_for):
    PersonFactory(
        organisation=world.org_a,
        site=world.site_a1,
        given_name='=HYPERLINK("http://evil.example")',
        family_name="@SUM(A1)",
    )
    client = client_for(world.alice)
    csv_text = client.get(reverse("people:person_export", args=["csv"])).content.decode()
    assert "'=HYPERLINK" in csv_text and "'@SUM" in csv_text
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("people:person_export", args=["xlsx"])).content)
    )
    cells = [cell for row in workbook.active.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)


def test_the_export_leaves_out_sensitive_notes(world, client_for):
    text = client_for(world.alice).get(reverse("people:person_export", args=["csv"])).content
    assert b"SENSITIVE-SENTINEL" not in text


def test_the_export_of_another_site_is_empty_for_a_caseworker(world, client_for):
    text = client_for(world.cora).get(reverse("people:person_export", args=["csv"])).content
    assert b"Haddad" not in text  # person_a1 is at site A1
    assert b"Bondarenko" in text


def test_an_unknown_export_format_is_not_found(world, client_for):
    response = client_for(world.alice).get(reverse("people:person_export", args=["pdf"]))
    assert response.status_code == 404


def test_a_saved_filter_reproduces_the_view(world, mentors, client_for):
    client = client_for(world.alice)
    from urllib.parse import urlencode

    query = urlencode(_query(world), doseq=True)
    response = client.post(
        reverse("people:saved_filter_create"), {"name": "Arabisch dienstags", "query": query}
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get(user=world.alice, name="Arabisch dienstags")
    response = client.get(f"{reverse('people:person_list')}?{saved.query}")
    assert {p.given_name for p in response.context["page"]} == {"Treffer", "Bau"}
    listed = client.get(reverse("people:person_list")).context["saved_filters"]
    assert saved in list(listed)


def test_invalid_filter_values_show_an_empty_list_not_an_error(world, client_for):
    response = client_for(world.alice).get(
        reverse("people:person_list"), {"level": "Z9", "available": "someday", "site": "x"}
    )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert Person.objects.count() > 0


def _living_in(world, name, municipality):
    actor = world.alice
    actor.membership = actor.memberships.get()
    return services.create_person(
        actor=actor,
        organisation=world.org_a,
        role=PoolRole.VOLUNTEER,
        site=world.site_a1,
        given_name=name,
        family_name="Nachbar",
        municipality=municipality,
    )


def test_lives_near_keeps_the_people_within_the_radius(world, client_for):
    # From Bruchsal: Ubstadt-Weiher 4.9 km, Bretten 12.6, Philippsburg 15.6, Karlsruhe 19.
    for name, town in [
        ("Ubstadt", "Ubstadt-Weiher"),
        ("Bretten", "Bretten"),
        ("Philipp", "Philippsburg"),
        ("Karl", "Karlsruhe"),
        ("Irgendwo", "Atlantis"),
    ]:
        _living_in(world, name, town)
    url = reverse("people:person_list")
    within = client_for(world.alice).get(url, {"near": "Bruchsal", "radius": "15"})
    assert {p.given_name for p in within.context["page"]} == {"Ubstadt", "Bretten"}
    assert "Bruchsal (Baden-Württemberg)" in within.text
    wider = client_for(world.alice).get(url, {"near": "bruchsal", "radius": "25"})
    assert {p.given_name for p in wider.context["page"]} == {
        "Ubstadt",
        "Bretten",
        "Philipp",
        "Karl",
    }
    # Combined with other filters like any other category.
    combined = client_for(world.alice).get(
        url, {"near": "Bruchsal", "radius": "25", "q": "philipp", "role": "volunteer"}
    )
    assert [p.given_name for p in combined.context["page"]] == ["Philipp"]


def test_an_unknown_place_is_a_clear_error_not_an_empty_list(world, client_for):
    _living_in(world, "Ubstadt", "Ubstadt-Weiher")
    response = client_for(world.alice).get(
        reverse("people:person_list"), {"near": "Bruxhsal", "radius": "15"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["near"]
    assert "Bruxhsal" in response.text
    bad_radius = client_for(world.alice).get(
        reverse("people:person_list"), {"near": "Bruchsal", "radius": "7000"}
    )
    assert bad_radius.context["form"].errors["radius"]


def test_a_persons_coordinates_follow_their_municipality(world):
    person = _living_in(world, "Umzug", "Bretten")
    assert (person.latitude, person.longitude) == pytest.approx((49.037, 8.707), abs=0.01)
    actor = world.alice
    actor.membership = actor.memberships.get()
    moved = services.update_person(
        actor=actor, person=person, version=person.version, municipality="Unbekanntdorf"
    )
    assert (moved.latitude, moved.longitude) == (None, None)
    back = services.update_person(
        actor=actor, person=moved, version=moved.version, municipality="Oestringen"
    )
    assert back.latitude == pytest.approx(49.219, abs=0.01)


def test_each_role_has_its_own_page_with_its_columns(world, mentors, client_for):
    mentee = PersonFactory(
        organisation=world.org_a, site=world.site_a1, given_name="Lernende", family_name="Mentee"
    )
    client = client_for(world.alice)
    volunteers = client.get(reverse("people:volunteer_list"), {"status": "active"})
    names = {person.given_name for person in volunteers.context["page"]}
    assert names == {"Treffer", "Bau", "Schwach", "Morgens", "Handel"}
    assert "Mentees gleichzeitig" in volunteers.text
    assert 'aria-current="page">Ehrenamtliche' in volunteers.text
    # The role is fixed by the page, whatever the address says; it reaches the
    # export and the bulk actions through the filter query.
    forced = client.get(reverse("people:volunteer_list"), {"role": "participant"})
    assert mentee not in forced.context["page"]
    assert "role=volunteer" in forced.context["filter_query"]
    participants = client.get(reverse("people:participant_list"))
    assert mentee in participants.context["page"]
    assert not {mentors["match"]} & set(participants.context["page"])
    assert "Bedarfe" in participants.text and "Mentees gleichzeitig" not in participants.text


def test_the_role_pages_read_profiles_in_a_fixed_number_of_queries(world, mentors, client_for):
    client = client_for(world.alice)
    first = PersonFactory(organisation=world.org_a, site=world.site_a1)
    ParticipantProfile.objects.create(person=first)

    def queries(url_name):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured)

    names = ("people:volunteer_list", "people:participant_list")
    # Once first: the countries of the pool are cached after the first page.
    for name in names:
        queries(name)
    before = {name: queries(name) for name in names}
    for _index in range(10):
        volunteer = PersonFactory(
            organisation=world.org_a, site=world.site_a1, role=PoolRole.VOLUNTEER
        )
        VolunteerProfile.objects.create(person=volunteer, capacity=2)
        participant = PersonFactory(organisation=world.org_a, site=world.site_a1)
        ParticipantProfile.objects.create(person=participant)
    assert {name: queries(name) for name in before} == before
