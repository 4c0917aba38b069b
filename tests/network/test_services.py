"""Use cases of the local network (lotse.network.services)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import AuditEntry
from lotse.network import services
from lotse.network.models import (
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
from lotse.network.services import InvalidInput, MeasureDraft, Participant
from lotse.people.models import Person
from lotse.tandems.models import Tandem

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48

# Everything a write of the network can leave behind.
RECORDS = (
    Institution,
    ContactPerson,
    Committee,
    CommitteeMember,
    CooperationAgreement,
    NetworkMeeting,
    Attendance,
    SharedGoal,
    AgreedMeasure,
    MeasureUpdate,
    IntegrationStep,
    Responsibility,
    InterfacePaper,
    Offer,
    NeedsEntry,
    AuditEntry,
)


def _today():
    return timezone.localdate()


def _days(n):
    return datetime.timedelta(days=n)


def acting(user):
    """Services read the actor's membership, as the tenant middleware sets it."""
    user.membership = Membership.objects.get(user=user)
    return user


def _counts():
    return {model.__name__: model.objects.count() for model in RECORDS}


def _entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def _institution(organisation, name, **fields):
    values = {"domain": "education", "kind": "adult_education_centre"} | fields
    return Institution.objects.create(organisation=organisation, name=name, **values)


def _contact(institution, name, **fields):
    return ContactPerson.objects.create(
        organisation=institution.organisation, institution=institution, name=name, **fields
    )


@pytest.fixture
def vhs(world):
    """A second institution of organisation A with its contact person."""
    institution = _institution(world.org_a, "Volkshochschule Alphastadt", phone="0341 300400")
    return institution, _contact(institution, "Veronika Volk", phone="0341 300401")


@pytest.fixture
def elsewhere(world):
    """An institution of organisation B with its contact person."""
    institution = _institution(world.org_b, "Jobcenter Betadorf", domain="work", kind="jobcenter")
    return institution, _contact(institution, "Bernd Betadorf", phone="030 1000")


# --- who may write ---------------------------------------------------------------


def _writes(world):
    """Every write of the network, each as a call with the acting user."""
    w = world
    return {
        "add an institution": lambda actor: services.save_institution(
            actor=actor,
            organisation=w.org_a,
            data={"name": "Caritas Alphastadt", "domain": "social", "kind": "other"},
        ),
        "change an institution": lambda actor: services.save_institution(
            actor=actor,
            organisation=w.org_a,
            data={"phone": "0341 999999"},
            institution=w.institution_a,
            version=w.institution_a.version,
        ),
        "add a contact": lambda actor: services.save_contact(
            actor=actor, institution=w.institution_a, data={"name": "Karl Kontakt"}
        ),
        "change a contact": lambda actor: services.save_contact(
            actor=actor,
            institution=w.institution_a,
            data={"phone": "0341 999999"},
            contact=w.contact_a,
        ),
        "add a committee": lambda actor: services.save_committee(
            actor=actor,
            organisation=w.org_a,
            data={"name": "AG Sprache", "kind": "working_group"},
        ),
        "add a member": lambda actor: services.add_member(
            actor=actor,
            committee=w.internal_committee_a,
            institution=w.institution_a,
            contact=None,
            role="member",
        ),
        "remove a member": lambda actor: services.remove_member(actor=actor, member=w.member_a),
        "save an agreement": lambda actor: services.save_agreement(
            actor=actor,
            organisation=w.org_a,
            data={"subject": "Neue Kooperation"},
            parties=[w.institution_a, w.institution_a],
            agreement=w.agreement_a,
        ),
        "record a meeting": lambda actor: services.record_meeting(
            actor=actor, committee=w.committee_a, data={"held_on": _today()}
        ),
        "change a meeting": lambda actor: services.update_meeting(
            actor=actor, meeting=w.network_meeting_a, data={"minutes": "Neu"}, version=1
        ),
        "add a goal": lambda actor: services.add_goal(
            actor=actor, meeting=w.network_meeting_a, text="Mehr Kursplätze"
        ),
        "add a measure": lambda actor: services.add_measure(
            actor=actor, meeting=w.network_meeting_a, draft=MeasureDraft(title="Flyer drucken")
        ),
        "record progress": lambda actor: services.update_measure(
            actor=actor, measure=w.measure_a, status="done", version=1
        ),
        "add a step": lambda actor: services.save_step(
            actor=actor, organisation=w.org_a, data={"name": "Wohnen"}
        ),
        "set a responsibility": lambda actor: services.set_responsibility(
            actor=actor, step=w.step_a, institution=w.institution_a, how_to_reach="Mo 9–12"
        ),
        "remove a responsibility": lambda actor: services.remove_responsibility(
            actor=actor, responsibility=w.responsibility_a
        ),
        "issue the interface paper": lambda actor: services.issue_interface_paper(
            actor=actor, organisation=w.org_a, title="Schnittstellenpapier"
        ),
        "save an offer": lambda actor: services.save_offer(
            actor=actor,
            organisation=w.org_a,
            data={"title": "Sprachcafé", "area": "language", "provider": w.institution_a},
        ),
        "record a need": lambda actor: services.record_need(
            actor=actor,
            organisation=w.org_a,
            area="housing",
            target_group="Familien",
            count=4,
        ),
        "delete a need": lambda actor: services.delete_need(actor=actor, entry=w.need_a),
    }


