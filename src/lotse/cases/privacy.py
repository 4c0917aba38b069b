"""What case management holds about a client: the cases with their intake
(health, residence and family matters included: an access request is answered
in full), status changes, help plans with goals and measures, contacts,
referrals and documents, the files themselves too (STYLE.md §8); and how it is
anonymised."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy, ngettext

from lotse.core.personal_data import Entry, blank, classified, entries
from lotse.people.models import Person

from .models import (
    OPEN,
    Case,
    CaseContact,
    CaseDocument,
    CaseStatusChange,
    HelpPlan,
    Intake,
    PlanGoal,
    PlanMeasure,
    Referral,
)

MODELS = (
    Case,
    Intake,
    CaseStatusChange,
    HelpPlan,
    PlanGoal,
    PlanMeasure,
    CaseContact,
    Referral,
    CaseDocument,
)


FIELDS = {
    Case: classified(
        social=(
            "programme",
            "status",
            "opened_on",
            "closed_on",
            "closing_reason",
            "outcome",
            "outcome_note",
            "last_contact_on",
        ),
        record=("client", "enrolment", "site", "caseworker", "created_at"),
    ),
    Intake: classified(
        special=("health",),
        social=(
            "family_situation",
            "children_ages",
            "childcare_needed",
            "languages",
            "education",
            "work_experience",
            "residence",
            "goals",
        ),
        record=("case", "completed_on", "updated_at"),
    ),
    CaseStatusChange: classified(
        social=("from_status", "to_status", "note"), record=("case", "changed_at", "changed_by")
    ),
    HelpPlan: classified(
        social=("agreed_on", "superseded_on"), record=("case", "number", "created_at")
    ),
    PlanGoal: classified(social=("area", "text"), record=("plan", "position")),
    PlanMeasure: classified(
        social=(
            "what",
            "responsible",
            "institution",
            "offer",
            "due_on",
            "status",
            "note",
            "done_on",
        ),
        record=("goal",),
    ),
    CaseContact: classified(
        social=(
            "kind",
            "starts_at",
            "duration_minutes",
            "place",
            "participants",
            "note",
            "next_steps",
        ),
        record=("case", "staff", "created_at"),
    ),
    Referral: classified(
        social=(
            "institution",
            "offer",
            "reason",
            "referred_on",
            "shares_data",
            "status",
            "feedback",
        ),
        record=("case",),
    ),
    CaseDocument: classified(
        social=("title", "file"),
        record=("case", "content_type", "size", "uploaded_by", "uploaded_at"),
    ),
}
PURPOSE = gettext_lazy(
    "Case management: the intake, the help plan agreed with the client, contacts, "
    "referrals to other institutions and the client's documents."
)
LEGAL_BASIS = gettext_lazy(
    "Art. 6(1)(e) GDPR with the law that gives the organisation the task, for jobcenters "
    "§§ 67a ff. SGB X (social data), or Art. 6(1)(b) GDPR, the agreement to take part; "
    "Art. 9(2)(a) GDPR, explicit consent, for health matters."
)
SUBJECTS = gettext_lazy("Clients in case management.")
RECIPIENTS = gettext_lazy(
    "The caseworkers of the client's site; health and residence matters only staff with "
    "the grant for sensitive data; an institution a client is referred to only with the "
    "client's consent to share with it."
)


def export(person: Person) -> list[Entry]:
    cases = Case.objects.filter(client=person)
    found = entries(cases.order_by("pk"))
    for model in (Intake, CaseStatusChange, HelpPlan, CaseContact, Referral, CaseDocument):
        found += entries(model.objects.filter(case__in=cases).order_by("pk"))
    found += entries(PlanGoal.objects.filter(plan__case__in=cases).order_by("pk"))
    found += entries(PlanMeasure.objects.filter(goal__plan__case__in=cases).order_by("pk"))
    return found


def holds(people) -> dict[int, list[str]]:
    open_ = Case.objects.filter(client__in=people, status__in=OPEN)
    return {
        row["client"]: [
            ngettext(
                "%(count)d case still open: close it first.",
                "%(count)d cases still open: close them first.",
                row["n"],
            )
            % {"count": row["n"]}
        ]
        for row in open_.values("client").annotate(n=Count("pk"))
    }


def anonymise(person: Person, *, actor) -> None:
    """The intake, notes, goals, measures, contacts and referrals lose their
    text; the documents go, files and all. The cases stay as anonymous
    records with their statuses, dates and closing reasons."""
    cases = Case.objects.filter(client=person)
    blank(cases)
    for model in (Intake, CaseStatusChange, HelpPlan, CaseContact, Referral):
        blank(model.objects.filter(case__in=cases))
    blank(PlanGoal.objects.filter(plan__case__in=cases))
    blank(PlanMeasure.objects.filter(goal__plan__case__in=cases))
    documents = CaseDocument.objects.filter(case__in=cases)
    blank(documents)
    documents.delete()
