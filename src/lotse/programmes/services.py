"""Use cases of programmes: their life cycle, enrolments moving through it,
events with registrations, waiting list and attendance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import EDIT_ENROLMENTS, MANAGE_PROGRAMMES, SKIP_STEPS
from lotse.core import audit
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import Organisation
from lotse.core.permissions import actor_membership, check_sites
from lotse.people.models import Person, VolunteerProfile

from .catalogues import DEFAULT_STEPS
from .models import (
    EVENT_COMPLETES_STEP,
    Enrolment,
    EnrolmentStatus,
    Event,
    Programme,
    Registration,
    RegistrationStatus,
    Step,
    StepTransition,
)

PROGRAMME_CREATED = audit.register_action(
    "lotse.programme.created", gettext_lazy("Programme created")
)
PROGRAMME_CHANGED = audit.register_action(
    "lotse.programme.changed", gettext_lazy("Programme changed")
)
STEPS_CHANGED = audit.register_action(
    "lotse.programme.steps_changed", gettext_lazy("Life cycle of a programme changed")
)
ENROLLED = audit.register_action("lotse.enrolment.created", gettext_lazy("Enrolled in a programme"))
ENROLMENT_MOVED = audit.register_action(
    "lotse.enrolment.moved", gettext_lazy("Enrolment moved to another step")
)
ENROLMENT_ENDED = audit.register_action(
    "lotse.enrolment.ended", gettext_lazy("Enrolment completed or ended")
)
EVENT_CREATED = audit.register_action("lotse.event.created", gettext_lazy("Event created"))
EVENT_CHANGED = audit.register_action("lotse.event.changed", gettext_lazy("Event changed"))
REGISTERED = audit.register_action(
    "lotse.event.registered", gettext_lazy("Registered for an event")
)
REGISTRATION_CANCELLED = audit.register_action(
    "lotse.event.registration_cancelled", gettext_lazy("Registration for an event cancelled")
)
ATTENDANCE_RECORDED = audit.register_action(
    "lotse.event.attendance_recorded", gettext_lazy("Attendance recorded")
)

_STALE = gettext_lazy(
    "Someone else saved this record while you were editing it. Your changes were not "
    "saved; the form shows the current values."
)


def _membership(actor: User, organisation_id: int, permission: str) -> Membership:
    refusal = _("You may not do this in this organisation.")
    return actor_membership(actor, organisation_id, permission, refusal)


def _check_sites(membership: Membership, *site_ids: int) -> None:
    check_sites(membership, site_ids, _("You may not work with people or events of this site."))


# --- programmes and their steps ----------------------------------------------

PROGRAMME_FIELDS = ("name", "kind", "description", "max_duration_months", "meeting_rhythm_days")


def create_programme(
    *, actor: User, organisation: Organisation, sites: Iterable[Any] = (), **values: Any
) -> Programme:
    """A new programme starts with the default life cycle of its kind."""
    _membership(actor, organisation.pk, MANAGE_PROGRAMMES)
    sites = list(sites)
    if any(site.organisation_id != organisation.pk for site in sites):
        raise NotPermitted(_("A chosen site belongs to another organisation."))
    try:
        with transaction.atomic():
            programme = Programme.objects.create(organisation=organisation, **values)
            programme.sites.set(sites)
            Step.objects.bulk_create(
                Step(
                    organisation=organisation,
                    programme=programme,
                    position=position,
                    **default._asdict(),
                )
                for position, default in enumerate(DEFAULT_STEPS[programme.kind], start=1)
            )
            audit.record(
                actor=actor,
                organisation=organisation,
                action=PROGRAMME_CREATED,
                target=programme,
                changed_fields=[*values, "sites", "steps"],
            )
    except IntegrityError as error:
        raise ServiceError(_("The organisation has a programme with this name already.")) from error
    return programme


def update_programme(
    *,
    actor: User,
    programme: Programme,
    version: int,
    sites: Iterable[Any] | None = None,
    is_active: bool | None = None,
    **values: Any,
) -> Programme:
    _membership(actor, programme.organisation_id, MANAGE_PROGRAMMES)
    if "kind" in values and values["kind"] != programme.kind and programme.enrolments.exists():
        raise ServiceError(_("The kind of a programme with enrolments cannot change."))
    if is_active is not None:
        values["is_active"] = is_active
    try:
        with transaction.atomic():
            current = Programme.objects.select_for_update().get(pk=programme.pk)
            if current.version != version:
                raise Conflict(str(_STALE))
            changed = [name for name, value in values.items() if getattr(current, name) != value]
            for name in changed:
                setattr(current, name, values[name])
            if sites is not None:
                sites = list(sites)
                if any(site.organisation_id != current.organisation_id for site in sites):
                    raise NotPermitted(_("A chosen site belongs to another organisation."))
                if {s.pk for s in current.sites.all()} != {s.pk for s in sites}:
                    current.sites.set(sites)
                    changed.append("sites")
            if not changed:
                return current
            current.version += 1
            current.save()
            audit.record(
                actor=actor,
                organisation=current.organisation,
                action=PROGRAMME_CHANGED,
                target=current,
                changed_fields=changed,
            )
    except IntegrityError as error:
        raise ServiceError(_("The organisation has a programme with this name already.")) from error
    return current


STEP_FIELDS = ("name_de", "name_en", "kind", "audience", "is_required")


def _steps_changed(actor: User, programme: Programme, changed: Iterable[str]) -> None:
    audit.record(
        actor=actor,
        organisation=programme.organisation,
        action=STEPS_CHANGED,
        target=programme,
        changed_fields=changed,
    )


def add_step(*, actor: User, programme: Programme, **values: Any) -> Step:
    """A new step goes to the end of the life cycle; move it up from there."""
    _membership(actor, programme.organisation_id, MANAGE_PROGRAMMES)
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        last = programme.steps.aggregate(last=Max("position"))["last"] or 0
        step = Step.objects.create(
            organisation_id=programme.organisation_id,
            programme=programme,
            position=last + 1,
            **values,
        )
        _steps_changed(actor, programme, ["steps"])
    return step


def update_step(*, actor: User, step: Step, **values: Any) -> Step:
    _membership(actor, step.organisation_id, MANAGE_PROGRAMMES)
    with transaction.atomic():
        current = Step.objects.select_for_update().get(pk=step.pk)
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, values[name])
        current.save(update_fields=changed)
        _steps_changed(actor, current.programme, ["steps"])
    return current


def move_step(*, actor: User, step: Step, offset: int) -> Step:
    """Swap a step with its neighbour above (-1) or below (+1). Enrolments stay
    at their step; the board shows them in the new order."""
    _membership(actor, step.organisation_id, MANAGE_PROGRAMMES)
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=step.programme_id)
        steps = list(Step.objects.filter(programme_id=step.programme_id).order_by("position"))
        index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
        other = index + (1 if offset > 0 else -1)
        if not 0 <= other < len(steps):
            return step
        first, second = steps[index], steps[other]
        # Through a free position: (programme, position) is unique at every moment.
        spare = max(s.position for s in steps) + 1
        positions = first.position, second.position
        Step.objects.filter(pk=first.pk).update(position=spare)
        Step.objects.filter(pk=second.pk).update(position=positions[0])
        Step.objects.filter(pk=first.pk).update(position=positions[1])
        _steps_changed(actor, step.programme, ["steps"])
    step.refresh_from_db()
    return step


def delete_step(*, actor: User, step: Step) -> None:
    _membership(actor, step.organisation_id, MANAGE_PROGRAMMES)
    if step.enrolments.exists() or StepTransition.objects.filter(to_step=step).exists():
        raise ServiceError(
            _("People are or were at this step: it stays, so that their history stays readable.")
        )
    if step.programme.steps.count() == 1:
        raise ServiceError(_("A programme needs at least one step."))
    with transaction.atomic():
        programme = step.programme
        step.delete()
        _steps_changed(actor, programme, ["steps"])


# --- enrolments --------------------------------------------------------------


def steps_for(programme: Programme, role: str) -> list[Step]:
    return [step for step in programme.steps.order_by("position") if step.applies_to(role)]


def _transition(
    actor: User | None,
    enrolment: Enrolment,
    from_step: Step | None,
    to_step: Step | None,
    *,
    reason: str = "",
    skipped: Iterable[Step] = (),
) -> StepTransition:
    return StepTransition.objects.create(
        organisation_id=enrolment.organisation_id,
        enrolment=enrolment,
        from_step=from_step,
        to_step=to_step,
        to_status=enrolment.status,
        skipped=[step.name for step in skipped],
        reason=reason.strip(),
        moved_by=actor,
    )


def _audit_enrolment(actor: User | None, enrolment: Enrolment, action: str, fields) -> None:
    audit.record(
        actor=actor,
        organisation=enrolment.programme.organisation,
        action=action,
        target=enrolment,
        site=enrolment.person.site,
        changed_fields=fields,
    )


@dataclass
class EnrolmentResult:
    enrolled: list[Enrolment] = field(default_factory=list)
    # (person, why not): already in the programme, wrong site, …
    refused: list[tuple[Person, str]] = field(default_factory=list)


def enrol(*, actor: User, programme: Programme, person: Person, role: str) -> Enrolment:
    """Enrol at the first step of the role's life cycle. Someone who left or
    completed the programme comes back to the same enrolment, at the start."""
    membership = _membership(actor, programme.organisation_id, EDIT_ENROLMENTS)
    if person.organisation_id != programme.organisation_id:
        raise NotPermitted(_("The person belongs to another organisation."))
    _check_sites(membership, person.site_id)
    if not programme.is_active:
        raise ServiceError(_("The programme %(name)s is closed.") % {"name": programme.name})
    if role not in programme.roles():
        raise ServiceError(_("One cannot take part in this programme in that role."))
    steps = steps_for(programme, role)
    if not steps:
        raise ServiceError(_("The programme has no steps for this role yet."))
    with transaction.atomic():
        existing = (
            Enrolment.objects.select_for_update()
            .filter(programme=programme, person=person, role=role)
            .first()
        )
        now = timezone.now()
        if existing is not None:
            if existing.status == EnrolmentStatus.ACTIVE:
                raise ServiceError(
                    _("%(name)s is in this programme already.") % {"name": person.full_name}
                )
            previous = existing.step
            existing.status = EnrolmentStatus.ACTIVE
            existing.step = steps[0]
            existing.step_since = now
            existing.version += 1
            existing.save()
            _transition(actor, existing, previous, steps[0], reason=_("Enrolled again"))
            enrolment = existing
        else:
            enrolment = Enrolment.objects.create(
                organisation_id=programme.organisation_id,
                programme=programme,
                person=person,
                role=role,
                step=steps[0],
                enrolled_at=now,
                step_since=now,
            )
            _transition(actor, enrolment, None, steps[0])
        _audit_enrolment(actor, enrolment, ENROLLED, ["programme", "role", "step"])
    return enrolment


def enrol_many(
    *, actor: User, programme: Programme, people: Iterable[Person], role: str
) -> EnrolmentResult:
    """Enrol a selection of the pool; who cannot be enrolled is reported, not fatal."""
    done, refused = _for_each(
        people, lambda person: enrol(actor=actor, programme=programme, person=person, role=role)
    )
    return EnrolmentResult(enrolled=[enrolment for _person, enrolment in done], refused=refused)


def _for_each(people: Iterable[Person], use_case) -> tuple[list[tuple], list[tuple[Person, str]]]:
    """Apply a use case to each person of a selection in one transaction. Who
    cannot be handled (already enrolled, event full …) is reported, each in its
    own savepoint; missing permission stops the whole selection."""
    done, refused = [], []
    with transaction.atomic():
        for person in people:
            try:
                with transaction.atomic():
                    done.append((person, use_case(person)))
            except NotPermitted:
                raise
            except ServiceError as error:
                refused.append((person, error.message))
    return done, refused


def _locked_enrolment(enrolment: Enrolment, version: int | None) -> Enrolment:
    current = Enrolment.objects.select_for_update().select_related("step").get(pk=enrolment.pk)
    if version is not None and current.version != version:
        raise Conflict(
            _(
                "Someone else moved this enrolment while you were looking at it. "
                "Nothing was changed; please look at its current step."
            )
        )
    return current


def move_enrolment(
    *,
    actor: User,
    enrolment: Enrolment,
    to_step: Step,
    reason: str = "",
    version: int | None = None,
) -> Enrolment:
    """Move an enrolment to another step of its programme. Passing over a
    required step needs the coordinator's permission and a reason, recorded
    with the move; going back is always possible."""
    membership = _membership(actor, enrolment.organisation_id, EDIT_ENROLMENTS)
    _check_sites(membership, enrolment.person.site_id)
    if to_step.programme_id != enrolment.programme_id:
        raise ServiceError(_("This step belongs to another programme."))
    if not to_step.applies_to(enrolment.role):
        raise ServiceError(
            _("The step %(step)s is not part of the life cycle for %(role)s.")
            % {"step": to_step.name, "role": enrolment.get_role_display()}
        )
    with transaction.atomic():
        current = _locked_enrolment(enrolment, version)
        if current.status != EnrolmentStatus.ACTIVE:
            raise ServiceError(_("The enrolment has ended; enrol the person again first."))
        if current.step_id == to_step.pk:
            raise ServiceError(_("The enrolment is at this step already."))
        skipped = [
            step
            for step in steps_for(current.programme, current.role)
            if current.step.position <= step.position < to_step.position
            and step.is_required
            and step.pk != current.step_id
        ]
        if skipped:
            if not membership.has_perm(SKIP_STEPS):
                raise NotPermitted(
                    _("Only a coordinator may pass over the required step %(steps)s.")
                    % {"steps": ", ".join(step.name for step in skipped)}
                )
            if not reason.strip():
                raise ServiceError(
                    _("Give a reason for passing over the required step %(steps)s.")
                    % {"steps": ", ".join(step.name for step in skipped)}
                )
        previous = current.step
        current.step = to_step
        current.step_since = timezone.now()
        current.version += 1
        current.save(update_fields=["step", "step_since", "version"])
        _transition(actor, current, previous, to_step, reason=reason, skipped=skipped)
        _audit_enrolment(actor, current, ENROLMENT_MOVED, ["step"])
    return current


def next_step(enrolment: Enrolment) -> Step | None:
    later = [
        step
        for step in steps_for(enrolment.programme, enrolment.role)
        if step.position > enrolment.step.position
    ]
    return later[0] if later else None


def advance(
    *, actor: User, enrolment: Enrolment, version: int | None = None, reason: str = ""
) -> Enrolment:
    """On to the next step of the role's life cycle; after the last, completed."""
    following = next_step(enrolment)
    if following is None:
        return end_enrolment(
            actor=actor,
            enrolment=enrolment,
            status=EnrolmentStatus.COMPLETED,
            reason=reason,
            version=version,
        )
    return move_enrolment(
        actor=actor, enrolment=enrolment, to_step=following, reason=reason, version=version
    )


