"""Personas and helpers shared by all tests (STYLE.md §13).

alice: coordinator of organisation A, all sites.
ada: administrator of A, with two-factor login.
cora: caseworker of A, only site A2.
vera: viewer of A (figures only).
pia: partner of A (staff of a partner institution: the network's shared records only).
carol: coordinator of organisation B: must get 404 on anything of A.
dave: administrator of B, with two-factor login.
(bob, mentor of A, arrives with the mentor role.)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_scopes import scopes_disabled

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import Role
from lotse.cases.models import (
    CalendarFeed,
    Case,
    CaseContact,
    CaseDocument,
    HelpPlan,
    Intake,
    PlanGoal,
    PlanMeasure,
    Referral,
)
from lotse.core.models import Organisation, Site
from lotse.employers.models import (
    Activity,
    Employer,
    EmployerContact,
    Opening,
    Placement,
    StageChange,
)
from lotse.employers.models import FollowUp as ProbationFollowUp
from lotse.imports.models import ImportRun
from lotse.matching.criteria import DEFAULT_WEIGHTS
from lotse.matching.models import (
    Decision,
    MatchingRun,
    MatchingSession,
    Participant,
    Proposal,
)
from lotse.network.models import (
    AgreedMeasure,
    Committee,
    CommitteeMember,
    ContactPerson,
    CooperationAgreement,
    Institution,
    IntegrationStep,
    InterfacePaper,
    NeedsEntry,
    NetworkMeeting,
    Offer,
    Responsibility,
)
from lotse.people.models import Consent, Person, PoolRole, SavedFilter, Status
from lotse.privacy.models import Erasure
from lotse.programmes.catalogues import DEFAULT_STEPS
from lotse.programmes.models import (
    Enrolment,
    EnrolmentRole,
    Event,
    Programme,
    Registration,
    Step,
    StepTransition,
)
from lotse.reports.models import AnnualReport, Testimonial
from lotse.surveys.models import Question, Survey
from lotse.tandems.models import FollowUp, Meeting, Tandem

from .factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    totp_device,
)


@pytest.fixture(autouse=True)
def _no_rate_limits_counted():
    """Rate limits count in the process's cache: every test starts with none."""
    cache.clear()


@pytest.fixture(autouse=True)
def _own_erasure_log(settings, tmp_path_factory):
    """Every test notes its erasures' tombstones in a file of its own: a
    restore in one test must not replay another test's erasures."""
    settings.LOTSE_ERASURE_LOG = tmp_path_factory.mktemp("erasures") / "erasures.log"


@pytest.fixture(autouse=True)
def _scopes_disabled():
    """Test code sets up data across organisations; requests still run scoped."""
    with scopes_disabled():
        yield


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    site_a1: Site
    site_a2: Site
    site_b1: Site
    ada: User
    alice: User
    cora: User
    vera: User
    carol: User
    dave: User
    person_a1: Person
    person_a2: Person
    person_b1: Person
    saved_filter_a: SavedFilter
    programme_a: Programme
    enrolment_a: Enrolment
    event_a: Event
    registration_a: Registration
    matching_session_a: MatchingSession
    proposal_a: Proposal
    decision_a: Decision
    accepted_a: Decision
    tandem_a: Tandem
    meeting_a: Meeting
    follow_up_a: FollowUp
    pia: User
    institution_a: Institution
    contact_a: ContactPerson
    committee_a: Committee
    internal_committee_a: Committee
    member_a: CommitteeMember
    agreement_a: CooperationAgreement
    network_meeting_a: NetworkMeeting
    internal_meeting_a: NetworkMeeting
    measure_a: AgreedMeasure
    step_a: IntegrationStep
    responsibility_a: Responsibility
    paper_a: InterfacePaper
    offer_a: Offer
    need_a: NeedsEntry
    case_a: Case
    plan_a: HelpPlan
    plan_measure_a: PlanMeasure
    referral_a: Referral
    case_document_a: CaseDocument
    consent_a: Consent
    feed_a: CalendarFeed
    employer_a: Employer
    employer_contact_a: EmployerContact
    activity_a: Activity
    opening_a: Opening
    placement_a: Placement
    probation_a: ProbationFollowUp
    testimonial_a: Testimonial
    annual_report_a: AnnualReport
    survey_a: Survey
    question_a: Question
    import_a: ImportRun
    erasure_a: Erasure

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(user=user)


