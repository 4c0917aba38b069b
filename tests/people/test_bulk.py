"""Bulk actions of the pool list: a status change and an export of the selection."""

import csv
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from lotse.accounts.models import Membership
from lotse.core.exceptions import NotPermitted, ServiceError
from lotse.core.models import AuditEntry
from lotse.people import services
from lotse.people.models import PersonRole, PoolRole, Status, StatusChange

from ..factories import PersonFactory

SENTINEL = "SENSITIVE-SENTINEL"
BULK_STATUS = reverse("people:bulk_status")


def acting(user):
    user.membership = Membership.objects.get(user=user)
    return user


@pytest.fixture
def pool(world):
    """Site A1: two active participants and a volunteer; person_a1 is there too."""

    def person(name, role=PoolRole.PARTICIPANT):
        return PersonFactory(
            organisation=world.org_a, site=world.site_a1, given_name=name, role=role
        )

    return [person("Farid"), person("Nadia"), person("Gisela", PoolRole.VOLUNTEER)]


def _statuses(people, role=PoolRole.PARTICIPANT):
    return dict(
        PersonRole.objects.filter(person__in=people, role=role).values_list("person", "status")
    )


def test_the_status_changes_for_everyone_with_the_role_and_the_rest_is_counted(world, pool):
    alice = acting(world.alice)
    changed, unchanged = services.change_status_many(
        actor=alice, people=pool, role=PoolRole.PARTICIPANT, status=Status.PAUSED, reason="Sommer"
    )
    assert (changed, unchanged) == (2, 1)
    assert set(_statuses(pool).values()) == {Status.PAUSED}
    history = StatusChange.objects.filter(person_role__person__in=pool)
    assert (
        sorted(history.values_list("from_status", "to_status", "reason", "changed_by"))
        == [("active", "paused", "Sommer", world.alice.pk)] * 2
    )
    assert AuditEntry.objects.filter(action=services.STATUS_CHANGED).count() == 2
    # The same again: nobody changes, nothing is written.
    assert services.change_status_many(
        actor=alice, people=pool, role=PoolRole.PARTICIPANT, status=Status.PAUSED
    ) == (0, 3)
    assert StatusChange.objects.filter(person_role__person__in=pool).count() == 2


def test_the_bulk_change_refuses_people_the_actor_may_not_change(world, pool):
    with pytest.raises(NotPermitted):  # cora works at site A2 only
        services.change_status_many(
            actor=acting(world.cora), people=pool, role=PoolRole.PARTICIPANT, status="paused"
        )
    with pytest.raises(NotPermitted):
        services.change_status_many(
            actor=acting(world.vera), people=pool, role=PoolRole.PARTICIPANT, status="paused"
        )
    with pytest.raises(ServiceError):
        services.change_status_many(
            actor=acting(world.alice), people=pool, role=PoolRole.PARTICIPANT, status="gone"
        )
    assert set(_statuses(pool).values()) == {Status.ACTIVE}


def test_the_first_post_asks_which_status_for_the_ticked_people(world, pool, client_for):
    response = client_for(world.alice).post(
        BULK_STATUS, {"person": [p.pk for p in pool[:2]], "filter_query": "role=participant"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["count"] == 2
    assert "Farid" in content and "Nadia" in content and "Gisela" not in content
    assert 'name="confirm" value="1"' in content
    assert set(_statuses(pool).values()) == {Status.ACTIVE}


def test_confirming_changes_the_status_and_goes_back_to_the_filtered_list(world, pool, client_for):
    response = client_for(world.alice).post(
        BULK_STATUS,
        {
            "person": [p.pk for p in pool],
            "filter_query": "role=participant",
            "confirm": "1",
            "role": "participant",
            "status": "alumni",
            "reason": "Programm beendet",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_list") + "?role=participant"
    assert set(_statuses(pool).values()) == {Status.ALUMNI}
    levels = [m.level_tag for m in get_messages(response.wsgi_request)]
    assert levels == ["success", "info"]  # two changed, the volunteer unchanged


def test_everyone_matching_the_filters_can_be_changed_at_once(world, pool, client_for):
    client_for(world.alice).post(
        BULK_STATUS,
        {
            "all_matching": "1",
            "filter_query": "role=volunteer",
            "confirm": "1",
            "role": "volunteer",
            "status": "paused",
        },
    )
    assert _statuses(pool, PoolRole.VOLUNTEER) == {pool[2].pk: Status.PAUSED}
    assert set(_statuses([*pool, world.person_a1]).values()) == {Status.ACTIVE}


def test_an_invalid_status_is_explained_and_changes_nothing(world, pool, client_for):
    response = client_for(world.alice).post(
        BULK_STATUS,
        {"person": [pool[0].pk], "confirm": "1", "role": "participant", "status": "gone"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert set(_statuses(pool).values()) == {Status.ACTIVE}


def test_people_of_other_sites_do_not_count_as_selected(world, pool, client_for):
    """cora (site A2) sends the ids of people at site A1: there is no selection."""
    response = client_for(world.cora).post(
        BULK_STATUS,
        {"person": [p.pk for p in pool], "confirm": "1", "role": "participant", "status": "paused"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_list")
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert set(_statuses(pool).values()) == {Status.ACTIVE}


def test_the_list_offers_the_bulk_actions(world, pool, client_for):
    content = client_for(world.alice).get(reverse("people:person_list")).content.decode()
    for name in ("people:bulk_status", "people:bulk_export_xlsx", "people:bulk_export_csv"):
        assert f'formaction="{reverse(name)}"' in content


def _export(client, file_format, data):
    return client.post(reverse("people:bulk_export", args=[file_format]), data)


def test_the_export_holds_the_ticked_people_and_is_audited(world, pool, client_for):
    response = _export(client_for(world.alice), "csv", {"person": [pool[0].pk, pool[2].pk]})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert sorted(row[1] for row in rows[1:]) == ["Farid", "Gisela"]
    assert AuditEntry.objects.filter(action=services.PEOPLE_EXPORTED).count() == 1


def test_the_xlsx_export_of_everyone_matching_never_holds_sensitive_notes(world, client_for):
    Membership.objects.filter(user=world.alice).update(sensitive_data=True)
    response = _export(client_for(world.alice), "xlsx", {"all_matching": "1", "filter_query": ""})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row]
    assert {"Amira", "Oleksandr"} <= set(cells)
    assert not any(SENTINEL in cell for cell in cells)
    assert "Berivan" not in cells  # organisation B


def test_the_export_of_people_one_may_not_see_is_empty_and_refused(world, pool, client_for):
    response = _export(client_for(world.cora), "csv", {"person": [p.pk for p in pool]})
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=services.PEOPLE_EXPORTED).exists()


def test_the_export_answers_only_posts_of_known_formats(world, client_for):
    client = client_for(world.alice)
    assert _export(client, "pdf", {"all_matching": "1"}).status_code == 404
    assert client.get(reverse("people:bulk_export", args=["csv"])).status_code == 405
    assert client.get(BULK_STATUS).status_code == 405
