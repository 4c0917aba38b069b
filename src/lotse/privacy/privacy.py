"""What the privacy app holds about a person: the erasures asked for and
decided (an access copy names them). They keep nothing but the record's
number, so the anonymisation leaves them as they are (STYLE.md §8)."""

from __future__ import annotations

from lotse.core.personal_data import Entry, entries
from lotse.people.models import Person

from .models import Erasure

MODELS = (Erasure,)


def export(person: Person) -> list[Entry]:
    return entries(Erasure.objects.filter(person=person).order_by("pk"))


def holds(person: Person) -> list[str]:
    return []


def anonymise(person: Person, *, actor) -> None:
    return None
