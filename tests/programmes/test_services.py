import datetime

import pytest
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import AuditEntry
from lotse.people.models import PoolRole, VolunteerProfile
from lotse.programmes import services
from lotse.programmes.models import (
    EnrolmentStatus,
    Registration,
    RegistrationStatus,
    StepKind,
)

from ..factories import PersonFactory


def acting(user):
    user.membership = Membership.objects.get(user=user)
    return user


def _event(world, *, days=7, capacity=None, kind="info_event", programme=None):
    starts = timezone.now() + datetime.timedelta(days=days)
    return services.create_event(
        actor=acting(world.alice),
        organisation=world.org_a,
        kind=kind,
        title="Schulung",
        programme=programme,
        site=world.site_a1,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=capacity,
    )


def _person(world, site=None, role=PoolRole.PARTICIPANT):
    return PersonFactory(organisation=world.org_a, site=site or world.site_a1, role=role)


def test_a_new_mentoring_programme_has_the_eight_steps_of_the_cycle(world):
    steps = list(world.programme_a.steps.order_by("position"))
    assert [s.kind for s in steps] == [
        "info_event",
        "intake",
        "training",
        "pairing",
        "first_meeting",
        "agreement",
        "tandem",
        "evaluation",
    ]
    assert steps[2].audience == "mentor"
    assert (world.programme_a.max_duration_months, world.programme_a.meeting_rhythm_days) == (6, 7)


def test_only_administrators_create_programmes(world):
    with pytest.raises(NotPermitted):
        services.create_programme(
            actor=acting(world.alice), organisation=world.org_a, name="X", kind="coaching"
        )


def test_an_enrolment_starts_at_the_first_step_of_its_role_and_moves_on(world):
    enrolment = world.enrolment_a
    assert enrolment.step.kind == StepKind.INFO_EVENT
    moved = services.advance(actor=acting(world.alice), enrolment=enrolment)
    assert moved.step.kind == StepKind.INTAKE
    # Mentees skip the mentors' training: the next step is the pairing.
    moved = services.advance(actor=world.alice, enrolment=moved)
    assert moved.step.kind == StepKind.PAIRING
    kinds = [t.to_step.kind for t in moved.transitions.order_by("moved_at", "pk")]
    assert kinds == ["info_event", "intake", "pairing"]
    assert AuditEntry.objects.filter(action=services.ENROLMENT_MOVED).count() == 2


def test_a_required_step_is_skipped_only_by_a_coordinator_with_a_reason(world):
    cora_person = _person(world, site=world.site_a2)
    enrolment = services.enrol(
        actor=acting(world.cora), programme=world.programme_a, person=cora_person, role="mentee"
    )
    pairing = world.programme_a.steps.get(kind="pairing")
    with pytest.raises(NotPermitted, match="coordinator"):
        services.move_enrolment(actor=world.cora, enrolment=enrolment, to_step=pairing)
    with pytest.raises(ServiceError, match="reason"):
        services.move_enrolment(actor=acting(world.alice), enrolment=enrolment, to_step=pairing)
    moved = services.move_enrolment(
        actor=world.alice, enrolment=enrolment, to_step=pairing, reason="Kennt das Programme"
    )
    move = moved.transitions.first()
    # Moving on from the current step completes it; the one in between is passed over.
    assert move.skipped == [world.programme_a.steps.get(kind="intake").name]
    assert move.reason == "Kennt das Programme"


def test_going_back_needs_no_reason(world):
    enrolment = services.advance(actor=acting(world.alice), enrolment=world.enrolment_a)
    first = world.programme_a.steps.get(position=1)
    back = services.move_enrolment(actor=world.alice, enrolment=enrolment, to_step=first)
    assert back.step == first


def test_a_stale_move_is_refused_and_changes_nothing(world):
    enrolment = world.enrolment_a
    services.advance(actor=acting(world.alice), enrolment=enrolment, version=enrolment.version)
    with pytest.raises(Conflict):
        services.advance(actor=world.alice, enrolment=enrolment, version=enrolment.version)
    enrolment.refresh_from_db()
    assert enrolment.step.kind == StepKind.INTAKE