def end_enrolment(
    *, actor: User, enrolment: Enrolment, status: str, reason: str = "", version: int | None = None
) -> Enrolment:
    membership = _membership(actor, enrolment.organisation_id, EDIT_ENROLMENTS)
    _check_sites(membership, enrolment.person.site_id)
    if status not in (EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN):
        raise ValueError(status)
    with transaction.atomic():
        current = _locked_enrolment(enrolment, version)
        if current.status != EnrolmentStatus.ACTIVE:
            raise ServiceError(_("The enrolment has ended already."))
        if status == EnrolmentStatus.COMPLETED and next_step(current) is not None:
            raise ServiceError(_("Only an enrolment at the last step can be completed."))
        if status == EnrolmentStatus.WITHDRAWN and not reason.strip():
            raise ServiceError(_("Give a reason why the person leaves the programme."))
        current.status = status
        current.version += 1
        current.save(update_fields=["status", "version"])
        _transition(actor, current, current.step, current.step, reason=reason)
        _audit_enrolment(actor, current, ENROLMENT_ENDED, ["status"])
    return current


def complete_steps_of_kind(
    *, actor: User, person: Person, kind: str, programme: Programme | None = None
) -> list[Enrolment]:
    """Something happened that a step stands for (the person attended the info
    event, finished the training): each of the person's enrolments waiting at
    such a step moves on. Enrolments elsewhere in their life cycle stay put."""
    enrolments = Enrolment.objects.filter(person=person).at_kind(kind).select_related("step")
    if programme is not None:
        enrolments = enrolments.filter(programme=programme)
    return [
        advance(actor=actor, enrolment=enrolment, reason=_("Step completed"))
        for enrolment in enrolments
    ]


