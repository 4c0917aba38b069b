"""Use cases of surveys: set one up from a template, change its questions
until the first response, open and close it, record an anonymous response,
and count the results."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import MANAGE_SURVEYS
from lotse.core import audit
from lotse.core.exceptions import ServiceError
from lotse.core.permissions import actor_membership

from .catalogues import TEMPLATES
from .models import Answer, Question, QuestionKind, Response, Survey

SURVEY_CREATED = audit.register_action("lotse.survey.created", gettext_lazy("Survey created"))
SURVEY_CHANGED = audit.register_action("lotse.survey.changed", gettext_lazy("Survey changed"))

SCALE = range(1, 6)
MAX_CHOICES = 20


class InvalidInput(ServiceError):
    pass


def _member(actor: User, organisation_id: int):
    return actor_membership(
        actor, organisation_id, MANAGE_SURVEYS, _("You may not set up or change surveys.")
    )


def _record(actor: User, membership, action: str, survey: Survey, changed=()) -> None:
    audit.record(
        actor=actor,
        organisation=membership.organisation,
        action=action,
        target=survey,
        changed_fields=changed,
    )


def create_survey(*, actor: User, organisation_id: int, data: dict[str, Any]) -> Survey:
    membership = _member(actor, organisation_id)
    template = data.pop("template")
    for related in (data.get("programme"), data.get("event")):
        if related is not None and related.organisation_id != organisation_id:
            raise InvalidInput(_("Choose a programme and an event of your organisation."))
    with transaction.atomic():
        survey = Survey.objects.create(organisation_id=organisation_id, created_by=actor, **data)
        Question.objects.bulk_create(
            Question(
                organisation_id=organisation_id,
                survey=survey,
                position=position,
                kind=question.kind,
                text=str(question.text),
                choices=[str(choice) for choice in question.choices],
                required=question.required,
            )
            for position, question in enumerate(TEMPLATES[template], start=1)
        )
        _record(actor, membership, SURVEY_CREATED, survey)
    return survey


def _unanswered(survey: Survey) -> None:
    if Response.objects.filter(survey=survey).exists():
        raise InvalidInput(_("The survey has responses: its questions stay as they were answered."))


def add_question(*, actor: User, survey: Survey, data: dict[str, Any]) -> Question:
    membership = _member(actor, survey.organisation_id)
    kind = data["kind"]
    choices = [choice.strip() for choice in data.get("choices", []) if choice.strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(choices) < 2:
            raise InvalidInput(_("Give at least two choices, one per line."))
        if len(choices) > MAX_CHOICES:
            raise InvalidInput(_("Give at most %(count)s choices.") % {"count": MAX_CHOICES})
    else:
        choices = []
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _unanswered(survey)
        last = survey.questions.aggregate(last=Max("position"))["last"] or 0
        question = Question.objects.create(
            organisation_id=survey.organisation_id,
            survey=survey,
            position=last + 1,
            kind=kind,
            text=data["text"],
            choices=choices,
            required=data.get("required", False),
        )
        _record(actor, membership, SURVEY_CHANGED, survey, ["questions"])
    return question


def remove_question(*, actor: User, question: Question) -> None:
    membership = _member(actor, question.organisation_id)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.survey_id)
        _unanswered(survey)
        question.delete()
        _record(actor, membership, SURVEY_CHANGED, survey, ["questions"])


def set_open(*, actor: User, survey: Survey, is_open: bool) -> Survey:
    membership = _member(actor, survey.organisation_id)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.is_open != is_open:
            survey.is_open = is_open
            survey.version += 1
            survey.save(update_fields=["is_open", "version"])
            _record(actor, membership, SURVEY_CHANGED, survey, ["is_open"])
    return survey


def record_response(*, survey: Survey, answers: dict[int, Any]) -> Response:
    """Keep an anonymous response: the answers and the day, nothing of who
    gave it (no user, no address, no audit entry, which would hold the
    address). `answers` maps a question's id to its cleaned value."""
    if not survey.is_open:
        raise InvalidInput(_("This survey is closed."))
    questions = list(survey.questions.all())
    rows = []
    for question in questions:
        value = answers.get(question.pk)
        empty = value in (None, "", [])
        if empty:
            if question.required:
                raise InvalidInput(_("Please answer every question marked as required."))
            continue
        answer = Answer(organisation_id=survey.organisation_id, question=question)
        if question.kind == QuestionKind.SCALE:
            if int(value) not in SCALE:
                raise InvalidInput(_("Choose a value from 1 to 5."))
            answer.number = int(value)
        elif question.kind == QuestionKind.SINGLE:
            if not 0 <= int(value) < len(question.choices):
                raise InvalidInput(_("Choose one of the answers given."))
            answer.number = int(value)
        elif question.kind == QuestionKind.MULTIPLE:
            picked = sorted({int(item) for item in value})
            if any(not 0 <= item < len(question.choices) for item in picked):
                raise InvalidInput(_("Choose among the answers given."))
            answer.picked = picked
        else:
            answer.text = str(value).strip()[:5000]
        rows.append(answer)
    with transaction.atomic():
        response = Response.objects.create(
            organisation_id=survey.organisation_id,
            survey=survey,
            submitted_on=timezone.localdate(),
        )
        for answer in rows:
            answer.response = response
        Answer.objects.bulk_create(rows)
    return response


@dataclass
class Result:
    question: Question
    answered: int = 0
    # (label, count) per scale value or choice.
    counts: list[tuple[str, int]] = field(default_factory=list)
    average: float | None = None
    texts: list[str] = field(default_factory=list)


def results(survey: Survey) -> tuple[int, list[Result]]:
    """The number of responses and each question's counts. Free texts come
    sorted alphabetically, not in the order given (which could tell who
    wrote which)."""
    responses = Response.objects.filter(survey=survey).count()
    found = []
    answers: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(question__survey=survey).order_by("pk"):
        answers.setdefault(answer.question_id, []).append(answer)
    for question in survey.questions.all():
        given = answers.get(question.pk, [])
        result = Result(question=question, answered=len(given))
        if question.kind == QuestionKind.SCALE:
            counts = Counter(answer.number for answer in given)
            result.counts = [(str(value), counts[value]) for value in SCALE]
            if given:
                result.average = round(sum(answer.number for answer in given) / len(given), 1)
        elif question.kind == QuestionKind.SINGLE:
            counts = Counter(answer.number for answer in given)
            result.counts = [
                (choice, counts[index]) for index, choice in enumerate(question.choices)
            ]
        elif question.kind == QuestionKind.MULTIPLE:
            counts = Counter(item for answer in given for item in answer.picked)
            result.counts = [
                (choice, counts[index]) for index, choice in enumerate(question.choices)
            ]
        else:
            result.texts = sorted(answer.text for answer in given if answer.text)
        found.append(result)
    return responses, found
