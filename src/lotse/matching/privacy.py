"""What matching holds about a person: their part in matching sessions, the
pairs proposed with them and the decisions on those (STYLE.md §8); and how it is anonymised."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from lotse.core.personal_data import Entry, blank, classified, entries
from lotse.people.models import Person

from .models import Decision, Participant, Proposal

MODELS = (Participant, Proposal, Decision)


FIELDS = {
    Participant: classified(
        personal=("role",), record=("session", "enrolment", "added_by", "added_at")
    ),
    Proposal: classified(
        personal=("rank", "score", "criteria", "breakdown", "reasons", "unmet", "is_fixed"),
        record=("run", "mentee", "mentor"),
    ),
    Decision: classified(
        personal=("kind", "reason"),
        record=(
            "session",
            "mentee",
            "mentor",
            "proposal",
            "decided_by",
            "decided_at",
            "tandem",
            "revoked_at",
            "revoked_by",
        ),
    ),
}
PURPOSE = gettext_lazy(
    "Matching mentors with mentees: the proposals computed from their profiles, with the "
    "reasons, and the coordinators' decisions."
)
LEGAL_BASIS = gettext_lazy(
    "Art. 6(1)(e) GDPR with the law that gives the organisation the task (public bodies), or "
    "Art. 6(1)(b) GDPR, the agreement to take part (welfare organisations and NGOs). A "
    "person decides each pairing; no decision is automated (Art. 22 GDPR)."
)
SUBJECTS = gettext_lazy("Mentees and volunteer mentors of a matching session.")
RECIPIENTS = gettext_lazy("The coordinators of the programme.")


def export(person: Person) -> list[Entry]:
    paired = Q(mentee__person=person) | Q(mentor__person=person)
    return [
        *entries(Participant.objects.filter(enrolment__person=person).order_by("pk")),
        *entries(Proposal.objects.filter(paired).order_by("pk")),
        *entries(Decision.objects.filter(paired).order_by("pk")),
    ]


def holds(people) -> dict[int, list[str]]:
    # Matching works on enrolments: a running one holds the person (programmes).
    return {}


def anonymise(person: Person, *, actor) -> None:
    # Proposals keep their scores and facts (languages, distance), no names.
    blank(Decision.objects.filter(Q(mentee__person=person) | Q(mentor__person=person)))
