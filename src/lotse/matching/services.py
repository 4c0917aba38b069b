"""Use cases of matching sessions: open one for a programme, adjust who takes
part, weigh the criteria, run the engine, decide on pairs, run again around
the decisions, and record the accepted pairs (their enrolments move on)."""

from __future__ import annotations

import datetime
import logging
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import close_old_connections, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from lotse.accounts.models import Membership, User
from lotse.accounts.roles import RUN_MATCHING
from lotse.core import audit
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.permissions import actor_membership, check_sites
from lotse.people.models import PersonRole, PoolRole, Status
from lotse.programmes import services as programmes
from lotse.programmes.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Programme,
    StepKind,
)
from lotse.tandems import services as tandems
from lotse.tandems.models import ENDED as TANDEM_ENDED
from lotse.tandems.models import Tandem

from . import criteria, engine
from .models import (
    Decision,
    DecisionKind,
    MatchingRun,
    MatchingSession,
    Participant,
    Proposal,
    SessionStatus,
)

logger = logging.getLogger(__name__)

SESSION_OPENED = audit.register_action(
    "lotse.matching.opened", gettext_lazy("Matching session opened")
)
PARTICIPANTS_CHANGED = audit.register_action(
    "lotse.matching.participants_changed",
    gettext_lazy("Participants of a matching session changed"),
)
WEIGHTS_CHANGED = audit.register_action(
    "lotse.matching.weights_changed", gettext_lazy("Weights of a matching session changed")
)
RUN_CALCULATED = audit.register_action("lotse.matching.run", gettext_lazy("Matching calculated"))
PAIR_DECIDED = audit.register_action(
    "lotse.matching.decided", gettext_lazy("Decision on a proposed pair")
)
DECISION_REVOKED = audit.register_action(
    "lotse.matching.decision_revoked", gettext_lazy("Decision on a pair revoked")
)
SESSION_CLOSED = audit.register_action(
    "lotse.matching.closed", gettext_lazy("Matching session closed")
)
TANDEM_FORMED = audit.register_action(
    "lotse.matching.tandem_formed", gettext_lazy("Tandem formed from an accepted pair")
)

# Above this many mentee × mentor pairs a run goes to a background thread and
# the page shows its progress; below it, the answer comes with the response.
RUN_IN_BACKGROUND_ABOVE = 250_000
ALTERNATIVES = 5
MAX_WEIGHT = 10.0

_FAILED = gettext_lazy("The calculation failed. Please try again or ask for support.")
_STALE = gettext_lazy(
    "Someone else changed this matching session while you were looking at it. "
    "Nothing was changed; the page shows the current state."
)


def _membership(actor: User, organisation_id: int) -> Membership:
    refusal = _("You may not run matching sessions in this organisation.")
    return actor_membership(actor, organisation_id, RUN_MATCHING, refusal)


def _check_sites(membership: Membership, *site_ids: int) -> None:
    check_sites(membership, site_ids, _("You may not work with people of this site."))


def _locked_session(session: MatchingSession, version: int | None = None) -> MatchingSession:
    current = MatchingSession.objects.select_for_update().get(pk=session.pk)
    if version is not None and current.version != version:
        raise Conflict(str(_STALE))
    return current


def _require_open(session: MatchingSession) -> None:
    if session.is_running:
        raise ServiceError(_("The matching is being calculated; please wait until it is done."))
    if session.status == SessionStatus.CLOSED:
        raise ServiceError(_("The matching session is closed."))


def _touch(session: MatchingSession, *fields: str) -> None:
    session.version += 1
    session.save(update_fields=[*fields, "version"])


def _record(actor: User | None, session: MatchingSession, action: str, target=None, **kw) -> None:
    audit.record(
        actor=actor,
        organisation=session.organisation,
        action=action,
        target=target if target is not None else session,
        **kw,
    )


# --- who takes part ------------------------------------------------------------


def waiting_mentees(programme: Programme):
    """Mentees at the programme's pairing step."""
    return Enrolment.objects.filter(programme=programme, role=EnrolmentRole.MENTEE).at_kind(
        StepKind.PAIRING
    )


