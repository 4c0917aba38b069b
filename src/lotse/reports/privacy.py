"""What the reports hold about a person: the testimonials they wrote, with
their consent to publish (STYLE.md §8); and how they are removed."""

from __future__ import annotations

from lotse.core.personal_data import Entry, entries
from lotse.people.models import Person

from .models import Testimonial

MODELS = (Testimonial,)


def export(person: Person) -> list[Entry]:
    return entries(Testimonial.objects.filter(person=person).order_by("pk"))


def holds(person: Person) -> list[str]:
    return []


def anonymise(person: Person, *, actor) -> None:
    # A testimonial is the person's own words under their name: nothing of
    # it can stay, and no report may quote it again.
    Testimonial.objects.filter(person=person).delete()
