from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.accounts.roles import EDIT_TANDEMS, MANAGE_PROGRAMMES, VIEW_TANDEMS
from lotse.core.exceptions import Conflict, ServiceError
from lotse.core.models import Site
from lotse.core.permissions import membership_required, permission_required, require
from lotse.core.views import download, show_result, stored_file, submit
from lotse.programmes.models import Programme, ProgrammeKind

from . import agreement, panels, services
from .forms import (
    AgreementTemplateForm,
    EndForm,
    FollowUpForm,
    MeetingForm,
    PauseForm,
    SignatureForm,
    SupportTimeForm,
    TandemFilterForm,
    TandemForm,
)
from .models import (
    RUNNING,
    FollowUp,
    Meeting,
    Tandem,
    TandemStatus,
)

PAGE_SIZE = 50


def _tandems(request: HttpRequest):
    return Tandem.objects.visible_to(request.user)


def _sites(request: HttpRequest):
    return Site.objects.visible_to(request.user).filter(is_active=True)


def _get(request: HttpRequest, pk: int) -> Tandem:
    return get_object_or_404(
        _tandems(request).select_related(
            "programme", "site", "coordinator", "mentee__person", "mentor__person"
        ),
        pk=pk,
    )


# --- list ------------------------------------------------------------------------


@permission_required(VIEW_TANDEMS)
def tandem_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    staff = services.staff_for_tandems(request.organisation.pk)
    form = TandemFilterForm(
        request.GET or None,
        programmes=Programme.objects.visible_to(request.user),
        sites=_sites(request),
        staff=staff,
    )
    tandems = _tandems(request)
    if request.site is not None:
        tandems = tandems.filter(site=request.site)
    state = "running"
    if form.is_valid():
        data = form.cleaned_data
        state = data["state"] or "running"
        if data["programme"]:
            tandems = tandems.filter(programme=data["programme"])
        if data["site"]:
            tandems = tandems.filter(site=data["site"])
        if data["coordinator"]:
            tandems = tandems.filter(coordinator_id=data["coordinator"])
        if data["overdue"]:
            tandems = tandems.overdue(today)
    if state == "running":
        tandems = tandems.filter(status__in=RUNNING)
    elif state in TandemStatus.values:
        tandems = tandems.filter(status=state)
    # The page's keys first, then its rows with what they show: the database
    # sorts and counts the tandems alone, without the joins.
    page = Paginator(
        tandems.order_by("-created_at", "-pk").values_list("pk", flat=True), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = _tandems(request).select_related(
        "programme", "site", "coordinator", "mentee__person", "mentor__person"
    )
    # Meetings counted for the page's tandems only, not for every tandem.
    found = rows.annotate(meeting_count=Count("meetings")).in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    for tandem in page.object_list:
        tandem.overdue_flag = tandem.is_overdue(today)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.membership.has_perm(MANAGE_PROGRAMMES) and not request.htmx:
        context["agreement_programmes"] = (
            Programme.objects.visible_to(request.user)
            .exclude(kind=ProgrammeKind.CASE_MANAGEMENT)
            .order_by("name")
        )
    template = "tandems/_tandem_results.html" if request.htmx else "tandems/tandem_list.html"
    return render(request, template, context)


# --- one tandem --------------------------------------------------------------------


def _timeline(tandem: Tandem, meetings, support) -> list[dict]:
    """Meetings, support time and status changes of the tandem, newest first."""
    entries = [{"when": m.held_on, "kind": "meeting", "item": m} for m in meetings] + [
        {"when": s.spent_on, "kind": "support", "item": s} for s in support
    ]
    for change in tandem.status_changes.select_related("changed_by"):
        entries.append(
            {"when": timezone.localdate(change.changed_at), "kind": "status", "item": change}
        )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries


@membership_required
def tandem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get(request, pk)
    require(request, VIEW_TANDEMS)
    today = timezone.localdate()
    can_edit = request.membership.has_perm(EDIT_TANDEMS)
    meetings = list(tandem.meetings.select_related("recorded_by"))
    support = list(tandem.support_times.select_related("staff"))
    outcome = getattr(tandem, "outcome", None) if tandem.is_ended else None
    context = {
        "tandem": tandem,
        "today": today,
        "overdue": tandem.is_overdue(today),
        "can_edit": can_edit,
        "meetings": meetings,
        "support_minutes": sum(entry.minutes for entry in support),
        "meeting_minutes": sum(meeting.duration_minutes for meeting in meetings),
        "timeline": _timeline(tandem, meetings, support),
        # The questionnaires' answers, from the surveys app (tandems.panels).
        "panels": panels.PAGE.render(request, tandem),
        "outcome": outcome,
        "follow_ups": list(tandem.follow_ups.all()),
    }
    if can_edit:
        context |= {
            "signature_form": SignatureForm(
                initial={"version": tandem.version, "signed_on": today}, auto_id="sign_%s"
            ),
            "meeting_form": MeetingForm(initial={"held_on": today}, auto_id="meeting_%s"),
            "support_form": SupportTimeForm(initial={"spent_on": today}, auto_id="support_%s"),
            "pause_form": PauseForm(initial={"version": tandem.version}, auto_id="pause_%s"),
        }
        for follow_up in context["follow_ups"]:
            follow_up.form = FollowUpForm(prefix=f"follow-up-{follow_up.pk}")
    return render(request, "tandems/tandem_detail.html", context)


@membership_required
def tandem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get(request, pk)
    require(request, EDIT_TANDEMS)
    if not tandem.is_running:
        messages.error(request, _("The tandem has ended; it can no longer be changed."))
        return redirect("tandems:tandem_detail", pk=tandem.pk)
    form = TandemForm(
        request.POST or None,
        sites=_sites(request),
        staff=services.staff_for_tandems(tandem.organisation_id),
        initial={
            "version": tandem.version,
            "goals": tandem.goals,
            "coordinator": tandem.coordinator_id,
            "site": tandem.site_id,
            "started_on": tandem.started_on,
            "planned_end_on": tandem.planned_end_on,
        },
    )
    if form.is_valid():
        try:
            services.update_tandem(
                actor=request.user,
                tandem=tandem,
                version=form.cleaned_data["version"],
                **form.tandem_values(),
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("tandems:tandem_edit", pk=tandem.pk)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("tandems:tandem_detail", pk=tandem.pk)
    return render(request, "tandems/tandem_form.html", {"form": form, "tandem": tandem})


@membership_required
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get(request, pk)
    require(request, EDIT_TANDEMS)
    language = request.GET.get("language") or get_language() or "de"
    language = "de" if language.startswith("de") else "en"
    try:
        pdf = services.agreement_pdf(actor=request.user, tandem=tandem, language=language)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("tandems:tandem_detail", pk=tandem.pk)
    # The file name carries the tandem's number, never the people's names.
    name = _("agreement-%(number)s-%(language)s.pdf") % {
        "number": tandem.number,
        "language": language,
    }
    return download(pdf, name, "application/pdf")


@membership_required
def agreement_scan(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get(request, pk)
    require(request, VIEW_TANDEMS)
    try:
        handle = services.open_agreement_scan(actor=request.user, tandem=tandem)
    except (ServiceError, FileNotFoundError) as error:
        raise Http404 from error
    suffix = tandem.agreement_scan.name.rsplit(".", 1)[-1]
    return stored_file(
        handle,
        _("agreement-%(number)s-signed.%(suffix)s") % {"number": tandem.number, "suffix": suffix},
    )


def tandem_url(tandem: Tandem, anchor: str = "") -> str:
    url = reverse("tandems:tandem_detail", args=[tandem.pk])
    return f"{url}#{anchor}" if anchor else url


def _small_form(request, pk, form_class, use_case, success: str, anchor: str = "") -> HttpResponse:
    """One of the small forms of the tandem page: a form's errors come back
    as messages, a valid form goes to `use_case(actor=, tandem=, **data)`."""
    tandem = _get(request, pk)
    require(request, EDIT_TANDEMS)
    form = form_class(request.POST, request.FILES)
    submit(request, form, lambda data: use_case(actor=request.user, tandem=tandem, **data), success)
    return redirect(tandem_url(tandem, anchor))


@require_POST
@membership_required
def tandem_sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _small_form(
        request,
        pk,
        SignatureForm,
        services.record_signature,
        _("The signature has been recorded."),
        "agreement",
    )


@require_POST
@membership_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _small_form(
        request,
        pk,
        MeetingForm,
        services.log_meeting,
        _("The meeting has been logged."),
        "meetings",
    )


@require_POST
@membership_required
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.filter(tandem__in=_tandems(request)).select_related("tandem"), pk=pk
    )
    require(request, EDIT_TANDEMS)
    show_result(
        request,
        lambda: services.delete_meeting(actor=request.user, meeting=meeting),
        _("The meeting has been deleted."),
    )
    return redirect(tandem_url(meeting.tandem, "meetings"))


@require_POST
@membership_required
def support_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _small_form(
        request,
        pk,
        SupportTimeForm,
        services.log_support_time,
        _("The support time has been logged."),
        "support",
    )


@require_POST
@membership_required
def tandem_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _small_form(request, pk, PauseForm, services.pause, _("The tandem is paused."))


@require_POST
@membership_required
def tandem_resume(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get(request, pk)
    require(request, EDIT_TANDEMS)
    version = request.POST.get("version", "")
    show_result(
        request,
        lambda: services.resume(
            actor=request.user, tandem=tandem, version=int(version) if version.isdigit() else 0
        ),
        _("The tandem is active again."),
    )
    return redirect("tandems:tandem_detail", pk=tandem.pk)


@membership_required
def tandem_end(request: HttpRequest, pk: int) -> HttpResponse:
    tandem = _get(request, pk)
    require(request, EDIT_TANDEMS)
    if not tandem.is_running:
        messages.error(request, _("The tandem has ended; it can no longer be changed."))
        return redirect("tandems:tandem_detail", pk=tandem.pk)
    today = timezone.localdate()
    form = EndForm(
        request.POST or None,
        initial={"version": tandem.version, "ended_on": min(today, tandem.planned_end_on or today)},
    )
    if form.is_valid():
        try:
            services.end_tandem(
                actor=request.user,
                tandem=tandem,
                version=form.cleaned_data["version"],
                **form.end_values(),
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("tandems:tandem_end", pk=tandem.pk)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The tandem has ended."))
            return redirect("tandems:tandem_detail", pk=tandem.pk)
    return render(request, "tandems/tandem_end.html", {"form": form, "tandem": tandem})


@require_POST
@membership_required
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.filter(tandem__in=_tandems(request)).select_related("tandem"), pk=pk
    )
    require(request, EDIT_TANDEMS)
    form = FollowUpForm(request.POST, prefix=f"follow-up-{follow_up.pk}")
    submit(
        request,
        form,
        lambda data: services.record_follow_up(actor=request.user, follow_up=follow_up, **data),
        _("The follow-up has been recorded."),
    )
    return redirect(tandem_url(follow_up.tandem, "outcome"))


# --- the agreement template of a programme ---------------------------------------


@membership_required
def agreement_template(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
    require(request, MANAGE_PROGRAMMES)
    template = agreement.template_for(programme)
    initial = {name: getattr(template, name) for name in agreement.DEFAULT}
    initial["version"] = template.version if template.pk else 0
    form = AgreementTemplateForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.save_agreement_template(
                actor=request.user,
                programme=programme,
                version=form.cleaned_data["version"] or 0,
                **form.texts(),
            )
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("tandems:agreement_template", pk=programme.pk)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The agreement has been saved."))
            return redirect("tandems:agreement_template", pk=programme.pk)
    return render(
        request,
        "tandems/agreement_template.html",
        {"form": form, "programme": programme, "placeholders": agreement.PLACEHOLDERS},
    )
