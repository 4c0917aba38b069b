"""The import wizard in the browser: a coordinator uploads the office's messy
workbook, checks the columns Lotse recognised, reads the bad rows in the
preview, imports the good ones, and undoes the import. Every page through axe."""

import re

from playwright.sync_api import expect

from lotse.accounts.roles import Role
from lotse.employers.models import Employer
from lotse.imports.models import ImportRun
from lotse.people.models import Person

from ..factories import MembershipFactory, OrganisationFactory, SiteFactory
from ..imports.helpers import EMPLOYER_HEADINGS, EMPLOYER_ROWS, GOOD_ROWS, book, workbook


def _office():
    organisation = OrganisationFactory(name="Integrationsbüro Kraichgau")
    SiteFactory(organisation=organisation, name="Bretten")
    staff = MembershipFactory(
        organisation=organisation,
        role=Role.COORDINATOR,
        user__full_name="Jonas Weber",
        user__language="en",
    ).user
    return organisation, staff


BAD_ROW = [4, "Amir", "Rahimi", "31.02.1980", "amir@", "", "", "", "Atlantis", "", "Mentee", ""]


def test_a_workbook_through_the_wizard_and_back(page, axe, sign_in_as, tmp_path):
    _organisation, staff = _office()
    path = tmp_path / "Teilnehmende 2026.xlsx"
    path.write_bytes(workbook([*GOOD_ROWS, BAD_ROW]))

    sign_in_as(staff)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Imports"
    ).click()
    expect(page.get_by_text("Nothing imported yet.")).to_be_visible()
    axe("the imports")
    page.get_by_role("link", name="Import a file").click()
    axe("the upload")
    with page.expect_download() as download:
        page.locator("#examples").get_by_role("link", name="People").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_role("alert")).to_be_visible()  # no file chosen
    page.get_by_label(re.compile("^File")).set_input_files(path)
    page.get_by_role("button", name="Read the file").click()

    # --- the columns: recognised by their German headings ---------------------
    expect(page.get_by_role("status")).to_contain_text("The file has been read.")
    expect(page.get_by_label("Row of the column headings")).to_have_value("3")
    expect(page.get_by_label("Vorname", exact=True)).to_have_value("given_name")
    expect(page.get_by_label("Geburtsdatum")).to_have_value("birth_date")
    expect(page.get_by_label("Nr.", exact=True)).to_have_value("")
    axe("the columns")
    page.get_by_role("button", name="Show the preview").click()

    # --- the preview: the bad row, precisely -----------------------------------
    summary = page.locator("#import-summary")
    expect(summary).to_contain_text("New records")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("“31.02.1980” is no day of the calendar.")
    expect(problems).to_contain_text("“amir@” is not an e-mail address.")
    expect(problems).to_contain_text("“Atlantis” is not a country Lotse knows.")
    expect(problems.get_by_role("row").filter(has_text="Atlantis")).to_contain_text("Herkunftsland")
    expect(page.locator("#new-rows")).to_contain_text("Samira Darwish")
    axe("the preview")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("1 row has errors")
    assert not Person.objects.filter(family_name="Darwish").exists()
    page.get_by_label("Leave out the rows with errors and import the others").check()
    page.get_by_role("button", name="Import").click()

    # --- done, and undone -----------------------------------------------------
    expect(page.get_by_role("status")).to_contain_text("The file has been imported.")
    facts = page.locator("#import-facts")
    expect(facts).to_contain_text("imported")
    expect(facts.get_by_text("New records").locator("xpath=..")).to_contain_text("3")
    axe("the import")
    assert Person.objects.filter(family_name__in=["Darwish", "Kowalenko", "Müller"]).count() == 3
    page.get_by_role("button", name="Undo the import").click()
    expect(page.get_by_role("status")).to_contain_text("The import has been undone.")
    expect(facts).to_contain_text("undone")
    assert not Person.objects.filter(family_name="Darwish").exists()
    page.get_by_role("link", name="Imports").first.click()
    expect(page.get_by_role("link", name="Teilnehmende 2026.xlsx")).to_be_visible()
    assert ImportRun.objects.get().status == "undone"


def test_employers_with_their_contact_persons_through_the_wizard(page, axe, sign_in_as, tmp_path):
    organisation, staff = _office()
    path = tmp_path / "Arbeitgeber.xlsx"
    rows = [*EMPLOYER_ROWS, ["Autohaus Rad", "Kfz", "", "", "", "Herr Rad", "", "", "", ""]]
    path.write_bytes(book(EMPLOYER_HEADINGS, rows))

    sign_in_as(staff)
    page.goto("/imports/new/")
    page.get_by_label("Employers with their contact persons").check()
    page.get_by_label(re.compile("^File")).set_input_files(path)
    page.get_by_role("button", name="Read the file").click()

    expect(page.get_by_role("status")).to_contain_text("The file has been read.")
    expect(page.get_by_label("Firma", exact=True)).to_have_value("name")
    expect(page.get_by_label("Ansprechpartner", exact=True)).to_have_value("contact_name")
    expect(page.get_by_label("Recognise the same person by")).to_have_count(0)
    axe("the columns of employers")
    page.get_by_role("button", name="Show the preview").click()

    problems = page.locator("#problems")
    expect(problems).to_contain_text("“Kfz” is not a section of the WZ 2008.")
    new_rows = page.locator("#new-rows")
    expect(new_rows.get_by_role("row").filter(has_text="Pflegedienst Lindenhof")).to_contain_text(
        "Frau Linde, Herr Ahmadi"
    )
    axe("the preview of employers")
    page.get_by_label("Leave out the rows with errors and import the others").check()
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("status")).to_contain_text("The file has been imported.")
    facts = page.locator("#import-facts")
    expect(facts.get_by_text("New records").locator("xpath=..")).to_contain_text("3")
    axe("the import of employers")
    lindenhof = Employer.objects.get(organisation=organisation, name="Pflegedienst Lindenhof")
    assert lindenhof.contacts.count() == 2
    assert not Employer.objects.filter(organisation=organisation, name="Autohaus Rad").exists()
    page.get_by_role("button", name="Undo the import").click()
    expect(page.get_by_role("status")).to_contain_text("The import has been undone.")
    assert not Employer.objects.filter(organisation=organisation).exists()
