"""Answering a person's access request: a page that says what the copy will
hold, and the copy itself as a download. Thin views: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.roles import HANDLE_PRIVACY
from lotse.core.exceptions import ServiceError
from lotse.core.permissions import membership_required, require
from lotse.core.ratelimit import rate_limited
from lotse.core.views import AUDIT_PAGE_SIZE, audit_rows, download
from lotse.people.models import Person

from . import services


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
