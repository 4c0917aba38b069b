"""Retention periods (GDPR Art. 5(1)(e)): a person is due once every period
they fall under has passed and nothing is open for them; the job anonymises
them in automatic mode and lists them for review otherwise."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lotse.cases.models import Case
from lotse.core.exceptions import NotPermitted, ServiceError
from lotse.core.models import AuditEntry
from lotse.people.models import Person, PersonRole, PoolRole, Status, StatusChange
from lotse.privacy import retention
from lotse.privacy.models import Erasure, ErasureStatus, RetentionRule

from ..conftest import sign_in
from ..factories import PersonFactory
from ..imports.helpers import acting

D = datetime.date


def _interested(world, since: datetime.date) -> Person:
    """Someone who asked about the programmes on `since` and never took part."""
    person = PersonFactory(organisation=world.org_a, site=world.site_a1, family_name="Interessiert")
    PersonRole.objects.filter(person=person).update(
        status=Status.INTERESTED,
        since=timezone.make_aware(datetime.datetime.combine(since, datetime.time(10))),
    )
    return person


def _withdrawn_volunteer(world, on: datetime.date) -> Person:
    person = PersonFactory(
        organisation=world.org_a, site=world.site_a2, family_name="Ausgeschieden", role="volunteer"
    )
    role = PersonRole.objects.get(person=person)
    role.status = Status.WITHDRAWN
    role.save(update_fields=["status"])
    change = StatusChange.objects.create(
        organisation=world.org_a,
        person_role=role,
        from_status=Status.ACTIVE,
        to_status=Status.WITHDRAWN,
    )
    StatusChange.objects.filter(pk=change.pk).update(
        changed_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))
    )
    return person


def _closed_client(world, closed_on: datetime.date) -> Person:
    person = PersonFactory(
        organisation=world.org_a, site=world.site_a1, family_name="Abgeschlossen"
    )
    PersonRole.objects.filter(person=person).update(status=Status.ALUMNI)
    _case(world, person, opened_on=closed_on - datetime.timedelta(days=200), closed_on=closed_on)
    return person


def _case(world, client, *, opened_on, closed_on=None) -> Case:
    """A case of `client` in the world's programme, closed on `closed_on` or open."""
    return Case.objects.create(
        organisation=world.org_a,
        client=client,
        site=world.site_a1,
        programme=world.case_a.programme,
        caseworker=world.cora,
        status="closed" if closed_on else "active",
        opened_on=opened_on,
        closed_on=closed_on,
        closing_reason="goals_reached" if closed_on else "",
    )


def _due(world, today):
    return [(entry.person.pk, entry.kinds) for entry in retention.due(world.org_a.pk, today)]


def test_each_kind_is_due_the_day_after_its_period(world):
    interested = _interested(world, D(2025, 3, 10))  # 12 months
    volunteer = _withdrawn_volunteer(world, D(2024, 6, 1))  # 24 months
    client = _closed_client(world, D(2023, 1, 31))  # 36 months

    assert _due(world, D(2026, 1, 30)) == []
    assert _due(world, D(2026, 1, 31)) == [(client.pk, ["closed_case"])]
    assert [pk for pk, _kinds in _due(world, D(2026, 3, 9))] == [client.pk]
    assert [pk for pk, _kinds in _due(world, D(2026, 3, 10))] == [client.pk, interested.pk]
    # Oldest end first; nobody of the test world, whose records are current.
    assert _due(world, D(2026, 6, 1)) == [
        (client.pk, ["closed_case"]),
        (volunteer.pk, ["withdrawn_volunteer"]),
        (interested.pk, ["never_enrolled"]),
    ]


def test_a_period_ending_in_a_shorter_month_ends_on_its_last_day(world):
    RetentionRule.objects.create(organisation=world.org_a, kind="never_enrolled", months=1)
    person = _interested(world, D(2026, 1, 31))

    assert _due(world, D(2026, 2, 27)) == []
    assert _due(world, D(2026, 2, 28)) == [(person.pk, ["never_enrolled"])]


def test_a_person_with_current_work_or_a_kind_still_running_is_not_due(world):
    volunteer = _withdrawn_volunteer(world, D(2023, 1, 1))
    # Back in the pool as a participant, and active: not due.
    PersonRole.objects.create(
        organisation=world.org_a, person=volunteer, role=PoolRole.PARTICIPANT, status=Status.ACTIVE
    )
    client = _closed_client(world, D(2022, 1, 1))
    # A second case, closed only last month: the client's period runs from it.
    _case(world, client, opened_on=D(2026, 1, 1), closed_on=D(2026, 11, 1))
    held = _closed_client(world, D(2022, 1, 1))
    _case(world, held, opened_on=D(2026, 1, 1))

    assert _due(world, D(2026, 12, 1)) == []