def accepted_load(mentor_person_ids: Iterable[int], *, exclude_session: int | None = None):
    """Per mentor (person), the mentees they are taken for: running tandems,
    and accepted pairs whose tandem is not formed yet (the mentee still in
    the programme)."""
    mentor_person_ids = list(mentor_person_ids)
    accepted = Decision.objects.current().filter(
        kind=DecisionKind.ACCEPT,
        tandem__isnull=True,
        mentor__person_id__in=mentor_person_ids,
        mentee__status=EnrolmentStatus.ACTIVE,
    )
    if exclude_session is not None:
        accepted = accepted.exclude(session_id=exclude_session)
    load = Counter(accepted.values_list("mentor__person_id", flat=True))
    load.update(tandems.running_tandems(mentor_person_ids))
    return load


def available_mentors(programme: Programme, *, today: datetime.date) -> list[Enrolment]:
    """Mentor enrolments whose person is an active volunteer, trained, cleared
    and with a free place."""
    enrolments = list(
        Enrolment.objects.filter(programme=programme, role=EnrolmentRole.MENTOR)
        .active()
        .filter(
            person__in=PersonRole.objects.filter(
                role=PoolRole.VOLUNTEER, status=Status.ACTIVE
            ).values("person"),
            person__volunteer__training_completed_on__isnull=False,
            person__volunteer__police_clearance_on__isnull=False,
        )
        .select_related("person__volunteer")
    )
    load = accepted_load(e.person_id for e in enrolments)
    return [
        e
        for e in enrolments
        if e.person.volunteer.clearance_valid_on(today)
        and e.person.volunteer.capacity > load[e.person_id]
    ]


def open_session(*, actor: User, programme: Programme) -> MatchingSession:
    """A new session with the waiting mentees and the available mentors the
    actor may see. The weights are those of the programme's last session."""
    membership = _membership(actor, programme.organisation_id)
    if not programme.is_active:
        raise ServiceError(_("The programme %(name)s is closed.") % {"name": programme.name})
    if EnrolmentRole.MENTOR not in programme.roles():
        raise ServiceError(_("Only mentoring programmes pair mentees with mentors."))
    previous = programme.matching_sessions.order_by("-opened_at", "-pk").first()
    weights = dict(previous.weights) if previous else dict(criteria.DEFAULT_WEIGHTS)
    distance = previous.max_distance_km if previous else criteria.DEFAULT_MAX_DISTANCE_KM
    visible = Enrolment.objects.visible_to(actor).values("pk")
    with transaction.atomic():
        session = MatchingSession.objects.create(
            organisation_id=programme.organisation_id,
            programme=programme,
            opened_by=actor,
            weights=weights,
            max_distance_km=distance,
        )
        mentees = list(waiting_mentees(programme).filter(pk__in=visible))
        mentors = [
            e
            for e in available_mentors(programme, today=timezone.localdate())
            if membership.all_sites or e.person.site_id in membership.site_ids
        ]
        _add(actor, session, [*mentees, *mentors])
        _record(
            actor,
            session,
            SESSION_OPENED,
            changed_fields=["programme", "participants", "weights", "max_distance_km"],
        )
    return session


def _add(actor: User, session: MatchingSession, enrolments: Iterable[Enrolment]) -> int:
    present = set(session.participants.values_list("enrolment_id", flat=True))
    rows = [
        Participant(
            organisation_id=session.organisation_id,
            session=session,
            enrolment=enrolment,
            role=enrolment.role,
            added_by=actor,
        )
        for enrolment in {e.pk: e for e in enrolments}.values()
        if enrolment.pk not in present
    ]
    Participant.objects.bulk_create(rows)
    return len(rows)


def add_participants(
    *, actor: User, session: MatchingSession, enrolments: Iterable[Enrolment]
) -> int:
    """Add enrolments of the session's programme (mentees or mentors); returns
    how many were new."""
    membership = _membership(actor, session.organisation_id)
    enrolments = list(enrolments)
    for enrolment in enrolments:
        if enrolment.programme_id != session.programme_id:
            raise ServiceError(_("Only people enrolled in this programme can take part."))
        if enrolment.role not in (EnrolmentRole.MENTEE, EnrolmentRole.MENTOR):
            raise ServiceError(_("Only mentees and mentors take part in matching."))
        if enrolment.status != EnrolmentStatus.ACTIVE:
            raise ServiceError(
                _("%(name)s has left the programme.") % {"name": enrolment.person.full_name}
            )
        _check_sites(membership, enrolment.person.site_id)
    with transaction.atomic():
        current = _locked_session(session)
        _require_open(current)
        added = _add(actor, current, enrolments)
        if added:
            _touch(current)
            _record(actor, current, PARTICIPANTS_CHANGED, changed_fields=["participants"])
    return added