@pytest.fixture
def world(db) -> World:
    org_a = OrganisationFactory(name="Integrationsstelle Alphastadt", slug="alphastadt")
    org_b = OrganisationFactory(name="Jobcenter Betadorf", slug="betadorf")
    site_a1 = SiteFactory(organisation=org_a, name="Alphastadt Mitte")
    site_a2 = SiteFactory(organisation=org_a, name="Alphastadt Nord")
    site_b1 = SiteFactory(organisation=org_b, name="Betadorf Zentrum")

    def member(org, email, name, role, sites=None):
        return MembershipFactory(
            organisation=org,
            user__email=email,
            user__full_name=name,
            role=role,
            sites=sites,
        ).user

    ada = member(org_a, "ada@alpha.example", "Ada Administratorin", Role.ADMINISTRATOR)
    totp_device(ada)
    dave = member(org_b, "dave@beta.example", "Dave Admin", Role.ADMINISTRATOR)
    totp_device(dave)
    person_a1 = PersonFactory(
        organisation=org_a, site=site_a1, given_name="Amira", family_name="Haddad"
    )
    person_a2 = PersonFactory(
        organisation=org_a,
        site=site_a2,
        given_name="Oleksandr",
        family_name="Bondarenko",
        sensitive_notes="SENSITIVE-SENTINEL Aufenthaltsstatus",
    )
    person_b1 = PersonFactory(
        organisation=org_b, site=site_b1, given_name="Berivan", family_name="Demir"
    )
    alice = member(org_a, "alice@alpha.example", "Alice Koordinatorin", Role.COORDINATOR)
    # Written directly, not through the services: the world leaves no audit entries.
    programme_a = Programme.objects.create(
        organisation=org_a, name="Job Coaches Alphastadt", kind="mentoring"
    )
    Step.objects.bulk_create(
        Step(organisation=org_a, programme=programme_a, position=n, **step._asdict())
        for n, step in enumerate(DEFAULT_STEPS["mentoring"], start=1)
    )
    enrolment_a = Enrolment.objects.create(
        organisation=org_a,
        programme=programme_a,
        person=person_a1,
        role=EnrolmentRole.MENTEE,
        step=programme_a.steps.get(position=1),
    )
    StepTransition.objects.create(
        organisation=org_a, enrolment=enrolment_a, from_step=None, to_step=enrolment_a.step
    )
    starts = timezone.now() + datetime.timedelta(days=7)
    event_a = Event.objects.create(
        organisation=org_a,
        kind="info_event",
        title="Infoabend Alphastadt",
        programme=programme_a,
        site=site_a1,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=20,
    )
    registration_a = Registration.objects.create(
        organisation=org_a, event=event_a, person=person_a1, status="registered"
    )
    # A matching session in programme A: person A1 as mentee, a mentor at site
    # A1 (still onboarding: the pool's lists of active volunteers stay as they were).
    mentor_person = PersonFactory(
        organisation=org_a,
        site=site_a1,
        given_name="Jürgen",
        family_name="Wegmann",
        role=PoolRole.VOLUNTEER,
    )
    mentor_person.roles.update(status=Status.ONBOARDING)
    mentor_a = Enrolment.objects.create(
        organisation=org_a,
        programme=programme_a,
        person=mentor_person,
        role=EnrolmentRole.MENTOR,
        step=programme_a.steps.get(kind="pairing"),
    )
    matching_session_a = MatchingSession.objects.create(
        organisation=org_a, programme=programme_a, opened_by=alice, weights=DEFAULT_WEIGHTS
    )
    Participant.objects.bulk_create(
        Participant(
            organisation=org_a, session=matching_session_a, enrolment=enrolment, role=enrolment.role
        )
        for enrolment in (enrolment_a, mentor_a)
    )
    run_a = MatchingRun.objects.create(
        organisation=org_a,
        session=matching_session_a,
        number=1,
        run_by=alice,
        weights=DEFAULT_WEIGHTS,
        max_distance_km=30,
    )
    proposal_a = Proposal.objects.create(
        organisation=org_a, run=run_a, mentee=enrolment_a, mentor=mentor_a, score=0.8
    )
    decision_a = Decision.objects.create(
        organisation=org_a,
        session=matching_session_a,
        mentee=enrolment_a,
        mentor=mentor_a,
        kind="lock",
        proposal=proposal_a,
        decided_by=alice,
    )
    # An accepted pair waiting for its tandem: another mentee at site A1 with the mentor.
    waiting_mentee = PersonFactory(
        organisation=org_a, site=site_a1, given_name="Oksana", family_name="Melnyk"
    )
    enrolment_a2 = Enrolment.objects.create(
        organisation=org_a,
        programme=programme_a,
        person=waiting_mentee,
        role=EnrolmentRole.MENTEE,
        step=programme_a.steps.get(kind="first_meeting"),
    )
    Participant.objects.create(
        organisation=org_a, session=matching_session_a, enrolment=enrolment_a2, role="mentee"
    )
    accepted_a = Decision.objects.create(
        organisation=org_a,
        session=matching_session_a,
        mentee=enrolment_a2,
        mentor=mentor_a,
        kind="accept",
        decided_by=alice,
    )
    # A running tandem of person A1 with the mentor, at site A1, ended pieces included.
    today = timezone.localdate()
    tandem_a = Tandem.objects.create(
        organisation=org_a,
        programme=programme_a,
        mentee=enrolment_a,
        mentor=mentor_a,
        site=site_a1,
        coordinator=alice,
        status="active",
        goals="Ausbildung als Pflegefachkraft",
        started_on=today - datetime.timedelta(days=30),
        planned_end_on=today + datetime.timedelta(days=150),
        agreement_signed_on=today - datetime.timedelta(days=30),
        last_meeting_on=today - datetime.timedelta(days=3),
    )
    meeting_a = Meeting.objects.create(
        organisation=org_a,
        tandem=tandem_a,
        held_on=today - datetime.timedelta(days=3),
        duration_minutes=60,
        mode="in_person",
        topics=["cv"],
        recorded_by=alice,
    )
    follow_up_a = FollowUp.objects.create(
        organisation=org_a, tandem=tandem_a, months=3, due_on=today
    )
    network = _network(org_a, alice, today)
    cases = _cases(org_a, site_a1, person_a1, alice, network["institution_a"], today)
    employers = _employers(org_a, person_a1, alice, today)
    carol = member(org_b, "carol@beta.example", "Carol Koordinatorin", Role.COORDINATOR)
    _employers_of_b(org_b, person_b1, carol, today)
    return World(
        **network,
        **cases,
        **employers,
        **_reports(org_a, person_a1, alice),
        **_surveys(org_a, alice),
        **_imports(org_a, site_a1, alice),
        **_privacy(org_a, person_a2, alice),
        pia=member(org_a, "pia@partner.example", "Pia Partnerin", Role.PARTNER),
        accepted_a=accepted_a,
        tandem_a=tandem_a,
        meeting_a=meeting_a,
        follow_up_a=follow_up_a,
        matching_session_a=matching_session_a,
        proposal_a=proposal_a,
        decision_a=decision_a,
        programme_a=programme_a,
        enrolment_a=enrolment_a,
        event_a=event_a,
        registration_a=registration_a,
        saved_filter_a=SavedFilter.objects.create(
            organisation=org_a, user=alice, name="Alice aktiv", query="status=active"
        ),
        person_a1=person_a1,
        person_a2=person_a2,
        person_b1=person_b1,
        org_a=org_a,
        org_b=org_b,
        site_a1=site_a1,
        site_a2=site_a2,
        site_b1=site_b1,
        ada=ada,
        alice=alice,
        cora=member(org_a, "cora@alpha.example", "Cora Fallmanagerin", Role.CASEWORKER, [site_a2]),
        vera=member(org_a, "vera@alpha.example", "Vera Leitung", Role.VIEWER),
        carol=carol,
        dave=dave,
    )


