"""Use cases of the pool: recording people, their languages, roles and status."""

from __future__ import annotations

import copy
import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import EDIT_PEOPLE, MERGE_PEOPLE, VIEW_PEOPLE, VIEW_SENSITIVE_DATA
from lotse.core import audit, demand, geo
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import Organisation, Site
from lotse.core.permissions import actor_membership
from lotse.core.storage import check_document

from .filters import LEVEL_ORDER
from .models import (
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Gender,
    ParticipantProfile,
    Person,
    PersonLanguage,
    PersonRole,
    PoolRole,
    RecognitionStatus,
    SavedFilter,
    Status,
    StatusChange,
    VolunteerProfile,
    WorkExperience,
)

PERSON_CREATED = audit.register_action("lotse.person.created", gettext_lazy("Person created"))
PERSON_CHANGED = audit.register_action("lotse.person.changed", gettext_lazy("Person changed"))
PERSON_VIEWED = audit.register_action("lotse.person.viewed", gettext_lazy("Person record opened"))
ROLE_ADDED = audit.register_action(
    "lotse.person.role_added", gettext_lazy("Role in the pool added")
)
STATUS_CHANGED = audit.register_action(
    "lotse.person.status_changed", gettext_lazy("Status changed")
)

# Fields a form may set on a person; sensitive ones only with the grant.
PERSON_FIELDS = (
    "site",
    "given_name",
    "family_name",
    "latin_name",
    "external_id",
    "birth_date",
    "gender",
    "phone",
    "email",
    "street",
    "postal_code",
    "municipality",
    "contact_language",
    "country_of_origin",
    "qualifications",
    "recognition_status",
    "availability",
    "notes",
)
SENSITIVE_FIELDS = ("sensitive_notes",)


@dataclass(frozen=True)
class LanguageSkill:
    language: str
    level: str


@dataclass(frozen=True)
class Experience:
    occupation_area_id: int
    industry_id: int | None
    years: int


def _membership(actor: User, organisation_id: int, permission: str):
    refusal = _("You may not change the people of this organisation.")
    return actor_membership(actor, organisation_id, permission, refusal)


def _check_site(membership, site: Site) -> None:
    if site.organisation_id != membership.organisation_id or site.pk not in membership.site_ids:
        raise NotPermitted(_("You may not record people at this site."))


def _locked(person: Person, version: int) -> Person:
    """The person's row, locked for this transaction, if nobody saved since the
    editor read `version`; otherwise nothing is written and Conflict says why."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != version:
        raise Conflict(
            _(
                "Someone else saved this record while you were editing it. Your changes "
                "were not saved; the form shows the current values."
            )
        )
    return current


def _record(actor: User, person: Person, action: str, changed_fields: Iterable[str] = ()) -> None:
    audit.record(
        actor=actor,
        organisation=person.organisation,
        action=action,
        target=person,
        site=person.site,
        changed_fields=changed_fields,
    )


def find_duplicates(
    *,
    organisation: Organisation,
    given_name: str,
    family_name: str,
    birth_date: Any = None,
    email: str = "",
    phone: str = "",
    exclude: Person | None = None,
) -> list[Person]:
    """Possible duplicates: same name and date of birth, or same e-mail or phone.

    Searched across all sites of the organisation, so that a person registered
    at another site is not recorded twice; the caller shows only what the user
    may see."""
    query = Q()
    if birth_date:
        query |= Q(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            birth_date=birth_date,
        )
    if email:
        query |= Q(email__iexact=email.strip())
    if phone:
        query |= Q(phone=phone)
    if not query:
        return []
    people = Person.objects.filter(organisation=organisation).filter(query)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people.order_by("pk")[:10])


def _set_languages(person: Person, languages: Iterable[LanguageSkill]) -> bool:
    wanted = {skill.language: skill.level for skill in languages}
    current = {row.language: row.level for row in person.languages.all()}
    if wanted == current:
        return False
    person.languages.all().delete()
    PersonLanguage.objects.bulk_create(
        PersonLanguage(person=person, language=code, level=level) for code, level in wanted.items()
    )
    return True


def _set_experience(person: Person, experience: Iterable[Experience]) -> bool:
    wanted = sorted((e.occupation_area_id, e.industry_id or 0, e.years) for e in experience)
    current = sorted(
        (row.occupation_area_id, row.industry_id or 0, row.years) for row in person.experience.all()
    )
    if wanted == current:
        return False
    person.experience.all().delete()
    WorkExperience.objects.bulk_create(
        WorkExperience(
            person=person, occupation_area_id=area, industry_id=industry or None, years=years
        )
        for area, industry, years in wanted
    )
    return True


def site_place(site: Site):
    """The town of a site, which decides between namesakes of its people's towns."""
    return geo.find_place(site.municipality) if site.municipality else None


