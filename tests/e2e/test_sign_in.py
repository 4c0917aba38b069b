import re

from django_otp.oath import totp
from playwright.sync_api import expect

from lotse.accounts.roles import Role

from ..factories import MembershipFactory, OrganisationFactory, SiteFactory


def _office():
    organisation = OrganisationFactory(name="Kreisintegrationsstelle Testkreis")
    SiteFactory(organisation=organisation, name="Kreishaus")
    SiteFactory(organisation=organisation, name="Außenstelle")
    return organisation


def test_a_coordinator_signs_in_switches_language_and_site(page, axe, sign_in_as):
    organisation = _office()
    user = MembershipFactory(
        organisation=organisation, role=Role.COORDINATOR, user__full_name="Aylin Yılmaz"
    ).user
    sign_in_as(user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen, Aylin")
    axe("dashboard (de)")

    page.get_by_label("Sprache").select_option("en")
    page.get_by_role("button", name="Ändern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Aylin")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe("dashboard (en)")

    page.get_by_label("Site").select_option(label="Außenstelle")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_text("Coordinator · Außenstelle")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_password_is_explained(page, axe, sign_in_as):
    user = MembershipFactory(organisation=_office()).user
    sign_in_as(user, password="falsch")
    expect(page.get_by_role("alert")).to_contain_text("passen nicht zusammen")
    axe("login with error")


def test_an_administrator_sets_up_two_factor_login_at_first_sign_in(page, axe, sign_in_as):
    admin = MembershipFactory(organisation=_office(), role=Role.ADMINISTRATOR).user
    sign_in_as(admin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Zwei-Faktor-Anmeldung einrichten")
    axe("two-factor setup")
    secret_shown = page.locator("#totp-secret").inner_text().replace(" ", "")
    device = admin.totpdevice_set.get()
    assert secret_shown  # the key to type in is on the page
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Bestätigen und einschalten").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    axe("recovery codes")
    page.get_by_role("link", name="Ich habe die Codes aufbewahrt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willkommen")

    # The next sign-in asks for the code.
    page.get_by_role("button", name="Abmelden").click()
    sign_in_as(admin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bestätigen Sie, dass Sie es sind")
    axe("two-factor verify")


def test_password_reset_page(page, axe):
    page.goto("/password-reset/")
    axe("password reset")
    page.get_by_label("E-Mail-Adresse").fill("niemand@example.org")
    page.get_by_role("button", name="Link senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prüfen Sie Ihre E-Mails")
    axe("password reset sent")


def test_too_many_password_reset_requests_answer_with_a_page_to_wait(page, axe, settings):
    settings.LOTSE_RATE_LIMITS = {"password_reset": (1, 3600)}
    for _ in range(2):
        page.goto("/password-reset/")
        page.get_by_label("E-Mail-Adresse").fill("niemand@example.org")
        page.get_by_role("button", name="Link senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zu viele Anfragen")
    # A fixed window: the wait is what is left of the hour.
    expect(page.get_by_role("alert")).to_contain_text(
        re.compile(r"in (einer Minute|\d+ Minuten) noch einmal")
    )
    axe("too many requests")


def test_accessibility_statement_and_not_found_page(page, axe):
    page.goto("/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erklärung zur Barrierefreiheit")
    axe("accessibility statement")
    page.goto("/nothing-here/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    axe("404")


def test_keyboard_users_can_skip_to_the_content(page):
    page.goto("/accessibility/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Hauptinhalt springen")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
