"""The figures of the pool for the reports (lotse.core.kpis): people newly
registered as participants or volunteers."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from lotse.accounts.roles import VIEW_PEOPLE
from lotse.core.kpis import Kpi, Scope, shared, within_days

from .models import Person, PersonRole, PoolRole

SECTION = "pool"


def roles_taken(scope: Scope, role: str) -> QuerySet:
    return scope.narrow(
        PersonRole.objects.filter(within_days("since", scope), role=role),
        site="person__site",
        programme=None,
        person="person",
    )


def taken_by_role(scope: Scope) -> dict[str, int]:
    """New roles of the period per role, counted in one query per page."""
    return shared(
        "people.roles_taken",
        scope,
        lambda: dict(
            scope.narrow(
                PersonRole.objects.filter(within_days("since", scope)),
                site="person__site",
                programme=None,
                person="person",
            )
            .values_list("role")
            .annotate(count=Count("pk"))
            .values_list("role", "count")
        ),
    )


def registered(scope: Scope, role: str) -> QuerySet:
    return Person.objects.filter(pk__in=roles_taken(scope, role).values("person"))


def _kpi(code, label, definition, role, order) -> Kpi:
    return Kpi(
        code=code,
        label=label,
        definition=definition,
        # A person takes a role once (person_role_once).
        compute=lambda scope: taken_by_role(scope).get(role, 0),
        section=SECTION,
        order=order,
        records=lambda scope: registered(scope, role),
        permission=VIEW_PEOPLE,
        detail="people:person_detail",
    )


KPIS = [
    _kpi(
        "new_participants",
        _("New participants"),
        _("People who joined the pool as participants (mentees or clients) in the period."),
        PoolRole.PARTICIPANT,
        10,
    ),
    _kpi(
        "new_volunteers",
        _("New volunteers"),
        _("People who joined the pool as volunteers (mentors) in the period."),
        PoolRole.VOLUNTEER,
        20,
    ),
]
