from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.accounts.roles import RUN_MATCHING
from lotse.core.exceptions import Conflict, ServiceError
from lotse.core.models import Site
from lotse.core.permissions import membership_required, permission_required, require
from lotse.people.models import Industry, OccupationArea
from lotse.people.selection import filtered_pool
from lotse.programmes.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Programme,
    ProgrammeKind,
)
from lotse.tandems import services as tandem_services
from lotse.tandems.forms import FormTandemForm

from . import criteria, services
from .forms import DecisionForm, WeightsForm
from .models import Decision, DecisionKind, MatchingSession, Proposal

CANDIDATE_LIMIT = 100  # enrolments offered to add at once; filters narrow the rest


def _sessions(request: HttpRequest):
    return MatchingSession.objects.visible_to(request.user).select_related("programme")


def _programmes(request: HttpRequest):
    return Programme.objects.visible_to(request.user)


def _session(request: HttpRequest, pk: int) -> MatchingSession:
    session = get_object_or_404(_sessions(request), pk=pk)
    require(request, RUN_MATCHING)
    return session


PROPOSALS_PER_PAGE = 50
UNMATCHED_SHOWN = 100  # the rest is counted; the enrolment pages have them all


def _detail_url(session: MatchingSession, anchor: str = "", page: str | None = None) -> str:
    url = reverse("matching:session_detail", args=[session.pk])
    if page and page.isdigit() and page != "1":
        url = f"{url}?page={page}"
    return f"{url}#{anchor}" if anchor else url


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


# --- lists -------------------------------------------------------------------


@permission_required(RUN_MATCHING)
def session_index(request: HttpRequest) -> HttpResponse:
    """Every mentoring programme with its matching sessions."""
    programmes = (
        _programmes(request)
        .exclude(kind=ProgrammeKind.CASE_MANAGEMENT)
        .annotate(
            session_count=Count("matching_sessions"),
            open_count=Count("matching_sessions", filter=~Q(matching_sessions__status="closed")),
        )
        .order_by("-is_active", "name")
    )
    recent = _sessions(request).select_related("opened_by")[:20]
    return render(
        request,
        "matching/session_index.html",
        {
            "programmes": programmes,
            "recent": recent,
            "waiting_count": services.pairs_waiting(request.user).count(),
        },
    )


@membership_required
def session_list(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(_programmes(request), pk=pk)
    require(request, RUN_MATCHING)
    sessions = (
        _sessions(request)
        .filter(programme=programme)
        .select_related("opened_by")
        .annotate(
            run_count=Count("runs", distinct=True),
            accepted_count=Count(
                "decisions",
                filter=Q(decisions__kind=DecisionKind.ACCEPT, decisions__revoked_at__isnull=True),
                distinct=True,
            ),
        )
    )
    waiting = services.waiting_mentees(programme).filter(
        pk__in=Enrolment.objects.visible_to(request.user).values("pk")
    )
    return render(
        request,
        "matching/session_list.html",
        {
            "programme": programme,
            "sessions": sessions,
            "waiting_count": waiting.count(),
            "can_open": programme.is_active and EnrolmentRole.MENTOR in programme.roles(),
        },
    )


@require_POST
@membership_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(_programmes(request), pk=pk)
    require(request, RUN_MATCHING)
    try:
        session = services.open_session(actor=request.user, programme=programme)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("matching:session_list", pk=programme.pk)
    messages.success(
        request,
        _(
            "The matching session has been opened with the waiting mentees and the "
            "available mentors."
        ),
    )
    return redirect("matching:session_detail", pk=session.pk)


# --- the session page ----------------------------------------------------------


def _bars(proposal: Proposal, weights: dict[str, float]) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "label": label,
            "fit": proposal.criteria.get(code, 0.0),
            "percent": round(100 * proposal.criteria.get(code, 0.0)),
            "weight": weights.get(code, 0),
        }
        for code, label in criteria.CRITERIA
    ]


def _percent(score: float, weights: dict[str, float]) -> int:
    total = sum(float(w) for w in weights.values())
    return round(100 * score / total) if total else 0


def _entry(proposal: Proposal, decision: Decision | None, weights, names) -> dict[str, Any]:
    return {
        "proposal": proposal,
        "decision": decision,
        "percent": _percent(proposal.score, weights),
        "bars": _bars(proposal, weights),
        "reason": criteria.describe(proposal.reasons, **names),
        "unmet": [str(criteria.WISHES[code]) for code in proposal.unmet if code in criteria.WISHES],
    }


