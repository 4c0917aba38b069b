"""What the pool holds about a person: the record itself, its profiles,
languages, work experience, roles and their status changes, and the consents
with their evidence (STYLE.md §8); and how it is anonymised."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from lotse.core.personal_data import Entry, blank, classified, entries, entry

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


# The field registry and the processing activity (records of processing, Art. 30).
FIELDS = {
    Person: classified(
        personal=(
            "given_name",
            "family_name",
            "external_id",
            "latin_name",
            "birth_date",
            "gender",
            "phone",
            "email",
            "street",
            "postal_code",
            "municipality",
            "latitude",
            "longitude",
            "contact_language",
            "country_of_origin",
            "qualifications",
            "recognition_status",
            "availability",
            "notes",
            "search_text",
        ),
        special=("sensitive_notes",),
        record=("site", "created_at", "updated_at", "anonymised_at"),
    ),
    ParticipantProfile: classified(
        personal=(
            "wishes",
            "mentor_gender",
            "mentor_gender_required",
            "mentor_language",
            "driving_licence",
        ),
        record=("person",),
    ),
    VolunteerProfile: classified(
        personal=("capacity", "police_clearance_on", "training_completed_on"), record=("person",)
    ),
    WorkExperience: classified(
        personal=("occupation_area", "industry", "years"), record=("person",)
    ),
    PersonLanguage: classified(personal=("language", "level"), record=("person",)),
    PersonRole: classified(personal=("role", "status", "since"), record=("person",)),
    StatusChange: classified(
        personal=("from_status", "to_status", "reason"),
        record=("person_role", "changed_by", "changed_at"),
    ),
    Consent: classified(
        personal=(
            "purpose",
            "institution",
            "given_on",
            "channel",
            "witness",
            "wording",
            "evidence",
            "evidence_type",
            "withdrawn_on",
        ),
        record=("person", "recorded_by", "recorded_at"),
    ),
}
PURPOSE = gettext_lazy(
    "Keeping the pool of mentees, clients and volunteer mentors: contact, the profile that "
    "matching and support need, roles in the pool and the consents given."
)
LEGAL_BASIS = gettext_lazy(
    "Art. 6(1)(e) GDPR with the law that gives the organisation the task (public bodies), or "
    "Art. 6(1)(b) GDPR, the agreement to take part (welfare organisations and NGOs); "
    "Art. 6(1)(a) and 9(2)(a) GDPR, consent, for sensitive notes, sharing and publication."
)
SUBJECTS = gettext_lazy(
    "Mentees and clients (migrants and refugees), volunteer mentors, interested people."
)
RECIPIENTS = gettext_lazy(
    "Staff of the organisation, by site and role; partner institutions only with the "
    "person's consent to share with that institution."
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


def holds(people) -> dict[int, list[str]]:
    return {}


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
