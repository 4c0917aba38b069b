"""The printable documents of case management: the help plan as PDF, to hand
to the client and to sign together.

Typeset with Typst from the template in `documents/`, like the network's
documents (lotse.network.documents): every text goes in as one JSON document
in `sys.inputs`, never as Typst markup, so that a goal or a note containing
`#`, `*` or `$` is printed as written and cannot reach into the file system.
Only Typst's embedded fonts are used, whatever fonts the server has.

The plan is the client's copy: it names the client, the caseworker, the goals
and the measures, and nothing of the intake assessment (health, residence and
benefits, family situation), nor contact notes."""

from __future__ import annotations

import datetime
import json
from importlib.resources import files
from typing import Any

import typst
from django.db.models import F, Prefetch
from django.utils import formats, translation
from django.utils.translation import gettext as _

from .models import HelpPlan, PlanGoal, PlanMeasure


def _day(value: datetime.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _language() -> str:
    """The active language as Typst's `text(lang:)` wants it: "de", not "de-at"."""
    return (translation.get_language() or "de").split("-")[0].lower()


def _compile(template: str, data: dict[str, Any]) -> bytes:
    source = files("lotse.cases").joinpath(f"documents/{template}").read_bytes()
    return typst.compile(
        source,
        format="pdf",
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )


def _measure(measure: PlanMeasure) -> list[str]:
    return [
        measure.what,
        measure.responsible_label,
        _day(measure.due_on),
        measure.get_status_display(),
        measure.note,
    ]


def _goals(plan: HelpPlan) -> list[dict[str, Any]]:
    # Dated measures first, by date, then the undated ones: the same order on
    # every database (SQLite and PostgreSQL sort NULL at opposite ends).
    measures = PlanMeasure.objects.select_related("institution", "offer__provider").order_by(
        F("due_on").asc(nulls_last=True), "pk"
    )
    goals = PlanGoal.objects.filter(plan=plan).prefetch_related(
        Prefetch("measures", queryset=measures)
    )
    return [
        {
            "area": goal.get_area_display(),
            "text": goal.text,
            "measures": [_measure(measure) for measure in goal.measures.all()],
        }
        for goal in goals
    ]


def help_plan_filename(plan: HelpPlan) -> str:
    """A download name that says which plan it is without naming the client
    (file names end up in mail attachments and download folders)."""
    return f"{plan.case.number}-help-plan-{plan.number}.pdf"


def help_plan_pdf(plan: HelpPlan, organisation_name: str) -> bytes:
    """One version of a case's help plan as PDF: the goals per life area, each
    with its measures (what, who is responsible, by when, how far it got),
    and lines for the client's and the caseworker's signatures.

    A version that was re-agreed since says so on every page, so that an old
    printout is recognised as such."""
    case = plan.case
    client = case.client.full_name
    caseworker = case.caseworker.get_full_name() or str(case.caseworker)
    version = _("Version %(number)s") % {"number": plan.number}
    superseded = (
        _("superseded on %(date)s") % {"date": _day(plan.superseded_on)}
        if plan.superseded_on
        else ""
    )
    title = _("Help plan %(number)s") % {"number": case.number}
    stamp = _("%(title)s · %(version)s") % {"title": title, "version": version}
    if superseded:
        stamp = _("%(stamp)s · %(superseded)s") % {"stamp": stamp, "superseded": superseded}
    data = {
        "lang": _language(),
        "organisation": organisation_name,
        "title": title,
        "version": version,
        "superseded": superseded,
        "stamp": stamp,
        "details": [
            [_("Client"), client],
            [_("Caseworker"), caseworker],
            [_("Agreed on"), _day(plan.agreed_on) if plan.agreed_on else _("not agreed yet")],
        ],
        "goals": _goals(plan),
        "signatures": [
            [_("Date, signature of the client"), client],
            [_("Date, signature of the caseworker"), caseworker],
        ],
        "labels": {
            "goals": _("Goals and measures"),
            "columns": [
                _("What"),
                _("Who is responsible"),
                _("Due on"),
                _("Status"),
                _("Note"),
            ],
            "no_goals": _("No goals have been written down yet."),
            "no_measures": _("No measures have been agreed for this goal yet."),
            "agreement": _("We have agreed on this help plan together."),
            # The template fills in the numbers, which only Typst knows; the
            # placeholders stay named so that a translation may reorder them.
            "page": _("page %(page)s of %(pages)s"),
        },
    }
    return _compile("help_plan.typ", data)