# --- events ------------------------------------------------------------------

EVENT_FIELDS = (
    "kind",
    "title",
    "programme",
    "site",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "capacity",
    "description",
)


def _check_event_values(membership: Membership, values: dict[str, Any]) -> None:
    if "site" in values:
        if values["site"].organisation_id != membership.organisation_id:
            raise NotPermitted(_("The site belongs to another organisation."))
        _check_sites(membership, values["site"].pk)
    programme = values.get("programme")
    if programme is not None and programme.organisation_id != membership.organisation_id:
        raise NotPermitted(_("The programme belongs to another organisation."))
    if (
        values.get("starts_at")
        and values.get("ends_at")
        and values["ends_at"] < values["starts_at"]
    ):
        raise ServiceError(_("The event must not end before it starts."))


def create_event(*, actor: User, organisation: Organisation, **values: Any) -> Event:
    membership = _membership(actor, organisation.pk, EDIT_ENROLMENTS)
    _check_event_values(membership, values)
    with transaction.atomic():
        event = Event.objects.create(organisation=organisation, **values)
        audit.record(
            actor=actor,
            organisation=organisation,
            action=EVENT_CREATED,
            target=event,
            site=event.site,
            changed_fields=[name for name, value in values.items() if value not in ("", None)],
        )
    return event


