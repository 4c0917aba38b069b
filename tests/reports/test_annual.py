"""The annual report: written as PDF with the figures, charts, statistics
and the consented testimonials; refusals for what may not go in; a failure
kept on the report."""

from __future__ import annotations

import datetime
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.core.exceptions import ServiceError
from lotse.people.models import Consent
from lotse.reports import annual, services
from lotse.reports.models import AnnualReport, ReportStatus, Testimonial
from tests.factories import PersonFactory

from .test_kpis import office  # noqa: F401 - the hand-built office

D = datetime.date
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def staff(office):  # noqa: F811
    user = office.staff
    user.membership = Membership.objects.get(user=user)
    return user


def _testimonial(office, staff, text, *, given_on=None, withdrawn_on=None):  # noqa: F811
    """A testimonial; with `given_on`, its author's consent to publication."""
    author = PersonFactory(organisation_id=office.scope.organisation_id, site=office.site_north)
    if given_on:
        Consent.objects.create(
            organisation_id=office.scope.organisation_id,
            person=author,
            purpose="publication",
            given_on=given_on,
            channel="paper",
            withdrawn_on=withdrawn_on,
            recorded_by=staff,
        )
    return Testimonial.objects.create(
        organisation_id=office.scope.organisation_id,
        person=author,
        author_role="mentee",
        text=text,
        signed_as="Amal, Mentee",
        recorded_by=staff,
    )


def _request(staff, django_capture_on_commit_callbacks, **data):
    values = {"year": 2025, "programme": None, "language": "de", "title": "Jahresbericht 2025"}
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_annual_report(actor=staff, data=values | data)
    return AnnualReport.objects.get(pk=report.pk)


def _text(report) -> str:
    with report.pdf.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    # Lines broken by the layout join again with single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_report_holds_the_figures_statistics_and_consented_testimonials(
    office,  # noqa: F811
    staff,
    django_capture_on_commit_callbacks,
):
    consented = _testimonial(
        office,
        staff,
        "Mein Mentor hat mir beim Lebenslauf geholfen.",
        given_on=D(2025, 5, 1),
    )
    report = _request(
        staff,
        django_capture_on_commit_callbacks,
        foreword="Ein gutes Jahr für das Büro.",
        testimonials=[consented],
        logo=SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
    )
    assert report.status == ReportStatus.DONE and report.progress == 100
    text = _text(report)
    assert "Jahresbericht 2025" in text
    assert "Integrationsbüro Testhausen" in text
    assert "Ein gutes Jahr für das Büro." in text
    # 3 of 9 completed tandems with a contract of three months or more.
    assert "33,3 % (3 von 9)" in text
    assert "Abgeschlossene Tandems mit einem Vertrag von mindestens drei Monaten" in text
    assert "Mein Mentor hat mir beim Lebenslauf geholfen." in text
    assert "Amal, Mentee" in text
    assert "Altersgruppe" in text


def test_the_report_in_english(office, staff, django_capture_on_commit_callbacks):  # noqa: F811
    report = _request(
        staff, django_capture_on_commit_callbacks, language="en", title="Annual report 2025"
    )
    text = _text(report)
    assert "33.3 % (3 of 9)" in text
    assert "Key figures" in text


def test_a_consent_withdrawn_later_keeps_the_testimonial_out(
    office,  # noqa: F811
    staff,
    django_capture_on_commit_callbacks,
):
    testimonial = _testimonial(
        office,
        staff,
        "Ich habe eine Ausbildung gefunden.",
        given_on=D(2025, 5, 1),
    )
    withdrawn = _testimonial(
        office,
        staff,
        "Zurückgezogen.",
        given_on=D(2025, 5, 1),
        withdrawn_on=D(2025, 6, 1),
    )
    never = _testimonial(office, staff, "Ohne Einwilligung.")
    for refused in (withdrawn, never):
        with pytest.raises(ServiceError, match="consent to publication"):
            services.request_annual_report(
                actor=staff,
                data={"year": 2025, "language": "de", "title": "X", "testimonials": [refused]},
            )
    # Chosen while consented, withdrawn before the report was written.
    report = AnnualReport.objects.create(
        organisation_id=office.scope.organisation_id,
        year=2025,
        title="Jahresbericht",
        created_by=staff,
    )
    report.testimonials.set([testimonial])
    Consent.objects.filter(person=testimonial.person).update(withdrawn_on=D(2025, 7, 1))
    annual.generate(report.pk, report.organisation_id)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert "Ich habe eine Ausbildung gefunden." not in _text(report)


def test_a_logo_must_be_a_picture(staff, django_capture_on_commit_callbacks):
    with pytest.raises(ServiceError, match="PNG or JPEG"):
        services.request_annual_report(
            actor=staff,
            data={
                "year": 2025,
                "language": "de",
                "title": "X",
                "logo": SimpleUploadedFile("logo.pdf", b"%PDF-1.4 nothing"),
            },
        )
    assert not AnnualReport.objects.exists()


def test_a_report_that_cannot_be_written_says_so(staff, django_capture_on_commit_callbacks):
    # A PNG signature with nothing of a picture behind it: Typst refuses it.
    broken = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40)
    report = _request(staff, django_capture_on_commit_callbacks, logo=broken)
    assert report.status == ReportStatus.FAILED
    assert not report.pdf


def test_a_report_cut_off_shows_as_failed(office, staff):  # noqa: F811
    report = AnnualReport.objects.create(
        organisation_id=office.scope.organisation_id,
        year=2025,
        title="Jahresbericht",
        created_by=staff,
        status=ReportStatus.RUNNING,
    )
    assert annual.mark_stale(report).status == ReportStatus.RUNNING
    AnnualReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    report.refresh_from_db()
    assert annual.mark_stale(report).status == ReportStatus.FAILED
