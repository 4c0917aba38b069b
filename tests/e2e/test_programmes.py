import datetime

from django.utils import timezone
from playwright.sync_api import expect

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.people.models import Availability, PersonLanguage, PoolRole
from lotse.programmes import services
from lotse.programmes.models import Enrolment, RegistrationStatus, StepKind

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, SiteFactory
from .test_administration import _admin_signed_in


def _office():
    organisation = OrganisationFactory()
    site = SiteFactory(organisation=organisation, name="Kreishaus")
    admin = MembershipFactory(organisation=organisation, role=Role.ADMINISTRATOR).user
    admin.membership = Membership.objects.get(user=admin)
    programme = services.create_programme(
        actor=admin, organisation=organisation, name="Job Coaches", kind="mentoring"
    )
    coordinator = MembershipFactory(
        organisation=organisation, role=Role.COORDINATOR, user__full_name="Aylin Yılmaz"
    ).user
    return organisation, site, admin, programme, coordinator


def _event(admin, organisation, site, programme, *, starts, capacity=None, title="Infoabend"):
    return services.create_event(
        actor=admin,
        organisation=organisation,
        kind="info_event",
        title=title,
        programme=programme,
        site=site,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=capacity,
    )


def test_a_coordinator_enrols_a_filtered_selection_moves_it_on_and_takes_attendance(
    page, axe, sign_in_as
):
    organisation, site, admin, programme, coordinator = _office()
    for name, slots in (("Gisela", ["tue-eve"]), ("Jürgen", ["tue-eve", "wed-am"]), ("Ute", [])):
        mentor = PersonFactory(
            organisation=organisation,
            site=site,
            given_name=name,
            family_name="Mentor",
            role=PoolRole.VOLUNTEER,
            availability=Availability.mask(slots),
        )
        PersonLanguage.objects.create(person=mentor, language="ara", level="B2")
    PersonFactory(organisation=organisation, site=site, given_name="Amira", family_name="Mentee")
    event = _event(
        admin, organisation, site, programme, starts=timezone.now() - datetime.timedelta(hours=1)
    )

    sign_in_as(coordinator)
    page.goto("/people/")
    # Three categories at once: role, language with level, availability.
    page.locator("#id_role").select_option("volunteer")
    page.get_by_text("Weitere Filter").click()
    page.locator("#id_language").select_option("ara")
    page.locator("#id_level").select_option("B1")
    page.get_by_label("Dienstag Abend").check()
    expect(page.locator("#person-count")).to_have_text("2 Personen")
    page.get_by_label("Diese Filter speichern als").fill("Arabisch dienstagabends")
    page.get_by_role("button", name="Filter speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")

    page.get_by_label("alle 2 Personen, die den Filtern entsprechen").check()
    page.get_by_role("button", name="In ein Programm aufnehmen").click()
    expect(page.locator("#selection-count")).to_have_text("2 Personen ausgewählt:")
    axe("bulk enrol")
    page.get_by_label("Programm").select_option(label="Job Coaches")
    page.get_by_label("als").select_option("mentor")
    page.get_by_role("button", name="Aufnehmen").click()

    expect(page.get_by_role("status")).to_contain_text("2 Personen wurden in Job Coaches")
    expect(page.locator("#board-count")).to_have_text("2 Personen im Programm")
    axe("programme board")
    page.get_by_role("link", name="Gisela Mentor").click()
    axe("enrolment detail")
    page.get_by_role("button", name="Weiter zu: Einzelgespräch mit der Koordination").click()
    expect(page.get_by_role("status")).to_contain_text("einen Schritt weiter")
    page.get_by_role("button", name="Weiter zu: Basisschulung für Mentor:innen").click()
    expect(page.get_by_text("(aktueller Schritt)")).to_be_visible()
    gisela = Enrolment.objects.get(person__given_name="Gisela")
    assert gisela.step.kind == StepKind.TRAINING
    assert gisela.transitions.count() == 3

    # Jürgen comes to the info event: registered from his record, then present.
    page.get_by_role("link", name="Zum Datensatz der Person").click()
    page.goto(f"/people/{Enrolment.objects.get(person__given_name='Jürgen').person_id}/")
    axe("person page with programmes and events")
    page.get_by_label("Veranstaltung", exact=True).select_option(str(event.pk))
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("status")).to_contain_text("angemeldet")
    page.get_by_role("link", name="Infoabend", exact=True).click()
    axe("event detail")
    page.get_by_label("Jürgen Mentor anwesend").check()
    page.get_by_role("button", name="Anwesenheit speichern").click()
    expect(page.get_by_role("status")).to_contain_text("1 anwesend, 0 abwesend")
    jurgen = Enrolment.objects.get(person__given_name="Jürgen")
    assert jurgen.step.kind == StepKind.INTAKE
    page.get_by_role("link", name="Anwesenheitsliste zum Drucken").click()
    expect(page.get_by_role("cell", name="Mentor, Jürgen")).to_be_visible()
    axe("attendance list")


