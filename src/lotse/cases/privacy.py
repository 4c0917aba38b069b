"""What case management holds about a client: the cases with their intake
(health, residence and family matters included: an access request is answered
in full), status changes, help plans with goals and measures, contacts,
referrals and documents, the files themselves too (STYLE.md §8); and how it is
anonymised."""

from __future__ import annotations

from django.utils.translation import ngettext

from lotse.core.personal_data import Entry, blank, entries
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


def export(person: Person) -> list[Entry]:
    cases = Case.objects.filter(client=person)
    found = entries(cases.order_by("pk"))
    for model in (Intake, CaseStatusChange, HelpPlan, CaseContact, Referral, CaseDocument):
        found += entries(model.objects.filter(case__in=cases).order_by("pk"))
    found += entries(PlanGoal.objects.filter(plan__case__in=cases).order_by("pk"))
    found += entries(PlanMeasure.objects.filter(goal__plan__case__in=cases).order_by("pk"))
    return found


def holds(person: Person) -> list[str]:
    count = Case.objects.filter(client=person, status__in=OPEN).count()
    if not count:
        return []
    return [
        ngettext(
            "%(count)d case still open: close it first.",
            "%(count)d cases still open: close them first.",
            count,
        )
        % {"count": count}
    ]


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
