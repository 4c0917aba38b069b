"""Use cases of tandems: forming one from an accepted pair, the agreement,
meetings, support hours, check-ins and evaluation, pausing, the end with its
outcome, and the follow-ups after it."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import EDIT_TANDEMS, MANAGE_PROGRAMMES, PERMISSIONS, VIEW_TANDEMS
from lotse.core import audit
from lotse.core.dates import add_months
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import Site
from lotse.core.permissions import actor_membership, check_sites
from lotse.core.storage import check_document
from lotse.people.models import VolunteerProfile
from lotse.programmes import services as programmes
from lotse.programmes.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Programme,
    StepKind,
)

from . import agreement
from .models import (
    COMPLETING_REASONS,
    FOLLOWED_UP,
    AgreementTemplate,
    EndReason,
    Evaluation,
    EvaluationKind,
    FollowUp,
    FollowUpResult,
    Meeting,
    MeetingMode,
    MeetingTopic,
    Outcome,
    OutcomeKind,
    RecordedVia,
    Respondent,
    SupportActivity,
    SupportTime,
    Tandem,
    TandemStatus,
    TandemStatusChange,
)

TANDEM_CREATED = audit.register_action("lotse.tandem.created", gettext_lazy("Tandem formed"))
TANDEM_CHANGED = audit.register_action("lotse.tandem.changed", gettext_lazy("Tandem changed"))
AGREEMENT_SIGNED = audit.register_action(
    "lotse.tandem.agreement_signed", gettext_lazy("Tandem agreement signed")
)
AGREEMENT_PRINTED = audit.register_action(
    "lotse.tandem.agreement_printed", gettext_lazy("Tandem agreement printed")
)
AGREEMENT_SCAN_READ = audit.register_action(
    "lotse.tandem.agreement_scan_read", gettext_lazy("Signed tandem agreement opened")
)
TANDEM_PAUSED = audit.register_action("lotse.tandem.paused", gettext_lazy("Tandem paused"))
TANDEM_RESUMED = audit.register_action("lotse.tandem.resumed", gettext_lazy("Tandem resumed"))
TANDEM_ENDED = audit.register_action("lotse.tandem.ended", gettext_lazy("Tandem ended"))
MEETING_LOGGED = audit.register_action(
    "lotse.tandem.meeting_logged", gettext_lazy("Tandem meeting logged")
)
MEETING_DELETED = audit.register_action(
    "lotse.tandem.meeting_deleted", gettext_lazy("Tandem meeting deleted")
)
SUPPORT_LOGGED = audit.register_action(
    "lotse.tandem.support_logged", gettext_lazy("Support time for a tandem logged")
)
EVALUATION_RECORDED = audit.register_action(
    "lotse.tandem.evaluation_recorded", gettext_lazy("Tandem evaluation recorded")
)
FOLLOW_UP_RECORDED = audit.register_action(
    "lotse.tandem.follow_up_recorded", gettext_lazy("Follow-up after a tandem recorded")
)
TEMPLATE_CHANGED = audit.register_action(
    "lotse.agreement_template.changed", gettext_lazy("Agreement template changed")
)

_STALE = gettext_lazy(
    "Someone else changed this tandem while you were looking at it. Nothing was saved; "
    "the page shows its current state."
)
FOLLOW_UP_MONTHS = (3, 6)
# A meeting may be logged for up to a year back; typing mistakes beyond are caught.
OLDEST_MEETING_DAYS = 366


def _membership(actor: User, organisation_id: int) -> Membership:
    return actor_membership(
        actor, organisation_id, EDIT_TANDEMS, _("You may not work with tandems here.")
    )


def _check_sites(membership: Membership, *site_ids: int) -> None:
    check_sites(membership, site_ids, _("You may not work with tandems of this site."))


def _allowed(actor: User, tandem: Tandem) -> Membership:
    membership = _membership(actor, tandem.organisation_id)
    _check_sites(membership, tandem.site_id)
    return membership


def _locked(tandem: Tandem, version: int | None) -> Tandem:
    current = (
        Tandem.objects.select_for_update()
        .select_related("programme", "mentee__person", "mentor__person")
        .get(pk=tandem.pk)
    )
    if version is not None and current.version != version:
        raise Conflict(str(_STALE))
    return current


def _record(actor: User | None, tandem: Tandem, action: str, fields: Iterable[str]) -> None:
    audit.record(
        actor=actor,
        organisation=tandem.organisation,
        action=action,
        target=tandem,
        site=tandem.site,
        changed_fields=list(fields),
    )


def _change_status(actor: User | None, tandem: Tandem, to: str, reason: str = "") -> None:
    TandemStatusChange.objects.create(
        organisation_id=tandem.organisation_id,
        tandem=tandem,
        from_status=tandem.status,
        to_status=to,
        reason=reason.strip()[:300],
        changed_by=actor,
    )
    tandem.status = to


def _save(tandem: Tandem, *fields: str) -> None:
    tandem.version += 1
    tandem.save(update_fields=[*fields, "version", "updated_at"])


def _require_running(tandem: Tandem) -> None:
    if not tandem.is_running:
        raise ServiceError(_("The tandem has ended; it can no longer be changed."))


def _move_past(actor: User, enrolment: Enrolment, kinds: Iterable[str], reason: str) -> None:
    """Move an enrolment on while it waits at a step of one of `kinds`
    (e.g. the first meeting, then the agreement): what the tandem has done
    completes those steps of its programme's life cycle."""
    kinds = set(kinds)
    for _step in range(len(kinds)):
        current = Enrolment.objects.select_related("step", "programme", "person").get(
            pk=enrolment.pk
        )
        if current.status != EnrolmentStatus.ACTIVE or current.step.kind not in kinds:
            return
        programmes.advance(actor=actor, enrolment=current, reason=reason)