def update_event(*, actor: User, event: Event, version: int, **values: Any) -> Event:
    """Save an edit. More places move people up from the waiting list."""
    membership = _membership(actor, event.organisation_id, EDIT_ENROLMENTS)
    _check_sites(membership, event.site_id)
    _check_event_values(membership, values)
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        if current.version != version:
            raise Conflict(str(_STALE))
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, values[name])
        current.version += 1
        current.save()
        _fill_from_waiting_list(actor, current)
        audit.record(
            actor=actor,
            organisation=current.organisation,
            action=EVENT_CHANGED,
            target=current,
            site=current.site,
            changed_fields=changed,
        )
    return current


def _places_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _fill_from_waiting_list(actor: User | None, event: Event) -> list[Registration]:
    """Move people up from the waiting list, first come first served, while
    there are free places. The caller holds the lock on the event row."""
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "registered_at", "pk"
    )
    if event.capacity is not None:
        free = event.capacity - _places_taken(event)
        waiting = waiting[: max(free, 0)]
    moved = list(waiting)
    for registration in moved:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status"])
    return moved


def register(*, actor: User, event: Event, person: Person) -> Registration:
    """A place if there is one, else the waiting list. The event row is locked,
    so that two colleagues registering at once cannot overbook it."""
    membership = _membership(actor, event.organisation_id, EDIT_ENROLMENTS)
    if person.organisation_id != event.organisation_id:
        raise NotPermitted(_("The person belongs to another organisation."))
    _check_sites(membership, person.site_id)
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        if current.is_cancelled:
            raise ServiceError(_("The event is cancelled."))
        if current.ends_at < timezone.now():
            raise ServiceError(_("The event is over; one cannot register for it any more."))
        full = current.capacity is not None and _places_taken(current) >= current.capacity
        status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
        registration = Registration.objects.filter(event=current, person=person).first()
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            raise ServiceError(
                _("%(name)s is registered for this event already.") % {"name": person.full_name}
            )
        if registration is None:
            registration = Registration.objects.create(
                organisation_id=current.organisation_id,
                event=current,
                person=person,
                status=status,
                registered_by=actor,
            )
        else:
            registration.status = status
            registration.registered_at = timezone.now()
            registration.registered_by = actor
            registration.attended = None
            registration.save()
        audit.record(
            actor=actor,
            organisation=current.organisation,
            action=REGISTERED,
            target=registration,
            site=current.site,
            changed_fields=["status"],
        )
    return registration


