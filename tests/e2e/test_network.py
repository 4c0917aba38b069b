"""The local network in the browser: the network manager's meeting and the
interface paper issued from it, every network page through axe, and what a
partner institution's staff may and may not open.

The users read English, like the coordinator of the tandem tests: the German
catalogue has no translations of the network's pages yet."""

import datetime
import io
import re

import pypdf
from django.utils import formats, timezone, translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.core.models import SupportArea
from lotse.matching import services as matching
from lotse.network.models import (
    AgreedMeasure,
    Attendance,
    Committee,
    CommitteeKind,
    CommitteeMember,
    ContactPerson,
    CooperationAgreement,
    Domain,
    Institution,
    InstitutionKind,
    IntegrationStep,
    InterfacePaper,
    MeasureStatus,
    NeedsEntry,
    NetworkMeeting,
    Offer,
    Responsibility,
    SharedGoal,
)

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, SiteFactory
from .test_tandems import _accepted_pair

JOBCENTER = "Jobcenter Kraichgau"
CONTACT = "Petra Schneider"
CONTACT_PHONE = "07252 9513-45"
CONTACT_EMAIL = "petra.schneider@jobcenter-kraichgau.example"
STEP = "Job placement"


def _english(day: datetime.date) -> str:
    with translation.override("en"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def _network_tab(page, name: str) -> None:
    """Open a page of the network by its tab; a page of one record has no
    tabs, the main navigation leads back to them."""
    tabs = page.get_by_role("navigation", name="Network", exact=True)
    if not tabs.is_visible():
        page.get_by_role("navigation", name="Main navigation").get_by_role(
            "link", name="Network"
        ).click()
    tabs.get_by_role("link", name=name, exact=True).click()
    expect(tabs.get_by_role("link", name=name, exact=True)).to_have_attribute(
        "aria-current", "page"
    )


def _coordinator(organisation):
    """The network manager, reading English."""
    user = MembershipFactory(
        organisation=organisation,
        role=Role.COORDINATOR,
        user__full_name="Aylin Yılmaz",
        user__language="en",
    ).user
    user.membership = Membership.objects.get(user=user)
    return user


def _pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def _unbroken(text: str) -> str:
    """Without any white space: a table cell may wrap a long e-mail address."""
    return re.sub(r"\s+", "", text)


def test_a_network_manager_documents_a_meeting_and_issues_the_interface_paper(
    page, axe, sign_in_as, tmp_path
):
    organisation = OrganisationFactory(name="Integrationsbüro Kraichgau")
    SiteFactory(organisation=organisation, name="Bretten")
    manager = _coordinator(organisation)
    # A second institution is there already; the new one joins it in the committee.
    school = Institution.objects.create(
        organisation=organisation,
        name="Volkshochschule Bretten",
        domain=Domain.EDUCATION,
        kind=InstitutionKind.ADULT_EDUCATION_CENTRE,
    )
    today = timezone.localdate()
    due = today + datetime.timedelta(days=30)

    sign_in_as(manager)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Network"
    ).click()
    expect(page.get_by_role("heading", name="Network", level=1)).to_be_visible()
    expect(page.locator("#institution-count")).to_have_text("1 institution")
    axe("the institutions")

    # --- an institution and its contact person ---------------------------------------
    page.get_by_role("link", name="Add an institution").click()
    axe("adding an institution")
    page.get_by_label("Name", exact=True).fill(JOBCENTER)
    page.get_by_label("Short name").fill("JC KR")
    page.get_by_label("Domain").select_option(label="Work and economy")
    page.get_by_label("Type").select_option(label="jobcenter")
    page.get_by_label("Street and number").fill("Bahnhofstraße 12")
    page.get_by_label("Postcode").fill("75015")
    page.get_by_label("Town").fill("Bretten")
    page.get_by_label("Phone").fill("07252 9513-0")
    page.get_by_label("E-mail").fill("info@jobcenter-kraichgau.example")
    page.get_by_label("Legal mandate").fill("SGB II: basic income support")
    page.get_by_label("Tasks").fill("Job placement, benefits")
    page.get_by_label("Cooperation exists").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The institution has been added")
    expect(page.get_by_role("heading", name=JOBCENTER, level=1)).to_be_visible()
    # A new institution is active: it can be chosen for committees and steps.
    expect(page.locator(".kern-subline")).to_have_text("Work and economy · jobcenter")
    expect(page.get_by_text("Bahnhofstraße 12, 75015 Bretten")).to_be_visible()
    axe("an institution without contact persons")

    page.get_by_role("link", name="Add a contact person").click()
    axe("adding a contact person")
    page.get_by_label("Name", exact=True).fill(CONTACT)
    page.get_by_label("Function").fill("team lead, migration")
    page.get_by_label("Phone").fill(CONTACT_PHONE)
    page.get_by_label("E-mail").fill(CONTACT_EMAIL)
    page.get_by_label("Can take decisions for the institution").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The contact person has been added")
    contacts = page.locator("#contacts")
    contact_row = contacts.get_by_role("row", name=re.compile(CONTACT))
    expect(contact_row).to_contain_text(CONTACT_PHONE)
    expect(contact_row).not_to_contain_text("no longer there")
    expect(contacts.get_by_role("link", name=CONTACT_EMAIL)).to_have_attribute(
        "href", f"mailto:{CONTACT_EMAIL}"
    )
    axe("an institution with a contact person")
    jobcenter = Institution.objects.get(name=JOBCENTER)
    assert jobcenter.domain == Domain.WORK and jobcenter.kind == InstitutionKind.JOBCENTER
    assert jobcenter.is_active
    contact = jobcenter.contacts.get()
    assert contact.is_active and contact.can_decide

    # --- a committee with both institutions ------------------------------------------
    _network_tab(page, "Committees and agreements")
    axe("committees and agreements without any")
    page.get_by_role("link", name="Add a committee").click()
    axe("adding a committee")
    page.get_by_label("Name", exact=True).fill("Arbeitskreis Arbeitsmarkt")
    page.get_by_label("Kind").select_option(label="working group")
    page.get_by_label("Purpose").fill("Refugees into work and training")
    page.get_by_label("Meets").fill("every quarter")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The committee has been added")
    expect(page.get_by_role("heading", name="Arbeitskreis Arbeitsmarkt", level=1)).to_be_visible()
    assert Committee.objects.get().is_active
    axe("a committee without members")

    members = page.locator("#members")
    members.get_by_label("Institution").select_option(label=JOBCENTER)
    members.get_by_label("Person").select_option(label=f"{CONTACT} ({JOBCENTER})")
    members.get_by_label("Role").select_option(label="chair")
    members.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The member has been added")
    members.get_by_label("Institution").select_option(label=school.name)
    members.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The member has been added")
    expect(members.get_by_role("row", name=re.compile(JOBCENTER))).to_contain_text(CONTACT)
    expect(members.get_by_role("row", name=re.compile(school.name))).to_be_visible()
    axe("a committee with two members")

    # --- a meeting with goals and two measures ---------------------------------------
    page.get_by_role("link", name="Record a meeting").click()
    axe("recording a meeting")
    expect(page.get_by_label("Date", exact=True)).to_have_value(today.isoformat())
    page.get_by_label("Time").fill("14:00")
    page.get_by_label("Place").fill("Rathaus Bretten, Saal 2")
    present = page.get_by_role("group", name="Present")
    expect(present.get_by_label(f"{JOBCENTER} – {CONTACT}")).to_be_checked()
    present.get_by_label(school.name).uncheck()
    page.get_by_label("Agenda").fill("1. Apprenticeships\n2. Language courses")
    page.get_by_label("Minutes").fill("The jobcenter reports 40 young refugees without training.")
    page.get_by_label("Shared goals").fill(
        "More young refugees into apprenticeships\nShorter waits for language courses"
    )
    first = page.get_by_role("group", name="Measure 1", exact=True)
    first.get_by_label("What").fill("Hold an information evening on apprenticeships")
    first.get_by_label("Responsible institution").select_option(label=JOBCENTER)
    first.get_by_label("Responsible person").select_option(label=f"{CONTACT} ({JOBCENTER})")
    first.get_by_label("Due on").fill(due.isoformat())
    first.get_by_label("For the goal").fill("More young refugees into apprenticeships")
    second = page.get_by_role("group", name="Measure 2", exact=True)
    second.get_by_label("What").fill("Collect the waiting lists of the language schools")
    second.get_by_label("Responsible institution").select_option(label=school.name)
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("status")).to_contain_text("The meeting has been recorded")
    expect(page.get_by_role("heading", name=re.compile("Meeting on"), level=1)).to_be_visible()
    expect(page.get_by_text(f"{JOBCENTER} – {CONTACT}: present")).to_be_visible()
    expect(page.get_by_text(f"{school.name}: absent")).to_be_visible()
    expect(page.locator("#goals")).to_contain_text("Shorter waits for language courses")
    axe("a meeting with two measures")

    meeting = NetworkMeeting.objects.get()
    assert meeting.place == "Rathaus Bretten, Saal 2"
    assert meeting.measures.count() == 2
    measure = meeting.measures.get(institution=jobcenter)
    assert measure.due_on == due and measure.contact.name == CONTACT
    assert measure.goal.text == "More young refugees into apprenticeships"

    # --- progress on one measure -----------------------------------------------------
    entry = page.locator(f"#measure-{measure.pk}")
    expect(entry).to_contain_text(f"{JOBCENTER} ({CONTACT})")
    expect(entry).to_contain_text(f"due on {_english(due)}")
    entry.get_by_text("Record progress").click()
    entry.get_by_label("Status").select_option(label="done")
    entry.get_by_label("Progress note").fill("40 guests, 12 signed up for a placement")
    axe("recording progress on a measure")
    entry.get_by_role("button", name="Save progress").click()
    expect(page.get_by_role("status")).to_contain_text("The progress has been recorded")
    entry = page.locator(f"#measure-{measure.pk}")
    expect(entry.locator(".kern-badge").first).to_have_text("done")
    expect(entry).to_contain_text("40 guests, 12 signed up for a placement")
    axe("a meeting with one measure done")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE and measure.done_on == today

    _network_tab(page, "Measures")
    summary = page.locator("#measure-summary")
    done = summary.locator(".kern-description-list-item").filter(has_text="Done")
    expect(done).to_contain_text("1 (50 % of those not dropped)")
    # Open measures are shown first; the one done is one filter away.
    expect(page.locator("#measure-count")).to_have_text("1 measure")
    axe("the measures tracker")
    page.get_by_role("search", name="Filter measures").get_by_label("Status").select_option(
        label="done"
    )
    expect(page.locator("#measure-count")).to_have_text("1 measure")
    row = page.locator(f"#measure-results #measure-{measure.pk}")
    expect(row).to_contain_text("Hold an information evening on apprenticeships")
    expect(row.locator(".kern-badge").first).to_have_text("done")
    expect(row).to_contain_text("40 guests, 12 signed up for a placement")
    axe("the measures done")

    # --- the interface paper -----------------------------------------------------------
    _network_tab(page, "Interface paper")
    expect(page.get_by_role("heading", name="Interface paper", level=1)).to_be_visible()
    matrix = page.locator("#matrix")
    # The first look at the paper starts from the usual steps.
    expect(matrix.get_by_role("rowheader", name=STEP)).to_be_visible()
    expect(page.locator("#versions")).to_contain_text("No version issued yet")
    axe("the interface paper without responsibilities")
    matrix.get_by_label("Step").select_option(label=STEP)
    matrix.get_by_label("Institution").select_option(label=JOBCENTER)
    matrix.get_by_label("Contact person").select_option(label=f"{CONTACT} ({JOBCENTER})")
    matrix.get_by_label("How to reach them").fill("open consultation Tue 9–12")
    matrix.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The responsibility has been saved")
    row = page.locator("#matrix tbody tr").filter(has_text=JOBCENTER)
    expect(row).to_contain_text(STEP)
    expect(row).to_contain_text(CONTACT_PHONE)
    expect(row).to_contain_text(CONTACT_EMAIL)
    expect(row).to_contain_text("open consultation Tue 9–12")
    axe("the interface paper with a responsibility")

    versions = page.locator("#versions")
    expect(versions.get_by_label("Title")).to_have_value(
        "Interface paper of Integrationsbüro Kraichgau"
    )
    versions.get_by_label("What changed").fill("new contact at the jobcenter")
    versions.get_by_role("button", name="Issue a new version").click()
    expect(page.get_by_role("status")).to_contain_text(
        "The new version of the interface paper has been issued"
    )
    expect(page.locator("#versions")).to_contain_text(f"Version 1 of {_english(today)}")
    axe("the interface paper with an issued version")
    paper = InterfacePaper.objects.get()
    assert paper.number == 1 and paper.issued_by == manager

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF of version 1").click()
    assert download.value.suggested_filename.endswith(".pdf")
    pdf = tmp_path / "interface-paper.pdf"
    download.value.save_as(pdf)
    text = _pdf_text(pdf.read_bytes())
    for expected in (STEP, JOBCENTER, CONTACT, CONTACT_PHONE, "open consultation Tue 9–12"):
        assert expected in text, expected
    assert _unbroken(CONTACT_EMAIL) in _unbroken(text)
    assert "Version 1" in text and "new contact at the jobcenter" in text

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX of version 1").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    xlsx = tmp_path / "interface-paper.xlsx"
    download.value.save_as(xlsx)
    sheet = load_workbook(xlsx).active
    rows = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Interface paper of Integrationsbüro Kraichgau"]
    (responsible,) = [row for row in rows if JOBCENTER in row]
    assert responsible[0] == STEP
    for expected in (CONTACT, "team lead, migration", CONTACT_PHONE, CONTACT_EMAIL):
        assert expected in responsible, (expected, responsible)
    assert "open consultation Tue 9–12" in responsible
    # The steps nobody is responsible for stay in the paper, as gaps.
    assert any(row and row[0] == "Residence law" for row in rows)


