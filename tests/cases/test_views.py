"""Pages of case management (lotse.cases.views)."""

import datetime

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.cases import services
from lotse.cases.models import (
    Case,
    CaseContact,
    CaseDocument,
    HelpPlan,
    Intake,
    PlanGoal,
    PlanMeasure,
)
from lotse.core.models import AuditEntry
from lotse.programmes.catalogues import CASE_MANAGEMENT
from lotse.programmes.models import Programme, Step

from ..factories import MembershipFactory
from ..tandems.helpers import acting, person

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
CLIENT = "Amira Haddad"  # world.person_a1, the client of world.case_a
SENTINEL = "SENSITIVE-SENTINEL"
# The audit actions of the cases' writes (reading a case or a document leaves others).
WRITES = {
    value
    for name, value in vars(services).items()
    if isinstance(value, str)
    and value.startswith("lotse.")
    and name not in ("CASE_READ", "DOCUMENT_READ", "PLAN_PRINTED")
}


def _today():
    return timezone.localdate()


def _days(n):
    return datetime.timedelta(days=n)


def _page(response):
    return response.content.decode()


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _section(response, heading_id):
    """The markup of the <section> labelled by the heading with this id."""
    page = _page(response)
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def _shown(response):
    return {case.pk for case in response.context["page"].object_list}


def _written():
    return AuditEntry.objects.filter(action__in=WRITES)


def _case(world, client, *, caseworker=None, site=None, status="active", **fields):
    """A case written directly, with its intake and an empty help plan."""
    programme = Programme.objects.create(
        organisation=world.org_a,
        name=f"Fallmanagement {Programme.objects.count()}",
        kind="case_management",
    )
    case = Case.objects.create(
        organisation=world.org_a,
        client=client,
        programme=programme,
        site=site or client.site,
        caseworker=caseworker or world.alice,
        status=status,
        opened_on=fields.pop("opened_on", _today() - _days(5)),
        **fields,
    )
    Intake.objects.create(organisation=world.org_a, case=case)
    HelpPlan.objects.create(organisation=world.org_a, case=case, number=1)
    return case


@pytest.fixture
def programme(world):
    programme = Programme.objects.create(
        organisation=world.org_a, name="Fallmanagement Alphastadt", kind="case_management"
    )
    Step.objects.bulk_create(
        Step(organisation=world.org_a, programme=programme, position=n, **step._asdict())
        for n, step in enumerate(CASE_MANAGEMENT, start=1)
    )
    return programme


@pytest.fixture
def stored_document(world, documents):
    """A document of world.case_a with its file stored, uploaded by alice."""
    return services.upload_document(
        actor=acting(world.alice),
        case=world.case_a,
        title="Zeugnis",
        upload=SimpleUploadedFile("Zeugnis Amira Haddad.pdf", PDF),
    )


# --- who sees a case ------------------------------------------------------------------


def _case_urls(world):
    return {
        "case": reverse("cases:case_detail", args=[world.case_a.pk]),
        "plan": reverse("cases:plan_detail", args=[world.plan_a.pk]),
        "plan pdf": reverse("cases:plan_pdf", args=[world.plan_a.pk]),
        "edit": reverse("cases:case_edit", args=[world.case_a.pk]),
        "close": reverse("cases:case_close", args=[world.case_a.pk]),
        "intake": reverse("cases:intake_edit", args=[world.case_a.pk]),
        "contact": reverse("cases:contact_create", args=[world.case_a.pk]),
    }


def test_the_caseworker_reads_the_case_and_its_plan(world, english):
    client = english(world.alice)
    for name, url in _case_urls(world).items():
        response = client.get(url)
        assert response.status_code == 200, name
    page = _page(client.get(_case_urls(world)["case"]))
    assert CLIENT in page
    assert "Sprachkurs anmelden" in page
    assert AuditEntry.objects.filter(
        action="lotse.case.read", target_id=str(world.case_a.pk), actor=world.alice
    ).exists()
    pdf = client.get(_case_urls(world)["plan pdf"])
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    # Printed twice: once in the loop above, once here.
    assert AuditEntry.objects.filter(action="lotse.case.plan_printed").count() == 2


@pytest.mark.parametrize("who", ["cora", "carol", "pia"])
def test_who_may_not_see_the_site_or_organisation_does_not_find_the_case(world, english, who):
    client = english(getattr(world, who))
    for name, url in _case_urls(world).items():
        assert client.get(url).status_code == 404, name
    assert not AuditEntry.objects.filter(action__startswith="lotse.case.").exists()


@pytest.mark.parametrize("who", ["cora", "carol", "pia"])
def test_who_does_not_find_the_case_cannot_write_to_it(world, english, who):
    client = english(getattr(world, who))
    case, measure, referral = world.case_a, world.plan_measure_a, world.referral_a
    posts = {
        "cases:case_edit": case.pk,
        "cases:case_close": case.pk,
        "cases:case_hold": case.pk,
        "cases:case_resume": case.pk,
        "cases:intake_edit": case.pk,
        "cases:goal_add": case.pk,
        "cases:measure_add": case.pk,
        "cases:plan_agree": case.pk,
        "cases:contact_create": case.pk,
        "cases:referral_create": case.pk,
        "cases:document_upload": case.pk,
        "cases:measure_update": measure.pk,
        "cases:referral_update": referral.pk,
    }
    for name, pk in posts.items():
        response = client.post(
            reverse(name, args=[pk]),
            {"version": 1, "area": "work", "text": "Job", "status": "done"},
        )
        assert response.status_code == 404, name
    assert not _written().exists()
    assert PlanGoal.objects.filter(plan=world.plan_a).count() == 1


