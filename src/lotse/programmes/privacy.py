"""What the programmes hold about a person: enrolments with their steps
taken, and registrations for events (STYLE.md §8); and how it is anonymised."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy, ngettext

from lotse.core.personal_data import Entry, blank, classified, entries
from lotse.people.models import Person

from .models import Enrolment, Registration, StepTransition

MODELS = (Enrolment, StepTransition, Registration)


FIELDS = {
    Enrolment: classified(
        personal=("programme", "role", "step", "status", "enrolled_at", "step_since"),
        record=("person",),
    ),
    StepTransition: classified(
        personal=("from_step", "to_step", "to_status", "skipped", "reason"),
        record=("enrolment", "moved_by", "moved_at"),
    ),
    Registration: classified(
        personal=("event", "status", "attended"),
        record=("person", "registered_at", "registered_by"),
    ),
}
PURPOSE = gettext_lazy(
    "Running programmes: who takes part in which role, at which step, and who registered "
    "for and attended an event."
)
LEGAL_BASIS = gettext_lazy(
    "Art. 6(1)(e) GDPR with the law that gives the organisation the task (public bodies), or "
    "Art. 6(1)(b) GDPR, the agreement to take part (welfare organisations and NGOs)."
)
SUBJECTS = gettext_lazy("Participants and volunteers of the programmes, event guests.")
RECIPIENTS = gettext_lazy("Staff of the organisation, by site and role.")


def export(person: Person) -> list[Entry]:
    return [
        *entries(Enrolment.objects.filter(person=person).order_by("pk")),
        *entries(StepTransition.objects.filter(enrolment__person=person).order_by("pk")),
        *entries(Registration.objects.filter(person=person).order_by("pk")),
    ]


def holds(people) -> dict[int, list[str]]:
    running = (
        Enrolment.objects.filter(person__in=people)
        .active()
        .values("person")
        .annotate(n=Count("pk"))
    )
    return {
        row["person"]: [
            ngettext(
                "Still in %(count)d programme: end the enrolment first.",
                "Still in %(count)d programmes: end the enrolments first.",
                row["n"],
            )
            % {"count": row["n"]}
        ]
        for row in running
    }


def anonymise(person: Person, *, actor) -> None:
    blank(StepTransition.objects.filter(enrolment__person=person))
