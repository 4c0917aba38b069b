"""Key figures on a hand-built office with known answers (SQLite and
PostgreSQL alike): 2025 is the period, 2024 the one before."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from lotse.cases.models import Case
from lotse.core.kpis import Rate, Scope
from lotse.employers.models import Employer, Opening, Placement
from lotse.people.models import PoolRole
from lotse.programmes.catalogues import DEFAULT_STEPS
from lotse.programmes.models import Enrolment, Event, Programme, Registration, Step
from lotse.reports import registry
from lotse.tandems.models import Meeting, Outcome, SupportTime, Tandem
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, SiteFactory

D = datetime.date


@dataclass
class Office:
    scope: Scope
    site_north: object
    mentoring: object
    coaching: object
    staff: object


def _programme(org, name, kind):
    programme = Programme.objects.create(organisation=org, name=name, kind=kind)
    Step.objects.bulk_create(
        Step(organisation=org, programme=programme, position=n, **step._asdict())
        for n, step in enumerate(DEFAULT_STEPS[kind], start=1)
    )
    return programme


def _enrol(programme, person, role, enrolled_on):
    return Enrolment.objects.create(
        organisation=programme.organisation,
        programme=programme,
        person=person,
        role=role,
        step=programme.steps.first(),
        enrolled_at=timezone.make_aware(datetime.datetime.combine(enrolled_on, datetime.time(9))),
    )


@pytest.fixture
def office(db) -> Office:
    org = OrganisationFactory(name="Integrationsbüro Testhausen", slug="testhausen")
    south = SiteFactory(organisation=org, name="Süd")
    north = SiteFactory(organisation=org, name="Nord")
    staff = MembershipFactory(organisation=org, role="coordinator").user
    mentoring = _programme(org, "Mentoring", "mentoring")
    coaching = _programme(org, "Coaching", "case_management")
    mentors = [
        _enrol(
            mentoring,
            PersonFactory(organisation=org, site=south, role=PoolRole.VOLUNTEER),
            "mentor",
            D(2023, 1, 1),
        )
        for _ in range(4)
    ]

    def tandem(status, started, ended=None, mentor=0, site=south, outcome=None, **contract):
        mentee = _enrol(
            mentoring, PersonFactory(organisation=org, site=site), "mentee", D(2023, 6, 1)
        )
        made = Tandem.objects.create(
            organisation=org,
            programme=mentoring,
            mentee=mentee,
            mentor=mentors[mentor],
            site=site,
            coordinator=staff,
            status=status,
            started_on=started,
            ended_on=ended,
        )
        if outcome:
            Outcome.objects.create(organisation=org, tandem=made, kind=outcome, **contract)
        return made

    # Nine completed in 2025: three with a contract of three months or more
    # (one of them permanent), one shorter, one apprenticeship, four without.
    for index in range(9):
        kind, contract = (
            [
                ("employment", {"three_months_or_more": True}),
                ("employment", {"three_months_or_more": True}),
                ("employment", {"permanent": True}),
                ("employment", {"three_months_or_more": False}),
                ("apprenticeship", {}),
            ][index]
            if index < 5
            else ("none", {})
        )
        tandem(
            "completed", D(2025, 1, 10), D(2025, 7, 10), mentor=index % 3, outcome=kind, **contract
        )
    # Two ended early, one still running (at site North), one of 2024 only.
    tandem("ended_early", D(2025, 2, 1), D(2025, 3, 3), mentor=1)
    tandem("ended_early", D(2024, 11, 1), D(2025, 1, 31), mentor=2)
    running = tandem("active", D(2025, 3, 1), site=north, mentor=0)
    old = tandem("completed", D(2024, 1, 1), D(2024, 6, 30), mentor=3)
    for day in range(10):
        Meeting.objects.create(
            organisation=org,
            tandem=running,
            held_on=D(2025, 4, 1 + day),
            duration_minutes=90,
            mode="in_person",
            recorded_by=staff,
        )
    Meeting.objects.create(
        organisation=org,
        tandem=old,
        held_on=D(2024, 3, 1),
        duration_minutes=60,
        mode="phone",
        recorded_by=staff,
    )
    SupportTime.objects.create(
        organisation=org,
        tandem=running,
        spent_on=D(2025, 5, 5),
        minutes=780,
        activity="call",
        staff=staff,
    )

    def case(opened, closed=None, outcome=""):
        client = PersonFactory(organisation=org, site=south)
        _enrol(coaching, client, "client", opened)
        return Case.objects.create(
            organisation=org,
            client=client,
            programme=coaching,
            site=south,
            caseworker=staff,
            status="closed" if closed else "active",
            opened_on=opened,
            closed_on=closed,
            outcome=outcome,
        )

    case(D(2025, 2, 1))
    placed = case(D(2025, 3, 1), D(2025, 9, 1), "employment")
    # A permanent contract begun while the case was open, and one of two
    # months before it: only the first counts.
    employer = Employer.objects.create(organisation=org, name="Malerbetrieb Krüger")
    for start, end in ((D(2025, 8, 1), None), (D(2024, 1, 1), D(2024, 2, 29))):
        Placement.objects.create(
            organisation=org,
            person=placed.client,
            opening=Opening.objects.create(
                organisation=org, employer=employer, kind="full_time", title="Maler/in"
            ),
            responsible=staff,
            stage="contract",
            contract_start=start,
            permanent=end is None,
            contract_end=end,
        )
    case(D(2025, 4, 1), D(2025, 10, 1), "none")
    case(D(2024, 5, 1), D(2025, 5, 1), "self_employment")
    case(D(2024, 5, 1), D(2024, 12, 1), "employment")

    def event(starts, cancelled=False, attended=0):
        made = Event.objects.create(
            organisation=org,
            kind="info_event",
            title="Infoabend",
            programme=mentoring,
            site=south,
            starts_at=timezone.make_aware(datetime.datetime.combine(starts, datetime.time(18))),
            ends_at=timezone.make_aware(datetime.datetime.combine(starts, datetime.time(20))),
            is_cancelled=cancelled,
        )
        for _ in range(attended):
            Registration.objects.create(
                organisation=org,
                event=made,
                person=PersonFactory(organisation=org, site=south),
                status="registered",
                attended=True,
            )

    event(D(2025, 3, 3), attended=3)
    event(D(2025, 4, 4), cancelled=True, attended=0)
    event(D(2024, 4, 4), attended=2)
    scope = Scope(organisation_id=org.pk, start=D(2025, 1, 1), end=D(2025, 12, 31))
    return Office(scope, north, mentoring, coaching, staff)


def figure(code: str, scope: Scope):
    return registry.by_code(code).compute(scope)


def test_the_share_of_completed_tandems_with_a_contract_of_three_months(office):
    rate = figure("contract_rate", office.scope)
    assert rate == Rate(3, 9)
    assert rate.percent == 33.3


def test_tandem_figures(office):
    scope = office.scope
    assert figure("tandems_completed", scope) == 9
    assert figure("tandems_ended_early", scope) == 2
    # Formed in 2025: nine completed, one ended early, the running one.
    assert figure("tandems_formed", scope) == 11
    # Running at some time in 2025: all but the one of 2024.
    assert figure("tandems_active", scope) == 12
    assert figure("active_mentors", scope) == 3
    assert figure("active_mentees", scope) == 12
    assert figure("meetings_held", scope) == 10
    assert figure("volunteer_hours", scope) == 15.0
    # 13 hours over 12 active tandems.
    assert figure("staff_hours_per_tandem", scope) == 1.1
    # Nine of 181 days, one of 30, one of 91: 1,750 days / 11 / 30.4375.
    assert figure("average_tandem_duration", scope) == 5.2
    # The one mentor of 2024 (index 3) had no tandem in 2025; mentor 2 had one
    # ended early in January 2025, begun in 2024.
    assert figure("mentor_retention", scope) == Rate(1, 2)


def test_case_event_and_headline_figures(office):
    scope = office.scope
    assert figure("cases_opened", scope) == 3
    assert figure("cases_closed", scope) == 3
    assert figure("case_work_rate", scope) == Rate(2, 3)
    assert figure("active_clients", scope) == 4
    assert figure("events_held", scope) == 1
    assert figure("event_attendance", scope) == 3
    # Nine completed tandems (four with employment, one apprenticeship) and
    # three closed cases (employment, self-employment): 7 of 12.
    assert figure("headline_rate", scope) == Rate(7, 12)
    # Three of nine tandems and one of three cases with a contract of three months.
    assert figure("contract_share", scope) == Rate(4, 12)
    assert figure("contract_share", scope).percent == 33.3
    # 12 mentees and 4 clients, nobody in both.
    assert figure("accompanied", scope) == 16


def test_programme_and_site_narrow_the_figures(office):
    north = Scope(**{**office.scope.__dict__, "site_ids": frozenset({office.site_north.pk})})
    assert figure("tandems_active", north) == 1
    assert figure("meetings_held", north) == 10
    assert figure("cases_opened", north) == 0
    coaching = Scope(**{**office.scope.__dict__, "programme_id": office.coaching.pk})
    assert figure("tandems_active", coaching) == 0
    assert figure("cases_opened", coaching) == 3


def test_new_registrations_count_the_roles_taken_in_the_period(office):
    # Everyone of the office joined the pool today.
    today = timezone.localdate()
    now = office.scope.moved(today, today)
    # Thirteen mentees, five clients, five people at events.
    assert figure("new_participants", now) == 23
    assert figure("new_volunteers", now) == 4
    assert figure("new_participants", office.scope) == 0
    coaching = Scope(**{**now.__dict__, "programme_id": office.coaching.pk})
    assert figure("new_participants", coaching) == 5
    assert figure("new_volunteers", coaching) == 0


def test_the_period_before_counts_its_own_records(office):
    before = office.scope.moved(D(2024, 1, 1), D(2024, 12, 31))
    assert figure("tandems_completed", before) == 1
    assert figure("meetings_held", before) == 1
    assert figure("events_held", before) == 1
    assert figure("contract_rate", before) == Rate(0, 1)
    assert figure("contract_rate", before.moved(D(2020, 1, 1), D(2020, 12, 31))).percent is None


def test_another_organisation_counts_nothing_of_this_one(office, world):
    other = Scope(organisation_id=world.org_b.pk, start=D(2025, 1, 1), end=D(2025, 12, 31))
    for kpi in registry.kpis():
        value = kpi.compute(other)
        if isinstance(value, dict):
            assert not any(value.values()), kpi.code
        elif isinstance(value, Rate):
            assert value.whole == 0, kpi.code
        else:
            assert not value, kpi.code


def test_every_figure_has_a_definition_and_a_unique_code():
    codes = [kpi.code for kpi in registry.kpis()]
    assert len(codes) == len(set(codes))
    assert len(codes) >= 25
    for kpi in registry.kpis():
        assert str(kpi.definition).endswith("."), kpi.code
        assert kpi.section in registry.SECTIONS