@pytest.mark.parametrize("who", ["cora", "vera", "pia", "carol"])
def test_only_a_network_manager_of_the_organisation_may_write(world, who):
    """A caseworker, a viewer, a partner and another organisation's
    coordinator are refused every write, and nothing is written."""
    actor = acting(getattr(world, who))
    before = _counts()
    allowed = []
    for name, write in _writes(world).items():
        try:
            write(actor)
        except NotPermitted as refusal:
            assert refusal.message == "You may not change the network's records."
        else:
            allowed.append(name)
    assert allowed == []
    assert _counts() == before
    assert Institution.objects.get(pk=world.institution_a.pk).phone == "0341 100200"
    assert ContactPerson.objects.get(pk=world.contact_a.pk).phone == "0341 100201"
    assert AgreedMeasure.objects.get(pk=world.measure_a.pk).status == MeasureStatus.OPEN


def test_the_coordinator_and_the_administrator_may_write(world):
    for user in (world.alice, world.ada):
        services.record_need(
            actor=acting(user),
            organisation=world.org_a,
            area="housing",
            target_group="Familien",
            count=2,
        )
    assert NeedsEntry.objects.filter(area="housing").count() == 2


def _uses_of_another_organisations_institution(world, institution, contact):
    w = world
    return {
        "as a committee member": lambda actor: services.add_member(
            actor=actor,
            committee=w.committee_a,
            institution=institution,
            contact=None,
            role="member",
        ),
        "with its contact as a committee member": lambda actor: services.add_member(
            actor=actor,
            committee=w.committee_a,
            institution=w.institution_a,
            contact=contact,
            role="member",
        ),
        "as a party to an agreement": lambda actor: services.save_agreement(
            actor=actor,
            organisation=w.org_a,
            data={"subject": "Grenzüberschreitend"},
            parties=[w.institution_a, institution],
        ),
        "as a participant of a meeting": lambda actor: services.record_meeting(
            actor=actor,
            committee=w.committee_a,
            data={"held_on": _today()},
            participants=[Participant(institution, None, True)],
        ),
        "as responsible for a measure": lambda actor: services.add_measure(
            actor=actor,
            meeting=w.network_meeting_a,
            draft=MeasureDraft(title="Anrufen", institution=institution),
        ),
        "as responsible for a step": lambda actor: services.set_responsibility(
            actor=actor, step=w.step_a, institution=institution
        ),
        "as the provider of an offer": lambda actor: services.save_offer(
            actor=actor,
            organisation=w.org_a,
            data={"title": "Sprachcafé", "area": "language", "provider": institution},
        ),
    }


@pytest.mark.parametrize(
    "use",
    [
        "as a committee member",
        "with its contact as a committee member",
        "as a party to an agreement",
        "as a participant of a meeting",
        "as responsible for a measure",
        "as responsible for a step",
        "as the provider of an offer",
    ],
)
def test_another_organisations_institution_cannot_be_used(world, elsewhere, use):
    institution, contact = elsewhere
    before = _counts()
    call = _uses_of_another_organisations_institution(world, institution, contact)[use]
    with pytest.raises(InvalidInput, match="That record belongs to another organisation"):
        call(acting(world.alice))
    assert _counts() == before


# --- institutions and contact persons -----------------------------------------------


def test_adding_an_institution_records_the_field_names_only(world):
    institution = services.save_institution(
        actor=acting(world.alice),
        organisation=world.org_a,
        data={
            "name": "Volkshochschule Alphastadt",
            "domain": "education",
            "kind": "adult_education_centre",
            "town": "Alphastadt",
            "phone": "0341 300400",
            "cooperates": False,  # the default: not a change
        },
    )

    institution.refresh_from_db()
    assert (institution.organisation, institution.name, institution.town) == (
        world.org_a,
        "Volkshochschule Alphastadt",
        "Alphastadt",
    )
    assert institution.version == 1
    (entry,) = _entries("lotse.institution.created")
    assert entry.actor == world.alice
    assert entry.organisation == world.org_a
    assert entry.target_id == str(institution.pk)
    assert entry.changed_fields == ["domain", "kind", "name", "phone", "town"]
    stored = str(model_to_dict(entry))
    for value in ("Volkshochschule", "Alphastadt", "0341 300400"):
        assert value not in stored


