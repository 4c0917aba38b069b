"""Browser tests: merging a duplicate, and a status change for a selection of the pool.

Buttons and links are found by their target address, not their label: the
German catalogue catches up with new texts later."""

from playwright.sync_api import expect

from lotse.accounts.roles import Role
from lotse.people.models import Person, PersonLanguage, PersonRole, Status

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, SiteFactory


def test_a_coordinator_merges_a_duplicate_into_the_record_she_keeps(page, axe, sign_in_as):
    organisation = OrganisationFactory()
    site = SiteFactory(organisation=organisation, name="Kreishaus")
    keep = PersonFactory(
        organisation=organisation,
        site=site,
        given_name="Maryam",
        family_name="Rahimi",
        email="m.rahimi@example.org",
    )
    duplicate = PersonFactory(
        organisation=organisation,
        site=site,
        given_name="Maryam",
        family_name="Rahimi",
        email="M.Rahimi@example.org",
        phone="+49721123456",
    )
    PersonLanguage.objects.create(person=duplicate, language="prs", level="native")
    coordinator = MembershipFactory(organisation=organisation, role=Role.COORDINATOR).user
    sign_in_as(coordinator)

    page.goto(f"/people/{keep.pk}/")
    axe("person detail")
    page.locator(f'a[href="/people/{keep.pk}/merge/"]').click()
    expect(page.locator("#possible-duplicates li")).to_have_count(1)
    axe("merge: possible duplicates")
    page.locator("#id_q").fill("rahimi")
    page.locator('form[role="search"] button[type="submit"]').click()
    expect(page.locator("#merge-search-results li")).to_have_count(1)
    axe("merge: search results")

    page.locator(f'#possible-duplicates a[href="/people/{keep.pk}/merge/{duplicate.pk}/"]').click()
    expect(page.locator("#merge-summary")).to_be_visible()
    expect(page.get_by_text("+49721123456")).to_be_visible()
    axe("merge confirmation")
    page.locator('main form[method="post"] button[type="submit"]').click()

    expect(page).to_have_url(f"/people/{keep.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maryam Rahimi")
    expect(page.get_by_text("Dari (Muttersprache)")).to_be_visible()
    expect(page.get_by_role("status")).to_be_visible()
    axe("kept person after the merge")
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert keep.phone == "+49721123456"


def test_a_coordinator_changes_the_status_of_two_ticked_people(page, axe, sign_in_as):
    organisation = OrganisationFactory()
    site = SiteFactory(organisation=organisation, name="Kreishaus")
    ticked = [
        PersonFactory(organisation=organisation, site=site, given_name=name, family_name="Pool")
        for name in ("Farid", "Nadia")
    ]
    untouched = PersonFactory(
        organisation=organisation, site=site, given_name="Gisela", family_name="Pool"
    )
    coordinator = MembershipFactory(organisation=organisation, role=Role.COORDINATOR).user
    sign_in_as(coordinator)

    page.goto("/people/")
    expect(page.locator("#person-count")).to_have_text("3 Personen")
    for person in ticked:
        page.locator(f"#select-{person.pk}").check()
    page.locator('button[formaction$="/bulk/status/"]').click()
    expect(page.locator("#selection-count")).to_contain_text("2")
    axe("bulk status: choose the status")
    page.locator("#id_role").select_option("participant")
    page.locator("#id_status").select_option("paused")
    page.locator("#id_reason").fill("Sommerpause")
    page.locator('main form[method="post"] button[type="submit"]').click()

    expect(page).to_have_url("/people/")
    expect(page.get_by_role("status").first).to_contain_text("2")
    axe("pool after the bulk change")
    statuses = dict(
        PersonRole.objects.filter(person__in=[*ticked, untouched]).values_list("person", "status")
    )
    assert statuses == {
        ticked[0].pk: Status.PAUSED,
        ticked[1].pk: Status.PAUSED,
        untouched.pk: Status.ACTIVE,
    }
    change = PersonRole.objects.get(person=ticked[0]).changes.get()
    assert change.reason == "Sommerpause"
