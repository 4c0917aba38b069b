import datetime
import io
import re
from dataclasses import dataclass

import openpyxl
import pypdf
import pytest
from django.utils import translation

from lotse.network import services
from lotse.network.documents import (
    actor_table_xlsx,
    interface_paper_pdf,
    interface_paper_xlsx,
    minutes_pdf,
)
from lotse.network.models import (
    AgreedMeasure,
    Attendance,
    Committee,
    ContactPerson,
    Institution,
    IntegrationStep,
    InterfacePaper,
    NetworkMeeting,
    Responsibility,
    SharedGoal,
)

from ..tandems.helpers import acting

ISSUED = datetime.date(2026, 12, 2)
ORGANISATION = "Integrationsstelle Alphastadt"


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces as single spaces."""
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _sheet(xlsx: bytes):
    return openpyxl.load_workbook(io.BytesIO(xlsx)).active


def _rows(sheet, first: int) -> list[list[object]]:
    return [
        ["" if value is None else value for value in row]
        for row in sheet.iter_rows(min_row=first, values_only=True)
    ]


@dataclass
class Network:
    jobcenter: Institution
    authority: Institution
    vhs: Institution
    schulz: ContactPerson
    yilmaz: ContactPerson
    berg: ContactPerson
    course: IntegrationStep
    placement: IntegrationStep


@pytest.fixture
def network(world) -> Network:
    """Three institutions of Alphastadt, their contact persons and two steps
    of integration, written directly like the `world`. The world's own steps
    are left out: the papers of these tests have just the two below."""
    org = world.org_a
    IntegrationStep.objects.filter(organisation=org).delete()
    jobcenter = Institution.objects.create(
        organisation=org,
        name="Jobcenter Kreis Alphastadt",
        domain="work",
        kind="jobcenter",
        street="Hauptstraße 1",
        postcode="12345",
        town="Alphastadt",
        phone="0561 100-0",
        email="info@jobcenter.example",
        cooperates=True,
        core_group="member",
        extended_forums=True,
        contributions="Arbeitgeberservice, Förderung nach § 16 SGB II",
    )
    authority = Institution.objects.create(
        organisation=org,
        name="Ausländerbehörde Alphastadt",
        domain="migration",
        kind="foreigners_authority",
        street="Rathausplatz 2",
        postcode="12345",
        town="Alphastadt",
        phone="0561 200-0",
        core_group="planned",
    )
    vhs = Institution.objects.create(
        organisation=org,
        name="Volkshochschule Alphastadt",
        domain="education",
        kind="adult_education_centre",
        town="Alphastadt",
        email="kurse@vhs.example",
        extended_forums=True,
    )

    def contact(institution, name, **fields):
        return ContactPerson.objects.create(
            organisation=org, institution=institution, name=name, **fields
        )

    schulz = contact(
        jobcenter,
        "Petra Schulz",
        function="Teamleitung Markt und Integration",
        phone="0561 100-45",
        email="p.schulz@jobcenter.example",
        can_decide=True,
    )
    contact(jobcenter, "Rainer Ruhestand", function="former team lead", is_active=False)
    yilmaz = contact(
        authority, "Murat Yilmaz", function="Sachbearbeitung Aufenthalt", phone="0561 200-17"
    )
    berg = contact(vhs, "Hanna Berg", function="Fachbereich Deutsch", email="h.berg@vhs.example")
    course = IntegrationStep.objects.create(
        organisation=org,
        name="Integration course",
        description="entitlement, obligation, course places",
        position=10,
    )
    placement = IntegrationStep.objects.create(
        organisation=org,
        name="Job placement",
        description="placement, employer service",
        position=20,
    )
    for step, institution, person, how in (
        (course, vhs, berg, "open consultation Tue 9–12"),
        (course, authority, yilmaz, "by appointment only"),
        (placement, jobcenter, schulz, "reception, ground floor"),
    ):
        Responsibility.objects.create(
            organisation=org, step=step, institution=institution, contact=person, how_to_reach=how
        )
    return Network(jobcenter, authority, vhs, schulz, yilmaz, berg, course, placement)


def _issue(world, note: str = "Jobcenter contact changed") -> InterfacePaper:
    return services.issue_interface_paper(
        actor=acting(world.alice),
        organisation=world.org_a,
        title="Interface paper Alphastadt",
        note=note,
        today=ISSUED,
    )


# --- the interface paper as PDF ------------------------------------------------------------


def test_the_interface_paper_pdf_lists_each_step_with_its_contacts(world, network):
    paper = _issue(world)

    text = _text(interface_paper_pdf(paper, ORGANISATION))

    assert "Interface paper Alphastadt" in text
    assert ORGANISATION in text
    assert f"Version {paper.number}, issued on 12/02/2026" in text
    assert "What changed: Jobcenter contact changed" in text
    for expected in (
        "Integration course",
        "entitlement, obligation, course places",
        "Job placement",
        "Volkshochschule Alphastadt",
        "Hanna Berg",
        "Fachbereich Deutsch",
        "h.berg@vhs.example",
        "open consultation Tue 9–12",
        "Ausländerbehörde Alphastadt",
        "Murat Yilmaz",
        "0561 200-17",
        "Rathausplatz 2, 12345 Alphastadt",
        "Jobcenter Kreis Alphastadt",
        "Petra Schulz",
        "0561 100-45",
        "p.schulz@jobcenter.example",
        "reception, ground floor",
    ):
        assert expected in text, expected
    # Each institution under its own step: the course's two before the placement.
    assert text.index("Integration course") < text.index("Ausländerbehörde Alphastadt")
    assert text.index("Volkshochschule Alphastadt") < text.index("Job placement")
    assert text.index("Job placement") < text.index("Jobcenter Kreis Alphastadt")
    # The contact without an e-mail address is reached through the institution's.
    assert "kurse@vhs.example" not in text
    assert "Rainer Ruhestand" not in text


def test_every_page_of_the_interface_paper_says_its_version_and_date(world, network):
    paper = InterfacePaper.objects.create(
        organisation=world.org_a,
        number=17,
        issued_on=ISSUED,
        issued_by=world.alice,
        title="Interface paper Alphastadt",
        # Issued before the matrix kept the address: the key is missing.
        matrix=[
            {
                "step": f"Step number {n}",
                "description": "",
                "rows": [
                    {
                        "institution": f"Institution {n}-{m}",
                        "contact": "",
                        "function": "",
                        "phone": "",
                        "email": "",
                        "how_to_reach": "",
                    }
                    for m in range(4)
                ],
            }
            for n in range(12)
        ],
    )

    pages = _pages(interface_paper_pdf(paper, ORGANISATION))

    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Version 17 · 12/02/2026 · page {number} of {len(pages)}" in page
        assert "Interface paper Alphastadt" in page
    assert "Institution 11-3" in pages[-1]


def test_a_step_nobody_is_responsible_for_is_shown_as_a_gap(world, network):
    IntegrationStep.objects.create(
        organisation=world.org_a, name="Housing", description="search for a flat", position=30
    )

    text = _text(interface_paper_pdf(_issue(world), ORGANISATION))

    assert "Housing search for a flat No institution is responsible for this step." in text


def test_the_interface_paper_pdf_gives_german_dates_under_german(world, network):
    paper = _issue(world)
    with translation.override("de"):
        text = _text(interface_paper_pdf(paper, ORGANISATION))

    assert "02.12.2026" in text
    assert "12/02/2026" not in text


def test_markup_in_the_network_s_texts_is_printed_as_written(world, network):
    Institution.objects.filter(pk=network.vhs.pk).update(name="VHS #emph[x] $y$ *z* _k_")
    Responsibility.objects.filter(institution=network.vhs).update(
        how_to_reach='#read("/etc/passwd") #set page(width: 1cm) <label> @ref'
    )
    IntegrationStep.objects.filter(pk=network.course.pk).update(name="= Course \\ #1")

    text = _text(interface_paper_pdf(_issue(world, note="#pagebreak() [note]"), ORGANISATION))

    assert "VHS #emph[x] $y$ *z* _k_" in text
    assert '#read("/etc/passwd") #set page(width: 1cm) <label> @ref' in text
    assert "= Course \\ #1" in text
    assert "What changed: #pagebreak() [note]" in text
    assert "root:" not in text


# --- the interface paper as XLSX -------------------------------------------------------------


def test_the_interface_paper_xlsx_has_one_row_for_each_step_and_institution(world, network):
    paper = _issue(world)

    sheet = _sheet(interface_paper_xlsx(paper))

    assert sheet["A1"].value == "Interface paper Alphastadt"
    assert sheet["A2"].value == f"Version {paper.number}, issued on 12/02/2026"
    assert sheet["A3"].value == "What changed: Jobcenter contact changed"
    assert _rows(sheet, 5) == [
        [
            "Step",
            "Description",
            "Institution",
            "Contact person",
            "Function",
            "Phone",
            "E-mail",
            "How to reach them",
            "Address",
        ],
        [
            "Integration course",
            "entitlement, obligation, course places",
            "Ausländerbehörde Alphastadt",
            "Murat Yilmaz",
            "Sachbearbeitung Aufenthalt",
            "0561 200-17",
            "",
            "by appointment only",
            "Rathausplatz 2, 12345 Alphastadt",
        ],
        [
            "Integration course",
            "entitlement, obligation, course places",
            "Volkshochschule Alphastadt",
            "Hanna Berg",
            "Fachbereich Deutsch",
            "",
            "h.berg@vhs.example",
            "open consultation Tue 9–12",
            "Alphastadt",
        ],
        [
            "Job placement",
            "placement, employer service",
            "Jobcenter Kreis Alphastadt",
            "Petra Schulz",
            "Teamleitung Markt und Integration",
            "0561 100-45",
            "p.schulz@jobcenter.example",
            "reception, ground floor",
            "Hauptstraße 1, 12345 Alphastadt",
        ],
    ]
    assert sheet.freeze_panes == "A6"
    assert sheet.column_dimensions["C"].width >= 25


def test_the_interface_paper_is_frozen_when_responsibilities_change_later(world, network):
    paper = _issue(world)
    Responsibility.objects.filter(institution=network.jobcenter).delete()
    ContactPerson.objects.filter(pk=network.berg.pk).update(name="Someone Else")

    sheet = _sheet(interface_paper_xlsx(InterfacePaper.objects.get(pk=paper.pk)))

    names = [row[3] for row in _rows(sheet, 6)]
    assert names == ["Murat Yilmaz", "Hanna Berg", "Petra Schulz"]


def test_a_formula_typed_into_a_field_stays_text_in_the_spreadsheet(world, network):
    formula = '=HYPERLINK("http://evil.example","click")'
    Responsibility.objects.filter(institution=network.jobcenter).update(how_to_reach=formula)

    sheet = _sheet(interface_paper_xlsx(_issue(world)))

    cell = sheet["H8"]
    assert cell.value == formula
    assert cell.data_type == "s"


# --- the actor table -------------------------------------------------------------------------


def test_the_actor_table_ticks_cooperation_core_group_and_forums(world, network):
    institutions = Institution.objects.filter(
        pk__in=[network.jobcenter.pk, network.authority.pk, network.vhs.pk]
    ).prefetch_related("contacts")

    sheet = _sheet(actor_table_xlsx(institutions))

    rows = _rows(sheet, 1)
    assert rows[0] == [
        "Domain",
        "Institution",
        "Type",
        "Address",
        "Phone",
        "E-mail",
        "Contact persons",
        "Cooperation exists",
        "Core group",
        "Extended forums",
        "Possible contributions",
    ]
    # The working aid's order of the domains, then the names.
    assert [row[:3] for row in rows[1:]] == [
        ["Migration and integration", "Ausländerbehörde Alphastadt", "foreigners' authority"],
        ["Work and economy", "Jobcenter Kreis Alphastadt", "jobcenter"],
        ["Education", "Volkshochschule Alphastadt", "adult education centre"],
    ]
    authority, jobcenter, vhs = rows[1:]
    assert jobcenter[3:] == [
        "Hauptstraße 1, 12345 Alphastadt",
        "0561 100-0",
        "info@jobcenter.example",
        "Petra Schulz, Teamleitung Markt und Integration, 0561 100-45, "
        "p.schulz@jobcenter.example (can decide)",
        "x",
        "member",
        "x",
        "Arbeitgeberservice, Förderung nach § 16 SGB II",
    ]
    assert authority[6:10] == [
        "Murat Yilmaz, Sachbearbeitung Aufenthalt, 0561 200-17",
        "",
        "planned",
        "",
    ]
    assert vhs[6:10] == ["Hanna Berg, Fachbereich Deutsch, h.berg@vhs.example", "", "", "x"]
    assert sheet.freeze_panes == "C2"


def test_the_actor_table_lists_every_active_contact_on_a_line_of_its_own(world, network):
    ContactPerson.objects.create(
        organisation=world.org_a,
        institution=network.jobcenter,
        name="Anna Arbeitgeberservice",
        function="Arbeitgeberservice",
    )
    institutions = list(
        Institution.objects.filter(pk=network.jobcenter.pk).prefetch_related("contacts")
    )

    sheet = _sheet(actor_table_xlsx(institutions))

    assert sheet["G2"].value.split("\n") == [
        "Anna Arbeitgeberservice, Arbeitgeberservice",
        "Petra Schulz, Teamleitung Markt und Integration, 0561 100-45, "
        "p.schulz@jobcenter.example (can decide)",
    ]
    assert "Rainer Ruhestand" not in sheet["G2"].value


def test_the_actor_table_reads_the_prefetched_contacts(world, network, django_assert_num_queries):
    institutions = list(
        Institution.objects.filter(organisation=world.org_a).prefetch_related("contacts")
    )

    with django_assert_num_queries(0):
        actor_table_xlsx(institutions)


# --- minutes of a meeting --------------------------------------------------------------------


@pytest.fixture
def meeting(world, network) -> NetworkMeeting:
    org = world.org_a
    committee = Committee.objects.create(
        organisation=org, name="Steering group labour market", kind="committee"
    )
    meeting = NetworkMeeting.objects.create(
        organisation=org,
        committee=committee,
        held_on=datetime.date(2026, 11, 18),
        starts_at=datetime.time(14, 30),
        place="Town hall, room 204",
        agenda="1. Welcome\n2. Course places in 2027",
        minutes="The VHS reports waiting lists.\r\n\r\nThe jobcenter offers a room.",
    )
    for institution, person, present in (
        (network.jobcenter, network.schulz, True),
        (network.vhs, network.berg, True),
        (network.authority, network.yilmaz, False),
    ):
        Attendance.objects.create(
            organisation=org,
            meeting=meeting,
            institution=institution,
            contact=person,
            present=present,
        )
    goal = SharedGoal.objects.create(
        organisation=org, meeting=meeting, text="Nobody waits longer than 6 weeks for a course"
    )
    SharedGoal.objects.create(organisation=org, meeting=meeting, text="One joint info evening")
    AgreedMeasure.objects.create(
        organisation=org,
        meeting=meeting,
        goal=goal,
        title="Open a second evening course",
        institution=network.vhs,
        contact=network.berg,
        due_on=datetime.date(2027, 1, 31),
        status="in_progress",
    )
    AgreedMeasure.objects.create(
        organisation=org, meeting=meeting, title="Collect the waiting lists"
    )
    return meeting


def test_the_minutes_list_who_came_and_who_did_not(meeting):
    text = _text(minutes_pdf(meeting))

    assert "Minutes: Steering group labour market" in text
    assert "committee" in text
    assert "11/18/2026" in text
    assert "2:30 p.m." in text
    assert "Town hall, room 204" in text
    present = text[text.index("Present") : text.index("Absent or excused")]
    absent = text[text.index("Absent or excused") : text.index("Agenda")]
    assert "Jobcenter Kreis Alphastadt Petra Schulz" in present
    assert "Volkshochschule Alphastadt Hanna Berg" in present
    assert "Murat Yilmaz" not in present
    assert "Ausländerbehörde Alphastadt Murat Yilmaz" in absent
    assert "Petra Schulz" not in absent


def test_the_minutes_give_agenda_text_goals_and_agreed_measures(meeting):
    text = _text(minutes_pdf(meeting))

    assert "1. Welcome 2. Course places in 2027" in text
    assert "The VHS reports waiting lists. The jobcenter offers a room." in text
    goals = text[text.index("Shared goals") : text.index("Agreed measures")]
    assert "Nobody waits longer than 6 weeks for a course" in goals
    assert "One joint info evening" in goals
    measures = text[text.index("Agreed measures") :]
    assert re.search(
        r"Open a second evening course Goal: Nobody waits longer than 6 weeks for a course "
        r"Volkshochschule Alphastadt Hanna Berg 01/31/2027 in progress",
        measures,
    )
    assert "Collect the waiting lists" in measures
    assert "open" in measures.split("Collect the waiting lists")[1]
    assert "Steering group labour market · 11/18/2026 page 1 of 1" in text


def test_minutes_without_participants_goals_or_measures_say_so(world, network):
    committee = Committee.objects.create(
        organisation=world.org_a, name="Working group housing", kind="working_group"
    )
    meeting = NetworkMeeting.objects.create(
        organisation=world.org_a, committee=committee, held_on=datetime.date(2026, 11, 18)
    )

    text = _text(minutes_pdf(meeting))

    assert text.count("None recorded.") == 6
    assert "Time" not in text
    assert "Place" not in text


def test_markup_in_the_minutes_is_printed_as_written(meeting):
    NetworkMeeting.objects.filter(pk=meeting.pk).update(
        place="#place $x$", minutes='#read("/etc/passwd")\n*bold* _it_ <l> @r'
    )
    SharedGoal.objects.filter(meeting=meeting).update(text="= goal #1")
    AgreedMeasure.objects.filter(meeting=meeting).update(title="#table[x] // not a comment")

    text = _text(minutes_pdf(NetworkMeeting.objects.get(pk=meeting.pk)))

    assert "#place $x$" in text
    assert '#read("/etc/passwd") *bold* _it_ <l> @r' in text
    assert "= goal #1" in text
    assert "#table[x] // not a comment" in text
    assert "root:" not in text


def test_the_minutes_are_in_the_active_language(meeting):
    with translation.override("de"):
        text = _text(minutes_pdf(meeting))

    assert "18.11.2026" in text
    assert "14:30" in text
    assert "11/18/2026" not in text