def locate(person: Person) -> None:
    """Set the person's coordinates from their municipality (not saved)."""
    place = None
    if person.municipality:
        home = site_place(person.site)
        near = (home.latitude, home.longitude) if home else None
        place = geo.find_place(person.municipality, near=near)
    person.latitude = place.latitude if place else None
    person.longitude = place.longitude if place else None


def create_person(
    *,
    actor: User,
    organisation: Organisation,
    role: str,
    status: str = Status.INTERESTED,
    languages: Iterable[LanguageSkill] = (),
    experience: Iterable[Experience] = (),
    **values: Any,
) -> Person:
    membership = _membership(actor, organisation.pk, EDIT_PEOPLE)
    _check_site(membership, values["site"])
    values = _person_values(membership, values)
    with transaction.atomic():
        person = Person(organisation=organisation, **values)
        locate(person)
        person.save()
        _set_languages(person, languages)
        _set_experience(person, experience)
        _add_role(actor, person, role, status, reason="")
        _record(actor, person, PERSON_CREATED, _filled(values))
    return person


def _person_values(membership: Any, values: dict[str, Any]) -> dict[str, Any]:
    if not membership.has_perm(VIEW_SENSITIVE_DATA):
        values = {name: value for name, value in values.items() if name not in SENSITIVE_FIELDS}
    unknown = set(values) - set(PERSON_FIELDS) - set(SENSITIVE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    return values


def _filled(values: dict[str, Any]) -> list[str]:
    return [name for name, value in values.items() if value not in ("", None)]


@dataclass(frozen=True)
class NewPerson:
    """One person for `create_people`: the fields, the role and its status, languages."""

    values: dict[str, Any]
    role: str
    status: str = Status.INTERESTED
    languages: tuple[LanguageSkill, ...] = ()


def create_people(
    *, actor: User, organisation: Organisation, site: Site, people: Iterable[NewPerson]
) -> list[Person]:
    """Record many people at one site at once (an import), as create_person
    records one: located, with role, status history, languages and an audit
    entry each; in a few statements per thousand people instead of ten per person."""
    membership = _membership(actor, organisation.pk, EDIT_PEOPLE)
    _check_site(membership, site)
    entries = [(entry, _person_values(membership, entry.values)) for entry in people]
    if any(entry.role not in PoolRole.values for entry, _values in entries):
        raise ServiceError(_("Choose a role in the pool."))
    home = site_place(site)
    near = (home.latitude, home.longitude) if home else None
    places: dict[str, Any] = {}
    records = []
    for _entry, values in entries:
        person = Person(organisation=organisation, **{**values, "site": site})
        town = person.municipality
        if town and town not in places:
            places[town] = geo.find_place(town, near=near)
        place = places.get(town) if town else None
        person.latitude = place.latitude if place else None
        person.longitude = place.longitude if place else None
        person.refresh_search_text()  # what Person.save does
        records.append(person)
    with transaction.atomic():
        Person.objects.bulk_create(records, batch_size=500)
        for role, model in (
            (PoolRole.PARTICIPANT, ParticipantProfile),
            (PoolRole.VOLUNTEER, VolunteerProfile),
        ):
            model.objects.bulk_create(
                (
                    model(person=p)
                    for p, (e, _v) in zip(records, entries, strict=True)
                    if e.role == role
                ),
                batch_size=500,
            )
        roles = PersonRole.objects.bulk_create(
            (
                PersonRole(organisation=organisation, person=p, role=e.role, status=e.status)
                for p, (e, _v) in zip(records, entries, strict=True)
            ),
            batch_size=500,
        )
        StatusChange.objects.bulk_create(
            (
                StatusChange(
                    organisation=organisation,
                    person_role=person_role,
                    from_status="",
                    to_status=person_role.status,
                    reason="",
                    changed_by=actor,
                )
                for person_role in roles
            ),
            batch_size=500,
        )
        PersonLanguage.objects.bulk_create(
            (
                PersonLanguage(person=p, language=skill.language, level=skill.level)
                for p, (e, _v) in zip(records, entries, strict=True)
                for skill in {s.language: s for s in e.languages}.values()
            ),
            batch_size=500,
        )
        audit.record_many(
            actor=actor,
            organisation=organisation,
            action=PERSON_CREATED,
            site=site,
            targets=((p, _filled(v)) for p, (_e, v) in zip(records, entries, strict=True)),
        )
    return records


def update_person(
    *,
    actor: User,
    person: Person,
    version: int,
    languages: Iterable[LanguageSkill] | None = None,
    experience: Iterable[Experience] | None = None,
    **values: Any,
) -> Person:
    """Save an edit. `version` is the one the editor saw: if someone saved in
    between, nothing is written and Conflict tells the user to look again."""
    membership = _membership(actor, person.organisation_id, EDIT_PEOPLE)
    if "site" in values:
        _check_site(membership, values["site"])
    allowed = set(PERSON_FIELDS)
    if membership.has_perm(VIEW_SENSITIVE_DATA):
        allowed |= set(SENSITIVE_FIELDS)
    values = {name: value for name, value in values.items() if name in allowed}
    with transaction.atomic():
        current = _locked(person, version)
        if current.anonymised_at:
            raise ServiceError(_("This record was anonymised: it can no longer be changed."))
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        for name in changed:
            setattr(current, name, values[name])
        if {"municipality", "site"} & set(changed):
            locate(current)
        if languages is not None and _set_languages(current, languages):
            changed.append("languages")
        if experience is not None and _set_experience(current, experience):
            changed.append("experience")
        if not changed:
            return current
        current.version += 1
        current.save()
        _record(actor, current, PERSON_CHANGED, changed)
    return current


def _add_role(actor: User, person: Person, role: str, status: str, reason: str) -> PersonRole:
    profile_model = ParticipantProfile if role == PoolRole.PARTICIPANT else VolunteerProfile
    profile_model.objects.get_or_create(person=person)
    person_role = PersonRole.objects.create(
        organisation=person.organisation, person=person, role=role, status=status
    )
    StatusChange.objects.create(
        organisation=person.organisation,
        person_role=person_role,
        from_status="",
        to_status=status,
        reason=reason,
        changed_by=actor,
    )
    return person_role


def add_role(*, actor: User, person: Person, role: str, status: str) -> PersonRole:
    _membership(actor, person.organisation_id, EDIT_PEOPLE)
    if PersonRole.objects.filter(person=person, role=role).exists():
        raise ServiceError(_("The person has this role already."))
    with transaction.atomic():
        person_role = _add_role(actor, person, role, status, reason="")
        _record(actor, person, ROLE_ADDED, ["roles"])
    return person_role


def _change_status(actor: User, current: PersonRole, status: str, reason: str) -> None:
    """One status change of a locked role row: history row, current status, audit."""
    StatusChange.objects.create(
        organisation=current.organisation,
        person_role=current,
        from_status=current.status,
        to_status=status,
        reason=reason.strip(),
        changed_by=actor,
    )
    current.status = status
    current.save(update_fields=["status"])
    _record(actor, current.person, STATUS_CHANGED, ["status"])


def change_status(*, actor: User, person_role: PersonRole, status: str, reason: str) -> PersonRole:
    _membership(actor, person_role.organisation_id, EDIT_PEOPLE)
    with transaction.atomic():
        current = PersonRole.objects.select_for_update().get(pk=person_role.pk)
        if current.status == status:
            raise ServiceError(
                _("The status is %(status)s already.") % {"status": current.get_status_display()}
            )
        _change_status(actor, current, status, reason)
    return current


def record_view(*, actor: User, person: Person) -> None:
    """Each opening of a person's record is logged (who looked at whom)."""
    _membership(actor, person.organisation_id, VIEW_PEOPLE)
    _record(actor, person, PERSON_VIEWED)


PROFILE_CHANGED = audit.register_action(
    "lotse.person.profile_changed", gettext_lazy("Profile in the pool changed")
)


def update_profile(
    *, actor: User, person: Person, role: str, version: int, **values: Any
) -> ParticipantProfile | VolunteerProfile:
    """Save a participant's or volunteer's profile. Many-to-many values are lists;
    the person's version guards against overwriting a colleague's edit."""
    _membership(actor, person.organisation_id, EDIT_PEOPLE)
    profile_model = ParticipantProfile if role == PoolRole.PARTICIPANT else VolunteerProfile
    with transaction.atomic():
        current = _locked(person, version)
        if not PersonRole.objects.filter(person=current, role=role).exists():
            raise ServiceError(_("The person does not have this role."))
        profile, _created = profile_model.objects.get_or_create(person=current)
        changed = []
        for name, value in values.items():
            field = profile_model._meta.get_field(name)
            if field.many_to_many:
                if any(
                    item.organisation_id != current.organisation_id
                    for item in value
                    if hasattr(item, "organisation_id")
                ):
                    raise NotPermitted(_("A chosen entry belongs to another organisation."))
                if {item.pk for item in getattr(profile, name).all()} != {v.pk for v in value}:
                    getattr(profile, name).set(value)
                    changed.append(name)
            elif getattr(profile, name) != value:
                setattr(profile, name, value)
                changed.append(name)
        if not changed:
            return profile
        profile.save()
        current.version += 1
        current.save(update_fields=["version", "updated_at"])
        _record(actor, current, PROFILE_CHANGED, changed)
    return profile


PEOPLE_EXPORTED = audit.register_action("lotse.person.exported", gettext_lazy("People exported"))
FILTER_SAVED = audit.register_action("lotse.pool.filter_saved", gettext_lazy("Pool filter saved"))


def record_export(*, actor: User, count: int) -> None:
    """Exports of personal data are part of the trail (who took which list out)."""
    membership = _membership(actor, actor.membership.organisation_id, VIEW_PEOPLE)
    audit.record(actor=actor, organisation=membership.organisation, action=PEOPLE_EXPORTED)


def save_filter(*, actor: User, name: str, query: str) -> SavedFilter:
    membership = _membership(actor, actor.membership.organisation_id, VIEW_PEOPLE)
    name = name.strip()
    with transaction.atomic():
        saved, _created = SavedFilter.objects.update_or_create(
            organisation=membership.organisation,
            user=actor,
            name=name,
            defaults={"query": query.lstrip("?")[:2000]},
        )
        audit.record(
            actor=actor, organisation=membership.organisation, action=FILTER_SAVED, target=saved
        )
    return saved


def change_status_many(
    *, actor: User, people: Iterable[Person], role: str, status: str, reason: str = ""
) -> tuple[int, int]:
    """The same status change for a selection of the pool, one history row and
    one audit entry per person, as if each were changed on their own page.

    People without the role, or at that status already, are counted, not
    refused: a selection is rarely uniform. Returns (changed, unchanged)."""
    acting = getattr(actor, "membership", None)
    membership = _membership(actor, acting.organisation_id if acting else 0, EDIT_PEOPLE)
    if role not in PoolRole.values or status not in Status.values:
        raise ServiceError(_("Choose a valid role and status."))
    if isinstance(people, QuerySet):
        ids = set(people.values_list("pk", flat=True))
    else:
        ids = {person.pk for person in people}
    permitted = Person.objects.filter(
        pk__in=ids, organisation_id=membership.organisation_id, site_id__in=membership.site_ids
    )
    if permitted.count() != len(ids):
        raise NotPermitted(_("You may not change the people of this site."))
    changed = 0
    with transaction.atomic():
        # Locked in one order, so that two bulk changes over overlapping
        # selections wait for each other instead of deadlocking.
        roles = (
            PersonRole.objects.select_for_update()
            .filter(person_id__in=ids, role=role)
            .select_related("organisation", "person__organisation", "person__site")
            .order_by("pk")
        )
        for current in roles:
            if current.status != status:
                _change_status(actor, current, status, reason)
                changed += 1
    return changed, len(ids) - changed


# --- merging duplicates -----------------------------------------------------

PERSON_MERGED = audit.register_action(
    "lotse.person.merged", gettext_lazy("Duplicate merged into this record")
)
PERSON_MERGED_AWAY = audit.register_action(
    "lotse.person.merged_away", gettext_lazy("Record merged into another one and removed")
)

# Merging removes a record, which is more than an edit. Until accounts.roles
# has a permission code of its own for it, the role decides.
# What the duplicate contributes to the kept record. Only empty fields are
# filled, never the kept values overwritten; a group is filled as a whole, so
# that an address is never half of one record and half of the other.
_PERSON_FILL = (
    ("latin_name",),
    ("birth_date",),
    ("gender",),
    ("phone",),
    ("email",),
    ("street", "postal_code", "municipality", "latitude", "longitude"),
    ("contact_language",),
    ("country_of_origin",),
    ("recognition_status",),
    ("availability",),
)
# Free text of both records is kept: the duplicate's is appended.
_PERSON_APPEND = ("qualifications", "notes")
_PROFILE_RULES: dict[type[models.Model], tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]] = {
    ParticipantProfile: (
        (("mentor_gender", "mentor_gender_required"), ("mentor_language",)),
        ("wishes",),
    ),
    VolunteerProfile: ((("police_clearance_on",), ("training_completed_on",)), ()),
}
# Values that mean "nothing recorded" besides "" and None.
_NOT_RECORDED = {
    "gender": Gender.NOT_STATED,
    "recognition_status": RecognitionStatus.NOT_APPLICABLE,
    "availability": 0,
    "mentor_gender_required": False,
}
MERGE_SEPARATOR = "\n\n---\n\n"
# The models of this app that merge_people handles one by one; every other
# foreign key onto Person (the apps above) is re-pointed generically.
_OWN_MODELS = (ParticipantProfile, VolunteerProfile, WorkExperience, PersonLanguage, PersonRole)


