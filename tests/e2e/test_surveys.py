"""Surveys in the browser: someone at an info event answers through the
anonymous link without signing in; the coordinator sees the response in the
live results, sets up a training survey, adds a question and shows the QR
code. Every page through axe."""

from urllib.parse import urlsplit

from django.utils import translation
from playwright.sync_api import expect

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.surveys import services
from lotse.surveys.models import Response

from ..factories import MembershipFactory, OrganisationFactory


def test_an_anonymous_response_and_the_live_results(page, axe, sign_in_as):
    organisation = OrganisationFactory(name="Integrationsbüro Kraichgau")
    staff = MembershipFactory(
        organisation=organisation,
        role=Role.COORDINATOR,
        user__full_name="Jonas Weber",
        user__language="en",
    ).user
    staff.membership = Membership.objects.get(user=staff)
    # Questions are written in the language of who sets the survey up.
    with translation.override("en"):
        survey = services.create_survey(
            actor=staff,
            organisation_id=organisation.pk,
            data={"title": "Info event in Bretten", "template": "info_event", "introduction": ""},
        )

    # --- someone at the event, not signed in (the page speaks German) ------------
    page.goto(f"/s/{survey.token}/")
    expect(page.locator("h1")).to_have_text("Info event in Bretten")
    axe("the anonymous survey")
    page.get_by_role("button", name="Antworten senden").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the required question
    satisfaction = page.get_by_role("group", name="How satisfied are you with the info event?")
    satisfaction.get_by_label("4", exact=True).check()
    page.get_by_role("group", name="Would you like to take part?").get_by_label("yes").check()
    page.get_by_role("group", name="How did you hear about us?").get_by_label(
        "language course"
    ).check()
    page.get_by_label("What else would you like to tell us?").fill("Gut erklärt.")
    page.get_by_role("button", name="Antworten senden").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Antworten wurden gesendet.")
    axe("the thanks")
    assert Response.objects.filter(survey=survey).count() == 1

    # --- the coordinator ------------------------------------------------------
    sign_in_as(staff)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Surveys"
    ).click()
    axe("the surveys")
    page.get_by_role("link", name="Info event in Bretten").click()
    expect(page.locator("#survey-state")).to_contain_text("1 response so far")
    link = page.locator("#survey-link").get_attribute("href")
    assert urlsplit(link).path == f"/s/{survey.token}/"
    expect(page.get_by_role("img", name="QR code of the link")).to_be_visible()
    axe("a survey")
    page.get_by_role("link", name="Results").click()
    expect(page.locator("#response-count")).to_have_text("1 response")
    expect(page.locator("main")).to_contain_text("Gut erklärt.")
    expect(page.get_by_role("img", name="Would you like to take part?")).to_be_visible()
    axe("the results")

    page.goto("/surveys/")
    page.get_by_label("Title").fill("Basic training, May")
    page.get_by_label("Questions to start from").select_option(label="no questions yet")
    page.get_by_role("button", name="Set up").click()
    expect(page.get_by_role("status")).to_contain_text("The survey has been set up.")
    page.get_by_label("Kind of question").select_option(label="one choice")
    page.get_by_label("Question", exact=True).fill("Which module helped most?")
    page.get_by_label("Choices").fill("Law\nCommunication\nIntercultural work")
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_role("status")).to_contain_text("The question has been added.")
    expect(page.locator("main")).to_contain_text("Law, Communication, Intercultural work")
    page.get_by_role("link", name="Show at the event").click()
    expect(page.get_by_role("img", name="QR code of the link")).to_be_visible()
    axe("showing the QR code")
