"""The reports in the browser: a viewer opens the key figures, changes the
period and reads the anonymised statistics; a coordinator opens the records
behind a figure. Every page through axe."""

import datetime
import re

import pypdf
from django.utils import timezone
from playwright.sync_api import expect

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.programmes.catalogues import DEFAULT_STEPS
from lotse.programmes.models import Enrolment, Programme, Step
from lotse.tandems.models import Tandem

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, SiteFactory


def _office():
    organisation = OrganisationFactory(name="Integrationsbüro Kraichgau")
    site = SiteFactory(organisation=organisation, name="Bretten")
    coordinator = MembershipFactory(
        organisation=organisation,
        role=Role.COORDINATOR,
        user__full_name="Jonas Weber",
        user__language="en",
    ).user
    viewer = MembershipFactory(
        organisation=organisation,
        role=Role.VIEWER,
        user__full_name="Greta Gemeinderat",
        user__language="en",
    ).user
    programme = Programme.objects.create(
        organisation=organisation, name="Mentoring Bretten", kind="mentoring"
    )
    Step.objects.bulk_create(
        Step(organisation=organisation, programme=programme, position=n, **step._asdict())
        for n, step in enumerate(DEFAULT_STEPS["mentoring"], start=1)
    )
    step = programme.steps.first()
    this_year = timezone.localdate().year
    tandems = []
    for number, year in enumerate((this_year - 1, this_year - 1, this_year)):
        mentee, mentor = (
            Enrolment.objects.create(
                organisation=organisation,
                programme=programme,
                person=PersonFactory(
                    organisation=organisation,
                    site=site,
                    given_name=f"{role.title()}{number}",
                    family_name="Beispiel",
                ),
                role=role,
                step=step,
            )
            for role in ("mentee", "mentor")
        )
        tandems.append(
            Tandem.objects.create(
                organisation=organisation,
                programme=programme,
                mentee=mentee,
                mentor=mentor,
                site=site,
                coordinator=coordinator,
                status="active",
                started_on=datetime.date(year, 1, 15),
            )
        )
    for user in (coordinator, viewer):
        user.membership = Membership.objects.get(user=user)
    return coordinator, viewer, tandems


def _figure(page, code):
    return page.locator(f'[data-figure="{code}"]')


def test_a_viewer_reads_the_figures_of_another_period_and_the_statistics(page, axe, sign_in_as):
    _coordinator, viewer, _tandems = _office()
    this_year = timezone.localdate().year
    sign_in_as(viewer)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Reports"
    ).click()
    expect(page.locator("#period-shown")).to_contain_text(f"Figures for {this_year}")
    expect(_figure(page, "tandems_formed")).to_have_text("1")
    # Running since last year: all three are active this year.
    expect(_figure(page, "tandems_active")).to_have_text("3")
    expect(page.get_by_role("img", name="Tandems formed")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("Show the records.*Active tandems"))
    ).to_have_count(0)
    axe("the key figures")

    page.get_by_label("Year", exact=True).fill(str(this_year - 1))
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#period-shown")).to_contain_text(f"Figures for {this_year - 1}")
    expect(_figure(page, "tandems_formed")).to_have_text("2")
    # The trend charts came after the figures, for the year now chosen.
    trend = page.locator("#trends table").first
    expect(trend).to_contain_text(str(this_year - 1))
    expect(trend).not_to_contain_text(str(this_year))

    # Without JavaScript, the trend charts are a page of their own.
    dashboard_url = page.url
    page.goto(page.locator("#trends").get_attribute("hx-get"))
    expect(page.get_by_role("img", name="Tandems formed")).to_be_visible()
    axe("the trend charts on a page of their own")
    page.get_by_role("link", name="Back to the key figures").click()
    assert page.url == dashboard_url

    # The annual report of last year holds the figures shown for it.
    shown = {
        code: (
            page.locator(f"#figure-{code} .lotse-definition").inner_text(),
            _figure(page, code).inner_text(),
        )
        for code in ("tandems_formed", "tandems_active", "active_mentors", "contract_rate")
    }
    page.get_by_role("navigation", name="Reports").get_by_role(
        "link", name="Annual reports"
    ).click()
    axe("the annual reports")
    page.get_by_label(re.compile("^Year")).fill(str(this_year - 1))
    page.get_by_label(re.compile("^Language of the report")).select_option(label="English")
    page.get_by_label(re.compile("^Title")).fill(f"Annual report {this_year - 1}")
    page.get_by_label(re.compile("^Foreword")).fill("A year of mentoring in Bretten.")
    page.get_by_role("button", name="Write the report").click()
    expect(page.locator("#report-status")).to_contain_text("The report is ready.")
    axe("an annual report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    reader = pypdf.PdfReader(download.value.path())
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert f"Annual report {this_year - 1}" in text
    assert "A year of mentoring in Bretten." in text
    for definition, value in shown.values():
        assert f"{definition} {value}" in text, (definition, value)
    page.goto("/reports/?kind=year&year=" + str(this_year - 1))

    page.get_by_label("Period", exact=True).select_option(label="Quarter")
    page.get_by_label(re.compile("^Quarter")).select_option(label="Q1")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#period-shown")).to_contain_text(f"Q1 {this_year - 1}")
    expect(_figure(page, "tandems_formed")).to_have_text("2")

    page.get_by_role("navigation", name="Reports").get_by_role(
        "link", name="Anonymised statistics"
    ).click()
    expect(page.locator("h1")).to_have_text("Anonymised statistics")
    expect(page.locator("main")).not_to_contain_text("Beispiel")
    expect(page.locator("main")).to_contain_text("hidden")
    axe("the anonymised statistics")

    page.get_by_label("Period", exact=True).select_option(label="From – to")
    page.get_by_label(re.compile("^From")).fill(f"{this_year - 1}-03-01")
    page.get_by_label(re.compile("^Until")).fill(f"{this_year - 1}-02-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the marked fields")
    expect(page.locator("main")).to_contain_text("The end date must not be before the start date.")
    axe("a period refused")


def test_a_coordinator_opens_the_records_behind_a_figure(page, axe, sign_in_as):
    coordinator, _viewer, tandems = _office()
    sign_in_as(coordinator)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Reports"
    ).click()
    page.get_by_role("link", name=re.compile("Show the records.*Active tandems")).click()
    expect(page.locator("h1")).to_have_text("Active tandems")
    expect(page.locator("main")).to_contain_text("3 records")
    axe("the records behind a figure")
    page.get_by_role("link", name=str(tandems[0])).click()
    expect(page).to_have_url(f"/tandems/{tandems[0].pk}/")


