"""Case management in the browser: a caseworker works a case from the intake
to its close, the caseload and calendar pages go through axe, and a
caseworker of another site finds nothing of the case.

The caseworkers read English, like the coordinators of the tandem and
network tests."""

from __future__ import annotations

import datetime
import io
import re
import urllib.request

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.cases import calendar as case_calendar
from lotse.cases import services as cases
from lotse.cases.models import (
    Case,
    CaseContact,
    CaseDocument,
    CaseStatus,
    ContactKind,
    HelpPlan,
    Outcome,
    PlanMeasure,
    Referral,
    Responsible,
)
from lotse.core.models import SupportArea
from lotse.core.storage import document_storage
from lotse.network.models import Domain, Institution, InstitutionKind, Offer
from lotse.programmes.catalogues import DEFAULT_STEPS
from lotse.programmes.models import Enrolment, EnrolmentRole, Programme, Step, StepKind

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, SiteFactory

SCHOOL = "Volkshochschule Kraichgau"
COURSE = "Deutschkurs B1"
CLIENT = "Amira Saleh"
GOAL_LANGUAGE = "Reach German B1 by the summer"
GOAL_WORK = "Find work as a nursing assistant"
MEASURES = (
    "Register for the B1 course",
    "Take the B1 exam",
    "Write three applications to care homes",
)
HEALTH = "Back pain, no heavy lifting"
# A minimal PDF: what the upload checks is its first bytes.
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def documents(settings, tmp_path, monkeypatch):
    """Uploaded documents go to a temporary folder; the field keeps the
    storage it was built with, so it is replaced as well (like
    tests/cases/conftest.py)."""
    location = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            **settings.STORAGES["documents"],
            "OPTIONS": {
                **settings.STORAGES["documents"].get("OPTIONS", {}),
                "location": str(location),
            },
        },
    }
    monkeypatch.setattr(CaseDocument._meta.get_field("file"), "storage", document_storage())
    return location


