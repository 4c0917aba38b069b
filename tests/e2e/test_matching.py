import re

from playwright.sync_api import expect

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.matching.models import Decision, DecisionKind
from lotse.people.models import Gender, Need, PoolRole
from lotse.programmes import services
from lotse.programmes.models import EnrolmentRole, StepKind

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    enrol_at,
    mentee_profile,
    mentor_profile,
)

# (given, family, gender, languages, target area, needs, wishes)
MENTEES = (
    ("Amira", "Saleh", Gender.FEMALE, (("ara", "native"), ("deu", "A2")), "5", "Bewerbungen", {}),
    (
        "Olena",
        "Tkachenko",
        Gender.FEMALE,
        (("ukr", "native"), ("eng", "B2"), ("deu", "A1")),
        "4",
        "Lebenslauf",
        {"mentor_gender": "female", "mentor_gender_required": True},
    ),
    ("Reza", "Karimi", Gender.MALE, (("fas", "native"), ("deu", "B1")), "6", "Jobsuche", {}),
    ("Zahra", "Ahmadi", Gender.FEMALE, (("prs", "native"), ("deu", "B1")), "8", "Deutsch üben", {}),
)
# (given, family, gender, extra language, area, strength)
MENTORS = (
    ("Karim", "Benali", Gender.MALE, ("ara", "native"), "5", "Bewerbungen"),
    ("Gisela", "Schäfer", Gender.FEMALE, ("eng", "C1"), "4", "Lebenslauf"),
    ("Thomas", "Becker", Gender.MALE, ("eng", "B2"), "6", "Jobsuche"),
    ("Sabine", "Krüger", Gender.FEMALE, ("tur", "B1"), "8", "Deutsch üben"),
)


def _office():
    """A mentoring programme with four mentees waiting for a mentor and four
    mentors ready, like a small office's pool; the coordinator reads English."""
    organisation = OrganisationFactory()
    site = SiteFactory(organisation=organisation, name="Kreishaus")
    admin = MembershipFactory(organisation=organisation, role=Role.ADMINISTRATOR).user
    admin.membership = Membership.objects.get(user=admin)
    programme = services.create_programme(
        actor=admin, organisation=organisation, name="Job Coaches", kind="mentoring"
    )
    coordinator = MembershipFactory(
        organisation=organisation,
        role=Role.COORDINATOR,
        user__full_name="Aylin Yılmaz",
        user__language="en",
    ).user
    needs = {need.name: need for need in Need.objects.filter(organisation=organisation)}
    evenings = ("tue-eve", "wed-eve", "thu-eve")
    for given, family, gender, languages, area, need, wishes in MENTEES:
        person = PersonFactory(
            organisation=organisation,
            site=site,
            given_name=given,
            family_name=family,
            gender=gender,
        )
        mentee_profile(
            person,
            languages=languages,
            areas=(area,),
            needs=[needs[need]],
            availability=evenings,
            **wishes,
        )
        enrol_at(programme, person, EnrolmentRole.MENTEE, StepKind.PAIRING)
    for given, family, gender, language, area, strength in MENTORS:
        person = PersonFactory(
            organisation=organisation,
            site=site,
            given_name=given,
            family_name=family,
            gender=gender,
            role=PoolRole.VOLUNTEER,
        )
        mentor_profile(
            person,
            languages=(("deu", "native"), language),
            areas=(area,),
            strengths=[needs[strength]],
            availability=evenings[:2],
            years=20,
        )
        enrol_at(programme, person, EnrolmentRole.MENTOR, StepKind.PAIRING)
    return programme, coordinator


def _row(page, mentee: str):
    return page.locator("#proposals tbody tr").filter(
        has=page.get_by_role("rowheader", name=mentee)
    )


