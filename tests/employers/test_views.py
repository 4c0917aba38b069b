"""Pages of the work with employers (lotse.employers.views)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lotse.employers.models import Activity, EmployerContact, FollowUp, Opening, Placement
from lotse.people.models import PersonLanguage

from ..factories import mentee_profile


def test_the_list_filters_and_answers_htmx_with_the_results_only(world, english):
    client = english(world.alice)
    response = client.get(reverse("employers:employer_list"), {"q": "Sonnenkorn"})
    assert response.status_code == 200
    assert "Bäckerei Sonnenkorn" in response.content.decode()
    assert "<html" in response.content.decode()
    fragment = client.get(
        reverse("employers:employer_list"), {"relationship": "prospect"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment
    assert "Sonnenkorn" not in fragment
    assert "0 employers" in fragment


@pytest.mark.parametrize(
    "query",
    [
        {"industry": "abc", "page": "xyz"},
        {"size_class": "enormous", "relationship": "<script>"},
        {"q": "x" * 500},
    ],
)
def test_garbage_in_the_filters_gives_a_page_not_an_error(world, english, query):
    assert english(world.alice).get(reverse("employers:employer_list"), query).status_code == 200
    assert english(world.alice).get(reverse("employers:opening_list"), query).status_code == 200
    assert english(world.alice).get(reverse("employers:placement_list"), query).status_code == 200


def test_the_newsletter_export_leaves_out_opt_outs(world, english):
    EmployerContact.objects.create(
        organisation=world.org_a,
        employer=world.employer_a,
        name="Herr Nein",
        email="nein@sonnenkorn.example",
        newsletter_opt_out=True,
    )
    EmployerContact.objects.create(
        organisation=world.org_a,
        employer=world.employer_a,
        name="=HYPERLINK(1)",
        email="formel@sonnenkorn.example",
    )
    client = english(world.alice)
    response = client.get(reverse("employers:newsletter_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["'=HYPERLINK(1)", "Frau Korn"]
    rows = list(csv.reader(io.StringIO(client.get(reverse("employers:newsletter_csv")).text)))
    assert "nein@sonnenkorn.example" not in str(rows)
    assert "no-store" in response["Cache-Control"]


def test_an_opening_with_wrong_hours_is_shown_again_with_the_message(world, english):
    response = english(world.alice).post(
        reverse("employers:opening_create", args=[world.employer_a.pk]),
        {"kind": "full_time", "title": "Verkauf", "hours_per_week": "99", "positions": "1"},
    )
    assert response.status_code == 200
    assert "Enter the hours of a week, between 1 and 60." in response.content.decode()
    assert Opening.objects.filter(title="Verkauf").count() == 1  # the world's only


def test_the_way_from_a_cold_call_to_the_end_of_probation(world, english):
    client = english(world.alice)
    response = client.post(
        reverse("employers:activity_create", args=[world.employer_a.pk]),
        {"kind": "cold_call", "date": "2026-12-01", "follow_up_on": "2026-12-10"},
        follow=True,
    )
    assert "The activity has been recorded." in response.content.decode()
    assert Activity.objects.filter(employer=world.employer_a).count() == 2
    response = client.post(
        reverse("employers:opening_create", args=[world.employer_a.pk]),
        {
            "kind": "internship",
            "title": "Praktikum Backstube",
            "german_level": "B1",
            "positions": "1",
        },
    )
    opening = Opening.objects.get(title="Praktikum Backstube")
    assert response.status_code == 302
    candidate = world.person_a2
    mentee_profile(candidate, languages=(("deu", "B2"),))
    page = client.get(reverse("employers:opening_detail", args=[opening.pk])).content.decode()
    assert "Speaks German at B2 (B1 required)" in page
    # A candidate who speaks German two levels below the requirement is ruled out.
    assert not PersonLanguage.objects.filter(person=world.person_a1).exists()
    assert "Amira Haddad" not in page
    response = client.post(
        reverse("employers:propose", args=[opening.pk]), {"person": candidate.pk}
    )
    placement = Placement.objects.get(opening=opening)
    assert response.url == reverse("employers:placement_detail", args=[placement.pk])
    # A contract without its start: the message, and nothing moved.
    response = client.post(
        reverse("employers:placement_move", args=[placement.pk]),
        {"stage": "contract", "version": placement.version},
        follow=True,
    )
    assert "A contract needs the start of employment." in response.content.decode()
    assert Placement.objects.get(pk=placement.pk).stage == "proposed"
    client.post(
        reverse("employers:placement_move", args=[placement.pk]),
        {
            "stage": "contract",
            "version": placement.version,
            "contract_start": "2026-12-01",
            "permanent": "1",
        },
    )
    last = FollowUp.objects.get(placement=placement, kind="probation_end")
    response = client.post(
        reverse("employers:follow_up_record", args=[last.pk]),
        {"result": "still_employed"},
        follow=True,
    )
    assert "The follow-up has been recorded." in response.content.decode()
    assert not FollowUp.objects.filter(placement=placement, result="").exists()
    person_page = client.get(reverse("people:person_detail", args=[candidate.pk])).content.decode()
    assert "Praktikum Backstube" in person_page


@pytest.mark.parametrize("person", ["", "abc", "999999"])
def test_a_proposal_of_nobody_is_not_found(world, english, person):
    response = english(world.alice).post(
        reverse("employers:propose", args=[world.opening_a.pk]), {"person": person}
    )
    assert response.status_code == 404
