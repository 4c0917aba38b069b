"""What matching holds about a person: their part in matching sessions, the
pairs proposed with them and the decisions on those (STYLE.md §8)."""

from __future__ import annotations

from django.db.models import Q

from lotse.core.personal_data import Entry, entries
from lotse.people.models import Person

from .models import Decision, Participant, Proposal

MODELS = (Participant, Proposal, Decision)


def export(person: Person) -> list[Entry]:
    paired = Q(mentee__person=person) | Q(mentor__person=person)
    return [
        *entries(Participant.objects.filter(enrolment__person=person).order_by("pk")),
        *entries(Proposal.objects.filter(paired).order_by("pk")),
        *entries(Decision.objects.filter(paired).order_by("pk")),
    ]
