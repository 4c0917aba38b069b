"""The figures of placements for the reports (lotse.core.kpis): contracts by
the kind of opening, contracts of three months or more, people placed, who
is still employed after probation, and the time from enrolment to the
contract. Counts only; never a person."""

from __future__ import annotations

import statistics

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lotse.accounts.roles import VIEW_EMPLOYERS
from lotse.core.kpis import DAYS, RATE, Rate, Scope, declarer, within, within_days

from .models import (
    FollowUp,
    FollowUpKind,
    FollowUpResult,
    OpeningKind,
    Placement,
    Stage,
    StageChange,
)

SECTION = "placements"
INTERNSHIPS_BEGUN = "internships_begun"
# The enrolment roles of participants (programmes' EnrolmentRole, same layer).
PARTICIPANT_ROLES = ("mentee", "client")


def _narrow(scope: Scope, queryset: QuerySet, person: str) -> QuerySet:
    return scope.narrow(queryset, site=f"{person}__site", programme=None, person=person)


def contracts(scope: Scope) -> QuerySet:
    """Contracts that started in the period."""
    return _narrow(
        scope,
        Placement.objects.filter(within("contract_start", scope), stage=Stage.CONTRACT),
        "person",
    )


def by_kind(scope: Scope) -> dict[str, int]:
    counts = dict(
        contracts(scope)
        .values_list("opening__kind")
        .annotate(n=Count("pk"))
        .values_list("opening__kind", "n")
    )
    internships = _narrow(
        scope,
        StageChange.objects.filter(within_days("changed_at", scope), to_stage=Stage.INTERNSHIP),
        "placement__person",
    )
    figures = {kind: counts.get(kind, 0) for kind in OpeningKind.values}
    figures[INTERNSHIPS_BEGUN] = internships.count()
    return figures


def kind_labels() -> dict[str, object]:
    return {
        **{kind: _("contracts: %(kind)s") % {"kind": label} for kind, label in OpeningKind.choices},
        INTERNSHIPS_BEGUN: _("internships begun (as a step of a placement)"),
    }


def three_months(scope: Scope) -> QuerySet:
    # Permanent, or a fixed term running at least three months (compared per
    # contract in Python: month arithmetic is not portable SQL).
    candidates = contracts(scope).only("pk", "stage", "contract_start", "contract_end", "permanent")
    return Placement.objects.filter(
        pk__in=[placement.pk for placement in candidates if placement.runs_at_least(3)]
    )


def probation_ends(scope: Scope) -> QuerySet:
    """Checks at the end of probation due in the period and answered; someone
    who left before it counts as not employed after it, a check closed for
    another reason does not count."""
    ends = FollowUp.objects.filter(within("due_on", scope), kind=FollowUpKind.PROBATION_END)
    ends = ends.exclude(result="").exclude(
        result=FollowUpResult.NOT_NEEDED, placement__left_on__isnull=True
    )
    return _narrow(scope, ends, "placement__person")


def still_employed(scope: Scope) -> Rate:
    figures = probation_ends(scope).aggregate(
        checked=Count("pk"),
        employed=Count(
            "pk",
            filter=Q(result__in=(FollowUpResult.STILL_EMPLOYED, FollowUpResult.PROBLEMS)),
        ),
    )
    return Rate(figures["employed"], figures["checked"])


def time_to_placement(scope: Scope) -> float | None:
    """Median days from the person's first enrolment as a participant (in the
    scope's programme, if one is chosen) to the start of the contract."""
    enrolments = Q(person__enrolments__role__in=PARTICIPANT_ROLES)
    if scope.programme_id is not None:
        enrolments &= Q(person__enrolments__programme_id=scope.programme_id)
    rows = (
        contracts(scope)
        .annotate(enrolled=Min("person__enrolments__enrolled_at", filter=enrolments))
        .values_list("contract_start", "enrolled")
    )
    days = [
        (start - enrolled.date()).days
        for start, enrolled in rows
        if enrolled is not None and enrolled.date() <= start
    ]
    if not days:
        return None
    return round(statistics.median(days), 1)


_kpi = declarer(SECTION, permission=VIEW_EMPLOYERS, detail="employers:placement_detail")


KPIS = [
    _kpi(
        "placements_by_kind",
        _("Placements by kind"),
        _(
            "Contracts that started in the period, by the kind of opening, and internships "
            "begun in the period."
        ),
        by_kind,
        10,
        contracts,
        labels=kind_labels,
    ),
    _kpi(
        "contracts",
        _("Contracts"),
        _("Contracts from placements that started in the period, of every kind."),
        lambda scope: contracts(scope).count(),
        15,
        contracts,
        trend=True,
    ),
    _kpi(
        "contracts_three_months",
        _("Contracts of three months or more"),
        _("Contracts that started in the period and are permanent or run at least three months."),
        lambda scope: three_months(scope).count(),
        20,
        three_months,
    ),
    _kpi(
        "people_placed",
        _("People placed"),
        _("Different people with a contract that started in the period."),
        lambda scope: contracts(scope).values("person").distinct().count(),
        30,
    ),
    _kpi(
        "still_employed_after_probation",
        _("Still employed after probation"),
        _(
            "Of the probation periods that ended in the period and were checked, the share "
            "after which the person was still employed."
        ),
        still_employed,
        40,
        unit=RATE,
    ),
    _kpi(
        "time_to_placement",
        _("Time from enrolment to placement"),
        _(
            "For the contracts that started in the period: the median number of days from the "
            "person's first enrolment as a participant to the start of the contract."
        ),
        time_to_placement,
        50,
        unit=DAYS,
    ),
]