def test_a_viewer_gets_403_and_never_the_client_s_name(world, english):
    client = english(world.vera)
    urls = {
        **_case_urls(world),
        "caseload": reverse("cases:caseload"),
        "document": reverse("cases:document_download", args=[world.case_document_a.pk]),
        "new": reverse("cases:case_create"),
        "calendar": reverse("cases:calendar"),
        "referrals": reverse("cases:referral_report"),
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 403, name
        assert "Haddad" not in _page(response), name
    assert not AuditEntry.objects.filter(action="lotse.case.read").exists()


def test_the_dashboard_of_a_viewer_names_no_client(world, english):
    Case.objects.filter(pk=world.case_a.pk).update(last_contact_on=_today() - _days(40))
    # The caseworker's dashboard names the client of the case without contact ...
    assert CLIENT in _page(english(world.alice).get(reverse("core:dashboard")))
    # ... the viewer's does not.
    response = english(world.vera).get(reverse("core:dashboard"))
    assert response.status_code == 200
    page = _page(response)
    assert "Haddad" not in page
    assert world.case_a.number not in page


def test_the_person_page_lists_the_person_s_cases(world, english):
    url = reverse("people:person_detail", args=[world.person_a1.pk])
    page = _page(english(world.alice).get(url))
    assert world.case_a.number in page
    assert reverse("cases:case_detail", args=[world.case_a.pk]) in page
    assert f"{reverse('cases:case_create')}?person={world.person_a1.pk}" in page


def test_the_person_page_of_a_volunteer_offers_no_case(world, english):
    volunteer = person(world, "Heinz", "Brückner", role="volunteer")
    page = _page(english(world.alice).get(reverse("people:person_detail", args=[volunteer.pk])))
    assert 'id="cases-heading"' not in page
    assert f"{reverse('cases:case_create')}?person=" not in page


def test_the_person_page_of_a_viewer_has_no_cases(world, english):
    response = english(world.vera).get(reverse("people:person_detail", args=[world.person_a1.pk]))
    assert world.case_a.number not in _page(response)


# --- the document download --------------------------------------------------------------


def test_the_caseworker_downloads_a_stored_document(world, english, stored_document):
    url = reverse("cases:document_download", args=[stored_document.pk])
    response = english(world.alice).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"document-{world.case_a.number}-{stored_document.pk}.pdf" in disposition
    assert "Haddad" not in disposition and "Zeugnis" not in disposition
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    [entry] = AuditEntry.objects.filter(action="lotse.case.document_read")
    assert (entry.actor, entry.target_id) == (world.alice, str(world.case_a.pk))


@pytest.mark.parametrize(
    ("who", "status"), [("cora", 404), ("carol", 404), ("pia", 404), ("vera", 403)]
)
def test_others_do_not_download_the_document(world, english, stored_document, who, status):
    url = reverse("cases:document_download", args=[stored_document.pk])
    response = english(getattr(world, who)).get(url)
    assert response.status_code == status
    assert PDF not in response.content
    assert not AuditEntry.objects.filter(action="lotse.case.document_read").exists()


def test_a_document_whose_file_is_missing_is_not_found(world, english):
    url = reverse("cases:document_download", args=[world.case_document_a.pk])
    assert english(world.alice).get(url).status_code == 404


def test_a_document_is_uploaded_on_the_case_page(world, english, documents):
    client = english(world.alice)
    response = client.post(
        reverse("cases:document_upload", args=[world.case_a.pk]),
        {"title": "Lebenslauf", "file": SimpleUploadedFile("Lebenslauf Haddad.pdf", PDF)},
        follow=True,
    )
    assert _messages(response) == ["The document has been uploaded."]
    document = CaseDocument.objects.get(title="Lebenslauf")
    assert "Haddad" not in document.file.name
    refused = client.post(
        reverse("cases:document_upload", args=[world.case_a.pk]),
        {"title": "Programm", "file": SimpleUploadedFile("programm.exe", b"MZ\x90\x00" * 8)},
        follow=True,
    )
    assert _messages(refused) == [
        "Upload a PDF, an image (JPEG, PNG) or an office file (Word, Excel, OpenDocument)."
    ]
    assert not CaseDocument.objects.filter(title="Programm").exists()


# --- sensitive intake sections ------------------------------------------------------------


def _grant(user, sensitive):
    Membership.objects.filter(user=user).update(sensitive_data=sensitive)


@pytest.mark.parametrize("who", ["alice", "kai"])
def test_without_the_grant_health_and_residence_are_not_shown(world, english, who):
    if who == "kai":
        user = MembershipFactory(
            organisation=world.org_a,
            user__full_name="Kai Fallmanager",
            role=Role.CASEWORKER,
            sensitive_data=False,
        ).user
    else:
        user = world.alice
        _grant(user, False)
    Intake.objects.filter(case=world.case_a).update(residence="SENSITIVE-SENTINEL Duldung")
    client = english(user)
    for url in (
        reverse("cases:case_detail", args=[world.case_a.pk]),
        reverse("cases:intake_edit", args=[world.case_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        page = _page(response)
        assert SENTINEL not in page
        assert "Health or other constraints" not in page
        assert "Residence and benefits situation" not in page
        assert 'name="health"' not in page and 'name="residence"' not in page
    # The page shows the rest of the intake.
    assert "Arbeit" in _section(
        client.get(reverse("cases:case_detail", args=[world.case_a.pk])), "intake-heading"
    )


def test_with_the_grant_health_and_residence_are_shown(world, english):
    _grant(world.alice, True)
    client = english(world.alice)
    detail = client.get(reverse("cases:case_detail", args=[world.case_a.pk]))
    assert "SENSITIVE-SENTINEL Gesundheit" in _section(detail, "intake-heading")
    assert "Health or other constraints" in _page(detail)
    form = _page(client.get(reverse("cases:intake_edit", args=[world.case_a.pk])))
    assert 'name="health"' in form and 'name="residence"' in form
    assert "SENSITIVE-SENTINEL Gesundheit" in form


def _intake_data(**fields):
    return {
        "version": 1,
        "family_situation": "verheiratet",
        "children_ages": "2, 6",
        "languages": "Deutsch B1",
        "education": "",
        "work_experience": "",
        "goals": "Arbeit in der Pflege",
        **fields,
    }


def test_the_intake_form_without_the_grant_leaves_health_alone(world, english):
    _grant(world.alice, False)
    response = english(world.alice).post(
        reverse("cases:intake_edit", args=[world.case_a.pk]),
        _intake_data(health="überschrieben", residence="überschrieben", complete="on"),
        follow=True,
    )
    assert _messages(response) == ["The intake has been saved."]
    intake = Intake.objects.get(case=world.case_a)
    assert (intake.health, intake.residence) == ("SENSITIVE-SENTINEL Gesundheit", "")
    assert (intake.languages, intake.goals, intake.completed_on) == (
        "Deutsch B1",
        "Arbeit in der Pflege",
        _today(),
    )
    assert SENTINEL not in _page(response)


def test_the_intake_form_with_the_grant_saves_health(world, english):
    _grant(world.alice, True)
    response = english(world.alice).post(
        reverse("cases:intake_edit", args=[world.case_a.pk]),
        _intake_data(health="Rückenleiden", residence="Niederlassungserlaubnis"),
    )
    assert response.status_code == 302
    intake = Intake.objects.get(case=world.case_a)
    assert (intake.health, intake.residence) == ("Rückenleiden", "Niederlassungserlaubnis")


def test_a_stale_intake_form_is_shown_again_with_the_conflict(world, english):
    Intake.objects.filter(case=world.case_a).update(version=2)
    response = english(world.alice).post(
        reverse("cases:intake_edit", args=[world.case_a.pk]), _intake_data(goals="Neu")
    )
    assert response.status_code == 200
    assert "Someone else changed this case" in _page(response)
    assert Intake.objects.get(case=world.case_a).goals == "Arbeit"


# --- the caseload -----------------------------------------------------------------------


@pytest.fixture
def caseload(world):
    """Beside world.case_a (alice's, no contact for 40 days, an appointment in
    two days): an overdue measure in it, a case of ada's, a closed case of
    alice's, a case at site A2 of cora's with alice as deputy."""
    PlanMeasure.objects.filter(pk=world.plan_measure_a.pk).update(due_on=_today() - _days(3))
    Case.objects.filter(pk=world.case_a.pk).update(last_contact_on=None)
    talking = _case(world, person(world, "Lina", "Haddou"), caseworker=world.ada)
    CaseContact.objects.create(
        organisation=world.org_a,
        case=talking,
        kind="phone",
        starts_at=timezone.now() + _days(1),
        staff=world.ada,
    )
    closed = _case(
        world,
        person(world, "Tarek", "Saleh"),
        status="closed",
        closed_on=_today(),
        closing_reason="placed",
        outcome="employment",
    )
    north = _case(world, world.person_a2, caseworker=world.cora, last_contact_on=_today())
    north.deputies.add(world.alice)
    return {"own": world.case_a, "ada": talking, "closed": closed, "north": north}


def test_the_caseload_shows_what_needs_doing(world, english, caseload):
    response = english(world.alice).get(reverse("cases:caseload"))
    assert response.status_code == 200
    overdue = _section(response, "overdue-heading")
    assert f"{CLIENT} ({world.case_a.number})" in overdue
    assert "Sprachkurs anmelden" in overdue
    upcoming = _section(response, "upcoming-heading")
    assert f"{CLIENT} ({world.case_a.number})" in upcoming
    assert "Lina Haddou" not in upcoming  # ada's appointment
    silent = _section(response, "silent-heading")
    assert f"{CLIENT} ({world.case_a.number})" in silent
    assert "no contact yet" in silent
    assert "Bondarenko" not in silent  # contact today
    assert "Haddou" not in silent  # ada's


def test_the_caseload_sections_are_empty_when_all_is_well(world, english):
    CaseContact.objects.all().delete()
    Case.objects.filter(pk=world.case_a.pk).update(last_contact_on=_today())
    response = english(world.alice).get(reverse("cases:caseload"))
    assert "No measure is overdue." in _section(response, "overdue-heading")
    assert "No appointments in the next two weeks." in _section(response, "upcoming-heading")
    assert "Every case of yours had a contact" in _section(response, "silent-heading")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"own", "north"}),
        ({"scope": "mine"}, {"own", "north"}),
        ({"scope": "all"}, {"own", "ada", "north"}),
        ({"scope": "all", "state": "all"}, {"own", "ada", "closed", "north"}),
        ({"scope": "mine", "state": "closed"}, {"closed"}),
        ({"scope": "all", "state": "active"}, {"own", "ada", "north"}),
        ({"scope": "all", "state": "on_hold"}, set()),
        ({"scope": "all", "q": "haddad"}, {"own"}),
        ({"scope": "all", "q": "Bondarenko"}, {"north"}),
        ({"scope": "all", "q": "Ha"}, {"own", "ada"}),
        ({"scope": "all", "state": "all", "q": "Tarek Saleh"}, {"closed"}),
        ({"scope": "all", "q": "nobody"}, set()),
    ],
)
def test_the_caseload_filters(world, english, caseload, query, expected):
    response = english(world.alice).get(reverse("cases:caseload"), query)
    assert response.status_code == 200
    assert _shown(response) == {caseload[key].pk for key in expected}


