"""What the surveys hold about a person: the answers to a tandem's evaluation
questionnaire, which belong to the tandem and so to its mentee and mentor.
Anonymous responses belong to nobody and are not part of any export
(STYLE.md §8)."""

from __future__ import annotations

from django.db.models import Q

from lotse.core.personal_data import Entry, blank, entries
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


def holds(person: Person) -> list[str]:
    return []


def anonymise(person: Person, *, actor) -> None:
    """Free-text answers go (they are about both partners); the ticked
    choices stay for the evaluation's figures."""
    tandem = Q(evaluation__tandem__mentee__person=person) | Q(
        evaluation__tandem__mentor__person=person
    )
    blank(Answer.objects.filter(response__in=Response.objects.filter(tandem)), keep=("picked",))
