"""The key figures that combine apps: everyone accompanied, in a tandem or
a case, and the programmes' headline rate of work, apprenticeship or
self-employment."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lotse.cases import reports as cases
from lotse.core.kpis import RATE, Kpi, Rate, Scope, within
from lotse.employers.models import Placement, Stage
from lotse.tandems import reports as tandems
from lotse.tandems.models import OutcomeKind, TandemStatus

# Tandem outcomes that count as work or training (an entry qualification or
# an internship leads to one but is none yet).
TANDEM_WORK = (OutcomeKind.EMPLOYMENT, OutcomeKind.APPRENTICESHIP)


def accompanied_count(scope: Scope) -> int:
    """Counted by the database (a union of the two kinds of people): its
    trend asks for a dozen periods, each with thousands of people."""
    mentees = tandems.running(scope).order_by().values_list("mentee__person", flat=True)
    clients = cases.open_in(scope).order_by().values_list("client", flat=True)
    return mentees.union(clients).count()


def contract_share(scope: Scope) -> Rate:
    """Completed tandems whose outcome is a contract of three months or more,
    and closed cases whose client began such a contract (from a placement)
    while the case was open, of all completed tandems and closed cases."""
    completed = tandems.tandems(scope).filter(
        within("ended_on", scope), status=TandemStatus.COMPLETED
    )
    closed = list(cases.closed(scope).values_list("client_id", "opened_on", "closed_on"))
    contracts: dict[int, list[Placement]] = {}
    for placement in Placement.objects.filter(
        organisation_id=scope.organisation_id,
        stage=Stage.CONTRACT,
        person_id__in={client for client, _opened, _closed in closed},
    ).only("person_id", "stage", "contract_start", "contract_end", "permanent"):
        contracts.setdefault(placement.person_id, []).append(placement)
    cases_with = sum(
        1
        for client, opened, ended in closed
        if any(
            placement.contract_start
            and opened <= placement.contract_start <= ended
            and placement.runs_at_least(3)
            for placement in contracts.get(client, ())
        )
    )
    return Rate(tandems.with_contract(scope).count() + cases_with, completed.count() + len(closed))


def headline_rate(scope: Scope) -> Rate:
    completed = tandems.tandems(scope).filter(
        within("ended_on", scope), status=TandemStatus.COMPLETED
    )
    closed = cases.closed(scope)
    return Rate(
        completed.filter(outcome__kind__in=TANDEM_WORK).count() + cases.into_work(scope).count(),
        completed.count() + closed.count(),
    )


KPIS = [
    Kpi(
        code="accompanied",
        label=_("Mentees and clients accompanied"),
        definition=_(
            "Different participants in a tandem that ran, or with a case that was open, at some "
            "time in the period (someone in both counts once)."
        ),
        compute=accompanied_count,
        section="headline",
        order=10,
        trend=True,
    ),
    Kpi(
        code="contract_share",
        label=_("Contracts of three months or more"),
        definition=_(
            "Of the tandems completed and the cases closed in the period, the share with an "
            "employment contract that is permanent or runs three months or more: the tandem's "
            "outcome, or for a case a contract from a placement begun while it was open."
        ),
        compute=contract_share,
        section="headline",
        order=15,
        unit=RATE,
    ),
    Kpi(
        code="headline_rate",
        label=_("Work, apprenticeship or self-employment"),
        definition=_(
            "Of the tandems completed and the cases closed in the period, the share whose outcome "
            "is employment, an apprenticeship or self-employment."
        ),
        compute=headline_rate,
        section="headline",
        order=20,
        unit=RATE,
    ),
]
