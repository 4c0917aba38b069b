"""The figures of events for the reports (lotse.core.kpis): events held and
their attendance."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lotse.accounts.roles import VIEW_PROGRAMMES
from lotse.core.kpis import Scope, declarer, within_days

from .models import Event, Registration

SECTION = "events"


def events(scope: Scope) -> QuerySet:
    return scope.narrow(Event.objects.filter(within_days("starts_at", scope), is_cancelled=False))


def attendances(scope: Scope) -> QuerySet:
    return Registration.objects.filter(event__in=events(scope), attended=True)


_kpi = declarer(SECTION, permission=VIEW_PROGRAMMES, detail="programmes:event_detail")

KPIS = [
    _kpi(
        "events_held",
        _("Events held"),
        _("Info events, trainings and workshops that took place in the period."),
        lambda scope: events(scope).count(),
        10,
        events,
    ),
    _kpi(
        "event_attendance",
        _("Attendance at events"),
        _("Registrations marked as attended at the events held in the period."),
        lambda scope: attendances(scope).count(),
        20,
    ),
]
