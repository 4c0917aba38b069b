"""What the surveys hold about a person: the answers to a tandem's evaluation
questionnaire, which belong to the tandem and so to its mentee and mentor.
Anonymous responses belong to nobody and are not part of any export
(STYLE.md §8)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from lotse.core.personal_data import Entry, blank, classified, entries
from lotse.people.models import Person

from .models import Answer, Response

MODELS = (Response, Answer)


FIELDS = {
    Response: classified(personal=("submitted_on",), record=("survey", "evaluation")),
    Answer: classified(personal=("picked", "text"), record=("response", "question", "number")),
}
PURPOSE = gettext_lazy(
    "Questionnaires: anonymous answers, and the answers of a tandem's evaluation."
)
LEGAL_BASIS = gettext_lazy(
    "Art. 6(1)(e) GDPR or Art. 6(1)(b) GDPR, as for the tandem evaluated; anonymous answers "
    "are no personal data."
)
SUBJECTS = gettext_lazy("Mentees and mentors answering the evaluation of their tandem.")
RECIPIENTS = gettext_lazy("The coordinators of the programme.")


def export(person: Person) -> list[Entry]:
    tandem = Q(evaluation__tandem__mentee__person=person) | Q(
        evaluation__tandem__mentor__person=person
    )
    responses = Response.objects.filter(tandem)
    return [
        *entries(responses.order_by("pk")),
        *entries(Answer.objects.filter(response__in=responses).order_by("pk")),
    ]


def holds(people) -> dict[int, list[str]]:
    return {}


def anonymise(person: Person, *, actor) -> None:
    """Free-text answers go (they are about both partners); the ticked
    choices stay for the evaluation's figures."""
    tandem = Q(evaluation__tandem__mentee__person=person) | Q(
        evaluation__tandem__mentor__person=person
    )
    blank(Answer.objects.filter(response__in=Response.objects.filter(tandem)), keep=("picked",))