def test_changing_an_institution_bumps_its_version_and_names_the_changes(world):
    institution = world.institution_a
    saved = services.save_institution(
        actor=acting(world.alice),
        organisation=world.org_a,
        data={"name": institution.name, "phone": "0341 999999", "town": "Alphastadt"},
        institution=institution,
        version=1,
    )

    assert saved.version == 2
    stored = Institution.objects.get(pk=institution.pk)
    assert (stored.version, stored.phone, stored.town) == (2, "0341 999999", "Alphastadt")
    (entry,) = _entries("lotse.institution.changed")
    assert entry.changed_fields == ["phone", "town"]
    assert entry.target_id == str(institution.pk)
    assert "0341 999999" not in str(model_to_dict(entry))


def test_saving_an_institution_unchanged_writes_nothing(world):
    institution = world.institution_a
    saved = services.save_institution(
        actor=acting(world.alice),
        organisation=world.org_a,
        data={"name": institution.name, "phone": institution.phone},
        institution=institution,
        version=1,
    )
    assert saved.version == 1
    assert Institution.objects.get(pk=institution.pk).version == 1
    assert not AuditEntry.objects.exists()


def test_a_stale_version_is_a_conflict_and_saves_nothing(world):
    alice = acting(world.alice)
    services.save_institution(
        actor=alice,
        organisation=world.org_a,
        data={"phone": "0341 111111"},
        institution=world.institution_a,
        version=1,
    )

    with pytest.raises(Conflict, match="Someone else changed this record"):
        services.save_institution(
            actor=alice,
            organisation=world.org_a,
            data={"phone": "0341 222222", "town": "Betadorf"},
            institution=world.institution_a,
            version=1,
        )

    stored = Institution.objects.get(pk=world.institution_a.pk)
    assert (stored.version, stored.phone, stored.town) == (2, "0341 111111", "")
    assert len(_entries("lotse.institution.changed")) == 1


def test_a_duplicate_institution_name_is_explained(world, vhs):
    alice = acting(world.alice)
    with pytest.raises(InvalidInput) as new:
        services.save_institution(
            actor=alice,
            organisation=world.org_a,
            data={"name": "Jobcenter Alphastadt", "domain": "work", "kind": "jobcenter"},
        )
    assert new.value.message == "An institution of this name is already in the network."
    assert Institution.objects.filter(name="Jobcenter Alphastadt").count() == 1

    institution, _contact = vhs
    with pytest.raises(InvalidInput, match="already in the network"):
        services.save_institution(
            actor=alice,
            organisation=world.org_a,
            data={"name": "Jobcenter Alphastadt"},
            institution=institution,
            version=1,
        )
    stored = Institution.objects.get(pk=institution.pk)
    assert (stored.name, stored.version) == ("Volkshochschule Alphastadt", 1)
    assert not AuditEntry.objects.exists()


def test_another_organisation_may_use_the_same_name(world):
    institution = services.save_institution(
        actor=acting(world.carol),
        organisation=world.org_b,
        data={"name": "Jobcenter Alphastadt", "domain": "work", "kind": "jobcenter"},
    )
    assert institution.organisation == world.org_b


def test_a_contact_person_is_added_and_changed(world):
    alice = acting(world.alice)
    contact = services.save_contact(
        actor=alice,
        institution=world.institution_a,
        data={"name": "Karl Kontakt", "function": "Arbeitsvermittlung", "phone": "0341 100210"},
    )

    contact.refresh_from_db()
    assert (contact.organisation, contact.institution) == (world.org_a, world.institution_a)
    assert (contact.name, contact.function, contact.is_active) == (
        "Karl Kontakt",
        "Arbeitsvermittlung",
        True,
    )
    (entry,) = _entries("lotse.institution.contact_saved")
    assert entry.target_id == str(world.institution_a.pk)
    assert entry.changed_fields == ["function", "name", "phone"]
    assert "Karl" not in str(model_to_dict(entry))

    services.save_contact(
        actor=alice,
        institution=world.institution_a,
        data={"name": "Karl Kontakt", "phone": "0341 100299", "is_active": False},
        contact=contact,
    )
    contact.refresh_from_db()
    assert (contact.phone, contact.is_active) == ("0341 100299", False)
    assert _entries("lotse.institution.contact_saved")[-1].changed_fields == [
        "is_active",
        "phone",
    ]


def test_a_contact_person_stays_at_their_institution(world, vhs):
    institution, _contact = vhs
    with pytest.raises(InvalidInput, match="The person must work at the institution chosen"):
        services.save_contact(
            actor=acting(world.alice),
            institution=institution,
            data={"phone": "1"},
            contact=world.contact_a,
        )
    assert ContactPerson.objects.get(pk=world.contact_a.pk).phone == "0341 100201"


# --- committees --------------------------------------------------------------------


def test_a_duplicate_committee_name_is_explained(world):
    with pytest.raises(InvalidInput, match="A committee of this name exists already"):
        services.save_committee(
            actor=acting(world.alice),
            organisation=world.org_a,
            data={"name": world.committee_a.name, "kind": "forum"},
        )
    assert Committee.objects.filter(name=world.committee_a.name).count() == 1


