"""What the employer work holds about a person: their placements with the
stages they went through and the follow-ups in probation (STYLE.md §8)."""

from __future__ import annotations

from lotse.core.personal_data import Entry, entries
from lotse.people.models import Person

from .models import FollowUp, Placement, StageChange

MODELS = (Placement, StageChange, FollowUp)


def export(person: Person) -> list[Entry]:
    placements = Placement.objects.filter(person=person)
    return [
        *entries(placements.order_by("pk")),
        *entries(StageChange.objects.filter(placement__in=placements).order_by("pk")),
        *entries(FollowUp.objects.filter(placement__in=placements).order_by("pk")),
    ]