def test_the_caseload_finds_a_case_by_its_number(world, english, caseload):
    client = english(world.alice)
    for text in (caseload["ada"].number, caseload["ada"].number.lower(), str(caseload["ada"].pk)):
        response = client.get(reverse("cases:caseload"), {"scope": "all", "q": text})
        assert _shown(response) == {caseload["ada"].pk}, text
    number = f"F-{caseload['ada'].pk:04d}"
    response = client.get(reverse("cases:caseload"), {"scope": "all", "q": number})
    assert _shown(response) == {caseload["ada"].pk}


def test_the_caseload_filters_by_site(world, english, caseload):
    response = english(world.alice).get(
        reverse("cases:caseload"), {"scope": "all", "site": world.site_a2.pk}
    )
    assert _shown(response) == {caseload["north"].pk}


def test_a_caseworker_of_another_site_lists_only_her_site(world, english, caseload):
    response = english(world.cora).get(reverse("cases:caseload"), {"scope": "all", "state": "all"})
    assert response.status_code == 200
    assert _shown(response) == {caseload["north"].pk}
    page = _page(response)
    assert "Haddad" not in page and "Haddou" not in page
    # Her own searches find nothing of site A1, not even by number.
    response = english(world.cora).get(
        reverse("cases:caseload"), {"scope": "all", "q": world.case_a.number}
    )
    assert _shown(response) == set()


