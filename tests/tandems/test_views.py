import datetime
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lotse.core.models import AuditEntry
from lotse.matching.models import Decision
from lotse.people.models import Person
from lotse.tandems.models import AgreementTemplate, FollowUp, Meeting, Tandem, TandemStatus

from ..factories import mentor_profile
from .helpers import tandem

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _today():
    return timezone.localdate()


def _days(n):
    return datetime.timedelta(days=n)


def _detail(tandem):
    return reverse("tandems:tandem_detail", args=[tandem.pk])


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _names():
    return {
        part
        for given, family in Person.objects.values_list("given_name", "family_name")
        for part in (given, family)
    }


# --- the list ----------------------------------------------------------------------


@pytest.fixture
def listed(world):
    return {
        "a": world.tandem_a,
        "overdue": tandem(world, "Lina", "Haddou", last_meeting_days_ago=30),
        "completed": tandem(world, "Yusuf", "Demir", status="completed", ended_on=_today()),
        "adas": tandem(world, "Mariam", "Sultani", coordinator=world.ada),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"a", "overdue", "adas"}),
        ({"state": "running"}, {"a", "overdue", "adas"}),
        ({"state": "completed"}, {"completed"}),
        ({"state": "all"}, {"a", "overdue", "completed", "adas"}),
        ({"overdue": "on"}, {"overdue"}),
        ({"coordinator": "ada"}, {"adas"}),
        ({"coordinator": "alice", "overdue": "on"}, {"overdue"}),
        ({"state": "paused"}, set()),
    ],
)
def test_the_list_filters(world, listed, client_for, query, expected):
    if "coordinator" in query:
        query = query | {"coordinator": getattr(world, query["coordinator"]).pk}
    response = client_for(world.alice).get(reverse("tandems:tandem_list"), query)
    assert response.status_code == 200
    shown = {tandem.pk for tandem in response.context["page"].object_list}
    assert shown == {listed[key].pk for key in expected}


def test_the_list_marks_overdue_tandems_and_shows_only_the_users_sites(world, listed, client_for):
    response = client_for(world.alice).get(reverse("tandems:tandem_list"))
    flags = {tandem.pk: tandem.overdue_flag for tandem in response.context["page"].object_list}
    assert flags[listed["overdue"].pk] and not flags[world.tandem_a.pk]
    page = response.content.decode()
    assert "Lina Haddou" in page and listed["overdue"].number in page
    # cora works at site A2 only: every tandem is at A1.
    cora = client_for(world.cora).get(reverse("tandems:tandem_list"), {"state": "all"})
    assert cora.status_code == 200
    assert list(cora.context["page"].object_list) == []
    assert "Lina Haddou" not in cora.content.decode()