def may_merge(membership: Any) -> bool:
    return membership is not None and membership.has_perm(MERGE_PEOPLE)


def _merge_membership(actor: User, keep: Person, other: Person):
    membership = _membership(actor, keep.organisation_id, EDIT_PEOPLE)
    if not may_merge(membership):
        raise NotPermitted(_("Only administrators and coordinators may merge records."))
    if keep.pk == other.pk:
        raise ServiceError(_("A record cannot be merged with itself."))
    if other.organisation_id != keep.organisation_id:
        raise NotPermitted(_("You may not change the people of this organisation."))
    if keep.site_id not in membership.site_ids or other.site_id not in membership.site_ids:
        raise NotPermitted(_("You may not change the people of this site."))
    return membership


def _unset(name: str, value: Any) -> bool:
    return value in ("", None) or (name in _NOT_RECORDED and value == _NOT_RECORDED[name])


def _fill(target: models.Model, source: models.Model, groups) -> list[str]:
    filled = []
    for group in groups:
        if all(_unset(name, getattr(target, name)) for name in group) and not all(
            _unset(name, getattr(source, name)) for name in group
        ):
            for name in group:
                setattr(target, name, getattr(source, name))
            filled.extend(group)
    return filled


def _append(target: models.Model, source: models.Model, names: Iterable[str]) -> list[str]:
    appended = []
    for name in names:
        ours, theirs = getattr(target, name), getattr(source, name).strip()
        if not theirs or theirs in ours:
            continue
        setattr(target, name, f"{ours.rstrip()}{MERGE_SEPARATOR}{theirs}" if ours else theirs)
        appended.append(name)
    return appended


