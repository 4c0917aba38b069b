"""What the employer work holds about a person: their placements with the
stages they went through and the follow-ups in probation (STYLE.md §8); and how it is anonymised."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from lotse.core.personal_data import Entry, blank, classified, entries
from lotse.people.models import Person

from .models import IN_PROGRESS, FollowUp, Placement, Stage, StageChange

MODELS = (Placement, StageChange, FollowUp)


FIELDS = {
    Placement: classified(
        personal=(
            "opening",
            "stage",
            "contract_start",
            "permanent",
            "contract_end",
            "probation_end",
            "social_insurance",
            "left_on",
        ),
        record=("person", "responsible", "created_at", "updated_at"),
    ),
    StageChange: classified(
        personal=("from_stage", "to_stage", "note"),
        record=("placement", "changed_by", "changed_at"),
    ),
    FollowUp: classified(
        personal=("kind", "due_on", "result", "note"),
        record=("placement", "assigned_to", "recorded_on", "recorded_by"),
    ),
}
PURPOSE = gettext_lazy("Placing candidates with employers and following them through probation.")
LEGAL_BASIS = gettext_lazy(
    "Art. 6(1)(e) GDPR with the law that gives the organisation the task (public bodies), or "
    "Art. 6(1)(b) GDPR, the agreement to take part (welfare organisations and NGOs)."
)
SUBJECTS = gettext_lazy("Candidates placed with an employer.")
RECIPIENTS = gettext_lazy(
    "Staff of the organisation, by site and role. Employers learn of a candidate only "
    "from the staff, outside Lotse."
)


def export(person: Person) -> list[Entry]:
    placements = Placement.objects.filter(person=person)
    return [
        *entries(placements.order_by("pk")),
        *entries(StageChange.objects.filter(placement__in=placements).order_by("pk")),
        *entries(FollowUp.objects.filter(placement__in=placements).order_by("pk")),
    ]


def holds(people) -> dict[int, list[str]]:
    # A contract still in its probation period is followed up until it ends.
    open_ = Placement.objects.filter(person__in=people).filter(
        Q(stage__in=IN_PROGRESS)
        | Q(stage=Stage.CONTRACT, left_on__isnull=True, probation_end__gte=timezone.localdate())
    )
    return {
        row["person"]: [
            ngettext(
                "%(count)d placement still in progress or in probation: close it first.",
                "%(count)d placements still in progress or in probation: close them first.",
                row["n"],
            )
            % {"count": row["n"]}
        ]
        for row in open_.values("person").annotate(n=Count("pk"))
    }


def anonymise(person: Person, *, actor) -> None:
    placements = Placement.objects.filter(person=person)
    blank(StageChange.objects.filter(placement__in=placements))
    blank(FollowUp.objects.filter(placement__in=placements))
