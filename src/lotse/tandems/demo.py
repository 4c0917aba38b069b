"""Demo tandems: the mentees past the pairing step of each demo programme get
a tandem with a mentor further along, in every status, with meeting histories
(some of them overdue), support hours, evaluations (their answers come from the
surveys demo), outcomes and follow-ups.
Written directly, like the other demo data; deterministic (seeded). Mentors at
the pairing step are left free for a matching session."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.core.dates import add_months
from lotse.core.models import Organisation
from lotse.people.models import VolunteerProfile
from lotse.programmes.models import Enrolment, EnrolmentRole, Programme, StepKind

from .models import (
    FOLLOWED_UP,
    EndReason,
    Evaluation,
    EvaluationKind,
    FollowUp,
    FollowUpResult,
    Meeting,
    MeetingMode,
    MeetingTopic,
    Outcome,
    OutcomeKind,
    Respondent,
    SupportActivity,
    SupportTime,
    Tandem,
    TandemStatus,
    TandemStatusChange,
)

# The mentee's step decides what the demo tandem has been through.
FORMING_STEPS = (StepKind.FIRST_MEETING, StepKind.AGREEMENT)
GOALS = (
    "Bewerbungsunterlagen erstellen und sich auf Ausbildungsplätze bewerben",
    "Deutsch im Berufsalltag üben und ein Praktikum finden",
    "Anerkennung des Abschlusses beantragen und eine Stelle in der Pflege finden",
    "Vorstellungsgespräche üben und eine Teilzeitstelle finden, die zur Kinderbetreuung passt",
    "Einen Minijob finden und den Weg zur Ausbildung planen",
)
OUTCOMES = (
    (OutcomeKind.EMPLOYMENT, 5),
    (OutcomeKind.APPRENTICESHIP, 3),
    (OutcomeKind.INTERNSHIP, 2),
    (OutcomeKind.ENTRY_QUALIFICATION, 1),
    (OutcomeKind.FURTHER_EDUCATION, 1),
    (OutcomeKind.NONE, 2),
    (OutcomeKind.UNKNOWN, 1),
)
EARLY_REASONS = (
    EndReason.MENTEE_WITHDREW,
    EndReason.MENTOR_WITHDREW,
    EndReason.CONTACT_LOST,
    EndReason.MOVED_AWAY,
)


def extend_demo(organisation: Organisation) -> None:
    rng = random.Random(2028)  # noqa: S311 - demo data, not security  # nosec B311
    today = timezone.localdate()
    coordinator = (
        Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    staff = coordinator.user if coordinator else None
    for programme in Programme.objects.filter(organisation=organisation).order_by("pk"):
        _tandems_of(programme, staff, today, rng)


def _tandems_of(programme: Programme, staff, today: datetime.date, rng: random.Random) -> None:
    later = (StepKind.FIRST_MEETING, StepKind.AGREEMENT, StepKind.TANDEM, StepKind.EVALUATION)
    enrolments = Enrolment.objects.filter(programme=programme, step__kind__in=later)
    mentees = list(
        enrolments.filter(role=EnrolmentRole.MENTEE).select_related("person", "step").order_by("pk")
    )
    mentors = list(
        enrolments.filter(
            role=EnrolmentRole.MENTOR, person__volunteer__training_completed_on__isnull=False
        )
        .select_related("person__volunteer")
        .order_by("pk")
    )
    places = [m for m in mentors for _place in range(m.person.volunteer.capacity)]
    rng.shuffle(places)
    for mentee, mentor in zip(mentees, places, strict=False):
        # A mentor with a tandem is trained and cleared.
        VolunteerProfile.objects.filter(person=mentor.person, police_clearance_on=None).update(
            police_clearance_on=today - datetime.timedelta(days=rng.randint(60, 700))
        )
        _tandem(programme, mentee, mentor, staff, today, rng)


def _tandem(programme, mentee, mentor, staff, today, rng: random.Random) -> None:
    kind = mentee.step.kind
    months = programme.max_duration_months
    length = (add_months(today, months) - today).days
    if kind in FORMING_STEPS:
        created = today - datetime.timedelta(days=rng.randint(2, 25))
        status, started = TandemStatus.FORMING, None
    elif kind == StepKind.TANDEM:
        started = today - datetime.timedelta(days=rng.randint(10, length - 5))
        created = started - datetime.timedelta(days=rng.randint(5, 15))
        status = TandemStatus.PAUSED if rng.random() < 0.08 else TandemStatus.ACTIVE
    else:
        started = today - datetime.timedelta(days=rng.randint(length + 10, length + 200))
        created = started - datetime.timedelta(days=rng.randint(5, 15))
        status = TandemStatus.COMPLETED if rng.random() < 0.8 else TandemStatus.ENDED_EARLY
    planned_end = add_months(started, months) if started else None
    ended = None
    if status == TandemStatus.COMPLETED:
        ended = min(planned_end, today - datetime.timedelta(days=1))
    elif status == TandemStatus.ENDED_EARLY:
        ended = started + datetime.timedelta(days=rng.randint(20, length - 20))
    tandem = Tandem(
        organisation_id=programme.organisation_id,
        programme=programme,
        mentee=mentee,
        mentor=mentor,
        site=mentee.person.site,
        coordinator=staff,
        status=status,
        goals=rng.choice(GOALS),
        started_on=started,
        planned_end_on=planned_end,
        agreement_signed_on=started,
        ended_on=ended,
    )
    if ended:
        tandem.end_reason = (
            EndReason.PLANNED_END if status == TandemStatus.COMPLETED else rng.choice(EARLY_REASONS)
        )
    tandem.save()
    Tandem.objects.filter(pk=tandem.pk).update(created_at=_moment(created))
    history = [("", TandemStatus.FORMING, created)]
    if started:
        history.append((TandemStatus.FORMING, TandemStatus.ACTIVE, started))
    if status == TandemStatus.PAUSED:
        history.append((TandemStatus.ACTIVE, status, today - datetime.timedelta(days=5)))
    if ended:
        history.append((TandemStatus.ACTIVE, status, ended))
    changes = TandemStatusChange.objects.bulk_create(
        TandemStatusChange(
            organisation_id=tandem.organisation_id,
            tandem=tandem,
            from_status=from_status,
            to_status=to_status,
            changed_by=staff,
        )
        for from_status, to_status, _day in history
    )
    for change, (_from, _to, day) in zip(changes, history, strict=True):
        TandemStatusChange.objects.filter(pk=change.pk).update(changed_at=_moment(day))
    meetings = _meetings(tandem, mentee.step.kind, created, today, staff, rng)
    if meetings:
        Tandem.objects.filter(pk=tandem.pk).update(
            first_meeting_on=meetings[0].held_on, last_meeting_on=meetings[-1].held_on
        )
    if started and staff:
        SupportTime.objects.bulk_create(
            SupportTime(
                organisation_id=tandem.organisation_id,
                tandem=tandem,
                spent_on=min(today, started + datetime.timedelta(days=rng.randint(0, 120))),
                minutes=rng.choice((15, 20, 30, 45, 60, 90)),
                activity=rng.choice(SupportActivity.values),
                staff=staff,
            )
            for _entry in range(rng.randint(1, 4))
        )
    _evaluations(tandem, today, staff, rng)
    if ended:
        _outcome(tandem, ended, today, staff, rng)


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _meetings(tandem: Tandem, step_kind, created, today, staff, rng) -> list[Meeting]:
    """Weekly meetings, sometimes skipped; about one active tandem in four
    stopped meeting a few weeks ago, which Lotse flags as overdue."""
    if step_kind == StepKind.FIRST_MEETING:
        return []
    if step_kind == StepKind.AGREEMENT:
        days = [created + datetime.timedelta(days=rng.randint(1, max(1, (today - created).days)))]
    else:
        start = tandem.started_on
        stop = tandem.ended_on or today
        if tandem.status == TandemStatus.ACTIVE and rng.random() < 0.25:
            stop = today - datetime.timedelta(days=rng.randint(16, 40))
        elif tandem.status == TandemStatus.PAUSED:
            stop = today - datetime.timedelta(days=6)
        days, day = [], start
        while day <= stop:
            if rng.random() < 0.85:
                days.append(day)
            day += datetime.timedelta(days=rng.choice((6, 7, 7, 7, 8, 14)))
        days = days or [start]
    topics = MeetingTopic.values
    return Meeting.objects.bulk_create(
        Meeting(
            organisation_id=tandem.organisation_id,
            tandem=tandem,
            site_id=tandem.site_id,
            programme_id=tandem.programme_id,
            held_on=day,
            duration_minutes=rng.choice((45, 60, 60, 90, 120)),
            mode=rng.choices(MeetingMode.values, weights=(6, 2, 2))[0],
            topics=rng.sample(topics, rng.randint(1, 3)),
            recorded_by=staff,
        )
        for day in days
    )


def _evaluations(tandem: Tandem, today, staff, rng) -> None:
    answers = []
    midterm = tandem.midterm_on()
    if midterm and midterm <= today and rng.random() < 0.7:
        answers.append((EvaluationKind.MIDTERM, midterm))
    if tandem.ended_on and rng.random() < 0.6:
        answers.append((EvaluationKind.FINAL, tandem.ended_on))
    Evaluation.objects.bulk_create(
        Evaluation(
            organisation_id=tandem.organisation_id,
            tandem=tandem,
            kind=kind,
            respondent=respondent,
            answered_on=min(today, day + datetime.timedelta(days=rng.randint(0, 7))),
            recorded_by=staff,
        )
        for kind, day in answers
        for respondent in Respondent.values
    )


def _outcome(tandem: Tandem, ended, today, staff, rng) -> None:
    kinds, weights = zip(*OUTCOMES, strict=True)
    kind = rng.choices(kinds, weights=weights)[0]
    employment = kind == OutcomeKind.EMPLOYMENT
    Outcome.objects.create(
        organisation_id=tandem.organisation_id,
        tandem=tandem,
        kind=kind,
        achieved_on=ended - datetime.timedelta(days=rng.randint(0, 30)),
        contract_start=ended - datetime.timedelta(days=rng.randint(0, 30)) if employment else None,
        permanent=rng.random() < 0.4 if employment else None,
        three_months_or_more=rng.random() < 0.85 if employment else None,
        social_insurance=rng.random() < 0.8 if employment else None,
        recorded_by=staff,
    )
    if kind not in FOLLOWED_UP:
        return
    for months in (3, 6):
        due = add_months(ended, months)
        done = due < today - datetime.timedelta(days=10)
        FollowUp.objects.create(
            organisation_id=tandem.organisation_id,
            tandem=tandem,
            months=months,
            due_on=due,
            result=rng.choices(FollowUpResult.values, weights=(7, 2, 1))[0] if done else "",
            recorded_on=due + datetime.timedelta(days=rng.randint(0, 9)) if done else None,
            recorded_by=staff if done else None,
        )