def _reports(org, author, staff) -> dict:
    """A testimonial of person_a1 (site A1: cora does not find it) with the
    author's consent to publication, and a written annual report of
    organisation A."""
    testimonial = Testimonial.objects.create(
        organisation=org,
        person=author,
        author_role="mentee",
        text="Ich habe eine Stelle gefunden.",
        signed_as="Amira, Mentee",
        recorded_by=staff,
    )
    Consent.objects.create(
        organisation=org,
        person=author,
        purpose="publication",
        given_on=datetime.date(2026, 1, 10),
        channel="paper",
        recorded_by=staff,
    )
    report = AnnualReport(
        organisation=org, year=2025, title="Jahresbericht 2025", created_by=staff, status="done"
    )
    report.pdf.save("report.pdf", ContentFile(b"%PDF-1.4 world"), save=False)
    report.save()
    return {"testimonial_a": testimonial, "annual_report_a": report}


def _surveys(org, staff) -> dict:
    """An open survey of organisation A with one scale question."""
    survey = Survey.objects.create(
        organisation=org, title="Feedback Infoabend Alphastadt", created_by=staff
    )
    question = Question.objects.create(
        organisation=org, survey=survey, position=1, kind="scale", text="Wie zufrieden?"
    )
    return {"survey_a": survey, "question_a": question}


