"""What the reports hold about a person: the testimonials they wrote, with
their consent to publish (STYLE.md §8)."""

from __future__ import annotations

from lotse.core.personal_data import Entry, entries
from lotse.people.models import Person

from .models import Testimonial

MODELS = (Testimonial,)


def export(person: Person) -> list[Entry]:
    return entries(Testimonial.objects.filter(person=person).order_by("pk"))
