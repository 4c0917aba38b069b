"""An administrator answers an access request: from the person's page to the
page that lists what the copy holds, and the archive downloaded. Every page
through axe."""

import datetime
import json
import zipfile

from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from lotse.accounts.roles import Role
from lotse.core.models import AuditEntry
from lotse.people.models import PersonLanguage, PersonRole, Status

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


def _administrator(organisation, name, email):
    user = MembershipFactory(
        organisation=organisation,
        role=Role.ADMINISTRATOR,
        user__full_name=name,
        user__email=email,
        user__language="en",
    ).user
    return user, totp_device(user)


def _second_factor(page, device):
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Confirm").click()


def test_one_administrator_asks_for_an_erasure_and_a_second_confirms_it(page, axe, sign_in_as):
    organisation = OrganisationFactory(name="Kreisintegrationsstelle Testkreis")
    site = SiteFactory(organisation=organisation, name="Kreishaus")
    first, first_device = _administrator(organisation, "Renate Vogel", "renate@example.org")
    second, second_device = _administrator(organisation, "Tarik Özdemir", "tarik@example.org")
    person = PersonFactory(
        organisation=organisation, site=site, given_name="Samira", family_name="Darwish"
    )
    sign_in_as(first)
    _second_factor(page, first_device)

    page.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name="Erase the data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase the data (anonymise)")
    expect(page.locator("#erasure-sections")).to_contain_text("People")
    axe("the erasure request")
    page.get_by_label("Why").select_option("request")
    page.get_by_role("button", name="Ask for the erasure").click()
    # The box was not ticked: the form says so, and nothing is asked for.
    expect(page.locator("main")).to_contain_text("Confirm that you understand it cannot be undone.")
    page.get_by_label("I understand that the anonymisation cannot be undone.").check()
    page.get_by_role("button", name="Ask for the erasure").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Data protection")
    waiting = page.locator("#erasures-waiting")
    expect(waiting).to_contain_text("Samira Darwish")
    expect(waiting).to_contain_text("Another administrator confirms.")
    axe("the data protection overview")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    # The second administrator, at another computer.
    page.context.clear_cookies()
    sign_in_as(second)
    _second_factor(page, second_device)
    page.goto("/privacy/")
    page.get_by_role("button", name="Confirm: anonymise Samira Darwish").click()
    expect(page.get_by_role("status").first).to_contain_text("has been anonymised")
    expect(page.locator("#erasures-decided")).to_contain_text(f"No. {person.pk}")
    expect(page.locator("main")).not_to_contain_text("Darwish")
    axe("the overview after the erasure")

    page.goto(f"/people/{person.pk}/")
    expect(page.locator("#anonymised")).to_contain_text("Anonymised on")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Anonymised person no. {person.pk}")
    axe("an anonymised person's page")
    person.refresh_from_db()
    assert (person.given_name, person.family_name) == ("", "")


def test_an_administrator_reviews_who_is_due_under_the_retention_periods(page, axe, sign_in_as):
    organisation = OrganisationFactory(name="Kreisintegrationsstelle Testkreis")
    site = SiteFactory(organisation=organisation, name="Kreishaus")
    admin, device = _administrator(organisation, "Renate Vogel", "renate@example.org")
    person = PersonFactory(
        organisation=organisation, site=site, given_name="Jonas", family_name="Weber"
    )
    PersonRole.objects.filter(person=person).update(
        status=Status.INTERESTED, since=timezone.now() - datetime.timedelta(days=500)
    )
    sign_in_as(admin)
    _second_factor(page, device)

    page.goto("/privacy/")
    page.get_by_role("link", name="Retention periods: 1 person is due for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention periods")
    expect(page.locator("#retention-due")).to_contain_text("Jonas Weber")
    axe("the retention review")
    page.get_by_label("Interested people who never took part: kept for (months)").fill("24")
    page.get_by_role("button", name="Save the periods").click()
    expect(page.get_by_text("Nobody is due.")).to_be_visible()
    page.get_by_label("Interested people who never took part: kept for (months)").fill("12")
    page.get_by_role("button", name="Save the periods").click()
    page.get_by_label("Anonymise Jonas Weber").check()
    page.get_by_role("button", name="Anonymise the chosen people").click()
    expect(page.get_by_role("status").first).to_contain_text("1 person has been anonymised.")
    expect(page.get_by_text("Nobody is due.")).to_be_visible()
    axe("the retention review after it")
    person.refresh_from_db()
    assert person.anonymised_at is not None


def test_an_administrator_reads_and_downloads_the_records_of_processing(page, axe, sign_in_as):
    organisation = OrganisationFactory(name="Kreisintegrationsstelle Testkreis")
    admin, device = _administrator(organisation, "Renate Vogel", "renate@example.org")
    sign_in_as(admin)
    _second_factor(page, device)

    page.goto("/privacy/")
    page.get_by_role("link", name="Records of processing activities (Art. 30)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Records of processing activities (GDPR Art. 30)"
    )
    expect(page.locator("#activity-cases")).to_have_text("Cases")
    expect(page.locator("#measures")).to_contain_text("Administrator")
    expect(page.locator("#periods")).to_contain_text("36 months, after review")
    axe("the records of processing")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.startswith("records-of-processing-")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