def _merge_roles(keep: Person, other: Person) -> bool:
    """A role both have stays the kept one's, with the other's history added to
    it; a role only the duplicate has moves over as it is."""
    kept = {row.role: row for row in PersonRole.objects.filter(person=keep)}
    theirs = list(PersonRole.objects.filter(person=other))
    for row in theirs:
        if row.role in kept:
            StatusChange.objects.filter(person_role=row).update(person_role=kept[row.role])
            row.delete()
        else:
            PersonRole.objects.filter(pk=row.pk).update(person=keep)
    return bool(theirs)


def _merge_profile(model: type[models.Model], keep: Person, other: Person) -> list[str]:
    theirs = model.objects.filter(person=other).first()
    if theirs is None:
        return []
    accessor = model._meta.get_field("person").remote_field.get_accessor_name()
    ours = model.objects.filter(person=keep).first()
    if ours is None:
        model.objects.filter(pk=theirs.pk).update(person=keep)
        return [accessor]
    groups, append = _PROFILE_RULES[model]
    changed = _fill(ours, theirs, groups) + _append(ours, theirs, append)
    for field in model._meta.many_to_many:
        have = set(getattr(ours, field.name).values_list("pk", flat=True))
        theirs_pks = getattr(theirs, field.name).values_list("pk", flat=True)
        extra = [pk for pk in theirs_pks if pk not in have]
        if extra:
            getattr(ours, field.name).add(*extra)
            changed.append(field.name)
    if changed:
        ours.save()
    return [f"{accessor}.{name}" for name in changed]


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else -1