def _english(day: datetime.date) -> str:
    with translation.override("en"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def _pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def _caseworker(organisation, name: str = "Leyla Demir", *, sites=None, sensitive=True):
    """A caseworker reading English, with the grant for sensitive data."""
    membership = MembershipFactory(
        organisation=organisation,
        role=Role.CASEWORKER,
        sensitive_data=sensitive,
        sites=sites,
        user__full_name=name,
        user__language="en",
    )
    user = membership.user
    user.membership = Membership.objects.get(pk=membership.pk)
    return user


def _office():
    """An integration office at Bretten: a caseworker, a participant, a
    case-management programme with its usual steps, and the adult education
    centre with its B1 course."""
    organisation = OrganisationFactory(name="Integrationsbüro Kraichgau")
    site = SiteFactory(organisation=organisation, name="Bretten")
    caseworker = _caseworker(organisation)
    client = PersonFactory(
        organisation=organisation, site=site, given_name="Amira", family_name="Saleh"
    )
    programme = Programme.objects.create(
        organisation=organisation, name="Stark im Beruf", kind="case_management"
    )
    Step.objects.bulk_create(
        Step(organisation=organisation, programme=programme, position=n, **step._asdict())
        for n, step in enumerate(DEFAULT_STEPS["case_management"], start=1)
    )
    school = Institution.objects.create(
        organisation=organisation,
        name=SCHOOL,
        domain=Domain.EDUCATION,
        kind=InstitutionKind.ADULT_EDUCATION_CENTRE,
        town="Bretten",
    )
    offer = Offer.objects.create(
        organisation=organisation,
        title=COURSE,
        area=SupportArea.LANGUAGE,
        language_level="B1",
        provider=school,
        schedule="Mon–Thu 9:00–12:15",
        starts_on=timezone.localdate(),
        capacity=16,
    )
    return caseworker, client, programme, school, offer


def _form(page, heading: str):
    """The form of the case page that carries this heading."""
    return page.locator("form").filter(has=page.get_by_role("heading", name=heading, exact=True))


def test_a_caseworker_works_a_case_from_intake_to_close(page, axe, sign_in_as, tmp_path, documents):
    caseworker, client, programme, school, offer = _office()
    today = timezone.localdate()
    due = today + datetime.timedelta(days=14)
    visited = today - datetime.timedelta(days=3)

    sign_in_as(caseworker)
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation.get_by_role("link", name="Cases")).to_be_visible()
    axe("the start page of a caseworker")

    # --- the person's page: open a case ----------------------------------------------
    navigation.get_by_role("link", name="People").click()
    axe("the pool")
    page.get_by_role("link", name="Saleh, Amira").click()
    expect(page.get_by_role("heading", name=CLIENT, level=1)).to_be_visible()
    panel = page.get_by_role("region", name="Cases")
    expect(panel).to_contain_text("No case yet.")
    axe("a participant without a case")
    panel.get_by_role("link", name="Open a case").click()
    expect(page.get_by_role("heading", name="Open a case", level=1)).to_be_visible()
    # The person, the only case-management programme and the caseworker herself
    # are chosen already.
    expect(page.get_by_label("Client")).to_have_value(str(client.pk))
    expect(page.get_by_label("Programme")).to_have_value(str(programme.pk))
    expect(page.get_by_label("Responsible caseworker")).to_have_value(str(caseworker.pk))
    expect(page.get_by_label("Opened on")).to_have_value(today.isoformat())
    axe("opening a case")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("status")).to_contain_text("The case has been opened.")
    case = Case.objects.get()
    expect(page.get_by_role("heading", name=f"Case of {CLIENT}", level=1)).to_be_visible()
    expect(page.locator(".kern-subline")).to_have_text(f"{case.number} · Stark im Beruf · Bretten")
    expect(page.locator("#case-status")).to_have_text("intake")
    expect(page.locator("#intake")).to_contain_text("Not completed yet.")
    axe("a new case")
    case_url = page.url.split("#")[0]
    assert case.client == client and case.caseworker == caseworker
    enrolment = Enrolment.objects.get(person=client, programme=programme)
    assert enrolment.role == EnrolmentRole.CLIENT and enrolment.step.kind == StepKind.INTAKE

    # --- the intake --------------------------------------------------------------------
    page.get_by_role("link", name="Fill in the intake").click()
    expect(page.get_by_role("heading", name="Intake assessment", level=1)).to_be_visible()
    # She has the grant: the sensitive sections are there for her.
    sensitive = page.get_by_role("group", name="Sensitive: health, residence and benefits")
    expect(sensitive).to_be_visible()
    axe("the intake form")
    page.get_by_label("Family situation").fill("Married, two children, husband works shifts")
    page.get_by_label("Ages of the children").fill("3, 7")
    page.get_by_label("Childcare needed").check()
    page.get_by_label("Language levels").fill("German A2 (certificate), Arabic native")
    page.get_by_label("Work experience").fill("Six years as a nurse in Aleppo")
    sensitive.get_by_label("Health or other constraints").fill(HEALTH)
    sensitive.get_by_label("Residence and benefits situation").fill("Residence permit § 25 (2)")
    page.get_by_label(re.compile("^The client's own goals")).fill("Work in care again")
    page.get_by_label("The intake is complete").check()
    page.get_by_role("button", name="Save the intake").click()
    expect(page.get_by_role("status")).to_contain_text("The intake has been saved.")
    intake = page.locator("#intake")
    expect(intake).to_contain_text(f"Completed on {_english(today)}.")
    expect(intake).to_contain_text("3, 7 · childcare needed")
    expect(intake).to_contain_text("German A2 (certificate), Arabic native")
    expect(intake).to_contain_text(HEALTH)
    expect(intake).to_contain_text("Work in care again")
    expect(page.locator("#case-status")).to_have_text("active")
    expect(page.get_by_role("link", name="Edit the intake")).to_be_visible()
    axe("a case with its intake")
    enrolment.refresh_from_db()
    assert enrolment.step.kind != StepKind.INTAKE

    # --- the help plan: two goals, three measures ----------------------------------------
    for area, text in (("language", GOAL_LANGUAGE), ("work and internships", GOAL_WORK)):
        goal_form = _form(page, "Add a goal")
        goal_form.get_by_label("Life area").select_option(label=area)
        goal_form.get_by_label("Goal", exact=True).fill(text)
        goal_form.get_by_role("button", name="Add the goal").click()
        expect(page.get_by_role("status")).to_contain_text("The goal has been added.")
    plan = page.locator("#plan")
    expect(plan.get_by_role("heading", name=f"language: {GOAL_LANGUAGE}")).to_be_visible()
    expect(plan.get_by_role("heading", name=f"work and internships: {GOAL_WORK}")).to_be_visible()
    expect(page.locator("#plan-state")).to_contain_text("Version 1 · not agreed yet")
    axe("a help plan with two goals")

    for goal, what, responsible, due_on in (
        (GOAL_LANGUAGE, MEASURES[0], "the client", due),
        (GOAL_LANGUAGE, MEASURES[1], "a partner institution or offer", None),
        (GOAL_WORK, MEASURES[2], "the caseworker", due + datetime.timedelta(days=14)),
    ):
        measure_form = _form(page, "Add a measure")
        measure_form.get_by_label("For the goal").select_option(label=goal)
        measure_form.get_by_label("What").fill(what)
        measure_form.get_by_role("group", name="Who is responsible").get_by_label(
            responsible, exact=True
        ).check()
        if responsible.startswith("a partner"):
            measure_form.get_by_role("combobox", name="Partner institution").select_option(
                label=SCHOOL
            )
        if due_on:
            measure_form.get_by_label("Due on").fill(due_on.isoformat())
        measure_form.get_by_role("button", name="Add the measure").click()
        expect(page.get_by_role("status")).to_contain_text("The measure has been added.")
    language_goal = page.locator("#plan article").filter(has_text=GOAL_LANGUAGE)
    expect(language_goal.locator("li").filter(has_text=MEASURES[0])).to_contain_text(
        f"the client · due on {_english(due)}"
    )
    expect(language_goal.locator("li").filter(has_text=MEASURES[1])).to_contain_text(SCHOOL)
    expect(page.locator("#plan article").filter(has_text=GOAL_WORK)).to_contain_text(
        f"{MEASURES[2]} · the caseworker"
    )
    axe("a help plan with three measures")
    partner_measure = PlanMeasure.objects.get(what=MEASURES[1])
    assert partner_measure.responsible == Responsible.PARTNER
    assert partner_measure.institution == school

    # --- a home visit three days ago -------------------------------------------------------
    page.get_by_role("link", name="Record a contact or appointment").click()
    expect(
        page.get_by_role("heading", name="Record a contact or appointment", level=1)
    ).to_be_visible()
    axe("recording a contact")
    page.get_by_label("Kind").select_option(label="home visit")
    page.get_by_label("Date", exact=True).fill(visited.isoformat())
    page.get_by_label("Time", exact=True).fill("10:00")
    page.get_by_label("Duration (minutes)").fill("90")
    page.get_by_label("Place").fill("Melanchthonstraße 4, Bretten")
    page.get_by_label("Participants").fill("client, husband, interpreter")
    page.get_by_label(re.compile("^Note")).fill("A kindergarten place is needed for the younger")
    page.get_by_label("Next steps").fill("Ask the town about kindergarten places")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The contact has been recorded.")
    contacts = page.locator("#contacts")
    expect(contacts).to_contain_text("home visit · 90 min")
    expect(contacts).to_contain_text("client, husband, interpreter")
    expect(contacts).to_contain_text("Next steps: Ask the town about kindergarten places")
    expect(
        page.locator(".kern-description-list-item").filter(has_text="Last contact")
    ).to_contain_text(_english(visited))
    axe("a case with a home visit")
    contact = CaseContact.objects.get()
    assert contact.kind == ContactKind.HOME_VISIT and contact.staff == caseworker
    assert timezone.localtime(contact.starts_at).date() == visited

    # --- a referral to the language course -------------------------------------------------
    referral_form = _form(page, "Refer the client")
    referral_form.get_by_label("Or an offer").select_option(label=f"{COURSE} ({SCHOOL})")
    referral_form.get_by_label("Reason").fill("German for the care sector")
    expect(referral_form.get_by_label("Referred on")).to_have_value(today.isoformat())
    referral_form.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_role("status")).to_contain_text("The referral has been recorded.")
    referrals = page.locator("#referrals")
    expect(referrals).to_contain_text(f"{COURSE} ({SCHOOL}) · {_english(today)} · sent")
    expect(referrals).to_contain_text("German for the care sector")
    expect(page.locator("#timeline")).to_contain_text(f"Referred to {SCHOOL}")
    axe("a case with a referral")
    referral = Referral.objects.get()
    assert referral.offer == offer and referral.institution == school

    # --- a document ----------------------------------------------------------------------------
    scan = tmp_path / "a2-certificate.pdf"
    scan.write_bytes(PDF)
    upload = page.locator("#documents form")
    # A text file is refused with a message; nothing is stored.
    notes = tmp_path / "notes.txt"
    notes.write_text("not a scan")
    upload.get_by_label("Title").fill("Notes")
    upload.get_by_label("File").set_input_files(notes)
    upload.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("Upload a PDF")
    expect(page.locator("#documents")).to_contain_text("No documents yet.")
    upload.get_by_label("Title").fill("A2 certificate")
    upload.get_by_label("File").set_input_files(scan)
    upload.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("The document has been uploaded.")
    expect(page.locator("#documents")).to_contain_text("Leyla Demir")
    expect(page.locator("#timeline")).to_contain_text("Document “A2 certificate” uploaded")
    axe("a case with a document")
    with page.expect_download() as download:
        page.locator("#documents").get_by_role("link", name="A2 certificate").click()
    assert (
        download.value.suggested_filename
        == f"document-{case.number}-{CaseDocument.objects.get().pk}.pdf"
    )
    stored = tmp_path / "downloaded.pdf"
    download.value.save_as(stored)
    assert stored.read_bytes() == PDF
    # On disk under a random name, outside the web root.
    (on_disk,) = documents.rglob("*.pdf")
    assert on_disk.read_bytes() == PDF and "a2-certificate" not in on_disk.name
    assert CaseDocument.objects.get().content_type == "application/pdf"

    # --- the agreement and the printed plan -----------------------------------------------------
    agree_form = _form(page, "Agree the help plan")
    expect(agree_form.get_by_label("Agreed with the client on")).to_have_value(today.isoformat())
    agree_form.get_by_role("button", name="Record the agreement").click()
    expect(page.get_by_role("status")).to_contain_text("The help plan has been agreed.")
    expect(page.locator("#plan-state")).to_contain_text(f"Version 1 · agreed on {_english(today)}")
    expect(page.locator("#timeline")).to_contain_text("Help plan version 1 agreed")
    axe("a case with an agreed help plan")

    with page.expect_download() as download:
        page.locator("#plan-state").get_by_role("link", name="Print the help plan (PDF)").click()
    assert download.value.suggested_filename == f"{case.number}-help-plan-1.pdf"
    printed = tmp_path / "help-plan.pdf"
    download.value.save_as(printed)
    text = _pdf_text(printed.read_bytes())
    for expected in (GOAL_LANGUAGE, GOAL_WORK, *MEASURES, SCHOOL, CLIENT, "Leyla Demir"):
        assert expected in text, expected
    # The client's copy says nothing of the intake or the home visit.
    for private in (HEALTH, "kindergarten", "Melanchthonstraße"):
        assert private not in text, private

    # --- the close --------------------------------------------------------------------------------
    page.get_by_role("link", name="Close the case").click()
    expect(page.get_by_role("heading", name="Close the case", level=1)).to_be_visible()
    expect(page.get_by_label("Closed on")).to_have_value(today.isoformat())
    axe("closing a case")
    page.get_by_label("Reason").select_option(label="placed in work or training")
    page.get_by_label("Outcome", exact=True).select_option(
        label="employment subject to social insurance"
    )
    page.get_by_label("Note on the outcome").fill("Nursing assistant, Klinikum Bretten")
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_role("status")).to_contain_text("The case has been closed.")
    assert page.url.split("#")[0] == case_url
    expect(page.locator("#case-status")).to_have_text("closed")
    expect(page.locator("#case-outcome")).to_have_text(
        f"{_english(today)} – placed in work or training; "
        "outcome: employment subject to social insurance (Nursing assistant, Klinikum Bretten)"
    )
    # A closed case is read, not worked on: no form and no link to change it.
    main = page.locator("main")
    expect(main.locator("form")).to_have_count(0)
    expect(main.locator("details")).to_have_count(0)
    for name in (
        "Edit",
        "Edit the intake",
        "Record a contact or appointment",
        "Close the case",
    ):
        expect(main.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(page.locator("#plan")).to_contain_text(MEASURES[1])
    axe("a closed case")

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == today
    assert case.closing_reason == "placed" and case.outcome == Outcome.EMPLOYMENT
    plan_ = HelpPlan.objects.get(case=case)
    assert plan_.agreed_on == today
    assert plan_.goals.count() == 2
    assert PlanMeasure.objects.filter(goal__plan=plan_).count() == 3
    # A closed case cannot be changed behind the page's back either: its
    # intake form leads back to the case.
    response = page.request.get(f"{case_url}intake/", max_redirects=0)
    assert response.status == 302 and response.headers["location"].endswith("#intake")


def _case_with_appointment(caseworker, client, programme, school, offer):
    """A case opened six weeks ago without a contact since, with a measure
    overdue, a referral, and a home visit in two hours."""
    today = timezone.localdate()
    case = cases.open_case(
        actor=caseworker,
        client=client,
        programme=programme,
        caseworker=caseworker,
        opened_on=today - datetime.timedelta(days=42),
    )
    plan = cases.current_plan(case)
    goal = cases.add_goal(actor=caseworker, plan=plan, area="language", text=GOAL_LANGUAGE)
    cases.add_measure(
        actor=caseworker,
        goal=goal,
        what=MEASURES[0],
        responsible=Responsible.CLIENT,
        due_on=today - datetime.timedelta(days=2),
    )
    cases.add_measure(
        actor=caseworker, goal=goal, what=MEASURES[1], responsible=Responsible.PARTNER, offer=offer
    )
    cases.refer(actor=caseworker, case=case, reason="German for work", offer=offer)
    appointment = cases.record_contact(
        actor=caseworker,
        case=case,
        kind=ContactKind.HOME_VISIT,
        starts_at=timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=2),
        place="Melanchthonstraße 4, Bretten",
        note="Bring the kindergarten forms",
    )
    return case, appointment