def remove_participants(
    *, actor: User, session: MatchingSession, enrolments: Iterable[Enrolment]
) -> int:
    """Take enrolments out of the session; their decisions stay in its history."""
    _membership(actor, session.organisation_id)
    ids = [e.pk for e in enrolments]
    with transaction.atomic():
        current = _locked_session(session)
        _require_open(current)
        removed, _detail = current.participants.filter(enrolment_id__in=ids).delete()
        if removed:
            _touch(current)
            _record(actor, current, PARTICIPANTS_CHANGED, changed_fields=["participants"])
    return removed


def narrow_participants(*, actor: User, session: MatchingSession, role: str, people) -> int:
    """Keep only the mentees (or mentors) who are among `people`, e.g. the pool
    as its filters narrow it (people.selection.filtered_pool)."""
    _membership(actor, session.organisation_id)
    if role not in (EnrolmentRole.MENTEE, EnrolmentRole.MENTOR):
        raise ServiceError(_("Only mentees and mentors take part in matching."))
    leaving = session.participants.filter(role=role).exclude(
        enrolment__person__in=people.values("pk")
    )
    return remove_participants(
        actor=actor,
        session=session,
        enrolments=[p.enrolment for p in leaving.select_related("enrolment")],
    )


def change_weights(
    *,
    actor: User,
    session: MatchingSession,
    weights: dict[str, float],
    max_distance_km: int,
    version: int,
) -> MatchingSession:
    _membership(actor, session.organisation_id)
    unknown = set(weights) - set(criteria.CODES)
    if unknown:
        raise ServiceError(_("Unknown criterion: %(code)s") % {"code": ", ".join(sorted(unknown))})
    values = {code: float(weights.get(code, 0.0)) for code in criteria.CODES}
    if any(not 0 <= value <= MAX_WEIGHT for value in values.values()):
        raise ServiceError(_("Each weight must be between 0 and 10."))
    if not any(values.values()):
        raise ServiceError(_("At least one criterion needs a weight above 0."))
    if not 1 <= max_distance_km <= 1000:
        raise ServiceError(_("Give a maximum distance between 1 and 1000 km."))
    with transaction.atomic():
        current = _locked_session(session, version)
        _require_open(current)
        changed = []
        if current.weights != values:
            current.weights = values
            changed.append("weights")
        if current.max_distance_km != max_distance_km:
            current.max_distance_km = max_distance_km
            changed.append("max_distance_km")
        if changed:
            _touch(current, *changed)
            _record(actor, current, WEIGHTS_CHANGED, changed_fields=changed)
    return current


# --- runs ----------------------------------------------------------------------


def _sizes(session: MatchingSession) -> tuple[int, int]:
    taking_part = session.participants.filter(enrolment__status=EnrolmentStatus.ACTIVE)
    return (
        taking_part.filter(role=EnrolmentRole.MENTEE).count(),
        taking_part.filter(role=EnrolmentRole.MENTOR).count(),
    )


def start_run(
    *, actor: User, session: MatchingSession, version: int | None = None
) -> MatchingRun | None:
    """Calculate the proposals now, or, for a large session, in the background
    (returns None; the session's progress shows how far it got)."""
    _membership(actor, session.organisation_id)
    with transaction.atomic():
        current = _locked_session(session, version)
        _require_open(current)
        mentees, mentors = _sizes(current)
        if not mentees or not mentors:
            raise ServiceError(_("Add at least one mentee and one mentor first."))
        current.status = SessionStatus.RUNNING
        current.progress = 0
        current.run_error = ""
        current.run_started_at = timezone.now()
        _touch(current, "status", "progress", "run_error", "run_started_at")
    if mentees * mentors > RUN_IN_BACKGROUND_ABOVE:
        run_in_background(session_id=current.pk, actor_id=actor.pk)
        return None
    try:
        return execute_run(session_id=current.pk, actor_id=actor.pk)
    except Exception as error:
        # Logged, and the session is open again with the message: the user
        # sees it instead of an error page.
        raise ServiceError(str(_FAILED)) from error