# --- forming a tandem ------------------------------------------------------------


def staff_for_tandems(organisation_id: int) -> list[User]:
    """Who can be responsible for a tandem: active members whose role works with tandems."""
    roles = [role for role, codes in PERMISSIONS.items() if EDIT_TANDEMS in codes]
    memberships = (
        Membership.objects.active()
        .filter(organisation_id=organisation_id, role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    return [membership.user for membership in memberships]


def running_tandems(mentor_person_ids: Iterable[int]) -> Counter[int]:
    """Per mentor (person), how many tandems run with them."""
    rows = Tandem.objects.running().filter(mentor__person_id__in=list(mentor_person_ids))
    return Counter(rows.values_list("mentor__person_id", flat=True))


def ready_mentor(mentor: Enrolment, today: datetime.date) -> VolunteerProfile:
    """The mentor's volunteer profile if they may take a mentee: basic
    training completed and a valid police clearance; ServiceError otherwise."""
    profile = VolunteerProfile.objects.filter(person_id=mentor.person_id).first()
    if (
        profile is None
        or profile.training_completed_on is None
        or not profile.clearance_valid_on(today)
    ):
        raise ServiceError(
            _(
                "%(mentor)s has no valid police clearance certificate or has not completed "
                "the basic training."
            )
            % {"mentor": mentor.person.full_name}
        )
    return profile


def check_pair(mentee: Enrolment, mentor: Enrolment, *, today: datetime.date) -> None:
    """ServiceError unless the two can form a tandem: one programme, a mentee
    and a mentor still in it, the mentee without another tandem, the mentor
    trained, cleared and with a free place."""
    if mentee.programme_id != mentor.programme_id:
        raise ServiceError(_("Mentee and mentor must take part in the same programme."))
    if mentee.role != EnrolmentRole.MENTEE or mentor.role != EnrolmentRole.MENTOR:
        raise ServiceError(_("A tandem is formed by a mentee and a mentor."))
    if mentee.status != EnrolmentStatus.ACTIVE or mentor.status != EnrolmentStatus.ACTIVE:
        raise ServiceError(_("Both must still take part in the programme."))
    if Tandem.objects.running().filter(mentee=mentee).exists():
        raise ServiceError(
            _("%(name)s is in a tandem already.") % {"name": mentee.person.full_name}
        )
    profile = ready_mentor(mentor, today)
    if running_tandems([mentor.person_id])[mentor.person_id] >= profile.capacity:
        raise ServiceError(
            _("%(mentor)s has no free place for another mentee.")
            % {"mentor": mentor.person.full_name}
        )


def create_tandem(
    *,
    actor: User,
    mentee: Enrolment,
    mentor: Enrolment,
    site: Site | None = None,
    coordinator: User | None = None,
    goals: str = "",
) -> Tandem:
    """A tandem of an accepted pair, forming until the agreement is signed.
    It belongs to the mentee's site unless another is chosen."""
    membership = _membership(actor, mentee.organisation_id)
    site = site or mentee.person.site
    if site.organisation_id != mentee.organisation_id:
        raise NotPermitted(_("The chosen site belongs to another organisation."))
    _check_sites(membership, site.pk, mentee.person.site_id, mentor.person.site_id)
    _check_coordinator(coordinator, mentee.organisation_id)
    try:
        with transaction.atomic():
            locked = Enrolment.objects.select_for_update().select_related("person")
            mentee = locked.get(pk=mentee.pk)
            mentor = locked.get(pk=mentor.pk)
            check_pair(mentee, mentor, today=timezone.localdate())
            tandem = Tandem.objects.create(
                organisation_id=mentee.organisation_id,
                programme_id=mentee.programme_id,
                mentee=mentee,
                mentor=mentor,
                site=site,
                coordinator=coordinator or actor,
                goals=goals.strip() or _mentee_wishes(mentee),
            )
            TandemStatusChange.objects.create(
                organisation_id=tandem.organisation_id,
                tandem=tandem,
                from_status="",
                to_status=TandemStatus.FORMING,
                changed_by=actor,
            )
            _record(actor, tandem, TANDEM_CREATED, ["mentee", "mentor", "site", "coordinator"])
    except IntegrityError as error:
        raise ServiceError(
            _("%(name)s is in a tandem already.") % {"name": mentee.person.full_name}
        ) from error
    return tandem


def _mentee_wishes(mentee: Enrolment) -> str:
    profile = getattr(mentee.person, "participant", None)
    return (getattr(profile, "wishes", "") or "").strip()


TANDEM_FIELDS = ("goals", "coordinator", "site", "started_on", "planned_end_on")


def _check_coordinator(coordinator: User | None, organisation_id: int) -> None:
    if (
        coordinator is not None
        and not coordinator.memberships.filter(
            organisation_id=organisation_id, is_active=True
        ).exists()
    ):
        raise ServiceError(_("The coordinator must be a member of the organisation."))


def update_tandem(*, actor: User, tandem: Tandem, version: int, **values: Any) -> Tandem:
    membership = _allowed(actor, tandem)
    _check_coordinator(values.get("coordinator"), tandem.organisation_id)
    site = values.get("site")
    if site is not None:
        if site.organisation_id != tandem.organisation_id:
            raise NotPermitted(_("The chosen site belongs to another organisation."))
        _check_sites(membership, site.pk)
    with transaction.atomic():
        current = _locked(tandem, version)
        _require_running(current)
        start = values.get("started_on", current.started_on)
        end = values.get("planned_end_on", current.planned_end_on)
        if start and end and end < start:
            raise ServiceError(_("The planned end lies before the start."))
        if start and not end:
            values["planned_end_on"] = add_months(start, current.programme.max_duration_months)
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, values[name])
        _save(current, *changed)
        if "site" in changed:
            # The meetings count for the site the tandem belongs to now.
            current.meetings.update(site=current.site)
        _record(actor, current, TANDEM_CHANGED, changed)
    return current


# --- the agreement ----------------------------------------------------------------


def save_agreement_template(
    *, actor: User, programme: Programme, version: int | None, **texts: str
) -> AgreementTemplate:
    """Administrators word a programme's agreement; unknown placeholders are
    refused, so that a typo does not end up on paper as {mentr}."""
    actor_membership(
        actor,
        programme.organisation_id,
        MANAGE_PROGRAMMES,
        _("Only administrators may change the agreement."),
    )
    for name, text in texts.items():
        unknown = agreement.unknown_placeholders(text)
        if unknown:
            raise ServiceError(
                _("Unknown placeholder %(names)s. Use only the placeholders listed.")
                % {"names": ", ".join("{" + name + "}" for name in unknown)}
            )
        if not text.strip():
            raise ServiceError(_("Every text of the agreement needs some wording."))
    with transaction.atomic():
        current = AgreementTemplate.objects.select_for_update().filter(programme=programme).first()
        if current is None:
            current = AgreementTemplate(
                organisation_id=programme.organisation_id,
                programme=programme,
                **agreement.DEFAULT,
                version=0,
            )
        if version is not None and current.version != version:
            raise Conflict(
                str(
                    _(
                        "Someone else changed the agreement while you were editing it. Your "
                        "wording was not saved; the form shows the current one."
                    )
                )
            )
        changed = [name for name, text in texts.items() if getattr(current, name) != text]
        if not changed and current.pk:
            return current
        for name in changed:
            setattr(current, name, texts[name])
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            organisation=programme.organisation,
            action=TEMPLATE_CHANGED,
            target=programme,
            changed_fields=changed or ["agreement"],
        )
    return current