def test_a_member_is_added_once_with_a_contact(world):
    alice = acting(world.alice)
    with pytest.raises(InvalidInput) as twice:
        services.add_member(
            actor=alice,
            committee=world.committee_a,
            institution=world.institution_a,
            contact=world.contact_a,
            role="chair",
        )
    assert twice.value.message == "They are a member of this committee already."
    assert list(CommitteeMember.objects.filter(committee=world.committee_a)) == [world.member_a]
    assert not AuditEntry.objects.exists()


def test_a_member_is_added_once_without_a_contact(world):
    alice = acting(world.alice)
    first = services.add_member(
        actor=alice,
        committee=world.internal_committee_a,
        institution=world.institution_a,
        contact=None,
        role="member",
    )
    assert (first.committee, first.institution, first.contact) == (
        world.internal_committee_a,
        world.institution_a,
        None,
    )
    (entry,) = _entries("lotse.committee.members_changed")
    assert entry.changed_fields == ["members"]

    with pytest.raises(InvalidInput, match="They are a member of this committee already"):
        services.add_member(
            actor=alice,
            committee=world.internal_committee_a,
            institution=world.institution_a,
            contact=None,
            role="guest",
        )
    assert list(CommitteeMember.objects.filter(committee=world.internal_committee_a)) == [first]


def test_a_member_whose_person_works_elsewhere_is_refused(world, vhs):
    _institution, contact = vhs
    with pytest.raises(InvalidInput, match="The person must work at the institution chosen"):
        services.add_member(
            actor=acting(world.alice),
            committee=world.internal_committee_a,
            institution=world.institution_a,
            contact=contact,
            role="member",
        )
    assert not CommitteeMember.objects.filter(committee=world.internal_committee_a).exists()


# --- meetings, goals and measures ---------------------------------------------------------


def _meeting(world, vhs, **options):
    institution, contact = vhs
    values = {
        "data": {"held_on": _today(), "place": "Rathaus, Raum 2", "minutes": "Gut besucht."},
        "participants": [
            Participant(world.institution_a, world.contact_a, True),
            Participant(institution, contact, False),
        ],
        "goals": ["Mehr Sprachkursplätze", "   ", " Kinderbetreuung während der Kurse "],
        "measures": [
            MeasureDraft(
                title="Kursplätze zählen ",
                institution=institution,
                contact=contact,
                due_on=_today() + _days(14),
                goal="Mehr Sprachkursplätze",
            ),
            MeasureDraft(
                title="Kita-Träger anfragen",
                institution=world.institution_a,
                goal="Kinderbetreuung während der Kurse",
            ),
            MeasureDraft(title="Flyer drucken", goal="Ein Ziel, das es nicht gibt"),
        ],
    } | options
    return services.record_meeting(actor=acting(world.alice), committee=world.committee_a, **values)


def test_a_meeting_is_recorded_with_attendance_goals_and_measures(world, vhs):
    institution, contact = vhs

    meeting = _meeting(world, vhs)

    meeting.refresh_from_db()
    assert (meeting.committee, meeting.organisation, meeting.place) == (
        world.committee_a,
        world.org_a,
        "Rathaus, Raum 2",
    )
    assert {(row.institution, row.contact, row.present) for row in meeting.attendance.all()} == {
        (world.institution_a, world.contact_a, True),
        (institution, contact, False),
    }
    assert all(row.organisation == world.org_a for row in meeting.attendance.all())
    goals = {goal.text: goal for goal in meeting.goals.all()}
    assert list(goals) == ["Mehr Sprachkursplätze", "Kinderbetreuung während der Kurse"]
    measures = {measure.title: measure for measure in meeting.measures.all()}
    assert set(measures) == {"Kursplätze zählen", "Kita-Träger anfragen", "Flyer drucken"}
    counted = measures["Kursplätze zählen"]
    assert (counted.goal, counted.institution, counted.contact, counted.due_on) == (
        goals["Mehr Sprachkursplätze"],
        institution,
        contact,
        _today() + _days(14),
    )
    assert measures["Kita-Träger anfragen"].goal == goals["Kinderbetreuung während der Kurse"]
    assert measures["Flyer drucken"].goal is None
    assert {measure.status for measure in measures.values()} == {MeasureStatus.OPEN}
    (entry,) = _entries("lotse.network_meeting.recorded")
    assert entry.target_id == str(meeting.pk)
    assert {"attendance", "goals", "held_on"} <= set(entry.changed_fields)
    assert sorted(e.target_id for e in _entries("lotse.measure.agreed")) == sorted(
        str(measure.pk) for measure in measures.values()
    )


