import datetime
import io
import re

import pypdf
import time_machine
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.core.dates import add_months
from lotse.matching import services as matching
from lotse.matching.models import DecisionKind
from lotse.people.models import PoolRole
from lotse.programmes import services as programmes
from lotse.programmes.models import EnrolmentRole, StepKind
from lotse.tandems.models import Outcome, Tandem, TandemStatus

from ..factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    enrol_at,
    mentee_profile,
    mentor_profile,
)
from .test_administration import _admin_signed_in


def _accepted_pair():
    """A mentoring programme whose matching session accepted one pair; the
    coordinator reads English."""
    organisation = OrganisationFactory(name="Integrationsbüro Kraichgau")
    site = SiteFactory(organisation=organisation, name="Bretten")
    admin = MembershipFactory(organisation=organisation, role=Role.ADMINISTRATOR).user
    admin.membership = Membership.objects.get(user=admin)
    programme = programmes.create_programme(
        actor=admin, organisation=organisation, name="Job Coaches", kind="mentoring"
    )
    coordinator = MembershipFactory(
        organisation=organisation,
        role=Role.COORDINATOR,
        user__full_name="Aylin Yılmaz",
        user__language="en",
    ).user
    coordinator.membership = Membership.objects.get(user=coordinator)
    mentee = PersonFactory(
        organisation=organisation, site=site, given_name="Amira", family_name="Saleh"
    )
    mentee_profile(mentee, languages=(("ara", "native"), ("deu", "A2")), areas=("5",))
    mentor = PersonFactory(
        organisation=organisation,
        site=site,
        given_name="Jürgen",
        family_name="Weiß",
        role=PoolRole.VOLUNTEER,
    )
    mentor_profile(mentor, languages=(("deu", "native"), ("ara", "B1")), areas=("5",))
    enrol_at(programme, mentee, EnrolmentRole.MENTEE, StepKind.PAIRING)
    enrol_at(programme, mentor, EnrolmentRole.MENTOR, StepKind.PAIRING)
    session = matching.open_session(actor=coordinator, programme=programme)
    run = matching.start_run(actor=coordinator, session=session)
    proposal = run.proposals.get(rank=0)
    matching.decide(actor=coordinator, proposal=proposal, kind=DecisionKind.ACCEPT)
    return coordinator


