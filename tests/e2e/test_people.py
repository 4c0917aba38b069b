from playwright.sync_api import expect

from lotse.accounts.roles import Role
from lotse.people.models import Person, Status

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, SiteFactory


def test_a_coordinator_records_a_person_despite_a_duplicate_warning_and_edits_it(
    page, axe, sign_in_as
):
    organisation = OrganisationFactory()
    site = SiteFactory(organisation=organisation, name="Kreishaus")
    PersonFactory(
        organisation=organisation,
        site=site,
        given_name="Maryam",
        family_name="Rahimi",
        email="m.rahimi@example.org",
    )
    coordinator = MembershipFactory(organisation=organisation, role=Role.COORDINATOR).user
    sign_in_as(coordinator)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Personen"
    ).click()
    expect(page.locator("#person-count")).to_have_text("1 Person")
    axe("person list")

    page.get_by_role("link", name="Person hinzufügen").click()
    axe("person form")
    page.locator("#id_role").select_option("participant")
    page.get_by_label("Vorname").fill("Maryam")
    page.get_by_label("Nachname").fill("Rahimi-Karimi")
    page.get_by_label("E-Mail-Adresse").fill("M.Rahimi@example.org")
    page.get_by_label("Telefon").fill("0721 99")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Das ist keine gültige Telefonnummer")).to_be_visible()
    axe("person form with error")
    page.get_by_label("Telefon").fill("0721 123456")
    page.get_by_role("button", name="Speichern").click()
    warning = page.locator("#duplicate-warning")
    expect(warning).to_contain_text("möglicherweise bereits erfasst")
    expect(warning.get_by_role("link", name="Maryam Rahimi")).to_be_visible()
    axe("duplicate warning")
    page.get_by_label("Es ist eine andere Person").check()
    page.get_by_role("button", name="Speichern").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Maryam Rahimi-Karimi")
    axe("person detail")
    person = Person.objects.get(family_name="Rahimi-Karimi")
    assert person.phone == "+49721123456"

    page.get_by_role("link", name="Bearbeiten", exact=True).click()
    page.locator("#id_languages-0-language").select_option(label="Dari")
    page.get_by_label("Niveau").first.select_option("native")
    page.get_by_label("Gemeinde").fill("Bruchsal")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")
    expect(page.get_by_text("Dari (Muttersprache)")).to_be_visible()

    page.get_by_label("Neuer Status").select_option("active")
    page.get_by_label("Grund").fill("Infoveranstaltung besucht")
    page.get_by_role("button", name="Status ändern").click()
    expect(page.get_by_role("cell", name="Infoveranstaltung besucht")).to_be_visible()
    assert person.roles.get().status == Status.ACTIVE


def test_a_coordinator_fills_in_a_mentors_profile_and_availability(page, axe, sign_in_as):
    from lotse.people.models import PoolRole, VolunteerProfile

    organisation = OrganisationFactory()
    site = SiteFactory(organisation=organisation, name="Kreishaus")
    mentor = PersonFactory(
        organisation=organisation,
        site=site,
        given_name="Gisela",
        family_name="Schäfer",
        role=PoolRole.VOLUNTEER,
    )
    coordinator = MembershipFactory(organisation=organisation, role=Role.COORDINATOR).user
    sign_in_as(coordinator)
    page.goto(f"/people/{mentor.pk}/")
    page.get_by_role("link", name="Profil bearbeiten").click()
    axe("volunteer profile form")
    page.get_by_label("Verkehr und Lagerei").first.check()
    page.get_by_label("Bewerbungen").check()
    page.get_by_label("Mentees gleichzeitig").fill("0")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Zwischen 1 und 10 Mentees")).to_be_visible()
    axe("volunteer profile with error")
    page.get_by_label("Mentees gleichzeitig").fill("2")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")
    expect(page.get_by_text("Verkehr und Lagerei")).to_be_visible()
    profile = VolunteerProfile.objects.get(person=mentor)
    assert profile.capacity == 2

    page.get_by_role("link", name="Bearbeiten", exact=True).click()
    page.get_by_label("Dienstag Abend").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Dienstag Abend")).to_be_visible()


