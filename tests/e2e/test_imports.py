"""The import wizard in the browser: a coordinator uploads the office's messy
workbook, checks the columns Lotse recognised, reads the bad rows in the
preview, imports the good ones, and undoes the import. Every page through axe."""

import re

from playwright.sync_api import expect

from lotse.accounts.roles import Role
from lotse.imports.models import ImportRun
from lotse.people.models import Person

from ..factories import MembershipFactory, OrganisationFactory, SiteFactory
from ..imports.helpers import GOOD_ROWS, workbook

BAD_ROW = [4, "Amir", "Rahimi", "31.02.1980", "amir@", "", "", "", "Atlantis", "", "Mentee", ""]


def test_a_workbook_through_the_wizard_and_back(page, axe, sign_in_as, tmp_path):
    organisation = OrganisationFactory(name="Integrationsbüro Kraichgau")
    SiteFactory(organisation=organisation, name="Bretten")
    staff = MembershipFactory(
        organisation=organisation,
        role=Role.COORDINATOR,
        user__full_name="Jonas Weber",
        user__language="en",
    ).user
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
        page.get_by_role("link", name="Download an example file (XLSX)").click()
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
