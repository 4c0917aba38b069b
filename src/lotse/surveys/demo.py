"""Demo surveys: the feedback on the last info event with the answers of
those who came, a training survey not yet answered, and the tandems'
questionnaires for the mid-term check and the final evaluation with the
answers behind every evaluation the tandems demo recorded."""

from __future__ import annotations

import random

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.core.models import Organisation
from lotse.programmes.models import Event, EventKind
from lotse.tandems.models import Evaluation

from . import services
from .catalogues import TANDEM_TITLES
from .models import TANDEM_TEMPLATES, QuestionKind, Survey

COMMENTS = (
    "Sehr gut erklärt, danke!",
    "Mehr Zeit für Fragen wäre schön.",
    "Ich möchte gern eine Mentorin.",
    "Die Dolmetscherin war eine große Hilfe.",
)


def extend_demo(organisation: Organisation) -> None:
    rng = random.Random(2031)  # noqa: S311 - demo data, not security  # nosec B311
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
    for _answer in range(26):
        services.record_response(survey=feedback, answers=_answers(feedback, rng, COMMENTS))
    services.create_survey(
        actor=staff,
        organisation_id=organisation.pk,
        data={"title": "Rückmeldung zur Basisschulung", "introduction": "", "template": "training"},
    )
    _tandem_answers(organisation, membership, staff, rng)


def _answers(survey: Survey, rng: random.Random, comments) -> dict:
    answers = {}
    for question in survey.questions.all():
        if question.kind == QuestionKind.SCALE:
            answers[question.pk] = rng.choice((3, 4, 4, 5, 5))
        elif question.kind == QuestionKind.SINGLE:
            answers[question.pk] = rng.choice((0, 0, 1, len(question.choices) - 1))
        elif question.kind == QuestionKind.MULTIPLE:
            answers[question.pk] = rng.sample(range(len(question.choices)), rng.randint(1, 3))
        elif rng.random() < 0.4:
            answers[question.pk] = rng.choice(comments)
    return answers


def _tandem_answers(organisation, membership, staff, rng: random.Random) -> None:
    """The answers behind the tandems' recorded evaluations, to the questionnaire
    of each kind for all programmes."""
    for kind, template in TANDEM_TEMPLATES.items():
        survey = services._create(
            staff,
            membership,
            organisation.pk,
            template,
            {"title": str(TANDEM_TITLES[kind]), "kind": kind},
        )
        for evaluation in Evaluation.objects.filter(organisation=organisation, kind=kind):
            rows = services._answers(survey, _answers(survey, rng, TANDEM_COMMENTS))
            services._keep(survey, rows, evaluation.answered_on, evaluation)


TANDEM_COMMENTS = (
    "Wir treffen uns gern, die Bewerbungen sind fertig.",
    "Mehr Zeit für die Sprache wäre gut.",
    "Die Treffen am Samstag passen am besten.",
    "Danke für die Begleitung!",
)
