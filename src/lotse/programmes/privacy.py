"""What the programmes hold about a person: enrolments with their steps
taken, and registrations for events (STYLE.md §8)."""

from __future__ import annotations

from lotse.core.personal_data import Entry, entries
from lotse.people.models import Person

from .models import Enrolment, Registration, StepTransition

MODELS = (Enrolment, StepTransition, Registration)


def export(person: Person) -> list[Entry]:
    return [
        *entries(Enrolment.objects.filter(person=person).order_by("pk")),
        *entries(StepTransition.objects.filter(enrolment__person=person).order_by("pk")),
        *entries(Registration.objects.filter(person=person).order_by("pk")),
    ]
