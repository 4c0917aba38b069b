"""Demo programmes: "Job Coaches" and a DUO-style tandem programme, with the
pool's mentees and mentors spread over the mentoring cycle, and past and future
events. Written directly, like the other demo data; deterministic (seeded)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.core.models import Organisation, Site
from lotse.people.models import Person, PoolRole, VolunteerProfile

from .catalogues import MENTORING
from .models import (
    Enrolment,
    EnrolmentRole,
    Event,
    EventKind,
    Programme,
    Registration,
    RegistrationStatus,
    Step,
    StepTransition,
)

PROGRAMMES = (
    ("Job Coaches", "Ehrenamtliche Job Coaches begleiten Geflüchtete auf dem Weg in Arbeit."),
    (
        "Tandem für Arbeit",
        "Mentoring nach dem DUO-Prinzip: ein Tandem, sechs Monate, ein Treffen pro Woche.",
    ),
)
# How enrolments spread over the 8 steps (weights per step position).
MENTEE_SPREAD = (15, 12, 0, 35, 5, 5, 20, 8)
MENTOR_SPREAD = (8, 8, 14, 50, 4, 4, 10, 2)


def extend_demo(organisation: Organisation) -> None:
    rng = random.Random(2027)  # noqa: S311 - demo data, not security  # nosec B311
    now = timezone.now()
    sites = list(Site.objects.filter(organisation=organisation).order_by("pk"))
    coordinator = (
        Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR)
        .order_by("pk")
        .first()
    )
    actor = coordinator.user if coordinator else None
    programmes = []
    for name, description in PROGRAMMES:
        programme = Programme.objects.create(
            organisation=organisation, name=name, description=description
        )
        Step.objects.bulk_create(
            Step(
                organisation=organisation, programme=programme, position=position, **step._asdict()
            )
            for position, step in enumerate(MENTORING, start=1)
        )
        programmes.append(programme)
    steps = {p.pk: list(p.steps.order_by("position")) for p in programmes}
    people = Person.objects.filter(organisation=organisation).prefetch_related("roles")
    enrolments, histories = [], []
    for person in people.order_by("pk"):
        for person_role in person.roles.all():
            role = (
                EnrolmentRole.MENTEE
                if person_role.role == PoolRole.PARTICIPANT
                else EnrolmentRole.MENTOR
            )
            programme = programmes[rng.randrange(len(programmes))]
            cycle = [step for step in steps[programme.pk] if step.applies_to(role)]
            spread = MENTEE_SPREAD if role == EnrolmentRole.MENTEE else MENTOR_SPREAD
            weights = [spread[step.position - 1] for step in cycle]
            at = rng.choices(range(len(cycle)), weights=weights)[0]
            enrolled_at = now - datetime.timedelta(days=rng.randint(20 + 25 * at, 40 + 30 * at))
            moments = sorted(enrolled_at + (now - enrolled_at) * rng.random() for _ in range(at))
            enrolment = Enrolment(
                organisation=organisation,
                programme=programme,
                person=person,
                role=role,
                step=cycle[at],
                enrolled_at=enrolled_at,
                step_since=moments[-1] if moments else enrolled_at,
            )
            enrolments.append(enrolment)
            histories.append((enrolment, cycle[: at + 1], [enrolled_at, *moments]))
            if role == EnrolmentRole.MENTOR and any(s.kind == "training" for s in cycle[:at]):
                trained = next(
                    m for s, m in zip(cycle[1:], moments, strict=False) if s.kind != "intake"
                )
                VolunteerProfile.objects.filter(person=person).update(
                    training_completed_on=trained.date()
                )
    Enrolment.objects.bulk_create(enrolments)
    StepTransition.objects.bulk_create(
        StepTransition(
            organisation=organisation,
            enrolment=enrolment,
            from_step=passed[index - 1] if index else None,
            to_step=step,
            moved_by=actor,
            moved_at=moment,
        )
        for enrolment, passed, when in histories
        for index, (step, moment) in enumerate(zip(passed, when, strict=True))
    )
    _events(organisation, programmes, sites, actor, now, rng)


def _events(organisation, programmes, sites, actor, now, rng: random.Random) -> None:
    def at(days: int, hour: int) -> datetime.datetime:
        day = timezone.localtime(now).replace(hour=hour, minute=0, second=0, microsecond=0)
        return day + datetime.timedelta(days=days)

    plan = [
        # (kind, title, programme, site, days from today, hour, hours, capacity)
        (EventKind.INFO_EVENT, "Infoabend Job Coaches", 0, 0, -14, 18, 2, 30),
        (EventKind.INFO_EVENT, "Infoabend Tandem für Arbeit", 1, 1, -7, 18, 2, 25),
        (EventKind.INFO_EVENT, "Infoabend Job Coaches", 0, 0, 10, 18, 2, 30),
        (EventKind.INFO_EVENT, "Infoabend Tandem für Arbeit", 1, 1, 17, 18, 2, 8),
        (EventKind.TRAINING, "Basisschulung für Mentor:innen", 0, 0, -21, 10, 6, 16),
        (EventKind.TRAINING, "Basisschulung für Mentor:innen", 1, 1, 24, 10, 6, 16),
        (EventKind.WORKSHOP, "Workshop: Bewerbungsunterlagen", None, 0, 5, 17, 2, 20),
        (EventKind.MATCHING_SESSION, "Tandembildung Dezember", 1, 1, 3, 14, 2, None),
    ]
    for kind, title, programme, site, days, hour, hours, capacity in plan:
        event = Event.objects.create(
            organisation=organisation,
            kind=kind,
            title=title,
            programme=programmes[programme] if programme is not None else None,
            site=sites[site],
            starts_at=at(days, hour),
            ends_at=at(days, hour) + datetime.timedelta(hours=hours),
            place=f"{sites[site].name}, Raum {rng.randint(1, 20)}",
            capacity=capacity,
        )
        step_kind = "training" if kind == EventKind.TRAINING else "info_event"
        waiting_here = Enrolment.objects.filter(
            organisation=organisation, step__kind=step_kind, person__site=sites[site]
        )
        if event.programme is not None:
            waiting_here = waiting_here.filter(programme=event.programme)
        candidates = [e.person for e in waiting_here.select_related("person").order_by("pk")]
        chosen = rng.sample(candidates, min(len(candidates), (capacity or 12) + 3))
        registrations = []
        for index, person in enumerate(chosen):
            full = capacity is not None and index >= capacity
            registrations.append(
                Registration(
                    organisation=organisation,
                    event=event,
                    person=person,
                    status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
                    registered_by=actor,
                    registered_at=event.starts_at - datetime.timedelta(days=20 - index % 10),
                    # Attendance of past events is left for the coordinator to
                    # record: it moves the attendees' enrolments on.
                )
            )
        Registration.objects.bulk_create(registrations)
