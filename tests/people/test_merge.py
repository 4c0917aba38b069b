"""Merging duplicates: nothing of the duplicate is lost, and only those who may
merge both records can (services.merge_people and its two pages)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import AuditEntry
from lotse.people import services
from lotse.people.models import (
    Industry,
    Need,
    OccupationArea,
    ParticipantProfile,
    Person,
    PersonLanguage,
    PersonRole,
    PoolRole,
    Status,
    StatusChange,
    VolunteerProfile,
    WorkExperience,
)

from ..factories import MembershipFactory, PersonFactory

SENTINEL = "SENSITIVE-SENTINEL"


def acting(user):
    user.membership = Membership.objects.get(user=user)
    return user


def _history(person_role, *steps, by=None):
    for from_status, to_status in steps:
        StatusChange.objects.create(
            organisation=person_role.organisation,
            person_role=person_role,
            from_status=from_status,
            to_status=to_status,
            changed_by=by,
        )


def _merge(actor, keep, other, **versions):
    return services.merge_people(
        actor=acting(actor),
        keep=keep,
        other=other,
        version_keep=versions.get("version_keep", keep.version),
        version_other=versions.get("version_other", other.version),
    )


@pytest.fixture
def duplicate(world):
    """A second record of Amira Haddad (person_a1), typed in at the same site
    with other details: another role, languages, experience and profiles."""
    keep = world.person_a1
    keep.municipality = "Bruchsal"
    keep.notes = "Kam über die Beratungsstelle."
    keep.qualifications = "Pflegehelferin"
    keep.save()
    _history(keep.roles.get(), ("", Status.INTERESTED), (Status.INTERESTED, Status.ACTIVE))
    PersonLanguage.objects.create(person=keep, language="ara", level="B1")
    needs = list(Need.objects.filter(organisation=world.org_a).order_by("pk")[:2])
    ParticipantProfile.objects.create(person=keep, wishes="Pflege").needs.set(needs[:1])

    other = PersonFactory(
        organisation=world.org_a,
        site=world.site_a1,
        given_name="Amira",
        family_name="Haddad",
        email="amira.haddad@example.org",
        phone="+49721123456",
        street="Hauptstraße 1",
        postal_code="76133",
        municipality="Karlsruhe",
        notes="Sucht Arbeit in der Pflege.",
        qualifications="Pflegehelferin",
    )
    _history(other.roles.get(), ("", Status.INTERESTED), (Status.INTERESTED, Status.PAUSED))
    volunteer = PersonRole.objects.create(
        organisation=world.org_a, person=other, role=PoolRole.VOLUNTEER, status=Status.ONBOARDING
    )
    _history(volunteer, ("", Status.ONBOARDING))
    PersonLanguage.objects.create(person=other, language="ara", level="native")
    PersonLanguage.objects.create(person=other, language="deu", level="A2")
    WorkExperience.objects.create(
        person=other,
        occupation_area=OccupationArea.objects.order_by("code").first(),
        industry=Industry.objects.order_by("code").first(),
        years=4,
    )
    ParticipantProfile.objects.create(
        person=other, wishes="Ausbildung", mentor_language="deu"
    ).needs.set(needs)
    VolunteerProfile.objects.create(person=other, capacity=2)
    other.refresh_from_db()
    return keep, other


def test_everything_of_the_duplicate_moves_to_the_kept_record(world, duplicate):
    keep, other = duplicate
    other_pk, volunteer_pk = other.pk, other.roles.get(role=PoolRole.VOLUNTEER).pk
    merged = _merge(world.alice, keep, other)

    assert not Person.objects.filter(pk=other_pk).exists()
    assert merged.version == keep.version + 1
    # Roles: the shared one keeps its status and gains the other's history;
    # the other's own role moved over with its history.
    participant = merged.roles.get(role=PoolRole.PARTICIPANT)
    assert participant.status == Status.ACTIVE
    assert sorted(participant.changes.values_list("to_status", flat=True)) == sorted(
        ["interested", "active", "interested", "paused"]
    )
    volunteer = merged.roles.get(role=PoolRole.VOLUNTEER)
    assert volunteer.pk == volunteer_pk
    assert list(volunteer.changes.values_list("to_status", flat=True)) == ["onboarding"]
    # Languages: the union, the higher level where both speak it.
    assert dict(merged.languages.values_list("language", "level")) == {
        "ara": "native",
        "deu": "A2",
    }
    assert merged.experience.get().years == 4
    # Profiles: the participant profile is the kept one, with the needs of both
    # and the empty wish filled; the volunteer profile moved as it was.
    profile = ParticipantProfile.objects.get(person=merged)
    assert profile.needs.count() == 2
    assert profile.mentor_language == "deu"
    assert profile.wishes == f"Pflege{services.MERGE_SEPARATOR}Ausbildung"
    assert VolunteerProfile.objects.get(person=merged).capacity == 2
    assert ParticipantProfile.objects.count() == 1


def test_the_kept_values_win_and_only_empty_fields_are_filled(world, duplicate):
    keep, other = duplicate
    merged = _merge(world.alice, keep, other)
    merged.refresh_from_db()
    assert (merged.email, merged.phone) == ("amira.haddad@example.org", "+49721123456")
    # The kept record has a municipality: its address is not mixed with the other's.
    assert (merged.street, merged.postal_code, merged.municipality) == ("", "", "Bruchsal")
    assert merged.notes == (
        f"Kam über die Beratungsstelle.{services.MERGE_SEPARATOR}Sucht Arbeit in der Pflege."
    )
    assert merged.qualifications == "Pflegehelferin"  # the same text is not added twice
    assert "amira.haddad@example.org" in merged.search_text
    entry = AuditEntry.objects.get(action=services.PERSON_MERGED)
    assert "qualifications" not in entry.changed_fields
    assert "street" not in entry.changed_fields


def test_the_merge_is_audited_with_field_names_and_the_old_entries_stay(world, duplicate):
    keep, other = duplicate
    services.record_view(actor=acting(world.alice), person=other)
    other_pk = str(other.pk)
    _merge(world.ada, keep, other)
    person_type = ContentType.objects.get_for_model(Person)
    entry = AuditEntry.objects.get(action=services.PERSON_MERGED)
    assert (entry.actor, entry.target_id) == (world.ada, str(keep.pk))
    assert {"roles", "languages", "experience", "email", "phone", "volunteer"} <= set(
        entry.changed_fields
    )
    assert "amira.haddad@example.org" not in str(entry.changed_fields)
    trail = AuditEntry.objects.filter(target_type=person_type, target_id=other_pk)
    assert set(trail.values_list("action", flat=True)) == {
        services.PERSON_VIEWED,
        services.PERSON_MERGED_AWAY,
    }


def test_a_stale_version_of_either_record_refuses_the_merge(world, duplicate):
    keep, other = duplicate
    with pytest.raises(Conflict):
        _merge(world.alice, keep, other, version_keep=keep.version - 1)
    with pytest.raises(Conflict):
        _merge(world.alice, keep, other, version_other=other.version + 1)
    assert Person.objects.filter(pk=other.pk).exists()
    assert keep.languages.count() == 1
    assert not AuditEntry.objects.filter(action=services.PERSON_MERGED).exists()


def test_sensitive_notes_the_actor_may_not_see_stop_the_merge(world):
    keep, other = world.person_a1, world.person_a2  # person_a2 has sensitive notes
    with pytest.raises(ServiceError) as refused:
        _merge(world.alice, keep, other)
    assert type(refused.value) is ServiceError  # not a permission or version problem
    assert Person.objects.filter(pk=other.pk).exists()


def test_with_the_grant_sensitive_notes_are_appended(world):
    Membership.objects.filter(user=world.alice).update(sensitive_data=True)
    keep, other = world.person_a1, world.person_a2
    keep.sensitive_notes = "Gesundheit: Allergie"
    keep.save()
    merged = _merge(world.alice, keep, other)
    merged.refresh_from_db()
    assert merged.sensitive_notes == (
        f"Gesundheit: Allergie{services.MERGE_SEPARATOR}{SENTINEL} Aufenthaltsstatus"
    )
    entry = AuditEntry.objects.get(action=services.PERSON_MERGED)
    assert "sensitive_notes" in entry.changed_fields
    assert SENTINEL not in str(entry.changed_fields)


def test_an_entry_that_may_exist_once_refuses_the_merge_and_names_it(world, duplicate, monkeypatch):
    """Treat the languages as another app's rows: both records speak Arabic, and
    (person, language) is unique, so re-pointing would lose one of them."""
    keep, other = duplicate
    own = tuple(m for m in services._OWN_MODELS if m is not PersonLanguage)
    monkeypatch.setattr(services, "_OWN_MODELS", own)
    with pytest.raises(ServiceError, match=str(PersonLanguage._meta.verbose_name)):
        _merge(world.alice, keep, other)
    assert Person.objects.filter(pk=other.pk).exists()
    assert other.languages.count() == 2
    assert keep.roles.count() == 1


def test_rows_of_other_apps_are_re_pointed_generically(world, duplicate, monkeypatch):
    """Work experience stands in for a model of an app above people: no
    unique constraint, so every row moves by the generic path."""
    keep, other = duplicate
    row = other.experience.get()
    own = tuple(m for m in services._OWN_MODELS if m is not WorkExperience)
    monkeypatch.setattr(services, "_OWN_MODELS", own)
    monkeypatch.setattr(services, "_merge_experience", lambda keep, other: False)
    _merge(world.alice, keep, other)
    row.refresh_from_db()
    assert row.person_id == keep.pk
    entry = AuditEntry.objects.get(action=services.PERSON_MERGED)
    assert "people.workexperience" in entry.changed_fields


def test_registrations_for_the_same_event_refuse_the_merge(world, duplicate):
    from lotse.programmes.models import Event, Registration

    keep, other = duplicate  # keep (person_a1) is registered for world.event_a
    start = timezone.now() + datetime.timedelta(days=14)
    workshop = Event.objects.create(
        organisation=world.org_a,
        site=world.site_a1,
        kind="workshop",
        title="Werkstatt",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    for event in (world.event_a, workshop):
        Registration.objects.create(
            organisation=world.org_a, event=event, person=other, status="registered"
        )
    # The confirmation says so before anyone clicks, and the merge is refused.
    obstacles = services.merge_obstacles(actor=acting(world.alice), keep=keep, other=other)
    assert [str(Registration._meta.verbose_name) in problem for problem in obstacles] == [True]
    with pytest.raises(ServiceError, match=str(Registration._meta.verbose_name)):
        _merge(world.alice, keep, other)
    assert Registration.objects.filter(person=other).count() == 2

    Registration.objects.filter(person=other, event=world.event_a).delete()
    _merge(world.alice, keep, Person.objects.get(pk=other.pk))
    assert set(Registration.objects.filter(person=keep).values_list("event", flat=True)) == {
        world.event_a.pk,
        workshop.pk,
    }


def test_enrolments_move_unless_both_hold_the_same_place(world, duplicate):
    from lotse.programmes import services as programmes
    from lotse.programmes.models import Enrolment, EnrolmentRole

    keep, other = duplicate  # keep (person_a1) is a mentee of world.programme_a
    mentor = programmes.enrol(
        actor=acting(world.ada),
        programme=world.programme_a,
        person=other,
        role=EnrolmentRole.MENTOR,
    )
    mentee = programmes.enrol(
        actor=acting(world.ada),
        programme=world.programme_a,
        person=other,
        role=EnrolmentRole.MENTEE,
    )
    with pytest.raises(ServiceError, match=str(Enrolment._meta.verbose_name)):
        _merge(world.alice, keep, Person.objects.get(pk=other.pk))
    mentee.delete()
    _merge(world.alice, keep, Person.objects.get(pk=other.pk))
    assert set(Enrolment.objects.filter(person=keep).values_list("pk", flat=True)) == {
        world.enrolment_a.pk,
        mentor.pk,
    }


def test_caseworkers_and_viewers_may_not_merge(world):
    other = PersonFactory(organisation=world.org_a, site=world.site_a2)
    for user in (world.cora, world.vera):
        with pytest.raises(NotPermitted):
            _merge(user, world.person_a2, other)
    assert Person.objects.filter(pk=other.pk).exists()


def test_a_coordinator_of_one_site_may_not_merge_a_record_of_another(world):
    coordinator = MembershipFactory(
        organisation=world.org_a, role=Role.COORDINATOR, sites=[world.site_a2]
    ).user
    other = PersonFactory(organisation=world.org_a, site=world.site_a2)
    with pytest.raises(NotPermitted):
        _merge(coordinator, world.person_a1, other)
    with pytest.raises(NotPermitted):
        _merge(coordinator, other, world.person_a1)


def test_records_of_two_organisations_or_one_record_cannot_be_merged(world):
    with pytest.raises(NotPermitted):
        _merge(world.ada, world.person_a1, world.person_b1)
    with pytest.raises(ServiceError):
        _merge(world.ada, world.person_a1, world.person_a1)
    assert Person.objects.filter(pk=world.person_b1.pk).exists()


# --- the pages ---------------------------------------------------------------


def test_the_person_page_offers_the_merge_to_coordinators_only(world, client_for):
    url = reverse("people:person_merge", args=[world.person_a2.pk])
    alice = client_for(world.alice).get(reverse("people:person_detail", args=[world.person_a2.pk]))
    cora = client_for(world.cora).get(reverse("people:person_detail", args=[world.person_a2.pk]))
    assert url in alice.content.decode()
    assert url not in cora.content.decode()
    assert client_for(world.cora).get(url).status_code == 403


def test_the_merge_page_offers_visible_duplicates_and_finds_others_by_name(world, client_for):
    world.person_a1.email = "amira@example.org"
    world.person_a1.save()
    same_site = PersonFactory(
        organisation=world.org_a, site=world.site_a1, given_name="A.", email="amira@example.org"
    )
    other_site = PersonFactory(
        organisation=world.org_a, site=world.site_a2, given_name="Zeynep", email="amira@example.org"
    )
    coordinator = MembershipFactory(
        organisation=world.org_a, role=Role.COORDINATOR, sites=[world.site_a1]
    ).user
    url = reverse("people:person_merge", args=[world.person_a1.pk])
    response = client_for(coordinator).get(url)
    assert list(response.context["duplicates"]) == [same_site]
    assert response.context["found"] is None
    assert other_site.given_name not in response.content.decode()

    found = client_for(coordinator).get(url, {"q": "haddad"}).context["found"]
    assert found == []  # only the record itself is called Haddad
    found = client_for(world.alice).get(url, {"q": "nachname"}).context["found"]
    assert world.person_a1 not in found
    assert {p.pk for p in found} == {same_site.pk, other_site.pk}
    assert client_for(world.alice).get(url, {"q": "bondarenko"}).context["found"] == [
        world.person_a2
    ]


def test_other_sites_and_organisations_get_404_before_403(world, client_for):
    confirm = reverse("people:person_merge_confirm", args=[world.person_a1.pk, world.person_a2.pk])
    versions = {"version_keep": 1, "version_other": 1}
    cora = client_for(world.cora)  # site A2 only: person_a1 does not exist for her
    assert cora.get(reverse("people:person_merge", args=[world.person_a1.pk])).status_code == 404
    assert cora.get(confirm).status_code == 404
    assert cora.post(confirm, versions).status_code == 404
    assert client_for(world.carol).post(confirm, versions).status_code == 404
    assert client_for(world.vera).post(confirm, versions).status_code == 403
    assert Person.objects.filter(pk=world.person_a2.pk).exists()


def test_the_confirmation_shows_both_records_but_no_sensitive_notes(world, client_for):
    confirm = reverse("people:person_merge_confirm", args=[world.person_a1.pk, world.person_a2.pk])
    response = client_for(world.alice).get(confirm)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Haddad" in content and "Bondarenko" in content
    assert SENTINEL not in content
    # alice lacks the grant: the merge is explained as impossible, not offered.
    assert response.context["obstacles"]
    assert 'name="version_keep"' not in content
    response = client_for(world.alice).post(confirm, {"version_keep": 1, "version_other": 1})
    assert response.status_code == 200
    assert Person.objects.filter(pk=world.person_a2.pk).exists()


def test_merging_on_the_page_leads_to_the_kept_record(world, duplicate, client_for):
    keep, other = duplicate
    confirm = reverse("people:person_merge_confirm", args=[keep.pk, other.pk])
    client = client_for(world.alice)
    page = client.get(confirm)
    assert page.context["summary"]
    assert str(Person._meta.get_field("phone").verbose_name) in page.context["filled"]
    assert str(Person._meta.get_field("street").verbose_name) not in page.context["filled"]
    assert not page.context["obstacles"]
    response = client.post(
        confirm, {"version_keep": keep.version, "version_other": other.version}, follow=True
    )
    assert response.redirect_chain == [(reverse("people:person_detail", args=[keep.pk]), 302)]
    assert "Deutsch" in response.content.decode()  # the duplicate's language
    assert not Person.objects.filter(pk=other.pk).exists()


def test_a_stale_confirmation_is_refused_with_a_message(world, duplicate, client_for):
    keep, other = duplicate
    confirm = reverse("people:person_merge_confirm", args=[keep.pk, other.pk])
    response = client_for(world.alice).post(
        confirm, {"version_keep": keep.version, "version_other": other.version - 1}
    )
    assert response.status_code == 302
    assert response["Location"] == confirm
    assert Person.objects.filter(pk=other.pk).exists()