@dataclass
class RegistrationResult:
    registered: list[Registration] = field(default_factory=list)
    waiting: list[Registration] = field(default_factory=list)
    refused: list[tuple[Person, str]] = field(default_factory=list)


def register_many(*, actor: User, event: Event, people: Iterable[Person]) -> RegistrationResult:
    done, refused = _for_each(
        people, lambda person: register(actor=actor, event=event, person=person)
    )
    result = RegistrationResult(refused=refused)
    for _person, registration in done:
        if registration.status == RegistrationStatus.WAITING:
            result.waiting.append(registration)
        else:
            result.registered.append(registration)
    return result


def cancel_registration(*, actor: User, registration: Registration) -> Registration:
    membership = _membership(actor, registration.organisation_id, EDIT_ENROLMENTS)
    _check_sites(membership, registration.person.site_id)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            raise ServiceError(_("The registration is cancelled already."))
        current.status = RegistrationStatus.CANCELLED
        current.attended = None
        current.save(update_fields=["status", "attended"])
        _fill_from_waiting_list(actor, event)
        audit.record(
            actor=actor,
            organisation=event.organisation,
            action=REGISTRATION_CANCELLED,
            target=current,
            site=event.site,
            changed_fields=["status"],
        )
    return current


def record_attendance(
    *, actor: User, event: Event, present: Iterable[int], version: int | None = None
) -> tuple[int, int]:
    """Attendance of the registered people (`present`: registration ids; the
    others were absent). Attending an info event or a training completes that
    step of the person's enrolments; a training also counts as the mentor's
    basic training. Returns (present, absent)."""
    membership = _membership(actor, event.organisation_id, EDIT_ENROLMENTS)
    _check_sites(membership, event.site_id)
    present_ids = set(present)
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        if current.starts_at > timezone.now():
            raise ServiceError(_("Attendance can be recorded once the event has begun."))
        registrations = list(
            current.registrations.filter(status=RegistrationStatus.REGISTERED).select_related(
                "person"
            )
        )
        unknown = present_ids - {r.pk for r in registrations}
        if unknown:
            raise ServiceError(_("Only registered people can be marked as present."))
        newly_present = []
        for registration in registrations:
            attended = registration.pk in present_ids
            if registration.attended is not True and attended:
                newly_present.append(registration.person)
            if registration.attended != attended:
                registration.attended = attended
                registration.save(update_fields=["attended"])
        step_kind = EVENT_COMPLETES_STEP.get(current.kind)
        for person in newly_present:
            if current.kind == "training":
                VolunteerProfile.objects.filter(
                    person=person, training_completed_on__isnull=True
                ).update(training_completed_on=timezone.localdate(current.starts_at))
            if step_kind:
                complete_steps_of_kind(
                    actor=actor, person=person, kind=step_kind, programme=current.programme
                )
        audit.record(
            actor=actor,
            organisation=current.organisation,
            action=ATTENDANCE_RECORDED,
            target=current,
            site=current.site,
            changed_fields=["attended"],
        )
    return len(present_ids), len(registrations) - len(present_ids)
