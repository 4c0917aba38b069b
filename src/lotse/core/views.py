from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import audit, mytasks, services
from .exceptions import ServiceError
from .forms import AuditFilterForm, SiteChangeForm, SiteForm, SiteSwitchForm
from .middleware import SITE_SESSION_KEY
from .models import AuditEntry, Site
from .permissions import (
    MANAGE_SITES,
    VIEW_AUDIT_LOG,
    membership_required,
    permission_required,
    require,
)

AUDIT_PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return redirect("accounts:login")


@membership_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    tasks = mytasks.for_user(request.user, timezone.localdate())
    context: dict[str, object] = {
        "task_groups": mytasks.grouped(tasks),
        "task_count": len(tasks),
        "two_factor_enabled": request.user.has_device(),
        "recent_entries": None,  # only for those who may read the audit log
    }
    if membership.has_perm(VIEW_AUDIT_LOG):
        context["recent_entries"] = AuditEntry.objects.visible_to(request.user).select_related(
            "actor", "target_type", "site"
        )[:5]
    return render(request, "core/dashboard.html", context)


def show_result(request: HttpRequest, call: Callable[[], object], success: str) -> bool:
    """Run a use case for a view and say how it went in a message: `success`,
    or the ServiceError's own sentence."""
    try:
        call()
    except ServiceError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def form_errors(request: HttpRequest, form) -> None:
    """A small form of a page was not valid: say what, in messages, since the
    page it came from is shown again by a redirect."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def submit(request: HttpRequest, form, use_case: Callable[[dict], object], success: str) -> bool:
    """A small form of a page, posted and answered by a redirect: if valid,
    run `use_case(form.cleaned_data)` and say how it went (show_result);
    if not, say what is wrong (form_errors)."""
    if not form.is_valid():
        form_errors(request, form)
        return False
    return show_result(request, lambda: use_case(form.cleaned_data), success)


def form_saved(request: HttpRequest, form, call: Callable[[], object], success: str) -> Any:
    """Run a use case for a form page: its result, with `success` as a
    message; or None, with the ServiceError on the form, so that the page
    shows it with everything typed still there."""
    try:
        result = call()
    except ServiceError as error:
        form.add_error(None, error.message)
        return None
    messages.success(request, success)
    return result


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A generated document (PDF, XLSX, CSV) as an attachment that no cache keeps."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def stored_file(handle, filename: str) -> FileResponse:
    """An uploaded document, opened by a service that checked and audited the
    read: an attachment, never cached, never sniffed into something runnable."""
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembering the choice on the user for e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@require_POST
@membership_required
def switch_site(request: HttpRequest) -> HttpResponse:
    form = SiteSwitchForm(request.POST, site_ids=request.membership.site_ids)
    if form.is_valid():
        site_id = form.cleaned_data["site"]
        if site_id is None:
            request.session.pop(SITE_SESSION_KEY, None)
        else:
            request.session[SITE_SESSION_KEY] = site_id
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return HttpResponseRedirect(target)


@permission_required(VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest) -> HttpResponse:
    visible = AuditEntry.objects.visible_to(request.user)
    actors = list(
        get_user_model()
        .objects.filter(pk__in=visible.values("actor"))
        .order_by("full_name")
        .values_list("pk", "full_name")
    )
    form = AuditFilterForm(request.GET or None, actors=actors)
    entries = visible.select_related("actor", "target_type", "site")
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["actor"]:
            entries = entries.filter(actor_id=int(data["actor"]))
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            entries = entries.filter(
                created_at__gte=datetime.combine(data["date_from"], time.min, tzinfo=zone)
            )
        if data["date_to"]:
            entries = entries.filter(
                created_at__lte=datetime.combine(data["date_to"], time.max, tzinfo=zone)
            )
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = audit_rows(page)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    template = "core/_audit_results.html" if request.htmx else "core/audit_log.html"
    return render(request, template, context)


def audit_rows(entries) -> list[dict]:
    """Audit entries as the log's table shows them (core/_audit_results.html)."""
    return [
        {
            "entry": entry,
            "label": audit.action_label(entry.action),
            "fields": _field_labels(entry),
            "object": _object_label(entry),
        }
        for entry in entries
    ]


def _object_label(entry: AuditEntry) -> str:
    if entry.target_type is None:
        return ""
    model = entry.target_type.model_class()
    name = model._meta.verbose_name if model else entry.target_type.model
    return f"{name} #{entry.target_id}"


def _field_labels(entry: AuditEntry) -> list[str]:
    model = entry.target_type.model_class() if entry.target_type else None
    labels = []
    for name in entry.changed_fields:
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:  # a field removed since keeps its stored name
            field = None
        if field is None:
            labels.append(name)
        elif field.auto_created and not field.concrete:
            # A reverse relation (a programme's steps): named by the related model.
            labels.append(str(field.related_model._meta.verbose_name_plural))
        else:
            labels.append(str(field.verbose_name))
    return labels


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@permission_required(MANAGE_SITES)
def site_list(request: HttpRequest) -> HttpResponse:
    sites = Site.objects.visible_to(request.user).order_by("-is_active", "name")
    return render(request, "core/site_list.html", {"sites": sites})


@permission_required(MANAGE_SITES)
def site_create(request: HttpRequest) -> HttpResponse:
    form = SiteForm(request.POST or None)
    if form.is_valid():
        try:
            site = services.create_site(
                actor=request.user, organisation=request.organisation, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, _("The site %(name)s was created.") % {"name": site.name})
            return redirect("core:site_list")
    return render(request, "core/site_form.html", {"form": form, "site": None})


@membership_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site.objects.visible_to(request.user), pk=pk)
    require(request, MANAGE_SITES)
    initial = {
        "name": site.name,
        "municipality": site.municipality,
        "is_active": site.is_active,
        "version": site.version,
    }
    form = SiteChangeForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.change_site(actor=request.user, site=site, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("core:site_list")
    return render(request, "core/site_form.html", {"form": form, "site": site})
