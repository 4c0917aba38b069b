"""The tandems' own fixed questionnaire (satisfaction, goals reached,
comment) becomes a questionnaire of each organisation that used it, one for
the mid-term check and one for the final evaluation; every earlier answer
becomes a response to it, linked to the tandem's evaluation record. Written
in German, the default language of the interface."""

import datetime
import secrets

from django.db import migrations
from django.utils import timezone

TITLES = {
    "midterm": "Zwischenauswertung der Tandems",
    "final": "Abschlussauswertung der Tandems",
}
QUESTIONS = (
    ("scale", "Wie zufrieden sind Sie mit dem Tandem?", [], True),
    ("single", "Wurden die Ziele erreicht?", ["ja", "teilweise", "nein"], True),
    ("text", "Was möchten Sie uns sagen?", [], False),
)
GOALS = ("yes", "partly", "no")


def carry_over(apps, schema_editor):
    Evaluation = apps.get_model("tandems", "Evaluation")
    Survey = apps.get_model("surveys", "Survey")
    Question = apps.get_model("surveys", "Question")
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    pairs = Evaluation.objects.values_list("organisation_id", "kind").distinct()
    for organisation_id, kind in sorted(set(pairs)):
        evaluations = list(
            Evaluation.objects.filter(organisation_id=organisation_id, kind=kind).order_by("pk")
        )
        first = min(evaluations, key=lambda evaluation: evaluation.answered_on)
        survey = Survey.objects.create(
            organisation_id=organisation_id,
            title=TITLES[kind],
            kind=kind,
            token=secrets.token_urlsafe(16),
            is_open=True,
            created_by_id=None,
        )
        # The questionnaire was in use since its first answer.
        Survey.objects.filter(pk=survey.pk).update(created_at=_start_of(first.answered_on))
        satisfaction, goals, comment = (
            Question.objects.create(
                organisation_id=organisation_id,
                survey=survey,
                position=position,
                kind=question_kind,
                text=text,
                choices=choices,
                required=required,
            )
            for position, (question_kind, text, choices, required) in enumerate(QUESTIONS, 1)
        )
        answers = []
        for evaluation in evaluations:
            response = Response.objects.create(
                organisation_id=organisation_id,
                survey=survey,
                submitted_on=evaluation.answered_on,
                evaluation=evaluation,
            )
            answers.append(
                Answer(
                    organisation_id=organisation_id,
                    response=response,
                    question=satisfaction,
                    number=evaluation.satisfaction,
                )
            )
            answers.append(
                Answer(
                    organisation_id=organisation_id,
                    response=response,
                    question=goals,
                    number=GOALS.index(evaluation.goals_reached),
                )
            )
            if evaluation.comment.strip():
                answers.append(
                    Answer(
                        organisation_id=organisation_id,
                        response=response,
                        question=comment,
                        text=evaluation.comment.strip(),
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=1000)


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_tandem_evaluations"),
        ("tandems", "0004_meeting_period_tandem"),
    ]

    # Backwards, the carried-over questionnaires stay as surveys (the fixed
    # fields come back empty: only a database without answers goes back).
    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop, elidable=False)]
