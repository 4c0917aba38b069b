"""Retention periods (GDPR Art. 5(1)(e)): which people's data has been kept
as long as the organisation's periods allow, and the job that anonymises it.

A person is due when every kind of record they fall under has ended long
enough ago: a client whose cases are all closed for the period, an
interested person who never took part, a volunteer who withdrew. Anyone
still active in the pool, or held by open work (a case, a tandem, an
enrolment, a placement), is not due, whatever else has ended."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import HANDLE_PRIVACY
from lotse.cases.models import OPEN, Case
from lotse.core import audit
from lotse.core.dates import add_months
from lotse.core.exceptions import ServiceError
from lotse.core.models import Organisation
from lotse.core.permissions import actor_membership
from lotse.people.models import Person, PersonRole, PoolRole, Status

from . import services
from .models import (
    DEFAULT_MONTHS,
    Erasure,
    ErasureReason,
    ErasureStatus,
    RetentionKind,
    RetentionRule,
)

RETENTION_CHANGED = audit.register_action(
    "lotse.privacy.retention_changed", gettext_lazy("Retention periods changed")
)

# Roles at these statuses are current work: their people are never due.
_CURRENT = (Status.ONBOARDING, Status.ACTIVE, Status.PAUSED)
# People fetched per query: below every database's limit of parameters.
_CHUNK = 900


@dataclass(frozen=True)
class Period:
    kind: str
    months: int
    automatic: bool

    @property
    def label(self) -> str:
        return str(RetentionKind(self.kind).label)


def periods(organisation_id: int) -> list[Period]:
    """The organisation's period for each kind, the default where it set none."""
    rules = {
        rule.kind: rule for rule in RetentionRule.objects.filter(organisation_id=organisation_id)
    }
    return [
        Period(kind, rules[kind].months, rules[kind].automatic)
        if kind in rules
        else Period(kind, DEFAULT_MONTHS[kind], False)
        for kind in RetentionKind.values
    ]


def set_periods(
    *, actor: User, organisation: Organisation, values: dict[str, tuple[int, bool]]
) -> list[Period]:
    """Save the months and automatic mode per kind (`values[kind]`); the
    periods as they are now."""
    actor_membership(
        actor, organisation.pk, HANDLE_PRIVACY, _("You may not set the retention periods.")
    )
    changed = []
    with transaction.atomic():
        for kind, (months, automatic) in values.items():
            if kind not in RetentionKind.values or months < 1:
                raise ServiceError(_("Choose at least one month for each kind of record."))
            rule, created = RetentionRule.objects.get_or_create(
                organisation=organisation,
                kind=kind,
                defaults={"months": months, "automatic": automatic},
            )
            if created or (rule.months, rule.automatic) != (months, automatic):
                rule.months, rule.automatic = months, automatic
                rule.save(update_fields=["months", "automatic"])
                changed.append(kind)
        if changed:
            audit.record(
                actor=actor,
                organisation=organisation,
                action=RETENTION_CHANGED,
                changed_fields=changed,
            )
    return periods(organisation.pk)


def _ends(
    organisation_id: int,
    kind: str,
    *,
    before: datetime.date | None = None,
    among: list[int] | None = None,
) -> dict[int, datetime.date]:
    """The people `kind` applies to, with the day their records ended: only
    those ended on or before `before`, only those `among` the keys given."""
    if kind == RetentionKind.CLOSED_CASE:
        rows = (
            Case.objects.filter(organisation_id=organisation_id)
            .values(key=F("client"))
            .annotate(end=Max("closed_on"), open=Count("pk", filter=Q(status__in=OPEN)))
            .filter(open=0, end__isnull=False)
        )
        if before:
            rows = rows.filter(end__lte=before)
    else:
        if kind == RetentionKind.NEVER_ENROLLED:
            roles = PersonRole.objects.filter(
                status=Status.INTERESTED,
                person__enrolments__isnull=True,
                person__cases__isnull=True,
            )
            end = Max("since")
        else:
            roles = PersonRole.objects.filter(role=PoolRole.VOLUNTEER, status=Status.WITHDRAWN)
            end = Coalesce(
                Max("changes__changed_at", filter=Q(changes__to_status=Status.WITHDRAWN)),
                Max("since"),
            )
        rows = (
            roles.filter(organisation_id=organisation_id).values(key=F("person")).annotate(end=end)
        )
        if before:
            rows = rows.filter(end__lt=_midnight(before + datetime.timedelta(days=1)))
    if among is not None:
        rows = rows.filter(key__in=among)
    return {
        row["key"]: row["end"]
        if isinstance(row["end"], datetime.date) and not isinstance(row["end"], datetime.datetime)
        else timezone.localdate(row["end"])
        for row in rows
    }


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class Due:
    person: Person
    ended_on: datetime.date  # the latest end among its kinds
    kinds: list[str] = field(default_factory=list)
    automatic: bool = False  # every kind it falls under is anonymised without review

    @property
    def labels(self) -> list[str]:
        return [str(RetentionKind(kind).label) for kind in self.kinds]


