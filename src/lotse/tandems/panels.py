"""The person page's section of this app (the person's tandems), and the
registry of the sections other apps add to the tandem page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from lotse.accounts.roles import VIEW_TANDEMS
from lotse.core.panels import Panels
from lotse.people.models import Person

from .models import Tandem


def tandems_panel(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    if not request.membership.has_perm(VIEW_TANDEMS):
        return None
    tandems = list(
        Tandem.objects.visible_to(request.user)
        .filter(Q(mentee__person=person) | Q(mentor__person=person))
        .select_related("programme", "mentee__person", "mentor__person")
    )
    if not tandems:
        return None
    today = timezone.localdate()
    for tandem in tandems:
        tandem.overdue_flag = tandem.is_overdue(today)
    return {"tandems": tandems, "person": person}


# Sections of the tandem page that higher apps contribute: the surveys app
# shows the answers of the mid-term check and the final evaluation.
PAGE = Panels("tandem")
