"""Use cases of the local network: institutions and their contact persons,
committees and their members, cooperation agreements, meetings with their
goals and measures, the responsibility matrix and the interface paper issued
from it, offers, and needs counted outside Lotse.

Every write checks EDIT_NETWORK on the acting user's membership, runs in one
transaction and leaves an audit entry with the changed field names."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import EDIT_NETWORK, VIEW_NETWORK
from lotse.core import audit
from lotse.core.exceptions import ServiceError
from lotse.core.models import Organisation
from lotse.core.permissions import actor_membership
from lotse.core.services import Incoming, apply_changes, locked, write_many
from lotse.core.storage import check_document

from .models import (
    AgreedMeasure,
    Attendance,
    Committee,
    CommitteeMember,
    ContactPerson,
    CooperationAgreement,
    Institution,
    IntegrationStep,
    InterfacePaper,
    MeasureStatus,
    MeasureUpdate,
    NeedsEntry,
    NetworkMeeting,
    Offer,
    Responsibility,
    SharedGoal,
)

INSTITUTION_CREATED = audit.register_action(
    "lotse.institution.created", gettext_lazy("Institution added")
)
INSTITUTION_CHANGED = audit.register_action(
    "lotse.institution.changed", gettext_lazy("Institution changed")
)
CONTACT_SAVED = audit.register_action(
    "lotse.institution.contact_saved", gettext_lazy("Contact person of an institution saved")
)
COMMITTEE_SAVED = audit.register_action("lotse.committee.saved", gettext_lazy("Committee saved"))
COMMITTEE_MEMBERS = audit.register_action(
    "lotse.committee.members_changed", gettext_lazy("Committee members changed")
)
AGREEMENT_SAVED = audit.register_action(
    "lotse.cooperation_agreement.saved", gettext_lazy("Cooperation agreement saved")
)
AGREEMENT_READ = audit.register_action(
    "lotse.cooperation_agreement.document_read",
    gettext_lazy("Cooperation agreement document opened"),
)
MEETING_RECORDED = audit.register_action(
    "lotse.network_meeting.recorded", gettext_lazy("Network meeting recorded")
)
MEETING_CHANGED = audit.register_action(
    "lotse.network_meeting.changed", gettext_lazy("Network meeting changed")
)
MEASURE_AGREED = audit.register_action(
    "lotse.measure.agreed", gettext_lazy("Measure agreed in a network meeting")
)
MEASURE_UPDATED = audit.register_action(
    "lotse.measure.updated", gettext_lazy("Progress of an agreed measure recorded")
)
STEP_SAVED = audit.register_action(
    "lotse.integration_step.saved", gettext_lazy("Integration step saved")
)
RESPONSIBILITY_CHANGED = audit.register_action(
    "lotse.responsibility.changed", gettext_lazy("Responsibility for an integration step changed")
)
PAPER_ISSUED = audit.register_action(
    "lotse.interface_paper.issued", gettext_lazy("Interface paper issued")
)
OFFER_SAVED = audit.register_action("lotse.offer.saved", gettext_lazy("Offer saved"))
NEED_RECORDED = audit.register_action("lotse.need.recorded", gettext_lazy("Counted need recorded"))
NEED_DELETED = audit.register_action("lotse.need.deleted", gettext_lazy("Counted need deleted"))

_STALE = gettext_lazy(
    "Someone else changed this record while you were looking at it. Nothing was saved; "
    "the page shows its current state."
)

# The steps an interface paper starts with (seed 002; PRODUCT.md §7). A
# district renames, reorders and adds to them.
DEFAULT_STEPS = (
    (gettext_lazy("First orientation"), gettext_lazy("arrival, first counselling, registration")),
    (gettext_lazy("Integration course"), gettext_lazy("entitlement, obligation, course places")),
    (gettext_lazy("Language support"), gettext_lazy("job-related German, language courses")),
    (gettext_lazy("Recognition of qualifications"), gettext_lazy("counselling and procedure")),
    (gettext_lazy("Migration counselling"), gettext_lazy("for adults and young people")),
    (gettext_lazy("Job placement"), gettext_lazy("placement, employer service")),
    (gettext_lazy("Apprenticeship"), gettext_lazy("vocational orientation and training places")),
    (gettext_lazy("Benefits"), gettext_lazy("basic income support, asylum seekers' benefits")),
    (gettext_lazy("Residence law"), gettext_lazy("residence permits, work permits")),
    (gettext_lazy("Childcare"), gettext_lazy("day-care places, childcare during courses")),
    (gettext_lazy("Housing"), gettext_lazy("accommodation, search for a flat")),
)


class InvalidInput(ServiceError):
    pass


def _membership(actor: User, organisation_id: int) -> Membership:
    return actor_membership(
        actor, organisation_id, EDIT_NETWORK, _("You may not change the network's records.")
    )


def _record(actor: User, action: str, target: models.Model, fields: Iterable[str] = ()) -> None:
    audit.record(
        actor=actor,
        organisation=Organisation(pk=target.organisation_id),
        action=action,
        target=target,
        changed_fields=fields,
    )


def _locked(model: type[models.Model], pk: int, version: int | None) -> Any:
    return locked(model, pk, version, _STALE)


def _same_organisation(organisation_id: int, *objects: models.Model | None) -> None:
    for obj in objects:
        if obj is not None and obj.organisation_id != organisation_id:
            raise InvalidInput(_("That record belongs to another organisation."))


def _check_contact(institution: Institution | None, contact: ContactPerson | None) -> None:
    if contact is not None and (institution is None or contact.institution_id != institution.pk):
        raise InvalidInput(_("The person must work at the institution chosen."))


# --- institutions and contact persons ---------------------------------------------


def save_institution(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    institution: Institution | None = None,
    version: int | None = None,
) -> Institution:
    _membership(actor, organisation.pk)
    with transaction.atomic():
        if institution is None:
            institution = Institution(organisation=organisation)
            changed = apply_changes(institution, data)
            action = INSTITUTION_CREATED
        else:
            institution = _locked(Institution, institution.pk, version)
            changed = apply_changes(institution, data)
            if not changed:
                return institution
            institution.version += 1
            action = INSTITUTION_CHANGED
        try:
            with transaction.atomic():
                institution.save()
        except IntegrityError:
            raise InvalidInput(
                _("An institution of this name is already in the network.")
            ) from None
        _record(actor, action, institution, changed)
    return institution


def save_contact(
    *,
    actor: User,
    institution: Institution,
    data: dict[str, Any],
    contact: ContactPerson | None = None,
) -> ContactPerson:
    _membership(actor, institution.organisation_id)
    with transaction.atomic():
        if contact is None:
            contact = ContactPerson(organisation_id=institution.organisation_id)
            contact.institution = institution
        elif contact.institution_id != institution.pk:
            raise InvalidInput(_("The person must work at the institution chosen."))
        changed = apply_changes(contact, data)
        contact.save()
        _record(actor, CONTACT_SAVED, institution, changed)
    return contact


def import_institutions(
    *,
    actor: User,
    organisation: Organisation,
    institutions: list[Incoming],
    contacts: list[Incoming],
) -> list[tuple[models.Model, dict[str, Any] | None]]:
    """Institutions and their contact persons from an import, written at
    once: each with its audit entry. A contact's `parent` is its institution's
    entry. Returns the rows written with their values before (None: created)."""
    _membership(actor, organisation.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                written = write_many(
                    actor=actor,
                    organisation=organisation,
                    model=Institution,
                    incoming=institutions,
                    created=INSTITUTION_CREATED,
                    changed=INSTITUTION_CHANGED,
                )
        except IntegrityError:
            raise InvalidInput(
                _("An institution of this name is already in the network.")
            ) from None
        written += write_many(
            actor=actor,
            organisation=organisation,
            model=ContactPerson,
            incoming=contacts,
            created=CONTACT_SAVED,
            changed=CONTACT_SAVED,
            parent_field="institution",
        )
    return written


# --- committees -------------------------------------------------------------------


def save_committee(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    committee: Committee | None = None,
) -> Committee:
    _membership(actor, organisation.pk)
    with transaction.atomic():
        committee = committee or Committee(organisation=organisation)
        changed = apply_changes(committee, data)
        try:
            with transaction.atomic():
                committee.save()
        except IntegrityError:
            raise InvalidInput(_("A committee of this name exists already.")) from None
        _record(actor, COMMITTEE_SAVED, committee, changed)
    return committee


def add_member(
    *,
    actor: User,
    committee: Committee,
    institution: Institution,
    contact: ContactPerson | None,
    role: str,
) -> CommitteeMember:
    _membership(actor, committee.organisation_id)
    _same_organisation(committee.organisation_id, institution, contact)
    _check_contact(institution, contact)
    with transaction.atomic():
        try:
            with transaction.atomic():
                member = CommitteeMember.objects.create(
                    organisation_id=committee.organisation_id,
                    committee=committee,
                    institution=institution,
                    contact=contact,
                    role=role,
                )
        except IntegrityError:
            raise InvalidInput(_("They are a member of this committee already.")) from None
        _record(actor, COMMITTEE_MEMBERS, committee, ["members"])
    return member


def remove_member(*, actor: User, member: CommitteeMember) -> None:
    _membership(actor, member.organisation_id)
    with transaction.atomic():
        committee = member.committee
        member.delete()
        _record(actor, COMMITTEE_MEMBERS, committee, ["members"])


# --- cooperation agreements ---------------------------------------------------------


def save_agreement(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    parties: Iterable[Institution],
    document: UploadedFile | None = None,
    agreement: CooperationAgreement | None = None,
) -> CooperationAgreement:
    _membership(actor, organisation.pk)
    parties = list(parties)
    _same_organisation(organisation.pk, *parties)
    if len(parties) < 2:
        raise InvalidInput(_("An agreement has at least two parties."))
    signed_on, valid_until = data.get("signed_on"), data.get("valid_until")
    if signed_on and valid_until and valid_until < signed_on:
        raise InvalidInput(_("It cannot be valid only until before it was signed."))
    content_type = check_document(document) if document is not None else None
    with transaction.atomic():
        agreement = agreement or CooperationAgreement(organisation=organisation)
        changed = apply_changes(agreement, data)
        if document is not None:
            old = agreement.document.name if agreement.document else ""
            agreement.document.save(document.name or "agreement", document, save=False)
            agreement.document_type = content_type
            changed.append("document")
            if old:
                transaction.on_commit(lambda: agreement.document.storage.delete(old))
        agreement.save()
        before = set(agreement.parties.values_list("pk", flat=True))
        if before != {party.pk for party in parties}:
            agreement.parties.set(parties)
            changed.append("parties")
        _record(actor, AGREEMENT_SAVED, agreement, changed)
    return agreement


def open_agreement_document(*, actor: User, agreement: CooperationAgreement):
    """The stored document, for a member who may read the network; the read
    is in the audit log like every download of a stored file."""
    actor_membership(
        actor, agreement.organisation_id, VIEW_NETWORK, _("You may not read the network.")
    )
    if not agreement.document:
        raise InvalidInput(_("No document is stored for this agreement."))
    _record(actor, AGREEMENT_READ, agreement)
    return agreement.document.open("rb")


# --- meetings, goals and measures -------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    institution: Institution
    contact: ContactPerson | None
    present: bool


@dataclass(frozen=True)
class MeasureDraft:
    title: str
    institution: Institution | None = None
    contact: ContactPerson | None = None
    due_on: datetime.date | None = None
    goal: str = ""  # the text of one of the meeting's goals, or empty


def record_meeting(
    *,
    actor: User,
    committee: Committee,
    data: dict[str, Any],
    participants: Iterable[Participant] = (),
    goals: Iterable[str] = (),
    measures: Iterable[MeasureDraft] = (),
) -> NetworkMeeting:
    """A meeting with who came, its goals and the measures agreed, in one go."""
    _membership(actor, committee.organisation_id)
    participants, measures = list(participants), list(measures)
    goals = [goal.strip() for goal in goals if goal.strip()]
    for participant in participants:
        _same_organisation(committee.organisation_id, participant.institution, participant.contact)
        _check_contact(participant.institution, participant.contact)
    for draft in measures:
        _check_measure(committee.organisation_id, draft)
    with transaction.atomic():
        meeting = NetworkMeeting(organisation_id=committee.organisation_id, committee=committee)
        apply_changes(meeting, data)
        meeting.save()
        Attendance.objects.bulk_create(
            Attendance(
                organisation_id=meeting.organisation_id,
                meeting=meeting,
                institution=participant.institution,
                contact=participant.contact,
                present=participant.present,
            )
            for participant in participants
        )
        by_text = {
            text: SharedGoal.objects.create(
                organisation_id=meeting.organisation_id, meeting=meeting, text=text
            )
            for text in goals
        }
        _record(actor, MEETING_RECORDED, meeting, [*data, "attendance", "goals"])
        for draft in measures:
            _create_measure(actor, meeting, draft, by_text.get(draft.goal.strip()))
    return meeting


def update_meeting(
    *,
    actor: User,
    meeting: NetworkMeeting,
    data: dict[str, Any],
    present: Iterable[int] | None = None,
    version: int | None = None,
) -> NetworkMeeting:
    """Change the meeting's details and minutes; `present` are the ids of the
    attendance rows of those who came."""
    _membership(actor, meeting.organisation_id)
    with transaction.atomic():
        meeting = _locked(NetworkMeeting, meeting.pk, version)
        changed = apply_changes(meeting, data)
        if present is not None:
            present = set(present)
            for row in meeting.attendance.all():
                if row.present != (row.pk in present):
                    row.present = row.pk in present
                    row.save(update_fields=["present"])
                    if "attendance" not in changed:
                        changed.append("attendance")
        if changed:
            meeting.version += 1
            meeting.save()
            _record(actor, MEETING_CHANGED, meeting, changed)
    return meeting


def add_goal(*, actor: User, meeting: NetworkMeeting, text: str) -> SharedGoal:
    _membership(actor, meeting.organisation_id)
    if not text.strip():
        raise InvalidInput(_("Write the goal."))
    with transaction.atomic():
        goal = SharedGoal.objects.create(
            organisation_id=meeting.organisation_id, meeting=meeting, text=text.strip()
        )
        _record(actor, MEETING_CHANGED, meeting, ["goals"])
    return goal


def _check_measure(organisation_id: int, draft: MeasureDraft) -> None:
    if not draft.title.strip():
        raise InvalidInput(_("Say what is to be done."))
    _same_organisation(organisation_id, draft.institution, draft.contact)
    _check_contact(draft.institution, draft.contact)


def _create_measure(
    actor: User, meeting: NetworkMeeting, draft: MeasureDraft, goal: SharedGoal | None
) -> AgreedMeasure:
    measure = AgreedMeasure.objects.create(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        goal=goal,
        title=draft.title.strip(),
        institution=draft.institution,
        contact=draft.contact,
        due_on=draft.due_on,
    )
    _record(actor, MEASURE_AGREED, measure, ["title", "institution", "contact", "due_on"])
    return measure


def add_measure(
    *, actor: User, meeting: NetworkMeeting, draft: MeasureDraft, goal: SharedGoal | None = None
) -> AgreedMeasure:
    _membership(actor, meeting.organisation_id)
    _check_measure(meeting.organisation_id, draft)
    if goal is not None and goal.meeting_id != meeting.pk:
        raise InvalidInput(_("The goal must be one of this meeting's."))
    with transaction.atomic():
        return _create_measure(actor, meeting, draft, goal)


def update_measure(
    *,
    actor: User,
    measure: AgreedMeasure,
    status: str,
    note: str = "",
    version: int | None = None,
    today: datetime.date | None = None,
) -> AgreedMeasure:
    """Record progress: the status the measure is in now and a note on it."""
    _membership(actor, measure.organisation_id)
    if status not in MeasureStatus.values:
        raise InvalidInput(_("Choose a status."))
    if status == measure.status and not note.strip():
        raise InvalidInput(_("Change the status or write a progress note."))
    today = today or timezone.localdate()
    with transaction.atomic():
        measure = _locked(AgreedMeasure, measure.pk, version)
        changed = []
        if measure.status != status:
            measure.status = status
            measure.done_on = today if status == MeasureStatus.DONE else None
            changed = ["status", "done_on"]
        measure.version += 1
        measure.save()
        MeasureUpdate.objects.create(
            organisation_id=measure.organisation_id,
            measure=measure,
            written_by=actor,
            status=status,
            note=note.strip(),
        )
        _record(actor, MEASURE_UPDATED, measure, [*changed, *(["note"] if note.strip() else [])])
    return measure


# --- responsibilities and the interface paper ----------------------------------------------


def ensure_default_steps(organisation: Organisation) -> None:
    """An organisation's first look at the interface paper starts from the
    usual steps, named in the language of whoever opens it first."""
    if IntegrationStep.objects.filter(organisation=organisation).exists():
        return
    IntegrationStep.objects.bulk_create(
        [
            IntegrationStep(
                organisation=organisation,
                name=str(name),
                description=str(description),
                position=(index + 1) * 10,
            )
            for index, (name, description) in enumerate(DEFAULT_STEPS)
        ],
        ignore_conflicts=True,
    )


def save_step(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    step: IntegrationStep | None = None,
) -> IntegrationStep:
    _membership(actor, organisation.pk)
    with transaction.atomic():
        if step is None:
            step = IntegrationStep(organisation=organisation)
            if "position" not in data or data["position"] is None:
                last = IntegrationStep.objects.filter(organisation=organisation).aggregate(
                    last=Max("position")
                )["last"]
                data = {**data, "position": (last or 0) + 10}
        changed = apply_changes(step, data)
        try:
            with transaction.atomic():
                step.save()
        except IntegrityError:
            raise InvalidInput(_("A step of this name exists already.")) from None
        _record(actor, STEP_SAVED, step, changed)
    return step


def set_responsibility(
    *,
    actor: User,
    step: IntegrationStep,
    institution: Institution,
    contact: ContactPerson | None = None,
    how_to_reach: str = "",
) -> Responsibility:
    """Make `institution` responsible for `step`, or change its contact."""
    _membership(actor, step.organisation_id)
    _same_organisation(step.organisation_id, institution, contact)
    _check_contact(institution, contact)
    with transaction.atomic():
        responsibility, _created = Responsibility.objects.update_or_create(
            step=step,
            institution=institution,
            defaults={
                "organisation_id": step.organisation_id,
                "contact": contact,
                "how_to_reach": how_to_reach.strip(),
            },
        )
        _record(actor, RESPONSIBILITY_CHANGED, step, ["institution", "contact", "how_to_reach"])
    return responsibility


def remove_responsibility(*, actor: User, responsibility: Responsibility) -> None:
    _membership(actor, responsibility.organisation_id)
    with transaction.atomic():
        step = responsibility.step
        responsibility.delete()
        _record(actor, RESPONSIBILITY_CHANGED, step, ["institution"])


def responsibility_matrix(organisation_id: int) -> list[dict[str, Any]]:
    """The interface paper's content as it stands: each active step with the
    institutions responsible for it, their contact person and how to reach them."""
    steps = IntegrationStep.objects.filter(
        organisation_id=organisation_id, is_active=True
    ).prefetch_related(
        models.Prefetch(
            "responsibilities",
            queryset=Responsibility.objects.select_related("institution", "contact").order_by(
                "institution__name"
            ),
        )
    )
    matrix = []
    for step in steps:
        rows = []
        for item in step.responsibilities.all():
            institution, contact = item.institution, item.contact
            rows.append(
                {
                    "institution": institution.name,
                    "address": institution.address,
                    "contact": contact.name if contact else "",
                    "function": contact.function if contact else "",
                    "phone": (contact.phone if contact and contact.phone else institution.phone),
                    "email": (contact.email if contact and contact.email else institution.email),
                    "how_to_reach": item.how_to_reach,
                }
            )
        matrix.append({"step": step.name, "description": step.description, "rows": rows})
    return matrix


def issue_interface_paper(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    note: str = "",
    today: datetime.date | None = None,
) -> InterfacePaper:
    """Freeze the responsibility matrix as the next numbered version."""
    _membership(actor, organisation.pk)
    matrix = responsibility_matrix(organisation.pk)
    if not any(step["rows"] for step in matrix):
        raise InvalidInput(
            _("No institution is responsible for any step yet: there is nothing to issue.")
        )
    with transaction.atomic():
        # Lock the organisation's row: two people issuing at once get 1 and 2.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        last = InterfacePaper.objects.filter(organisation=organisation).aggregate(
            last=Max("number")
        )["last"]
        paper = InterfacePaper.objects.create(
            organisation=organisation,
            number=(last or 0) + 1,
            issued_on=today or timezone.localdate(),
            issued_by=actor,
            title=title.strip() or _("Interface paper"),
            note=note.strip(),
            matrix=matrix,
        )
        _record(actor, PAPER_ISSUED, paper, ["matrix"])
    return paper


# --- offers and needs ---------------------------------------------------------------


def save_offer(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    offer: Offer | None = None,
) -> Offer:
    _membership(actor, organisation.pk)
    _same_organisation(organisation.pk, data.get("provider"), data.get("site"))
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput(_("The offer cannot end before it starts."))
    with transaction.atomic():
        offer = offer or Offer(organisation=organisation)
        changed = apply_changes(offer, data)
        offer.save()
        _record(actor, OFFER_SAVED, offer, changed)
    return offer


def import_offers(
    *, actor: User, organisation: Organisation, offers: list[Incoming]
) -> list[tuple[models.Model, dict[str, Any] | None]]:
    """Offers from an import, written at once: each with its audit entry.
    Returns the rows written with their values before (None: created)."""
    _membership(actor, organisation.pk)
    providers = {item.values["provider_id"] for item in offers if "provider_id" in item.values}
    known = set(
        Institution.objects.filter(organisation=organisation, pk__in=providers).values_list(
            "pk", flat=True
        )
    )
    if providers - known:
        raise InvalidInput(_("That record belongs to another organisation."))
    for item in offers:
        starts_on, ends_on = item.values.get("starts_on"), item.values.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            raise InvalidInput(_("The offer cannot end before it starts."))
    with transaction.atomic():
        return write_many(
            actor=actor,
            organisation=organisation,
            model=Offer,
            incoming=offers,
            created=OFFER_SAVED,
            changed=OFFER_SAVED,
        )


def record_need(
    *,
    actor: User,
    organisation: Organisation,
    area: str,
    target_group: str,
    count: int,
    source: str = "",
    recorded_on: datetime.date | None = None,
) -> NeedsEntry:
    _membership(actor, organisation.pk)
    if count < 1:
        raise InvalidInput(_("Count at least one person."))
    with transaction.atomic():
        entry = NeedsEntry.objects.create(
            organisation=organisation,
            area=area,
            target_group=target_group.strip(),
            count=count,
            source=source.strip(),
            recorded_on=recorded_on or timezone.localdate(),
            recorded_by=actor,
        )
        _record(actor, NEED_RECORDED, entry, ["area", "target_group", "count", "source"])
    return entry


def delete_need(*, actor: User, entry: NeedsEntry) -> None:
    _membership(actor, entry.organisation_id)
    with transaction.atomic():
        _record(actor, NEED_DELETED, entry)
        entry.delete()
