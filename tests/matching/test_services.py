import datetime
import threading

import pytest
import time_machine
from django.db.models import Sum
from django.http import QueryDict
from django.utils import timezone

from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import AuditEntry
from lotse.matching import criteria, services
from lotse.matching.models import Decision, DecisionKind, MatchingSession, SessionStatus
from lotse.people.filters import PoolFilterForm, apply
from lotse.people.models import Gender, Person, PersonRole, PoolRole, Status, VolunteerProfile
from lotse.programmes.models import Enrolment, EnrolmentRole, StepKind

from ..factories import enrol_at, mentee_profile, mentor_profile
from .conftest import acting, person


def _open(office, user=None):
    return services.open_session(
        actor=acting(user or office.world.alice), programme=office.world.programme_a
    )


def _run(session, user):
    session.refresh_from_db()
    return services.start_run(actor=acting(user), session=session)


def _pairs(run):
    return {
        (p.mentee.person.given_name, p.mentor.person.given_name)
        for p in run.proposals.filter(rank=0).select_related("mentee__person", "mentor__person")
    }


def _proposal(run, mentee, mentor, rank=None):
    proposals = run.proposals.filter(mentee=mentee, mentor=mentor)
    if rank is not None:
        proposals = proposals.filter(rank=rank)
    return proposals.get()


# --- opening a session ---------------------------------------------------------


def test_a_session_preselects_the_waiting_mentees_and_the_available_mentors(office):
    world = office.world
    at_intake = person(world, "Reza", "Karimi")
    enrol_at(world.programme_a, at_intake, EnrolmentRole.MENTEE, StepKind.INTAKE)
    untrained = person(world, "Thomas", "Becker", role=PoolRole.VOLUNTEER)
    mentor_profile(untrained, trained=False)
    expired = person(world, "Sabine", "Krüger", role=PoolRole.VOLUNTEER)
    mentor_profile(expired)
    VolunteerProfile.objects.filter(person=expired).update(
        police_clearance_on=timezone.localdate() - datetime.timedelta(days=365 * 6)
    )
    paused = person(world, "Ursula", "Hoffmann", role=PoolRole.VOLUNTEER)
    mentor_profile(paused)
    PersonRole.objects.filter(person=paused).update(status=Status.PAUSED)
    for somebody in (untrained, expired, paused):
        enrol_at(world.programme_a, somebody, EnrolmentRole.MENTOR, StepKind.PAIRING)

    session = _open(office)

    taking_part = set(session.participants.values_list("enrolment_id", flat=True))
    # world.enrolment_a waits at the info event, not at the pairing step.
    assert taking_part == {office.amira.pk, office.olena.pk, office.karim.pk, office.gisela.pk}
    assert session.weights == criteria.DEFAULT_WEIGHTS
    assert session.opened_by == world.alice
    assert AuditEntry.objects.filter(action=services.SESSION_OPENED).count() == 1


def test_a_mentor_whose_places_are_taken_is_not_preselected(office):
    first = _open(office)
    run = _run(first, office.world.alice)
    services.decide(
        actor=office.world.alice,
        proposal=_proposal(run, office.amira, office.karim, rank=0),
        kind=DecisionKind.ACCEPT,
    )
    second = _open(office)
    mentors = set(second.participants.filter(role="mentor").values_list("enrolment_id", flat=True))
    assert mentors == {office.gisela.pk}
    # The next session starts with the weights of the last one.
    assert second.weights == first.weights


def test_only_coordinators_and_administrators_of_the_organisation_open_sessions(office):
    world = office.world
    for user in (world.cora, world.vera, world.carol):
        with pytest.raises(NotPermitted):
            _open(office, user)
    assert _open(office, world.ada).participants.count() == 4