def test_the_caseload_follows_the_chosen_site(world, english, caseload):
    client = english(world.alice)
    client.post(reverse("core:switch_site"), {"site": world.site_a2.pk, "next": "/"})
    response = client.get(reverse("cases:caseload"), {"scope": "all", "state": "all"})
    assert _shown(response) == {caseload["north"].pk}
    assert "Sprachkurs anmelden" not in _section(response, "overdue-heading")


def test_the_caseload_answers_htmx_with_the_results_only(world, english, caseload):
    response = english(world.alice).get(
        reverse("cases:caseload"), {"scope": "all", "q": "Haddou"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = _page(response)
    assert "<html" not in page
    assert 'id="case-count"' in page
    assert "Lina Haddou" in page
    assert CLIENT not in page
    assert response.templates[0].name == "cases/_case_results.html"


def test_the_caseload_has_pages(world, english):
    for n in range(51):
        _case(world, person(world, f"Vorname{n}", f"Familie{n}"))
    client = english(world.alice)
    first = client.get(reverse("cases:caseload"))
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("cases:caseload"), {"page": 2})
    assert len(second.context["page"].object_list) == 2


def test_the_referral_report_counts_per_partner(world, english):
    response = english(world.alice).get(reverse("cases:referral_report"))
    assert response.status_code == 200
    assert response.context["partners"][0]["institution"] == "Jobcenter Alphastadt"
    assert "Jobcenter Alphastadt" in _page(response)
    # A caseworker of site A2 counts only the referrals of the cases she may see.
    north = english(world.cora).get(reverse("cases:referral_report"))
    assert north.status_code == 200
    assert north.context["partners"] == []
    assert "Jobcenter Alphastadt" not in _page(north)


# --- opening a case ------------------------------------------------------------------------


def _case_data(world, client, programme, **fields):
    return {
        "client": client.pk,
        "programme": programme.pk,
        "site": "",
        "caseworker": world.alice.pk,
        "deputies": [world.cora.pk],
        "opened_on": _today().isoformat(),
        **fields,
    }


def test_a_case_is_opened_from_the_form(world, english, programme):
    samira = person(world, "Samira", "Nouri")
    response = english(world.alice).post(
        reverse("cases:case_create"), _case_data(world, samira, programme)
    )
    case = Case.objects.get(client=samira)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk]) + "#intake"
    assert (case.site, case.caseworker, case.status) == (world.site_a1, world.alice, "intake")
    assert list(case.deputies.all()) == [world.cora]


