"""The figures of events for the reports (lotse.core.kpis): events held and
their attendance."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lotse.accounts.roles import VIEW_PROGRAMMES
from lotse.core.kpis import Kpi, Scope, within_days

from .models import Event, Registration

SECTION = "events"


def events(scope: Scope) -> QuerySet:
    return scope.narrow(Event.objects.filter(within_days("starts_at", scope), is_cancelled=False))


def attendances(scope: Scope) -> QuerySet:
    return Registration.objects.filter(event__in=events(scope), attended=True)


KPIS = [
    Kpi(
        code="events_held",
        label=_("Events held"),
        definition=_("Info events, trainings and workshops that took place in the period."),
        compute=lambda scope: events(scope).count(),
        section=SECTION,
        order=10,
        records=events,
        permission=VIEW_PROGRAMMES,
        detail="programmes:event_detail",
    ),
    Kpi(
        code="event_attendance",
        label=_("Attendance at events"),
        definition=_("Registrations marked as attended at the events held in the period."),
        compute=lambda scope: attendances(scope).count(),
        section=SECTION,
        order=20,
    ),
]