def _merge_languages(keep: Person, other: Person) -> bool:
    """The union; a language both speak keeps the higher of the two levels."""
    ours = {row.language: row for row in PersonLanguage.objects.filter(person=keep)}
    changed = False
    for row in PersonLanguage.objects.filter(person=other):
        mine = ours.get(row.language)
        if mine is None:
            PersonLanguage.objects.filter(pk=row.pk).update(person=keep)
            changed = True
        elif _level_rank(row.level) > _level_rank(mine.level):
            mine.level = row.level
            mine.save(update_fields=["level"])
            changed = True
    return changed


def _merge_experience(keep: Person, other: Person) -> bool:
    """Moved over; a row exactly like one of the kept record's is the same fact
    typed twice and goes with the duplicate."""
    key = ("occupation_area_id", "industry_id", "years")
    ours = set(WorkExperience.objects.filter(person=keep).values_list(*key))
    moving = [
        pk
        for pk, *values in WorkExperience.objects.filter(person=other).values_list("pk", *key)
        if tuple(values) not in ours
    ]
    return WorkExperience.objects.filter(pk__in=moving).update(person=keep) > 0


def _other_relations() -> list[models.ForeignKey]:
    """Every foreign key onto Person outside the models above: the apps above
    people (enrolments, registrations, …) and the link tables of their
    many-to-many fields, found from the model graph, so that an app added later
    takes part without a change here. Hidden relations (related_name="+")
    count too."""
    return [
        relation.field
        for relation in Person._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and (relation.one_to_many or relation.one_to_one)
        and relation.related_model not in _OWN_MODELS
    ]


