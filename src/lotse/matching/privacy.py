"""What matching holds about a person: their part in matching sessions, the
pairs proposed with them and the decisions on those (STYLE.md §8); and how it is anonymised."""

from __future__ import annotations

from django.db.models import Q

from lotse.core.personal_data import Entry, blank, entries
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


def holds(person: Person) -> list[str]:
    # Matching works on enrolments: a running one holds the person (programmes).
    return []


def anonymise(person: Person, *, actor) -> None:
    # Proposals keep their scores and facts (languages, distance), no names.
    blank(Decision.objects.filter(Q(mentee__person=person) | Q(mentor__person=person)))