def test_a_measure_whose_person_works_elsewhere_saves_no_part_of_the_meeting(world, vhs):
    _institution, contact = vhs
    before = _counts()
    wrong = MeasureDraft(title="Anrufen", institution=world.institution_a, contact=contact)

    with pytest.raises(InvalidInput, match="The person must work at the institution chosen"):
        _meeting(world, vhs, measures=[MeasureDraft(title="Flyer drucken"), wrong])

    assert _counts() == before


def test_a_measure_without_a_title_saves_no_part_of_the_meeting(world, vhs):
    before = _counts()
    with pytest.raises(InvalidInput, match="Say what is to be done"):
        _meeting(world, vhs, measures=[MeasureDraft(title="  ", institution=world.institution_a)])
    assert _counts() == before


def test_a_meeting_is_saved_in_one_transaction(world, vhs, monkeypatch):
    """When the second measure fails to be written, the meeting, its
    attendance, goals and first measure are gone as well."""
    create = services._create_measure
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return create(*args, **kwargs)

    monkeypatch.setattr(services, "_create_measure", failing)
    before = _counts()

    with pytest.raises(RuntimeError):
        _meeting(world, vhs)

    assert len(calls) == 2
    assert _counts() == before


def test_a_goal_of_another_meeting_cannot_be_used(world):
    alice = acting(world.alice)
    goal = services.add_goal(actor=alice, meeting=world.internal_meeting_a, text=" Intern ")
    assert goal.text == "Intern"
    with pytest.raises(InvalidInput, match="The goal must be one of this meeting's"):
        services.add_measure(
            actor=alice,
            meeting=world.network_meeting_a,
            draft=MeasureDraft(title="Anrufen"),
            goal=goal,
        )
    assert list(world.network_meeting_a.measures.all()) == [world.measure_a]


def test_an_empty_goal_is_refused(world):
    with pytest.raises(InvalidInput, match="Write the goal"):
        services.add_goal(actor=acting(world.alice), meeting=world.network_meeting_a, text="  ")
    assert not SharedGoal.objects.exists()


def test_a_measure_done_gets_its_date_and_a_progress_note(world):
    day = _today() - _days(2)

    measure = services.update_measure(
        actor=acting(world.alice),
        measure=world.measure_a,
        status=MeasureStatus.DONE,
        note="  Sprechstunde läuft dienstags. ",
        version=1,
        today=day,
    )

    stored = AgreedMeasure.objects.get(pk=world.measure_a.pk)
    assert (stored.status, stored.done_on, stored.version) == (MeasureStatus.DONE, day, 2)
    assert measure.version == 2
    (update,) = stored.updates.all()
    assert (update.status, update.note, update.written_by) == (
        MeasureStatus.DONE,
        "Sprechstunde läuft dienstags.",
        world.alice,
    )
    (entry,) = _entries("lotse.measure.updated")
    assert entry.changed_fields == ["done_on", "note", "status"]
    assert "dienstags" not in str(model_to_dict(entry))


def test_a_measure_done_again_needs_a_note(world):
    alice = acting(world.alice)
    day = _today() - _days(2)
    done = services.update_measure(
        actor=alice, measure=world.measure_a, status="done", version=1, today=day
    )

    with pytest.raises(InvalidInput, match="Change the status or write a progress note"):
        services.update_measure(
            actor=alice, measure=done, status="done", note="  ", version=done.version
        )
    assert MeasureUpdate.objects.filter(measure=world.measure_a).count() == 1

    noted = services.update_measure(
        actor=alice, measure=done, status="done", note="Gut angenommen", version=done.version
    )
    assert (noted.done_on, noted.version) == (day, 3)  # the day it was done stays
    assert MeasureUpdate.objects.filter(measure=world.measure_a).count() == 2
    assert _entries("lotse.measure.updated")[-1].changed_fields == ["note"]


def test_a_measure_back_in_progress_loses_its_done_date(world):
    alice = acting(world.alice)
    done = services.update_measure(actor=alice, measure=world.measure_a, status="done", version=1)
    assert done.done_on == _today()

    again = services.update_measure(
        actor=alice, measure=done, status="in_progress", note="Doch nicht", version=done.version
    )

    stored = AgreedMeasure.objects.get(pk=world.measure_a.pk)
    assert (stored.status, stored.done_on) == (MeasureStatus.IN_PROGRESS, None)
    assert again.done_on is None
    assert [u.status for u in stored.updates.order_by("pk")] == ["done", "in_progress"]


def test_progress_on_a_stale_measure_is_a_conflict(world):
    alice = acting(world.alice)
    services.update_measure(actor=alice, measure=world.measure_a, status="in_progress", version=1)
    with pytest.raises(Conflict):
        services.update_measure(actor=alice, measure=world.measure_a, status="done", version=1)
    stored = AgreedMeasure.objects.get(pk=world.measure_a.pk)
    assert (stored.status, stored.done_on, stored.version) == ("in_progress", None, 2)
    assert MeasureUpdate.objects.filter(measure=world.measure_a).count() == 1