def _thing(model: type[models.Model], *, plural: bool = False) -> str:
    """What users call the rows of `model`; a link table is named after the
    model that owns the many-to-many field."""
    owner = model._meta.auto_created or model
    return str(owner._meta.verbose_name_plural if plural else owner._meta.verbose_name)


def _unique_sets(field: models.ForeignKey) -> list[tuple[tuple[str, ...], Q | None, bool]]:
    """The unique constraints of field's model that include field: for each,
    the other fields, the condition, and whether NULLs count as distinct."""
    model, names = field.model, {field.name, field.attname}
    sets: list[tuple[tuple[str, ...], Q | None, bool]] = []
    if field.unique:
        sets.append(((), None, True))
    for together in model._meta.unique_together:
        if names & set(together):
            sets.append((tuple(n for n in together if n not in names), None, True))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and names & set(constraint.fields):
            sets.append(
                (
                    tuple(n for n in constraint.fields if n not in names),
                    constraint.condition,
                    constraint.nulls_distinct is not False,
                )
            )
    return sets


def _colliding(field: models.ForeignKey, keep: Person, other: Person) -> list[int]:
    """The pks of other's rows of field's model that would break a unique
    constraint if re-pointed to keep."""
    # The base manager: every row must move, whatever a default manager hides.
    manager = field.model._base_manager
    clashing: set[int] = set()
    for others, condition, nulls_distinct in _unique_sets(field):
        theirs = manager.filter(**{field.name: other})
        ours = manager.filter(**{field.name: keep})
        if condition is not None:
            theirs, ours = theirs.filter(condition), ours.filter(condition)
        if not others:
            if ours.exists():
                clashing |= set(theirs.values_list("pk", flat=True))
            continue
        kept = {
            values
            for values in ours.values_list(*others)
            if not nulls_distinct or None not in values
        }
        clashing |= {
            pk for pk, *values in theirs.values_list("pk", *others) if tuple(values) in kept
        }
    return sorted(clashing)


def _collision(model: type[models.Model]) -> str:
    return _(
        "Both records have an entry of the kind “%(thing)s” that can exist only once "
        "for a person (for example, both are registered for the same event). Resolve it "
        "in one of the records first; nothing has been merged."
    ) % {"thing": _thing(model)}


def _obstacles(membership, keep: Person, other: Person) -> list[str]:
    """Why a merge would lose something; empty if it may go ahead."""
    problems = []
    if other.sensitive_notes.strip() and not membership.has_perm(VIEW_SENSITIVE_DATA):
        problems.append(
            _(
                "The duplicate has sensitive notes, which you may not see. So that "
                "nothing is lost unseen, ask a colleague with access to sensitive data "
                "to merge these records."
            )
        )
    for field in _other_relations():
        if _colliding(field, keep, other):
            problems.append(_collision(field.model))
    return problems


def _repoint(field: models.ForeignKey, keep: Person, other: Person) -> bool:
    manager = field.model._base_manager
    try:
        # A savepoint: a constraint _unique_sets cannot read (one on an
        # expression) still refuses the merge with a message, not an error page.
        with transaction.atomic():
            moved = manager.filter(**{field.name: other}).update(**{field.name: keep})
    except IntegrityError as error:
        raise ServiceError(_collision(field.model)) from error
    return moved > 0


def merge_obstacles(*, actor: User, keep: Person, other: Person) -> list[str]:
    """What would stop merge_people now, for the confirmation page."""
    membership = _merge_membership(actor, keep, other)
    return _obstacles(membership, keep, other)


def merge_filled_fields(*, actor: User, keep: Person, other: Person) -> list[str]:
    """The labels of the kept record's fields the merge would fill or add to."""
    membership = _merge_membership(actor, keep, other)
    preview = copy.copy(keep)  # a dry run: _fill and _append set attributes
    names = _fill(preview, other, _PERSON_FILL) + _append(preview, other, _PERSON_APPEND)
    if membership.has_perm(VIEW_SENSITIVE_DATA):
        names += _append(preview, other, SENSITIVE_FIELDS)
    fields = [Person._meta.get_field(name) for name in names]
    # The coordinates come with the address; they are not a field of their own.
    return [str(field.verbose_name) for field in fields if field.editable]