def _imports(org, site, staff) -> dict:
    """A file of organisation A uploaded for import, its columns not yet confirmed."""
    run = ImportRun(
        organisation=org,
        site=site,
        kind="people",
        file_name="Teilnehmende.csv",
        created_by=staff,
        mapping={"0": "given_name", "1": "family_name"},
        role="participant",
    )
    run.file.save("import.csv", ContentFile(b"Vorname;Nachname\r\nSamira;Darwish\r\n"), save=False)
    run.save()
    return {"import_a": run}


def _privacy(org, person, staff) -> dict:
    """An erasure of person A2 waiting for a second administrator."""
    erasure = Erasure.objects.create(
        organisation=org, person=person, reason="request", requested_by=staff
    )
    return {"erasure_a": erasure}


def _network(org, author, today) -> dict:
    """Organisation A's network: an institution with a contact, a committee
    shared with partners and an internal one, each with a meeting and a
    measure; a step with its responsibility, an issued interface paper, an
    offer and a counted need."""
    institution = Institution.objects.create(
        organisation=org,
        name="Jobcenter Alphastadt",
        domain="work",
        kind="jobcenter",
        phone="0341 100200",
    )
    contact = ContactPerson.objects.create(
        organisation=org,
        institution=institution,
        name="Jana Jobcenter",
        function="Teamleitung Migration",
        phone="0341 100201",
        email="jana@jobcenter.example",
    )
    committee = Committee.objects.create(
        organisation=org, name="Bündnis-Kerngruppe Alphastadt", kind="core_group"
    )
    internal = Committee.objects.create(
        organisation=org,
        name="Interne Steuerungsrunde",
        kind="committee",
        shared_with_partners=False,
    )
    member = CommitteeMember.objects.create(
        organisation=org, committee=committee, institution=institution, contact=contact
    )
    agreement = CooperationAgreement.objects.create(
        organisation=org, subject="Kooperation Berufsorientierung"
    )
    agreement.parties.add(institution)
    meeting = NetworkMeeting.objects.create(
        organisation=org, committee=committee, held_on=today, minutes="Protokoll"
    )
    internal_meeting = NetworkMeeting.objects.create(
        organisation=org, committee=internal, held_on=today, minutes="Interne Runde"
    )
    measure = AgreedMeasure.objects.create(
        organisation=org,
        meeting=meeting,
        title="Sprechstunde einrichten",
        institution=institution,
        due_on=today,
    )
    step = IntegrationStep.objects.create(organisation=org, name="Arbeitsvermittlung", position=1)
    responsibility = Responsibility.objects.create(
        organisation=org, step=step, institution=institution, contact=contact
    )
    paper = InterfacePaper.objects.create(
        organisation=org,
        number=1,
        issued_on=today,
        issued_by=author,
        title="Schnittstellenpapier Alphastadt",
        matrix=[{"step": step.name, "description": "", "rows": []}],
    )
    offer = Offer.objects.create(
        organisation=org,
        title="Berufssprachkurs B2",
        area="language",
        provider=institution,
        capacity=20,
    )
    need = NeedsEntry.objects.create(
        organisation=org,
        area="childcare",
        target_group="Mütter mit kleinen Kindern",
        count=12,
        recorded_on=today,
        recorded_by=author,
    )
    return {
        "institution_a": institution,
        "contact_a": contact,
        "committee_a": committee,
        "internal_committee_a": internal,
        "member_a": member,
        "agreement_a": agreement,
        "network_meeting_a": meeting,
        "internal_meeting_a": internal_meeting,
        "measure_a": measure,
        "step_a": step,
        "responsibility_a": responsibility,
        "paper_a": paper,
        "offer_a": offer,
        "need_a": need,
    }