def test_the_participants_can_be_narrowed_with_the_pool_filters(office):
    session = _open(office)
    form = PoolFilterForm(
        QueryDict("language=ara"),
        sites=[],
        organisation_id=office.world.org_a.pk,
        countries=[],
    )
    assert form.is_valid(), form.errors
    speakers = apply(
        Person.objects.filter(organisation=office.world.org_a),
        form.cleaned_data,
        organisation_id=office.world.org_a.pk,
        today=timezone.localdate(),
    )
    removed = services.narrow_participants(
        actor=acting(office.world.alice), session=session, role="mentor", people=speakers
    )
    assert removed == 1
    mentors = set(session.participants.filter(role="mentor").values_list("enrolment_id", flat=True))
    assert mentors == {office.karim.pk}
    assert session.participants.filter(role="mentee").count() == 2
    added = services.add_participants(
        actor=office.world.alice, session=session, enrolments=[office.gisela, office.karim]
    )
    assert added == 1
    left = office.world.enrolment_a
    Enrolment.objects.filter(pk=left.pk).update(status="withdrawn")
    left.refresh_from_db()
    with pytest.raises(ServiceError, match="has left the programme"):
        services.add_participants(actor=office.world.alice, session=session, enrolments=[left])


# --- running -------------------------------------------------------------------


def test_a_run_proposes_the_best_pairing_within_the_hard_constraints(office):
    session = _open(office)
    run = _run(session, office.world.alice)
    assert run.number == 1
    assert _pairs(run) == {("Amira", "Karim"), ("Olena", "Gisela")}
    assert run.unmatched == []
    # Olena requires a woman: Karim is never proposed to her, not even as an alternative.
    assert not run.proposals.filter(mentee=office.olena, mentor=office.karim).exists()
    amira = _proposal(run, office.amira, office.karim, rank=0)
    assert sum(amira.breakdown.values()) == pytest.approx(amira.score, abs=1e-3)
    assert amira.criteria["language"] == 1.0
    assert amira.criteria["career"] == 1.0
    reason = criteria.describe(amira.reasons)
    assert "Both speak Arabic" in reason
    assert "worked 20 years in Traffic, logistics, safety and security" in reason
    assert "can help with Bewerbungen" in reason
    # Gisela is Amira's alternative (German at A2 is enough to talk).
    alternative = _proposal(run, office.amira, office.gisela)
    assert alternative.rank == 1
    assert run.total == pytest.approx(
        run.proposals.filter(rank=0).aggregate(total=Sum("score"))["total"]
    )
    session.refresh_from_db()
    assert (session.status, session.progress) == (SessionStatus.OPEN, 100)
    assert run.weights == session.weights and run.run_by == office.world.alice


def test_unmatched_mentees_are_listed_with_the_constraint_that_leaves_them_alone(office):
    world = office.world
    nobody = person(world, "Yonas", "Haile", gender=Gender.MALE)
    mentee_profile(nobody, languages=(("tir", "native"),))
    lone = enrol_at(world.programme_a, nobody, EnrolmentRole.MENTEE, StepKind.PAIRING)
    run = _run(_open(office), world.alice)
    [entry] = run.unmatched
    assert entry["mentee"] == lone.pk
    assert entry["allowed"] == 0
    assert entry["blocked"] == {"language": 2}


def test_a_mentor_without_clearance_is_never_proposed(office):
    session = _open(office)
    VolunteerProfile.objects.filter(person=office.karim.person).update(police_clearance_on=None)
    run = _run(session, office.world.alice)
    assert not run.proposals.filter(mentor=office.karim).exists()
    [entry] = run.unmatched
    assert entry["blocked"]["clearance"] == 1


def test_weights_change_what_is_proposed_and_are_kept_with_each_run(office):
    session = _open(office)
    with pytest.raises(ServiceError):
        services.change_weights(
            actor=acting(office.world.alice),
            session=session,
            weights=dict.fromkeys(criteria.CODES, 0),
            max_distance_km=30,
            version=session.version,
        )
    with pytest.raises(Conflict):
        services.change_weights(
            actor=office.world.alice,
            session=session,
            weights={"language": 1},
            max_distance_km=30,
            version=session.version - 1,
        )
    services.change_weights(
        actor=office.world.alice,
        session=session,
        weights={"language": 1},
        max_distance_km=30,
        version=session.version,
    )
    run = _run(session, office.world.alice)
    assert run.weights == dict.fromkeys(criteria.CODES, 0.0) | {"language": 1.0}
    proposal = _proposal(run, office.amira, office.karim, rank=0)
    assert proposal.score == pytest.approx(1.0)


