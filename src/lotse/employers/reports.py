"""The figures of placements for the reports (DESIGN.md: the reports app
discovers each app's `reports.py`): placements by kind, contracts of three
months or more, and who is still employed after probation. Counts only;
never a person."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Organisation

from .models import FollowUp, FollowUpKind, FollowUpResult, Placement, Stage, StageChange

KPIS = {
    "placements_by_kind": (
        _("Placements by kind"),
        _(
            "Contracts that started in the period, by the kind of opening, and internships "
            "begun in the period."
        ),
    ),
    "contracts_three_months": (
        _("Contracts of three months or more"),
        _("Contracts that started in the period and are permanent or run at least three months."),
    ),
    "people_placed": (
        _("People placed"),
        _("Different people with a contract that started in the period."),
    ),
    "still_employed_after_probation": (
        _("Still employed after probation"),
        _(
            "Of the probation periods that ended in the period and were checked, those after "
            "which the person was still employed."
        ),
    ),
}


def _contracts(organisation: Organisation, start, end, people: QuerySet | None) -> QuerySet:
    contracts = Placement.objects.filter(
        organisation=organisation,
        stage=Stage.CONTRACT,
        contract_start__gte=start,
        contract_start__lte=end,
    )
    if people is not None:
        contracts = contracts.filter(person__in=people)
    return contracts


def placement_kpis(
    *,
    organisation: Organisation,
    start: datetime.date,
    end: datetime.date,
    people: QuerySet | None = None,
) -> dict[str, object]:
    """The figures of `KPIS` for the period from `start` to `end` (both
    included), of everyone or of `people` (a programme's, say)."""
    contracts = _contracts(organisation, start, end, people)
    by_kind = dict(
        contracts.values_list("opening__kind")
        .annotate(n=Count("pk"))
        .values_list("opening__kind", "n")
    )
    internships = StageChange.objects.filter(
        organisation=organisation,
        to_stage=Stage.INTERNSHIP,
        changed_at__date__gte=start,
        changed_at__date__lte=end,
    )
    if people is not None:
        internships = internships.filter(placement__person__in=people)
    # At least three months: permanent, or a fixed term ending no earlier than
    # the day before the same date three months on (compared per contract in
    # Python: month arithmetic is not portable SQL).
    long_enough = sum(
        1
        for placement in contracts.only("stage", "contract_start", "contract_end", "permanent")
        if placement.runs_at_least(3)
    )
    ends = FollowUp.objects.filter(
        organisation=organisation,
        kind=FollowUpKind.PROBATION_END,
        due_on__gte=start,
        due_on__lte=end,
    ).exclude(result="")
    # Someone who left before the end of probation counts as not employed
    # after it; a check closed for another reason does not count.
    ends = ends.exclude(result=FollowUpResult.NOT_NEEDED, placement__left_on__isnull=True)
    if people is not None:
        ends = ends.filter(placement__person__in=people)
    probation = ends.aggregate(
        checked=Count("pk"),
        employed=Count(
            "pk",
            filter=Q(result__in=(FollowUpResult.STILL_EMPLOYED, FollowUpResult.PROBLEMS)),
        ),
    )
    return {
        "placements_by_kind": {**by_kind, "internships_begun": internships.count()},
        "contracts": sum(by_kind.values()),
        "contracts_three_months": long_enough,
        "people_placed": contracts.values("person").distinct().count(),
        "probation_checked": probation["checked"],
        "still_employed_after_probation": probation["employed"],
    }