def test_an_unknown_status_is_refused(world):
    with pytest.raises(InvalidInput, match="Choose a status"):
        services.update_measure(
            actor=acting(world.alice), measure=world.measure_a, status="finished", version=1
        )
    assert not MeasureUpdate.objects.exists()


# --- cooperation agreements ----------------------------------------------------------


def _agreement(world, parties, document=None, **data):
    return services.save_agreement(
        actor=acting(world.alice),
        organisation=world.org_a,
        data={"subject": "Kooperation Sprachförderung"} | data,
        parties=parties,
        document=document,
    )


def test_an_agreement_has_two_parties(world):
    with pytest.raises(InvalidInput, match="An agreement has at least two parties"):
        _agreement(world, [world.institution_a])
    assert CooperationAgreement.objects.count() == 1


def test_an_agreement_is_not_valid_until_before_it_was_signed(world, vhs):
    parties = [world.institution_a, vhs[0]]
    with pytest.raises(InvalidInput, match="It cannot be valid only until before it was signed"):
        _agreement(world, parties, signed_on=_today(), valid_until=_today() - _days(1), notes="x")
    assert CooperationAgreement.objects.count() == 1
    same_day = _agreement(world, parties, signed_on=_today(), valid_until=_today())
    assert set(same_day.parties.all()) == set(parties)


def test_an_agreement_stores_its_pdf(world, vhs, documents):
    upload = SimpleUploadedFile(
        "Vereinbarung Jobcenter.pdf", PDF, content_type="application/octet-stream"
    )

    agreement = _agreement(world, [world.institution_a, vhs[0]], upload, signed_on=_today())

    agreement.refresh_from_db()
    assert agreement.document_type == "application/pdf"
    name = agreement.document.name
    assert name.startswith("network/cooperationagreement/") and name.endswith(".pdf")
    assert "Jobcenter" not in name and "Vereinbarung" not in name
    assert (documents / name).read_bytes() == PDF
    (entry,) = _entries("lotse.cooperation_agreement.saved")
    assert {"document", "parties", "signed_on", "subject"} <= set(entry.changed_fields)