def run_in_background(*, session_id: int, actor_id: int) -> threading.Thread:
    """A thread of its own, in the session's organisation scope, with its own
    database connection."""
    organisation_id = MatchingSession.objects.values_list("organisation_id", flat=True).get(
        pk=session_id
    )

    def work() -> None:
        close_old_connections()
        try:
            with scope(organisation=organisation_id):
                execute_run(session_id=session_id, actor_id=actor_id)
        except Exception:  # noqa: S110 - logged and written to the session by execute_run  # nosec B110
            pass
        finally:
            connection.close()

    # Started after the commit: the thread must see the session as running.
    thread = threading.Thread(target=work, name=f"matching-{session_id}", daemon=True)
    transaction.on_commit(thread.start)
    return thread


def _progress(session_id: int, percent: int) -> None:
    MatchingSession.objects.filter(pk=session_id).update(progress=percent)


def execute_run(*, session_id: int, actor_id: int) -> MatchingRun:
    """The calculation of a run that start_run (which checks the permission)
    began: read the participants and decisions, score, solve, and store the
    proposals. A plain function, so that tests and the background thread call
    the same code."""
    try:
        return _calculate(session_id, actor_id)
    except Exception:
        logger.exception("Matching run of session %s failed", session_id)
        MatchingSession.objects.filter(pk=session_id).update(
            status=SessionStatus.OPEN,
            progress=0,
            run_error=str(_FAILED)[:300],
        )
        raise


@dataclass
class _Plan:
    """The pairs to store: (row, col, rank, fixed)."""

    pairs: list[tuple[int, int, int, bool]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)


def _calculate(session_id: int, actor_id: int) -> MatchingRun:
    session = MatchingSession.objects.get(pk=session_id)
    actor = User.objects.get(pk=actor_id)
    today = timezone.localdate()
    _progress(session_id, 5)
    participants = list(
        session.participants.filter(enrolment__status=EnrolmentStatus.ACTIVE)
        .select_related("enrolment__person")
        .order_by("enrolment_id")
    )
    mentees = criteria.load_facts(
        [p.enrolment for p in participants if p.role == EnrolmentRole.MENTEE], today=today
    )
    mentors = criteria.load_facts(
        [p.enrolment for p in participants if p.role == EnrolmentRole.MENTOR], today=today
    )
    _progress(session_id, 25)
    problem = criteria.score(
        mentees, mentors, weights=session.weights, max_distance_km=session.max_distance_km
    )
    n, m = problem.scores.shape
    row_of = {f.enrolment.pk: i for i, f in enumerate(mentees)}
    col_of = {f.enrolment.pk: j for j, f in enumerate(mentors)}
    fixed: list[tuple[int, int]] = []
    excluded = np.zeros((n, m), dtype=bool)
    for decision in session.decisions.current():
        if decision.mentee_id not in row_of or decision.mentor_id not in col_of:
            continue
        pair = row_of[decision.mentee_id], col_of[decision.mentor_id]
        if decision.is_fixing:
            fixed.append(pair)
        else:
            excluded[pair] = True
    problem.forbid("excluded", excluded)
    elsewhere = accepted_load((f.enrolment.person_id for f in mentors), exclude_session=session.pk)
    places = np.array(
        [max(f.places - elsewhere[f.enrolment.person_id], 0) for f in mentors], dtype=np.int64
    )
    used = np.bincount([col for _row, col in fixed], minlength=m).astype(np.int64)
    free = np.maximum(places - used, 0)
    problem.forbid("capacity", np.broadcast_to(free == 0, (n, m)))
    fixed_rows = {row for row, _col in fixed}
    open_rows = np.array([row not in fixed_rows for row in range(n)], dtype=bool)
    allowed = problem.allowed & open_rows[:, None]
    _progress(session_id, 50)
    result = engine.assign(problem.scores, allowed=allowed, capacity=free)
    _progress(session_id, 80)
    plan = _plan(problem, fixed, result, open_rows, allowed)
    rows = [row for row, _col, _rank, _fixed in plan.pairs]
    cols = [col for _row, col, _rank, _fixed in plan.pairs]
    parts = problem.breakdown(rows, cols)
    with transaction.atomic():
        current = _locked_session(session)
        number = (current.runs.aggregate(last=Max("number"))["last"] or 0) + 1
        run = MatchingRun.objects.create(
            organisation_id=current.organisation_id,
            session=current,
            number=number,
            run_by=actor,
            weights=dict(current.weights),
            max_distance_km=current.max_distance_km,
            solver=result.solver,
            mentee_count=n,
            mentor_count=m,
            unmatched=plan.unmatched,
        )
        proposals = []
        for index, (row, col, rank, is_fixed) in enumerate(plan.pairs):
            proposals.append(
                Proposal(
                    organisation_id=current.organisation_id,
                    run=run,
                    mentee=mentees[row].enrolment,
                    mentor=mentors[col].enrolment,
                    rank=rank,
                    score=float(problem.scores[row, col]),
                    criteria={
                        code: round(float(problem.criteria[k, row, col]), 4)
                        for k, code in enumerate(criteria.CODES)
                    },
                    breakdown={
                        code: round(float(parts[index, k]), 4)
                        for k, code in enumerate(criteria.CODES)
                    },
                    reasons=criteria.reasons(problem, row, col),
                    unmet=criteria.unmet_wishes(problem, row, col),
                    is_fixed=is_fixed,
                )
            )
        Proposal.objects.bulk_create(proposals)
        run.total = float(sum(p.score for p in proposals if p.rank == 0))
        run.finished_at = timezone.now()
        run.save(update_fields=["total", "finished_at"])
        current.status = SessionStatus.OPEN
        current.progress = 100
        current.run_error = ""
        _touch(current, "status", "progress", "run_error")
        _record(actor, current, RUN_CALCULATED, target=run, changed_fields=["proposals"])
    return run