def due(organisation_id: int, today: datetime.date | None = None) -> list[Due]:
    """The people whose periods have all passed on `today`, oldest end first."""
    today = today or timezone.localdate()
    by_kind = {period.kind: period for period in periods(organisation_id)}
    found: dict[int, Due] = {}
    for kind, period in by_kind.items():
        # The database narrows to the ends old enough, a few days to spare for
        # the months of unequal length; the exact day is decided here.
        before = add_months(today, -period.months) + datetime.timedelta(days=3)
        for person_id, ended_on in _ends(organisation_id, kind, before=before).items():
            if add_months(ended_on, period.months) > today:
                continue
            entry = found.setdefault(person_id, Due(person=None, ended_on=ended_on, automatic=True))
            entry.kinds.append(kind)
            entry.ended_on = max(entry.ended_on, ended_on)
            entry.automatic = entry.automatic and period.automatic
    # Among those, a kind still within its period, current work in the pool
    # or open work elsewhere keeps the person: a grouped query each per chunk
    # of people, not one per person.
    everyone = Person.objects.filter(organisation_id=organisation_id, anonymised_at__isnull=True)
    candidates = sorted(found)
    result = []
    for start in range(0, len(candidates), _CHUNK):
        chunk = candidates[start : start + _CHUNK]
        kept = set(
            PersonRole.objects.filter(
                organisation_id=organisation_id, status__in=_CURRENT, person_id__in=chunk
            ).values_list("person_id", flat=True)
        )
        for kind, period in by_kind.items():
            for person_id, ended_on in _ends(organisation_id, kind, among=chunk).items():
                if add_months(ended_on, period.months) > today:
                    kept.add(person_id)
        people = everyone.filter(pk__in=chunk)
        kept |= services.held(people)
        for person in people.select_related("site"):
            if person.pk in kept:
                continue
            entry = found[person.pk]
            entry.person = person
            result.append(entry)
    return sorted(result, key=lambda entry: (entry.ended_on, entry.person.pk))


def confirm(*, actor: User, organisation: Organisation, person_ids: list[int]) -> int:
    """An administrator's review: anonymise the chosen people among those due.
    The retention period was set by an administrator beforehand, so this
    review is the second pair of eyes. Returns how many were anonymised."""
    actor_membership(actor, organisation.pk, HANDLE_PRIVACY, _("You may not anonymise records."))
    chosen = {
        entry.person.pk: entry
        for entry in due(organisation.pk)
        if entry.person.pk in set(person_ids)
    }
    for entry in chosen.values():
        _anonymise(actor, entry.person)
    return len(chosen)


def _anonymise(actor: User | None, person: Person) -> None:
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.anonymised_at:
            return
        services.anonymise(actor=actor, person=current, reason=ErasureReason.RETENTION)
        # Any waiting request is settled by this anonymisation.
        Erasure.objects.filter(person=current, status=ErasureStatus.REQUESTED).update(
            status=ErasureStatus.CANCELLED, decided_at=timezone.now()
        )
        Erasure.objects.create(
            organisation_id=current.organisation_id,
            person=current,
            reason=ErasureReason.RETENTION,
            status=ErasureStatus.DONE,
            requested_by=actor,
            decided_by=actor,
            decided_at=timezone.now(),
        )


def run(today: datetime.date | None = None) -> tuple[int, int]:
    """The scheduled job (`lotse retention`): in every organisation, anonymise
    the people due whose kinds are all automatic, and count the rest for
    review. Running it twice changes nothing more. Returns (anonymised,
    waiting for review)."""
    anonymised = waiting = 0
    for organisation in Organisation.objects.order_by("pk"):
        for entry in due(organisation.pk, today):
            if entry.automatic:
                _anonymise(None, entry.person)
                anonymised += 1
            else:
                waiting += 1
    return anonymised, waiting