def test_distance_counts_when_both_homes_are_known_and_a_far_mentor_is_forbidden(office):
    Person.objects.filter(pk=office.amira.person_id).update(latitude=52.52, longitude=13.40)
    # Munich is about 500 km from Berlin.
    Person.objects.filter(pk=office.karim.person_id).update(latitude=48.14, longitude=11.58)
    run = _run(_open(office), office.world.alice)
    assert not run.proposals.filter(mentee=office.amira, mentor=office.karim).exists()
    # Gisela's home is unknown: a neutral distance, no constraint.
    assert _pairs(run) == {("Olena", "Gisela")}
    [entry] = run.unmatched
    assert entry["blocked"]["distance"] == 1
    assert entry["allowed"] == 1  # Gisela would fit, but Olena needs her


@pytest.mark.django_db(transaction=True)
def test_large_sessions_run_in_a_thread_of_their_own(office, monkeypatch):
    monkeypatch.setattr(services, "RUN_IN_BACKGROUND_ABOVE", 1)
    session = _open(office)
    assert services.start_run(actor=acting(office.world.alice), session=session) is None
    [worker] = [t for t in threading.enumerate() if t.name == f"matching-{session.pk}"]
    worker.join(timeout=60)
    assert not worker.is_alive()
    session.refresh_from_db()
    assert (session.status, session.progress) == (SessionStatus.OPEN, 100)
    assert _pairs(session.latest_run()) == {("Amira", "Karim"), ("Olena", "Gisela")}


def test_no_second_run_while_one_is_calculating(office):
    session = _open(office)
    MatchingSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.RUNNING, run_started_at=timezone.now()
    )
    session.refresh_from_db()
    with pytest.raises(ServiceError, match="being calculated"):
        services.start_run(actor=acting(office.world.alice), session=session)


