"""The annual report as PDF: cover with the organisation's name and logo,
the foreword, the key figures of the year beside the year before, the trend
charts, the anonymised statistics and the testimonials chosen (those whose
consent still holds when the report is written).

Typeset with Typst like every document of Lotse: the texts go in as one JSON
document in `sys.inputs`, never as markup; the logo and the charts are files
in a temporary folder that is the document's root, so the template can read
nothing else. Written in the background (`start`) with its progress on the
report's row, which the report's page shows."""

from __future__ import annotations

import datetime
import json
import logging
import shutil
import tempfile
import threading
from importlib.resources import files
from pathlib import Path
from typing import Any

import typst
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope as organisation_scope

from lotse.core.kpis import Scope, sharing
from lotse.core.models import Organisation

from . import registry, statistics
from .charts import trend_svg
from .models import AnnualReport, ReportStatus
from .periods import Period
from .templatetags.reports import figure_text

logger = logging.getLogger(__name__)

# A report still "being written" this long after it was asked for was cut off
# (the server restarted): its page says it failed, and it can be asked for again.
STALE_AFTER = datetime.timedelta(minutes=15)


def _progress(report: AnnualReport, percent: int, step: str) -> None:
    AnnualReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, progress=percent, step=step
    )


def _scope(report: AnnualReport, period: Period) -> Scope:
    return Scope(
        organisation_id=report.organisation_id,
        start=period.start,
        end=period.end,
        programme_id=report.programme_id,
        site_ids=frozenset(report.site_ids) if report.site_ids is not None else None,
    )


def _figures(scope: Scope, before: Scope) -> list[dict[str, Any]]:
    sections: dict[str, dict[str, Any]] = {}
    for kpi in registry.kpis():
        value, previous = registry.value(kpi, scope), registry.value(kpi, before)
        section = sections.setdefault(
            kpi.section, {"label": str(registry.SECTIONS[kpi.section]), "rows": []}
        )
        if isinstance(value, dict):
            labels = kpi.labels() if kpi.labels else {}
            lines = [
                (f"{kpi.label}: {labels.get(key, key)}", value[key], previous.get(key))
                for key in value
            ]
        else:
            lines = [(str(kpi.label), value, previous)]
        for label, current, earlier in lines:
            section["rows"].append(
                {
                    "code": kpi.code,
                    "label": label,
                    "definition": str(kpi.definition),
                    "value": figure_text(current, kpi.unit),
                    "previous": figure_text(earlier, kpi.unit),
                }
            )
    return list(sections.values())


def _charts(report: AnnualReport, period: Period, folder: Path) -> list[dict[str, Any]]:
    charts = []
    periods = period.trend()
    for kpi in registry.kpis():
        if not kpi.trend:
            continue
        values = [registry.value(kpi, _scope(report, each)) for each in periods]
        texts = [figure_text(value, kpi.unit) for value in values]
        labels = [each.short_label for each in periods]
        svg = trend_svg(
            title=str(kpi.label),
            labels=labels,
            values=[value.percent if hasattr(value, "percent") else value for value in values],
            value_labels=texts,
            id_prefix=kpi.code,
        )
        name = f"chart-{kpi.code}.svg"
        (folder / name).write_text(str(svg), encoding="utf-8")
        charts.append(
            {"label": str(kpi.label), "file": name, "points": list(zip(labels, texts, strict=True))}
        )
    return charts