def agreement_pdf(*, actor: User, tandem: Tandem, language: str) -> bytes:
    """The filled agreement to print and sign. Printing names is reading
    personal data, so it is written to the audit log."""
    _allowed(actor, tandem)
    pdf = agreement.render_pdf(agreement.fill(tandem, language))
    _record(actor, tandem, AGREEMENT_PRINTED, [])
    return pdf


def record_signature(
    *,
    actor: User,
    tandem: Tandem,
    version: int,
    signed_on: datetime.date,
    scan: UploadedFile | None = None,
) -> Tandem:
    """The agreement is signed: the tandem becomes active, starting on the day
    of signing unless its start was set already, and both enrolments move on
    past their first meeting and agreement steps."""
    _allowed(actor, tandem)
    today = timezone.localdate()
    if signed_on > today:
        raise ServiceError(_("The signature date cannot lie in the future."))
    if scan is not None:
        check_document(scan)
    with transaction.atomic():
        current = _locked(tandem, version)
        _require_running(current)
        if signed_on < timezone.localdate(current.created_at) - datetime.timedelta(
            days=OLDEST_MEETING_DAYS
        ):
            raise ServiceError(_("The signature date lies too far back."))
        fields = ["agreement_signed_on"]
        current.agreement_signed_on = signed_on
        if scan is not None:
            if current.agreement_scan:
                current.agreement_scan.delete(save=False)
            current.agreement_scan.save(scan.name, scan, save=False)
            fields.append("agreement_scan")
        if current.started_on is None:
            current.started_on = signed_on
            current.planned_end_on = add_months(signed_on, current.programme.max_duration_months)
            fields += ["started_on", "planned_end_on"]
        if current.status == TandemStatus.FORMING:
            _change_status(actor, current, TandemStatus.ACTIVE, _("Agreement signed"))
            fields.append("status")
        _save(current, *fields)
        reason = _("Agreement signed")
        for enrolment in (current.mentee, current.mentor):
            _move_past(actor, enrolment, (StepKind.FIRST_MEETING, StepKind.AGREEMENT), reason)
        _record(actor, current, AGREEMENT_SIGNED, fields)
    return current