def test_the_caseload_and_calendar_pages_are_accessible(page, axe, sign_in_as):
    caseworker, client, programme, school, offer = _office()
    case, appointment = _case_with_appointment(caseworker, client, programme, school, offer)
    today = timezone.localdate()
    sign_in_as(caseworker)

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    tabs = page.get_by_role("navigation", name="Cases", exact=True)
    expect(tabs.get_by_role("link", name="Caseload")).to_have_attribute("aria-current", "page")
    overdue = page.get_by_role("region", name="Overdue measures in my cases")
    expect(overdue).to_contain_text(f"{CLIENT} ({case.number}): {MEASURES[0]}")
    upcoming = page.get_by_role("region", name="My next appointments")
    expect(upcoming).to_contain_text(f"home visit · {CLIENT} ({case.number})")
    silent = page.get_by_role("region", name="My cases without contact for 30 days")
    expect(silent).to_contain_text(f"{CLIENT} ({case.number}) – no contact yet")
    expect(page.locator("#case-count")).to_have_text("1 case")
    expect(page.locator("#case-results")).to_contain_text(f"{case.number} · Stark im Beruf")
    axe("the caseload")

    # The filters: the closed cases of hers are none.
    page.get_by_role("search", name="Filter cases").get_by_label("Status").select_option(
        label="closed"
    )
    expect(page.locator("#case-count")).to_have_text("0 cases")
    axe("the caseload filtered")

    # --- the calendar and its feed ------------------------------------------------------------
    tabs.get_by_role("link", name="Calendar").click()
    week_of = case_calendar.week_start(timezone.localtime(appointment.starts_at).date())
    if week_of != case_calendar.week_start(today):
        # Two hours from a late Sunday evening are next week.
        page.get_by_role("navigation", name="Weeks").get_by_role("link", name="Next week").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"My appointments in the week of {_english(week_of)}"
    )
    entry = page.locator(".lotse-week__day li").filter(has_text=CLIENT)
    expect(entry).to_contain_text("home visit")
    expect(entry.get_by_role("link", name=CLIENT)).to_have_attribute(
        "href", f"/cases/{case.pk}/#contacts"
    )
    expect(page.locator("#feed-url")).to_have_count(0)
    axe("the calendar week")
    page.get_by_role("navigation", name="Weeks").get_by_role("link", name="Previous week").click()
    expect(page.locator(".lotse-week__day li")).to_have_count(0)
    axe("a week without appointments")

    feed = page.get_by_role("region", name="In your calendar app")
    feed.get_by_role("button", name="Make an address").click()
    expect(page.get_by_role("status")).to_contain_text("A new calendar address has been made")
    address = page.locator("#feed-url")
    expect(address).to_contain_text("/calendar/")
    expect(page.get_by_role("button", name="Make a new address")).to_be_visible()
    axe("the calendar with a feed address")
    url = address.inner_text().strip()
    assert url.endswith(".ics")
    # A calendar app fetches the feed without a session.
    with urllib.request.urlopen(url) as response:  # noqa: S310 - the live server's own address
        assert response.headers["Content-Type"].startswith("text/calendar")
        ical = response.read().decode()
    assert "BEGIN:VEVENT" in ical and case.number in ical
    for private in ("Amira", "Saleh", "Melanchthonstraße", "kindergarten"):
        assert private not in ical, private

    # --- referrals per partner ----------------------------------------------------------------
    tabs.get_by_role("link", name="Referrals per partner").click()
    expect(page.get_by_role("heading", name="Referrals per partner", level=1)).to_be_visible()
    row = page.get_by_role("row", name=re.compile(SCHOOL))
    expect(row.get_by_role("cell")).to_have_text(["1", "1", "0", "0", "0"])
    axe("referrals per partner")

    # --- the case, agreed twice, and its earlier version ----------------------------------------
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("#contacts")).to_contain_text("Appointments ahead")
    overdue_measure = PlanMeasure.objects.get(what=MEASURES[0])
    expect(page.locator(f"#measure-{overdue_measure.pk}")).to_contain_text("overdue")
    axe("a case with an appointment ahead and an overdue measure")
    _form(page, "Agree the help plan").get_by_role("button", name="Record the agreement").click()
    expect(page.get_by_role("status")).to_contain_text("The help plan has been agreed.")
    again = _form(page, "Re-agree the help plan")
    expect(again).to_contain_text("The agreed version stays readable")
    again.get_by_role("button", name="Record the agreement").click()
    expect(page.get_by_role("status")).to_contain_text("The help plan has been agreed.")
    expect(page.locator("#plan-state")).to_contain_text(f"Version 2 · agreed on {_english(today)}")
    axe("a case with an earlier help plan")
    page.locator("#plan").get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("heading", name="Help plan, version 1", level=1)).to_be_visible()
    expect(page.get_by_text(f"superseded on {_english(today)}")).to_be_visible()
    expect(page.get_by_role("heading", name=f"language: {GOAL_LANGUAGE}")).to_be_visible()
    expect(page.get_by_text(f"{COURSE} ({SCHOOL})")).to_be_visible()
    # The earlier version is read only.
    expect(page.locator("main form")).to_have_count(0)
    axe("an earlier version of the help plan")
    assert HelpPlan.objects.filter(case=case).count() == 2


