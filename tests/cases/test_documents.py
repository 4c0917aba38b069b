import datetime
import io
from dataclasses import dataclass

import pypdf
import pytest
from django.utils import translation

from lotse.cases import services
from lotse.cases.documents import help_plan_filename, help_plan_pdf
from lotse.cases.models import (
    Case,
    CaseContact,
    HelpPlan,
    Intake,
    MeasureStatus,
    PlanGoal,
    PlanMeasure,
    Responsible,
)
from lotse.people.models import Person
from lotse.programmes.models import Programme

from ..tandems.helpers import acting

OPENED = datetime.date(2026, 11, 2)
AGREED = datetime.date(2026, 12, 2)
ORGANISATION = "Integrationsstelle Alphastadt"


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces as single spaces."""
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@dataclass
class Planned:
    case: Case
    plan: HelpPlan
    language: PlanGoal
    work: PlanGoal


@pytest.fixture
def planned(world) -> Planned:
    """A case of person A1 with alice as caseworker, written directly like the
    `world`, and a help plan of two goals with their measures added through
    the services."""
    programme = Programme.objects.create(
        organisation=world.org_a, name="Fallmanagement Alphastadt", kind="case_management"
    )
    case = Case.objects.create(
        organisation=world.org_a,
        client=world.person_a1,
        programme=programme,
        site=world.site_a1,
        caseworker=world.alice,
        opened_on=OPENED,
    )
    Intake.objects.create(organisation=world.org_a, case=case)
    plan = HelpPlan.objects.create(organisation=world.org_a, case=case, number=1)
    alice = acting(world.alice)
    language = services.add_goal(
        actor=alice, plan=plan, area="language", text="German at level B2 by the summer"
    )
    work = services.add_goal(actor=alice, plan=plan, area="work", text="A job as a care assistant")
    services.add_measure(
        actor=alice,
        goal=language,
        what="Register for the course",
        responsible=Responsible.PARTNER,
        offer=world.offer_a,
        due_on=datetime.date(2026, 12, 15),
    )
    services.add_measure(
        actor=alice,
        goal=language,
        what="Apply for the fee waiver",
        responsible=Responsible.CLIENT,
        due_on=datetime.date(2026, 12, 10),
        note="form from the office",
    )
    services.add_measure(
        actor=alice, goal=work, what="Write the CV together", responsible=Responsible.CASEWORKER
    )
    services.add_measure(
        actor=alice,
        goal=work,
        what="Placement interview",
        responsible=Responsible.PARTNER,
        institution=world.institution_a,
        due_on=datetime.date(2027, 1, 20),
    )
    PlanMeasure.objects.filter(what="Placement interview").update(status=MeasureStatus.IN_PROGRESS)
    return Planned(case, plan, language, work)


def test_the_help_plan_lists_each_goal_with_its_measures(world, planned):
    number = planned.case.number

    text = _text(help_plan_pdf(planned.plan, ORGANISATION))

    for expected in (
        ORGANISATION,
        f"Help plan {number}",
        "Version 1",
        "Client Amira Haddad",
        "Caseworker Alice Koordinatorin",
        "Agreed on not agreed yet",
        "language German at level B2 by the summer",
        "work and internships A job as a care assistant",
        "What Who is responsible Due on Status Note",
        "Register for the course Berufssprachkurs B2 (Jobcenter Alphastadt) 12/15/2026 open",
        "Apply for the fee waiver the client 12/10/2026 open form from the office",
        "Write the CV together the caseworker open",
        "Placement interview Jobcenter Alphastadt 01/20/2027 in progress",
        "We have agreed on this help plan together.",
        "Date, signature of the client Amira Haddad",
        "Date, signature of the caseworker Alice Koordinatorin",
    ):
        assert expected in text, expected
    assert "superseded" not in text
    # The goals in their order, each measure under its own goal, dated ones by date.
    assert text.index("German at level B2") < text.index("A job as a care assistant")
    assert text.index("Apply for the fee waiver") < text.index("Register for the course")
    assert text.index("Register for the course") < text.index("A job as a care assistant")
    # The undated measure after the dated one, on every database.
    assert text.index("Placement interview") < text.index("Write the CV together")


def test_every_page_says_which_version_of_the_plan_it_is(world, planned):
    alice = acting(world.alice)
    for n in range(14):
        goal = services.add_goal(actor=alice, plan=planned.plan, area="housing", text=f"Goal {n}")
        for m in range(3):
            services.add_measure(
                actor=alice, goal=goal, what=f"Measure {n}-{m}", responsible="client"
            )

    pages = _pages(help_plan_pdf(planned.plan, ORGANISATION))

    assert len(pages) > 1
    number = planned.case.number
    for page_number, page in enumerate(pages, start=1):
        assert f"Help plan {number} · Version 1 page {page_number} of {len(pages)}" in page
    assert "Measure 13-2" in pages[-1]
    assert "Date, signature of the client" in pages[-1]


def test_a_superseded_version_says_so_and_the_current_one_was_agreed(world, planned):
    alice = acting(world.alice)
    services.agree_plan(actor=alice, plan=planned.plan, agreed_on=datetime.date(2026, 11, 20))
    second = services.agree_plan(
        actor=alice, plan=HelpPlan.objects.get(pk=planned.plan.pk), agreed_on=AGREED
    )
    first = HelpPlan.objects.get(pk=planned.plan.pk)

    old = _text(help_plan_pdf(first, ORGANISATION))
    new = _text(help_plan_pdf(second, ORGANISATION))

    assert "Version 1 · superseded on 12/02/2026" in old
    assert "Agreed on 11/20/2026" in old
    assert "Version 2" in new
    assert "Agreed on 12/02/2026" in new
    assert "superseded" not in new
    # The copy of the plan carries the goals and measures along.
    assert "Placement interview Jobcenter Alphastadt" in new


def test_no_intake_or_counselling_data_gets_into_the_plan(world, planned):
    Intake.objects.filter(case=planned.case).update(
        family_situation="FAMILY-SENTINEL",
        health="HEALTH-SENTINEL",
        residence="RESIDENCE-SENTINEL",
        goals="OWN-GOALS-SENTINEL",
    )
    Person.objects.filter(pk=world.person_a1.pk).update(sensitive_notes="PERSON-SENTINEL")
    CaseContact.objects.create(
        organisation=world.org_a,
        case=planned.case,
        kind="home_visit",
        starts_at=datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC),
        place="PLACE-SENTINEL",
        note="NOTE-SENTINEL",
        next_steps="NEXT-SENTINEL",
        staff=world.alice,
    )
    plan = HelpPlan.objects.get(pk=planned.plan.pk)

    text = _text(help_plan_pdf(plan, ORGANISATION))

    assert "Amira Haddad" in text
    assert "SENTINEL" not in text


def test_markup_in_the_plan_s_texts_is_printed_as_written(world, planned):
    PlanGoal.objects.filter(pk=planned.language.pk).update(text="#emph[x] $y$ *z* _k_")
    PlanMeasure.objects.filter(what="Register for the course").update(
        what='#read("/etc/passwd")', note="#pagebreak() [note] <label> @ref"
    )
    Person.objects.filter(pk=world.person_a1.pk).update(family_name="Haddad #set page(width: 1cm)")
    plan = HelpPlan.objects.get(pk=planned.plan.pk)

    text = _text(help_plan_pdf(plan, "Alpha = Stadt \\ #1"))

    assert "#emph[x] $y$ *z* _k_" in text
    assert '#read("/etc/passwd")' in text
    assert "#pagebreak() [note] <label> @ref" in text
    assert "Amira Haddad #set page(width: 1cm)" in text
    assert "Alpha = Stadt \\ #1" in text
    assert "root:" not in text


def test_a_plan_without_goals_says_so(world, planned):
    empty = HelpPlan.objects.create(organisation=world.org_a, case=planned.case, number=2)
    PlanGoal.objects.create(organisation=world.org_a, plan=empty, area="housing", text="A flat")
    goal_less = HelpPlan.objects.create(organisation=world.org_a, case=planned.case, number=3)

    assert "A flat No measures have been agreed for this goal yet." in _text(
        help_plan_pdf(empty, ORGANISATION)
    )
    assert "No goals have been written down yet." in _text(help_plan_pdf(goal_less, ORGANISATION))


def test_the_help_plan_gives_german_dates_under_german(world, planned):
    with translation.override("de"):
        text = _text(help_plan_pdf(planned.plan, ORGANISATION))

    assert "15.12.2026" in text
    assert "12/15/2026" not in text


def test_the_file_name_names_the_case_not_the_client(world, planned):
    name = help_plan_filename(planned.plan)

    assert name == f"{planned.case.number}-help-plan-1.pdf"
    assert "Haddad" not in name
