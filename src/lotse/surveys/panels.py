"""The tandem page's section of this app: the answers of the tandem's
mid-term check and final evaluation, with the way to record them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from lotse.accounts.roles import EDIT_TANDEMS, VIEW_TANDEMS
from lotse.tandems.models import Evaluation, EvaluationKind, Respondent, Tandem, TandemStatus

from .models import Answer
from .services import shown_answer


def evaluations_panel(request: HttpRequest, tandem: Tandem) -> dict[str, Any] | None:
    if not request.membership.has_perm(VIEW_TANDEMS):
        return None
    evaluations = {
        (evaluation.kind, evaluation.respondent): evaluation
        for evaluation in Evaluation.objects.filter(tandem=tandem).select_related("recorded_by")
    }
    answers: dict[int, list[tuple[str, str]]] = {}
    for answer in (
        Answer.objects.filter(response__evaluation__tandem=tandem)
        .select_related("question", "response")
        .order_by("question__position", "question_id")
    ):
        answers.setdefault(answer.response.evaluation_id, []).append(
            (answer.question.text, shown_answer(answer))
        )
    can_record = request.membership.has_perm(EDIT_TANDEMS) and tandem.status != (
        TandemStatus.FORMING
    )
    groups = []
    for kind, kind_label in EvaluationKind.choices:
        rows = []
        for respondent, respondent_label in Respondent.choices:
            evaluation = evaluations.get((kind, respondent))
            rows.append(
                {
                    "id": f"evaluation-{kind}-{respondent}",
                    "respondent": respondent_label,
                    "evaluation": evaluation,
                    "answers": answers.get(evaluation.pk, []) if evaluation else [],
                    "url": reverse("surveys:tandem_evaluation", args=[tandem.pk, kind, respondent]),
                }
            )
        groups.append({"label": kind_label, "rows": rows})
    return {"groups": groups, "can_record": can_record}
