"""Pages of the local network (lotse.network.views)."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

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
    SharedGoal,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The audit actions of the network's writes (signing in and refusals leave others).
NETWORK_ACTIONS = {
    value
    for value in vars(services).values()
    if isinstance(value, str) and value.startswith("lotse.")
}


def _today():
    return timezone.localdate()


def _days(n):
    return datetime.timedelta(days=n)


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _page(response):
    return response.content.decode()


def _section(response, element_id):
    """The markup of the <section> with this id."""
    page = _page(response)
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</section>", start)]


def _written():
    """The audit entries of the network's writes."""
    return AuditEntry.objects.filter(action__in=NETWORK_ACTIONS)


def _shown(response):
    return {item.pk for item in response.context["page"].object_list}


def _institution(organisation, name, **fields):
    values = {"domain": "education", "kind": "adult_education_centre"} | fields
    return Institution.objects.create(organisation=organisation, name=name, **values)


def _contact(institution, name, **fields):
    return ContactPerson.objects.create(
        organisation=institution.organisation, institution=institution, name=name, **fields
    )


@pytest.fixture
def vhs(world):
    institution = _institution(
        world.org_a,
        "Volkshochschule Alphastadt",
        town="Alphastadt",
        tasks="Integrationskurse und Berufssprachkurse",
    )
    return institution, _contact(institution, "Veronika Volk", phone="0341 300401")


# --- institutions ------------------------------------------------------------------


@pytest.fixture
def institutions(world, vhs):
    return {
        "jobcenter": world.institution_a,
        "vhs": vhs[0],
        "caritas": _institution(world.org_a, "Caritasverband", domain="social", town="Gammaheim"),
        "elsewhere": _institution(world.org_b, "Volkshochschule Betadorf"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"jobcenter", "vhs", "caritas"}),
        ({"domain": "education"}, {"vhs"}),
        ({"domain": "social"}, {"caritas"}),
        ({"domain": "migration"}, set()),
        ({"q": "alphastadt"}, {"jobcenter", "vhs"}),
        ({"q": "gammaheim"}, {"caritas"}),
        ({"q": "berufssprach"}, {"vhs"}),
        ({"q": "volkshochschule"}, {"vhs"}),
        ({"q": "alphastadt", "domain": "work"}, {"jobcenter"}),
        ({"kind": "jobcenter"}, {"jobcenter"}),
    ],
)
def test_the_institution_list_filters(world, institutions, english, query, expected):
    response = english(world.alice).get(reverse("network:institution_list"), query)
    assert response.status_code == 200
    assert _shown(response) == {institutions[key].pk for key in expected}
    page = _page(response)
    for key, institution in institutions.items():
        assert (institution.name in page) is (key in expected)


