"""What the pool holds about a person: the record itself, its profiles,
languages, work experience, roles and their status changes, and the consents
with their evidence (STYLE.md §8)."""

from __future__ import annotations

from lotse.core.personal_data import Entry, entries, entry

from .models import (
    Consent,
    ParticipantProfile,
    Person,
    PersonLanguage,
    PersonRole,
    StatusChange,
    VolunteerProfile,
    WorkExperience,
)

MODELS = (
    Person,
    ParticipantProfile,
    VolunteerProfile,
    WorkExperience,
    PersonLanguage,
    PersonRole,
    StatusChange,
    Consent,
)


def export(person: Person) -> list[Entry]:
    found = [entry(person)]
    for model in (
        ParticipantProfile,
        VolunteerProfile,
        WorkExperience,
        PersonLanguage,
        PersonRole,
        Consent,
    ):
        found += entries(model.objects.filter(person=person).order_by("pk"))
    found += entries(StatusChange.objects.filter(person_role__person=person).order_by("pk"))
    return found