def _session_context(
    request: HttpRequest,
    session: MatchingSession,
    *,
    weights_form: WeightsForm | None = None,
    failed: tuple[int, DecisionForm] | None = None,
) -> dict[str, Any]:
    visible = set(
        Enrolment.objects.visible_to(request.user)
        .filter(programme_id=session.programme_id)
        .values_list("pk", flat=True)
    )
    # Counted, not loaded: a large session has thousands of participants.
    taking_part = list(session.participants.values_list("enrolment_id", "role"))
    shown_roles = [role for enrolment_id, role in taking_part if enrolment_id in visible]
    decisions = {
        (d.mentee_id, d.mentor_id): d for d in session.decisions.current().order_by("decided_at")
    }
    run = session.latest_run()
    names = {
        "areas": {e.code: e.name for e in OccupationArea.objects.all()},
        "industries": {e.code: e.name for e in Industry.objects.all()},
    }
    rows, unmatched, mains = [], [], []
    rows_page, unmatched_more = None, 0
    if run is not None:
        # The pairs in their order as ids; only one page of them is loaded.
        mains = [
            (mentee_id, mentor_id, pk)
            for mentee_id, mentor_id, pk in run.proposals.filter(rank=0)
            .order_by("-score", "mentee__person__given_name", "mentee__person__family_name", "pk")
            .values_list("mentee_id", "mentor_id", "pk")
            if mentee_id in visible and mentor_id in visible
        ]
        # One page of pairs at a time: each row carries its reasons, bars and
        # five alternatives, and the largest programmes pair thousands.
        number = request.GET.get("page") or request.POST.get("page")
        rows_page = Paginator(mains, PROPOSALS_PER_PAGE).get_page(number)
        loaded = run.proposals.select_related("mentee__person", "mentor__person").in_bulk(
            [pk for _mentee, _mentor, pk in rows_page.object_list]
        )
        rows_page.object_list = [loaded[pk] for _mentee, _mentor, pk in rows_page.object_list]
        shown_mentees = [main.mentee_id for main in rows_page.object_list]
        alternatives: dict[int, list[Proposal]] = defaultdict(list)
        for proposal in run.proposals.filter(
            rank__gt=0, mentee_id__in=shown_mentees
        ).select_related("mentee__person", "mentor__person"):
            if proposal.mentor_id in visible:
                alternatives[proposal.mentee_id].append(proposal)
        for main in rows_page.object_list:
            entry = _entry(
                main, decisions.get((main.mentee_id, main.mentor_id)), run.weights, names
            )
            entry["alternatives"] = [
                _entry(p, decisions.get((p.mentee_id, p.mentor_id)), run.weights, names)
                for p in alternatives[main.mentee_id]
            ]
            rows.append(entry)
        left_alone = [item for item in run.unmatched if item["mentee"] in visible]
        unmatched_more = max(0, len(left_alone) - UNMATCHED_SHOWN)
        left_alone = left_alone[:UNMATCHED_SHOWN]
        enrolments = Enrolment.objects.select_related("person").in_bulk(
            [item["mentee"] for item in left_alone]
        )
        for item in left_alone:
            if item["mentee"] not in enrolments:
                continue
            unmatched.append(
                {
                    "enrolment": enrolments[item["mentee"]],
                    "allowed": item["allowed"],
                    "blocked": [
                        (str(criteria.CONSTRAINTS[code]), count)
                        for code, count in sorted(item["blocked"].items(), key=lambda i: -i[1])
                        if code in criteria.CONSTRAINTS
                    ],
                    "mentors": run.mentor_count,
                }
            )
    history = session.decisions.select_related(
        "mentee__person", "mentor__person", "decided_by", "revoked_by"
    ).filter(mentee_id__in=visible, mentor_id__in=visible)
    open_count = 0
    for mentee_id, mentor_id, _pk in mains:
        decision = decisions.get((mentee_id, mentor_id))
        open_count += decision is None or decision.kind == DecisionKind.LOCK
    return {
        "session": session,
        "programme": session.programme,
        "mentee_count": shown_roles.count(EnrolmentRole.MENTEE),
        "mentor_count": shown_roles.count(EnrolmentRole.MENTOR),
        "hidden_count": len(taking_part) - len(shown_roles),
        "weights_form": weights_form or WeightsForm.for_session(session),
        "run": run,
        "runs": session.runs.select_related("run_by"),
        "rows": rows,
        "proposal_count": len(mains),
        "page": rows_page,
        "unmatched": unmatched,
        "unmatched_more": unmatched_more,
        "history": history,
        "open_count": open_count,
        "failed_pk": failed[0] if failed else None,
        "failed_form": failed[1] if failed else None,
        "criteria": criteria.CRITERIA,
        "kinds": DecisionKind,
        "editable": session.is_open,
    }