def _plan(problem, fixed, result, open_rows, allowed) -> _Plan:
    plan = _Plan()
    chosen = {int(r): int(c) for r, c in zip(result.rows, result.cols, strict=True)}
    for row, col in fixed:
        plan.pairs.append((row, col, 0, True))
    for row, col in sorted(chosen.items()):
        plan.pairs.append((row, col, 0, False))
    scores = problem.scores
    for row in np.flatnonzero(open_rows).tolist():
        candidates = np.flatnonzero(allowed[row] & (scores[row] > 0))
        candidates = candidates[candidates != chosen.get(row, -1)]
        order = candidates[np.lexsort((candidates, -scores[row, candidates]))][:ALTERNATIVES]
        for rank, col in enumerate(order.tolist(), start=1):
            plan.pairs.append((row, col, rank, False))
        if row not in chosen:
            plan.unmatched.append(
                {
                    "mentee": problem.mentees[row].enrolment.pk,
                    "allowed": len(candidates),
                    "blocked": {
                        code: int(mask[row].sum())
                        for code, mask in problem.blocked.items()
                        if mask[row].any()
                    },
                }
            )
    return plan


# --- decisions -----------------------------------------------------------------


def _advance_past_pairing(actor: User, enrolment: Enrolment) -> None:
    current = Enrolment.objects.select_related("step", "programme", "person").get(pk=enrolment.pk)
    if current.status == EnrolmentStatus.ACTIVE and current.step.kind == StepKind.PAIRING:
        programmes.advance(
            actor=actor, enrolment=current, reason=_("Pair accepted in a matching session")
        )


def _over(decision: Decision) -> bool:
    """An accepted pair whose tandem has ended no longer binds the mentee."""
    return decision.tandem_id is not None and decision.tandem.status in TANDEM_ENDED


def _check_fixing(session: MatchingSession, mentee: Enrolment, mentor: Enrolment) -> None:
    """A mentee is fixed to one mentor at most; a mentor to no more mentees than
    places; and a pair that will be formed needs a cleared, trained mentor."""
    current = session.decisions.current().exclude(tandem__status__in=TANDEM_ENDED)
    other = (
        current.filter(mentee=mentee, kind__in=[DecisionKind.ACCEPT, DecisionKind.LOCK])
        .exclude(mentor=mentor)
        .select_related("mentor__person")
        .first()
    )
    if other is not None:
        raise ServiceError(
            _("%(mentee)s is locked or paired with %(mentor)s already. Revoke that decision first.")
            % {"mentee": mentee.person.full_name, "mentor": other.mentor.person.full_name}
        )
    if (
        Decision.objects.current()
        .filter(mentee=mentee, kind=DecisionKind.ACCEPT)
        .exclude(session=session)
        .exclude(tandem__status__in=TANDEM_ENDED)
        .exists()
    ):
        raise ServiceError(
            _("%(mentee)s has been paired in another session.")
            % {"mentee": mentee.person.full_name}
        )
    profile = tandems.ready_mentor(mentor, timezone.localdate())
    taken = accepted_load([mentor.person_id], exclude_session=session.pk)[mentor.person_id]
    taken += (
        current.filter(mentor=mentor, kind__in=[DecisionKind.ACCEPT, DecisionKind.LOCK])
        .exclude(mentee=mentee)
        .count()
    )
    if taken >= profile.capacity:
        raise ServiceError(
            _("%(mentor)s has no free place for another mentee.")
            % {"mentor": mentor.person.full_name}
        )