def _network(organisation, manager) -> None:
    """A small network, written straight into the database: two institutions
    with a contact each, a committee with a meeting and its measures, an
    agreement between the two, a responsibility, an offer and a counted need
    in an area without any offer."""
    today = timezone.localdate()
    jobcenter = Institution.objects.create(
        organisation=organisation,
        name=JOBCENTER,
        domain=Domain.WORK,
        kind=InstitutionKind.JOBCENTER,
        street="Bahnhofstraße 12",
        postcode="75015",
        town="Bretten",
        phone="07252 9513-0",
        cooperates=True,
        core_group="member",
        contributions="Rooms for the regional workshop",
    )
    school = Institution.objects.create(
        organisation=organisation,
        name="Volkshochschule Bretten",
        domain=Domain.EDUCATION,
        kind=InstitutionKind.ADULT_EDUCATION_CENTRE,
        town="Bretten",
        extended_forums=True,
    )
    contact = ContactPerson.objects.create(
        organisation=organisation,
        institution=jobcenter,
        name=CONTACT,
        function="team lead, migration",
        phone=CONTACT_PHONE,
        email=CONTACT_EMAIL,
        can_decide=True,
    )
    teacher = ContactPerson.objects.create(
        organisation=organisation, institution=school, name="Jonas Becker", phone="07252 1234"
    )
    committee = Committee.objects.create(
        organisation=organisation,
        name="Arbeitskreis Arbeitsmarkt",
        kind=CommitteeKind.WORKING_GROUP,
        rhythm="every quarter",
    )
    for institution, person in ((jobcenter, contact), (school, teacher)):
        CommitteeMember.objects.create(
            organisation=organisation, committee=committee, institution=institution, contact=person
        )
    meeting = NetworkMeeting.objects.create(
        organisation=organisation,
        committee=committee,
        held_on=today - datetime.timedelta(days=7),
        place="Rathaus Bretten",
        agenda="Apprenticeships",
    )
    Attendance.objects.create(
        organisation=organisation, meeting=meeting, institution=jobcenter, contact=contact
    )
    Attendance.objects.create(
        organisation=organisation, meeting=meeting, institution=school, present=False
    )
    goal = SharedGoal.objects.create(
        organisation=organisation, meeting=meeting, text="More young refugees into apprenticeships"
    )
    AgreedMeasure.objects.create(
        organisation=organisation,
        meeting=meeting,
        goal=goal,
        title="Hold an information evening",
        institution=jobcenter,
        contact=contact,
        due_on=today - datetime.timedelta(days=1),
    )
    AgreedMeasure.objects.create(
        organisation=organisation,
        meeting=meeting,
        title="Collect the waiting lists",
        institution=school,
        status=MeasureStatus.DONE,
        done_on=today,
    )
    agreement = CooperationAgreement.objects.create(
        organisation=organisation,
        subject="Language courses for jobcenter clients",
        signed_on=today - datetime.timedelta(days=100),
        valid_until=today + datetime.timedelta(days=300),
    )
    agreement.parties.set([jobcenter, school])
    step = IntegrationStep.objects.create(
        organisation=organisation, name=STEP, description="placement, employer service", position=10
    )
    Responsibility.objects.create(
        organisation=organisation,
        step=step,
        institution=jobcenter,
        contact=contact,
        how_to_reach="open consultation Tue 9–12",
    )
    Offer.objects.create(
        organisation=organisation,
        title="Berufssprachkurs B2",
        area=SupportArea.LANGUAGE,
        language_level="B2",
        provider=school,
        schedule="Mon–Thu 9:00–12:15",
        starts_on=today,
        capacity=16,
        languages=["deu", "ara"],
    )
    NeedsEntry.objects.create(
        organisation=organisation,
        area=SupportArea.LANGUAGE,
        target_group="young adults",
        count=20,
        recorded_on=today,
        recorded_by=manager,
    )
    NeedsEntry.objects.create(
        organisation=organisation,
        area=SupportArea.CHILDCARE,
        target_group="women with children",
        count=9,
        source="survey at the info event",
        recorded_on=today,
        recorded_by=manager,
    )