def test_a_run_that_lost_its_process_does_not_block_the_session(office):
    session = _open(office)
    started = timezone.now()
    # The server restarted while the thread was calculating: the session
    # stays "calculating" in the database.
    MatchingSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.RUNNING, run_started_at=started
    )
    session.refresh_from_db()
    with time_machine.travel(started + datetime.timedelta(minutes=14), tick=False):
        assert session.is_running and not session.run_abandoned
        with pytest.raises(ServiceError, match="being calculated"):
            services.start_run(actor=acting(office.world.alice), session=session)
    # After a quarter of an hour the session may run again, and says why.
    with time_machine.travel(started + datetime.timedelta(minutes=16), tick=False):
        assert session.run_abandoned and not session.is_running and session.is_open
        run = services.start_run(actor=office.world.alice, session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN and not session.run_abandoned
    assert run.number == 1 and _pairs(run) == {("Amira", "Karim"), ("Olena", "Gisela")}


def test_a_failed_run_leaves_the_session_open_with_a_message(office, monkeypatch):
    session = _open(office)

    def broken(*args, **kwargs):
        raise RuntimeError("solver failed")

    monkeypatch.setattr(services.engine, "assign", broken)
    with pytest.raises(ServiceError, match="failed"):
        _run(session, office.world.alice)
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    assert "failed" in session.run_error


# --- decisions -----------------------------------------------------------------


def test_a_rejection_needs_a_reason_and_the_pair_is_not_proposed_again(office):
    alice = office.world.alice
    session = _open(office)
    run = _run(session, alice)
    proposal = _proposal(run, office.amira, office.karim, rank=0)
    with pytest.raises(ServiceError, match="reason"):
        services.decide(actor=acting(alice), proposal=proposal, kind=DecisionKind.REJECT)
    decision = services.decide(
        actor=alice, proposal=proposal, kind=DecisionKind.REJECT, reason="Kennen sich privat"
    )
    assert decision.reason == "Kennen sich privat"
    again = _run(session, alice)
    assert again.number == 2
    assert not again.proposals.filter(mentee=office.amira, mentor=office.karim).exists()
    assert _pairs(again) == {("Olena", "Gisela")}
    # Gisela would fit Amira too, but Olena needs her more.
    expected = {"mentee": office.amira.pk, "allowed": 1, "blocked": {"excluded": 1}}
    assert again.unmatched == [expected]


def test_a_locked_pair_stays_and_the_rest_is_optimised_around_it(office):
    alice = office.world.alice
    session = _open(office)
    run = _run(session, alice)
    # Lock Amira with her alternative, Gisela: Olena loses her only mentor.
    services.decide(
        actor=acting(alice),
        proposal=_proposal(run, office.amira, office.gisela),
        kind=DecisionKind.LOCK,
    )
    again = _run(session, alice)
    assert _pairs(again) == {("Amira", "Gisela")}
    locked = _proposal(again, office.amira, office.gisela, rank=0)
    assert locked.is_fixed
    [entry] = again.unmatched
    assert entry["mentee"] == office.olena.pk
    assert entry["blocked"]["gender"] == 1 and entry["blocked"]["capacity"] == 1


def test_accepting_a_pair_moves_both_enrolments_past_the_pairing_step(office):
    alice = office.world.alice
    session = _open(office)
    run = _run(session, alice)
    decision = services.decide(
        actor=acting(alice),
        proposal=_proposal(run, office.amira, office.karim, rank=0),
        kind=DecisionKind.ACCEPT,
        seen=0,
    )
    assert decision.decided_by == alice
    office.amira.refresh_from_db()
    office.karim.refresh_from_db()
    assert office.amira.step.kind == StepKind.FIRST_MEETING
    assert office.karim.step.kind == StepKind.FIRST_MEETING
    assert office.amira.transitions.first().reason == "Pair accepted in a matching session"
    with pytest.raises(ServiceError, match="accepted already"):
        services.decide(
            actor=alice,
            proposal=_proposal(run, office.amira, office.karim, rank=0),
            kind=DecisionKind.REJECT,
            reason="doch nicht",
        )
    # The accepted pair stays; Karim's one place is taken.
    again = _run(session, alice)
    assert _proposal(again, office.amira, office.karim, rank=0).is_fixed
    assert not again.proposals.filter(mentor=office.karim, rank__gt=0).exists()


def test_a_mentor_gets_no_more_mentees_than_places(office):
    alice = office.world.alice
    session = _open(office)
    run = _run(session, alice)
    services.decide(
        actor=acting(alice),
        proposal=_proposal(run, office.amira, office.gisela),
        kind=DecisionKind.LOCK,
    )
    with pytest.raises(ServiceError, match="no free place"):
        services.decide(
            actor=alice,
            proposal=_proposal(run, office.olena, office.gisela, rank=0),
            kind=DecisionKind.ACCEPT,
        )
    with pytest.raises(ServiceError, match="locked or paired"):
        services.decide(
            actor=alice,
            proposal=_proposal(run, office.amira, office.karim, rank=0),
            kind=DecisionKind.LOCK,
        )


def test_a_colleagues_decision_is_not_silently_overwritten(office):
    alice, ada = office.world.alice, office.world.ada
    run = _run(_open(office), alice)
    proposal = _proposal(run, office.amira, office.karim, rank=0)
    services.decide(actor=acting(ada), proposal=proposal, kind=DecisionKind.LOCK, seen=0)
    # alice still sees the pair undecided.
    with pytest.raises(Conflict):
        services.decide(
            actor=acting(alice),
            proposal=proposal,
            kind=DecisionKind.EXCLUDE,
            reason="",
            seen=0,
        )
    current = Decision.objects.current().get(mentee=office.amira, mentor=office.karim)
    assert current.kind == DecisionKind.LOCK and current.decided_by == ada


def test_revoking_a_lock_keeps_it_in_the_history(office):
    alice = office.world.alice
    session = _open(office)
    run = _run(session, alice)
    lock = services.decide(
        actor=acting(alice),
        proposal=_proposal(run, office.amira, office.gisela),
        kind=DecisionKind.LOCK,
    )
    services.revoke(actor=alice, decision=lock)
    lock.refresh_from_db()
    assert lock.revoked_by == alice
    assert _pairs(_run(session, alice)) == {("Amira", "Karim"), ("Olena", "Gisela")}
    assert session.decisions.count() == 1
    assert AuditEntry.objects.filter(action=services.DECISION_REVOKED).count() == 1


def test_accepting_the_open_proposals_takes_the_locked_ones_and_leaves_the_rejected(office):
    alice = office.world.alice
    world = office.world
    session = _open(office)
    run = _run(session, alice)
    services.decide(
        actor=acting(alice),
        proposal=_proposal(run, office.olena, office.gisela, rank=0),
        kind=DecisionKind.LOCK,
    )
    services.decide(
        actor=alice,
        proposal=_proposal(run, office.amira, office.karim, rank=0),
        kind=DecisionKind.REJECT,
        reason="Zeiten passen nicht",
    )
    session.refresh_from_db()
    result = services.accept_open_proposals(actor=alice, session=session)
    assert [(d.mentee, d.mentor) for d in result.accepted] == [(office.olena, office.gisela)]
    assert result.refused == []
    office.olena.refresh_from_db()
    assert office.olena.step.kind == StepKind.FIRST_MEETING
    office.amira.refresh_from_db()
    assert office.amira.step.kind == StepKind.PAIRING
    # Gisela was at the tandem step already: she stays there.
    office.gisela.refresh_from_db()
    assert office.gisela.step.kind == StepKind.TANDEM
    kinds = list(
        AuditEntry.objects.filter(action=services.PAIR_DECIDED).values_list("action", flat=True)
    )
    assert len(kinds) == 3
    with pytest.raises(NotPermitted):
        services.accept_open_proposals(actor=acting(world.cora), session=session)


def test_a_closed_session_takes_no_more_decisions(office):
    alice = office.world.alice
    session = _open(office)
    run = _run(session, alice)
    session.refresh_from_db()
    services.close_session(actor=acting(alice), session=session, version=session.version)
    assert MatchingSession.objects.get(pk=session.pk).status == SessionStatus.CLOSED
    with pytest.raises(ServiceError, match="closed"):
        services.decide(
            actor=alice,
            proposal=_proposal(run, office.amira, office.karim, rank=0),
            kind=DecisionKind.ACCEPT,
        )


def test_a_mentee_whose_tandem_ended_early_can_be_paired_again(office):
    from lotse.programmes import services as programmes
    from lotse.tandems import services as tandems
    from lotse.tandems.models import TandemStatus

    alice = acting(office.world.alice)
    session = _open(office)
    run = _run(session, alice)
    first = services.decide(
        actor=alice, proposal=_proposal(run, office.amira, office.karim, rank=0), kind="accept"
    )
    tandem = services.form_tandem(actor=alice, decision=first)
    with pytest.raises(ServiceError, match="accepted already"):
        services.decide(
            actor=alice, proposal=_proposal(run, office.amira, office.karim, rank=0), kind="accept"
        )
    ended = tandems.end_tandem(
        actor=alice,
        tandem=tandem,
        version=tandem.version,
        ended_on=timezone.localdate(),
        reason="mentor_withdrew",
        outcome="none",
    )
    assert ended.status == TandemStatus.ENDED_EARLY
    session.refresh_from_db()
    services.close_session(actor=alice, session=session, version=session.version)
    # Back to the pairing step by hand, then a new session pairs her again.
    amira = Enrolment.objects.get(pk=office.amira.pk)
    pairing = amira.programme.steps.get(kind=StepKind.PAIRING)
    programmes.move_enrolment(actor=alice, enrolment=amira, to_step=pairing)
    again = _open(office)
    assert again.participants.filter(enrolment=amira).exists()
    proposal = _run(again, alice).proposals.get(mentee=amira, rank=0)
    second = services.decide(actor=alice, proposal=proposal, kind="accept")
    first.refresh_from_db()
    assert first.revoked_at is not None and first.revoked_by == alice
    assert second.revoked_at is None and second.session == again