@membership_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return render(request, "matching/session_detail.html", _session_context(request, session))


@membership_required
def session_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a background run, polled by the page while it runs;
    once it is done, htmx reloads the page with the proposals."""
    session = _session(request, pk)
    response = render(request, "matching/_progress.html", {"session": session})
    if request.htmx and not session.is_running:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@membership_required
def session_weights(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = WeightsForm.for_session(session, request.POST)
    if form.is_valid():
        try:
            services.change_weights(
                actor=request.user,
                session=session,
                weights=form.weights(),
                max_distance_km=form.cleaned_data["max_distance_km"],
                version=form.cleaned_data["version"],
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect(_detail_url(session, "weights"))
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The weights have been saved. Run the matching again."))
            return redirect(_detail_url(session, "weights"))
    context = _session_context(request, session, weights_form=form)
    return render(request, "matching/session_detail.html", context)


@require_POST
@membership_required
def session_run(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    try:
        run = services.start_run(actor=request.user, session=session, version=_version(request))
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(_detail_url(session))
    if run is None:
        messages.info(request, _("The matching is being calculated. This page shows its progress."))
        return redirect(_detail_url(session))
    messages.success(
        request,
        _("Run %(number)s: %(pairs)s pairs proposed.")
        % {"number": run.number, "pairs": run.proposals.filter(rank=0).count()},
    )
    return redirect(_detail_url(session, "proposals"))


@require_POST
@membership_required
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(
            "run__session__programme", "mentee__person", "mentor__person"
        ),
        pk=pk,
    )
    require(request, RUN_MATCHING)
    session = proposal.run.session
    form = DecisionForm(request.POST)
    if form.is_valid():
        seen = form.cleaned_data["seen"]
        try:
            decision = services.decide(
                actor=request.user,
                proposal=proposal,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                seen=seen,
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect(_detail_url(session, "proposals", request.POST.get("page")))
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(mentee)s and %(mentor)s: %(decision)s.")
                % {
                    "mentee": proposal.mentee.person.full_name,
                    "mentor": proposal.mentor.person.full_name,
                    "decision": decision.get_kind_display(),
                },
            )
            return redirect(_detail_url(session, "proposals", request.POST.get("page")))
    context = _session_context(request, session, failed=(proposal.pk, form))
    return render(request, "matching/session_detail.html", context)


@require_POST
@membership_required
def decision_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user).select_related(
            "session", "mentee__person__site", "mentor__person__site"
        ),
        pk=pk,
    )
    require(request, RUN_MATCHING)
    try:
        services.revoke(actor=request.user, decision=decision, seen_version=_version(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The decision on %(mentee)s and %(mentor)s has been revoked.")
            % {
                "mentee": decision.mentee.person.full_name,
                "mentor": decision.mentor.person.full_name,
            },
        )
    return redirect(_detail_url(decision.session, "proposals", request.POST.get("page")))


@require_POST
@membership_required
def session_accept_all(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    try:
        result = services.accept_open_proposals(actor=request.user, session=session)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(_detail_url(session, "proposals"))
    messages.success(
        request,
        _("%(count)s pairs have been accepted; their enrolments have moved on.")
        % {"count": len(result.accepted)},
    )
    for proposal, why in result.refused[:10]:
        messages.warning(
            request,
            f"{proposal.mentee.person.full_name} – {proposal.mentor.person.full_name}: {why}",
        )
    return redirect(_detail_url(session, "proposals"))


@require_POST
@membership_required
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    try:
        services.close_session(actor=request.user, session=session, version=_version(request) or 0)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The matching session has been closed."))
    return redirect(_detail_url(session))


# --- participants --------------------------------------------------------------

# The pool filters offered here, in three rows: the main ones, the mentors'
# checks, and the long lists behind "More filters".
FILTER_GROUPS = {
    "filter_main": ("q", "language", "level", "gender", "municipality"),
    "filter_checks": ("cleared", "trained"),
    "filter_more": ("available", "industries", "occupation_areas", "needs"),
}


def _candidates(request: HttpRequest, session: MatchingSession, people):
    return (
        Enrolment.objects.visible_to(request.user)
        .filter(
            programme_id=session.programme_id,
            role__in=[EnrolmentRole.MENTEE, EnrolmentRole.MENTOR],
            status=EnrolmentStatus.ACTIVE,
            person__in=people.values("pk"),
        )
        .exclude(pk__in=session.participants.values("enrolment_id"))
        .select_related("person", "step")
        .order_by("role", "person__family_name", "person__given_name", "pk")
    )


@membership_required
def session_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Who takes part: take people out, add others of the programme, or keep
    only the mentees or mentors the pool filters match."""
    session = _session(request, pk)
    if request.method == "POST":
        return _change_participants(request, session)
    form, people = filtered_pool(request)
    query = request.GET.copy()
    query.pop("page", None)
    candidates = _candidates(request, session, people)
    visible = Enrolment.objects.visible_to(request.user).values("pk")
    participants = session.participants.filter(enrolment__in=visible).select_related(
        "enrolment__person", "enrolment__step"
    )
    return render(
        request,
        "matching/session_participants.html",
        {
            "session": session,
            "programme": session.programme,
            "form": form,
            **{
                group: [form[name] for name in names if name in form.fields]
                for group, names in FILTER_GROUPS.items()
            },
            "filtered": form.is_bound,
            "query": query.urlencode(),
            "candidates": candidates[:CANDIDATE_LIMIT],
            "candidate_count": candidates.count(),
            "mentees": [p for p in participants if p.role == EnrolmentRole.MENTEE],
            "mentors": [p for p in participants if p.role == EnrolmentRole.MENTOR],
            "editable": session.is_open,
            "narrow_counts": {
                role: session.participants.filter(role=role, enrolment__in=visible)
                .filter(enrolment__person__in=people.values("pk"))
                .count()
                for role in (EnrolmentRole.MENTEE, EnrolmentRole.MENTOR)
            },
        },
    )