def test_every_network_page_is_accessible(page, axe, sign_in_as):
    organisation = OrganisationFactory(name="Integrationsbüro Kraichgau")
    SiteFactory(organisation=organisation, name="Bretten")
    manager = _coordinator(organisation)
    _network(organisation, manager)
    sign_in_as(manager)

    page.goto("/network/")
    expect(page.locator("#institution-count")).to_have_text("2 institutions")
    axe("the institutions")
    page.get_by_role("link", name=JOBCENTER).click()
    expect(page.locator("#actor")).to_contain_text("Rooms for the regional workshop")
    expect(page.locator("#measures-heading")).to_be_visible()
    expect(page.get_by_text(f"{STEP} – {CONTACT} (open consultation Tue 9–12)")).to_be_visible()
    axe("an institution")

    _network_tab(page, "Actor table")
    expect(page.locator("#actor-count")).to_have_text("2 actors")
    expect(page.locator("#actor-results")).to_contain_text(f"{CONTACT}, team lead, migration")
    axe("the actor table")

    _network_tab(page, "Committees and agreements")
    expect(page.locator("#agreements")).to_contain_text("Language courses for jobcenter clients")
    axe("committees and agreements")
    page.get_by_role("link", name="Arbeitskreis Arbeitsmarkt").click()
    expect(page.locator("#members tbody tr")).to_have_count(2)
    axe("a committee")
    page.locator("#meetings").get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile("Meeting on"), level=1)).to_be_visible()
    expect(page.locator("#measures")).to_contain_text("overdue")
    axe("a meeting")

    _network_tab(page, "Measures")
    expect(page.locator("#measure-count")).to_have_text("1 measure")
    expect(page.locator("#measure-results")).to_contain_text("overdue")
    axe("the measures tracker")

    _network_tab(page, "Interface paper")
    expect(page.locator("#matrix")).to_contain_text(CONTACT_EMAIL)
    axe("the interface paper")

    _network_tab(page, "Offers")
    expect(page.locator("#offer-count")).to_have_text("1 offer")
    axe("the offers")
    page.get_by_role("link", name="Berufssprachkurs B2").click()
    expect(page.get_by_role("heading", name="Berufssprachkurs B2", level=1)).to_be_visible()
    axe("an offer")
    page.goto("/network/offers/new/")
    expect(page.get_by_role("heading", name="Add an offer", level=1)).to_be_visible()
    axe("adding an offer")

    _network_tab(page, "Needs and gaps")
    # Childcare: nine people counted, no offer at all.
    expect(page.locator("#uncovered")).to_contain_text(
        "childcare: 9 people in need, no current offer"
    )
    expect(page.locator("#uncovered")).not_to_contain_text("language:")
    chart = page.locator("#gaps").get_by_role("img")
    expect(chart).to_be_visible()
    gaps = page.locator("#gaps tbody")
    expect(gaps.get_by_role("row", name=re.compile("^childcare"))).to_contain_text(
        "women with children: 9"
    )
    expect(gaps.get_by_role("row", name=re.compile("^language"))).to_contain_text("16")
    axe("needs and gaps with a chart")

    _network_tab(page, "Network map")
    expect(page.locator("figure svg")).to_be_visible()
    links = page.get_by_role("table", name="The connections as a list")
    expect(links).to_contain_text(JOBCENTER)
    expect(links).to_contain_text("Volkshochschule Bretten")
    axe("the network map")

    # A new offer, through the form, is a current one: listed and counted.
    page.goto("/network/offers/new/")
    page.get_by_label("Title").fill("Migrationsberatung für Erwachsene")
    page.get_by_label("Area").select_option(label="counselling")
    page.get_by_label("Provider").select_option(label="Volkshochschule Bretten")
    page.get_by_label("Places").fill("30")
    page.get_by_label("Languages").select_option(label="Arabic")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The offer has been added")
    expect(page.locator(".kern-subline")).to_have_text("counselling · Volkshochschule Bretten")
    axe("a new offer")
    _network_tab(page, "Offers")
    expect(page.locator("#offer-count")).to_have_text("2 offers")
    _network_tab(page, "Needs and gaps")
    expect(
        page.locator("#gaps tbody").get_by_role("row", name=re.compile("^counselling"))
    ).to_contain_text("30")


