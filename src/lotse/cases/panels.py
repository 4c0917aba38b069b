"""The person page's section of this app: the person's cases, and opening one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lotse.accounts.roles import EDIT_CASES, VIEW_CASES
from lotse.people.models import Person, PoolRole

from .models import Case


def cases_panel(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    if not request.membership.has_perm(VIEW_CASES):
        return None
    cases = list(
        Case.objects.visible_to(request.user)
        .filter(client=person)
        .select_related("programme", "caseworker")
    )
    is_participant = person.roles.filter(role=PoolRole.PARTICIPANT).exists()
    can_open = request.membership.has_perm(EDIT_CASES) and is_participant
    if not cases and not can_open:
        return None
    return {"cases": cases, "person": person, "can_open": can_open}