def _cases(org, site, client, caseworker, institution, today) -> dict:
    """A case of person_a1 at site A1 (so cora, at A2, must not find it) with
    its help plan, a measure, a contact, a referral, a document record (no
    file stored: its download is 404) and alice's calendar feed."""
    programme = Programme.objects.create(
        organisation=org, name="Stark im Beruf Alphastadt", kind="case_management"
    )
    case = Case.objects.create(
        organisation=org,
        client=client,
        programme=programme,
        site=site,
        caseworker=caseworker,
        status="active",
        opened_on=today - datetime.timedelta(days=40),
        # A recent contact: the case leaves no task in alice's digest.
        last_contact_on=today - datetime.timedelta(days=5),
    )
    Intake.objects.create(
        organisation=org, case=case, health="SENSITIVE-SENTINEL Gesundheit", goals="Arbeit"
    )
    plan = HelpPlan.objects.create(organisation=org, case=case, number=1)
    goal = PlanGoal.objects.create(organisation=org, plan=plan, area="language", text="B1")
    measure = PlanMeasure.objects.create(
        organisation=org, goal=goal, what="Sprachkurs anmelden", responsible="client"
    )
    CaseContact.objects.create(
        organisation=org,
        case=case,
        kind="home_visit",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        staff=caseworker,
        note="Vertrauliche Notiz",
    )
    referral = Referral.objects.create(
        organisation=org, case=case, institution=institution, reason="Beratung", referred_on=today
    )
    document = CaseDocument.objects.create(
        organisation=org,
        case=case,
        title="Zeugnis",
        file="cases/casedocument/missing.pdf",
        content_type="application/pdf",
        uploaded_by=caseworker,
    )
    feed = CalendarFeed.objects.create(organisation=org, user=caseworker)
    # The client's consent to share with the jobcenter, signed on paper.
    consent = Consent(
        organisation=org,
        person=client,
        purpose="sharing",
        institution=institution,
        given_on=today,
        channel="paper",
        recorded_by=caseworker,
        evidence_type="application/pdf",
    )
    consent.evidence.save("evidence", ContentFile(b"%PDF-1.4 Einwilligung"), save=True)
    return {
        "consent_a": consent,
        "case_a": case,
        "plan_a": plan,
        "plan_measure_a": measure,
        "referral_a": referral,
        "case_document_a": document,
        "feed_a": feed,
    }