def test_a_caseworker_of_another_site_does_not_find_the_case(page, axe, sign_in_as, documents):
    caseworker, client, programme, _school, _offer = _office()
    organisation = client.organisation
    case = cases.open_case(
        actor=caseworker, client=client, programme=programme, caseworker=caseworker
    )
    document = cases.upload_document(
        actor=caseworker,
        case=case,
        title="A2 certificate",
        upload=SimpleUploadedFile("a2.pdf", PDF, content_type="application/pdf"),
    )
    plan = cases.current_plan(case)
    elsewhere = SiteFactory(organisation=organisation, name="Bruchsal")
    colleague = _caseworker(organisation, "Jonas Becker", sites=[elsewhere])
    # A case at his own site, which he does see.
    neighbour = PersonFactory(
        organisation=organisation, site=elsewhere, given_name="Omar", family_name="Haddad"
    )
    cases.open_case(actor=caseworker, client=neighbour, programme=programme, caseworker=caseworker)

    sign_in_as(colleague)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Cases").click()
    page.get_by_role("search", name="Filter cases").get_by_label(
        re.compile("^Cases")
    ).select_option(label="all cases I may see")
    page.get_by_role("search", name="Filter cases").get_by_label("Status").select_option(
        label="all"
    )
    expect(page).to_have_url(re.compile(r"scope=all.*state=all"))
    expect(page.locator("#case-count")).to_have_text("1 case")
    expect(page.locator("#case-results")).to_contain_text("Omar Haddad")
    expect(page.get_by_text(CLIENT)).to_have_count(0)
    axe("the caseload of another site")

    for url in (
        f"/cases/{case.pk}/",
        f"/cases/documents/{document.pk}/",
        f"/cases/plans/{plan.pk}/",
        f"/cases/{case.pk}/intake/",
    ):
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
        expect(page.get_by_text("Saleh")).to_have_count(0)
        axe(f"not found: {url}")
    response = page.request.get(f"/cases/plans/{plan.pk}.pdf")
    assert response.status == 404