def test_a_coordinator_records_a_testimonial_and_its_authors_consent(page, axe, sign_in_as):
    coordinator, _viewer, tandems = _office()
    mentee = tandems[0].mentee.person
    sign_in_as(coordinator)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Reports"
    ).click()
    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Testimonials").click()
    expect(page.locator("main")).to_contain_text("No testimonials recorded yet.")
    axe("the testimonials")
    page.get_by_role("link", name="Record a testimonial").click()
    expect(page.locator("#publication-consent")).to_contain_text("under Consents")
    page.get_by_label(re.compile("^Author", re.I)).select_option(label=str(mentee))
    page.get_by_label(re.compile("^Written as", re.I)).select_option(label="mentee")
    text = page.get_by_label(re.compile("^Text", re.I))
    text.fill("The tandem gave me courage.")
    page.get_by_role("button", name="Save").click()
    # The name to print under it is missing: said so, and the text stays.
    expect(page.get_by_role("alert")).to_be_visible()
    expect(text).to_have_value("The tandem gave me courage.")
    axe("a testimonial refused")
    page.get_by_label(re.compile("^Printed as", re.I)).fill("Mentee0, Bretten")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The testimonial has been saved.")
    consent = page.get_by_role("row").filter(has_text="Mentee0, Bretten").get_by_role("cell").last
    expect(consent).to_have_text("none in force")
    page.get_by_role("navigation", name="Reports").get_by_role(
        "link", name="Annual reports"
    ).click()
    expect(page.get_by_label(re.compile("Mentee0, Bretten"))).to_have_count(0)

    # The consent to publication goes on the author's page, with the others.
    page.goto(f"/people/{mentee.pk}/")
    page.locator("#consents").get_by_role("link", name="Record a consent").click()
    page.get_by_label("photos or testimonials for publication").check()
    page.get_by_label("signed on paper").check()
    page.get_by_role("button", name="Record the consent").click()
    expect(page.get_by_role("status")).to_contain_text("The consent has been recorded.")
    page.goto("/reports/testimonials/")
    expect(consent).to_have_text("in force")
    axe("the testimonials with a consent")
    page.get_by_role("navigation", name="Reports").get_by_role(
        "link", name="Annual reports"
    ).click()
    expect(page.get_by_label(re.compile("Mentee0, Bretten"))).to_be_visible()