def _english(day: datetime.date) -> str:
    with translation.override("en"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def test_a_coordinator_forms_a_tandem_and_follows_it_to_its_end(page, axe, sign_in_as, tmp_path):
    coordinator = _accepted_pair()
    today = timezone.localdate()
    sign_in_as(coordinator)
    tasks = page.locator("#my-tasks")
    expect(tasks).to_contain_text("Accepted pairs without a tandem (1)")
    tasks.get_by_role("link", name=re.compile("Amira Saleh – Jürgen Weiß")).click()
    axe("forming a tandem")
    page.get_by_label("Goals").fill("Apply for an apprenticeship in elderly care")
    page.get_by_role("button", name="Form the tandem").click()
    expect(page.get_by_role("status")).to_contain_text("The tandem has been formed")
    expect(page.locator("#tandem-status")).to_have_text("forming")
    axe("a forming tandem")

    with page.expect_download() as download:
        page.get_by_role("link", name="Agreement as PDF (English)").click()
    path = tmp_path / "agreement.pdf"
    download.value.save_as(path)
    assert "Amira" not in download.value.suggested_filename
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)
    text = " ".join(text.split())
    assert "Amira Saleh" in text and "Jürgen Weiß" in text
    assert "Apply for an apprenticeship in elderly care" in text
    assert "once a week" in text

    page.get_by_label("Signed on").fill(today.isoformat())
    page.get_by_role("button", name="Record the signature").click()
    expect(page.get_by_role("status")).to_contain_text("The signature has been recorded")
    expect(page.locator("#tandem-status")).to_have_text("active")
    tandem = Tandem.objects.get()
    planned_end = tandem.planned_end_on
    assert planned_end == add_months(today, 6)
    expect(page.locator("#tandem-planned-end")).to_have_text(_english(planned_end))
    # The PDF printed now carries the dates of the signed tandem.
    with page.expect_download() as download:
        page.get_by_role("link", name="Agreement as PDF (English)").click()
    download.value.save_as(path)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert _english(today) in text and _english(planned_end) in text

    meetings = page.locator("#meetings")
    for days_ago, minutes in ((2, "60"), (1, "45"), (0, "90")):
        if not meetings.get_by_label("Date of the meeting").is_visible():
            meetings.get_by_text("Log a meeting").click()
        meetings.get_by_label("Date of the meeting").fill(
            (today - datetime.timedelta(days=days_ago)).isoformat()
        )
        meetings.get_by_label("Duration in minutes").fill(minutes)
        meetings.get_by_label("phone").check()
        meetings.get_by_label("CV").check()
        meetings.get_by_role("button", name="Log the meeting").click()
        expect(page.get_by_role("status")).to_contain_text("The meeting has been logged")
    expect(page.locator("#meeting-summary")).to_contain_text("3 meetings")
    axe("a tandem with meetings")

    # A meeting of two minutes is refused with a message; nothing is logged.
    meetings.get_by_text("Log a meeting").click()
    meetings.get_by_label("Date of the meeting").fill(today.isoformat())
    meetings.get_by_label("Duration in minutes").fill("2")
    meetings.get_by_role("button", name="Log the meeting").click()
    expect(page.get_by_role("alert")).to_contain_text("Duration in minutes")
    expect(page.locator("#meeting-summary")).to_contain_text("3 meetings")

    support = page.locator("#support")
    support.get_by_text("Log support time").click()
    support.get_by_label("Minutes").fill("30")
    support.get_by_label("Activity").select_option(label="check-in call")
    support.get_by_role("button", name="Log the time").click()
    expect(page.get_by_role("status")).to_contain_text("The support time has been logged")
    expect(page.locator("#support-total")).to_contain_text("0.5 hours")
    expect(page.locator("#overdue-alert")).to_have_count(0)
    tandem_url = page.url.split("#")[0]

    # Fifteen days after the last meeting, twice the weekly rhythm has passed.
    later = timezone.now() + datetime.timedelta(days=15)
    with time_machine.travel(later, tick=True):
        # The sign-in of two weeks ago has expired; the sign-in page speaks
        # the language chosen last.
        page.goto("/login/")
        page.get_by_label("E-mail address").fill(coordinator.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#my-tasks")).to_contain_text("Tandems without a meeting (1)")
        page.goto(tandem_url)
        expect(page.locator("#overdue-alert")).to_contain_text(
            f"No meeting since {_english(today)}"
        )
        expect(page.locator("#tandem-status")).to_contain_text("meeting overdue")
        axe("an overdue tandem")
        page.get_by_role("navigation", name="Main navigation").get_by_role(
            "link", name="Tandems"
        ).click()
        page.get_by_label("only tandems without a recent meeting").check()
        expect(page.locator("#tandem-count")).to_have_text("1 tandem")
        axe("the list of tandems")
        page.get_by_role("link", name="Amira Saleh – Jürgen Weiß").click()

        page.get_by_role("link", name="End the tandem").click()
        # The form's page, loaded, before axe reads it.
        expect(page).to_have_url(re.compile(r"/tandems/\d+/end/$"))
        expect(page.get_by_label("goal reached before the planned end")).to_be_visible()
        axe("ending a tandem")
        page.get_by_label("goal reached before the planned end").check()
        page.get_by_label("employment contract").check()
        page.get_by_role("button", name="End the tandem").click()
        # Employment without the contract's start: the form says so, nothing ends.
        expect(page.locator("#id_contract_start-error")).to_contain_text("start")
        assert Tandem.objects.get().status == TandemStatus.ACTIVE
        page.get_by_label("Contract start").fill(
            (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        )
        page.get_by_label("Subject to social insurance").select_option("yes")
        page.get_by_role("button", name="End the tandem").click()
        expect(page.get_by_role("status")).to_contain_text("The tandem has ended")
        expect(page.locator("#tandem-status")).to_have_text("completed")
        expect(page.locator("#outcome-text")).to_contain_text("employment contract")
        axe("a completed tandem")

        # The final evaluation with the mentee, on the questionnaire set up from its template.
        page.get_by_role(
            "link", name=re.compile(r"Record answers\W+final evaluation, mentee")
        ).click()
        expect(page.locator("#no-questionnaire")).to_be_visible()
        axe("an evaluation without a questionnaire")
        page.get_by_role("button", name="Set up the questionnaire from its template").click()
        expect(page.get_by_role("status")).to_contain_text("The questionnaire has been set up")
        page.get_by_role("button", name="Save the answers").click()
        expect(page.get_by_role("alert")).to_be_visible()  # the required satisfaction
        page.get_by_role("group", name="How satisfied are you with your tandem?").get_by_label(
            "5", exact=True
        ).check()
        page.get_by_role("group", name="Were the goals of the tandem reached?").get_by_label(
            "partly"
        ).check()
        page.get_by_label("What would you like to pass on to future tandems?").fill(
            "Früh anfangen."
        )
        axe("the final evaluation")
        page.get_by_role("button", name="Save the answers").click()
        expect(page.get_by_role("status")).to_contain_text("The answers have been saved.")
        answers = page.locator("#evaluation-final-mentee")
        expect(answers).to_contain_text("5 of 5")
        expect(answers).to_contain_text("Früh anfangen.")
        expect(page.locator("#evaluation-final-mentor")).to_contain_text("not answered yet")
        axe("a tandem with its final evaluation")

    tandem = Tandem.objects.get()
    assert tandem.status == TandemStatus.COMPLETED
    assert tandem.meetings.count() == 3 and tandem.support_times.get().minutes == 30
    assert Outcome.objects.get(tandem=tandem).social_insurance is True
    assert sorted(tandem.follow_ups.values_list("months", flat=True)) == [3, 6]
    # Both enrolments moved on with the tandem past the tandem phase; the
    # mentee's answered final evaluation completed theirs, the mentor's waits.
    tandem.mentee.refresh_from_db()
    tandem.mentor.refresh_from_db()
    assert tandem.mentee.status == "completed"
    assert tandem.mentor.status == "active" and tandem.mentor.step.kind == StepKind.EVALUATION


def test_an_administrator_words_the_agreement_and_a_coordinator_edits_a_tandem(
    page, axe, sign_in_as
):
    """In German: the agreement template refuses an unknown placeholder and
    keeps the text typed; the saved wording is what the PDF prints."""
    organisation, admin = _admin_signed_in(page, axe, sign_in_as)
    admin.membership = Membership.objects.get(user=admin)
    programmes.create_programme(
        actor=admin, organisation=organisation, name="Tandem für Arbeit", kind="mentoring"
    )
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Tandems"
    ).click()
    expect(page.locator("#tandem-count")).to_have_text("0 Tandems")
    axe("no tandems yet")
    page.get_by_role("link", name="Vereinbarung von Tandem für Arbeit").click()
    axe("agreement template")
    title = page.get_by_label("Titel (Deutsch)")
    expect(title).to_have_value("Vereinbarung für das Tandem")
    body = page.get_by_label("Text (Deutsch)")
    body.fill("{mentee} und {mentr} treffen sich {rhythm}.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#id_body_de-error")).to_contain_text("{mentr}")
    expect(body).to_have_value("{mentee} und {mentr} treffen sich {rhythm}.")
    axe("agreement template with an error")
    body.fill("{mentee} und {mentor} treffen sich {rhythm}.")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Die Vereinbarung wurde gespeichert")
    expect(body).to_have_value("{mentee} und {mentor} treffen sich {rhythm}.")

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Matching"
    ).click()
    page.goto("/matching/accepted/")
    expect(page.locator("#pairs-count")).to_have_text("0 Paare")
    axe("no accepted pairs waiting")


