"""Surveys: set up from a template, questions fixed once answered, the
anonymous link that records a response without a login and without
anything of who answered, the results, and closing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from lotse.core.exceptions import ServiceError
from lotse.core.models import AuditEntry
from lotse.surveys import services
from lotse.surveys.models import Answer, Question, Response, Survey
from lotse.tandems.models import Evaluation

from ..tandems.helpers import acting

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    return services.create_survey(
        actor=acting(world.alice),
        organisation_id=world.org_a.pk,
        data={"title": "Infoabend März", "template": "info_event", "introduction": ""},
    )


def _answers(survey):
    questions = list(survey.questions.all())
    return questions, {
        f"q{questions[0].pk}": "4",
        f"q{questions[1].pk}": "5",
        f"q{questions[2].pk}": "0",
        f"q{questions[3].pk}": ["1", "3"],
        f"q{questions[4].pk}": "Sehr hilfreich, danke!",
    }


def test_a_survey_starts_from_its_template(survey):
    kinds = list(survey.questions.values_list("kind", flat=True))
    assert kinds == ["scale", "scale", "single", "multiple", "text"]
    assert survey.questions.get(position=3).choices == ["yes", "maybe", "no"]
    assert len(survey.token) >= 20


def test_the_anonymous_link_records_a_response_without_a_login_or_who_answered(
    world, client, survey
):
    url = reverse("surveys:respond", args=[survey.token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Infoabend März" in page.content.decode()
    entries = AuditEntry.objects.count()
    questions, answers = _answers(survey)
    response = client.post(url, answers, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Phone")
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=[survey.token])
    recorded = Response.objects.get(survey=survey)
    # The response holds the survey, the organisation and the day; no one.
    # (Only a tandem's evaluation links its response to the tandem's record.)
    assert {field.name for field in Response._meta.concrete_fields} == {
        "id",
        "organisation",
        "survey",
        "submitted_on",
        "evaluation",
    }
    assert recorded.evaluation_id is None
    assert {(a.question_id, a.number, tuple(a.picked), a.text) for a in recorded.answers.all()} == {
        (questions[0].pk, 4, (), ""),
        (questions[1].pk, 5, (), ""),
        (questions[2].pk, 0, (), ""),
        (questions[3].pk, None, (1, 3), ""),
        (questions[4].pk, None, (), "Sehr hilfreich, danke!"),
    }
    # No audit entry (it would keep the address), no session, no cookie but CSRF's.
    assert AuditEntry.objects.count() == entries
    assert "sessionid" not in response.cookies
    assert client.get(response["Location"]).status_code == 200


def test_a_required_question_and_bad_values_are_refused_with_the_form_again(client, survey):
    url = reverse("surveys:respond", args=[survey.token])
    questions, answers = _answers(survey)
    for changed in (
        {f"q{questions[0].pk}": ""},
        {f"q{questions[0].pk}": "9"},
        {f"q{questions[2].pk}": "7"},
        {f"q{questions[3].pk}": ["1", "99"]},
    ):
        response = client.post(url, answers | changed)
        assert response.status_code == 200
        page = response.content.decode()
        assert "kern-alert--danger" in page
        # What was typed stays.
        assert "Sehr hilfreich, danke!" in page
    assert not Response.objects.exists()


def test_results_count_each_answer_and_list_free_texts_in_no_order_of_arrival(
    world, client, client_for, survey
):
    url = reverse("surveys:respond", args=[survey.token])
    questions, answers = _answers(survey)
    client.post(url, answers)
    client.post(url, answers | {f"q{questions[0].pk}": "2", f"q{questions[4].pk}": "Am Anfang"})
    responses, results = services.results(survey)
    assert responses == 2
    scale = results[0]
    assert scale.counts == [("1", 0), ("2", 1), ("3", 0), ("4", 1), ("5", 0)]
    assert scale.average == 3.0
    assert results[2].counts == [("yes", 2), ("maybe", 0), ("no", 0)]
    assert dict(results[3].counts)["jobcenter or employment agency"] == 2
    assert results[4].texts == ["Am Anfang", "Sehr hilfreich, danke!"]
    vera = client_for(world.vera)  # the viewer reads results
    page = vera.get(reverse("surveys:survey_results", args=[survey.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'role="img"' in text and "Am Anfang" in text
    fragment = vera.get(reverse("surveys:survey_results", args=[survey.pk]), HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<div id="survey-results"')


def test_questions_stay_as_answered_and_a_closed_survey_takes_nothing(world, client, survey):
    alice = acting(world.alice)
    question = services.add_question(
        actor=alice, survey=survey, data={"kind": "single", "text": "Wann?", "choices": ["a", "b"]}
    )
    assert question.position == 6
    with pytest.raises(ServiceError, match="two choices"):
        services.add_question(
            actor=alice, survey=survey, data={"kind": "multiple", "text": "X", "choices": ["a"]}
        )
    services.remove_question(actor=alice, question=question)
    url = reverse("surveys:respond", args=[survey.token])
    _questions, answers = _answers(survey)
    client.post(url, answers)
    translation.activate("en")  # the request left its own language active
    with pytest.raises(ServiceError, match="has responses"):
        services.add_question(actor=alice, survey=survey, data={"kind": "text", "text": "Neu"})
    with pytest.raises(ServiceError, match="has responses"):
        services.remove_question(actor=alice, question=survey.questions.first())
    services.set_open(actor=alice, survey=survey, is_open=False)
    page = client.get(url).content.decode()
    assert 'id="survey-closed"' in page
    client.post(url, answers)
    assert Response.objects.filter(survey=survey).count() == 1
    translation.activate("en")
    with pytest.raises(ServiceError, match="closed"):
        services.record_response(survey=Survey.objects.get(pk=survey.pk), answers={})


def test_an_unknown_link_is_404_and_the_viewer_may_not_change_surveys(world, client, survey):
    assert client.get(reverse("surveys:respond", args=["nicht-da"])).status_code == 404
    with pytest.raises(ServiceError):
        services.create_survey(
            actor=acting(world.vera),
            organisation_id=world.org_a.pk,
            data={"title": "X", "template": "empty"},
        )
    with pytest.raises(ServiceError):
        services.add_question(
            actor=acting(world.carol), survey=survey, data={"kind": "text", "text": "X"}
        )
    assert not Question.objects.filter(text="X").exists()
    assert not Answer.objects.exists()


def test_the_staff_set_up_a_survey_on_its_page(world, client_for):
    alice = client_for(world.alice)
    response = alice.post(
        reverse("surveys:survey_list"),
        {
            "title": "Schulung Mai",
            "template": "training",
            "introduction": "Kurz.",
            "kind": "anonymous",
        },
    )
    survey = Survey.objects.get(title="Schulung Mai")
    assert response["Location"] == reverse("surveys:survey_detail", args=[survey.pk])
    page = alice.get(response["Location"]).content.decode()
    assert survey.token in page and "<svg" in page
    # A questionnaire of the tandems' final evaluation, for one programme.
    alice.post(
        reverse("surveys:survey_list"),
        {
            "title": "Abschluss Job Coaches",
            "template": "tandem_end",
            "kind": "final",
            "programme": world.programme_a.pk,
        },
    )
    final = Survey.objects.get(title="Abschluss Job Coaches")
    assert (final.kind, final.programme) == ("final", world.programme_a)
    assert services.questionnaire_for(world.tandem_a, "final") == final
    refused = alice.post(reverse("surveys:survey_list"), {"title": "", "template": "training"})
    assert refused.status_code == 200 and "kern-alert--danger" in refused.content.decode()


def test_the_demo_has_an_answered_info_event_survey(db):
    call_command("demo", verbosity=0)
    with scopes_disabled():
        feedback = Survey.objects.get(title="Rückmeldung zur Infoveranstaltung")
        assert feedback.responses.count() == 26
        responses, results = services.results(feedback)
        assert responses == 26
        assert results[0].average is not None and 3 <= results[0].average <= 5
        assert Survey.objects.get(title="Rückmeldung zur Basisschulung").questions.count() == 4
        # Every evaluation the demo tandems recorded has its answers.
        evaluations = Evaluation.objects.all()
        assert evaluations.filter(kind="final").exists() and evaluations.filter(kind="midterm")
        assert not evaluations.filter(response__isnull=True).exists()
        for kind in ("midterm", "final"):
            (questionnaire,) = Survey.objects.filter(kind=kind)
            assert questionnaire.responses.count() == evaluations.filter(kind=kind).count()