def _employers(org, candidate, staff, today) -> dict:
    """An employer of A with a contact, a cold call to follow up, an opening
    and person_a1 (site A1: cora, at A2, must not find the placement) placed
    there with a contract and its first probation follow-up."""
    employer = Employer.objects.create(
        organisation=org, name="Bäckerei Sonnenkorn", municipality="Leipzig", relationship="active"
    )
    contact = EmployerContact.objects.create(
        organisation=org, employer=employer, name="Frau Korn", email="korn@sonnenkorn.example"
    )
    activity = Activity.objects.create(
        organisation=org,
        employer=employer,
        kind="cold_call",
        date=today,
        staff=staff,
        follow_up_on=today + datetime.timedelta(days=7),
    )
    opening = Opening.objects.create(
        organisation=org, employer=employer, kind="full_time", title="Verkauf", positions=2
    )
    # Started 20 days ago: the one-month check is due within the follow-ups' horizon.
    placement = Placement.objects.create(
        organisation=org,
        person=candidate,
        opening=opening,
        responsible=staff,
        stage="contract",
        contract_start=today - datetime.timedelta(days=20),
        permanent=True,
        probation_end=today + datetime.timedelta(days=160),
    )
    StageChange.objects.create(
        organisation=org, placement=placement, to_stage="contract", changed_by=staff
    )
    probation = ProbationFollowUp.objects.create(
        organisation=org,
        placement=placement,
        kind="one_month",
        due_on=today + datetime.timedelta(days=10),
        assigned_to=staff,
    )
    return {
        "employer_a": employer,
        "employer_contact_a": contact,
        "activity_a": activity,
        "opening_a": opening,
        "placement_a": placement,
        "probation_a": probation,
    }


def _employers_of_b(org, candidate, staff, today) -> None:
    """Organisation B's counterparts, due within the two weeks that the
    follow-ups page shows (so that a list of A that leaked B's rows would name
    B's employer, staff member or candidate), but not yet among the tasks:
    carol's digest stays as the digest tests expect it."""
    employer = Employer.objects.create(
        organisation=org, name="Betadorfer Metallbau", municipality="Betadorf"
    )
    EmployerContact.objects.create(
        organisation=org, employer=employer, name="Herr Blech", email="blech@metallbau.example"
    )
    Activity.objects.create(
        organisation=org,
        employer=employer,
        kind="visit",
        date=today,
        staff=staff,
        follow_up_on=today + datetime.timedelta(days=10),
    )
    opening = Opening.objects.create(
        organisation=org, employer=employer, kind="apprenticeship", title="Schweißer"
    )
    placement = Placement.objects.create(
        organisation=org,
        person=candidate,
        opening=opening,
        responsible=staff,
        stage="contract",
        contract_start=today - datetime.timedelta(days=25),
        permanent=True,
        probation_end=today + datetime.timedelta(days=150),
    )
    ProbationFollowUp.objects.create(
        organisation=org,
        placement=placement,
        kind="one_month",
        due_on=today + datetime.timedelta(days=12),
        assigned_to=staff,
    )


def sign_in(client: Client, user: User, *, verified: bool = True) -> Client:
    """Signed in as `user`; with `verified`, the second factor counts as given."""
    client.force_login(user)
    if verified:
        device = user.totpdevice_set.filter(confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
    return client


@pytest.fixture
def client_for(client):
    def make(user: User, *, verified: bool = True) -> Client:
        return sign_in(Client(), user, verified=verified)

    return make


@pytest.fixture
def english(client_for):
    """A signed-in client that reads English."""

    def make(user: User) -> Client:
        client = client_for(user)
        client.cookies["django_language"] = "en"
        return client

    return make
