"""What case management holds about a client: the cases with their intake
(health, residence and family matters included: an access request is answered
in full), status changes, help plans with goals and measures, contacts,
referrals and documents, the files themselves too (STYLE.md §8)."""

from __future__ import annotations

from lotse.core.personal_data import Entry, entries
from lotse.people.models import Person

from .models import (
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