def test_htmx_gets_only_the_results(world, listed, client_for):
    response = client_for(world.alice).get(
        reverse("tandems:tandem_list"), {"overdue": "on"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    names = [template.name for template in response.templates]
    assert "tandems/_tandem_results.html" in names
    assert "tandems/tandem_list.html" not in names and "base.html" not in names
    page = response.content.decode()
    assert 'id="tandem-count"' in page
    assert "<html" not in page and "<form" not in page
    assert "Lina Haddou" in page and "Mariam Sultani" not in page


# --- one tandem --------------------------------------------------------------------


@pytest.mark.parametrize(("days", "shown"), [(14, False), (15, True)])
def test_the_page_warns_of_an_overdue_meeting(world, client_for, days, shown):
    Tandem.objects.filter(pk=world.tandem_a.pk).update(last_meeting_on=_today() - _days(days))
    response = client_for(world.alice).get(_detail(world.tandem_a))
    assert response.status_code == 200
    assert response.context["overdue"] is shown
    assert ('id="overdue-alert"' in response.content.decode()) is shown


def test_a_paused_tandem_is_not_shown_overdue(world, client_for):
    Tandem.objects.filter(pk=world.tandem_a.pk).update(
        status="paused", last_meeting_on=_today() - _days(60)
    )
    page = client_for(world.alice).get(_detail(world.tandem_a)).content.decode()
    assert 'id="overdue-alert"' not in page


def test_a_meeting_is_logged_from_the_page(world, english):
    client = english(world.alice)
    response = client.post(
        reverse("tandems:meeting_create", args=[world.tandem_a.pk]),
        {
            "held_on": _today().isoformat(),
            "duration_minutes": "45",
            "mode": "video",
            "topics": ["cv", "interview"],
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _detail(world.tandem_a) + "#meetings"
    assert _messages(response) == ["The meeting has been logged."]
    meeting = world.tandem_a.meetings.get(held_on=_today())
    assert (meeting.duration_minutes, meeting.mode, meeting.topics) == (
        45,
        "video",
        ["cv", "interview"],
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"duration_minutes": "2"},
            "Duration in minutes: Ensure this value is greater than or equal to 5.",
        ),
        ({"topics": ["astrology"]}, "Topics: Select a valid choice."),
        ({"held_on": "1.2.3"}, "Date of the meeting: Enter a valid date."),
        ({"held_on": "2999-01-01"}, "The date of the meeting cannot lie in the future."),
    ],
    ids=["too-short", "topic", "no-date", "future"],
)
def test_an_invalid_meeting_is_explained_and_changes_nothing(world, english, data, message):
    values = {"held_on": _today().isoformat(), "duration_minutes": "60", "mode": "in_person"}
    response = english(world.alice).post(
        reverse("tandems:meeting_create", args=[world.tandem_a.pk]), values | data, follow=True
    )
    assert response.status_code == 200
    assert any(text.startswith(message) for text in _messages(response)), _messages(response)
    assert message.split(":")[0] in response.content.decode()
    assert list(Meeting.objects.filter(tandem=world.tandem_a)) == [world.meeting_a]
    tandem_a = Tandem.objects.get(pk=world.tandem_a.pk)
    assert tandem_a.last_meeting_on == world.tandem_a.last_meeting_on
    assert tandem_a.version == world.tandem_a.version


def test_a_stale_pause_is_explained(world, english):
    response = english(world.alice).post(
        reverse("tandems:tandem_pause", args=[world.tandem_a.pk]),
        {"version": world.tandem_a.version + 3, "reason": "Urlaub"},
        follow=True,
    )
    (message,) = _messages(response)
    assert message.startswith("Someone else changed this tandem")
    assert Tandem.objects.get(pk=world.tandem_a.pk).status == TandemStatus.ACTIVE


# --- the agreement -----------------------------------------------------------------


@pytest.mark.parametrize(("query", "language"), [({"language": "en"}, "en"), ({}, "de")])
def test_the_agreement_pdf_is_named_by_the_tandems_number(world, client_for, query, language):
    response = client_for(world.alice).get(
        reverse("tandems:agreement_pdf", args=[world.tandem_a.pk]), query
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f"{world.tandem_a.number}-{language}.pdf" in disposition
    assert not [name for name in _names() if name in disposition]
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert ("Vereinbarung für das Tandem" in text) is (language == "de")
    assert "Amira Haddad" in text
    assert AuditEntry.objects.filter(action="lotse.tandem.agreement_printed").count() == 1


def test_the_agreement_pdf_is_not_for_other_sites(world, client_for):
    url = reverse("tandems:agreement_pdf", args=[world.tandem_a.pk])
    assert client_for(world.cora).get(url).status_code == 404
    assert client_for(world.carol).get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="lotse.tandem.agreement_printed").exists()


def test_an_uploaded_scan_is_streamed_to_alice_but_not_to_cora(world, english, documents):
    alice = english(world.alice)
    tandem_a = world.tandem_a
    response = alice.post(
        reverse("tandems:tandem_sign", args=[tandem_a.pk]),
        {
            "version": tandem_a.version,
            "signed_on": tandem_a.agreement_signed_on.isoformat(),
            "scan": SimpleUploadedFile("Amira Haddad.pdf", PDF, content_type="application/pdf"),
        },
        follow=True,
    )
    assert _messages(response) == ["The signature has been recorded."]
    tandem_a.refresh_from_db()
    assert tandem_a.agreement_scan
    assert "Haddad" not in tandem_a.agreement_scan.name
    url = reverse("tandems:agreement_scan", args=[tandem_a.pk])
    assert url in response.content.decode()

    scan = alice.get(url)

    assert scan.status_code == 200
    assert b"".join(scan.streaming_content) == PDF
    disposition = scan["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"{tandem_a.number}-signed.pdf" in disposition
    assert not [name for name in _names() if name in disposition]
    assert "no-store" in scan["Cache-Control"]
    assert english(world.cora).get(url).status_code == 404
    assert english(world.carol).get(url).status_code == 404
    assert AuditEntry.objects.filter(action="lotse.tandem.agreement_scan_read").count() == 1


def test_a_scan_that_is_no_pdf_is_explained(world, english, documents):
    response = english(world.alice).post(
        reverse("tandems:tandem_sign", args=[world.tandem_a.pk]),
        {
            "version": world.tandem_a.version,
            "signed_on": _today().isoformat(),
            "scan": SimpleUploadedFile("scan.pdf", b"just text", content_type="application/pdf"),
        },
        follow=True,
    )
    assert _messages(response) == ["Upload a PDF, JPEG or PNG file."]
    tandem_a = Tandem.objects.get(pk=world.tandem_a.pk)
    assert not tandem_a.agreement_scan
    assert tandem_a.agreement_signed_on == world.tandem_a.agreement_signed_on


def test_an_administrator_words_the_agreement_on_its_page(world, english):
    url = reverse("tandems:agreement_template", args=[world.programme_a.pk])
    ada = english(world.ada)
    page = ada.get(url)
    assert page.status_code == 200
    data = {name: value for name, value in page.context["form"].initial.items()}
    wrong = ada.post(url, data | {"body_de": "{mentee} und {mentr}"})
    assert wrong.status_code == 200
    assert "Unknown placeholder {mentr}" in wrong.content.decode()
    assert not AgreementTemplate.objects.exists()
    saved = ada.post(url, data | {"title_de": "Unsere Vereinbarung"})
    assert saved.status_code == 302
    assert AgreementTemplate.objects.get().title_de == "Unsere Vereinbarung"
    assert english(world.alice).get(url).status_code == 403


# --- the end -----------------------------------------------------------------------


def test_the_end_form_explains_a_missing_contract_start(world, english):
    client = english(world.alice)
    url = reverse("tandems:tandem_end", args=[world.tandem_a.pk])
    data = {
        "version": world.tandem_a.version,
        "ended_on": _today().isoformat(),
        "reason": "goal_reached",
        "outcome": "employment",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["contract_start"] == [
        "Give the start of the employment contract."
    ]
    assert "Give the start of the employment contract." in response.content.decode()
    assert Tandem.objects.get(pk=world.tandem_a.pk).status == TandemStatus.ACTIVE
    FollowUp.objects.all().delete()
    done = client.post(url, data | {"contract_start": _today().isoformat(), "permanent": "yes"})
    assert done.status_code == 302
    ended = Tandem.objects.get(pk=world.tandem_a.pk)
    assert ended.status == TandemStatus.COMPLETED
    assert ended.outcome.permanent is True
    assert sorted(ended.follow_ups.values_list("months", flat=True)) == [3, 6]
    assert client.get(url).status_code == 302  # ended: no form any more


# --- from the accepted pair to the tandem ------------------------------------------


def test_the_waiting_pair_is_listed_and_becomes_a_tandem(world, english):
    mentor_profile(world.accepted_a.mentor.person, capacity=2)
    client = english(world.alice)
    waiting = client.get(reverse("matching:pairs_waiting"))
    assert waiting.status_code == 200
    assert [decision.pk for decision in waiting.context["page"].object_list] == [
        world.accepted_a.pk
    ]
    page = waiting.content.decode()
    form_url = reverse("matching:tandem_form", args=[world.accepted_a.pk])
    assert "Oksana Melnyk" in page and form_url in page

    assert client.get(form_url).status_code == 200
    response = client.post(
        form_url,
        {"goals": "Deutsch B1", "coordinator": world.alice.pk, "site": world.site_a1.pk},
    )

    decision = Decision.objects.get(pk=world.accepted_a.pk)
    assert decision.tandem is not None
    assert response.status_code == 302
    assert response["Location"] == _detail(decision.tandem)
    formed = decision.tandem
    assert (formed.mentee, formed.mentor) == (world.accepted_a.mentee, world.accepted_a.mentor)
    assert (formed.status, formed.goals, formed.coordinator) == (
        TandemStatus.FORMING,
        "Deutsch B1",
        world.alice,
    )
    assert AuditEntry.objects.filter(action="lotse.matching.tandem_formed").count() == 1
    after = client.get(reverse("matching:pairs_waiting"))
    assert after.context["page"].paginator.count == 0
    assert "Oksana Melnyk" not in after.content.decode()
    assert client.get(form_url).status_code == 404


def test_a_pair_whose_mentor_is_not_cleared_is_explained(world, english):
    # Jürgen Wegmann has no volunteer profile: no clearance, no training.
    form_url = reverse("matching:tandem_form", args=[world.accepted_a.pk])
    response = english(world.alice).post(
        form_url,
        {"goals": "", "coordinator": world.alice.pk, "site": world.site_a1.pk},
    )
    assert response.status_code == 200
    assert "has no valid police clearance certificate" in response.content.decode()
    assert Decision.objects.get(pk=world.accepted_a.pk).tandem is None
    assert not Tandem.objects.filter(mentee=world.accepted_a.mentee).exists()
