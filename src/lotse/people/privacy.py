"""What the pool holds about a person: the record itself, its profiles,
languages, work experience, roles and their status changes, and the consents
with their evidence (STYLE.md §8); and how it is anonymised."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lotse.core.personal_data import Entry, blank, entries, entry

from .models import (
    Consent,
    ParticipantProfile,
    Person,
    PersonLanguage,
    PersonRole,
    Status,
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


def holds(person: Person) -> list[str]:
    return []


# What the anonymous statistics count by: kept (reports.statistics).
_COUNTED = ("contact_language", "country_of_origin")


def anonymise(person: Person, *, actor) -> None:
    """Names, contacts, address, notes and qualifications go; gender, country
    of origin, languages and the year of birth stay for the statistics. Open
    roles in the pool end as withdrawn, so no list offers the person again."""
    birth = person.birth_date
    blank(
        Person.objects.filter(pk=person.pk),
        keep=_COUNTED,
        also={
            # The year alone places the person in an age band, not among people.
            "birth_date": datetime.date(birth.year, 1, 1) if birth else None,
            "latitude": None,
            "longitude": None,
            "anonymised_at": timezone.now(),
            "updated_at": timezone.now(),
            "version": person.version + 1,
        },
    )
    blank(ParticipantProfile.objects.filter(person=person), keep=("mentor_language",))
    blank(PersonLanguage.objects.filter(person=person), keep=("language",))
    blank(Consent.objects.filter(person=person))
    blank(StatusChange.objects.filter(person_role__person=person))
    for role in PersonRole.objects.filter(person=person).exclude(
        status__in=(Status.ALUMNI, Status.WITHDRAWN)
    ):
        StatusChange.objects.create(
            organisation_id=role.organisation_id,
            person_role=role,
            from_status=role.status,
            to_status=Status.WITHDRAWN,
            changed_by=actor,
        )
        role.status = Status.WITHDRAWN
        role.save(update_fields=["status"])