def test_htmx_gets_only_the_institution_results(world, institutions, english):
    response = english(world.alice).get(
        reverse("network:institution_list"), {"domain": "education"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    names = [template.name for template in response.templates]
    assert "network/_institution_results.html" in names
    assert "network/institution_list.html" not in names and "base.html" not in names
    page = _page(response)
    assert "<html" not in page and "<form" not in page
    assert 'id="institution-count"' in page
    assert "Volkshochschule Alphastadt" in page and "Jobcenter Alphastadt" not in page


def _institution_data(**fields):
    return {
        "name": "Volkshochschule Alphastadt",
        "domain": "education",
        "kind": "adult_education_centre",
        "town": "Alphastadt",
        "tasks": "Sprachkurse für Eltern",
        "core_group": "",
    } | fields


def test_an_institution_is_added_from_its_form(world, english):
    response = english(world.alice).post(
        reverse("network:institution_create"), _institution_data(), follow=True
    )
    institution = Institution.objects.get(name="Volkshochschule Alphastadt")
    assert response.redirect_chain[-1][0] == reverse(
        "network:institution_detail", args=[institution.pk]
    )
    assert _messages(response) == ["The institution has been added."]
    assert (institution.organisation, institution.town, institution.version) == (
        world.org_a,
        "Alphastadt",
        1,
    )
    assert list(_written().values_list("action", flat=True)) == ["lotse.institution.created"]


@pytest.mark.parametrize("kind", ["institution", "contact", "committee", "offer"])
def test_a_record_added_from_its_form_is_active(world, english, kind):
    """The "active" tick is only on the edit forms: a new record is active."""
    client = english(world.alice)
    if kind == "institution":
        client.post(reverse("network:institution_create"), _institution_data())
        created = Institution.objects.get(name="Volkshochschule Alphastadt")
    elif kind == "contact":
        client.post(
            reverse("network:contact_create", args=[world.institution_a.pk]),
            {"name": "Karl Kontakt", "function": "Beratung"},
        )
        created = ContactPerson.objects.get(name="Karl Kontakt")
    elif kind == "committee":
        client.post(
            reverse("network:committee_create"),
            {"name": "AG Sprache", "kind": "working_group", "shared_with_partners": "on"},
        )
        created = Committee.objects.get(name="AG Sprache")
    else:
        client.post(
            reverse("network:offer_create"),
            {"title": "Sprachcafé", "area": "language", "provider": world.institution_a.pk},
        )
        created = Offer.objects.get(title="Sprachcafé")
    assert created.is_active is True


def test_an_institution_without_a_name_is_shown_again_as_typed(world, english):
    response = english(world.alice).post(
        reverse("network:institution_create"), _institution_data(name="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["This field is required."]
    page = _page(response)
    assert "This field is required." in page
    assert 'value="Alphastadt"' in page
    assert "Sprachkurse für Eltern" in page
    assert '<option value="education" selected>' in page
    assert list(Institution.objects.all()) == [world.institution_a]


def test_the_form_speaks_german_by_default(world, client_for):
    response = client_for(world.alice).post(
        reverse("network:institution_create"), _institution_data(name="")
    )
    assert response.status_code == 200
    page = _page(response)
    assert "Dieses Feld ist zwingend erforderlich." in page
    assert "Bitte korrigieren Sie die markierten Felder." in page
    assert "This field is required." not in page


def test_a_duplicate_institution_is_explained_on_the_form(world, english):
    response = english(world.alice).post(
        reverse("network:institution_create"),
        _institution_data(name="Jobcenter Alphastadt", tasks="Doppelt"),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "An institution of this name is already in the network."
    ]
    page = _page(response)
    assert "An institution of this name is already in the network." in page
    assert "Doppelt" in page
    assert Institution.objects.filter(name="Jobcenter Alphastadt").count() == 1


def test_the_service_explains_itself_in_german_by_default(world, client_for):
    client = client_for(world.alice)
    duplicate = client.post(
        reverse("network:institution_create"), _institution_data(name="Jobcenter Alphastadt")
    )
    assert duplicate.status_code == 200
    assert "Eine Institution mit diesem Namen gibt es im Netzwerk schon." in _page(duplicate)
    assert "already in the network" not in _page(duplicate)

    url = reverse("network:institution_edit", args=[world.institution_a.pk])
    Institution.objects.filter(pk=world.institution_a.pk).update(version=2)
    stale = client.post(
        url,
        _institution_data(name="Jobcenter Alphastadt", domain="work", kind="jobcenter")
        | {"version": "1", "phone": "0341 888888", "is_active": "on"},
    )
    assert stale.status_code == 200
    assert "Jemand anderes hat diesen Eintrag geändert" in _page(stale)
    assert Institution.objects.get(pk=world.institution_a.pk).phone == "0341 100200"

    added = client.post(reverse("network:institution_create"), _institution_data(), follow=True)
    assert _messages(added) == ["Die Institution wurde hinzugefügt."]


def test_a_stale_edit_of_an_institution_is_explained_and_saves_nothing(world, english):
    client = english(world.alice)
    url = reverse("network:institution_edit", args=[world.institution_a.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="version" value="1"' in _page(form)
    # Meanwhile someone else saves the institution.
    Institution.objects.filter(pk=world.institution_a.pk).update(phone="0341 777777", version=2)

    response = client.post(
        url,
        _institution_data(name="Jobcenter Alphastadt", domain="work", kind="jobcenter", version="1")
        | {"phone": "0341 888888", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "Someone else changed this record while you were looking at it." in _page(response)
    stored = Institution.objects.get(pk=world.institution_a.pk)
    assert (stored.phone, stored.version, stored.town) == ("0341 777777", 2, "")
    assert not _written().exists()


def test_an_institution_is_edited_with_the_current_version(world, english):
    response = english(world.alice).post(
        reverse("network:institution_edit", args=[world.institution_a.pk]),
        _institution_data(name="Jobcenter Alphastadt", domain="work", kind="jobcenter")
        | {"version": "1", "phone": "0341 888888", "is_active": "on"},
    )
    assert response.status_code == 302
    stored = Institution.objects.get(pk=world.institution_a.pk)
    assert (stored.phone, stored.version, stored.is_active) == ("0341 888888", 2, True)


def test_only_the_network_manager_edits(world, english):
    url = reverse("network:institution_edit", args=[world.institution_a.pk])
    assert english(world.cora).get(url).status_code == 403
    assert english(world.pia).get(url).status_code == 403
    assert english(world.carol).get(url).status_code == 404
    assert english(world.cora).get(reverse("network:institution_create")).status_code == 403
    # Reading is for everyone of the organisation's staff and the partners, not the viewer.
    list_url = reverse("network:institution_list")
    assert english(world.cora).get(list_url).status_code == 200
    assert english(world.pia).get(list_url).status_code == 200
    assert english(world.vera).get(list_url).status_code == 403


# --- meetings and measures ----------------------------------------------------------------


@pytest.fixture
def second_member(world, vhs):
    institution, contact = vhs
    return CommitteeMember.objects.create(
        organisation=world.org_a,
        committee=world.committee_a,
        institution=institution,
        contact=contact,
    )


def _meeting_data(world, vhs, **fields):
    institution, contact = vhs
    return {
        "held_on": _today().isoformat(),
        "starts_at": "17:30",
        "place": "Rathaus, Raum 2",
        "agenda": "1. Sprachkurse\r\n2. Kinderbetreuung",
        "minutes": "Gut besucht.",
        "present": [str(world.member_a.pk)],
        "goals": "Mehr Sprachkursplätze\r\nKinderbetreuung während der Kurse",
        "measure-0-title": "Kursplätze zählen",
        "measure-0-institution": str(institution.pk),
        "measure-0-contact": str(contact.pk),
        "measure-0-due_on": (_today() + _days(14)).isoformat(),
        "measure-0-goal": "Mehr Sprachkursplätze",
        "measure-1-title": "Kita-Träger anfragen",
        "measure-1-institution": str(world.institution_a.pk),
        "measure-1-contact": "",
        "measure-1-due_on": "",
        "measure-1-goal": "Kinderbetreuung während der Kurse",
        "measure-2-title": "",
        "measure-2-institution": "",
        "measure-2-contact": "",
        "measure-2-due_on": "",
        "measure-2-goal": "",
    } | fields


def test_a_meeting_is_recorded_with_two_measures(world, vhs, second_member, english):
    institution, contact = vhs
    url = reverse("network:meeting_create", args=[world.committee_a.pk])
    client = english(world.alice)
    assert client.get(url).status_code == 200

    response = client.post(url, _meeting_data(world, vhs), follow=True)

    meeting = NetworkMeeting.objects.get(committee=world.committee_a, place="Rathaus, Raum 2")
    assert response.redirect_chain == [(reverse("network:meeting_detail", args=[meeting.pk]), 302)]
    assert _messages(response) == ["The meeting has been recorded."]
    assert meeting.starts_at == datetime.time(17, 30)
    assert {(row.institution_id, row.present) for row in meeting.attendance.all()} == {
        (world.institution_a.pk, True),
        (institution.pk, False),
    }
    goals = {goal.text: goal for goal in meeting.goals.all()}
    assert list(goals) == ["Mehr Sprachkursplätze", "Kinderbetreuung während der Kurse"]
    measures = {measure.title: measure for measure in meeting.measures.all()}
    assert set(measures) == {"Kursplätze zählen", "Kita-Träger anfragen"}
    counted = measures["Kursplätze zählen"]
    assert (counted.institution, counted.contact, counted.due_on, counted.goal) == (
        institution,
        contact,
        _today() + _days(14),
        goals["Mehr Sprachkursplätze"],
    )
    assert measures["Kita-Träger anfragen"].goal == goals["Kinderbetreuung während der Kurse"]
    page = _page(response)
    assert "Kursplätze zählen" in page and "Kita-Träger anfragen" in page
    assert "Veronika Volk" in page


def test_an_invalid_measure_row_shows_everything_typed_again(world, vhs, second_member, english):
    data = _meeting_data(world, vhs) | {
        "measure-1-title": "",
        "measure-1-institution": str(world.institution_a.pk),
    }

    response = english(world.alice).post(
        reverse("network:meeting_create", args=[world.committee_a.pk]), data
    )

    assert response.status_code == 200
    drafts = response.context["drafts"]
    assert drafts[1].errors["title"] == ["Say what is to be done."]
    page = _page(response)
    assert "Say what is to be done." in page
    for typed in ("Rathaus, Raum 2", "Gut besucht.", "Mehr Sprachkursplätze", "Kursplätze zählen"):
        assert typed in page
    assert "Kinderbetreuung während der Kurse" in page
    assert f'<option value="{world.institution_a.pk}" selected>' in page
    assert not NetworkMeeting.objects.filter(place="Rathaus, Raum 2").exists()
    assert NetworkMeeting.objects.count() == 2
    assert not SharedGoal.objects.exists()
    assert list(AgreedMeasure.objects.all()) == [world.measure_a]


def test_an_invalid_measure_row_is_explained_in_german_by_default(
    world, vhs, second_member, client_for
):
    data = _meeting_data(world, vhs) | {"measure-1-title": ""}
    response = client_for(world.alice).post(
        reverse("network:meeting_create", args=[world.committee_a.pk]), data
    )
    assert response.status_code == 200
    assert "Geben Sie an, was zu tun ist." in _page(response)
    assert NetworkMeeting.objects.count() == 2


def test_a_measure_whose_person_works_elsewhere_is_explained(world, vhs, second_member, english):
    _institution, contact = vhs
    data = _meeting_data(world, vhs) | {"measure-1-contact": str(contact.pk)}
    response = english(world.alice).post(
        reverse("network:meeting_create", args=[world.committee_a.pk]), data
    )
    assert response.status_code == 200
    assert "The person must work at the institution chosen." in _page(response)
    assert NetworkMeeting.objects.count() == 2
    assert not Attendance.objects.exists()


@pytest.fixture
def tracked(world):
    """Measures in every state: world.measure_a is open and due today."""
    today = _today()

    def measure(title, meeting=None, **fields):
        return AgreedMeasure.objects.create(
            organisation=world.org_a,
            meeting=meeting or world.network_meeting_a,
            title=title,
            institution=world.institution_a,
            **fields,
        )

    return {
        "due_today": world.measure_a,
        "overdue": measure("Flyer drucken", due_on=today - _days(1)),
        "late": measure("Räume suchen", status="in_progress", due_on=today - _days(10)),
        "done": measure("Liste verschicken", status="done", due_on=today - _days(3), done_on=today),
        "dropped": measure("Messe besuchen", status="dropped", due_on=today - _days(20)),
        "internal": measure(
            "Haushalt prüfen", meeting=world.internal_meeting_a, due_on=today - _days(5)
        ),
    }


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, {"due_today", "overdue", "late", "internal"}),
        ("pending", {"due_today", "overdue", "late", "internal"}),
        ("overdue", {"overdue", "late", "internal"}),
        ("done", {"done"}),
        ("dropped", {"dropped"}),
        ("in_progress", {"late"}),
        ("all", {"due_today", "overdue", "late", "done", "dropped", "internal"}),
    ],
)
def test_the_measure_tracker_filters_by_state(world, tracked, english, state, expected):
    query = {"state": state} if state else {}
    response = english(world.alice).get(reverse("network:measure_list"), query)
    assert response.status_code == 200
    assert _shown(response) == {tracked[key].pk for key in expected}


def test_the_measure_tracker_sums_up(world, tracked, english):
    response = english(world.alice).get(reverse("network:measure_list"))
    assert response.context["summary"] == {
        "total": 6,
        "done": 1,
        "pending": 4,
        "overdue": 3,
        "dropped": 1,
        "done_share": 20,  # 1 of the 5 not dropped
    }
    summary = _page(response)
    summary = summary[summary.index('id="measure-summary"') : summary.index("</dl>")]
    assert "20 % of those not dropped" in summary
    flags = {m.pk: m.overdue for m in response.context["page"].object_list}
    assert flags[tracked["overdue"].pk] and not flags[tracked["due_today"].pk]


def test_the_measure_tracker_filters_by_committee_and_institution(world, tracked, vhs, english):
    AgreedMeasure.objects.filter(pk=tracked["late"].pk).update(institution=vhs[0])
    client = english(world.alice)
    by_committee = client.get(
        reverse("network:measure_list"),
        {"state": "all", "committee": world.internal_committee_a.pk},
    )
    assert _shown(by_committee) == {tracked["internal"].pk}
    by_institution = client.get(
        reverse("network:measure_list"), {"state": "all", "institution": vhs[0].pk}
    )
    assert _shown(by_institution) == {tracked["late"].pk}


def test_a_partner_tracks_only_the_shared_measures(world, tracked, english):
    response = english(world.pia).get(reverse("network:measure_list"), {"state": "all"})
    assert response.status_code == 200
    assert tracked["internal"].pk not in _shown(response)
    assert response.context["summary"]["total"] == 5
    assert response.context["summary"]["overdue"] == 2
    assert "Haushalt prüfen" not in _page(response)
    # Partners read; they have no form to record progress.
    assert "Record progress" not in _page(response)


def _progress(measure, status, note="", **extra):
    prefix = f"measure-{measure.pk}"
    return {
        f"{prefix}-version": str(measure.version),
        f"{prefix}-status": status,
        f"{prefix}-note": note,
    } | extra


def test_progress_recorded_in_the_tracker_goes_back_to_the_tracker(world, english):
    measure = world.measure_a
    response = english(world.alice).post(
        reverse("network:measure_update", args=[measure.pk]),
        _progress(measure, "done", "Sprechstunde läuft", next="tracker"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("network:measure_list") + f"#measure-{measure.pk}"
    stored = AgreedMeasure.objects.get(pk=measure.pk)
    assert (stored.status, stored.done_on, stored.version) == ("done", _today(), 2)
    assert MeasureUpdate.objects.get(measure=measure).note == "Sprechstunde läuft"


def test_progress_recorded_on_the_meeting_page_goes_back_there(world, english):
    measure = world.measure_a
    response = english(world.alice).post(
        reverse("network:measure_update", args=[measure.pk]),
        _progress(measure, "in_progress"),
        follow=True,
    )
    meeting_url = reverse("network:meeting_detail", args=[measure.meeting_id])
    assert response.redirect_chain[-1][0] == meeting_url + f"#measure-{measure.pk}"
    assert _messages(response) == ["The progress has been recorded."]
    assert AgreedMeasure.objects.get(pk=measure.pk).status == MeasureStatus.IN_PROGRESS


def test_progress_without_a_change_is_explained(world, english):
    measure = world.measure_a
    response = english(world.alice).post(
        reverse("network:measure_update", args=[measure.pk]),
        _progress(measure, "open", next="tracker"),
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"#measure-{measure.pk}")
    assert _messages(response) == ["Change the status or write a progress note."]
    assert not MeasureUpdate.objects.exists()


def test_stale_progress_is_explained(world, english):
    measure = world.measure_a
    AgreedMeasure.objects.filter(pk=measure.pk).update(version=5)
    response = english(world.alice).post(
        reverse("network:measure_update", args=[measure.pk]),
        _progress(measure, "done", next="tracker"),
        follow=True,
    )
    (message,) = _messages(response)
    assert message.startswith("Someone else changed this record")
    assert AgreedMeasure.objects.get(pk=measure.pk).status == MeasureStatus.OPEN


def test_progress_is_for_the_network_manager(world, english):
    measure = world.measure_a
    url = reverse("network:measure_update", args=[measure.pk])
    assert english(world.cora).post(url, _progress(measure, "done")).status_code == 403
    assert english(world.pia).post(url, _progress(measure, "done")).status_code == 403
    assert english(world.carol).post(url, _progress(measure, "done")).status_code == 404
    assert AgreedMeasure.objects.get(pk=measure.pk).status == MeasureStatus.OPEN


# --- the interface paper ---------------------------------------------------------------


def test_the_interface_paper_starts_from_the_default_steps(world, english):
    response = english(world.carol).get(reverse("network:interface_paper"))
    assert response.status_code == 200
    steps = list(response.context["steps"])
    assert len(steps) == 11
    assert {step.organisation_id for step in steps} == {world.org_b.pk}
    page = _page(response)
    assert "First orientation" in page and "Housing" in page
    assert page.count("Nobody responsible yet.") == 11
    assert "No version issued yet." in page
    # Organisation A keeps its own step.
    other = english(world.alice).get(reverse("network:interface_paper"))
    assert [step.name for step in other.context["steps"]] == ["Arbeitsvermittlung"]
    assert IntegrationStep.objects.filter(organisation=world.org_b).count() == 11


def test_a_version_is_issued_and_downloaded(world, english):
    client = english(world.alice)
    response = client.post(
        reverse("network:paper_issue"),
        {"title": "Schnittstellenpapier 2026", "note": "neue Kontaktperson"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("network:interface_paper") + "#versions"
    assert _messages(response) == ["The new version of the interface paper has been issued."]
    paper = InterfacePaper.objects.get(organisation=world.org_a, number=2)
    assert paper.matrix[0]["rows"][0]["contact"] == "Jana Jobcenter"
    assert reverse("network:paper_pdf", args=[paper.pk]) in _page(response)

    pdf = client.get(reverse("network:paper_pdf", args=[paper.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert 'filename="interface-paper-2.pdf"' in pdf["Content-Disposition"]
    assert pdf.content.startswith(b"%PDF")

    xlsx = client.get(reverse("network:paper_xlsx", args=[paper.pk]))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == XLSX
    assert xlsx["Content-Disposition"].startswith("attachment;")
    assert 'filename="interface-paper-2.xlsx"' in xlsx["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(xlsx.content))
    cells = {
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    assert {"Arbeitsvermittlung", "Jobcenter Alphastadt", "Jana Jobcenter"} <= cells


def test_a_partner_downloads_the_paper_and_another_organisation_does_not(world, english):
    url = reverse("network:paper_pdf", args=[world.paper_a.pk])
    pdf = english(world.pia).get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert english(world.carol).get(url).status_code == 404
    assert (
        english(world.pia).post(reverse("network:paper_issue"), {"title": "x"}).status_code == 403
    )
    assert InterfacePaper.objects.count() == 1


def test_nothing_to_issue_is_explained(world, english):
    response = english(world.carol).post(
        reverse("network:paper_issue"), {"title": "Papier"}, follow=True
    )
    assert _messages(response) == [
        "No institution is responsible for any step yet: there is nothing to issue."
    ]
    assert not InterfacePaper.objects.filter(organisation=world.org_b).exists()


# --- offers ---------------------------------------------------------------------------


@pytest.fixture
def offers(world, vhs):
    def offer(title, area="language", provider=None, **fields):
        return Offer.objects.create(
            organisation=world.org_a,
            title=title,
            area=area,
            provider=provider or world.institution_a,
            **fields,
        )

    return {
        "b2": world.offer_a,
        "café": offer(
            "Sprachcafé",
            provider=vhs[0],
            target_groups="Frauen mit Kindern",
            languages=["deu", "ara"],
            childcare=True,
        ),
        "recognition": offer(
            "Anerkennungsberatung",
            area="recognition",
            description="Beratung zu ausländischen Abschlüssen",
            languages=["ara", "ukr"],
        ),
        "ended": offer("Sprachkurs Sommer", languages=["deu"], ends_on=_today() - _days(1)),
        "inactive": offer("Sprachtreff", languages=["deu"], is_active=False),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"b2", "café", "recognition"}),
        ({"q": "sprach", "current": "on"}, {"b2", "café"}),
        ({"q": "sprach"}, {"b2", "café", "ended", "inactive"}),
        ({"q": "frauen kindern", "current": "on"}, {"café"}),
        ({"q": "abschlüssen", "current": "on"}, {"recognition"}),
        ({"q": "volkshochschule", "current": "on"}, {"café"}),
        ({"area": "recognition", "current": "on"}, {"recognition"}),
        ({"area": "language", "current": "on"}, {"b2", "café"}),
        ({"language": "ara", "current": "on"}, {"café", "recognition"}),
        ({"language": "deu", "current": "on"}, {"café"}),
        ({"language": "ukr", "area": "language", "current": "on"}, set()),
        ({"language": "ukr", "q": "beratung", "current": "on"}, {"recognition"}),
    ],
)
def test_the_offer_search(world, offers, english, query, expected):
    response = english(world.alice).get(reverse("network:offer_list"), query)
    assert response.status_code == 200
    assert _shown(response) == {offers[key].pk for key in expected}


def test_an_offer_is_added_from_its_form(world, vhs, english):
    response = english(world.alice).post(
        reverse("network:offer_create"),
        {
            "title": "Sprachcafé",
            "area": "language",
            "language_level": "A2",
            "provider": str(vhs[0].pk),
            "languages": ["deu", "ara"],
            "capacity": "12",
            "childcare": "on",
        },
    )
    offer = Offer.objects.get(title="Sprachcafé")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:offer_detail", args=[offer.pk])
    assert (offer.provider, offer.languages, offer.capacity, offer.childcare) == (
        vhs[0],
        ["deu", "ara"],
        12,
        True,
    )
    assert list(_written().values_list("action", flat=True)) == ["lotse.offer.saved"]


def test_an_offer_names_its_languages(world, offers, english):
    response = english(world.alice).get(reverse("network:offer_detail", args=[offers["café"].pk]))
    assert response.status_code == 200
    assert "German, Arabic" in _page(response)


# --- needs and gaps ---------------------------------------------------------------------


def test_the_gap_report_names_a_need_without_an_offer(world, english):
    response = english(world.alice).get(reverse("network:gap_report"))
    assert response.status_code == 200
    uncovered = _section(response, "uncovered")
    assert "childcare: 12 people in need, no current offer" in uncovered
    assert "language" not in uncovered  # Berufssprachkurs B2 offers language places
    rows = {row.area: row for row in response.context["report"].rows}
    assert (rows["childcare"].demand, rows["childcare"].offers, rows["childcare"].gap) == (
        12,
        0,
        12,
    )
    assert "Mütter mit kleinen Kindern" in _section(response, "needs")


def test_the_gap_table_breaks_the_counted_need_down_by_target_group(world, english):
    response = english(world.alice).get(reverse("network:gap_report"))
    gaps = _section(response, "gaps")
    assert "Mütter mit kleinen Kindern: 12" in gaps


def test_the_gap_table_says_when_offers_do_not_state_their_places(world, english):
    Offer.objects.create(
        organisation=world.org_a,
        title="Sprachtreff",
        area="language",
        provider=world.institution_a,
    )
    response = english(world.alice).get(reverse("network:gap_report"))
    assert "1 offer without a number of places" in _section(response, "gaps")


def test_a_counted_need_is_recorded_from_the_report(world, english):
    response = english(world.alice).post(
        reverse("network:need_add"),
        {
            "area": "housing",
            "target_group": "Familien",
            "count": "7",
            "source": "Umfrage",
            "recorded_on": _today().isoformat(),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("network:gap_report") + "#needs"
    assert _messages(response) == ["The counted need has been recorded."]
    entry = NeedsEntry.objects.get(area="housing")
    assert (entry.count, entry.recorded_by) == (7, world.alice)
    assert "housing: 7 people in need, no current offer" in _section(response, "uncovered")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"area": "housing", "target_group": "Familien", "count": "sieben"},
        {"area": "housing", "target_group": "Familien", "count": "0"},
        {"area": "nowhere", "target_group": "Familien", "count": "3"},
    ],
    ids=["empty", "not-a-number", "zero", "unknown-area"],
)
def test_an_invalid_need_is_explained_and_saves_nothing(world, english, data):
    values = {"recorded_on": _today().isoformat()} | data if data else {}
    response = english(world.alice).post(reverse("network:need_add"), values, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("network:gap_report") + "#needs"
    assert _messages(response)  # what was wrong, as messages
    assert list(NeedsEntry.objects.all()) == [world.need_a]


# --- what partners see ------------------------------------------------------------------


def test_a_partner_reads_the_shared_committee(world, english):
    client = english(world.pia)
    shared = client.get(reverse("network:committee_detail", args=[world.committee_a.pk]))
    assert shared.status_code == 200
    assert world.committee_a.name in _page(shared)
    assert "Record a meeting" not in _page(shared)
    meeting = client.get(reverse("network:meeting_detail", args=[world.network_meeting_a.pk]))
    assert meeting.status_code == 200
    assert "Sprechstunde einrichten" in _page(meeting)


def test_a_partner_gets_no_internal_committee(world, english):
    client = english(world.pia)
    urls = [
        reverse("network:committee_detail", args=[world.internal_committee_a.pk]),
        reverse("network:meeting_detail", args=[world.internal_meeting_a.pk]),
        reverse("network:minutes_pdf", args=[world.internal_meeting_a.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    committees = client.get(reverse("network:committee_list"))
    assert list(committees.context["committees"]) == [world.committee_a]
    assert world.internal_committee_a.name not in _page(committees)


def test_a_partner_gets_no_actor_table(world, english):
    client = english(world.pia)
    assert client.get(reverse("network:actor_table")).status_code == 403
    assert client.get(reverse("network:actor_table_xlsx")).status_code == 403
    tabs = client.get(reverse("network:institution_list"))
    assert reverse("network:actor_table") not in _page(tabs)
    staff = english(world.alice).get(reverse("network:institution_list"))
    assert reverse("network:actor_table") in _page(staff)


def test_a_partner_sees_no_actor_table_on_an_institutions_page(world, english):
    Institution.objects.filter(pk=world.institution_a.pk).update(
        contributions="Räume für Sprachkurse", cooperates=True, core_group="member"
    )
    url = reverse("network:institution_detail", args=[world.institution_a.pk])

    partner = english(world.pia).get(url)
    staff = english(world.alice).get(url)

    assert partner.status_code == staff.status_code == 200
    assert 'id="actor"' not in _page(partner)
    assert "Räume für Sprachkurse" not in _page(partner)
    assert "In the actor table" not in _page(partner)
    assert 'id="actor"' in _page(staff)
    assert "Räume für Sprachkurse" in _page(staff)
    # Both see the contact person.
    assert "Jana Jobcenter" in _page(partner) and "Jana Jobcenter" in _page(staff)


def test_a_partner_writes_nothing(world, english):
    client = english(world.pia)
    posts = [
        (reverse("network:institution_create"), _institution_data()),
        (reverse("network:need_add"), {"area": "housing", "target_group": "x", "count": "1"}),
        (reverse("network:goal_add", args=[world.network_meeting_a.pk]), {"text": "Ziel"}),
        (reverse("network:committee_create"), {"name": "AG", "kind": "forum"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert not _written().exists()
    assert not SharedGoal.objects.exists()


# --- the network map --------------------------------------------------------------------


def _connections(response):
    """The rows of the map's list of connections."""
    page = _page(response)
    listed = page[page.index('id="links-heading"') :]
    cells = re.findall(r'<td class="kern-table__cell">([^<]*)</td>', listed)
    return [tuple(cells[n : n + 3]) for n in range(0, len(cells), 3)]


def test_the_network_map_is_an_svg(world, vhs, english):
    CooperationAgreement.objects.get(pk=world.agreement_a.pk).parties.add(vhs[0])
    response = english(world.alice).get(reverse("network:network_map"))
    assert response.status_code == 200
    page = _page(response)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert "Jobcenter Alphastadt" in svg


def test_the_network_map_lists_its_connections_by_name(world, vhs, english):
    CooperationAgreement.objects.get(pk=world.agreement_a.pk).parties.add(vhs[0])
    response = english(world.alice).get(reverse("network:network_map"))
    assert _connections(response) == [
        ("Jobcenter Alphastadt", "Volkshochschule Alphastadt", "cooperation agreement")
    ]


def test_the_network_map_of_a_partner_leaves_out_the_internal_committee(world, vhs, english):
    for institution, contact in ((world.institution_a, None), vhs):
        CommitteeMember.objects.create(
            organisation=world.org_a,
            committee=world.internal_committee_a,
            institution=institution,
            contact=contact,
        )
    tie = ("Jobcenter Alphastadt", "Volkshochschule Alphastadt", "committee")
    staff = english(world.alice).get(reverse("network:network_map"))
    assert _connections(staff) == [tie]  # they sit on the internal committee

    partner = english(world.pia).get(reverse("network:network_map"))
    assert partner.status_code == 200
    assert _connections(partner) == []
    assert "No connections recorded yet." in _page(partner)


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("network:institution_list", {"page": "abc"}),
        ("network:institution_list", {"page": "99999"}),
        ("network:institution_list", {"domain": "nonsense"}),
        ("network:institution_list", {"kind": "x", "q": "a" * 300}),
        ("network:actor_table", {"core_group": "zzz", "cooperates": "vielleicht"}),
        ("network:actor_table_xlsx", {"domain": "nonsense"}),
        ("network:measure_list", {"page": "abc"}),
        ("network:measure_list", {"state": "nonsense"}),
        ("network:measure_list", {"committee": "abc", "institution": "999999"}),
        ("network:offer_list", {"page": "abc"}),
        ("network:offer_list", {"language": "xyz", "area": "nonsense"}),
        ("network:offer_list", {"current": "vielleicht", "q": "\x00"}),
        ("network:committee_list", {"page": "abc"}),
        ("network:gap_report", {"page": "abc"}),
        ("network:network_map", {"domain": "nonsense"}),
        ("network:interface_paper", {"page": "abc"}),
    ],
)
def test_bad_query_parameters_never_break_a_page(world, english, name, query):
    response = english(world.alice).get(reverse(name), query)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("network:need_add", {}),
        ("network:need_add", {"area": "housing", "target_group": "x", "count": "zwölf"}),
        ("network:need_add", {"area": "housing", "target_group": "x", "count": "1e9"}),
        ("network:paper_issue", {}),
        ("network:responsibility_add", {}),
        ("network:responsibility_add", {"step": "abc", "institution": "-1"}),
        ("network:measure_update", {}),
        ("network:measure_update", {"measure-1-version": "abc", "measure-1-status": "done"}),
        ("network:member_add", {}),
        ("network:member_add", {"institution": "abc", "role": "king"}),
        ("network:goal_add", {}),
        ("network:measure_add", {}),
        ("network:measure_add", {"title": "x", "due_on": "morgen", "goal": "999"}),
    ],
)
def test_bad_form_input_never_breaks_a_page(world, english, name, data):
    args = {
        "network:measure_update": [world.measure_a.pk],
        "network:member_add": [world.committee_a.pk],
        "network:goal_add": [world.network_meeting_a.pk],
        "network:measure_add": [world.network_meeting_a.pk],
    }.get(name, [])
    response = english(world.alice).post(reverse(name, args=args), data, follow=True)
    assert response.status_code == 200
    assert _messages(response)
    assert not _written().exists()


def test_a_meeting_form_with_bad_dates_is_shown_again(world, vhs, english):
    data = _meeting_data(world, vhs) | {"held_on": "gestern", "measure-0-due_on": "bald"}
    response = english(world.alice).post(
        reverse("network:meeting_create", args=[world.committee_a.pk]), data
    )
    assert response.status_code == 200
    assert "Enter a valid date." in _page(response)
    assert NetworkMeeting.objects.count() == 2


@pytest.mark.parametrize(
    "name",
    [
        "network:institution_detail",
        "network:committee_detail",
        "network:meeting_detail",
        "network:offer_detail",
        "network:paper_pdf",
        "network:agreement_document",
    ],
)
def test_an_unknown_record_is_not_found(world, english, name):
    assert english(world.alice).get(reverse(name, args=[999999])).status_code == 404


def test_an_agreement_without_a_document_is_not_found(world, english):
    url = reverse("network:agreement_document", args=[world.agreement_a.pk])
    assert english(world.alice).get(url).status_code == 404
