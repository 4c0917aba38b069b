from django.urls import reverse

from lotse.people.models import Person


def test_an_enrolment_is_seen_at_the_persons_current_site(world, client_for):
    client = client_for(world.cora)  # caseworker at site A2 only
    url = reverse("programmes:enrolment_detail", args=[world.enrolment_a.pk])
    assert client.get(url).status_code == 404
    Person.objects.filter(pk=world.person_a1.pk).update(site=world.site_a2)
    assert client.get(url).status_code == 200
    board = client.get(reverse("programmes:programme_board", args=[world.programme_a.pk]))
    assert world.person_a1.family_name in board.content.decode()


def test_the_board_shows_only_people_of_the_users_sites(world, client_for):
    board = client_for(world.cora).get(
        reverse("programmes:programme_board", args=[world.programme_a.pk])
    )
    assert board.status_code == 200
    assert world.person_a1.family_name not in board.content.decode()
    assert board.context["total"] == 0


def test_the_event_page_counts_but_does_not_name_people_of_other_sites(world, client_for):
    world.event_a.site = world.site_a2
    world.event_a.save()
    page = client_for(world.cora).get(reverse("programmes:event_detail", args=[world.event_a.pk]))
    assert page.status_code == 200
    assert world.person_a1.family_name not in page.content.decode()
    assert page.context["others"] == 1
