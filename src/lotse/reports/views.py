"""The reports: the dashboard of key figures, the records behind a figure,
and the anonymised statistics, each also as XLSX and CSV."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.accounts.roles import EDIT_PEOPLE, VIEW_PEOPLE, VIEW_REPORTS
from lotse.core.kpis import RATE, Kpi, Rate, Scope, sharing
from lotse.core.permissions import permission_required, require
from lotse.core.views import download, form_saved
from lotse.people.export import to_csv, to_xlsx

from . import annual, registry, services, statistics
from .charts import trend_svg
from .forms import AnnualReportForm, ReportForm, TestimonialForm
from .models import AnnualReport, ReportStatus, Testimonial
from .templatetags.reports import figure_text

RECORDS_PAGE_SIZE = 50
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _tabs(request: HttpRequest) -> dict[str, object]:
    """What the reports' tabs need: testimonials name their authors."""
    return {"show_testimonials": request.membership.has_perm(VIEW_PEOPLE)}


def _form(request: HttpRequest) -> ReportForm:
    return ReportForm(request.GET, user=request.user)


def _scope(request: HttpRequest, form: ReportForm) -> Scope:
    """The records the user's reports count: their organisation's, of the
    chosen period and programme, at the chosen site or all of theirs."""
    membership = request.membership
    period = form.period()
    site = form.cleaned_data.get("site")
    if site is not None:
        site_ids: frozenset[int] | None = frozenset({site.pk})
    elif membership.all_sites:
        site_ids = None
    else:
        site_ids = frozenset(membership.site_ids)
    programme = form.cleaned_data.get("programme")
    return Scope(
        organisation_id=membership.organisation_id,
        start=period.start,
        end=period.end,
        programme_id=programme.pk if programme else None,
        site_ids=site_ids,
    )


def _number(value) -> float | None:
    """What a chart or a spreadsheet cell shows of a value."""
    if isinstance(value, Rate):
        return value.percent
    return value


def _rows(kpi: Kpi, value, previous) -> list[dict]:
    """A figure's line, or for a breakdown a line per key."""
    if isinstance(value, dict):
        labels = kpi.labels() if kpi.labels else {}
        return [
            {"label": labels.get(key, key), "value": value[key], "previous": previous.get(key)}
            for key in value
        ]
    return [{"label": kpi.label, "value": value, "previous": previous}]


def figures(request: HttpRequest, scope: Scope, period) -> list[dict]:
    """The sections of the dashboard, each with its figures for the period
    and the period before."""
    before = period.previous()
    earlier = scope.moved(before.start, before.end)
    membership = request.membership
    sections: dict[str, dict] = {}
    for kpi in registry.kpis():
        value, previous = registry.value(kpi, scope), registry.value(kpi, earlier)
        drill = kpi.records is not None and membership.has_perm(kpi.permission)
        section = sections.setdefault(
            kpi.section, {"code": kpi.section, "label": registry.SECTIONS[kpi.section], "rows": []}
        )
        section["rows"].append(
            {
                "kpi": kpi,
                "lines": _rows(kpi, value, previous),
                "breakdown": isinstance(value, dict),
                "records_url": reverse("reports:records", args=[kpi.code]) if drill else None,
            }
        )
    return list(sections.values())


def trends(scope: Scope, period) -> list[dict]:
    periods = period.trend()
    charts = []
    for kpi in registry.kpis():
        if not kpi.trend:
            continue
        values = [registry.value(kpi, scope.moved(each.start, each.end)) for each in periods]
        texts = [figure_text(value, kpi.unit) for value in values]
        labels = [each.short_label for each in periods]
        charts.append(
            {
                "kpi": kpi,
                "points": list(zip(labels, values, strict=True)),
                "chart": trend_svg(
                    title=str(kpi.label),
                    labels=labels,
                    values=[_number(value) for value in values],
                    value_labels=texts,
                    id_prefix=f"trend-{kpi.code}",
                ),
            }
        )
    return charts


