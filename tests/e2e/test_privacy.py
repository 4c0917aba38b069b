"""An administrator answers an access request: from the person's page to the
page that lists what the copy holds, and the archive downloaded. Every page
through axe."""

import json
import zipfile

from django_otp.oath import totp
from playwright.sync_api import expect

from lotse.accounts.roles import Role
from lotse.core.models import AuditEntry
from lotse.people.models import PersonLanguage

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    totp_device,
)


def test_an_administrator_downloads_the_copy_of_a_persons_data(page, axe, sign_in_as):
    organisation = OrganisationFactory(name="Kreisintegrationsstelle Testkreis")
    site = SiteFactory(organisation=organisation, name="Kreishaus")
    admin = MembershipFactory(
        organisation=organisation,
        role=Role.ADMINISTRATOR,
        user__full_name="Renate Vogel",
        user__language="en",
    ).user
    person = PersonFactory(
        organisation=organisation,
        site=site,
        given_name="Samira",
        family_name="Darwish",
        email="samira@example.org",
    )
    PersonLanguage.objects.create(person=person, language="ara", level="native")
    device = totp_device(admin)
    sign_in_as(admin)
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Confirm").click()

    page.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name="Copy of the data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Copy of the data (access request)")
    sections = page.locator("#access-sections")
    expect(sections).to_contain_text("People")
    expect(sections).to_contain_text("language")
    axe("the copy of the data")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the copy (ZIP)").click()

    assert download.value.suggested_filename.startswith(f"access-copy-{person.pk}-")
    assert "Darwish" not in download.value.suggested_filename
    archive = zipfile.ZipFile(download.value.path())
    assert set(archive.namelist()) == {"data.json", "summary.pdf"}
    records = json.loads(archive.read("data.json"))["records"]["people"]
    assert records["people.Person"][0]["email"] == "samira@example.org"
    assert records["people.PersonLanguage"][0]["language"] == "ara"
    assert AuditEntry.objects.filter(action="lotse.privacy.access_exported").count() == 1

    page.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name="Who opened this record").click()
    history = page.locator("#history")
    expect(history).to_contain_text("Person record opened")
    expect(history).to_contain_text("Renate Vogel")
    axe("who opened this record")
    page.get_by_role("link", name="Show only who read it").click()
    expect(history).to_contain_text("Copy of a person's data written")
