import pytest
from django.urls import reverse

from lotse.matching import services
from lotse.matching.models import DecisionKind, MatchingSession, SessionStatus

from .conftest import acting


@pytest.fixture
def session(office):
    return services.open_session(
        actor=acting(office.world.alice), programme=office.world.programme_a
    )


def _detail(session):
    return reverse("matching:session_detail", args=[session.pk])


def _run(client, session):
    session.refresh_from_db()
    return client.post(
        reverse("matching:session_run", args=[session.pk]), {"version": session.version}
    )


def test_the_proposals_show_scores_as_text_and_the_reason(office, session, client_for):
    client = client_for(office.world.alice)
    client.cookies["django_language"] = "en"
    response = _run(client, session)
    assert response.status_code == 302
    page = client.get(_detail(session)).content.decode()
    assert "Both speak Arabic" in page
    assert "Common language</span>" in page and "100 %" in page
    # The meter's value is a plain number whatever the language's decimal comma.
    assert 'value="1.0"' in page


def test_wrong_input_is_explained_never_an_error_page(office, session, client_for):
    client = client_for(office.world.alice)
    weights = client.post(
        reverse("matching:session_weights", args=[session.pk]),
        {"weight_career": "eleven", "max_distance_km": "0", "version": session.version},
    )
    assert weights.status_code == 200
    assert weights.context["weights_form"].errors["max_distance_km"]
    _run(client, session)
    proposal = session.latest_run().proposals.filter(rank=0).first()
    decide = reverse("matching:proposal_decide", args=[proposal.pk])
    for data in ({"kind": "marry"}, {"kind": "reject", "reason": " "}, {}):
        response = client.post(decide, data)
        assert response.status_code == 200, data
        assert response.context["failed_pk"] == proposal.pk
    assert not session.decisions.exists()
    participants = reverse("matching:session_participants", args=[session.pk])
    for data in ({"action": "add"}, {"action": "narrow", "role": "mentor"}, {"action": "x"}):
        assert client.post(participants, data).status_code == 302, data
    assert client.get(participants, {"language": "xxx"}).status_code == 200


def test_a_stale_decision_form_says_so_and_changes_nothing(office, session, client_for):
    client = client_for(office.world.alice)
    _run(client, session)
    proposal = session.latest_run().proposals.get(rank=0, mentee=office.amira)
    services.decide(actor=acting(office.world.ada), proposal=proposal, kind=DecisionKind.LOCK)
    response = client.post(
        reverse("matching:proposal_decide", args=[proposal.pk]),
        {"kind": "exclude", "seen": "0"},
        follow=True,
    )
    assert "Jemand anderes hat diese Matching-Sitzung geändert" in response.content.decode()
    assert session.decisions.current().get().kind == DecisionKind.LOCK


def test_the_progress_fragment_reloads_the_page_once_the_run_is_done(office, session, client_for):
    client = client_for(office.world.alice)
    url = reverse("matching:session_progress", args=[session.pk])
    MatchingSession.objects.filter(pk=session.pk).update(status=SessionStatus.RUNNING, progress=40)
    running = client.get(url, headers={"HX-Request": "true"})
    assert "HX-Refresh" not in running
    assert 'value="40"' in running.content.decode()
    MatchingSession.objects.filter(pk=session.pk).update(status=SessionStatus.OPEN, progress=100)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_unmatched_mentees_are_listed_with_the_constraint(office, session, client_for):
    from lotse.people.models import VolunteerProfile

    VolunteerProfile.objects.filter(person=office.gisela.person).update(training_completed_on=None)
    client = client_for(office.world.alice)
    client.cookies["django_language"] = "en"
    _run(client, session)
    page = client.get(_detail(session)).content.decode()
    assert "Mentees without a mentor" in page
    assert "the mentee requires a mentor of another gender: 1 of 2" in page
    assert "basic training not completed: 1 of 2" in page


def test_the_board_links_to_the_matching_sessions_for_coordinators_only(world, client_for):
    board = reverse("programmes:programme_board", args=[world.programme_a.pk])
    link = reverse("matching:session_list", args=[world.programme_a.pk])
    assert link in client_for(world.alice).get(board).content.decode()
    assert link not in client_for(world.cora).get(board).content.decode()


def test_a_large_session_shows_its_pairs_a_page_at_a_time(office, client_for, monkeypatch):
    from lotse.matching import views
    from lotse.people.models import PoolRole
    from lotse.programmes.models import EnrolmentRole, StepKind

    from ..factories import enrol_at, mentee_profile, mentor_profile
    from .conftest import person

    world = office.world
    monkeypatch.setattr(views, "PROPOSALS_PER_PAGE", 3)
    for n in range(5):
        mentee = person(world, f"Mentee{n}", "Seite")
        mentee_profile(mentee)
        enrol_at(world.programme_a, mentee, EnrolmentRole.MENTEE, StepKind.PAIRING)
        mentor = person(world, f"Mentor{n}", "Seite", role=PoolRole.VOLUNTEER)
        mentor_profile(mentor)
        enrol_at(world.programme_a, mentor, EnrolmentRole.MENTOR, StepKind.PAIRING)
    session = services.open_session(actor=acting(world.alice), programme=world.programme_a)
    client = client_for(world.alice)
    _run(client, session)
    proposed = session.latest_run().proposals.filter(rank=0).count()
    assert proposed >= 6
    first = client.get(_detail(session))
    second = client.get(_detail(session), {"page": "2"})
    assert len(first.context["rows"]) == 3 and first.context["proposal_count"] == proposed
    on_first = {row["proposal"].pk for row in first.context["rows"]}
    on_second = {row["proposal"].pk for row in second.context["rows"]}
    assert on_first and on_second and not on_first & on_second
    # "Accept all" still counts every open pair, not just this page's.
    assert first.context["open_count"] == proposed
    # A decision on page 2 comes back to page 2.
    proposal = second.context["rows"][0]["proposal"]
    response = client.post(
        reverse("matching:proposal_decide", args=[proposal.pk]),
        {"kind": "lock", "seen": "0", "page": "2"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"{_detail(session)}?page=2#proposals")
    assert session.decisions.get().kind == DecisionKind.LOCK
