"""A tandem's mid-term check and final evaluation answered with a survey:
which questionnaire a tandem uses, recording and replacing the answers, the
life cycle moving on, answers recorded meanwhile not overwritten, the tandem
page showing them, and the anonymous link refusing these questionnaires."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lotse.accounts.roles import Role
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.programmes.models import Enrolment, EnrolmentStatus, StepKind
from lotse.surveys import services
from lotse.surveys.models import Answer, Response, Survey, SurveyKind
from lotse.tandems.models import Evaluation, TandemStatus

from ..factories import MembershipFactory
from ..tandems.helpers import acting, mentoring_programme, tandem

pytestmark = pytest.mark.django_db


def _questionnaire(world, kind="final", programme=None, title="Abschluss"):
    with translation.override("en"):
        return services.create_survey(
            actor=acting(world.alice),
            organisation_id=world.org_a.pk,
            data={
                "title": title,
                "introduction": "",
                "template": "tandem_end" if kind == "final" else "tandem_midterm",
                "kind": kind,
                "programme": programme,
            },
        )


def _values(survey, satisfaction=4, goals=1, text=""):
    """Answers to the final evaluation's template: scale, goals, what you
    worked on, support, a free text."""
    satisfied, reached, worked, support, free = survey.questions.order_by("position")
    return {
        satisfied.pk: satisfaction,
        reached.pk: goals,
        worked.pk: [0, 2],
        support.pk: None,
        free.pk: text,
    }


def _record(world, target, survey, respondent="mentee", replaces=None, **values):
    return services.record_tandem_evaluation(
        actor=acting(world.alice),
        tandem=target,
        kind=survey.kind,
        respondent=respondent,
        answers=_values(survey, **values),
        replaces=replaces,
    )


def _ended(world, given="Lina", family="Haddou"):
    return tandem(
        world, given, family, status=TandemStatus.COMPLETED, ended_on=timezone.localdate()
    )


def test_a_tandem_uses_the_open_questionnaire_of_its_programme_before_the_general_one(world):
    assert services.questionnaire_for(world.tandem_a, "final") is None
    general = _questionnaire(world, title="Für alle")
    assert services.questionnaire_for(world.tandem_a, "final") == general
    other = mentoring_programme(world.org_a, "Anderes Programm")
    _questionnaire(world, programme=other, title="Anderes")
    assert services.questionnaire_for(world.tandem_a, "final") == general
    own = _questionnaire(world, programme=world.programme_a, title="Eigenes")
    assert services.questionnaire_for(world.tandem_a, "final") == own
    # The mid-term check has a questionnaire of its own kind.
    assert services.questionnaire_for(world.tandem_a, "midterm") is None
    # Setting up another general one closes the first: one is in use at a time.
    newer = _questionnaire(world, title="Für alle, neu")
    assert Survey.objects.get(pk=general.pk).is_open is False
    assert Survey.objects.get(pk=newer.pk).is_open is True
    assert Survey.objects.get(pk=own.pk).is_open is True


def test_the_questionnaire_is_set_up_from_its_template_once(world):
    with translation.override("en"):
        survey = services.set_up_questionnaire(
            actor=acting(world.alice), tandem=world.tandem_a, kind="midterm"
        )
    assert survey.kind == SurveyKind.TANDEM_MIDTERM and survey.programme is None
    assert survey.title == "Mid-term check of the tandems"
    assert survey.questions.first().text == "How satisfied are you with your tandem so far?"
    again = services.set_up_questionnaire(
        actor=acting(world.alice), tandem=world.tandem_a, kind="midterm"
    )
    assert again == survey
    # Closed by its owners: not replaced behind their backs.
    Survey.objects.filter(pk=survey.pk).update(is_open=False)
    with pytest.raises(ServiceError, match="closed"):
        services.set_up_questionnaire(
            actor=acting(world.alice), tandem=world.tandem_a, kind="midterm"
        )
    assert Survey.objects.filter(kind="midterm").count() == 1


@pytest.mark.parametrize("who", ["vera", "cora"])
def test_who_may_not_edit_the_tandem_records_no_evaluation(world, who):
    survey = _questionnaire(world)
    with pytest.raises(NotPermitted):
        services.record_tandem_evaluation(
            actor=acting(getattr(world, who)),
            tandem=world.tandem_a,
            kind="final",
            respondent="mentee",
            answers=_values(survey),
        )
    with pytest.raises(NotPermitted):
        services.set_up_questionnaire(
            actor=acting(getattr(world, who)), tandem=world.tandem_a, kind="midterm"
        )
    assert not Response.objects.exists() and not Evaluation.objects.exists()


def test_the_final_evaluation_keeps_the_answers_and_moves_the_enrolment_on(world):
    ended = _ended(world)
    for enrolment in (ended.mentee, ended.mentor):
        Enrolment.objects.filter(pk=enrolment.pk).update(
            step=enrolment.programme.steps.get(kind=StepKind.EVALUATION)
        )
    survey = _questionnaire(world)

    response = _record(world, ended, survey, satisfaction=5, goals=0, text=" Früh anfangen ")

    evaluation = Evaluation.objects.get(tandem=ended)
    assert (evaluation.kind, evaluation.respondent) == ("final", "mentee")
    assert evaluation.recorded_by == world.alice
    assert response.evaluation == evaluation and response.survey == survey
    assert response.submitted_on == timezone.localdate()
    given = {answer.question.position: answer for answer in response.answers.all()}
    assert (given[1].number, given[2].number, given[3].picked) == (5, 0, [0, 2])
    assert given[5].text == "Früh anfangen" and 4 not in given
    assert Enrolment.objects.get(pk=ended.mentee.pk).status == EnrolmentStatus.COMPLETED
    assert Enrolment.objects.get(pk=ended.mentor.pk).status == EnrolmentStatus.ACTIVE
    # The answers count in the questionnaire's results like any response.
    responses, results = services.results(survey)
    assert responses == 1 and results[0].average == 5


def test_answering_again_replaces_the_answers(world):
    survey = _questionnaire(world)
    first = _record(world, world.tandem_a, survey, satisfaction=2)
    second = _record(world, world.tandem_a, survey, satisfaction=4, replaces=first.pk)
    _record(world, world.tandem_a, survey, respondent="mentor", satisfaction=3)

    assert Response.objects.filter(evaluation__tandem=world.tandem_a).count() == 2
    assert not Response.objects.filter(pk=first.pk).exists()
    assert not Answer.objects.filter(response_id=first.pk).exists()
    assert second.answers.get(question__position=1).number == 4
    assert Evaluation.objects.filter(tandem=world.tandem_a).count() == 2


def test_answers_recorded_meanwhile_are_not_overwritten(world):
    survey = _questionnaire(world)
    theirs = _record(world, world.tandem_a, survey, satisfaction=2)
    # A form opened before their answers were saved says it replaces nothing.
    with pytest.raises(Conflict):
        _record(world, world.tandem_a, survey, satisfaction=5, replaces=None)
    # And a form showing answers that have since been replaced.
    with pytest.raises(Conflict):
        _record(world, world.tandem_a, survey, satisfaction=5, replaces=theirs.pk + 100)
    assert Response.objects.get(evaluation__tandem=world.tandem_a) == theirs
    assert theirs.answers.get(question__position=1).number == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"satisfaction": None}, "required"),
        ({"satisfaction": 6}, "from 1 to 5"),
        ({"goals": 7}, "answers given"),
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_kept(world, change, message):
    survey = _questionnaire(world)
    with translation.override("en"), pytest.raises(ServiceError, match=message):
        _record(world, world.tandem_a, survey, **change)
    assert not Response.objects.exists() and not Evaluation.objects.exists()


def test_a_forming_tandem_and_a_future_day_are_refused(world):
    survey = _questionnaire(world)
    forming = tandem(world, "Noor", "Rahimi", status=TandemStatus.FORMING, started_days_ago=None)
    with translation.override("en"), pytest.raises(ServiceError, match="not started"):
        _record(world, forming, survey)
    with translation.override("en"), pytest.raises(ServiceError, match="future"):
        services.record_tandem_evaluation(
            actor=acting(world.alice),
            tandem=world.tandem_a,
            kind="final",
            respondent="mentee",
            answers=_values(survey),
            answered_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert not Response.objects.exists() and not Evaluation.objects.exists()


def test_the_anonymous_link_does_not_take_a_tandem_questionnaire(world, client):
    survey = _questionnaire(world)
    assert client.get(reverse("surveys:respond", args=[survey.token])).status_code == 404
    with pytest.raises(ServiceError):
        services.record_response(survey=survey, answers=_values(survey))
    assert not Response.objects.exists()


# --- pages -------------------------------------------------------------------------


def _url(target, kind="final", respondent="mentee"):
    return reverse("surveys:tandem_evaluation", args=[target.pk, kind, respondent])


def _post(survey, satisfaction="4", replaces="", answered_on=None):
    satisfied, reached, worked, _support, free = survey.questions.order_by("position")
    return {
        f"q{satisfied.pk}": satisfaction,
        f"q{reached.pk}": "1",
        f"q{worked.pk}": ["0", "2"],
        f"q{free.pk}": "Gut begleitet.",
        "answered_on": (answered_on or timezone.localdate()).isoformat(),
        "replaces": replaces,
    }


def test_the_tandem_page_shows_the_answers_and_the_way_to_record_them(world, english):
    survey = _questionnaire(world)
    _record(world, world.tandem_a, survey, satisfaction=5, text="Gut begleitet.")
    client = english(world.alice)

    page = client.get(reverse("tandems:tandem_detail", args=[world.tandem_a.pk])).content.decode()

    assert "How satisfied are you with your tandem?" in page and "5 of 5" in page
    assert "Gut begleitet." in page and "applications and CV, language" in page
    assert _url(world.tandem_a) in page and _url(world.tandem_a, "midterm", "mentor") in page
    assert "Change the answers" in page and "Record answers" in page
    # Who reads the tandem without editing it sees the answers, not the links.
    caseworker = MembershipFactory(organisation=world.org_a, role=Role.CASEWORKER).user
    reader = english(caseworker).get(reverse("tandems:tandem_detail", args=[world.tandem_a.pk]))
    assert "5 of 5" in reader.content.decode()
    assert _url(world.tandem_a) not in reader.content.decode()


def test_the_form_shows_the_earlier_answers_and_replaces_them(world, english):
    survey = _questionnaire(world)
    earlier = _record(world, world.tandem_a, survey, satisfaction=2)
    client = english(world.alice)

    page = client.get(_url(world.tandem_a))
    assert page.status_code == 200
    form = page.context["form"]
    assert form[f"q{survey.questions.get(position=1).pk}"].value() == 2
    assert form["replaces"].value() == earlier.pk

    response = client.post(_url(world.tandem_a), _post(survey, replaces=earlier.pk))
    assert response.status_code == 302
    assert response["Location"].endswith("#evaluation")
    current = Response.objects.get(evaluation__tandem=world.tandem_a)
    assert current.answers.get(question__position=1).number == 4


def test_a_form_recorded_meanwhile_is_shown_again_with_both(world, english):
    survey = _questionnaire(world)
    client = english(world.alice)
    page = client.get(_url(world.tandem_a))
    assert page.context["form"]["replaces"].value() is None
    theirs = _record(world, world.tandem_a, survey, satisfaction=2)

    response = client.post(_url(world.tandem_a), _post(survey, satisfaction="5"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else recorded these answers" in content
    assert "2 of 5" in content  # theirs, shown above the form
    form = response.context["form"]
    assert form[f"q{survey.questions.get(position=1).pk}"].value() == "5"  # what was typed
    assert Response.objects.get(evaluation__tandem=world.tandem_a) == theirs
    # Sent again, knowingly: replaced.
    again = client.post(_url(world.tandem_a), _post(survey, satisfaction="5", replaces=theirs.pk))
    assert again.status_code == 302
    current = Response.objects.get(evaluation__tandem=world.tandem_a)
    assert current.answers.get(question__position=1).number == 5


def test_an_invalid_form_is_shown_again_in_the_users_language(world, english):
    survey = _questionnaire(world)
    response = english(world.alice).post(
        _url(world.tandem_a), _post(survey, answered_on=datetime.date(2999, 1, 1))
    )
    assert response.status_code == 200
    assert "cannot lie in the future" in response.content.decode()
    missing = english(world.alice).post(_url(world.tandem_a), _post(survey, satisfaction=""))
    assert missing.status_code == 200 and "This field is required" in missing.content.decode()
    assert not Response.objects.exists()


def test_without_a_questionnaire_the_page_offers_to_set_one_up(world, english):
    client = english(world.alice)
    page = client.get(_url(world.tandem_a, "midterm", "mentor"))
    assert page.status_code == 200 and "No questionnaire is open" in page.content.decode()

    response = client.post(
        reverse("surveys:tandem_questionnaire", args=[world.tandem_a.pk, "midterm"]),
        {"respondent": "mentor"},
    )

    assert response["Location"] == _url(world.tandem_a, "midterm", "mentor")
    survey = Survey.objects.get(kind="midterm")
    assert survey.title == "Mid-term check of the tandems"
    assert "form" in client.get(_url(world.tandem_a, "midterm", "mentor")).context


@pytest.mark.parametrize(("kind", "respondent"), [("weekly", "mentee"), ("final", "coach")])
def test_unknown_evaluations_are_not_found(world, english, kind, respondent):
    url = reverse("surveys:tandem_evaluation", args=[world.tandem_a.pk, kind, respondent])
    assert english(world.alice).get(url).status_code == 404


def test_a_tandem_questionnaire_has_no_link_or_qr_code(world, english):
    survey = _questionnaire(world)
    client = english(world.alice)
    page = client.get(reverse("surveys:survey_detail", args=[survey.pk])).content.decode()
    assert "Answered on the tandems' pages" in page and survey.token not in page
    assert client.get(reverse("surveys:survey_show", args=[survey.pk])).status_code == 404
