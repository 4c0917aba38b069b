"""The tandems' fixed questionnaire is carried over into surveys: every
earlier answer becomes a response to a questionnaire of its organisation,
linked to the tandem's evaluation record (surveys 0003)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from django_scopes import scopes_disabled

from lotse.surveys import services
from lotse.surveys.models import Response, Survey

BEFORE = [("surveys", "0001_initial"), ("tandems", "0004_meeting_period_tandem")]


@pytest.mark.django_db(transaction=True)
def test_the_old_answers_become_responses_of_a_questionnaire(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("tandems", "Evaluation")
    day = datetime.date(2026, 3, 2)
    for kind, respondent, satisfaction, goals, comment in (
        ("midterm", "mentee", 3, "partly", ""),
        ("final", "mentee", 5, "yes", "  Hat sich gelohnt. "),
        ("final", "mentor", 2, "no", ""),
    ):
        old.objects.create(
            organisation_id=world.org_a.pk,
            tandem_id=world.tandem_a.pk,
            kind=kind,
            respondent=respondent,
            satisfaction=satisfaction,
            goals_reached=goals,
            comment=comment,
            answered_on=day,
            recorded_by_id=world.alice.pk,
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    with scopes_disabled(), translation.override("de"):
        final = Survey.objects.get(kind="final")
        midterm = Survey.objects.get(kind="midterm")
        assert final.title == "Abschlussauswertung der Tandems" and final.is_open
        assert final.organisation_id == world.org_a.pk and final.programme is None
        assert [q.kind for q in final.questions.order_by("position")] == [
            "scale",
            "single",
            "text",
        ]
        assert final.questions.get(position=2).choices == ["ja", "teilweise", "nein"]
        mentee = Response.objects.get(
            evaluation__tandem=world.tandem_a,
            evaluation__kind="final",
            evaluation__respondent="mentee",
        )
        assert mentee.survey == final and mentee.submitted_on == day
        assert [
            services.shown_answer(a) for a in mentee.answers.order_by("question__position")
        ] == [
            "5 von 5",
            "ja",
            "Hat sich gelohnt.",
        ]
        mentor = Response.objects.get(evaluation__kind="final", evaluation__respondent="mentor")
        assert [
            services.shown_answer(a) for a in mentor.answers.order_by("question__position")
        ] == [
            "2 von 5",
            "nein",
        ]
        assert midterm.responses.get().answers.get(question__position=2).number == 1
        # The questionnaire carries on: the tandem's next answers go to it.
        assert services.questionnaire_for(world.tandem_a, "final") == final
