"""What the tandems hold about a person, as mentee or mentor: the tandems
with their status changes, meetings, support times, evaluations, follow-ups
and outcome (STYLE.md §8); and how it is anonymised."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy, ngettext

from lotse.core.personal_data import Entry, blank, classified, entries
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


FIELDS = {
    Tandem: classified(
        personal=(
            "programme",
            "status",
            "goals",
            "first_meeting_on",
            "started_on",
            "planned_end_on",
            "ended_on",
            "end_reason",
            "end_note",
            "agreement_signed_on",
            "agreement_scan",
            "last_meeting_on",
            "resumed_on",
        ),
        record=("mentee", "mentor", "site", "coordinator", "created_at", "updated_at"),
    ),
    TandemStatusChange: classified(
        personal=("from_status", "to_status", "reason"),
        record=("tandem", "changed_by", "changed_at"),
    ),
    Meeting: classified(
        personal=("held_on", "duration_minutes", "mode", "topics", "note"),
        record=("tandem", "site", "programme", "recorded_via", "recorded_by", "recorded_at"),
    ),
    SupportTime: classified(
        personal=("spent_on", "minutes", "activity", "note"),
        record=("tandem", "staff", "recorded_at"),
    ),
    Evaluation: classified(
        personal=("kind", "respondent", "answered_on"), record=("tandem", "recorded_by")
    ),
    FollowUp: classified(
        personal=("months", "due_on", "result", "note"),
        record=("tandem", "recorded_on", "recorded_by"),
    ),
    Outcome: classified(
        personal=(
            "kind",
            "achieved_on",
            "contract_start",
            "permanent",
            "three_months_or_more",
            "social_insurance",
        ),
        record=("tandem", "recorded_by", "recorded_at"),
    ),
}
PURPOSE = gettext_lazy(
    "Accompanying tandems of a mentor and a mentee: agreement, goals, meetings, the "
    "coordinators' support time, evaluations, follow-ups and outcomes."
)
LEGAL_BASIS = gettext_lazy(
    "Art. 6(1)(e) GDPR with the law that gives the organisation the task (public bodies), or "
    "Art. 6(1)(b) GDPR, the agreement to take part (welfare organisations and NGOs)."
)
SUBJECTS = gettext_lazy("Mentees and volunteer mentors in a tandem.")
RECIPIENTS = gettext_lazy("Staff of the organisation, by site and role.")


def export(person: Person) -> list[Entry]:
    tandems = Tandem.objects.filter(Q(mentee__person=person) | Q(mentor__person=person))
    found = entries(tandems.order_by("pk"))
    for model in (TandemStatusChange, Meeting, SupportTime, Evaluation, FollowUp, Outcome):
        found += entries(model.objects.filter(tandem__in=tandems).order_by("pk"))
    return found


def _tandems(person: Person):
    return Tandem.objects.filter(Q(mentee__person=person) | Q(mentor__person=person))


def holds(people) -> dict[int, list[str]]:
    running = Tandem.objects.filter(status__in=RUNNING)
    counts: dict[int, int] = {}
    for side in ("mentee__person", "mentor__person"):
        for row in running.filter(**{f"{side}__in": people}).values(side).annotate(n=Count("pk")):
            counts[row[side]] = counts.get(row[side], 0) + row["n"]
    return {
        person_id: [
            ngettext(
                "%(count)d tandem still running: end it first.",
                "%(count)d tandems still running: end them first.",
                count,
            )
            % {"count": count}
        ]
        for person_id, count in counts.items()
    }


def anonymise(person: Person, *, actor) -> None:
    """Goals, notes and the signed agreement go, for the partner's side too:
    they are written about both. Dates, hours and outcomes stay for the
    figures."""
    tandems = _tandems(person)
    blank(tandems)
    for model in (TandemStatusChange, Meeting, SupportTime, FollowUp):
        blank(model.objects.filter(tandem__in=tandems), keep=("topics",))