def open_agreement_scan(*, actor: User, tandem: Tandem):
    """The signed scan as an open file, for a view to stream; audited."""
    refusal = _("You may not see this document.")
    membership = actor_membership(actor, tandem.organisation_id, VIEW_TANDEMS, refusal)
    check_sites(membership, [tandem.site_id], refusal)
    if not tandem.agreement_scan:
        raise ServiceError(_("No signed agreement has been uploaded."))
    _record(actor, tandem, AGREEMENT_SCAN_READ, [])
    return tandem.agreement_scan.open("rb")


# --- meetings and support time ----------------------------------------------------


def recorded_via(actor: User, tandem: Tandem) -> str:
    """Who may log a tandem's meetings: staff who work with tandems at its
    site now; the tandem's own mentor through the portal once that exists
    (the portal's check goes here, the rest of log_meeting stays as it is)."""
    _allowed(actor, tandem)
    return RecordedVia.STAFF


def _check_day(day: datetime.date, tandem: Tandem, what: str) -> None:
    today = timezone.localdate()
    if day > today:
        raise ServiceError(_("The date of the %(what)s cannot lie in the future.") % {"what": what})
    if day < timezone.localdate(tandem.created_at) - datetime.timedelta(days=OLDEST_MEETING_DAYS):
        raise ServiceError(
            _("The date of the %(what)s lies before the tandem was formed.") % {"what": what}
        )


def log_meeting(
    *,
    actor: User,
    tandem: Tandem,
    held_on: datetime.date,
    duration_minutes: int,
    mode: str,
    topics: Iterable[str] = (),
    note: str = "",
) -> Meeting:
    """A meeting of mentor and mentee. The first one completes both
    enrolments' first-meeting step; every one resets the overdue clock."""
    via = recorded_via(actor, tandem)
    topics = list(dict.fromkeys(topics))
    if mode not in MeetingMode.values:
        raise ServiceError(_("Choose how the tandem met."))
    if any(topic not in MeetingTopic.values for topic in topics):
        raise ServiceError(_("Choose topics from the list."))
    if not 5 <= duration_minutes <= 600:
        raise ServiceError(_("Give a duration between 5 and 600 minutes."))
    if len(note) > 500:
        raise ServiceError(_("Keep the note to 500 characters."))
    with transaction.atomic():
        current = _locked(tandem, None)
        _require_running(current)
        _check_day(held_on, current, _("meeting"))
        meeting = Meeting.objects.create(
            organisation_id=current.organisation_id,
            tandem=current,
            site_id=current.site_id,
            programme_id=current.programme_id,
            held_on=held_on,
            duration_minutes=duration_minutes,
            mode=mode,
            topics=topics,
            note=note.strip(),
            recorded_via=via,
            recorded_by=actor,
        )
        fields = _refresh_meeting_dates(current)
        if fields:
            _save(current, *fields)
        for enrolment in (current.mentee, current.mentor):
            _move_past(actor, enrolment, (StepKind.FIRST_MEETING,), _("First meeting held"))
        _record(actor, current, MEETING_LOGGED, ["meetings"])
    return meeting