def test_the_form_is_prefilled_for_the_person(world, english, programme):
    samira = person(world, "Samira", "Nouri")
    response = english(world.alice).get(reverse("cases:case_create"), {"person": samira.pk})
    assert response.status_code == 200
    page = _page(response)
    assert f'<option value="{samira.pk}" selected>' in page
    assert f'<option value="{world.alice.pk}" selected>' in page
    # Only case-management programmes and participants are offered.
    assert "Job Coaches Alphastadt" not in page
    assert "Jürgen Wegmann" not in page


def test_the_case_form_speaks_german_by_default_and_keeps_the_values(world, client_for, programme):
    samira = person(world, "Samira", "Nouri")
    data = _case_data(world, samira, programme, caseworker="", opened_on="gestern")
    response = client_for(world.alice).post(reverse("cases:case_create"), data)
    assert response.status_code == 200
    page = _page(response)
    assert "Dieses Feld ist zwingend erforderlich." in page
    assert "Bitte ein gültiges Datum eingeben." in page
    assert "Bitte korrigieren Sie die markierten Felder." in page
    assert "This field is required." not in page
    assert f'<option value="{samira.pk}" selected>' in page
    assert f'<option value="{programme.pk}" selected>' in page
    assert 'value="gestern"' in page
    assert not Case.objects.filter(client=samira).exists()


def test_a_second_open_case_is_explained_on_the_form_in_german(world, client_for, programme):
    samira = person(world, "Samira", "Nouri")
    client = client_for(world.alice)
    client.post(reverse("cases:case_create"), _case_data(world, samira, programme))
    response = client.post(reverse("cases:case_create"), _case_data(world, samira, programme))
    assert response.status_code == 200
    assert "Samira Nouri hat in diesem Programm schon einen offenen Fall." in _page(response)
    assert Case.objects.filter(client=samira).count() == 1


def test_a_case_in_the_future_is_refused(world, english, programme):
    samira = person(world, "Samira", "Nouri")
    response = english(world.alice).post(
        reverse("cases:case_create"),
        _case_data(world, samira, programme, opened_on=(_today() + _days(1)).isoformat()),
    )
    assert response.status_code == 200
    assert "A case cannot be opened in the future." in _page(response)
    assert not Case.objects.filter(client=samira).exists()


def test_a_caseworker_of_another_site_is_not_offered_its_clients(world, english, programme):
    samira = person(world, "Samira", "Nouri")
    response = english(world.cora).post(
        reverse("cases:case_create"),
        _case_data(world, samira, programme, caseworker=world.cora.pk, deputies=[]),
    )
    assert response.status_code == 200
    assert "client" in response.context["form"].errors
    assert "Samira Nouri" not in _page(response)
    assert not Case.objects.filter(client=samira).exists()


# --- working a case ------------------------------------------------------------------------


def test_goals_measures_and_agreement_from_the_case_page(world, english):
    client = english(world.alice)
    url = reverse("cases:case_detail", args=[world.case_a.pk])
    response = client.post(
        reverse("cases:goal_add", args=[world.case_a.pk]),
        {"area": "work", "text": "Eine Stelle in der Pflege"},
        follow=True,
    )
    assert _messages(response) == ["The goal has been added."]
    goal = PlanGoal.objects.get(text="Eine Stelle in der Pflege")
    response = client.post(
        reverse("cases:measure_add", args=[world.case_a.pk]),
        {"goal": goal.pk, "what": "Bewerben", "responsible": "partner", "offer": world.offer_a.pk},
        follow=True,
    )
    assert _messages(response) == ["The measure has been added."]
    measure = PlanMeasure.objects.get(what="Bewerben")
    assert (measure.institution, measure.offer) == (world.institution_a, world.offer_a)
    response = client.post(
        reverse("cases:measure_add", args=[world.case_a.pk]),
        {"goal": goal.pk, "what": "Ohne Partner", "responsible": "partner"},
        follow=True,
    )
    assert _messages(response) == ["Partner institution: Choose the partner institution or offer."]
    response = client.post(
        reverse("cases:measure_update", args=[measure.pk]),
        {f"measure-{measure.pk}-status": "done", f"measure-{measure.pk}-note": "eingereicht"},
        follow=True,
    )
    assert _messages(response) == ["The measure has been saved."]
    assert PlanMeasure.objects.get(pk=measure.pk).done_on == _today()

    agreed = client.post(
        reverse("cases:plan_agree", args=[world.case_a.pk]),
        {"agreed_on": (_today() - _days(1)).isoformat()},
        follow=True,
    )
    assert _messages(agreed) == ["The help plan has been agreed."]
    client.post(reverse("cases:plan_agree", args=[world.case_a.pk]), {"agreed_on": _today()})
    plans = list(HelpPlan.objects.filter(case=world.case_a).order_by("number"))
    assert [(p.number, p.superseded_on) for p in plans] == [(1, _today()), (2, None)]
    page = client.get(url)
    assert page.context["plan"] == plans[1]
    assert reverse("cases:plan_detail", args=[plans[0].pk]) in _page(page)
    # The earlier version is still readable, and without forms.
    earlier = client.get(reverse("cases:plan_detail", args=[plans[0].pk]))
    assert earlier.status_code == 200
    assert "Eine Stelle in der Pflege" in _page(earlier)
    assert "measure_update" not in _page(earlier)
    assert reverse("cases:measure_update", args=[measure.pk]) not in _page(earlier)


