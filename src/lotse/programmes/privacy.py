"""What the programmes hold about a person: enrolments with their steps
taken, and registrations for events (STYLE.md §8); and how it is anonymised."""

from __future__ import annotations

from django.utils.translation import ngettext

from lotse.core.personal_data import Entry, blank, entries
from lotse.people.models import Person

from .models import Enrolment, Registration, StepTransition

MODELS = (Enrolment, StepTransition, Registration)


def export(person: Person) -> list[Entry]:
    return [
        *entries(Enrolment.objects.filter(person=person).order_by("pk")),
        *entries(StepTransition.objects.filter(enrolment__person=person).order_by("pk")),
        *entries(Registration.objects.filter(person=person).order_by("pk")),
    ]


def holds(person: Person) -> list[str]:
    running = Enrolment.objects.filter(person=person).active().count()
    if not running:
        return []
    return [
        ngettext(
            "Still in %(count)d programme: end the enrolment first.",
            "Still in %(count)d programmes: end the enrolments first.",
            running,
        )
        % {"count": running}
    ]


def anonymise(person: Person, *, actor) -> None:
    blank(StepTransition.objects.filter(enrolment__person=person))
