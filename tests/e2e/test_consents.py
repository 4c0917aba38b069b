"""A coordinator records a client's consent to share data with a partner
institution, after a first try without naming it, and records its withdrawal.
Every page through axe."""

from playwright.sync_api import expect

from lotse.accounts.roles import Role
from lotse.network.models import Institution
from lotse.people.models import Consent

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, SiteFactory


def test_a_consent_is_recorded_and_withdrawn(page, axe, sign_in_as):
    organisation = OrganisationFactory(name="Integrationsbüro Kraichgau")
    site = SiteFactory(organisation=organisation, name="Bretten")
    staff = MembershipFactory(
        organisation=organisation,
        role=Role.COORDINATOR,
        user__full_name="Jonas Weber",
        user__language="en",
    ).user
    Institution.objects.create(
        organisation=organisation, name="VHS Bretten", domain="education", kind="other"
    )
    person = PersonFactory(
        organisation=organisation, site=site, given_name="Samira", family_name="Darwish"
    )

    sign_in_as(staff)
    page.goto(f"/people/{person.pk}/")
    consents = page.locator("#consents")
    expect(consents).to_contain_text("No consent recorded.")
    consents.get_by_role("link", name="Record a consent").click()
    axe("the consent form")
    page.get_by_label("sharing data with a partner institution").check()
    page.get_by_label("signed on paper").check()
    page.get_by_role("button", name="Record the consent").click()
    expect(page.get_by_role("alert")).to_contain_text("Name the partner institution")
    axe("the consent form with its error")
    page.get_by_label("Partner institution the data may go to").select_option(label="VHS Bretten")
    page.get_by_label("Version of the consent text").fill("Datenweitergabe 03/2026")
    page.get_by_role("button", name="Record the consent").click()

    expect(page.get_by_role("status")).to_contain_text("The consent has been recorded.")
    row = page.locator("#consent-list").get_by_role("row").filter(has_text="VHS Bretten")
    expect(row).to_contain_text("in force")
    axe("the person page with a consent")
    row.get_by_role("link", name="Record the withdrawal").click()
    axe("the withdrawal")
    page.get_by_role("button", name="Record the withdrawal").click()

    expect(page.get_by_role("status")).to_contain_text("The withdrawal has been recorded")
    expect(page.locator("#consent-list")).to_contain_text("withdrawn on")
    consent = Consent.objects.get(person=person)
    assert consent.withdrawn_on is not None
    assert consent.wording == "Datenweitergabe 03/2026"
