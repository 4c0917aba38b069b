"""The figures of case management for the reports (lotse.core.kpis): cases
opened and closed, clients counselled, and the share of closed cases that
ended in work, an apprenticeship or self-employment."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lotse.accounts.roles import VIEW_CASES
from lotse.core.kpis import RATE, Rate, Scope, declarer, overlapping, within
from lotse.people.models import Person

from .models import Case, CaseStatus, Outcome

SECTION = "cases"

# The programmes' headline outcome ("took up work, training or self-employment").
WORK_OUTCOMES = (Outcome.EMPLOYMENT, Outcome.APPRENTICESHIP, Outcome.SELF_EMPLOYMENT)


def cases(scope: Scope) -> QuerySet:
    return scope.narrow(Case.objects.all())


def opened(scope: Scope) -> QuerySet:
    return cases(scope).filter(within("opened_on", scope))


def closed(scope: Scope) -> QuerySet:
    return cases(scope).filter(within("closed_on", scope), status=CaseStatus.CLOSED)


def open_in(scope: Scope) -> QuerySet:
    return cases(scope).filter(overlapping("opened_on", "closed_on", scope))


def clients(scope: Scope) -> QuerySet:
    return Person.objects.filter(pk__in=open_in(scope).values("client"))


def into_work(scope: Scope) -> QuerySet:
    return closed(scope).filter(outcome__in=WORK_OUTCOMES)


_kpi = declarer(SECTION, permission=VIEW_CASES, detail="cases:case_detail")


KPIS = [
    _kpi(
        "active_clients",
        _("Clients counselled"),
        _("Different clients with a case that was open at some time in the period."),
        lambda scope: clients(scope).count(),
        10,
    ),
    _kpi(
        "cases_opened",
        _("Cases opened"),
        _("Cases opened in the period."),
        lambda scope: opened(scope).count(),
        20,
        opened,
    ),
    _kpi(
        "cases_closed",
        _("Cases closed"),
        _("Cases closed in the period, whatever the reason."),
        lambda scope: closed(scope).count(),
        30,
        closed,
    ),
    _kpi(
        "case_work_rate",
        _("Closed cases with work, apprenticeship or self-employment"),
        _(
            "Of the cases closed in the period, the share whose outcome is employment subject "
            "to social insurance, an apprenticeship or self-employment."
        ),
        lambda scope: Rate(into_work(scope).count(), closed(scope).count()),
        40,
        into_work,
        unit=RATE,
    ),
]