def merge_summary(*, keep: Person, other: Person) -> list[tuple[str, int]]:
    """What moves from `other` to `keep`: (what, how many), for the confirmation."""
    counts = [
        (_thing(PersonRole, plural=True), PersonRole.objects.filter(person=other).count()),
        (_thing(PersonLanguage, plural=True), PersonLanguage.objects.filter(person=other).count()),
        (_thing(WorkExperience, plural=True), WorkExperience.objects.filter(person=other).count()),
        (_thing(ParticipantProfile), ParticipantProfile.objects.filter(person=other).count()),
        (_thing(VolunteerProfile), VolunteerProfile.objects.filter(person=other).count()),
    ]
    for field in _other_relations():
        counts.append(
            (
                _thing(field.model, plural=True),
                field.model._base_manager.filter(**{field.name: other}).count(),
            )
        )
    return [(label, count) for label, count in counts if count]


def merge_people(
    *, actor: User, keep: Person, other: Person, version_keep: int, version_other: int
) -> Person:
    """Merge the duplicate `other` into `keep` and remove it. Everything that
    belongs to the duplicate moves to the kept record; the kept record's values
    win, its empty fields are filled. If anything would be lost (sensitive
    notes the actor may not see, an entry that may exist only once), nothing
    is changed and ServiceError says why. The duplicate's audit entries stay as
    they are: the log is append-only."""
    membership = _merge_membership(actor, keep, other)
    with transaction.atomic():
        # Both rows locked, in one order (two merges of the same pair the other
        # way round must not deadlock), and both as their editor saw them.
        locked = {
            person.pk: person
            for person in Person.objects.select_for_update()
            .filter(pk__in=[keep.pk, other.pk])
            .select_related("organisation", "site")
            .order_by("pk")
        }
        current, duplicate = locked.get(keep.pk), locked.get(other.pk)
        if (
            current is None
            or duplicate is None
            or current.version != version_keep
            or duplicate.version != version_other
        ):
            raise Conflict(
                _(
                    "Someone else changed one of the two records in the meantime. Nothing "
                    "has been merged; check both records and try again."
                )
            )
        problems = _obstacles(membership, current, duplicate)
        if problems:
            raise ServiceError(problems[0])
        moved = _fill(current, duplicate, _PERSON_FILL) + _append(
            current, duplicate, _PERSON_APPEND
        )
        if membership.has_perm(VIEW_SENSITIVE_DATA):
            moved += _append(current, duplicate, SENSITIVE_FIELDS)
        if _merge_roles(current, duplicate):
            moved.append("roles")
        for model in (ParticipantProfile, VolunteerProfile):
            moved += _merge_profile(model, current, duplicate)
        if _merge_languages(current, duplicate):
            moved.append("languages")
        if _merge_experience(current, duplicate):
            moved.append("experience")
        for field in _other_relations():
            if _repoint(field, current, duplicate):
                moved.append(field.model._meta.label_lower)
        current.version += 1
        current.save()
        _record(actor, duplicate, PERSON_MERGED_AWAY)
        _record(actor, current, PERSON_MERGED, moved)
        duplicate.delete()
    return current


def _count_participant_needs(organisation_id: int) -> Counter:
    """Active and onboarding participants per support area of their needs;
    a person with two needs in one area counts once there."""
    rows = (
        ParticipantProfile.objects.filter(
            person__organisation_id=organisation_id,
            person__roles__role=PoolRole.PARTICIPANT,
            person__roles__status__in=(Status.ACTIVE, Status.ONBOARDING),
            needs__is_active=True,
        )
        .exclude(needs__area="")
        .values("needs__area")
        .annotate(people=models.Count("person", distinct=True))
    )
    return Counter({row["needs__area"]: row["people"] for row in rows})


participant_needs = demand.Source(
    gettext_lazy("needs of active participants in the pool"), _count_participant_needs
)


# --- consents -------------------------------------------------------------------------

CONSENT_RECORDED = audit.register_action("lotse.consent.recorded", gettext_lazy("Consent recorded"))
CONSENT_WITHDRAWN = audit.register_action(
    "lotse.consent.withdrawn", gettext_lazy("Consent withdrawn")
)
CONSENT_EVIDENCE_READ = audit.register_action(
    "lotse.consent.evidence_read", gettext_lazy("Evidence of a consent opened")
)


class ConsentMissing(ServiceError):
    """A use case needs a consent the person has not given, or withdrew."""