def _refresh_meeting_dates(tandem: Tandem) -> list[str]:
    """First and last meeting as the logged meetings say (after a deletion too)."""
    dates = tandem.meetings.aggregate(first=Min("held_on"), last=Max("held_on"))
    changed = []
    for field, value in (("first_meeting_on", dates["first"]), ("last_meeting_on", dates["last"])):
        if getattr(tandem, field) != value:
            setattr(tandem, field, value)
            changed.append(field)
    return changed


def delete_meeting(*, actor: User, meeting: Meeting) -> None:
    """Take back a meeting logged by mistake."""
    tandem = meeting.tandem
    _allowed(actor, tandem)
    with transaction.atomic():
        current = _locked(tandem, None)
        _require_running(current)
        meeting.delete()
        fields = _refresh_meeting_dates(current)
        if fields:
            _save(current, *fields)
        _record(actor, current, MEETING_DELETED, ["meetings"])


def log_support_time(
    *,
    actor: User,
    tandem: Tandem,
    spent_on: datetime.date,
    minutes: int,
    activity: str,
    note: str = "",
) -> SupportTime:
    """Staff time spent on a tandem, also after it ended (a closing call)."""
    _allowed(actor, tandem)
    if activity not in SupportActivity.values:
        raise ServiceError(_("Choose an activity from the list."))
    if not 1 <= minutes <= 720:
        raise ServiceError(_("Give between 1 and 720 minutes."))
    _check_day(spent_on, tandem, _("support time"))
    with transaction.atomic():
        entry = SupportTime.objects.create(
            organisation_id=tandem.organisation_id,
            tandem=tandem,
            spent_on=spent_on,
            minutes=minutes,
            activity=activity,
            note=note.strip()[:300],
            staff=actor,
        )
        _record(actor, tandem, SUPPORT_LOGGED, ["support_times"])
    return entry


# --- pausing, check-ins, the end ---------------------------------------------------


def pause(*, actor: User, tandem: Tandem, version: int, reason: str) -> Tandem:
    """A break (illness, holidays, a course): no overdue flag while paused."""
    _allowed(actor, tandem)
    if not reason.strip():
        raise ServiceError(_("Give a reason for the break."))
    with transaction.atomic():
        current = _locked(tandem, version)
        if current.status != TandemStatus.ACTIVE:
            raise ServiceError(_("Only an active tandem can pause."))
        _change_status(actor, current, TandemStatus.PAUSED, reason)
        _save(current, "status")
        _record(actor, current, TANDEM_PAUSED, ["status"])
    return current


def resume(*, actor: User, tandem: Tandem, version: int) -> Tandem:
    """Back from the break; the overdue clock starts again today."""
    _allowed(actor, tandem)
    with transaction.atomic():
        current = _locked(tandem, version)
        if current.status != TandemStatus.PAUSED:
            raise ServiceError(_("The tandem is not paused."))
        _change_status(actor, current, TandemStatus.ACTIVE)
        # The break does not count as a missed meeting: the clock restarts today.
        current.resumed_on = timezone.localdate()
        _save(current, "status", "resumed_on")
        _record(actor, current, TANDEM_RESUMED, ["status"])
    return current


