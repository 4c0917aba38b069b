"""What the reports hold about a person: the testimonials they wrote (their
consent to publication is a consent record of the pool, STYLE.md §8); and
how they are removed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lotse.core.personal_data import Entry, classified, entries
from lotse.people.models import Person

from .models import Testimonial

MODELS = (Testimonial,)


FIELDS = {
    Testimonial: classified(
        personal=(
            "author_role",
            "programme",
            "text",
            "signed_as",
        ),
        record=("person", "recorded_by", "created_at"),
    ),
}
PURPOSE = gettext_lazy(
    "Reporting: key figures and anonymised statistics count records without names; "
    "testimonials are published in the annual report."
)
LEGAL_BASIS = gettext_lazy(
    "Figures: Art. 6(1)(e) or (f) GDPR, accountability to funders. Testimonials: "
    "Art. 6(1)(a) GDPR, the author's consent to publish, checked when a report is written."
)
SUBJECTS = gettext_lazy("Authors of testimonials.")
RECIPIENTS = gettext_lazy(
    "Readers of the annual report (testimonials only with consent); funders and the "
    "public receive figures, never names."
)


def export(person: Person) -> list[Entry]:
    return entries(Testimonial.objects.filter(person=person).order_by("pk"))


def holds(people) -> dict[int, list[str]]:
    return {}


def anonymise(person: Person, *, actor) -> None:
    # A testimonial is the person's own words under their name: nothing of
    # it can stay, and no report may quote it again.
    Testimonial.objects.filter(person=person).delete()