def _breakdowns(scope: Scope) -> list[dict[str, Any]]:
    hidden = "•"
    return [
        {
            "title": breakdown.title,
            "columns": [str(column) for column in breakdown.columns],
            "rows": [
                [str(label), *(hidden if count is None else str(count) for count in counts)]
                for label, counts in breakdown.body()
            ],
        }
        for breakdown in statistics.breakdowns(scope)
    ]


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _write(report: AnnualReport) -> bytes:
    organisation = Organisation.objects.get(pk=report.organisation_id)
    period = Period.year(report.year)
    before = period.previous()
    scope = _scope(report, period)
    folder = Path(tempfile.mkdtemp(prefix="lotse-report-"))
    try:
        _progress(report, 10, _("Counting the key figures"))
        sections = _figures(scope, _scope(report, before))
        _progress(report, 45, _("Drawing the charts"))
        charts = _charts(report, period, folder)
        _progress(report, 65, _("Counting the anonymised statistics"))
        breakdowns = _breakdowns(scope)
        testimonials = [
            {"text": _paragraphs(testimonial.text), "signed_as": testimonial.signed_as}
            for testimonial in report.testimonials.publishable().order_by("pk")
        ]
        logo = ""
        if report.logo:
            logo = "logo" + Path(report.logo.name).suffix
            with report.logo.open("rb") as handle:
                (folder / logo).write_bytes(handle.read())
        programme = report.programme.name if report.programme_id else _("All programmes")
        data = {
            "lang": report.language,
            "organisation": organisation.name,
            "title": report.title,
            "subtitle": f"{programme} · {report.year}",
            "stamp": _("Written with Lotse on %(day)s")
            % {"day": formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")},
            "logo": logo,
            "foreword": _paragraphs(report.foreword),
            "sections": sections,
            "charts": charts,
            "breakdowns": breakdowns,
            "testimonials": testimonials,
            "labels": {
                "page": _("Page %(page)s of %(pages)s"),
                "foreword": _("Foreword"),
                "figures": _("Key figures"),
                "figure_columns": [_("Key figure"), period.label, before.label],
                "trends": _("Trends"),
                "statistics": _("Anonymised statistics"),
                "statistics_note": _(
                    "Different people who took part in a programme in the year. “•” marks a "
                    "hidden count: every count from 1 to %(largest)s is hidden, and so are "
                    "further counts where the totals would give one away."
                )
                % {"largest": statistics.threshold() - 1},
                "testimonials": _("In their own words"),
            },
        }
        _progress(report, 80, _("Typesetting the PDF"))
        template = folder / "annual_report.typ"
        template.write_bytes(
            files("lotse.reports").joinpath("documents/annual_report.typ").read_bytes()
        )
        return typst.compile(
            str(template),
            root=str(folder),
            format="pdf",
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def generate(report_id: int, organisation_id: int) -> None:
    """Write the report's PDF, saying how far it got on the way; a failure
    is kept on the report (without details: they go to the log)."""
    with organisation_scope(organisation=organisation_id):
        report = AnnualReport.objects.get(pk=report_id)
        try:
            with translation.override(report.language), sharing():
                content = _write(report)
            report.pdf.save(report.filename, ContentFile(content), save=False)
            AnnualReport.objects.filter(pk=report.pk).update(
                pdf=report.pdf.name,
                status=ReportStatus.DONE,
                progress=100,
                step="",
                finished_at=timezone.now(),
            )
        except Exception:
            logger.exception("annual report %s could not be written", report_id)
            AnnualReport.objects.filter(pk=report.pk).update(
                status=ReportStatus.FAILED, step="", finished_at=timezone.now()
            )


def _run(report_id: int, organisation_id: int) -> None:
    try:
        generate(report_id, organisation_id)
    finally:
        close_old_connections()


def start(report: AnnualReport) -> None:
    """Write the report once the request's transaction is committed: in a
    thread of its own, or right away where LOTSE_REPORTS_IN_BACKGROUND is
    off (tests, a single-threaded server)."""

    def begin() -> None:
        if settings.LOTSE_REPORTS_IN_BACKGROUND:
            threading.Thread(
                target=_run, args=(report.pk, report.organisation_id), daemon=True
            ).start()
        else:
            generate(report.pk, report.organisation_id)

    transaction.on_commit(begin)


def mark_stale(report: AnnualReport) -> AnnualReport:
    """A report waiting or being written for too long was cut off."""
    unfinished = report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    if unfinished and timezone.now() - report.created_at > STALE_AFTER:
        AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, step="")
        report.status = ReportStatus.FAILED
    return report
