"""What the tandems hold about a person, as mentee or mentor: the tandems
with their status changes, meetings, support times, evaluations, follow-ups
and outcome (STYLE.md §8); and how it is anonymised."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import ngettext

from lotse.core.personal_data import Entry, blank, entries
from lotse.people.models import Person

from .models import (
    RUNNING,
    Evaluation,
    FollowUp,
    Meeting,
    Outcome,
    SupportTime,
    Tandem,
    TandemStatusChange,
)

MODELS = (Tandem, TandemStatusChange, Meeting, SupportTime, Evaluation, FollowUp, Outcome)


def export(person: Person) -> list[Entry]:
    tandems = Tandem.objects.filter(Q(mentee__person=person) | Q(mentor__person=person))
    found = entries(tandems.order_by("pk"))
    for model in (TandemStatusChange, Meeting, SupportTime, Evaluation, FollowUp, Outcome):
        found += entries(model.objects.filter(tandem__in=tandems).order_by("pk"))
    return found


def _tandems(person: Person):
    return Tandem.objects.filter(Q(mentee__person=person) | Q(mentor__person=person))


def holds(person: Person) -> list[str]:
    running = _tandems(person).filter(status__in=RUNNING).count()
    if not running:
        return []
    return [
        ngettext(
            "%(count)d tandem still running: end it first.",
            "%(count)d tandems still running: end them first.",
            running,
        )
        % {"count": running}
    ]


def anonymise(person: Person, *, actor) -> None:
    """Goals, notes and the signed agreement go, for the partner's side too:
    they are written about both. Dates, hours and outcomes stay for the
    figures."""
    tandems = _tandems(person)
    blank(tandems)
    for model in (TandemStatusChange, Meeting, SupportTime, FollowUp):
        blank(model.objects.filter(tandem__in=tandems), keep=("topics",))