def record_consent(
    *,
    actor: User,
    person: Person,
    purpose: str,
    given_on: datetime.date,
    channel: str,
    institution: Any = None,
    witness: str = "",
    wording: str = "",
    evidence: UploadedFile | None = None,
) -> Consent:
    """Record a consent as it was given: to share, it names the partner
    institution; given orally, it names the witness. It cannot lie in the future."""
    membership = _membership(actor, person.organisation_id, EDIT_PEOPLE)
    _check_site(membership, person.site)
    if purpose not in ConsentPurpose.values:
        raise ServiceError(_("Choose what the consent is for."))
    if channel not in ConsentChannel.values:
        raise ServiceError(_("Say how the consent was given."))
    if given_on > timezone.localdate():
        raise ServiceError(_("A consent cannot be given in the future."))
    if purpose == ConsentPurpose.SHARING:
        if institution is None:
            raise ServiceError(_("Name the partner institution the data may go to."))
        if institution.organisation_id != person.organisation_id:
            raise NotPermitted(_("That record belongs to another organisation."))
    else:
        institution = None
    if channel == ConsentChannel.ORAL and not witness.strip():
        raise ServiceError(_("A consent given orally needs the name of its witness."))
    evidence_type = check_document(evidence) if evidence else ""
    with transaction.atomic():
        consent = Consent(
            organisation_id=person.organisation_id,
            person=person,
            purpose=purpose,
            institution=institution,
            given_on=given_on,
            channel=channel,
            witness=witness.strip(),
            wording=wording.strip(),
            evidence_type=evidence_type,
            recorded_by=actor,
        )
        if evidence:
            consent.evidence.save("evidence", evidence, save=False)
        consent.save()
        _record(actor, person, CONSENT_RECORDED, ["consents"])
    return consent


def withdraw_consent(
    *, actor: User, consent: Consent, version: int, withdrawn_on: datetime.date | None = None
) -> Consent:
    """From `withdrawn_on` (today unless said otherwise), what needed the
    consent is refused. The record stays, with both dates."""
    membership = _membership(actor, consent.organisation_id, EDIT_PEOPLE)
    _check_site(membership, consent.person.site)
    withdrawn_on = withdrawn_on or timezone.localdate()
    with transaction.atomic():
        current = locked_consent(consent.pk, version)
        if current.withdrawn_on is not None:
            raise ServiceError(_("This consent has been withdrawn already."))
        if withdrawn_on < current.given_on:
            raise ServiceError(_("A consent cannot be withdrawn before it was given."))
        if withdrawn_on > timezone.localdate():
            raise ServiceError(_("Record the withdrawal when it is made, not before."))
        current.withdrawn_on = withdrawn_on
        current.version += 1
        current.save()
        _record(actor, current.person, CONSENT_WITHDRAWN, ["consents"])
    return current


def locked_consent(pk: int, version: int) -> Consent:
    current = Consent.objects.select_for_update().select_related("person").get(pk=pk)
    if current.version != version:
        raise Conflict(
            _("Someone else changed this consent in the meantime. Look at it again, please.")
        )
    return current


def require_consent(
    person: Person, purpose: str, *, institution: Any = None, on: datetime.date | None = None
) -> Consent:
    """The consent in force that allows `purpose` (for sharing: with
    `institution`) on the day; ConsentMissing saying what is missing otherwise."""
    day = on or timezone.localdate()
    found = Consent.objects.filter(person=person, purpose=purpose)
    if purpose == ConsentPurpose.SHARING:
        found = found.filter(institution=institution)
    current = found.in_force(day).order_by("-given_on", "-pk").first()
    if current is not None:
        return current
    withdrawn = found.filter(withdrawn_on__lte=day).order_by("-withdrawn_on").first()
    names = {
        "name": person.full_name,
        "purpose": ConsentPurpose(purpose).label,
        "institution": institution or "",
    }
    if withdrawn is not None:
        names["date"] = formats.date_format(withdrawn.withdrawn_on, "SHORT_DATE_FORMAT")
        if purpose == ConsentPurpose.SHARING:
            raise ConsentMissing(
                _("%(name)s withdrew the consent to share data with %(institution)s on "
                  "%(date)s: nothing may go there.") % names
            )  # fmt: skip
        raise ConsentMissing(_("%(name)s withdrew the consent to %(purpose)s on %(date)s.") % names)
    if purpose == ConsentPurpose.SHARING:
        raise ConsentMissing(
            _("%(name)s has not consented to share data with %(institution)s. Record the "
              "consent on the person's page first.") % names
        )  # fmt: skip
    raise ConsentMissing(
        _("There is no consent of %(name)s to %(purpose)s. Record it on the person's page "
          "first.") % names
    )  # fmt: skip


def open_consent_evidence(*, actor: User, consent: Consent):
    """The evidence file, opened for reading; the read is recorded."""
    membership = _membership(actor, consent.organisation_id, VIEW_PEOPLE)
    if not (membership.all_sites or consent.person.site_id in membership.site_ids):
        raise NotPermitted(_("You may not see this person."))
    if not consent.evidence:
        raise ServiceError(_("This consent has no evidence document."))
    handle = consent.evidence.open("rb")
    _record(actor, consent.person, CONSENT_EVIDENCE_READ)
    return handle