def record_evaluation(
    *,
    actor: User,
    tandem: Tandem,
    kind: str,
    respondent: str,
    answered_on: datetime.date | None = None,
) -> Evaluation:
    """That one of the two answered the mid-term check or the final
    evaluation (the surveys app keeps the answers and calls this in its
    transaction); answering again replaces the day. A final evaluation of an
    ended tandem moves the respondent's enrolment past the evaluation step."""
    _allowed(actor, tandem)
    if kind not in EvaluationKind.values or respondent not in Respondent.values:
        raise ServiceError(_("Choose the evaluation and who answered."))
    if tandem.status == TandemStatus.FORMING:
        raise ServiceError(_("The tandem has not started yet."))
    answered_on = answered_on or timezone.localdate()
    _check_day(answered_on, tandem, _("evaluation"))
    with transaction.atomic():
        evaluation, _created = Evaluation.objects.update_or_create(
            tandem=tandem,
            kind=kind,
            respondent=respondent,
            defaults={
                "organisation_id": tandem.organisation_id,
                "answered_on": answered_on,
                "recorded_by": actor,
            },
        )
        if kind == EvaluationKind.FINAL and tandem.is_ended:
            enrolment = tandem.mentee if respondent == Respondent.MENTEE else tandem.mentor
            _move_past(actor, enrolment, (StepKind.EVALUATION,), _("Final evaluation answered"))
        _record(actor, tandem, EVALUATION_RECORDED, ["evaluations"])
    return evaluation


def end_tandem(
    *,
    actor: User,
    tandem: Tandem,
    version: int,
    ended_on: datetime.date,
    reason: str,
    outcome: str,
    note: str = "",
    achieved_on: datetime.date | None = None,
    contract_start: datetime.date | None = None,
    permanent: bool | None = None,
    three_months_or_more: bool | None = None,
    social_insurance: bool | None = None,
) -> Tandem:
    """End the tandem with a reason and the mentee's outcome. The planned end
    or a goal reached completes it; any other reason ends it early. After an
    employment contract, apprenticeship or entry qualification, follow-ups
    3 and 6 months on ask whether the mentee is still there."""
    _allowed(actor, tandem)
    if reason not in EndReason.values:
        raise ServiceError(_("Choose why the tandem ends."))
    if outcome not in OutcomeKind.values:
        raise ServiceError(_("Choose what the mentee achieved."))
    if reason == EndReason.OTHER and not note.strip():
        raise ServiceError(_("Describe the other reason in the note."))
    if ended_on > timezone.localdate():
        raise ServiceError(_("The end cannot lie in the future."))
    if outcome != OutcomeKind.EMPLOYMENT:
        contract_start = permanent = three_months_or_more = social_insurance = None
    elif contract_start is None:
        raise ServiceError(_("Give the start of the employment contract."))
    with transaction.atomic():
        current = _locked(tandem, version)
        _require_running(current)
        if current.started_on and ended_on < current.started_on:
            raise ServiceError(_("The end lies before the start of the tandem."))
        status = (
            TandemStatus.COMPLETED if reason in COMPLETING_REASONS else TandemStatus.ENDED_EARLY
        )
        _change_status(actor, current, status, note or str(EndReason(reason).label))
        current.ended_on = ended_on
        current.end_reason = reason
        current.end_note = note.strip()[:300]
        _save(current, "status", "ended_on", "end_reason", "end_note")
        Outcome.objects.update_or_create(
            tandem=current,
            defaults={
                "organisation_id": current.organisation_id,
                "kind": outcome,
                "achieved_on": achieved_on or contract_start,
                "contract_start": contract_start,
                "permanent": permanent,
                "three_months_or_more": three_months_or_more,
                "social_insurance": social_insurance,
                "recorded_by": actor,
            },
        )
        if outcome in FOLLOWED_UP:
            FollowUp.objects.bulk_create(
                FollowUp(
                    organisation_id=current.organisation_id,
                    tandem=current,
                    months=months,
                    due_on=add_months(ended_on, months),
                )
                for months in FOLLOW_UP_MONTHS
            )
        mentor_busy = (
            Tandem.objects.running().filter(mentor=current.mentor).exclude(pk=current.pk).exists()
        )
        for enrolment in (current.mentee, current.mentor):
            if enrolment == current.mentor and mentor_busy:
                continue  # still mentoring someone else
            _move_past(actor, enrolment, (StepKind.TANDEM,), _("Tandem ended"))
        _record(actor, current, TANDEM_ENDED, ["status", "ended_on", "end_reason", "outcome"])
    return current


def record_follow_up(*, actor: User, follow_up: FollowUp, result: str, note: str = "") -> FollowUp:
    _allowed(actor, follow_up.tandem)
    if result not in FollowUpResult.values:
        raise ServiceError(_("Choose what the follow-up found."))
    with transaction.atomic():
        current = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        current.result = result
        current.note = note.strip()[:300]
        current.recorded_on = timezone.localdate()
        current.recorded_by = actor
        current.save(update_fields=["result", "note", "recorded_on", "recorded_by"])
        _record(actor, follow_up.tandem, FOLLOW_UP_RECORDED, ["follow_ups"])
    return current
