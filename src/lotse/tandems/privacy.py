"""What the tandems hold about a person, as mentee or mentor: the tandems
with their status changes, meetings, support times, evaluations, follow-ups
and outcome (STYLE.md §8)."""

from __future__ import annotations

from django.db.models import Q

from lotse.core.personal_data import Entry, entries
from lotse.people.models import Person

from .models import (
    Evaluation,
    FollowUp,
    Meeting,
    Outcome,
    SupportTime,
    Tandem,
    TandemStatusChange,
)

MODELS = (Tandem, TandemStatusChange, Meeting, SupportTime, Evaluation, FollowUp, Outcome)


def export(person: Person) -> list[Entry]:
    tandems = Tandem.objects.filter(Q(mentee__person=person) | Q(mentor__person=person))
    found = entries(tandems.order_by("pk"))
    for model in (TandemStatusChange, Meeting, SupportTime, Evaluation, FollowUp, Outcome):
        found += entries(model.objects.filter(tandem__in=tandems).order_by("pk"))
    return found