def test_enrolling_twice_is_refused_but_coming_back_continues_the_enrolment(world):
    with pytest.raises(ServiceError, match="already"):
        services.enrol(
            actor=acting(world.alice),
            programme=world.programme_a,
            person=world.person_a1,
            role="mentee",
        )
    services.end_enrolment(
        actor=world.alice, enrolment=world.enrolment_a, status="withdrawn", reason="Umzug"
    )
    again = services.enrol(
        actor=world.alice, programme=world.programme_a, person=world.person_a1, role="mentee"
    )
    assert again.pk == world.enrolment_a.pk
    assert again.status == EnrolmentStatus.ACTIVE
    assert again.transitions.count() == 3


def test_leaving_needs_a_reason_and_completing_needs_the_last_step(world):
    with pytest.raises(ServiceError, match="reason"):
        services.end_enrolment(
            actor=acting(world.alice), enrolment=world.enrolment_a, status="withdrawn"
        )
    with pytest.raises(ServiceError, match="last step"):
        services.end_enrolment(actor=world.alice, enrolment=world.enrolment_a, status="completed")


def test_advancing_past_the_last_step_completes_the_enrolment(world):
    last = world.programme_a.steps.order_by("position").last()
    enrolment = services.move_enrolment(
        actor=acting(world.alice), enrolment=world.enrolment_a, to_step=last, reason="Test"
    )
    done = services.advance(actor=world.alice, enrolment=enrolment)
    assert done.status == EnrolmentStatus.COMPLETED


def test_a_caseworker_cannot_enrol_people_of_another_site(world):
    with pytest.raises(NotPermitted):
        services.enrol(
            actor=acting(world.cora),
            programme=world.programme_a,
            person=_person(world, site=world.site_a1),
            role="mentee",
        )


def test_enrolling_a_selection_reports_who_could_not_be_enrolled(world):
    people = [world.person_a1, _person(world), _person(world)]
    result = services.enrol_many(
        actor=acting(world.alice), programme=world.programme_a, people=people, role="mentee"
    )
    assert len(result.enrolled) == 2
    assert [person for person, _why in result.refused] == [world.person_a1]


