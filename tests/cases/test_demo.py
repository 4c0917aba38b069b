import datetime
from collections import Counter
from itertools import pairwise

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone
from django_scopes import scopes_disabled

from lotse.accounts.models import Membership
from lotse.cases import demo
from lotse.cases.models import (
    NO_CONTACT_DAYS,
    OPEN,
    Case,
    CaseContact,
    CaseDocument,
    CaseStatus,
    CaseStatusChange,
    ContactKind,
    HelpPlan,
    Intake,
    MeasureStatus,
    Outcome,
    PlanGoal,
    PlanMeasure,
    Referral,
    ReferralStatus,
    Responsible,
)
from lotse.core.models import Organisation, Site
from lotse.people.models import Gender
from lotse.programmes.models import Enrolment, EnrolmentRole, ProgrammeKind


def test_the_demo_has_a_contact_point_with_sixty_cases_at_five_sites(db):
    call_command("demo", verbosity=0)
    today = timezone.localdate()
    now = timezone.now()
    with scopes_disabled():
        cases = Case.objects.all()
        assert cases.count() == 60
        assert Site.objects.count() == 5
        per_site = Counter(cases.values_list("site", flat=True))
        assert len(per_site) == 5
        assert min(per_site.values()) >= 8
        statuses = Counter(cases.values_list("status", flat=True))
        assert statuses == {
            CaseStatus.INTAKE: 8,
            CaseStatus.ACTIVE: 35,
            CaseStatus.ON_HOLD: 5,
            CaseStatus.CLOSED: 12,
        }
        assert cases.filter(opened_on__gt=today).count() == 0

        # Mothers of the pool, enrolled as clients of the case-management programme.
        assert not cases.exclude(client__gender=Gender.FEMALE).exists()
        assert cases.values("client").distinct().count() == 60
        assert not cases.exclude(programme__kind=ProgrammeKind.CASE_MANAGEMENT).exists()
        assert not cases.filter(enrolment=None).exists()
        enrolments = Enrolment.objects.filter(cases__in=cases)
        assert not enrolments.exclude(role=EnrolmentRole.CLIENT).exists()
        assert not enrolments.filter(transitions=None).exists()
        intake_step = cases.filter(status=CaseStatus.INTAKE).values_list(
            "enrolment__step__position", flat=True
        )
        assert set(intake_step) == {1}

        # Caseworkers who may work at one site only have cases of that site.
        assert cases.filter(deputies__isnull=False).distinct().count() >= 10
        for membership in Membership.objects.filter(all_sites=False):
            sites = set(membership.sites.values_list("pk", flat=True))
            theirs = cases.filter(caseworker=membership.user) | cases.filter(
                deputies=membership.user
            )
            assert set(theirs.values_list("site", flat=True)) <= sites
        caseworkers = set(cases.values_list("caseworker", flat=True))
        assert len(caseworkers) >= 4

        closed = cases.filter(status=CaseStatus.CLOSED)
        assert not closed.filter(closed_on=None).exists()
        assert not closed.filter(closing_reason="").exists()
        assert not closed.filter(outcome="").exists()
        assert {
            Outcome.EMPLOYMENT,
            Outcome.APPRENTICESHIP,
            Outcome.MARGINAL_EMPLOYMENT,
            Outcome.FURTHER_EDUCATION,
            Outcome.NONE,
        } <= set(closed.values_list("outcome", flat=True))
        assert not cases.filter(status__in=OPEN).exclude(closed_on=None).exists()
        assert not cases.filter(status__in=OPEN).exclude(outcome="").exists()

        # The status history leads to the status.
        for case in cases.prefetch_related("status_changes"):
            changes = sorted(case.status_changes.all(), key=lambda c: (c.changed_at, c.pk))
            assert (changes[0].from_status, changes[0].to_status) == ("", CaseStatus.INTAKE)
            assert changes[-1].to_status == case.status
            assert all(b.from_status == a.to_status for a, b in pairwise(changes))
        assert CaseStatusChange.objects.filter(to_status=CaseStatus.ON_HOLD).exclude(note="")

        # The intake is complete for all but the new cases.
        intakes = Intake.objects.all()
        assert intakes.count() == 60
        assert not intakes.exclude(case__status=CaseStatus.INTAKE).filter(completed_on=None)
        assert not intakes.filter(case__status=CaseStatus.INTAKE).exclude(completed_on=None)
        done = intakes.exclude(completed_on=None)
        for name in ("family_situation", "children_ages", "languages", "education", "goals"):
            assert not done.filter(**{name: ""}).exists(), name
        assert done.filter(childcare_needed=True).exists()
        assert 0 < done.exclude(health="").count() < done.count() / 2
        assert 0 < done.exclude(residence="").count() < done.count() / 2

        # Help plans: agreed once past the intake, some agreed a second time.
        plans = HelpPlan.objects.all()
        for case in cases.exclude(status=CaseStatus.INTAKE).prefetch_related("plans"):
            current = [plan for plan in case.plans.all() if plan.superseded_on is None]
            assert len(current) == 1 and current[0].agreed_on, case
            assert 2 <= current[0].goals.count() <= 4
        assert not plans.filter(case__status=CaseStatus.INTAKE).exclude(agreed_on=None)
        renewed = plans.filter(number=2).select_related("case")
        assert renewed.count() >= 5
        for second in renewed:
            first = plans.get(case=second.case, number=1)
            assert first.superseded_on == second.agreed_on
            assert first.agreed_on < second.agreed_on
            assert second.goals.count() >= first.goals.count()
        goals = PlanGoal.objects.annotate(n=Count("measures"))
        assert {goal.n for goal in goals} <= {1, 2, 3, 4}
        assert goals.values("area").distinct().count() >= 10
        measures = PlanMeasure.objects.all()
        assert set(measures.values_list("status", flat=True)) == set(MeasureStatus.values)
        assert set(measures.values_list("responsible", flat=True)) == set(Responsible.values)
        assert not measures.filter(responsible=Responsible.PARTNER, institution=None).exists()
        assert not measures.exclude(responsible=Responsible.PARTNER).exclude(institution=None)
        assert not measures.filter(status=MeasureStatus.DONE, done_on=None).exists()
        assert not measures.exclude(status=MeasureStatus.DONE).exclude(done_on=None).exists()
        assert not measures.filter(done_on__gt=today).exists()
        assert measures.filter(goal__plan__case__status__in=OPEN).overdue(today).exists()

        # Contacts of every kind, and appointments for each caseworker ahead.
        contacts = CaseContact.objects.all()
        assert set(contacts.values_list("kind", flat=True)) == set(ContactKind.values)
        assert contacts.filter(kind=ContactKind.HOME_VISIT).count() >= 60
        ahead = contacts.filter(starts_at__gt=now, starts_at__lt=now + datetime.timedelta(days=14))
        for user in cases.filter(status__in=OPEN).values_list("caseworker", flat=True):
            assert ahead.filter(staff=user).exists()
        assert not ahead.filter(case__status=CaseStatus.CLOSED).exists()
        assert ahead.filter(kind=ContactKind.WORKSHOP).exists()
        for case in cases.prefetch_related("contacts"):
            held = [c.starts_at for c in case.contacts.all() if c.starts_at <= now]
            assert case.last_contact_on == timezone.localdate(max(held)), case
            if case.closed_on:
                assert case.last_contact_on <= case.closed_on
                assert len(held) == len(case.contacts.all())
        # A few active cases nobody has contacted for a month show on the caseload.
        silent = cases.without_contact(today)
        assert 2 <= silent.count() <= 6
        assert set(silent.values_list("status", flat=True)) == {CaseStatus.ACTIVE}
        limit = today - datetime.timedelta(days=NO_CONTACT_DAYS)
        assert not silent.filter(last_contact_on__gte=limit).exists()

        # Referrals to the network in every status, answered ones with feedback.
        referrals = Referral.objects.all()
        assert set(referrals.values_list("status", flat=True)) == set(ReferralStatus.values)
        assert not referrals.exclude(status=ReferralStatus.SENT).filter(feedback="").exists()
        assert referrals.exclude(offer=None).exists()
        assert not referrals.filter(referred_on__gt=today).exists()
        assert not referrals.filter(case__status=CaseStatus.INTAKE).exists()
        assert not CaseDocument.objects.exists()

        counts = _counts()

    call_command("demo", "--if-empty", verbosity=0)
    with scopes_disabled():
        assert _counts() == counts


def test_the_cases_of_the_demo_are_deterministic(db):
    call_command("demo", verbosity=0)
    with scopes_disabled():
        first = _fingerprint()
        organisation = Organisation.objects.get()
        Case.objects.all().delete()
        Enrolment.objects.filter(role=EnrolmentRole.CLIENT).delete()
        demo.extend_demo(organisation)  # the sites and the programme are there already
        assert Site.objects.count() == 5
        assert _fingerprint() == first


def _counts() -> list[int]:
    models = (Site, Case, Intake, HelpPlan, PlanGoal, PlanMeasure, CaseContact, Referral)
    return [model.objects.count() for model in models]


def _fingerprint() -> list[tuple]:
    return [
        (
            case.client_id,
            case.site_id,
            case.caseworker_id,
            case.status,
            case.opened_on,
            case.last_contact_on,
            case.contacts.count(),
            case.plans.count(),
            case.referrals.count(),
        )
        for case in Case.objects.order_by("client_id")
    ]