def test_a_coordinator_changes_the_goals_and_start_of_a_tandem(page, axe, sign_in_as):
    coordinator = _accepted_pair()
    decision = matching.pairs_waiting(coordinator).get()
    tandem = matching.form_tandem(actor=coordinator, decision=decision)
    sign_in_as(coordinator)
    page.goto(f"/tandems/{tandem.pk}/")
    page.get_by_role("link", name="Edit").click()
    axe("editing a tandem")
    page.get_by_label("Goals").fill("Find an internship in a hospital kitchen")
    start = timezone.localdate() - datetime.timedelta(days=3)
    page.locator("#id_started_on").fill(start.isoformat())
    page.get_by_label("Planned end").fill((start - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save").click()
    # An end before the start is refused; the form keeps what was typed.
    expect(page.get_by_role("alert")).to_contain_text("The planned end lies before the start")
    expect(page.get_by_label("Goals")).to_have_value("Find an internship in a hospital kitchen")
    page.get_by_label("Planned end").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The changes have been saved")
    expect(page.locator("#tandem-planned-end")).to_have_text(_english(add_months(start, 6)))
    tandem.refresh_from_db()
    assert tandem.goals == "Find an internship in a hospital kitchen"
    assert tandem.started_on == start and tandem.status == TandemStatus.FORMING