def test_the_job_anonymises_in_automatic_mode_once_and_lists_the_rest(world):
    today = timezone.localdate()
    RetentionRule.objects.create(
        organisation=world.org_a, kind="never_enrolled", months=12, automatic=True
    )
    since = today - datetime.timedelta(days=400)
    interested = _interested(world, since)
    volunteer = _withdrawn_volunteer(world, today - datetime.timedelta(days=800))
    end = since.replace(year=since.year + 1)  # the day the twelve months end

    with time_machine.travel(end - datetime.timedelta(days=1)):
        assert retention.run() == (0, 1)  # the volunteer, for review
    assert Person.objects.get(pk=interested.pk).anonymised_at is None

    with time_machine.travel(end + datetime.timedelta(days=1)):
        call_command("retention", verbosity=0)
        assert Person.objects.get(pk=interested.pk).anonymised_at is not None
        # Nothing more the second time; the volunteer still waits for review.
        assert retention.run() == (0, 1)

    assert Person.objects.get(pk=volunteer.pk).family_name == "Ausgeschieden"
    erasure = Erasure.objects.get(person=interested)
    assert (erasure.status, erasure.reason, erasure.decided_by) == (
        ErasureStatus.DONE,
        "retention",
        None,
    )
    assert AuditEntry.objects.filter(
        action="lotse.privacy.person_anonymised", target_id=str(interested.pk), actor=None
    ).exists()


def test_an_administrator_sets_the_periods_and_confirms_the_review(world, client):
    volunteer = _withdrawn_volunteer(world, D(2024, 1, 1))
    other = _withdrawn_volunteer(world, D(2024, 1, 1))
    sign_in(client, world.ada)
    url = reverse("privacy:retention")

    page = client.get(url)
    assert [entry.person.pk for entry in page.context["due"]] == [volunteer.pk, other.pk]
    refused = client.post(url, {"action": "periods", "closed_case-months": "0"})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not RetentionRule.objects.exists()
    client.post(
        url,
        {
            "action": "periods",
            "closed_case-months": "36",
            "never_enrolled-months": "6",
            "withdrawn_volunteer-months": "24",
        },
    )
    assert {p.kind: p.months for p in retention.periods(world.org_a.pk)}["never_enrolled"] == 6
    assert AuditEntry.objects.filter(action="lotse.privacy.retention_changed").count() == 1

    client.post(url, {"action": "anonymise", "person": [str(volunteer.pk)]})
    assert Person.objects.get(pk=volunteer.pk).anonymised_at is not None
    assert Person.objects.get(pk=other.pk).anonymised_at is None
    assert [entry.person.pk for entry in client.get(url).context["due"]] == [other.pk]
    assert Erasure.objects.get(person=volunteer).decided_by == world.ada


def test_the_review_lists_the_people_due_page_by_page(world, client, monkeypatch):
    monkeypatch.setattr("lotse.privacy.views.DUE_PAGE_SIZE", 1)
    first = _withdrawn_volunteer(world, D(2023, 1, 1))
    second = _withdrawn_volunteer(world, D(2024, 1, 1))
    sign_in(client, world.ada)
    url = reverse("privacy:retention")
    page = client.get(url).content.decode()
    assert "2 Personen sind fällig." in page
    assert f'value="{first.pk}"' in page and f'value="{second.pk}"' not in page
    page = client.get(url, {"page": "2"}).content.decode()
    assert f'value="{second.pk}"' in page and f'value="{first.pk}"' not in page


def test_only_administrators_set_periods_and_anonymise(world):
    person = _withdrawn_volunteer(world, D(2020, 1, 1))
    for user in (world.alice, world.cora, world.vera, world.dave):
        with pytest.raises(NotPermitted):
            retention.confirm(actor=acting(user), organisation=world.org_a, person_ids=[person.pk])
        with pytest.raises(NotPermitted):
            retention.set_periods(
                actor=acting(user), organisation=world.org_a, values={"closed_case": (12, True)}
            )
    with pytest.raises(ServiceError):
        retention.set_periods(
            actor=acting(world.ada), organisation=world.org_a, values={"closed_case": (0, True)}
        )
    # Someone not due is not anonymised by naming them.
    count = retention.confirm(
        actor=acting(world.ada), organisation=world.org_a, person_ids=[world.person_a1.pk]
    )
    assert count == 0 and Person.objects.get(pk=world.person_a1.pk).anonymised_at is None