def test_a_coordinator_filters_the_pool_saves_the_filter_and_exports(page, axe, sign_in_as):
    import io

    import openpyxl

    from lotse.people.models import Availability, PersonLanguage, PoolRole

    organisation = OrganisationFactory()
    site = SiteFactory(organisation=organisation, name="Kreishaus")
    for name, slots, level in (("Passt", ["tue-eve"], "B2"), ("Zufrüh", ["tue-am"], "B2")):
        person = PersonFactory(
            organisation=organisation,
            site=site,
            given_name=name,
            family_name="Mentorin",
            role=PoolRole.VOLUNTEER,
            availability=Availability.mask(slots),
        )
        PersonLanguage.objects.create(person=person, language="ara", level=level)
    PersonFactory(organisation=organisation, site=site, given_name="Teilnehmerin")
    coordinator = MembershipFactory(organisation=organisation, role=Role.COORDINATOR).user
    sign_in_as(coordinator)
    page.goto("/people/")
    expect(page.locator("#person-count")).to_have_text("3 Personen")

    page.locator("#id_role").select_option("volunteer")
    expect(page.locator("#person-count")).to_have_text("2 Personen")
    page.get_by_text("Weitere Filter").click()
    page.locator("#id_language").select_option("ara")
    page.locator("#id_level").select_option("B1")
    page.get_by_label("Dienstag Abend").check()
    expect(page.locator("#person-count")).to_have_text("1 Person")
    axe("pool with filters")

    page.get_by_label("Diese Filter speichern als").fill("Arabisch am Dienstagabend")
    page.get_by_role("button", name="Filter speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")
    expect(page.locator("#person-count")).to_have_text("1 Person")
    page.goto("/people/")
    page.get_by_role("navigation", name="Gespeicherte Filter").get_by_role(
        "link", name="Arabisch am Dienstagabend"
    ).click()
    expect(page.locator("#person-count")).to_have_text("1 Person")

    with page.expect_download() as download:
        page.get_by_role("link", name="Als XLSX exportieren").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Passt"]


def test_the_volunteers_page_finds_mentors_near_a_town(page, axe, sign_in_as, places):
    from lotse.people import services
    from lotse.people.models import PoolRole, VolunteerProfile

    organisation = OrganisationFactory()
    site = SiteFactory(organisation=organisation, name="Kreishaus", municipality="Bruchsal")
    coordinator = MembershipFactory(organisation=organisation, role=Role.COORDINATOR).user
    coordinator.membership = coordinator.memberships.get()
    for given, town in [("Uwe", "Ubstadt-Weiher"), ("Karla", "Karlsruhe"), ("Berta", "Bretten")]:
        person = services.create_person(
            actor=coordinator,
            organisation=organisation,
            role=PoolRole.VOLUNTEER,
            site=site,
            given_name=given,
            family_name="Mentor",
            municipality=town,
        )
        VolunteerProfile.objects.filter(person=person).update(capacity=2)
    PersonFactory(organisation=organisation, site=site, given_name="Mira", family_name="Mentee")

    sign_in_as(coordinator)
    page.goto("/people/volunteers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ehrenamtliche (Mentor:innen)")
    expect(page.locator("#person-count")).to_have_text("3 Personen")
    axe("volunteers page")
    page.get_by_text("Weitere Filter").click()
    page.get_by_label("Wohnt in der Nähe von").fill("Bruchsal")
    page.get_by_label("im Umkreis von").select_option("15")
    expect(page.locator("#person-count")).to_have_text(
        "2 Personen im Umkreis von 15 km um Bruchsal (Baden-Württemberg)"
    )
    rows = page.locator("#person-results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Mentor, Berta")
    expect(rows.first).to_contain_text("2")
    assert "near=Bruchsal" in page.url and "/people/volunteers/" in page.url
    axe("volunteers near Bruchsal")
    page.get_by_label("Wohnt in der Nähe von").fill("Bruxhsal")
    page.get_by_label("Wohnt in der Nähe von").press("Enter")
    expect(page.get_by_text("Lotse kennt keinen Ort namens „Bruxhsal“")).to_be_visible()
    axe("unknown place")

    page.get_by_role("navigation", name="Pool nach Rolle").get_by_role(
        "link", name="Teilnehmende"
    ).click()
    expect(page.locator("#person-count")).to_have_text("1 Person")
    axe("participants page")
