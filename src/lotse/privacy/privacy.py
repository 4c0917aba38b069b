"""What the privacy app holds about a person: the erasures asked for and
decided (an access copy names them). They keep nothing but the record's
number, so the anonymisation leaves them as they are (STYLE.md §8)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lotse.core.personal_data import Entry, classified, entries
from lotse.people.models import Person

from .models import Erasure

MODELS = (Erasure,)


FIELDS = {
    Erasure: classified(
        personal=("reason", "status"),
        record=("person", "requested_by", "requested_at", "decided_by", "decided_at"),
    ),
}
PURPOSE = gettext_lazy(
    "Answering requests of the people whose data Lotse holds, and erasing on time: "
    "erasures with the second administrator's decision."
)
LEGAL_BASIS = gettext_lazy("Art. 6(1)(c) GDPR with Art. 12 to 17 GDPR, a legal obligation.")
SUBJECTS = gettext_lazy("Everyone whose erasure was asked for.")
RECIPIENTS = gettext_lazy("The organisation's administrators.")


def export(person: Person) -> list[Entry]:
    return entries(Erasure.objects.filter(person=person).order_by("pk"))


def holds(people) -> dict[int, list[str]]:
    return {}


def anonymise(person: Person, *, actor) -> None:
    return None
