"""The pages of annual reports and testimonials: asking for a report and
downloading it, its progress while written, the testimonial form with its
consent rules and a clear message for each mistake."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from lotse.people import services as people
from lotse.reports.models import AnnualReport, ReportStatus, Testimonial

from ..factories import PersonFactory
from ..imports.helpers import acting

pytestmark = pytest.mark.django_db


@pytest.fixture
def vera(world, client_for):
    return client_for(world.vera)


@pytest.fixture
def alice(world, client_for):
    return client_for(world.alice)


def test_a_viewer_asks_for_an_annual_report_and_downloads_it(
    world, vera, django_capture_on_commit_callbacks
):
    page = vera.get(reverse("reports:annual_report_list")).content.decode()
    # The consented testimonial can be chosen, by the name it is printed under.
    assert "Amira, Mentee" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = vera.post(
            reverse("reports:annual_report_list"),
            {
                "year": "2025",
                "language": "en",
                "title": "Annual report 2025",
                "foreword": "A year of work.",
                "testimonials": [world.testimonial_a.pk],
            },
        )
    report = AnnualReport.objects.get(title="Annual report 2025")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:annual_report", args=[report.pk])
    assert report.status == ReportStatus.DONE
    page = vera.get(response["Location"]).content.decode()
    assert reverse("reports:annual_report_pdf", args=[report.pk]) in page
    pdf = vera.get(reverse("reports:annual_report_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # vera reads German.
        ({"year": "1999", "language": "de", "title": "X"}, "Jahr von 2000"),
        ({"year": "2099", "language": "de", "title": "X"}, "Jahr von 2000"),
        ({"year": "2025", "language": "fr", "title": "X"}, "fr"),
        ({"year": "2025", "language": "de", "title": ""}, "erforderlich"),
    ],
)
def test_a_bad_request_for_a_report_is_shown_with_the_form(world, vera, data, message):
    response = vera.post(reverse("reports:annual_report_list"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "kern-alert--danger" in page
    assert message in page
    assert not AnnualReport.objects.filter(title="X").exists()


def test_a_report_being_written_shows_its_progress_and_polls(world, vera):
    report = AnnualReport.objects.create(
        organisation=world.org_a,
        year=2025,
        title="Läuft",
        created_by=world.vera,
        status=ReportStatus.RUNNING,
        progress=45,
        step="Drawing the charts",
    )
    page = vera.get(reverse("reports:annual_report", args=[report.pk])).content.decode()
    assert 'value="45"' in page and "Drawing the charts" in page
    assert 'hx-trigger="every 1s"' in page
    fragment = vera.get(
        reverse("reports:annual_report", args=[report.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="report-status"')
    assert vera.get(reverse("reports:annual_report_pdf", args=[report.pk])).status_code == 404


def test_a_testimonial_goes_into_a_report_only_while_its_authors_consent_holds(world, alice):
    author = PersonFactory(organisation=world.org_a, site=world.site_a1)
    url = reverse("reports:testimonial_create")
    base = {
        "person": author.pk,
        "author_role": "mentee",
        "text": "Ich habe Deutsch gelernt.",
        "signed_as": "A., Mentee",
    }
    assert alice.post(url, base).status_code == 302
    testimonial = Testimonial.objects.get(signed_as="A., Mentee")
    assert not testimonial.is_publishable
    listed = alice.get(reverse("reports:testimonial_list")).content.decode()
    assert "keine gültige" in listed
    offered = reverse("reports:annual_report_list")
    assert "A., Mentee" not in alice.get(offered).content.decode()

    # The consent to publication, recorded on the author's page like any other.
    consent = people.record_consent(
        actor=acting(world.alice),
        person=author,
        purpose="publication",
        given_on=datetime.date(2026, 1, 5),
        channel="paper",
    )
    assert testimonial.is_publishable
    assert "A., Mentee" in alice.get(offered).content.decode()

    # Withdrawn: no longer among those a report can take.
    people.withdraw_consent(actor=acting(world.alice), consent=consent, version=consent.version)
    assert not testimonial.is_publishable
    page = alice.get(offered).content.decode()
    assert "A., Mentee" not in page
    edit = reverse("reports:testimonial_edit", args=[testimonial.pk])
    # A stale version is refused, nothing lost.
    response = alice.post(
        edit,
        {
            "author_role": "mentee",
            "text": "Anders.",
            "signed_as": testimonial.signed_as,
            "version": testimonial.version - 1,
        },
    )
    assert response.status_code == 200
    assert "Anders." in response.content.decode()
    testimonial.refresh_from_db()
    assert testimonial.text == "Ich habe Deutsch gelernt."


def test_a_caseworker_cannot_record_a_testimonial_of_someone_at_another_site(world, client_for):
    cora = client_for(world.cora)  # site A2; person_a1 lives at A1
    response = cora.post(
        reverse("reports:testimonial_create"),
        {
            "person": world.person_a1.pk,
            "author_role": "mentee",
            "text": "X",
            "signed_as": "X",
        },
    )
    assert response.status_code == 200
    assert not Testimonial.objects.filter(signed_as="X").exists()
