"""Use cases of case management: opening a case, the intake, the help plan
and its versions, contacts and appointments, referrals, documents, the close
with its outcome, and the caseworker's calendar feed.

Every write checks EDIT_CASES and the case's site on the acting user's
membership, runs in one transaction and leaves an audit entry that names the
changed fields, never their values."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import EDIT_CASES, EDIT_ENROLMENTS, VIEW_CASES, VIEW_SENSITIVE_DATA
from lotse.core import audit, demand
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import Organisation, Site
from lotse.core.permissions import actor_membership, check_sites
from lotse.core.storage import check_office_or_scan
from lotse.network.models import Institution, Offer
from lotse.people.models import ConsentPurpose, Person, PoolRole
from lotse.people.services import require_consent
from lotse.programmes import services as programmes
from lotse.programmes.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Programme,
    ProgrammeKind,
    StepKind,
)

from .models import (
    OPEN,
    SENSITIVE_FIELDS,
    CalendarFeed,
    Case,
    CaseContact,
    CaseDocument,
    CaseStatus,
    CaseStatusChange,
    ClosingReason,
    HelpPlan,
    Intake,
    MeasureStatus,
    Outcome,
    PlanGoal,
    PlanMeasure,
    Referral,
    ReferralStatus,
    Responsible,
)

CASE_OPENED = audit.register_action("lotse.case.opened", gettext_lazy("Case opened"))
CASE_CHANGED = audit.register_action("lotse.case.changed", gettext_lazy("Case changed"))
CASE_CLOSED = audit.register_action("lotse.case.closed", gettext_lazy("Case closed"))
CASE_READ = audit.register_action("lotse.case.read", gettext_lazy("Case opened for reading"))
INTAKE_SAVED = audit.register_action("lotse.case.intake_saved", gettext_lazy("Intake saved"))
PLAN_CHANGED = audit.register_action("lotse.case.plan_changed", gettext_lazy("Help plan changed"))
PLAN_AGREED = audit.register_action("lotse.case.plan_agreed", gettext_lazy("Help plan agreed"))
PLAN_PRINTED = audit.register_action("lotse.case.plan_printed", gettext_lazy("Help plan printed"))
CONTACT_RECORDED = audit.register_action(
    "lotse.case.contact_recorded", gettext_lazy("Contact or appointment recorded")
)
REFERRAL_SAVED = audit.register_action("lotse.case.referral_saved", gettext_lazy("Referral saved"))
DOCUMENT_UPLOADED = audit.register_action(
    "lotse.case.document_uploaded", gettext_lazy("Case document uploaded")
)
DOCUMENT_READ = audit.register_action(
    "lotse.case.document_read", gettext_lazy("Case document downloaded")
)
FEED_CHANGED = audit.register_action(
    "lotse.calendar_feed.changed", gettext_lazy("Calendar feed address changed")
)

_STALE = gettext_lazy(
    "Someone else changed this case while you were looking at it. Nothing was saved; "
    "the page shows its current state."
)


class InvalidInput(ServiceError):
    pass


def _membership(actor: User, organisation_id: int) -> Membership:
    return actor_membership(
        actor, organisation_id, EDIT_CASES, _("You may not work with cases here.")
    )


def _allowed(actor: User, case: Case) -> Membership:
    membership = _membership(actor, case.organisation_id)
    check_sites(membership, [case.site_id], _("You may not work with cases of this site."))
    return membership


def _record(actor: User, action: str, case: Case, fields: Iterable[str] = ()) -> None:
    audit.record(
        actor=actor,
        organisation=Organisation(pk=case.organisation_id),
        action=action,
        target=case,
        changed_fields=fields,
        site=Site(pk=case.site_id),
    )


def _locked(case: Case, version: int | None) -> Case:
    current = Case.objects.select_for_update().get(pk=case.pk)
    if version is not None and current.version != version:
        raise Conflict(str(_STALE))
    return current


def _open(case: Case) -> None:
    if not case.is_open:
        raise InvalidInput(_("The case is closed."))


def _set_status(actor: User, case: Case, status: str, note: str = "") -> None:
    CaseStatusChange.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        changed_by=actor,
        from_status=case.status,
        to_status=status,
        note=note,
    )
    case.status = status


def caseworkers(organisation_id: int) -> list[User]:
    """Who may be responsible for a case: active members who may edit cases."""
    memberships = Membership.objects.filter(
        organisation_id=organisation_id, is_active=True
    ).select_related("user")
    return sorted(
        (m.user for m in memberships if m.has_perm(EDIT_CASES)),
        key=lambda user: (user.get_full_name() or user.email).lower(),
    )


def _check_staff(organisation_id: int, *users: User) -> None:
    allowed = {user.pk for user in caseworkers(organisation_id)}
    if any(user.pk not in allowed for user in users):
        raise InvalidInput(_("Only staff who work with cases can be responsible."))


# --- opening, changing, closing ----------------------------------------------------


def open_case(
    *,
    actor: User,
    client: Person,
    programme: Programme,
    caseworker: User,
    site: Site | None = None,
    deputies: Iterable[User] = (),
    opened_on: datetime.date | None = None,
) -> Case:
    """Open a case for a participant in a case-management programme; they are
    enrolled as its client if they are not yet."""
    membership = _membership(actor, client.organisation_id)
    site = site or client.site
    check_sites(membership, [site.pk], _("You may not work with cases of this site."))
    if programme.organisation_id != client.organisation_id or site.organisation_id != (
        client.organisation_id
    ):
        raise NotPermitted(_("The person belongs to another organisation."))
    if programme.kind != ProgrammeKind.CASE_MANAGEMENT:
        raise InvalidInput(_("Cases are opened in a case-management programme."))
    if not client.roles.filter(role=PoolRole.PARTICIPANT).exists():
        raise InvalidInput(_("Only a participant of the pool can be a client."))
    deputies = [user for user in deputies if user.pk != caseworker.pk]
    _check_staff(client.organisation_id, caseworker, *deputies)
    with transaction.atomic():
        enrolment = Enrolment.objects.filter(
            programme=programme,
            person=client,
            role=EnrolmentRole.CLIENT,
            status=EnrolmentStatus.ACTIVE,
        ).first()
        if enrolment is None and membership.has_perm(EDIT_ENROLMENTS):
            enrolment = programmes.enrol(
                actor=actor, programme=programme, person=client, role=EnrolmentRole.CLIENT
            )
        case = Case(
            organisation_id=client.organisation_id,
            client=client,
            programme=programme,
            enrolment=enrolment,
            site=site,
            caseworker=caseworker,
            opened_on=opened_on or timezone.localdate(),
        )
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError:
            raise InvalidInput(
                _("%(name)s has an open case in this programme already.")
                % {"name": client.full_name}
            ) from None
        case.deputies.set(deputies)
        CaseStatusChange.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            changed_by=actor,
            to_status=CaseStatus.INTAKE,
        )
        Intake.objects.create(organisation_id=case.organisation_id, case=case)
        HelpPlan.objects.create(organisation_id=case.organisation_id, case=case, number=1)
        _record(actor, CASE_OPENED, case, ["client", "programme", "site", "caseworker"])
    return case


def update_case(
    *,
    actor: User,
    case: Case,
    caseworker: User,
    deputies: Iterable[User],
    site: Site,
    version: int | None = None,
) -> Case:
    membership = _allowed(actor, case)
    _open(case)
    check_sites(membership, [site.pk], _("You may not work with cases of this site."))
    deputies = [user for user in deputies if user.pk != caseworker.pk]
    _check_staff(case.organisation_id, caseworker, *deputies)
    with transaction.atomic():
        case = _locked(case, version)
        changed = []
        if case.caseworker_id != caseworker.pk:
            case.caseworker = caseworker
            changed.append("caseworker")
        if case.site_id != site.pk:
            case.site = site
            changed.append("site")
        if set(case.deputies.values_list("pk", flat=True)) != {user.pk for user in deputies}:
            case.deputies.set(deputies)
            changed.append("deputies")
        if changed:
            case.version += 1
            case.save()
            _record(actor, CASE_CHANGED, case, changed)
    return case


def hold(*, actor: User, case: Case, note: str = "", version: int | None = None) -> Case:
    _allowed(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        if case.status != CaseStatus.ACTIVE:
            raise InvalidInput(_("Only an active case can be put on hold."))
        _set_status(actor, case, CaseStatus.ON_HOLD, note)
        case.version += 1
        case.save()
        _record(actor, CASE_CHANGED, case, ["status"])
    return case


def resume(*, actor: User, case: Case, version: int | None = None) -> Case:
    _allowed(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        if case.status != CaseStatus.ON_HOLD:
            raise InvalidInput(_("The case is not on hold."))
        _set_status(actor, case, CaseStatus.ACTIVE)
        case.version += 1
        case.save()
        _record(actor, CASE_CHANGED, case, ["status"])
    return case


def close_case(
    *,
    actor: User,
    case: Case,
    reason: str,
    outcome: str,
    closed_on: datetime.date | None = None,
    outcome_note: str = "",
    version: int | None = None,
) -> Case:
    _allowed(actor, case)
    if reason not in ClosingReason.values:
        raise InvalidInput(_("Choose why the case closes."))
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose the outcome."))
    closed_on = closed_on or timezone.localdate()
    with transaction.atomic():
        case = _locked(case, version)
        _open(case)
        if closed_on < case.opened_on:
            raise InvalidInput(_("A case cannot close before it was opened."))
        if closed_on > timezone.localdate():
            raise InvalidInput(_("The close cannot lie in the future."))
        _set_status(actor, case, CaseStatus.CLOSED)
        case.closed_on = closed_on
        case.closing_reason = reason
        case.outcome = outcome
        case.outcome_note = outcome_note.strip()
        case.version += 1
        case.save()
        _record(actor, CASE_CLOSED, case, ["status", "closed_on", "closing_reason", "outcome"])
    return case


def record_read(*, actor: User, case: Case) -> None:
    """Opening a case page is written to the audit log (DESIGN.md: each view
    of a person's record)."""
    actor_membership(actor, case.organisation_id, VIEW_CASES, _("You may not read cases."))
    _record(actor, CASE_READ, case)


# --- intake --------------------------------------------------------------------------


def may_see_sensitive(actor: User) -> bool:
    membership = getattr(actor, "membership", None)
    return membership is not None and membership.has_perm(VIEW_SENSITIVE_DATA)


def save_intake(
    *,
    actor: User,
    case: Case,
    data: dict[str, Any],
    complete: bool = False,
    version: int | None = None,
) -> Intake:
    """Save the intake's sections; sensitive ones only with the grant. The
    first completion moves the case to active and the enrolment past its
    intake step."""
    _allowed(actor, case)
    _open(case)
    if not may_see_sensitive(actor) and any(name in data for name in SENSITIVE_FIELDS):
        raise NotPermitted(_("You may not record health or residence matters."))
    with transaction.atomic():
        intake = Intake.objects.select_for_update().get(case=case)
        if version is not None and intake.version != version:
            raise Conflict(str(_STALE))
        changed = [name for name, value in data.items() if getattr(intake, name) != value]
        for name in changed:
            setattr(intake, name, data[name])
        completed_now = complete and intake.completed_on is None
        if completed_now:
            intake.completed_on = timezone.localdate()
            changed.append("completed_on")
        if changed:
            intake.version += 1
            intake.save()
            _record(actor, INTAKE_SAVED, case, changed)
        if completed_now:
            current = Case.objects.select_for_update().get(pk=case.pk)
            if current.status == CaseStatus.INTAKE:
                _set_status(actor, current, CaseStatus.ACTIVE)
                current.version += 1
                current.save()
            if membership_can_enrol(actor):
                programmes.complete_steps_of_kind(
                    actor=actor, person=case.client, kind=StepKind.INTAKE, programme=case.programme
                )
    return intake


def membership_can_enrol(actor: User) -> bool:
    membership = getattr(actor, "membership", None)
    return membership is not None and membership.has_perm(EDIT_ENROLMENTS)


# --- help plan -----------------------------------------------------------------------


def current_plan(case: Case) -> HelpPlan:
    return case.plans.filter(superseded_on__isnull=True).order_by("-number").first()


def _editable(plan: HelpPlan) -> None:
    if not plan.is_current:
        raise InvalidInput(_("An earlier version of the help plan cannot be changed."))


def add_goal(*, actor: User, plan: HelpPlan, area: str, text: str) -> PlanGoal:
    _allowed(actor, plan.case)
    _open(plan.case)
    _editable(plan)
    if not text.strip():
        raise InvalidInput(_("Write the goal."))
    with transaction.atomic():
        # Locked and read again: a re-agreement in between froze it.
        plan = HelpPlan.objects.select_for_update().get(pk=plan.pk)
        _editable(plan)
        last = plan.goals.aggregate(last=Max("position"))["last"] or 0
        goal = PlanGoal.objects.create(
            organisation_id=plan.organisation_id,
            plan=plan,
            area=area,
            text=text.strip(),
            position=last + 1,
        )
        _record(actor, PLAN_CHANGED, plan.case, ["goals"])
    return goal


def _check_responsible(
    organisation_id: int, responsible: str, institution: Institution | None, offer: Offer | None
) -> tuple[Institution | None, Offer | None]:
    if responsible != Responsible.PARTNER:
        return None, None
    if offer is not None:
        institution = offer.provider
    if institution is None:
        raise InvalidInput(_("Choose the partner institution or offer."))
    for obj in (institution, offer):
        if obj is not None and obj.organisation_id != organisation_id:
            raise NotPermitted(_("That record belongs to another organisation."))
    return institution, offer


def add_measure(
    *,
    actor: User,
    goal: PlanGoal,
    what: str,
    responsible: str,
    institution: Institution | None = None,
    offer: Offer | None = None,
    due_on: datetime.date | None = None,
    note: str = "",
) -> PlanMeasure:
    case = goal.plan.case
    _allowed(actor, case)
    _open(case)
    _editable(goal.plan)
    if not what.strip():
        raise InvalidInput(_("Say what is to be done."))
    institution, offer = _check_responsible(case.organisation_id, responsible, institution, offer)
    with transaction.atomic():
        _editable(HelpPlan.objects.select_for_update().get(pk=goal.plan_id))
        measure = PlanMeasure.objects.create(
            organisation_id=case.organisation_id,
            goal=goal,
            what=what.strip(),
            responsible=responsible,
            institution=institution,
            offer=offer,
            due_on=due_on,
            note=note.strip(),
        )
        _record(actor, PLAN_CHANGED, case, ["measures"])
    return measure


def update_measure(
    *, actor: User, measure: PlanMeasure, status: str, note: str = ""
) -> PlanMeasure:
    case = measure.goal.plan.case
    _allowed(actor, case)
    _open(case)
    _editable(measure.goal.plan)
    if status not in MeasureStatus.values:
        raise InvalidInput(_("Choose a status."))
    with transaction.atomic():
        _editable(HelpPlan.objects.select_for_update().get(pk=measure.goal.plan_id))
        measure = PlanMeasure.objects.select_for_update().get(pk=measure.pk)
        changed = []
        if measure.status != status:
            measure.status = status
            measure.done_on = timezone.localdate() if status == MeasureStatus.DONE else None
            changed += ["status", "done_on"]
        if note.strip() and note.strip() != measure.note:
            measure.note = note.strip()
            changed.append("note")
        if not changed:
            raise InvalidInput(_("Change the status or write a note."))
        measure.save()
        _record(actor, PLAN_CHANGED, case, [f"measure.{name}" for name in changed])
    return measure


def agree_plan(*, actor: User, plan: HelpPlan, agreed_on: datetime.date | None = None) -> HelpPlan:
    """Record that the client agreed to the plan. Agreeing a plan that was
    agreed before freezes that version and continues with a copy of it, so
    that the earlier agreement stays readable."""
    case = plan.case
    _allowed(actor, case)
    _open(case)
    _editable(plan)
    agreed_on = agreed_on or timezone.localdate()
    if not plan.goals.exists():
        raise InvalidInput(_("A help plan needs at least one goal before it can be agreed."))
    with transaction.atomic():
        plan = HelpPlan.objects.select_for_update().get(pk=plan.pk)
        _editable(plan)
        if plan.agreed_on is None:
            plan.agreed_on = agreed_on
            plan.version += 1
            plan.save()
            _record(actor, PLAN_AGREED, case, ["agreed_on"])
            return plan
        plan.superseded_on = agreed_on
        plan.save()
        following = HelpPlan.objects.create(
            organisation_id=plan.organisation_id,
            case=case,
            number=plan.number + 1,
            agreed_on=agreed_on,
        )
        for goal in plan.goals.prefetch_related("measures"):
            measures = list(goal.measures.all())
            goal.pk = None
            goal.plan = following
            goal.save()
            for measure in measures:
                measure.pk = None
                measure.goal = goal
                measure.save()
        _record(actor, PLAN_AGREED, case, ["plans"])
    return following


def printed_plan(*, actor: User, plan: HelpPlan) -> None:
    actor_membership(actor, plan.organisation_id, VIEW_CASES, _("You may not read cases."))
    _record(actor, PLAN_PRINTED, plan.case)


# --- contacts and appointments ------------------------------------------------------------


def record_contact(
    *,
    actor: User,
    case: Case,
    kind: str,
    starts_at: datetime.datetime,
    duration_minutes: int = 60,
    place: str = "",
    participants: str = "",
    note: str = "",
    next_steps: str = "",
    staff: User | None = None,
) -> CaseContact:
    """A contact held, or one planned (an appointment, when it lies ahead)."""
    _allowed(actor, case)
    _open(case)
    staff = staff or actor
    _check_staff(case.organisation_id, staff)
    if not 5 <= duration_minutes <= 12 * 60:
        raise InvalidInput(_("A contact lasts between 5 minutes and 12 hours."))
    with transaction.atomic():
        contact = CaseContact.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            kind=kind,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place.strip(),
            participants=participants.strip(),
            note=note.strip(),
            next_steps=next_steps.strip(),
            staff=staff,
        )
        held_on = timezone.localdate(starts_at)
        if starts_at <= timezone.now():
            current = Case.objects.select_for_update().get(pk=case.pk)
            if current.last_contact_on is None or current.last_contact_on < held_on:
                current.last_contact_on = held_on
                current.save(update_fields=["last_contact_on"])
        _record(actor, CONTACT_RECORDED, case, ["contacts"])
    return contact