def test_a_measure_of_an_earlier_version_cannot_be_changed_from_a_page(world, english):
    alice = acting(world.alice)
    services.agree_plan(actor=alice, plan=world.plan_a, agreed_on=_today() - _days(1))
    services.agree_plan(actor=alice, plan=HelpPlan.objects.get(pk=world.plan_a.pk))
    measure = world.plan_measure_a
    response = english(world.alice).post(
        reverse("cases:measure_update", args=[measure.pk]),
        {f"measure-{measure.pk}-status": "done"},
        follow=True,
    )
    assert _messages(response) == ["An earlier version of the help plan cannot be changed."]
    assert PlanMeasure.objects.get(pk=measure.pk).status == "open"


def test_a_contact_is_recorded_from_its_form(world, english):
    client = english(world.alice)
    url = reverse("cases:contact_create", args=[world.case_a.pk])
    held = timezone.localtime() - _days(2)
    response = client.post(
        url,
        {
            "kind": "authority",
            "day": held.date().isoformat(),
            "time": "10:30",
            "duration_minutes": 90,
            "place": "Ausländerbehörde",
            "note": "Begleitung zur Verlängerung",
        },
    )
    assert response.status_code == 302
    contact = CaseContact.objects.get(kind="authority")
    assert timezone.localtime(contact.starts_at).time() == datetime.time(10, 30)
    assert Case.objects.get(pk=world.case_a.pk).last_contact_on == held.date()
    detail = _page(client.get(reverse("cases:case_detail", args=[world.case_a.pk])))
    assert "Begleitung zur Verlängerung" in detail

    too_long = client.post(
        url,
        {"kind": "phone", "day": held.date().isoformat(), "time": "9:00", "duration_minutes": 800},
    )
    assert too_long.status_code == 200
    assert "duration_minutes" in too_long.context["form"].errors


def test_a_referral_is_recorded_and_answered(world, english):
    client = english(world.alice)
    response = client.post(
        reverse("cases:referral_create", args=[world.case_a.pk]),
        {"offer": world.offer_a.pk, "reason": "Sprachkurs", "referred_on": _today().isoformat()},
        follow=True,
    )
    assert _messages(response) == ["The referral has been recorded."]
    referral = world.case_a.referrals.get(reason="Sprachkurs")
    assert referral.institution == world.institution_a
    response = client.post(
        reverse("cases:referral_update", args=[referral.pk]),
        {f"referral-{referral.pk}-status": "accepted", f"referral-{referral.pk}-feedback": "ok"},
        follow=True,
    )
    assert _messages(response) == ["The referral has been saved."]
    referral.refresh_from_db()
    assert (referral.status, referral.feedback) == ("accepted", "ok")


def test_hold_and_resume_from_the_case_page(world, english):
    client = english(world.alice)
    client.post(reverse("cases:case_hold", args=[world.case_a.pk]), {"version": 1, "note": "Kur"})
    assert Case.objects.get(pk=world.case_a.pk).status == "on_hold"
    page = _page(client.get(reverse("cases:case_detail", args=[world.case_a.pk])))
    assert reverse("cases:case_resume", args=[world.case_a.pk]) in page
    assert reverse("cases:case_hold", args=[world.case_a.pk]) not in page
    stale = client.post(
        reverse("cases:case_resume", args=[world.case_a.pk]), {"version": 1}, follow=True
    )
    assert "Someone else changed this case" in _messages(stale)[0]
    client.post(reverse("cases:case_resume", args=[world.case_a.pk]), {"version": 2})
    assert Case.objects.get(pk=world.case_a.pk).status == "active"