def decide(
    *,
    actor: User,
    proposal: Proposal,
    kind: str,
    reason: str = "",
    seen: int | None = None,
) -> Decision:
    """Accept, reject (with a reason), lock or exclude a proposed pair.

    `seen` is the decision on the pair the actor saw (0: none): if a colleague
    decided in between, nothing changes and Conflict says so. Accepting records
    the pair and moves both enrolments past the pairing step."""
    membership = _membership(actor, proposal.organisation_id)
    mentee = Enrolment.objects.select_related("person").get(pk=proposal.mentee_id)
    mentor = Enrolment.objects.select_related("person").get(pk=proposal.mentor_id)
    _check_sites(membership, mentee.person.site_id, mentor.person.site_id)
    if kind not in DecisionKind.values:
        raise ServiceError(_("Choose accept, reject, lock or exclude."))
    reason = reason.strip()
    if kind == DecisionKind.REJECT and not reason:
        raise ServiceError(_("Give a reason for rejecting the pair."))
    if len(reason) > 300:
        raise ServiceError(_("Keep the reason to 300 characters."))
    with transaction.atomic():
        session = _locked_session(MatchingSession(pk=proposal.run.session_id))
        _require_open(session)
        taking_part = set(session.participants.values_list("enrolment_id", flat=True))
        if not {mentee.pk, mentor.pk} <= taking_part:
            raise ServiceError(_("One of the two no longer takes part in this session."))
        current = session.decisions.current().filter(mentee=mentee, mentor=mentor).first()
        if seen is not None and (current.pk if current else 0) != seen:
            raise Conflict(str(_STALE))
        if current is not None and current.kind == DecisionKind.ACCEPT and not _over(current):
            raise ServiceError(_("This pair has been accepted already."))
        if (
            current is not None
            and current.kind == kind
            and current.reason == reason
            and not _over(current)
        ):
            return current
        if kind in (DecisionKind.ACCEPT, DecisionKind.LOCK):
            _check_fixing(session, mentee, mentor)
        now = timezone.now()
        if current is not None:
            current.revoked_at, current.revoked_by = now, actor
            current.save(update_fields=["revoked_at", "revoked_by"])
        if kind == DecisionKind.ACCEPT:
            # A mentee whose tandem has ended is paired anew; the old pair
            # stays in its session's history, revoked.
            Decision.objects.current().filter(
                mentee=mentee, kind=DecisionKind.ACCEPT, tandem__status__in=TANDEM_ENDED
            ).update(revoked_at=now, revoked_by=actor)
        decision = Decision.objects.create(
            organisation_id=session.organisation_id,
            session=session,
            mentee=mentee,
            mentor=mentor,
            kind=kind,
            reason=reason,
            proposal=proposal,
            decided_by=actor,
            decided_at=now,
        )
        if kind == DecisionKind.ACCEPT:
            _advance_past_pairing(actor, mentee)
            _advance_past_pairing(actor, mentor)
        _touch(session)
        _record(
            actor,
            session,
            PAIR_DECIDED,
            target=decision,
            site=mentee.person.site,
            changed_fields=["kind", "reason"] if reason else ["kind"],
        )
    return decision