def calendar_feed(user: User, organisation_id: int) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(
        user=user, organisation_id=organisation_id, revoked_at__isnull=True
    ).first()


def renew_feed(*, actor: User) -> CalendarFeed:
    """A new secret address for the actor's appointments; the old one stops working."""
    membership = _membership(actor, actor.membership.organisation_id)
    with transaction.atomic():
        CalendarFeed.objects.filter(
            user=actor, organisation_id=membership.organisation_id, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        feed = CalendarFeed.objects.create(organisation_id=membership.organisation_id, user=actor)
        audit.record(
            actor=actor,
            organisation=Organisation(pk=membership.organisation_id),
            action=FEED_CHANGED,
            changed_fields=["token"],
        )
    return feed


def revoke_feed(*, actor: User) -> None:
    membership = _membership(actor, actor.membership.organisation_id)
    with transaction.atomic():
        revoked = CalendarFeed.objects.filter(
            user=actor, organisation_id=membership.organisation_id, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if revoked:
            audit.record(
                actor=actor,
                organisation=Organisation(pk=membership.organisation_id),
                action=FEED_CHANGED,
                changed_fields=["revoked_at"],
            )


# --- referrals ------------------------------------------------------------------------


def refer(
    *,
    actor: User,
    case: Case,
    reason: str,
    institution: Institution | None = None,
    offer: Offer | None = None,
    referred_on: datetime.date | None = None,
    shares_data: bool = False,
) -> Referral:
    """Refer the client to an institution or one of its offers. When the
    client's data go there too, the client's consent to share with that
    institution must be in force on the day (GDPR Art. 6(1)(a), § 67d SGB X)."""
    _allowed(actor, case)
    _open(case)
    if offer is not None:
        institution = offer.provider
    if institution is None:
        raise InvalidInput(_("Choose the institution or offer the client is referred to."))
    for obj in (institution, offer):
        if obj is not None and obj.organisation_id != case.organisation_id:
            raise NotPermitted(_("That record belongs to another organisation."))
    if not reason.strip():
        raise InvalidInput(_("Say why the client is referred."))
    referred_on = referred_on or timezone.localdate()
    if shares_data:
        require_consent(
            case.client, ConsentPurpose.SHARING, institution=institution, on=referred_on
        )
    with transaction.atomic():
        referral = Referral.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            institution=institution,
            offer=offer,
            reason=reason.strip(),
            referred_on=referred_on,
            shares_data=shares_data,
        )
        _record(actor, REFERRAL_SAVED, case, ["referrals"])
    return referral


def update_referral(
    *, actor: User, referral: Referral, status: str, feedback: str = ""
) -> Referral:
    case = referral.case
    _allowed(actor, case)
    if status not in ReferralStatus.values:
        raise InvalidInput(_("Choose a status."))
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        changed = []
        if referral.status != status:
            referral.status = status
            changed.append("status")
        if feedback.strip() and feedback.strip() != referral.feedback:
            referral.feedback = feedback.strip()
            changed.append("feedback")
        if not changed:
            raise InvalidInput(_("Change the status or write the feedback."))
        referral.version += 1
        referral.save()
        _record(actor, REFERRAL_SAVED, case, [f"referral.{name}" for name in changed])
    return referral


def referrals_per_partner(cases: models.QuerySet[Case]) -> list[dict[str, Any]]:
    """Referrals of `cases` (those a member may see) counted per institution
    and status: where the clients go."""
    rows = (
        Referral.objects.filter(case__in=cases.values("pk"))
        .values("institution_id", "institution__name", "status")
        .annotate(n=models.Count("pk"))
        .order_by("institution__name")
    )
    partners: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = partners.setdefault(
            row["institution_id"],
            {
                "institution": row["institution__name"],
                "total": 0,
                **dict.fromkeys(ReferralStatus.values, 0),
            },
        )
        entry[row["status"]] = row["n"]
        entry["total"] += row["n"]
    return sorted(partners.values(), key=lambda entry: (-entry["total"], entry["institution"]))


# --- documents ------------------------------------------------------------------------


def upload_document(*, actor: User, case: Case, title: str, upload: UploadedFile) -> CaseDocument:
    _allowed(actor, case)
    _open(case)
    content_type = check_office_or_scan(upload)
    with transaction.atomic():
        document = CaseDocument(
            organisation_id=case.organisation_id,
            case=case,
            title=title.strip() or _("Document"),
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=actor,
        )
        document.file.save(upload.name or "document", upload, save=False)
        document.save()
        _record(actor, DOCUMENT_UPLOADED, case, ["documents"])
    return document


def open_document(*, actor: User, document: CaseDocument):
    """The stored file, for a member who may read the case; every download
    is in the audit log."""
    membership = actor_membership(
        actor, document.organisation_id, VIEW_CASES, _("You may not read cases.")
    )
    check_sites(membership, [document.case.site_id], _("You may not read cases of this site."))
    _record(actor, DOCUMENT_READ, document.case, [f"document.{document.pk}"])
    return document.file.open("rb")


# --- demand for the network's gap report ---------------------------------------------------


def _count_plan_goals(organisation_id: int) -> Counter:
    """Clients of open cases per life area of the goals in their current help plan."""
    rows = (
        PlanGoal.objects.filter(
            organisation_id=organisation_id,
            plan__superseded_on__isnull=True,
            plan__case__status__in=OPEN,
        )
        .values("area")
        .annotate(people=models.Count("plan__case__client", distinct=True))
    )
    return Counter({row["area"]: row["people"] for row in rows})


open_case_goals = demand.Source(
    gettext_lazy("goals in the help plans of open cases"), _count_plan_goals
)