def test_a_closed_case_s_page_has_no_forms_to_change_it(world, english):
    client = english(world.alice)
    response = client.post(
        reverse("cases:case_close", args=[world.case_a.pk]),
        {
            "version": 1,
            "closed_on": _today().isoformat(),
            "reason": "placed",
            "outcome": "employment",
            "outcome_note": "Pflegehelferin",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=world.case_a.pk)
    assert (case.status, case.closed_on, case.outcome) == ("closed", _today(), "employment")
    detail = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert detail.status_code == 200
    page = _page(detail)
    assert "Pflegehelferin" in page
    for name in (
        "case_edit",
        "case_close",
        "case_hold",
        "case_resume",
        "intake_edit",
        "goal_add",
        "measure_add",
        "plan_agree",
        "contact_create",
        "referral_create",
        "document_upload",
    ):
        assert reverse(f"cases:{name}", args=[case.pk]) not in page, name
    assert reverse("cases:measure_update", args=[world.plan_measure_a.pk]) not in page
    assert reverse("cases:referral_update", args=[world.referral_a.pk]) not in page
    assert 'type="file"' not in page
    # The forms themselves send back to the case page.
    for name in ("intake_edit", "contact_create", "case_close"):
        response = client.get(reverse(f"cases:{name}", args=[case.pk]))
        assert response.status_code == 302, name


def test_a_close_before_the_opening_is_explained(world, english):
    response = english(world.alice).post(
        reverse("cases:case_close", args=[world.case_a.pk]),
        {
            "version": 1,
            "closed_on": (world.case_a.opened_on - _days(1)).isoformat(),
            "reason": "placed",
            "outcome": "employment",
        },
    )
    assert response.status_code == 200
    assert "A case cannot close before it was opened." in _page(response)
    assert Case.objects.get(pk=world.case_a.pk).is_open


def test_a_stale_case_edit_is_shown_again_with_the_conflict(world, english):
    Case.objects.filter(pk=world.case_a.pk).update(version=2)
    response = english(world.alice).post(
        reverse("cases:case_edit", args=[world.case_a.pk]),
        {"version": 1, "site": world.site_a1.pk, "caseworker": world.ada.pk, "deputies": []},
    )
    assert response.status_code == 200
    assert "Someone else changed this case" in _page(response)
    assert Case.objects.get(pk=world.case_a.pk).caseworker == world.alice


def test_the_case_is_edited(world, english):
    response = english(world.alice).post(
        reverse("cases:case_edit", args=[world.case_a.pk]),
        {"version": 1, "site": world.site_a1.pk, "caseworker": world.ada.pk, "deputies": []},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=world.case_a.pk).caseworker == world.ada


# --- calendar ---------------------------------------------------------------------------------


def test_the_week_lists_the_caseworker_s_appointment(world, english):
    contact = CaseContact.objects.get(case=world.case_a)
    monday = timezone.localtime(contact.starts_at).date()
    week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    response = english(world.alice).get(reverse("cases:calendar"), {"week": week})
    assert response.status_code == 200
    days = response.context["days"]
    assert [c for day in days for c in day.contacts] == [contact]
    assert CLIENT in _page(response)
    assert world.feed_a.token in _page(response)
    # Ada holds no appointment.
    other = english(world.ada).get(reverse("cases:calendar"), {"week": week})
    assert [c for day in other.context["days"] for c in day.contacts] == []


def _feed_url(token):
    return reverse("cases:ical_feed", args=[token])


def test_the_feed_answers_without_sign_in_and_says_nothing_private(world):
    CaseContact.objects.filter(case=world.case_a).update(
        place="Hauptstraße 5", participants="Dolmetscherin Frau Sahin", next_steps="Mietvertrag"
    )
    response = Client().get(_feed_url(world.feed_a.token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert world.case_a.number in str(events[0]["summary"])
    for secret in (
        "Vertrauliche Notiz",
        "Haddad",
        "Amira",
        "Hauptstraße",
        "Sahin",
        "Mietvertrag",
        "Stark im Beruf",
    ):
        assert secret not in text, secret
    assert "LOCATION" not in text


def test_a_new_feed_address_replaces_the_old_one(world, english):
    client = english(world.alice)
    old = world.feed_a.token
    response = client.post(reverse("cases:feed_renew"), follow=True)
    assert _messages(response) == [
        "A new calendar address has been made; the old one no longer works."
    ]
    new = services.calendar_feed(world.alice, world.org_a.pk).token
    assert new != old
    assert new in _page(response)
    assert Client().get(_feed_url(old)).status_code == 404
    assert Client().get(_feed_url(new)).status_code == 200


def test_a_stopped_feed_address_is_not_found(world, english):
    client = english(world.alice)
    response = client.post(reverse("cases:feed_revoke"), follow=True)
    assert _messages(response) == ["The calendar address no longer works."]
    assert Client().get(_feed_url(world.feed_a.token)).status_code == 404
    assert world.feed_a.token not in _page(response)
    renewed = client.post(reverse("cases:feed_renew"))
    assert renewed.status_code == 302
    assert (
        Client()
        .get(_feed_url(services.calendar_feed(world.alice, world.org_a.pk).token))
        .status_code
        == 200
    )


def test_the_feed_of_who_no_longer_works_with_cases_is_not_found(world):
    url = _feed_url(world.feed_a.token)
    assert Client().get(url).status_code == 200
    Membership.objects.filter(user=world.alice).update(role=Role.VIEWER)
    assert Client().get(url).status_code == 404
    Membership.objects.filter(user=world.alice).update(role=Role.CASEWORKER, is_active=False)
    assert Client().get(url).status_code == 404
    Membership.objects.filter(user=world.alice).update(is_active=True)
    world.alice.is_active = False
    world.alice.save()
    assert Client().get(url).status_code == 404


def test_an_unknown_feed_token_is_not_found(world):
    assert Client().get(_feed_url("nonsense")).status_code == 404
    assert Client().get(_feed_url(world.feed_a.token.upper())).status_code == 404


@pytest.mark.parametrize("who", ["vera", "pia"])
def test_who_may_not_work_with_cases_makes_no_feed(world, english, who):
    client = english(getattr(world, who))
    assert client.post(reverse("cases:feed_renew")).status_code == 403
    assert client.post(reverse("cases:feed_revoke")).status_code == 403
    assert Client().get(_feed_url(world.feed_a.token)).status_code == 200


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("cases:caseload", {"page": "x"}),
        ("cases:caseload", {"page": "99999"}),
        ("cases:caseload", {"scope": "everything", "state": "nonsense"}),
        ("cases:caseload", {"site": "abc"}),
        ("cases:caseload", {"site": "999999"}),
        ("cases:caseload", {"q": "a" * 300}),
        ("cases:caseload", {"q": "\x00"}),
        ("cases:caseload", {"q": "F-"}),
        ("cases:caseload", {"q": "F-0000"}),
        ("cases:caseload", {"q": "F-99999999999999999999999999"}),
        ("cases:calendar", {"week": "garbage"}),
        ("cases:calendar", {"week": "2025-W53"}),
        ("cases:calendar", {"week": "2026-W99"}),
        ("cases:calendar", {"week": "9999-W52"}),
        ("cases:calendar", {"week": "0001-W01"}),
        ("cases:case_create", {"person": "abc"}),
        ("cases:case_create", {"person": "999999"}),
        ("cases:referral_report", {"page": "x"}),
    ],
    ids=lambda value: (
        "&".join(f"{key}={text[:12]!r}" for key, text in value.items())
        if isinstance(value, dict)
        else value
    ),
)
def test_bad_query_parameters_never_break_a_page(world, english, name, query):
    response = english(world.alice).get(reverse(name), query)
    assert response.status_code == 200


def _post_urls(world):
    case, measure, referral = world.case_a.pk, world.plan_measure_a.pk, world.referral_a.pk
    return {
        "cases:case_create": [],
        "cases:case_edit": [case],
        "cases:case_close": [case],
        "cases:case_hold": [case],
        "cases:case_resume": [case],
        "cases:intake_edit": [case],
        "cases:goal_add": [case],
        "cases:measure_add": [case],
        "cases:plan_agree": [case],
        "cases:contact_create": [case],
        "cases:referral_create": [case],
        "cases:document_upload": [case],
        "cases:measure_update": [measure],
        "cases:referral_update": [referral],
    }


@pytest.mark.parametrize(
    "name",
    [
        "cases:case_create",
        "cases:case_edit",
        "cases:case_close",
        "cases:case_hold",
        "cases:case_resume",
        "cases:intake_edit",
        "cases:goal_add",
        "cases:measure_add",
        "cases:plan_agree",
        "cases:contact_create",
        "cases:referral_create",
        "cases:document_upload",
        "cases:measure_update",
        "cases:referral_update",
    ],
)
def test_a_post_without_data_never_breaks_a_page(world, english, documents, name):
    url = reverse(name, args=_post_urls(world)[name])
    response = english(world.alice).post(url, {}, follow=True)
    assert response.status_code == 200
    if response.redirect_chain:  # the POST-only urls say what was missing
        assert _messages(response)
    else:  # the form pages show their form again
        assert response.context["form"] is not None
    assert not _written().exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cases:case_create", {"client": "abc", "programme": "-1", "caseworker": "999999"}),
        ("cases:case_create", {"opened_on": "9999-99-99", "deputies": ["x"]}),
        ("cases:case_edit", {"version": "abc", "site": "x", "caseworker": "1e9"}),
        ("cases:case_close", {"version": "1", "closed_on": "gestern", "reason": "bored"}),
        ("cases:case_hold", {"version": "abc"}),
        ("cases:case_resume", {"version": "99999999999999999999999"}),
        ("cases:intake_edit", {"version": "abc", "childcare_needed": "vielleicht"}),
        ("cases:goal_add", {"area": "space", "text": "x" * 400}),
        ("cases:measure_add", {"goal": "999999", "what": "x", "responsible": "king"}),
        ("cases:measure_add", {"goal": "abc", "due_on": "morgen", "offer": "x"}),
        ("cases:plan_agree", {"agreed_on": "2999-01-01"}),
        ("cases:plan_agree", {"agreed_on": "morgen"}),
        ("cases:contact_create", {"kind": "party", "day": "x", "time": "25:99"}),
        ("cases:contact_create", {"kind": "phone", "day": "2026-01-01", "duration_minutes": "-5"}),
        ("cases:referral_create", {"institution": "999999", "reason": ""}),
        ("cases:document_upload", {"title": "x"}),
        ("cases:measure_update", {"status": "done"}),  # without the prefix
        ("cases:referral_update", {"status": "accepted"}),  # without the prefix
    ],
)
def test_bad_form_input_never_breaks_a_page(world, english, documents, name, data):
    url = reverse(name, args=_post_urls(world)[name])
    response = english(world.alice).post(url, data, follow=True)
    assert response.status_code == 200
    assert not _written().exists()


@pytest.mark.parametrize(
    "name",
    [
        "cases:case_detail",
        "cases:case_edit",
        "cases:case_close",
        "cases:intake_edit",
        "cases:contact_create",
        "cases:plan_detail",
        "cases:plan_pdf",
        "cases:document_download",
    ],
)
def test_an_unknown_record_is_not_found(world, english, name):
    assert english(world.alice).get(reverse(name, args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "cases:case_hold",
        "cases:case_resume",
        "cases:goal_add",
        "cases:measure_add",
        "cases:plan_agree",
        "cases:referral_create",
        "cases:document_upload",
        "cases:measure_update",
        "cases:referral_update",
        "cases:feed_renew",
        "cases:feed_revoke",
    ],
)
def test_the_post_only_urls_refuse_get(world, english, name):
    args = [world.case_a.pk] if not name.startswith("cases:feed") else []
    if name == "cases:measure_update":
        args = [world.plan_measure_a.pk]
    if name == "cases:referral_update":
        args = [world.referral_a.pk]
    assert english(world.alice).get(reverse(name, args=args)).status_code == 405