def revoke(*, actor: User, decision: Decision, seen_version: int | None = None) -> Decision:
    """Take back a lock, a rejection or an exclusion; the pair is open again at
    the next run. An accepted pair has moved on in the programme and stays."""
    membership = _membership(actor, decision.organisation_id)
    _check_sites(membership, decision.mentee.person.site_id, decision.mentor.person.site_id)
    with transaction.atomic():
        session = _locked_session(MatchingSession(pk=decision.session_id), seen_version)
        _require_open(session)
        current = Decision.objects.select_for_update().get(pk=decision.pk)
        if current.revoked_at is not None:
            raise Conflict(str(_STALE))
        if current.kind == DecisionKind.ACCEPT:
            raise ServiceError(
                _(
                    "An accepted pair cannot be revoked here: the enrolments have moved on. "
                    "Move them back on the enrolment page if needed."
                )
            )
        current.revoked_at, current.revoked_by = timezone.now(), actor
        current.save(update_fields=["revoked_at", "revoked_by"])
        _touch(session)
        _record(
            actor,
            session,
            DECISION_REVOKED,
            target=current,
            site=decision.mentee.person.site,
            changed_fields=["revoked_at"],
        )
    return current


@dataclass
class AcceptResult:
    accepted: list[Decision] = field(default_factory=list)
    refused: list[tuple[Proposal, str]] = field(default_factory=list)


def accept_open_proposals(*, actor: User, session: MatchingSession) -> AcceptResult:
    """Accept every pair the latest run proposes that is not decided otherwise
    (locked pairs included); a pair that cannot be accepted is reported."""
    membership = _membership(actor, session.organisation_id)
    run = session.latest_run()
    result = AcceptResult()
    if run is None:
        raise ServiceError(_("Run the matching first."))
    decided = {(d.mentee_id, d.mentor_id): d.kind for d in session.decisions.current()}
    proposals = run.proposals.filter(rank=0).select_related(
        "mentee__person", "mentor__person", "run"
    )
    with transaction.atomic():
        for proposal in proposals:
            # Undecided or locked: accept. Rejected, excluded or accepted: leave.
            if decided.get((proposal.mentee_id, proposal.mentor_id)) not in (
                None,
                DecisionKind.LOCK,
            ):
                continue
            sites = {proposal.mentee.person.site_id, proposal.mentor.person.site_id}
            if not membership.all_sites and not sites <= set(membership.site_ids):
                continue
            try:
                with transaction.atomic():
                    result.accepted.append(
                        decide(actor=actor, proposal=proposal, kind=DecisionKind.ACCEPT)
                    )
            except NotPermitted:
                raise
            except ServiceError as error:
                result.refused.append((proposal, error.message))
    return result


def close_session(*, actor: User, session: MatchingSession, version: int) -> MatchingSession:
    """Close a session: it stays readable with everything decided in it."""
    _membership(actor, session.organisation_id)
    with transaction.atomic():
        current = _locked_session(session, version)
        _require_open(current)
        current.status = SessionStatus.CLOSED
        current.closed_at = timezone.now()
        _touch(current, "status", "closed_at")
        _record(actor, current, SESSION_CLOSED, changed_fields=["status"])
    return current


# --- from accepted pairs to tandems ------------------------------------------------


def pairs_waiting(user: User):
    """Accepted pairs without a tandem yet, whose mentee is still in the programme."""
    return (
        Decision.objects.visible_to(user)
        .current()
        .filter(
            kind=DecisionKind.ACCEPT, tandem__isnull=True, mentee__status=EnrolmentStatus.ACTIVE
        )
        .select_related("mentee__person", "mentor__person", "session__programme")
        .order_by("decided_at", "pk")
    )


def form_tandem(
    *,
    actor: User,
    decision: Decision,
    site=None,
    coordinator: User | None = None,
    goals: str = "",
) -> Tandem:
    """Form the tandem of an accepted pair; the decision remembers it."""
    membership = _membership(actor, decision.organisation_id)
    _check_sites(membership, decision.mentee.person.site_id, decision.mentor.person.site_id)
    with transaction.atomic():
        current = Decision.objects.select_for_update().get(pk=decision.pk)
        if current.kind != DecisionKind.ACCEPT or current.revoked_at is not None:
            raise ServiceError(_("Only an accepted pair can become a tandem."))
        if current.tandem_id is not None:
            raise ServiceError(_("The tandem of this pair has been formed already."))
        tandem = tandems.create_tandem(
            actor=actor,
            mentee=decision.mentee,
            mentor=decision.mentor,
            site=site,
            coordinator=coordinator,
            goals=goals,
        )
        current.tandem = tandem
        current.save(update_fields=["tandem"])
        audit.record(
            actor=actor,
            organisation=tandem.organisation,
            action=TANDEM_FORMED,
            target=current,
            site=tandem.site,
            changed_fields=["tandem"],
        )
    return tandem
