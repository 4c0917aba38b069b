"""The key figures that combine apps: everyone accompanied, in a tandem or
a case, and the programmes' headline rate of work, apprenticeship or
self-employment."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lotse.cases import reports as cases
from lotse.core.kpis import RATE, Kpi, Rate, Scope, within
from lotse.people.models import Person
from lotse.tandems import reports as tandems
from lotse.tandems.models import OutcomeKind, TandemStatus

# Tandem outcomes that count as work or training (an entry qualification or
# an internship leads to one but is none yet).
TANDEM_WORK = (OutcomeKind.EMPLOYMENT, OutcomeKind.APPRENTICESHIP)


def accompanied(scope: Scope):
    return Person.objects.filter(pk__in=tandems.running(scope).values("mentee__person")) | (
        Person.objects.filter(pk__in=cases.open_in(scope).values("client"))
    )


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
        compute=lambda scope: accompanied(scope).count(),
        section="headline",
        order=10,
        trend=True,
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