def test_a_partner_reads_the_network_but_no_people(page, axe, sign_in_as):
    # An organisation with a tandem, a person of its pool, and a network.
    coordinator = _accepted_pair()
    organisation = coordinator.membership.organisation
    tandem = matching.form_tandem(
        actor=coordinator, decision=matching.pairs_waiting(coordinator).get()
    )
    person = PersonFactory(organisation=organisation, site=tandem.mentee.person.site)
    _network(organisation, coordinator)
    internal = Committee.objects.create(
        organisation=organisation,
        name="Steuerungsgruppe intern",
        kind=CommitteeKind.CORE_GROUP,
        shared_with_partners=False,
    )
    partner = MembershipFactory(
        organisation=organisation,
        role=Role.PARTNER,
        user__full_name="Miriam Hoffmann",
        user__language="en",
    ).user

    sign_in_as(partner)
    navigation = page.get_by_role("navigation", name="Main navigation")
    expect(navigation.get_by_role("link", name="Network")).to_be_visible()
    expect(navigation.get_by_role("link", name="Tandems")).to_have_count(0)
    navigation.get_by_role("link", name="Network").click()
    expect(page.locator("#institution-count")).to_have_text("2 institutions")
    expect(page.get_by_role("link", name="Add an institution")).to_have_count(0)
    tabs = page.get_by_role("navigation", name="Network", exact=True)
    expect(tabs.get_by_role("link", name="Interface paper")).to_be_visible()
    expect(page.get_by_role("link", name="Actor table")).to_have_count(0)
    axe("the institutions for a partner")

    page.get_by_role("link", name=JOBCENTER).click()
    expect(page.locator("#contacts")).to_contain_text(CONTACT_PHONE)
    # The network's own planning stays with the staff.
    expect(page.locator("#actor")).to_have_count(0)
    expect(page.get_by_text("Rooms for the regional workshop")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    axe("an institution for a partner")

    _network_tab(page, "Interface paper")
    row = page.locator("#matrix tbody tr").filter(has_text=JOBCENTER)
    expect(row).to_contain_text(CONTACT_EMAIL)
    expect(page.get_by_role("button", name="Issue a new version")).to_have_count(0)
    expect(page.get_by_role("link", name="Add a step")).to_have_count(0)
    axe("the interface paper for a partner")

    _network_tab(page, "Committees and agreements")
    expect(page.get_by_role("link", name="Arbeitskreis Arbeitsmarkt")).to_be_visible()
    expect(page.get_by_text(internal.name)).to_have_count(0)
    axe("committees for a partner")

    # The actor table answers "forbidden"; people and tandems do not exist for a partner.
    response = page.goto("/network/actors/")
    assert response.status == 403
    for url in (f"/people/{person.pk}/", f"/tandems/{tandem.pk}/"):
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
        expect(page.get_by_text(person.family_name)).to_have_count(0)
        expect(page.get_by_text("Amira")).to_have_count(0)
        axe(f"not found: {url}")
    response = page.goto(f"/network/committees/{internal.pk}/")
    assert response.status == 404