def test_a_coordinator_plans_an_event_with_a_waiting_list(page, axe, sign_in_as):
    organisation, site, _admin, _programme, coordinator = _office()
    first = PersonFactory(organisation=organisation, site=site, given_name="Olena")
    second = PersonFactory(organisation=organisation, site=site, given_name="Reza")
    sign_in_as(coordinator)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Veranstaltungen"
    ).click()
    expect(page.locator("#event-count")).to_have_text("0 Veranstaltungen")
    axe("event list")
    page.get_by_role("link", name="Veranstaltung hinzufügen").click()
    axe("event form")
    page.get_by_label("Art").select_option("training")
    page.get_by_label("Titel").fill("Bewerbungstraining")
    page.get_by_label("Beginn").fill("2031-03-10T18:00")
    page.get_by_label("Ende").fill("2031-03-10T17:00")
    page.get_by_label("Plätze").fill("1")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("darf nicht enden, bevor sie beginnt")).to_be_visible()
    axe("event form with error")
    page.get_by_label("Ende").fill("2031-03-10T20:00")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewerbungstraining")

    for person in (first, second):
        page.goto(f"/people/{person.pk}/")
        page.get_by_label("Veranstaltung", exact=True).select_option(
            label="10.03.2031 18:00 – Bewerbungstraining"
        )
        page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("status")).to_contain_text("Warteliste")
    page.get_by_role("link", name="Bewerbungstraining", exact=True).click()
    expect(page.get_by_role("heading", name="Warteliste")).to_be_visible()
    page.get_by_role("row").filter(has_text="Olena").get_by_role(
        "button", name="Anmeldung stornieren"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("storniert")
    expect(page.get_by_role("heading", name="Warteliste")).to_have_count(0)
    registration = second.registrations.get()
    assert registration.status == RegistrationStatus.REGISTERED


def test_an_administrator_sets_up_a_programme_and_its_life_cycle(page, axe, sign_in_as):
    _admin_signed_in(page, axe, sign_in_as)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Programme"
    ).click()
    axe("programme list")
    page.get_by_role("link", name="Programm hinzufügen").click()
    axe("programme form")
    page.get_by_label("Name").fill("Tandem für Arbeit")
    page.get_by_label("Treffen alle … Tage").fill("0")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("zwischen 1 und 90 Tagen")).to_be_visible()
    page.get_by_label("Treffen alle … Tage").fill("14")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("angelegt")
    steps = page.get_by_role("table", name="Schritte des Programms")
    expect(steps.get_by_role("row")).to_have_count(9)
    axe("programme configuration")

    page.get_by_label("Deutscher Name").fill("Abschlussfest")
    page.get_by_role("button", name="Schritt hinzufügen").click()
    expect(page.get_by_role("alert")).to_contain_text("deutschen und einen englischen Namen")
    page.get_by_label("Deutscher Name").fill("Abschlussfest")
    page.get_by_label("Englischer Name").fill("Farewell party")
    page.get_by_role("button", name="Schritt hinzufügen").click()
    expect(steps.get_by_role("row")).to_have_count(10)
    steps.get_by_role("row").filter(has_text="Abschlussfest").get_by_role(
        "button", name="Nach oben"
    ).click()
    expect(steps.get_by_role("row").nth(8)).to_contain_text("Abschlussfest")
    page.get_by_role("link", name="Abschlussfest").click()
    axe("step form")
    page.get_by_label("Verpflichtend").uncheck()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")
    expect(steps.get_by_role("row").nth(8)).to_contain_text("nein")


def test_a_full_step_of_the_board_opens_as_a_list_of_its_own(page, axe, sign_in_as):
    organisation, site, admin, programme, coordinator = _office()
    mentees = [
        PersonFactory(
            organisation=organisation, site=site, given_name=f"Mentee{n:02}", family_name="Warten"
        )
        for n in range(15)
    ]
    services.enrol_many(actor=admin, programme=programme, people=mentees, role="mentee")

    sign_in_as(coordinator)
    page.goto(f"/programmes/{programme.pk}/")
    expect(page.locator("#board-count")).to_have_text("15 Personen im Programm")
    page.get_by_role("link", name="Alle 15 zeigen bei Infoveranstaltung").click()
    assert f"step={programme.steps.order_by('position').first().pk}" in page.url
    expect(page.locator("#step-heading")).to_have_text("1. Infoveranstaltung")
    entries = page.locator(".lotse-board__entry")
    expect(entries).to_have_count(15)
    expect(entries.first).to_contain_text("Mentee00 Warten")
    axe("one step of the board")
    entries.first.get_by_role("button", name="Nächster Schritt").click()
    expect(page.locator(".lotse-board__entry")).to_have_count(14)
    assert "step=" in page.url
    page.get_by_role("link", name="Zurück zu allen Schritten").click()
    expect(page.locator("#step-heading")).to_have_count(0)