def _change_participants(request: HttpRequest, session: MatchingSession) -> HttpResponse:
    action = request.POST.get("action")
    ids = [int(v) for v in request.POST.getlist("enrolment") if v.isdigit()]
    filter_query = request.POST.get("filter_query", "")
    back = reverse("matching:session_participants", args=[session.pk])
    back = f"{back}?{filter_query}" if filter_query else back
    enrolments = Enrolment.objects.visible_to(request.user).filter(pk__in=ids)
    try:
        if action == "add":
            if not ids:
                raise ServiceError(_("Tick at least one person in the list first."))
            count = services.add_participants(
                actor=request.user, session=session, enrolments=enrolments.select_related("person")
            )
            messages.success(request, _("%(count)s people have been added.") % {"count": count})
        elif action == "remove":
            if not ids:
                raise ServiceError(_("Tick at least one person in the list first."))
            count = services.remove_participants(
                actor=request.user, session=session, enrolments=enrolments
            )
            messages.success(request, _("%(count)s people have been taken out.") % {"count": count})
        elif action == "narrow" and request.POST.get("role") in (
            EnrolmentRole.MENTEE,
            EnrolmentRole.MENTOR,
        ):
            form, people = filtered_pool(request, QueryDict(filter_query))
            if not form.is_bound:
                raise ServiceError(_("Choose at least one filter first."))
            count = services.narrow_participants(
                actor=request.user, session=session, role=request.POST["role"], people=people
            )
            messages.success(
                request,
                _("%(count)s people who do not match the filters have been taken out.")
                % {"count": count},
            )
        else:
            raise ServiceError(_("Choose what to do with the participants."))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(back)


# --- from accepted pairs to tandems ------------------------------------------------


@permission_required(RUN_MATCHING)
def pairs_waiting(request: HttpRequest) -> HttpResponse:
    """Accepted pairs of every session whose tandem is not formed yet."""
    decisions = services.pairs_waiting(request.user)
    page = Paginator(decisions, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "matching/pairs_waiting.html", {"page": page, "query": ""})


@membership_required
def tandem_form(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        services.pairs_waiting(request.user).select_related("mentee__person__site"), pk=pk
    )
    require(request, RUN_MATCHING)
    form = FormTandemForm(
        request.POST or None,
        sites=Site.objects.visible_to(request.user).filter(is_active=True),
        staff=tandem_services.staff_for_tandems(decision.organisation_id),
        initial={
            "site": decision.mentee.person.site_id,
            "coordinator": request.user.pk,
            "goals": getattr(getattr(decision.mentee.person, "participant", None), "wishes", ""),
        },
    )
    if form.is_valid():
        try:
            tandem = services.form_tandem(
                actor=request.user, decision=decision, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The tandem has been formed. Print the agreement for the first meeting."),
            )
            return redirect("tandems:tandem_detail", pk=tandem.pk)
    return render(request, "matching/tandem_form.html", {"form": form, "decision": decision})
