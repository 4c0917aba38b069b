"""Use cases of surveys: set one up from a template, change its questions
until the first response, open and close it, record an anonymous response
or the answers of a tandem's mid-term check or final evaluation, and count
the results."""

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
from lotse.accounts.roles import EDIT_TANDEMS, MANAGE_SURVEYS
from lotse.core import audit
from lotse.core.exceptions import Conflict, ServiceError
from lotse.core.permissions import actor_membership, check_sites
from lotse.tandems import services as tandems
from lotse.tandems.models import EvaluationKind, Respondent, Tandem

from .catalogues import TANDEM_TITLES, TEMPLATES
from .models import (
    TANDEM_TEMPLATES,
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
)

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
        survey = _create(actor, membership, organisation_id, template, data)
        _take_over(survey)
    return survey


def _create(actor: User, membership, organisation_id: int, template: str, data) -> Survey:
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


def _take_over(survey: Survey) -> None:
    """A tandem questionnaire that is set up or opened is the one new answers
    go to: the open one of its kind for the same programme (or for all)
    closes, so which questionnaire a tandem uses is never ambiguous."""
    if survey.is_anonymous or not survey.is_open:
        return
    others = Survey.objects.filter(
        organisation_id=survey.organisation_id,
        kind=survey.kind,
        programme_id=survey.programme_id,
        is_open=True,
    ).exclude(pk=survey.pk)
    for other in others.select_for_update():
        other.is_open = False
        other.version += 1
        other.save(update_fields=["is_open", "version"])


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
            _take_over(survey)
            _record(actor, membership, SURVEY_CHANGED, survey, ["is_open"])
    return survey


def _answers(survey: Survey, answers: dict[int, Any]) -> list[Answer]:
    """The answers to keep, checked against the survey's questions. `answers`
    maps a question's id to its cleaned value."""
    rows = []
    for question in survey.questions.all():
        value = answers.get(question.pk)
        if value in (None, "", []):
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
    return rows


def _keep(survey: Survey, rows: list[Answer], day, evaluation=None) -> Response:
    response = Response.objects.create(
        organisation_id=survey.organisation_id,
        survey=survey,
        submitted_on=day,
        evaluation=evaluation,
    )
    for answer in rows:
        answer.response = response
    Answer.objects.bulk_create(rows)
    return response


def record_response(*, survey: Survey, answers: dict[int, Any]) -> Response:
    """Keep an anonymous response: the answers and the day, nothing of who
    gave it (no user, no address, no audit entry, which would hold the
    address). `answers` maps a question's id to its cleaned value."""
    if not survey.is_anonymous:
        raise InvalidInput(_("This questionnaire is answered on the tandems' pages."))
    if not survey.is_open:
        raise InvalidInput(_("This survey is closed."))
    rows = _answers(survey, answers)
    with transaction.atomic():
        return _keep(survey, rows, timezone.localdate())


# --- a tandem's mid-term check and final evaluation --------------------------------


def _tandem_member(actor: User, tandem: Tandem):
    refusal = _("You may not record the evaluations of this tandem.")
    membership = actor_membership(actor, tandem.organisation_id, EDIT_TANDEMS, refusal)
    check_sites(membership, [tandem.site_id], refusal)
    return membership


def _check_kind(kind: str, respondent: str | None = None) -> None:
    if kind not in EvaluationKind.values or respondent not in (None, *Respondent.values):
        raise InvalidInput(_("Choose the evaluation and who answered."))


def _candidates(tandem: Tandem, kind: str):
    """The questionnaires of a kind that could serve a tandem: those of its
    programme first, then those for every programme."""
    mine = Survey.objects.filter(organisation_id=tandem.organisation_id, kind=kind)
    return (
        mine.filter(programme_id=tandem.programme_id).order_by("-created_at", "-pk"),
        mine.filter(programme__isnull=True).order_by("-created_at", "-pk"),
    )


def questionnaire_for(tandem: Tandem, kind: str) -> Survey | None:
    """The open questionnaire a tandem's mid-term check or final evaluation
    is answered with, or None while there is none."""
    _check_kind(kind)
    for candidates in _candidates(tandem, kind):
        found = candidates.filter(is_open=True).first()
        if found is not None:
            return found
    return None


def set_up_questionnaire(*, actor: User, tandem: Tandem, kind: str) -> Survey:
    """The questionnaire for all programmes from its template, for a tandem
    whose organisation has none of the kind yet; a closed one is not
    replaced behind its owners' backs."""
    membership = _tandem_member(actor, tandem)
    _check_kind(kind)
    with transaction.atomic():
        found = questionnaire_for(tandem, kind)
        if found is not None:
            return found
        if any(candidates.exists() for candidates in _candidates(tandem, kind)):
            raise InvalidInput(
                _(
                    "The questionnaire for this evaluation is closed. Open it again or "
                    "set up a new one under Surveys."
                )
            )
        return _create(
            actor,
            membership,
            tandem.organisation_id,
            TANDEM_TEMPLATES[kind],
            {"title": str(TANDEM_TITLES[kind]), "kind": kind},
        )


def record_tandem_evaluation(
    *,
    actor: User,
    tandem: Tandem,
    kind: str,
    respondent: str,
    answers: dict[int, Any],
    answered_on=None,
    replaces: int | None = None,
) -> Response:
    """The answers of the mentee or the mentor to the tandem's questionnaire
    of `kind`. Answering again replaces the earlier answers; `replaces` is
    the response the form showed (None: none), so answers recorded by
    someone else meanwhile are not overwritten unseen."""
    _tandem_member(actor, tandem)
    _check_kind(kind, respondent)
    survey = questionnaire_for(tandem, kind)
    if survey is None:
        raise InvalidInput(_("No questionnaire is open for this evaluation."))
    rows = _answers(survey, answers)
    with transaction.atomic():
        earlier = (
            Response.objects.select_for_update()
            .filter(
                evaluation__tandem=tandem,
                evaluation__kind=kind,
                evaluation__respondent=respondent,
            )
            .first()
        )
        if (earlier.pk if earlier else None) != replaces:
            raise Conflict(
                _(
                    "Someone else recorded these answers in the meantime; they are shown "
                    "above. Send yours again to replace them."
                )
            )
        evaluation = tandems.record_evaluation(
            actor=actor, tandem=tandem, kind=kind, respondent=respondent, answered_on=answered_on
        )
        if earlier is not None:
            earlier.delete()
        return _keep(survey, rows, evaluation.answered_on, evaluation)


def shown_answer(answer: Answer) -> str:
    """An answer as a sentence part: "4 of 5", the choice, the choices, the text."""
    question = answer.question
    if question.kind == QuestionKind.SCALE:
        return _("%(value)s of 5") % {"value": answer.number}
    if question.kind == QuestionKind.SINGLE:
        return _choice(question, answer.number)
    if question.kind == QuestionKind.MULTIPLE:
        return ", ".join(_choice(question, index) for index in answer.picked)
    return answer.text


def _choice(question: Question, index: int | None) -> str:
    if index is None or not 0 <= index < len(question.choices):
        return "–"
    return question.choices[index]


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
