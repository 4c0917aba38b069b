"""What the surveys hold about a person: the answers to a tandem's evaluation
questionnaire, which belong to the tandem and so to its mentee and mentor.
Anonymous responses belong to nobody and are not part of any export
(STYLE.md §8)."""

from __future__ import annotations

from django.db.models import Q

from lotse.core.personal_data import Entry, entries
from lotse.people.models import Person

from .models import Answer, Response

MODELS = (Response, Answer)


def export(person: Person) -> list[Entry]:
    tandem = Q(evaluation__tandem__mentee__person=person) | Q(
        evaluation__tandem__mentor__person=person
    )
    responses = Response.objects.filter(tandem)
    return [
        *entries(responses.order_by("pk")),
        *entries(Answer.objects.filter(response__in=responses).order_by("pk")),
    ]
