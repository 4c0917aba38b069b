"""People, pairs and tandems for the tandem tests, written straight to the
database like the `world` (no services: no audit entries of their own)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from lotse.accounts.models import Membership, User
from lotse.people.models import PoolRole
from lotse.programmes.catalogues import DEFAULT_STEPS
from lotse.programmes.models import Enrolment, EnrolmentRole, Programme, Step, StepKind
from lotse.tandems.models import Tandem, TandemStatus

from ..factories import PersonFactory, enrol_at, mentee_profile, mentor_profile

UNSET = object()


def acting(user: User) -> User:
    """Services read the actor's membership, as the tenant middleware sets it."""
    user.membership = Membership.objects.get(user=user)
    return user


def person(world, given: str, family: str, *, role=PoolRole.PARTICIPANT, site=None):
    return PersonFactory(
        organisation=(site or world.site_a1).organisation,
        site=site or world.site_a1,
        given_name=given,
        family_name=family,
        role=role,
    )


def mentoring_programme(organisation, name: str, **fields) -> Programme:
    programme = Programme.objects.create(
        organisation=organisation, name=name, kind="mentoring", **fields
    )
    Step.objects.bulk_create(
        Step(organisation=organisation, programme=programme, position=n, **step._asdict())
        for n, step in enumerate(DEFAULT_STEPS["mentoring"], start=1)
    )
    return programme


@dataclass
class Pair:
    mentee: Enrolment
    mentor: Enrolment


def mentee(
    world,
    given="Samira",
    family="Nouri",
    *,
    programme=None,
    at=StepKind.FIRST_MEETING,
    wishes="Eine Ausbildung in der Lagerlogistik",
    site=None,
) -> Enrolment:
    somebody = person(world, given, family, site=site)
    mentee_profile(somebody, wishes=wishes)
    return enrol_at(programme or world.programme_a, somebody, EnrolmentRole.MENTEE, at)


def mentor(
    world,
    given="Heinz",
    family="Brückner",
    *,
    programme=None,
    at=StepKind.FIRST_MEETING,
    site=None,
    **profile,
) -> Enrolment:
    somebody = person(world, given, family, role=PoolRole.VOLUNTEER, site=site)
    mentor_profile(somebody, **profile)
    return enrol_at(programme or world.programme_a, somebody, EnrolmentRole.MENTOR, at)


def ready_pair(world, **mentor_profile_options) -> Pair:
    """A mentee and a cleared, trained mentor at the first-meeting step, as an
    accepted matching decision leaves them."""
    return Pair(mentee(world), mentor(world, **mentor_profile_options))


def tandem(
    world,
    given: str,
    family: str,
    *,
    status: str = TandemStatus.ACTIVE,
    coordinator=UNSET,
    site=None,
    programme=None,
    started_days_ago: int | None = 30,
    last_meeting_days_ago: int | None = 3,
    **fields,
) -> Tandem:
    """A tandem of a new mentee with a new mentor, written directly."""
    today = timezone.localdate()
    programme = programme or world.programme_a
    site = site or world.site_a1
    mentee_enrolment = enrol_at(
        programme, person(world, given, family, site=site), EnrolmentRole.MENTEE, StepKind.TANDEM
    )
    mentor_enrolment = enrol_at(
        programme,
        person(world, f"Mentor{given}", f"Mentor{family}", role=PoolRole.VOLUNTEER, site=site),
        EnrolmentRole.MENTOR,
        StepKind.TANDEM,
    )
    started = (
        today - datetime.timedelta(days=started_days_ago) if started_days_ago is not None else None
    )
    values = {
        "started_on": started,
        "planned_end_on": started + datetime.timedelta(days=180) if started is not None else None,
        "agreement_signed_on": started,
        "last_meeting_on": (
            today - datetime.timedelta(days=last_meeting_days_ago)
            if last_meeting_days_ago is not None
            else None
        ),
        **fields,
    }
    return Tandem.objects.create(
        organisation=programme.organisation,
        programme=programme,
        mentee=mentee_enrolment,
        mentor=mentor_enrolment,
        site=site,
        coordinator=world.alice if coordinator is UNSET else coordinator,
        status=status,
        **values,
    )
