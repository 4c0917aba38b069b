"""Survey pages: the staff's list, a survey with its questions, link and QR
code, the page to show at an event, the live results; the anonymous
response form behind the link; and a tandem's evaluation, answered with its
questionnaire and recorded by the coordinator."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope

from lotse.accounts.roles import EDIT_TANDEMS, MANAGE_SURVEYS, VIEW_REPORTS
from lotse.core.charts import bar_chart_svg
from lotse.core.exceptions import Conflict, ServiceError
from lotse.core.permissions import permission_required, require
from lotse.core.ratelimit import rate_limited
from lotse.core.views import form_errors, form_saved, show_result
from lotse.tandems.models import EvaluationKind, Respondent, Tandem

from . import services
from .forms import EvaluationForm, QuestionForm, ResponseForm, SurveyForm
from .models import Question, QuestionKind, Response, Survey, SurveyKind


def _can_manage(request: HttpRequest) -> bool:
    return request.membership.has_perm(MANAGE_SURVEYS)


def _survey(request: HttpRequest, pk: int) -> Survey:
    return get_object_or_404(Survey.objects.visible_to(request.user), pk=pk)


def link_of(survey: Survey) -> str:
    return settings.LOTSE_BASE_URL.rstrip("/") + reverse("surveys:respond", args=[survey.token])


def _qr(survey: Survey, scale: int) -> str:
    import segno

    svg = segno.make(link_of(survey), error="m").svg_inline(scale=scale, dark="#1A1A1A")
    # Named for assistive technology; the link is written beside it.
    name = escape(_("QR code of the link"))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{name}" ', 1)


@permission_required(VIEW_REPORTS)
def survey_list(request: HttpRequest) -> HttpResponse:
    form = None
    if _can_manage(request):
        bound = request.POST if request.method == "POST" else None
        form = SurveyForm(bound, user=request.user)
        if request.method == "POST" and form.is_valid():
            survey = form_saved(
                request,
                form,
                lambda: services.create_survey(
                    actor=request.user,
                    organisation_id=request.membership.organisation_id,
                    data=form.values(),
                ),
                _("The survey has been set up."),
            )
            if survey is not None:
                return redirect("surveys:survey_detail", survey.pk)
    elif request.method == "POST":
        require(request, MANAGE_SURVEYS)
    surveys = Survey.objects.visible_to(request.user).order_by("-created_at", "-pk")[:100]
    return render(request, "surveys/survey_list.html", {"form": form, "surveys": surveys})


@permission_required(VIEW_REPORTS)
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    context = {
        "survey": survey,
        "questions": survey.questions.all(),
        "responses": survey.responses.count(),
        "can_manage": _can_manage(request),
        "question_form": QuestionForm(),
    }
    if survey.is_anonymous:
        context["link"] = link_of(survey)
        context["qr"] = mark_safe(_qr(survey, 4))  # noqa: S308 - segno writes the SVG  # nosec B308 B703
    return render(request, "surveys/survey_detail.html", context)


@require_POST
@permission_required(MANAGE_SURVEYS)
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        show_result(
            request,
            lambda: services.add_question(actor=request.user, survey=survey, data=form.values()),
            _("The question has been added."),
        )
    else:
        form_errors(request, form)
    return redirect("surveys:survey_detail", survey.pk)


@require_POST
@permission_required(MANAGE_SURVEYS)
def question_remove(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.visible_to(request.user), pk=pk)
    show_result(
        request,
        lambda: services.remove_question(actor=request.user, question=question),
        _("The question has been removed."),
    )
    return redirect("surveys:survey_detail", question.survey_id)


@require_POST
@permission_required(MANAGE_SURVEYS)
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    is_open = request.POST.get("open") == "1"
    show_result(
        request,
        lambda: services.set_open(actor=request.user, survey=survey, is_open=is_open),
        _("The survey is open for responses.") if is_open else _("The survey is closed."),
    )
    return redirect("surveys:survey_detail", survey.pk)


@permission_required(VIEW_REPORTS)
def survey_show(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code and the link, large, to show at an event."""
    survey = _survey(request, pk)
    if not survey.is_anonymous:
        raise Http404
    context = {
        "survey": survey,
        "link": link_of(survey),
        "qr": mark_safe(_qr(survey, 10)),  # noqa: S308 - segno writes the SVG, no user text in it  # nosec B308 B703
    }
    return render(request, "surveys/survey_show.html", context)


def _charts(outcome) -> list[dict]:
    shown = []
    for result in outcome:
        chart = None
        if result.counts:
            chart = bar_chart_svg(
                title=result.question.text,
                description=_("One bar per answer. The table lists the figures."),
                labels=[label for label, _count in result.counts],
                values=[count for _label, count in result.counts],
                value_labels=[str(count) for _label, count in result.counts],
                id_prefix=f"question-{result.question.pk}",
            )
        shown.append({"result": result, "chart": chart})
    return shown