@permission_required(VIEW_REPORTS)
def dashboard(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict[str, object] = {"form": form, "query": request.GET.urlencode(), **_tabs(request)}
    if form.is_valid():
        period = form.period()
        scope = _scope(request, form)
        with sharing():
            context |= {
                "period": period,
                "previous": period.previous(),
                "sections": figures(request, scope, period),
                # The trend charts come in a second request once the figures
                # are shown (htmx), or on a page of their own without JavaScript.
                "trends_url": _with_query(reverse("reports:dashboard_trends"), request),
            }
    return render(request, "reports/dashboard.html", context)


def _with_query(url: str, request: HttpRequest) -> str:
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@permission_required(VIEW_REPORTS)
def dashboard_trends(request: HttpRequest) -> HttpResponse:
    """The dashboard's trend charts: for htmx the section's content, else a page."""
    form = _form(request)
    if not form.is_valid():
        return redirect(_with_query(reverse("reports:dashboard"), request))
    period = form.period()
    with sharing():
        context = {"period": period, "trends": trends(_scope(request, form), period)}
    if request.htmx:
        return render(request, "reports/_trends.html", context)
    context["dashboard_url"] = _with_query(reverse("reports:dashboard"), request)
    return render(request, "reports/trends.html", context)


def _export(rows: list[list[object]], header: list[str], name: str, fmt: str) -> HttpResponse:
    content = to_xlsx(header, rows, sheet=name) if fmt == "xlsx" else to_csv(header, rows)
    return download(content, f"{name}.{fmt}", CONTENT_TYPES[fmt])


def _invalid(form: ReportForm) -> HttpResponse:
    message = " ".join(str(error) for errors in form.errors.values() for error in errors)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


@permission_required(VIEW_REPORTS)
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return _invalid(form)
    period = form.period()
    header = [
        _("Section"),
        _("Key figure"),
        _("Definition"),
        _("Unit"),
        period.label,
        period.previous().label,
    ]
    rows = []
    with sharing():
        sections = figures(request, _scope(request, form), period)
    for section in sections:
        for row in section["rows"]:
            kpi = row["kpi"]
            unit = _("per cent") if kpi.unit == RATE else ""
            for line in row["lines"]:
                label = line["label"] if not row["breakdown"] else f"{kpi.label}: {line['label']}"
                rows.append(
                    [
                        str(section["label"]),
                        str(label),
                        str(kpi.definition),
                        unit,
                        _number(line["value"]),
                        _number(line["previous"]),
                    ]
                )
    return _export(rows, header, _("key-figures"), fmt)


@permission_required(VIEW_REPORTS)
def records(request: HttpRequest, code: str) -> HttpResponse:
    """What a figure counted, for roles that may see those records."""
    kpi = registry.by_code(code)
    if kpi is None or kpi.records is None:
        raise Http404
    require(request, kpi.permission)
    form = _form(request)
    context: dict[str, object] = {"form": form, "kpi": kpi, "query": request.GET.urlencode()}
    if form.is_valid():
        scope = _scope(request, form)
        found = kpi.records(scope).visible_to(request.user).order_by("pk")
        page = Paginator(found, RECORDS_PAGE_SIZE).get_page(request.GET.get("page"))
        context |= {
            "period": form.period(),
            "page": page,
            "items": [(str(item), reverse(kpi.detail, args=[item.pk])) for item in page],
        }
    return render(request, "reports/records.html", context)


@permission_required(VIEW_REPORTS)
def statistics_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict[str, object] = {
        "form": form,
        "query": request.GET.urlencode(),
        "threshold": statistics.threshold(),
        **_tabs(request),
    }
    if form.is_valid():
        context |= {
            "period": form.period(),
            "breakdowns": statistics.breakdowns(_scope(request, form)),
        }
    return render(request, "reports/statistics.html", context)


@permission_required(VIEW_REPORTS)
def statistics_export(request: HttpRequest, fmt: str) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return _invalid(form)
    hidden = _("hidden")
    rows: list[list[object]] = []
    for breakdown in statistics.breakdowns(_scope(request, form)):
        for label, counts in breakdown.body():
            shown = [hidden if count is None else count for count in counts]
            rows.append([breakdown.title, label, *shown])
    header = [_("Breakdown"), _("Group"), _("Participants"), _("Volunteers"), _("Together")]
    return _export(rows, header, _("statistics"), fmt)


# --- testimonials -----------------------------------------------------------------


@permission_required(VIEW_PEOPLE)
def testimonial_list(request: HttpRequest) -> HttpResponse:
    testimonials = (
        Testimonial.objects.visible_to(request.user)
        .with_consent()
        .select_related("person", "programme")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(testimonials, RECORDS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_edit": request.membership.has_perm(EDIT_PEOPLE), **_tabs(request)}
    return render(request, "reports/testimonial_list.html", context)


@permission_required(EDIT_PEOPLE)
def testimonial_create(request: HttpRequest) -> HttpResponse:
    return _testimonial_form(request, None)


@permission_required(VIEW_PEOPLE)
def testimonial_edit(request: HttpRequest, pk: int) -> HttpResponse:
    testimonial = get_object_or_404(Testimonial.objects.visible_to(request.user), pk=pk)
    require(request, EDIT_PEOPLE)
    return _testimonial_form(request, testimonial)


def _testimonial_form(request: HttpRequest, testimonial: Testimonial | None) -> HttpResponse:
    bound = request.POST if request.method == "POST" else None
    form = TestimonialForm(bound, instance=testimonial, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form_saved(
            request,
            form,
            lambda: services.save_testimonial(
                actor=request.user, data=form.values(), testimonial=testimonial
            ),
            _("The testimonial has been saved."),
        )
        if saved is not None:
            return redirect("reports:testimonial_list")
    return render(
        request, "reports/testimonial_form.html", {"form": form, "testimonial": testimonial}
    )


# --- annual reports ---------------------------------------------------------------


@permission_required(VIEW_REPORTS)
def annual_report_list(request: HttpRequest) -> HttpResponse:
    bound = request.POST if request.method == "POST" else None
    form = AnnualReportForm(bound, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        values["logo"] = request.FILES.get("logo")
        report = form_saved(
            request,
            form,
            lambda: services.request_annual_report(actor=request.user, data=values),
            _("The annual report is being written."),
        )
        if report is not None:
            return redirect("reports:annual_report", report.pk)
    reports = AnnualReport.objects.visible_to(request.user).select_related("programme")[:50]
    return render(
        request,
        "reports/annual_report_list.html",
        {"form": form, "reports": reports, **_tabs(request)},
    )


def _annual_report(request: HttpRequest, pk: int) -> AnnualReport:
    report = get_object_or_404(AnnualReport.objects.visible_to(request.user), pk=pk)
    return annual.mark_stale(report)


@permission_required(VIEW_REPORTS)
def annual_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _annual_report(request, pk)
    template = (
        "reports/_annual_report_status.html" if request.htmx else "reports/annual_report.html"
    )
    return render(request, template, {"report": report})


@permission_required(VIEW_REPORTS)
def annual_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _annual_report(request, pk)
    if report.status != ReportStatus.DONE or not report.pdf:
        raise Http404
    with report.pdf.open("rb") as handle:
        content = handle.read()
    return download(content, report.filename, "application/pdf")
