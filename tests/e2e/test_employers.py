"""Employers and placements in the browser: acquisition with a follow-up, an
opening and a suggested candidate, the placement up to the contract and its
probation follow-ups; and every employers page through axe."""

import datetime
import re

from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.employers.models import Employer, FollowUp, Placement
from lotse.people.models import OccupationArea

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    mentee_profile,
)

EMPLOYER = "Pflegedienst Sonnenschein"
CANDIDATE = "Samira Nasser"


def _english(day: datetime.date) -> str:
    with translation.override("en"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def _setting(today):
    organisation = OrganisationFactory(name="Integrationsbüro Kraichgau")
    site = SiteFactory(organisation=organisation, name="Bretten", municipality="Bretten")
    staff = MembershipFactory(
        organisation=organisation,
        role=Role.CASEWORKER,
        user__full_name="Jonas Weber",
        user__language="en",
    ).user
    staff.membership = Membership.objects.get(user=staff)
    Employer.objects.create(organisation=organisation, name=EMPLOYER, municipality="Bretten")
    candidate = PersonFactory(
        organisation=organisation,
        site=site,
        given_name="Samira",
        family_name="Nasser",
        municipality="Bretten",
    )
    mentee_profile(candidate, languages=(("deu", "B2"), ("ara", "native")), areas=("8",))
    return organisation, staff, candidate


def test_a_placement_from_the_cold_call_to_the_end_of_probation(page, axe, sign_in_as, places):
    today = timezone.localdate()
    _organisation, staff, candidate = _setting(today)
    follow_up_on = today + datetime.timedelta(days=7)
    sign_in_as(staff)

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Employers"
    ).click()
    expect(page.locator("#employer-count")).to_have_text("1 employer")
    axe("the employers")
    page.get_by_role("link", name=EMPLOYER).click()
    axe("an employer")

    # --- a cold call with a follow-up -------------------------------------------
    page.get_by_label("kind").select_option(label="cold call")
    page.get_by_label("follow-up on").fill(follow_up_on.isoformat())
    page.get_by_label("result").fill("Interested in a trainee in nursing care")
    page.get_by_role("button", name="Record the activity").click()
    expect(page.get_by_role("status")).to_contain_text("The activity has been recorded")
    expect(page.locator("#activities")).to_contain_text(f"Follow-up on {_english(follow_up_on)}")
    # The first contact moves the prospect on.
    expect(page.locator(".kern-subline")).to_contain_text("contacted")
    page.goto("/employers/follow-ups/")
    expect(page.locator("main")).to_contain_text(EMPLOYER)
    axe("the follow-ups")
    page.get_by_role("link", name=EMPLOYER).click()

    # --- an opening and a suggested candidate -------------------------------------
    page.get_by_role("link", name="Create an opening").click()
    axe("creating an opening")
    page.get_by_label("kind").select_option(label="job, full-time")
    page.get_by_label("title").fill("Care assistant")
    area = OccupationArea.objects.get(code="8")
    page.get_by_label("occupational area").select_option(value=str(area.pk))
    page.get_by_label("German at least").select_option(label="B1")
    page.get_by_label("place of work").fill("Bretten")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The opening has been created")
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text(CANDIDATE)
    expect(suggestions).to_contain_text("Speaks German at B2 (B1 required)")
    expect(suggestions).to_contain_text("Wants to work or has worked in")
    axe("an opening with suggestions")
    suggestions.get_by_role("button", name=f"Propose {CANDIDATE}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{CANDIDATE} has been proposed")
    expect(page.locator("#placement-stage")).to_have_text("proposed")
    axe("a placement")

    # --- the contract schedules the probation follow-ups -------------------------
    page.get_by_label("New stage").select_option(label="contract")
    page.get_by_label("Start of employment").fill(today.isoformat())
    page.get_by_role("combobox", name=re.compile("^Term")).select_option(label="permanent")
    page.get_by_role("button", name="Move").click()
    expect(page.get_by_role("status")).to_contain_text("The placement has been moved")
    expect(page.locator("#placement-stage")).to_have_text("contract")
    follow_ups = page.locator("#follow-ups")
    for kind in ("after one month", "after three months", "at the end of probation"):
        expect(follow_ups).to_contain_text(kind)
    expect(follow_ups.get_by_role("button", name="Record the result")).to_have_count(3)
    expect(follow_ups).to_contain_text("Jonas Weber")
    axe("a placement with its follow-ups")
    placement = Placement.objects.get(person=candidate)
    assert FollowUp.objects.filter(placement=placement, result="").count() == 3

    # --- "still employed" at the end of probation closes them all ----------------
    last = page.get_by_role("group", name="Result of the follow-up at the end of probation")
    last.get_by_label("still employed", exact=True).check()
    last.locator("xpath=..").get_by_role("button", name="Record the result").click()
    expect(page.get_by_role("status")).to_contain_text("The follow-up has been recorded")
    expect(
        page.locator("#follow-ups").get_by_role("button", name="Record the result")
    ).to_have_count(0)
    expect(page.locator("#follow-ups")).to_contain_text("still employed")
    expect(page.locator("#follow-ups")).to_contain_text("no longer needed")
    assert not FollowUp.objects.filter(placement=placement, result="").exists()

    # The placement is on the person's page and in the timeline.
    page.get_by_role("link", name=CANDIDATE).first.click()
    expect(page.locator("#placements-heading")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Care assistant")


def test_every_employers_page_is_accessible(page, axe, sign_in_as, places):
    today = timezone.localdate()
    _organisation, staff, candidate = _setting(today)
    sign_in_as(staff)
    for url, label in (
        ("/employers/pipeline/", "the acquisition pipeline"),
        ("/openings/", "the openings"),
        ("/placements/", "the placements"),
        ("/employers/new/", "adding an employer"),
        (f"/people/{candidate.pk}/openings/", "suggested openings"),
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        axe(label)
    page.goto("/employers/pipeline/")
    expect(page.locator("main")).to_contain_text(EMPLOYER)
    page.get_by_role("combobox", name=f"Stage of {EMPLOYER}").select_option(label="in talks")
    page.get_by_role("button", name=re.compile(f"Move {EMPLOYER}")).click()
    expect(page.get_by_role("status")).to_contain_text("The acquisition stage has been saved")
    assert Employer.objects.get(name=EMPLOYER).stage == "talks"
    employer = Employer.objects.get(name=EMPLOYER)
    page.goto(f"/employers/{employer.pk}/contacts/new/")
    axe("adding a contact person")
    page.locator("#id_name").fill("Ines Berger")
    page.locator("#id_email").fill("not an address")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Enter a valid email address")
    axe("a contact form with an error")
