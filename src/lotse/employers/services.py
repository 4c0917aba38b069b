"""Use cases of the work with employers: the directory and its contact
persons, acquisition activities and their follow-ups, openings, and
placements from the proposal through the contract and probation.

Every write checks EDIT_EMPLOYERS on the acting user's membership (and, for a
placement, the candidate's site), runs in one transaction and leaves an audit
entry with the changed field names, never their values."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import EDIT_EMPLOYERS, VIEW_EMPLOYERS
from lotse.core import audit, geo
from lotse.core.dates import add_months
from lotse.core.exceptions import ServiceError
from lotse.core.models import Organisation, Site
from lotse.core.permissions import actor_membership, check_sites
from lotse.core.services import Incoming, apply_changes, locked, write_many
from lotse.people.models import Person, PoolRole

from .models import (
    Activity,
    ActivityKind,
    Employer,
    EmployerContact,
    FollowUp,
    FollowUpKind,
    FollowUpResult,
    Opening,
    OpeningStatus,
    Placement,
    ProspectStage,
    Relationship,
    Stage,
    StageChange,
)

EMPLOYER_CREATED = audit.register_action("lotse.employer.created", gettext_lazy("Employer added"))
EMPLOYER_CHANGED = audit.register_action("lotse.employer.changed", gettext_lazy("Employer changed"))
EMPLOYER_CONTACT_SAVED = audit.register_action(
    "lotse.employer.contact_saved", gettext_lazy("Contact person of an employer saved")
)
ACTIVITY_RECORDED = audit.register_action(
    "lotse.employer.activity_recorded", gettext_lazy("Acquisition activity recorded")
)
FOLLOW_UP_DONE = audit.register_action(
    "lotse.employer.follow_up_done", gettext_lazy("Acquisition follow-up done")
)
NEWSLETTER_EXPORTED = audit.register_action(
    "lotse.employer.newsletter_exported", gettext_lazy("Newsletter list of employers exported")
)
OPENING_SAVED = audit.register_action("lotse.opening.saved", gettext_lazy("Opening saved"))
PLACEMENT_PROPOSED = audit.register_action(
    "lotse.placement.proposed", gettext_lazy("Candidate proposed for an opening")
)
PLACEMENT_MOVED = audit.register_action(
    "lotse.placement.moved", gettext_lazy("Placement moved to another stage")
)
PROBATION_RECORDED = audit.register_action(
    "lotse.placement.follow_up_recorded", gettext_lazy("Probation follow-up recorded")
)

_STALE = gettext_lazy(
    "Someone else changed this record while you were looking at it. Nothing was saved; "
    "the page shows its current state."
)
# Outreach that an employer who asked not to be contacted must not receive.
OUTREACH = (ActivityKind.VISIT, ActivityKind.PHONE, ActivityKind.COLD_CALL, ActivityKind.NEWSLETTER)
# Probation in Germany lasts at most six months (§ 622 (3) BGB).
DEFAULT_PROBATION_MONTHS = 6


class InvalidInput(ServiceError):
    pass


def _membership(actor: User, organisation_id: int) -> Membership:
    return actor_membership(
        actor, organisation_id, EDIT_EMPLOYERS, _("You may not change the employers' records.")
    )


def _placement_membership(actor: User, person: Person) -> Membership:
    membership = _membership(actor, person.organisation_id)
    check_sites(
        membership, [person.site_id], _("You may not work with the placements of this site.")
    )
    return membership


def _record(
    actor: User,
    action: str,
    target: models.Model,
    fields: Iterable[str] = (),
    site_id: int | None = None,
) -> None:
    audit.record(
        actor=actor,
        organisation=Organisation(pk=target.organisation_id),
        action=action,
        target=target,
        changed_fields=fields,
        site=Site(pk=site_id) if site_id else None,
    )


def _same_organisation(organisation_id: int, *objects: models.Model | None) -> None:
    for obj in objects:
        if obj is not None and obj.organisation_id != organisation_id:
            raise InvalidInput(_("That record belongs to another organisation."))


def _today() -> datetime.date:
    return timezone.localdate()


# --- employers and contact persons ------------------------------------------------


def save_employer(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    employer: Employer | None = None,
    version: int | None = None,
) -> Employer:
    _membership(actor, organisation.pk)
    with transaction.atomic():
        if employer is None:
            employer = Employer(organisation=organisation)
            changed = apply_changes(employer, data)
            action = EMPLOYER_CREATED
        else:
            employer = locked(Employer, employer.pk, version, _STALE)
            changed = apply_changes(employer, data)
            if not changed:
                return employer
            employer.version += 1
            action = EMPLOYER_CHANGED
        employer.save()
        _record(actor, action, employer, changed)
    return employer


def move_prospect(
    *, actor: User, employer: Employer, stage: str, version: int | None = None
) -> Employer:
    """Move a prospect to another stage of acquisition; "active" makes it a partner."""
    _membership(actor, employer.organisation_id)
    if stage == Relationship.ACTIVE:
        data = {"relationship": Relationship.ACTIVE}
    elif stage in ProspectStage.values:
        data = {"relationship": Relationship.PROSPECT, "stage": stage}
    else:
        raise InvalidInput(_("Choose a stage of the acquisition."))
    with transaction.atomic():
        employer = locked(Employer, employer.pk, version, _STALE)
        if employer.relationship == Relationship.DO_NOT_CONTACT:
            raise InvalidInput(_("This employer asked not to be contacted."))
        changed = apply_changes(employer, data)
        if changed:
            employer.version += 1
            employer.save()
            _record(actor, EMPLOYER_CHANGED, employer, changed)
    return employer


def save_contact(
    *,
    actor: User,
    employer: Employer,
    data: dict[str, Any],
    contact: EmployerContact | None = None,
) -> EmployerContact:
    _membership(actor, employer.organisation_id)
    with transaction.atomic():
        if contact is None:
            contact = EmployerContact(organisation_id=employer.organisation_id, employer=employer)
        elif contact.employer_id != employer.pk:
            raise InvalidInput(_("The person must work at the employer chosen."))
        changed = apply_changes(contact, data)
        if not changed and contact.pk:
            return contact
        contact.save()
        _record(actor, EMPLOYER_CONTACT_SAVED, contact, changed)
    return contact


def import_employers(
    *,
    actor: User,
    organisation: Organisation,
    employers: list[Incoming],
    contacts: list[Incoming],
) -> list[tuple[models.Model, dict[str, Any] | None]]:
    """Employers and their contact persons from an import, written at once:
    each with its audit entry. A contact's `parent` is its employer's entry.
    Returns the rows written with their values before (None: created)."""
    _membership(actor, organisation.pk)
    with transaction.atomic():
        written = write_many(
            actor=actor,
            organisation=organisation,
            model=Employer,
            incoming=employers,
            created=EMPLOYER_CREATED,
            changed=EMPLOYER_CHANGED,
        )
        written += write_many(
            actor=actor,
            organisation=organisation,
            model=EmployerContact,
            incoming=contacts,
            created=EMPLOYER_CONTACT_SAVED,
            changed=EMPLOYER_CONTACT_SAVED,
            parent_field="employer",
        )
    return written


# --- acquisition --------------------------------------------------------------------


def record_activity(*, actor: User, employer: Employer, data: dict[str, Any]) -> Activity:
    """Record a visit, call, mailing or event with an employer. A prospect
    not yet contacted moves on to "contacted"."""
    _membership(actor, employer.organisation_id)
    contact = data.get("contact")
    _same_organisation(employer.organisation_id, contact)
    if contact is not None and contact.employer_id != employer.pk:
        raise InvalidInput(_("The person must work at the employer chosen."))
    if data["kind"] in OUTREACH and employer.relationship == Relationship.DO_NOT_CONTACT:
        raise InvalidInput(
            _("This employer asked not to be contacted: no visits, calls or newsletters.")
        )
    follow_up_on = data.get("follow_up_on")
    if follow_up_on is not None and follow_up_on < data["date"]:
        raise InvalidInput(_("The follow-up cannot lie before the activity."))
    with transaction.atomic():
        activity = Activity(organisation_id=employer.organisation_id, employer=employer)
        apply_changes(activity, data)
        if activity.staff_id is None:
            activity.staff = actor
        activity.save()
        _record(actor, ACTIVITY_RECORDED, activity, data.keys())
        if (
            employer.relationship == Relationship.PROSPECT
            and employer.stage == ProspectStage.IDENTIFIED
            and data["kind"] != ActivityKind.PRESS
        ):
            Employer.objects.filter(pk=employer.pk).update(
                stage=ProspectStage.CONTACTED, version=models.F("version") + 1
            )
            _record(actor, EMPLOYER_CHANGED, employer, ["stage"])
    return activity


def complete_follow_up(*, actor: User, activity: Activity) -> Activity:
    _membership(actor, activity.organisation_id)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.follow_up_on is None:
            raise InvalidInput(_("This activity has no follow-up."))
        if activity.follow_up_done_on is None:
            activity.follow_up_done_on = _today()
            activity.save(update_fields=["follow_up_done_on"])
            _record(actor, FOLLOW_UP_DONE, activity, ["follow_up_done_on"])
    return activity


def newsletter_recipients(*, actor: User, employers: models.QuerySet) -> list[EmployerContact]:
    """The contact persons of `employers` who may receive a mailing: with an
    e-mail address, active, not opted out, at an employer that may be contacted.
    The export is written to the audit log."""
    membership = actor_membership(
        actor,
        actor.membership.organisation_id,
        VIEW_EMPLOYERS,
        _("You may not read the employers' records."),
    )
    contacts = list(
        EmployerContact.objects.filter(
            organisation_id=membership.organisation_id,
            employer__in=employers.exclude(relationship=Relationship.DO_NOT_CONTACT),
            is_active=True,
            newsletter_opt_out=False,
        )
        .exclude(email="")
        .select_related("employer__industry")
        .order_by("employer__name", "employer_id", "name", "pk")
    )
    audit.record(
        actor=actor,
        organisation=Organisation(pk=membership.organisation_id),
        action=NEWSLETTER_EXPORTED,
        changed_fields=["name", "email", "employer"],
    )
    return contacts


# --- openings -----------------------------------------------------------------------


def save_opening(
    *,
    actor: User,
    employer: Employer,
    data: dict[str, Any],
    opening: Opening | None = None,
    version: int | None = None,
) -> Opening:
    _membership(actor, employer.organisation_id)
    with transaction.atomic():
        if opening is None:
            opening = Opening(
                organisation_id=employer.organisation_id, employer=employer, created_by=actor
            )
            changed = apply_changes(opening, data)
        else:
            opening = locked(Opening, opening.pk, version, _STALE)
            if opening.employer_id != employer.pk:
                raise InvalidInput(_("The opening belongs to another employer."))
            changed = apply_changes(opening, data)
            if not changed:
                return opening
            opening.version += 1
        if "place" in changed or opening.pk is None:
            _locate(opening, employer)
        opening.save()
        _record(actor, OPENING_SAVED, opening, changed)
    return opening


def _locate(opening: Opening, employer: Employer) -> None:
    """Coordinates of the place of work (or the employer's municipality), for
    the distance to candidates."""
    place = geo.find_place(opening.place or employer.municipality)
    opening.latitude = place.latitude if place else None
    opening.longitude = place.longitude if place else None


# --- placements ---------------------------------------------------------------------


def _change(actor: User, placement: Placement, old: str, note: str) -> None:
    StageChange.objects.create(
        organisation_id=placement.organisation_id,
        placement=placement,
        from_stage=old,
        to_stage=placement.stage,
        note=note,
        changed_by=actor,
    )


def propose(
    *,
    actor: User,
    opening: Opening,
    person: Person,
    note: str = "",
    responsible: User | None = None,
) -> Placement:
    """Propose a participant for an opening: the start of a placement."""
    _placement_membership(actor, person)
    _same_organisation(person.organisation_id, opening)
    if opening.status != OpeningStatus.OPEN:
        raise InvalidInput(_("This opening is no longer open."))
    if not person.roles.filter(role=PoolRole.PARTICIPANT).exists():
        raise InvalidInput(_("Only participants can be proposed for an opening."))
    with transaction.atomic():
        placement = Placement(
            organisation_id=person.organisation_id,
            person=person,
            opening=opening,
            responsible=responsible or actor,
        )
        try:
            with transaction.atomic():
                placement.save()
        except IntegrityError:
            raise InvalidInput(
                _("%(name)s is already a candidate for this opening.") % {"name": person.full_name}
            ) from None
        _change(actor, placement, "", note)
        _record(actor, PLACEMENT_PROPOSED, placement, ["person", "opening"], person.site_id)
    return placement


def move_placement(
    *,
    actor: User,
    placement: Placement,
    stage: str,
    note: str = "",
    contract: dict[str, Any] | None = None,
    version: int | None = None,
) -> Placement:
    """Move a placement to another stage. The contract needs its dates and
    schedules the probation follow-ups."""
    _placement_membership(actor, placement.person)
    if stage not in Stage.values:
        raise InvalidInput(_("Choose a stage."))
    with transaction.atomic():
        placement = locked(Placement, placement.pk, version, _STALE)
        old = placement.stage
        if old == Stage.CONTRACT:
            raise InvalidInput(
                _("The contract is signed; how the employment goes is recorded at the follow-ups.")
            )
        if stage == old:
            raise InvalidInput(_("The placement is at this stage already."))
        changed = ["stage"]
        placement.stage = stage
        if stage == Stage.CONTRACT:
            changed += _sign(placement, contract)
        placement.version += 1
        placement.save()
        _change(actor, placement, old, note)
        if stage == Stage.CONTRACT:
            _schedule_follow_ups(placement)
            _fill_opening(placement.opening_id)
        _record(actor, PLACEMENT_MOVED, placement, changed, placement.person.site_id)
    return placement


def _sign(placement: Placement, contract: dict[str, Any] | None) -> list[str]:
    contract = contract or {}
    start = contract.get("contract_start")
    if start is None:
        raise InvalidInput(_("A contract needs the start of employment."))
    permanent = contract.get("permanent")
    if permanent is None:
        raise InvalidInput(_("Say whether the contract is permanent or for a fixed term."))
    end = contract.get("contract_end")
    if permanent:
        end = None
    elif end is None:
        raise InvalidInput(_("A fixed-term contract needs its end."))
    elif end < start:
        raise InvalidInput(_("The contract cannot end before it starts."))
    probation_end = contract.get("probation_end") or add_months(
        start, DEFAULT_PROBATION_MONTHS
    ) - datetime.timedelta(days=1)
    if probation_end < start:
        raise InvalidInput(_("Probation cannot end before the employment starts."))
    if end is not None and probation_end > end:
        probation_end = end
    values = {
        "contract_start": start,
        "permanent": permanent,
        "contract_end": end,
        "probation_end": probation_end,
        "social_insurance": contract.get("social_insurance"),
    }
    return apply_changes(placement, values)


def _schedule_follow_ups(placement: Placement) -> list[FollowUp]:
    """After one month, after three months, and at the end of probation; a
    check that would fall on or after the end of probation is left out."""
    start, end = placement.contract_start, placement.probation_end
    due = {
        FollowUpKind.ONE_MONTH: add_months(start, 1),
        FollowUpKind.THREE_MONTHS: add_months(start, 3),
    }
    follow_ups = [
        FollowUp(
            organisation_id=placement.organisation_id,
            placement=placement,
            kind=kind,
            due_on=day,
            assigned_to_id=placement.responsible_id,
        )
        for kind, day in due.items()
        if day < end
    ]
    follow_ups.append(
        FollowUp(
            organisation_id=placement.organisation_id,
            placement=placement,
            kind=FollowUpKind.PROBATION_END,
            due_on=end,
            assigned_to_id=placement.responsible_id,
        )
    )
    return FollowUp.objects.bulk_create(follow_ups)


def _fill_opening(opening_id: int) -> None:
    opening = Opening.objects.select_for_update().get(pk=opening_id)
    contracts = Placement.objects.filter(opening_id=opening_id, stage=Stage.CONTRACT).count()
    if opening.status == OpeningStatus.OPEN and contracts >= opening.positions:
        opening.status = OpeningStatus.FILLED
        opening.version += 1
        opening.save(update_fields=["status", "version", "updated_at"])


def record_follow_up(
    *,
    actor: User,
    follow_up: FollowUp,
    result: str,
    note: str = "",
    left_on: datetime.date | None = None,
) -> FollowUp:
    """Record how a probation follow-up went. "Left" ends the employment and
    every check still to come; the end of probation passed closes the
    earlier checks that nobody recorded."""
    placement = follow_up.placement
    _placement_membership(actor, placement.person)
    recordable = [c for c in FollowUpResult.values if c != FollowUpResult.NOT_NEEDED]
    if result not in recordable:
        raise InvalidInput(_("Choose how the follow-up went."))
    today = _today()
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if not follow_up.is_pending:
            raise InvalidInput(_("This follow-up has been recorded already."))
        follow_up.result = result
        follow_up.note = note
        follow_up.recorded_on = today
        follow_up.recorded_by = actor
        follow_up.save()
        others = FollowUp.objects.filter(placement=placement).pending().exclude(pk=follow_up.pk)
        closes = result == FollowUpResult.LEFT or follow_up.kind == FollowUpKind.PROBATION_END
        changed = ["result", "note"]
        if closes:
            others.update(result=FollowUpResult.NOT_NEEDED, recorded_on=today, recorded_by=actor)
        if result == FollowUpResult.LEFT:
            left = left_on or today
            if placement.contract_start and left < placement.contract_start:
                raise InvalidInput(_("The employment cannot end before it started."))
            Placement.objects.filter(pk=placement.pk).update(
                left_on=left, version=models.F("version") + 1
            )
            changed.append("left_on")
        _record(actor, PROBATION_RECORDED, follow_up, changed, placement.person.site_id)
    return follow_up