def test_a_full_event_puts_people_on_the_waiting_list_and_moves_them_up(world):
    event = _event(world, capacity=1)
    first, second = _person(world), _person(world)
    services.register(actor=acting(world.alice), event=event, person=first)
    waiting = services.register(actor=world.alice, event=event, person=second)
    assert waiting.status == RegistrationStatus.WAITING
    services.cancel_registration(
        actor=world.alice, registration=Registration.objects.get(event=event, person=first)
    )
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_more_places_move_people_up_from_the_waiting_list(world):
    event = _event(world, capacity=1)
    services.register(actor=acting(world.alice), event=event, person=_person(world))
    waiting = services.register(actor=world.alice, event=event, person=_person(world))
    services.update_event(actor=world.alice, event=event, version=event.version, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_one_cannot_register_twice_or_for_a_past_event(world):
    event = _event(world)
    services.register(actor=acting(world.alice), event=event, person=world.person_a1)
    with pytest.raises(ServiceError, match="already"):
        services.register(actor=world.alice, event=event, person=world.person_a1)
    past = _event(world, days=-3)
    with pytest.raises(ServiceError, match="over"):
        services.register(actor=world.alice, event=past, person=world.person_a1)


def test_attending_the_info_event_moves_the_enrolment_to_the_next_step(world):
    event = world.event_a
    event.starts_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    absent = _person(world)
    absent_registration = services.register(actor=acting(world.alice), event=event, person=absent)
    absent_enrolment = services.enrol(
        actor=world.alice, programme=world.programme_a, person=absent, role="mentee"
    )
    present, missing = services.record_attendance(
        actor=world.alice, event=event, present=[world.registration_a.pk]
    )
    assert (present, missing) == (1, 1)
    world.enrolment_a.refresh_from_db()
    absent_enrolment.refresh_from_db()
    absent_registration.refresh_from_db()
    assert world.enrolment_a.step.kind == StepKind.INTAKE
    assert absent_enrolment.step.kind == StepKind.INFO_EVENT
    assert absent_registration.attended is False
    # Recording the same attendance again does not move anyone a second time.
    services.record_attendance(actor=world.alice, event=event, present=[world.registration_a.pk])
    world.enrolment_a.refresh_from_db()
    assert world.enrolment_a.step.kind == StepKind.INTAKE


def test_attending_the_training_completes_the_mentors_training(world):
    mentor = _person(world, role=PoolRole.VOLUNTEER)
    VolunteerProfile.objects.create(person=mentor)
    enrolment = services.enrol(
        actor=acting(world.alice), programme=world.programme_a, person=mentor, role="mentor"
    )
    training = world.programme_a.steps.get(kind="training")
    enrolment = services.move_enrolment(
        actor=world.alice, enrolment=enrolment, to_step=training, reason="Kennt uns"
    )
    event = _event(world, days=1, kind="training", programme=world.programme_a)
    registration = services.register(actor=world.alice, event=event, person=mentor)
    with pytest.raises(ServiceError, match="begun"):
        services.record_attendance(actor=world.alice, event=event, present=[registration.pk])
    event.starts_at = timezone.now() - datetime.timedelta(hours=3)
    event.save()
    services.record_attendance(actor=world.alice, event=event, present=[registration.pk])
    enrolment.refresh_from_db()
    assert enrolment.step.kind == StepKind.PAIRING
    assert VolunteerProfile.objects.get(person=mentor).training_completed_on is not None


def test_only_registered_people_can_be_marked_present(world):
    event = world.event_a
    event.starts_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    with pytest.raises(ServiceError):
        services.record_attendance(actor=acting(world.alice), event=event, present=[987654])


def test_a_step_with_people_cannot_be_removed_but_an_empty_one_can(world):
    first = world.programme_a.steps.get(position=1)
    with pytest.raises(ServiceError):
        services.delete_step(actor=acting(world.ada), step=first)
    last = world.programme_a.steps.order_by("position").last()
    services.delete_step(actor=world.ada, step=last)
    assert world.programme_a.steps.count() == 7


def test_moving_a_step_swaps_it_with_its_neighbour(world):
    second = world.programme_a.steps.get(position=2)
    services.move_step(actor=acting(world.ada), step=second, offset=-1)
    assert [s.kind for s in world.programme_a.steps.order_by("position")][:2] == [
        "intake",
        "info_event",
    ]


def test_a_new_step_goes_to_the_end(world):
    step = services.add_step(
        actor=acting(world.ada),
        programme=world.programme_a,
        name_de="Abschlussfest",
        name_en="Farewell party",
        kind="other",
        audience="all",
        is_required=False,
    )
    assert step.position == 9


def test_the_demo_spreads_mentees_and_mentors_over_two_programmes(db):
    from django.core.management import call_command

    from lotse.programmes.models import Enrolment, Event, Programme

    call_command("demo")
    assert sorted(Programme.objects.values_list("name", flat=True)) == [
        "Job Coaches",
        "Stark im Beruf – Kontaktstelle",  # the case-management contact point (cases demo)
        "Tandem für Arbeit",
    ]
    enrolments = Enrolment.objects.all()
    assert enrolments.filter(role="mentee").count() == 300
    assert enrolments.filter(role="mentor").count() == 150
    # Mentees wait at the pairing step, mentors past their training.
    assert enrolments.filter(role="mentee", step__kind="pairing").count() > 50
    assert enrolments.values("step__kind").distinct().count() >= 6
    now = timezone.now()
    assert Event.objects.filter(starts_at__lt=now).exists()
    assert Event.objects.filter(starts_at__gt=now).exists()