@permission_required(VIEW_REPORTS)
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The results so far; the page asks for them again every few seconds."""
    survey = _survey(request, pk)
    responses, outcome = services.results(survey)
    context = {
        "survey": survey,
        "responses": responses,
        "results": _charts(outcome),
        "text_kind": QuestionKind.TEXT,
    }
    if request.htmx:
        return render(request, "surveys/_results.html", context)
    return render(request, "surveys/survey_results.html", context)


# --- the anonymous link ------------------------------------------------------------


def _by_token(token: str) -> Survey:
    survey = Survey.links.filter(token=token, kind=SurveyKind.ANONYMOUS).first()
    if survey is None:
        raise Http404
    return survey


# Generous: a room full of participants may answer from one address at once.
@rate_limited("survey_response", 200, 600)
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link answers; nobody is signed in or asked who they
    are, and nothing of the request is stored with the answers."""
    survey = _by_token(token)
    with scope(organisation=survey.organisation_id):
        bound = request.POST if request.method == "POST" else None
        form = ResponseForm(bound, survey=survey)
        if survey.is_open and request.method == "POST" and form.is_valid():
            try:
                services.record_response(survey=survey, answers=form.answers())
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                return redirect("surveys:thanks", survey.token)
        return render(request, "surveys/respond.html", {"survey": survey, "form": form})


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    survey = _by_token(token)
    return render(request, "surveys/thanks.html", {"survey": survey})


# --- a tandem's mid-term check and final evaluation --------------------------------


def _tandem(request: HttpRequest, pk: int, kind: str) -> Tandem:
    if kind not in EvaluationKind.values:
        raise Http404
    return get_object_or_404(
        Tandem.objects.visible_to(request.user).select_related("mentee__person", "mentor__person"),
        pk=pk,
    )


@permission_required(EDIT_TANDEMS)
def tandem_evaluation(request: HttpRequest, pk: int, kind: str, respondent: str) -> HttpResponse:
    """The mentee's or the mentor's answers to the tandem's questionnaire,
    recorded by the coordinator (with the person, on paper or on the phone)."""
    tandem = _tandem(request, pk, kind)
    if respondent not in Respondent.values:
        raise Http404
    survey = services.questionnaire_for(tandem, kind)
    earlier = (
        Response.objects.filter(
            evaluation__tandem=tandem, evaluation__kind=kind, evaluation__respondent=respondent
        )
        .prefetch_related("answers")
        .first()
    )
    context = {
        "tandem": tandem,
        "kind_label": EvaluationKind(kind).label,
        "respondent_label": Respondent(respondent).label,
        "survey": survey,
        "kind": kind,
        "respondent": respondent,
        "earlier": earlier,
        "can_manage": _can_manage(request),
    }
    if survey is None:
        return render(request, "surveys/tandem_evaluation.html", context)
    initial = {"answered_on": earlier.submitted_on if earlier else timezone.localdate()}
    bound = request.POST if request.method == "POST" else None
    form = EvaluationForm(bound, survey=survey, earlier=earlier, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_tandem_evaluation(
                actor=request.user,
                tandem=tandem,
                kind=kind,
                respondent=respondent,
                answers=form.answers(),
                answered_on=form.cleaned_data["answered_on"],
                replaces=form.cleaned_data["replaces"],
            )
        except Conflict as error:
            # Show what was recorded meanwhile, keep what was typed, and let
            # a second send replace it knowingly.
            data = request.POST.copy()
            current = Response.objects.filter(evaluation__tandem=tandem, evaluation__kind=kind)
            current = current.filter(evaluation__respondent=respondent).first()
            data["replaces"] = current.pk if current else ""
            form = EvaluationForm(data, survey=survey, earlier=current, initial=initial)
            form.is_valid()
            form.add_error(None, error.message)
            context["earlier"] = current
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The answers have been saved."))
            return redirect(reverse("tandems:tandem_detail", args=[tandem.pk]) + "#evaluation")
    context["form"] = form
    context["earlier_answers"] = _earlier_answers(context["earlier"])
    return render(request, "surveys/tandem_evaluation.html", context)


def _earlier_answers(response: Response | None) -> list[tuple[str, str]]:
    if response is None:
        return []
    answers = response.answers.select_related("question").order_by("question__position")
    return [(answer.question.text, services.shown_answer(answer)) for answer in answers]


@require_POST
@permission_required(EDIT_TANDEMS)
def tandem_questionnaire(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Set up the questionnaire from its template when there is none yet."""
    tandem = _tandem(request, pk, kind)
    respondent = request.POST.get("respondent")
    show_result(
        request,
        lambda: services.set_up_questionnaire(actor=request.user, tandem=tandem, kind=kind),
        _("The questionnaire has been set up from its template."),
    )
    if respondent in Respondent.values:
        return redirect("surveys:tandem_evaluation", tandem.pk, kind, respondent)
    return redirect(reverse("tandems:tandem_detail", args=[tandem.pk]) + "#evaluation")
