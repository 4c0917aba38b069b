"""The person page's section of this app: the person's placements, and the
way to openings that suit them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lotse.accounts.roles import EDIT_EMPLOYERS, VIEW_EMPLOYERS
from lotse.people.models import Person, PoolRole

from .models import Placement


def placements_panel(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    if not request.membership.has_perm(VIEW_EMPLOYERS):
        return None
    placements = list(
        Placement.objects.visible_to(request.user)
        .filter(person=person)
        .select_related("opening__employer")
        .order_by("-created_at")
    )
    is_participant = person.roles.filter(role=PoolRole.PARTICIPANT).exists()
    can_place = request.membership.has_perm(EDIT_EMPLOYERS) and is_participant
    if not placements and not can_place:
        return None
    return {"placements": placements, "person": person, "can_place": can_place}
