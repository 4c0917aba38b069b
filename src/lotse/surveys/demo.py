"""Demo surveys: the feedback on the last info event with the answers of
those who came, and a training survey not yet answered."""

from __future__ import annotations

import random

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.core.models import Organisation
from lotse.programmes.models import Event, EventKind

from . import services
from .models import QuestionKind

COMMENTS = (
    "Sehr gut erklärt, danke!",
    "Mehr Zeit für Fragen wäre schön.",
    "Ich möchte gern eine Mentorin.",
    "Die Dolmetscherin war eine große Hilfe.",
)


def extend_demo(organisation: Organisation) -> None:
    rng = random.Random(2031)  # noqa: S311 - demo data, not security
    membership = (
        Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR)
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    if membership is None:
        return
    staff = membership.user
    staff.membership = membership
    event = (
        Event.objects.filter(organisation=organisation, kind=EventKind.INFO_EVENT)
        .order_by("-starts_at")
        .first()
    )
    feedback = services.create_survey(
        actor=staff,
        organisation_id=organisation.pk,
        data={
            "title": "Rückmeldung zur Infoveranstaltung",
            "introduction": "Danke, dass Sie da waren! Die Umfrage dauert zwei Minuten.",
            "template": "info_event",
            "programme": event.programme if event else None,
            "event": event,
        },
    )
    questions = list(feedback.questions.all())
    for _answer in range(26):
        answers = {}
        for question in questions:
            if question.kind == QuestionKind.SCALE:
                answers[question.pk] = rng.choice((3, 4, 4, 5, 5))
            elif question.kind == QuestionKind.SINGLE:
                answers[question.pk] = rng.choice((0, 0, 1, 2))
            elif question.kind == QuestionKind.MULTIPLE:
                answers[question.pk] = rng.sample(range(len(question.choices)), rng.randint(1, 2))
            elif rng.random() < 0.3:
                answers[question.pk] = rng.choice(COMMENTS)
        services.record_response(survey=feedback, answers=answers)
    services.create_survey(
        actor=staff,
        organisation_id=organisation.pk,
        data={"title": "Rückmeldung zur Basisschulung", "introduction": "", "template": "training"},
    )
