"""Pages of case management. Caseworkers, coordinators and administrators
read and work with the cases of their sites; viewers and partners do not see
them (404 for partners, whose querysets hold no cases; 403 for viewers)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_scopes import scope

from lotse.accounts.models import Membership
from lotse.accounts.roles import EDIT_CASES, VIEW_CASES
from lotse.core.exceptions import ServiceError
from lotse.core.models import Site
from lotse.core.permissions import membership_required, permission_required, require
from lotse.core.views import download, show_result, stored_file, submit
from lotse.network.models import Institution, Offer
from lotse.people.models import Person, PoolRole
from lotse.programmes.models import Programme, ProgrammeKind

from . import calendar, documents, services
from .forms import (
    AgreeForm,
    CaseEditForm,
    CaseFilterForm,
    CaseForm,
    CloseForm,
    ContactForm,
    DocumentForm,
    GoalForm,
    HoldForm,
    IntakeForm,
    MeasureStatusForm,
    PlanMeasureForm,
    ReferralForm,
    ReferralUpdateForm,
)
from .models import (
    SENSITIVE_FIELDS,
    CalendarFeed,
    Case,
    CaseContact,
    CaseDocument,
    HelpPlan,
    PlanMeasure,
    Referral,
)

PAGE_SIZE = 50
UPCOMING_DAYS = 14


def _cases(request: HttpRequest):
    return Case.objects.visible_to(request.user)


def _get(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(
        _cases(request).select_related("client", "programme", "site", "caseworker"), pk=pk
    )


def _sites(request: HttpRequest):
    return Site.objects.visible_to(request.user).filter(is_active=True)


def case_url(case: Case, anchor: str = "") -> str:
    url = reverse("cases:case_detail", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


# --- the caseload ------------------------------------------------------------------------


@permission_required(VIEW_CASES)
def caseload(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = CaseFilterForm(request.GET or None, sites=_sites(request))
    cases = _cases(request)
    if request.site is not None:
        cases = cases.filter(site=request.site)
    mine = cases.open().of(request.user)
    scope_, state = "mine", "open"
    listed = cases
    if form.is_valid():
        data = form.cleaned_data
        scope_ = data["scope"] or "mine"
        state = data["state"] or "open"
        if data["site"]:
            listed = listed.filter(site=data["site"])
        if data["q"]:
            text = data["q"].strip()
            number = text.upper().removeprefix("F-").lstrip("0")
            condition = Q(client__in=Person.objects.visible_to(request.user).search(text))
            if number.isdigit():
                condition |= Q(pk=int(number))
            listed = listed.filter(condition)
    if scope_ == "mine":
        listed = listed.of(request.user)
    if state == "open":
        listed = listed.open()
    elif state != "all":
        listed = listed.filter(status=state)
    page = Paginator(
        listed.select_related("client", "programme", "site", "caseworker").order_by(
            "-opened_on", "-pk"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "today": today}
    if request.htmx:
        return render(request, "cases/_case_results.html", context)
    now = timezone.now()
    context |= {
        "overdue": PlanMeasure.objects.filter(goal__plan__case__in=mine.values("pk"))
        .overdue(today)
        .select_related("goal__plan__case__client")
        .order_by("due_on")[:50],
        "upcoming": CaseContact.objects.filter(
            case__in=cases.values("pk"),
            staff=request.user,
            starts_at__gte=now,
            starts_at__lt=now + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .select_related("case__client")
        .order_by("starts_at")[:50],
        "silent": mine.without_contact(today)
        .select_related("client")
        .order_by("last_contact_on")[:50],
        "can_edit": request.membership.has_perm(EDIT_CASES),
    }
    return render(request, "cases/caseload.html", context)


# --- opening and changing a case ---------------------------------------------------------


def _clients(request: HttpRequest):
    return (
        Person.objects.visible_to(request.user)
        .filter(roles__role=PoolRole.PARTICIPANT)
        .order_by("family_name", "given_name")
    )


def _programmes(request: HttpRequest):
    return Programme.objects.visible_to(request.user).filter(
        kind=ProgrammeKind.CASE_MANAGEMENT, is_active=True
    )


@permission_required(EDIT_CASES)
def case_create(request: HttpRequest) -> HttpResponse:
    staff = services.caseworkers(request.organisation.pk)
    initial = {"opened_on": timezone.localdate(), "caseworker": str(request.user.pk)}
    person_id = request.GET.get("person", "")
    if person_id.isdigit():
        initial["client"] = person_id
    programmes = _programmes(request)
    if programmes.count() == 1:
        initial["programme"] = programmes.first()
    form = CaseForm(
        request.POST or None,
        clients=_clients(request),
        programmes=programmes,
        sites=_sites(request),
        staff=staff,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                actor=request.user,
                client=data["client"],
                programme=data["programme"],
                caseworker=data["caseworker"],
                site=data["site"],
                deputies=data["deputies"],
                opened_on=data["opened_on"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The case has been opened."))
            return redirect(case_url(case, "intake"))
    return render(request, "cases/case_form.html", {"form": form})


@membership_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    if not case.is_open:
        return redirect(case_url(case))
    form = CaseEditForm(
        request.POST or None,
        sites=_sites(request),
        staff=services.caseworkers(request.organisation.pk),
        initial={
            "version": case.version,
            "site": case.site,
            "caseworker": str(case.caseworker_id),
            "deputies": [str(pk) for pk in case.deputies.values_list("pk", flat=True)],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_case(
                actor=request.user,
                case=case,
                caseworker=data["caseworker"],
                deputies=data["deputies"],
                site=data["site"],
                version=data["version"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The case has been saved."))
            return redirect(case_url(case))
    return render(request, "cases/case_edit.html", {"form": form, "case": case})


@membership_required
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    if not case.is_open:
        return redirect(case_url(case))
    form = CloseForm(
        request.POST or None, initial={"version": case.version, "closed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.close_case(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The case has been closed."))
            return redirect(case_url(case))
    return render(request, "cases/case_close.html", {"form": form, "case": case})


@require_POST
@membership_required
def case_hold(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    form = HoldForm(request.POST)
    submit(
        request,
        form,
        lambda data: services.hold(actor=request.user, case=case, **data),
        _("The case is on hold."),
    )
    return redirect(case_url(case))


@require_POST
@membership_required
def case_resume(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    form = HoldForm(request.POST)
    submit(
        request,
        form,
        lambda data: services.resume(actor=request.user, case=case, version=data["version"]),
        _("The case is active again."),
    )
    return redirect(case_url(case))


# --- the case page --------------------------------------------------------------------------


def _timeline(case: Case, contacts, plans, referrals, documents_, changes) -> list[dict]:
    """Everything that happened in the case, newest first."""
    entries = [
        {"when": timezone.localtime(c.starts_at), "kind": "contact", "item": c} for c in contacts
    ]
    entries += [
        {"when": _moment(plan.agreed_on), "kind": "plan", "item": plan}
        for plan in plans
        if plan.agreed_on
    ]
    entries += [{"when": _moment(r.referred_on), "kind": "referral", "item": r} for r in referrals]
    entries += [
        {"when": timezone.localtime(d.uploaded_at), "kind": "document", "item": d}
        for d in documents_
    ]
    entries += [
        {"when": timezone.localtime(c.changed_at), "kind": "status", "item": c} for c in changes
    ]
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _institutions(request: HttpRequest):
    return Institution.objects.visible_to(request.user).filter(is_active=True)


def _offers(request: HttpRequest):
    return (
        Offer.objects.visible_to(request.user)
        .current(timezone.localdate())
        .select_related("provider")
        .order_by("title")
    )


@membership_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, VIEW_CASES)
    services.record_read(actor=request.user, case=case)
    today = timezone.localdate()
    can_edit = request.membership.has_perm(EDIT_CASES) and case.is_open
    plans = list(case.plans.all())
    plan = next((p for p in plans if p.is_current), None)
    goals = (
        list(
            plan.goals.prefetch_related(
                Prefetch(
                    "measures",
                    queryset=PlanMeasure.objects.select_related("institution", "offer__provider"),
                )
            )
        )
        if plan
        else []
    )
    for goal in goals:
        for measure in goal.measures.all():
            measure.overdue = measure.is_overdue(today)
            if can_edit:
                measure.form = MeasureStatusForm(
                    initial={"status": measure.status, "note": measure.note},
                    prefix=f"measure-{measure.pk}",
                )
    contacts = list(case.contacts.select_related("staff"))
    now = timezone.now()
    referrals = list(case.referrals.select_related("institution", "offer"))
    documents_ = list(case.documents.select_related("uploaded_by"))
    changes = list(case.status_changes.select_related("changed_by"))
    context = {
        "case": case,
        "intake": case.intake,
        "sensitive": services.may_see_sensitive(request.user),
        "plan": plan,
        "goals": goals,
        "earlier_plans": [p for p in plans if not p.is_current],
        "upcoming": [c for c in contacts if c.starts_at > now][::-1],
        "held": [c for c in contacts if c.starts_at <= now],
        "referrals": referrals,
        "documents": documents_,
        "timeline": _timeline(case, contacts, plans, referrals, documents_, changes),
        "deputies": list(case.deputies.all()),
        "can_edit": can_edit,
        "today": today,
        "now": now,
    }
    if can_edit:
        context |= {
            "goal_form": GoalForm(auto_id="goal_%s"),
            "measure_form": PlanMeasureForm(
                goals=goals,
                institutions=_institutions(request),
                offers=_offers(request),
                auto_id="measure_%s",
                initial={"responsible": "caseworker"},
            ),
            "agree_form": AgreeForm(initial={"agreed_on": today}, auto_id="agree_%s"),
            "referral_form": ReferralForm(
                institutions=_institutions(request),
                offers=_offers(request),
                initial={"referred_on": today},
                auto_id="referral_%s",
            ),
            "document_form": DocumentForm(auto_id="document_%s"),
            "hold_form": HoldForm(initial={"version": case.version}, auto_id="hold_%s"),
        }
        for referral in referrals:
            referral.form = ReferralUpdateForm(
                initial={"status": referral.status, "feedback": referral.feedback},
                prefix=f"referral-{referral.pk}",
            )
    return render(request, "cases/case_detail.html", context)


@membership_required
def intake_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    if not case.is_open:
        return redirect(case_url(case, "intake"))
    sensitive = services.may_see_sensitive(request.user)
    intake = case.intake
    form = IntakeForm(
        request.POST or None,
        instance=type(intake).objects.get(pk=intake.pk),
        sensitive=sensitive,
        initial={"version": intake.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_intake(
                actor=request.user,
                case=case,
                data=form.section_data(),
                complete=form.cleaned_data["complete"],
                version=form.cleaned_data["version"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The intake has been saved."))
            return redirect(case_url(case, "intake"))
    return render(
        request,
        "cases/intake_form.html",
        {
            "form": form,
            "case": case,
            "intake": intake,
            "sensitive_fields": SENSITIVE_FIELDS,
            "sensitive": sensitive,
        },
    )


# --- help plan --------------------------------------------------------------------------------


def _current_plan(case: Case) -> HelpPlan:
    plan = services.current_plan(case)
    if plan is None:
        raise Http404
    return plan


@require_POST
@membership_required
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    form = GoalForm(request.POST)
    submit(
        request,
        form,
        lambda data: services.add_goal(actor=request.user, plan=_current_plan(case), **data),
        _("The goal has been added."),
    )
    return redirect(case_url(case, "plan"))


@require_POST
@membership_required
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    plan = _current_plan(case)
    form = PlanMeasureForm(
        request.POST,
        goals=list(plan.goals.all()),
        institutions=_institutions(request),
        offers=_offers(request),
    )
    submit(
        request,
        form,
        lambda data: services.add_measure(actor=request.user, **data),
        _("The measure has been added."),
    )
    return redirect(case_url(case, "plan"))


@require_POST
@membership_required
def measure_update(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        PlanMeasure.objects.filter(goal__plan__case__in=_cases(request)).select_related(
            "goal__plan__case"
        ),
        pk=pk,
    )
    require(request, EDIT_CASES)
    case = measure.goal.plan.case
    form = MeasureStatusForm(request.POST, prefix=f"measure-{measure.pk}")
    submit(
        request,
        form,
        lambda data: services.update_measure(actor=request.user, measure=measure, **data),
        _("The measure has been saved."),
    )
    return redirect(case_url(case, f"measure-{measure.pk}"))


@require_POST
@membership_required
def plan_agree(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    form = AgreeForm(request.POST)
    submit(
        request,
        form,
        lambda data: services.agree_plan(actor=request.user, plan=_current_plan(case), **data),
        _("The help plan has been agreed."),
    )
    return redirect(case_url(case, "plan"))


def _get_plan(request: HttpRequest, pk: int) -> HelpPlan:
    return get_object_or_404(
        HelpPlan.objects.filter(case__in=_cases(request)).select_related(
            "case__client", "case__caseworker", "case__programme"
        ),
        pk=pk,
    )


@membership_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    require(request, VIEW_CASES)
    goals = plan.goals.prefetch_related(
        Prefetch("measures", queryset=PlanMeasure.objects.select_related("institution", "offer"))
    )
    return render(
        request, "cases/plan_detail.html", {"plan": plan, "case": plan.case, "goals": goals}
    )


@membership_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan(request, pk)
    require(request, VIEW_CASES)
    services.printed_plan(actor=request.user, plan=plan)
    content = documents.help_plan_pdf(plan, request.organisation.name)
    return download(content, documents.help_plan_filename(plan), "application/pdf")


# --- contacts, referrals, documents ---------------------------------------------------------------


@membership_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    if not case.is_open:
        return redirect(case_url(case))
    now = timezone.localtime()
    form = ContactForm(
        request.POST or None,
        initial={"day": now.date(), "time": now.replace(minute=0).time(), "kind": "office"},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("day", "time")}
        try:
            services.record_contact(
                actor=request.user, case=case, starts_at=form.starts_at(), **data
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The contact has been recorded."))
            return redirect(case_url(case, "contacts"))
    return render(request, "cases/contact_form.html", {"form": form, "case": case})


@require_POST
@membership_required
def referral_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    form = ReferralForm(request.POST, institutions=_institutions(request), offers=_offers(request))
    submit(
        request,
        form,
        lambda data: services.refer(actor=request.user, case=case, **data),
        _("The referral has been recorded."),
    )
    return redirect(case_url(case, "referrals"))


@require_POST
@membership_required
def referral_update(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(
        Referral.objects.filter(case__in=_cases(request)).select_related("case"), pk=pk
    )
    require(request, EDIT_CASES)
    form = ReferralUpdateForm(request.POST, prefix=f"referral-{referral.pk}")
    submit(
        request,
        form,
        lambda data: services.update_referral(actor=request.user, referral=referral, **data),
        _("The referral has been saved."),
    )
    return redirect(case_url(referral.case, "referrals"))


@require_POST
@membership_required
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = _get(request, pk)
    require(request, EDIT_CASES)
    form = DocumentForm(request.POST, request.FILES)
    submit(
        request,
        form,
        lambda data: services.upload_document(
            actor=request.user,
            case=case,
            title=data["title"],
            upload=data["file"],
        ),
        _("The document has been uploaded."),
    )
    return redirect(case_url(case, "documents"))


@membership_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        CaseDocument.objects.filter(case__in=_cases(request)).select_related("case"), pk=pk
    )
    require(request, VIEW_CASES)
    try:
        handle = services.open_document(actor=request.user, document=document)
    except (ServiceError, FileNotFoundError) as error:
        raise Http404 from error
    suffix = document.file.name.rsplit(".", 1)[-1]
    return stored_file(
        handle,
        _("document-%(number)s-%(id)s.%(suffix)s")
        % {"number": document.case.number, "id": document.pk, "suffix": suffix},
    )


@permission_required(VIEW_CASES)
def referral_report(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/referral_report.html",
        {"partners": services.referrals_per_partner(_cases(request))},
    )


# --- calendar ------------------------------------------------------------------------------------


@permission_required(VIEW_CASES)
def calendar_week(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    monday = calendar.parse_week(request.GET.get("week", "")) or calendar.week_start(today)
    week = calendar.week(request.user, monday, timezone.get_current_timezone())
    feed = services.calendar_feed(request.user, request.organisation.pk)
    context = {
        "days": week.days,
        "monday": monday,
        "previous": calendar.iso_week(week.previous),
        "following": calendar.iso_week(week.next),
        "this_week": calendar.week_start(today) == monday,
        "today": today,
        "feed_url": request.build_absolute_uri(reverse("cases:ical_feed", args=[feed.token]))
        if feed
        else "",
        "can_feed": request.membership.has_perm(EDIT_CASES),
    }
    return render(request, "cases/calendar.html", context)


@require_POST
@permission_required(EDIT_CASES)
def feed_renew(request: HttpRequest) -> HttpResponse:
    show_result(
        request,
        lambda: services.renew_feed(actor=request.user),
        _("A new calendar address has been made; the old one no longer works."),
    )
    return redirect(reverse("cases:calendar") + "#feed")


@require_POST
@permission_required(EDIT_CASES)
def feed_revoke(request: HttpRequest) -> HttpResponse:
    show_result(
        request,
        lambda: services.revoke_feed(actor=request.user),
        _("The calendar address no longer works."),
    )
    return redirect(reverse("cases:calendar") + "#feed")


@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret address a calendar app fetches without signing in: a token
    that is revoked, or whose owner may no longer work with cases, is 404."""
    feed = (
        CalendarFeed.all_organisations.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    membership = Membership.all_organisations.filter(
        user=feed.user, organisation_id=feed.organisation_id, is_active=True
    ).first()
    if membership is None or not membership.has_perm(EDIT_CASES):
        raise Http404
    with (
        scope(organisation=feed.organisation_id),
        translation.override(feed.user.language or settings.LANGUAGE_CODE),
    ):
        contacts = calendar.feed_contacts(feed.user, feed.organisation_id, timezone.localdate())
        content = calendar.ical_feed(contacts, name=_("Lotse appointments"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