@pytest.mark.parametrize(
    ("name", "content"),
    [("setup.exe", EXE), ("vertrag.pdf", b"Just a text file, renamed."), ("scan.pdf", EXE)],
    ids=["exe", "text-as-pdf", "exe-as-pdf"],
)
def test_an_agreement_refuses_a_file_that_is_no_pdf_or_image(world, vhs, documents, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    with pytest.raises(ServiceError, match="Upload a PDF, JPEG or PNG file"):
        _agreement(world, [world.institution_a, vhs[0]], upload)
    assert CooperationAgreement.objects.count() == 1
    assert not AuditEntry.objects.exists()
    assert not documents.exists() or not any(path.is_file() for path in documents.rglob("*"))


def test_opening_an_agreements_document_is_in_the_audit_log(world, vhs, documents):
    agreement = _agreement(world, [world.institution_a, vhs[0]], SimpleUploadedFile("a.pdf", PDF))

    for reader in (world.alice, world.cora, world.pia):
        with services.open_agreement_document(actor=acting(reader), agreement=agreement) as f:
            assert f.read() == PDF

    entries = _entries("lotse.cooperation_agreement.document_read")
    assert [entry.actor for entry in entries] == [world.alice, world.cora, world.pia]
    assert {entry.target_id for entry in entries} == {str(agreement.pk)}
    with pytest.raises(NotPermitted, match="You may not read the network"):
        services.open_agreement_document(actor=acting(world.vera), agreement=agreement)
    with pytest.raises(NotPermitted):
        services.open_agreement_document(actor=acting(world.carol), agreement=agreement)
    with pytest.raises(InvalidInput, match="No document is stored"):
        services.open_agreement_document(actor=acting(world.alice), agreement=world.agreement_a)
    assert len(_entries("lotse.cooperation_agreement.document_read")) == 3


# --- responsibilities and the interface paper ----------------------------------------------


def test_a_responsibility_is_one_per_step_and_institution(world):
    alice = acting(world.alice)
    second = _contact(world.institution_a, "Jens Jobcenter", phone="0341 100202")

    changed = services.set_responsibility(
        actor=alice,
        step=world.step_a,
        institution=world.institution_a,
        contact=second,
        how_to_reach="  Di 9–12 ohne Termin ",
    )
    again = services.set_responsibility(
        actor=alice,
        step=world.step_a,
        institution=world.institution_a,
        contact=second,
        how_to_reach="Di 9–12 ohne Termin",
    )

    assert changed.pk == again.pk == world.responsibility_a.pk
    (stored,) = Responsibility.objects.filter(step=world.step_a, institution=world.institution_a)
    assert (stored.contact, stored.how_to_reach) == (second, "Di 9–12 ohne Termin")
    entries = _entries("lotse.responsibility.changed")
    assert len(entries) == 2 and entries[0].target_id == str(world.step_a.pk)


def test_a_responsibility_needs_a_person_of_the_institution(world, vhs):
    with pytest.raises(InvalidInput, match="The person must work at the institution chosen"):
        services.set_responsibility(
            actor=acting(world.alice),
            step=world.step_a,
            institution=world.institution_a,
            contact=vhs[1],
        )
    assert Responsibility.objects.get(pk=world.responsibility_a.pk).contact == world.contact_a


@pytest.fixture
def betadorf(world, elsewhere):
    """Organisation B with a step of its own and nobody responsible yet."""
    step = IntegrationStep.objects.create(organisation=world.org_b, name="Erstorientierung")
    return step, *elsewhere


def test_nothing_to_issue_while_nobody_is_responsible(world, betadorf):
    with pytest.raises(InvalidInput, match="No institution is responsible for any step yet"):
        services.issue_interface_paper(
            actor=acting(world.carol), organisation=world.org_b, title="Papier"
        )
    assert not InterfacePaper.objects.filter(organisation=world.org_b).exists()
    assert not AuditEntry.objects.exists()


def test_interface_papers_are_numbered_per_organisation(world, betadorf):
    step, institution, contact = betadorf
    carol = acting(world.carol)
    services.set_responsibility(actor=carol, step=step, institution=institution, contact=contact)

    first = services.issue_interface_paper(
        actor=carol, organisation=world.org_b, title=" Schnittstellenpapier Betadorf "
    )
    second = services.issue_interface_paper(
        actor=carol, organisation=world.org_b, title="", note=" neue Kontaktperson "
    )
    in_a = services.issue_interface_paper(
        actor=acting(world.alice), organisation=world.org_a, title="Papier A"
    )

    assert (first.number, second.number) == (1, 2)
    assert in_a.number == 2  # organisation A had issued version 1 already
    assert (first.title, first.issued_by, first.issued_on) == (
        "Schnittstellenpapier Betadorf",
        world.carol,
        _today(),
    )
    assert (second.title, second.note) == ("Interface paper", "neue Kontaktperson")
    assert [e.target_id for e in _entries("lotse.interface_paper.issued")] == [
        str(first.pk),
        str(second.pk),
        str(in_a.pk),
    ]


def test_an_issued_version_keeps_the_matrix_of_its_day(world, betadorf):
    step, institution, contact = betadorf
    carol = acting(world.carol)
    services.set_responsibility(
        actor=carol, step=step, institution=institution, contact=contact, how_to_reach="Mo 9–12"
    )
    first = services.issue_interface_paper(actor=carol, organisation=world.org_b, title="P")

    services.save_contact(
        actor=carol, institution=institution, data={"phone": "030 2000"}, contact=contact
    )
    second = services.issue_interface_paper(actor=carol, organisation=world.org_b, title="P")

    row = {
        "institution": "Jobcenter Betadorf",
        "address": "",
        "contact": "Bernd Betadorf",
        "function": "",
        "phone": "030 1000",
        "email": "",
        "how_to_reach": "Mo 9–12",
    }
    first.refresh_from_db()
    assert first.matrix == [{"step": "Erstorientierung", "description": "", "rows": [row]}]
    second.refresh_from_db()
    assert second.matrix[0]["rows"][0]["phone"] == "030 2000"


def test_the_matrix_falls_back_to_the_institutions_phone(world, betadorf):
    step, institution, _contact = betadorf
    Institution.objects.filter(pk=institution.pk).update(phone="030 5000", email="info@jc.example")
    services.set_responsibility(actor=acting(world.carol), step=step, institution=institution)
    IntegrationStep.objects.create(organisation=world.org_b, name="Alt", is_active=False)

    (only,) = services.responsibility_matrix(world.org_b.pk)

    assert only["step"] == "Erstorientierung"
    assert (only["rows"][0]["contact"], only["rows"][0]["phone"], only["rows"][0]["email"]) == (
        "",
        "030 5000",
        "info@jc.example",
    )


def test_the_default_steps_are_created_once(world):
    services.ensure_default_steps(world.org_b)
    services.ensure_default_steps(world.org_b)

    steps = list(IntegrationStep.objects.filter(organisation=world.org_b))
    assert len(steps) == len(services.DEFAULT_STEPS) == 11
    assert [step.name for step in steps[:2]] == ["First orientation", "Integration course"]
    assert [step.position for step in steps] == list(range(10, 120, 10))
    # Organisation A has a step of its own: nothing is added there.
    services.ensure_default_steps(world.org_a)
    assert list(IntegrationStep.objects.filter(organisation=world.org_a)) == [world.step_a]


def test_a_new_step_goes_to_the_end(world):
    step = services.save_step(
        actor=acting(world.alice), organisation=world.org_a, data={"name": "Wohnen"}
    )
    assert step.position == world.step_a.position + 10
    with pytest.raises(InvalidInput, match="A step of this name exists already"):
        services.save_step(
            actor=acting(world.alice), organisation=world.org_a, data={"name": "Wohnen"}
        )


# --- offers and needs ---------------------------------------------------------------


def test_an_offer_is_added(world, vhs):
    offer = services.save_offer(
        actor=acting(world.alice),
        organisation=world.org_a,
        data={
            "title": "Sprachcafé",
            "area": "language",
            "provider": vhs[0],
            "site": world.site_a1,
            "languages": ["deu", "ara"],
            "capacity": 12,
        },
    )
    offer.refresh_from_db()
    assert (offer.organisation, offer.provider, offer.site, offer.languages) == (
        world.org_a,
        vhs[0],
        world.site_a1,
        ["deu", "ara"],
    )
    (entry,) = _entries("lotse.offer.saved")
    assert entry.changed_fields == ["area", "capacity", "languages", "provider", "site", "title"]


def test_an_offer_is_changed(world):
    services.save_offer(
        actor=acting(world.alice),
        organisation=world.org_a,
        data={"capacity": 25, "provider": world.institution_a},
        offer=world.offer_a,
    )
    assert Offer.objects.get(pk=world.offer_a.pk).capacity == 25
    assert _entries("lotse.offer.saved")[0].changed_fields == ["capacity"]


def test_an_offer_does_not_end_before_it_starts(world):
    with pytest.raises(InvalidInput, match="The offer cannot end before it starts"):
        services.save_offer(
            actor=acting(world.alice),
            organisation=world.org_a,
            data={
                "title": "Sprachcafé",
                "area": "language",
                "provider": world.institution_a,
                "starts_on": _today(),
                "ends_on": _today() - _days(1),
            },
        )
    assert list(Offer.objects.all()) == [world.offer_a]


@pytest.mark.parametrize("count", [0, -3])
def test_a_need_counts_at_least_one_person(world, count):
    with pytest.raises(InvalidInput, match="Count at least one person"):
        services.record_need(
            actor=acting(world.alice),
            organisation=world.org_a,
            area="housing",
            target_group="Familien",
            count=count,
        )
    assert list(NeedsEntry.objects.all()) == [world.need_a]


def test_a_need_is_recorded_and_deleted(world):
    alice = acting(world.alice)
    entry = services.record_need(
        actor=alice,
        organisation=world.org_a,
        area="housing",
        target_group="  Familien mit Kindern ",
        count=7,
        source=" Umfrage ",
    )
    entry.refresh_from_db()
    assert (entry.target_group, entry.source, entry.count) == ("Familien mit Kindern", "Umfrage", 7)
    assert (entry.recorded_on, entry.recorded_by) == (_today(), world.alice)

    pk = entry.pk
    services.delete_need(actor=alice, entry=entry)

    assert not NeedsEntry.objects.filter(pk=pk).exists()
    assert [e.target_id for e in _entries("lotse.need.deleted")] == [str(pk)]


# --- what partners see -----------------------------------------------------------------


@pytest.fixture
def pia(world):
    world.pia.membership = Membership.objects.get(user=world.pia)
    return world.pia


def test_a_partner_does_not_see_the_internal_committee(world, pia):
    internal_measure = AgreedMeasure.objects.create(
        organisation=world.org_a, meeting=world.internal_meeting_a, title="Intern prüfen"
    )

    assert list(Committee.objects.visible_to(pia)) == [world.committee_a]
    assert list(NetworkMeeting.objects.visible_to(pia)) == [world.network_meeting_a]
    assert list(AgreedMeasure.objects.visible_to(pia)) == [world.measure_a]
    # The staff see both.
    alice = acting(world.alice)
    assert set(Committee.objects.visible_to(alice)) == {
        world.committee_a,
        world.internal_committee_a,
    }
    assert internal_measure in AgreedMeasure.objects.visible_to(alice)


def test_a_partner_reads_the_networks_shared_records(world, pia):
    assert list(Institution.objects.visible_to(pia)) == [world.institution_a]
    assert list(ContactPerson.objects.visible_to(pia)) == [world.contact_a]
    assert list(Offer.objects.visible_to(pia)) == [world.offer_a]
    assert list(InterfacePaper.objects.visible_to(pia)) == [world.paper_a]


def test_a_partner_sees_no_people_and_no_tandems(world, pia):
    assert Person.objects.filter(organisation=world.org_a).exists()
    assert Tandem.objects.filter(organisation=world.org_a).exists()
    assert list(Person.objects.visible_to(pia)) == []
    assert list(Tandem.objects.visible_to(pia)) == []
    assert list(AuditEntry.objects.visible_to(pia)) == []


def test_another_organisation_sees_nothing_of_the_network(world):
    carol = acting(world.carol)
    assert not Committee.objects.visible_to(carol).exists()
    assert not Institution.objects.visible_to(carol).exists()
    assert not AgreedMeasure.objects.visible_to(carol).exists()