def test_a_coordinator_runs_a_session_decides_on_pairs_and_accepts_the_rest(page, axe, sign_in_as):
    programme, coordinator = _office()
    sign_in_as(coordinator)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Matching"
    ).click()
    axe("matching overview")
    page.get_by_role("link", name="Job Coaches").click()
    expect(page.locator("#waiting-count")).to_have_text("4 mentees wait at the pairing step")
    axe("sessions of a programme")
    page.get_by_role("button", name="Open a matching session").click()
    expect(page.get_by_role("status")).to_contain_text("has been opened")
    expect(page.locator("#participant-count")).to_have_text("4 mentees, 4 mentors")
    axe("new matching session")

    page.get_by_role("link", name="Show and change who takes part").click()
    expect(page.get_by_role("heading", name="4 mentors")).to_be_visible()
    axe("participants")
    page.get_by_role("link", name="Back to the session").click()

    page.get_by_role("button", name="Run the matching", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Run 1: 4 pairs proposed")
    axe("proposals")
    amira = _row(page, "Amira Saleh")
    expect(amira.get_by_role("cell").nth(0)).to_have_text("Karim Benali")
    # The reason in plain words, and the score per criterion as text.
    expect(amira).to_contain_text("Both speak Arabic")
    expect(amira).to_contain_text("the mentor worked 20 years in Traffic, logistics")
    expect(amira.get_by_role("list", name="Fit per criterion")).to_contain_text(
        "Common language 100 %"
    )
    amira.get_by_text("alternatives").first.click()
    expect(amira.locator(".lotse-alternatives li").first).to_be_visible()

    # Rejecting needs a reason: without one, the form comes back with the error.
    reza = _row(page, "Reza Karimi")
    expect(reza.get_by_role("cell").nth(0)).to_have_text("Thomas Becker")
    reza.locator("summary").filter(has_text="Reject or exclude").click()
    reza.get_by_role("button", name="Reject", exact=True).click()
    reza = _row(page, "Reza Karimi")
    expect(reza.get_by_text("Give a reason for rejecting the pair.")).to_be_visible()
    axe("rejection without a reason")
    reza.get_by_label("Reason").fill("Thomas moves away in spring")
    reza.get_by_role("button", name="Reject", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Reza Karimi and Thomas Becker: rejected")

    _row(page, "Olena Tkachenko").get_by_role("button", name=re.compile(r"^Lock\W*:")).click()
    expect(page.get_by_role("status")).to_contain_text("locked")

    page.get_by_role("button", name="Run the matching again").click()
    expect(page.get_by_role("status")).to_contain_text("Run 2:")
    axe("proposals of the second run")
    # Re-optimised around the decisions: Reza cannot have Thomas, so Amira,
    # whose second best he is, takes him and Reza gets Karim.
    expected = {
        "Amira Saleh": "Thomas Becker",
        "Olena Tkachenko": "Gisela Schäfer",
        "Reza Karimi": "Karim Benali",
        "Zahra Ahmadi": "Sabine Krüger",
    }
    for mentee, mentor in expected.items():
        expect(_row(page, mentee).get_by_role("cell").nth(0)).to_have_text(mentor)
    expect(_row(page, "Olena Tkachenko")).to_contain_text("locked")
    # The rejected pair is not even an alternative any more.
    expect(_row(page, "Reza Karimi")).not_to_contain_text("Thomas Becker")
    expect(page.locator("#unmatched")).to_contain_text("Every mentee has a proposed mentor.")

    page.get_by_role("button", name="Accept all 4 open proposals").click()
    expect(page.get_by_role("status")).to_contain_text("4 pairs have been accepted")
    axe("accepted pairs")
    expect(page.locator("#decisions")).to_contain_text("Thomas moves away in spring")

    accepted = Decision.objects.filter(kind=DecisionKind.ACCEPT, revoked_at__isnull=True)
    pairs = {(d.mentee.person.full_name, d.mentor.person.full_name) for d in accepted}
    assert pairs == set(expected.items())
    # Every enrolment has moved past the pairing step, to the first meeting.
    steps = {e.person.full_name: e.step.kind for e in programme.enrolments.select_related("step")}
    assert steps == dict.fromkeys([*expected, *expected.values()], StepKind.FIRST_MEETING)


def test_a_session_on_the_demo_data(page, axe, sign_in_as, places):
    """The acceptance run on the office of `make run`: the demo coordinator
    pairs the waiting mentees of "Tandem für Arbeit"."""
    from django.core.management import call_command

    from lotse.accounts.demo import DEMO_PASSWORD
    from lotse.matching.models import MatchingSession
    from lotse.programmes.models import Enrolment

    call_command("demo", verbosity=0)
    membership = Membership.objects.select_related("user").filter(role=Role.COORDINATOR).first()
    sign_in_as(membership.user, password=DEMO_PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Matching"
    ).click()
    page.get_by_role("link", name="Tandem für Arbeit").click()
    page.get_by_role("button", name="Matching-Sitzung eröffnen").click()
    expect(page.get_by_role("status")).to_contain_text("eröffnet")
    page.get_by_role("button", name="Matching berechnen", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Berechnung 1:")
    axe("proposals on the demo data")
    session = MatchingSession.objects.get()
    first_run = session.runs.get()
    assert first_run.mentee_count > 20 and first_run.mentor_count > 10

    rows = page.locator("#proposals tbody tr")
    # Every proposal says why, in German.
    expect(rows.first.get_by_role("list", name="Passung je Kriterium")).to_contain_text(
        "Gemeinsame Sprache"
    )
    expect(rows.first).to_contain_text("Beide sprechen")
    expect(rows.first).to_contain_text(re.compile(r"km voneinander entfernt|im selben Ort"))
    rejected_mentee = rows.nth(0).get_by_role("rowheader").inner_text()
    rejected_mentor = rows.nth(0).get_by_role("cell").nth(0).inner_text()
    rows.nth(0).locator("summary").filter(has_text="Ablehnen oder ausschließen").click()
    rows.nth(0).get_by_label("Grund").fill("Kennen sich privat")
    rows.nth(0).get_by_role("button", name="Ablehnen", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("abgelehnt")
    locked_row = page.locator("#proposals tbody tr").nth(1)
    locked_mentee = locked_row.get_by_role("rowheader").inner_text()
    locked_mentor = locked_row.get_by_role("cell").nth(0).inner_text()
    locked_row.get_by_role("button", name=re.compile(r"^Festhalten\W*:")).click()
    expect(page.get_by_role("status")).to_contain_text("festgehalten")

    page.get_by_role("button", name="Matching erneut berechnen").click()
    expect(page.get_by_role("status")).to_contain_text("Berechnung 2:")
    axe("second run on the demo data")
    locked = _row(page, locked_mentee)
    expect(locked.get_by_role("cell").nth(0)).to_have_text(locked_mentor)
    rejected = _row(page, rejected_mentee)
    if rejected.count():
        expect(rejected.get_by_role("cell").nth(0)).not_to_have_text(rejected_mentor)

    page.get_by_role("button", name=re.compile(r"offenen? Vorschl")).click()
    expect(page.get_by_role("status")).to_contain_text("angenommen")
    accepted = Decision.objects.filter(kind=DecisionKind.ACCEPT, revoked_at__isnull=True)
    last_run = session.runs.order_by("-number").first()
    assert accepted.count() == last_run.proposals.filter(rank=0).count() > 10
    for decision in accepted.select_related("mentee__step", "mentor__step"):
        assert decision.mentee.step.kind == StepKind.FIRST_MEETING
    assert not Enrolment.objects.filter(
        pk__in=accepted.values("mentee"), step__kind=StepKind.PAIRING
    ).exists()
