"""Data protection pages: a person's access copy and who opened their record;
erasure by anonymisation with a second administrator's confirmation; the
retention periods and the people due. Thin views: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lotse.accounts.roles import HANDLE_PRIVACY
from lotse.core.exceptions import ServiceError
from lotse.core.permissions import membership_required, permission_required, require
from lotse.core.ratelimit import rate_limited
from lotse.core.views import AUDIT_PAGE_SIZE, audit_rows, download, form_saved
from lotse.people.models import Person

from . import records, retention, services
from .forms import DecisionForm, ErasureForm, PeriodsForm
from .models import Erasure, ErasureStatus


@membership_required
@rate_limited("access_copy", 20, 3600, per_user=True)
def access_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    require(request, HANDLE_PRIVACY)
    if request.method == "POST":
        try:
            archive = services.access_export(actor=request.user, person=person)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            # The file's name carries the record's number, never the name.
            name = _("access-copy-%(number)d-%(date)s") % {
                "number": person.pk,
                "date": timezone.localdate().isoformat(),
            }
            return download(archive, f"{name}.zip", "application/zip")
    sections = [(section.title, _counts(section)) for section in services.collect(person)]
    return render(request, "privacy/access_export.html", {"person": person, "sections": sections})


def _counts(section: services.Section) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for row in section.entries:
        counts[row.title] = counts.get(row.title, 0) + 1
    return list(counts.items())


@membership_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who opened or changed the person's record and cases, newest first."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    require(request, HANDLE_PRIVACY)
    reads_only = request.GET.get("reads") == "1"
    entries = services.history(actor=request.user, person=person, reads_only=reads_only)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "person": person,
        "page": page,
        "rows": audit_rows(page),
        "reads_only": reads_only,
        "query": "reads=1" if reads_only else "",
    }
    return render(request, "privacy/person_history.html", context)


@permission_required(HANDLE_PRIVACY)
def overview(request: HttpRequest) -> HttpResponse:
    """Erasures waiting for a second administrator, those decided, and how
    many people are due under the retention periods."""
    erasures = Erasure.objects.visible_to(request.user).select_related("requested_by", "decided_by")
    waiting = erasures.filter(status=ErasureStatus.REQUESTED).select_related("person")
    decided = erasures.exclude(status=ErasureStatus.REQUESTED)
    page = Paginator(decided, 50).get_page(request.GET.get("page"))
    context = {
        "waiting": waiting,
        "page": page,
        "due": len(retention.due(request.organisation.pk)),
    }
    return render(request, "privacy/overview.html", context)


@membership_required
def erasure_request(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    require(request, HANDLE_PRIVACY)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = form_saved(
            request,
            form,
            lambda: services.request_erasure(
                actor=request.user, person=person, reason=form.cleaned_data["reason"]
            ),
            _("The erasure waits for a second administrator to confirm it."),
        )
        if done is not None:
            return redirect("privacy:overview")
    context = {
        "person": person,
        "form": form,
        "holds": [] if person.anonymised_at else services.holds(person),
        "sections": [(section.title, _counts(section)) for section in services.collect(person)],
    }
    return render(request, "privacy/erasure_request.html", context)


@require_POST
@membership_required
def erasure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = get_object_or_404(
        Erasure.objects.visible_to(request.user).filter(
            person__in=Person.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    require(request, HANDLE_PRIVACY)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to confirm or cancel the erasure."))
        return redirect("privacy:overview")
    try:
        if form.cleaned_data["decision"] == "confirm":
            services.confirm_erasure(actor=request.user, erasure=erasure)
            messages.success(request, _("The person's data has been anonymised."))
        else:
            services.cancel_erasure(actor=request.user, erasure=erasure)
            messages.success(request, _("The erasure has been cancelled."))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("privacy:overview")


@permission_required(HANDLE_PRIVACY)
def retention_review(request: HttpRequest) -> HttpResponse:
    """The periods per kind of record, and the people due for review."""
    organisation = request.organisation
    form = PeriodsForm(
        request.POST if request.POST.get("action") == "periods" else None,
        periods=retention.periods(organisation.pk),
    )
    if request.method == "POST":
        if request.POST.get("action") == "periods":
            if form.is_valid():
                done = form_saved(
                    request,
                    form,
                    lambda: retention.set_periods(
                        actor=request.user, organisation=organisation, values=form.values()
                    ),
                    _("The retention periods have been saved."),
                )
                if done is not None:
                    return redirect("privacy:retention")
        elif request.POST.get("action") == "anonymise":
            chosen = [int(value) for value in request.POST.getlist("person") if value.isdigit()]
            try:
                count = retention.confirm(
                    actor=request.user, organisation=organisation, person_ids=chosen
                )
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                if count:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d person has been anonymised.",
                            "%(count)d people have been anonymised.",
                            count,
                        )
                        % {"count": count},
                    )
                else:
                    messages.error(request, _("Choose the people to anonymise."))
            return redirect("privacy:retention")
    visible = set(Person.objects.visible_to(request.user).values_list("pk", flat=True))
    due = [entry for entry in retention.due(organisation.pk) if entry.person.pk in visible]
    page = Paginator(due, DUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/retention.html", {"form": form, "due": due, "page": page})


# People due per page of the review: a page an administrator can check.
DUE_PAGE_SIZE = 100


@permission_required(HANDLE_PRIVACY)
def processing_records(request: HttpRequest) -> HttpResponse:
    """The records of processing (Art. 30), on the page and, asked for with
    `?format=pdf`, as a PDF."""
    found = records.records(actor=request.user, organisation=request.organisation)
    if request.GET.get("format") == "pdf":
        name = _("records-of-processing-%(date)s") % {"date": timezone.localdate().isoformat()}
        return download(records.pdf(found), f"{name}.pdf", "application/pdf")
    return render(request, "privacy/records.html", {"records": found})
