"""Browser tests: Playwright drives Debian's Chromium against the live server,
and every visited page goes through the axe accessibility engine."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright

from lotse.core import geo
from lotse.core.models import Place
from lotse.people.catalogues import load_reference_lists
from lotse.people.models import Industry, OccupationArea

from ..factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls that
# tests make to set up data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _chromium() -> str:
    path = os.environ.get("LOTSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        # Fail, never skip: CI must not pass with the browser tests left out.
        pytest.fail("Chromium not found: apt-get install chromium (or set LOTSE_CHROMIUM)")
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, live_server, transactional_db, request) -> Page:
    # Browser tests commit for real, and the flush after each one also empties
    # the reference lists that a migration loads: load them again.
    load_reference_lists(Industry, OccupationArea)
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    own_host = urlsplit(live_server.url).netloc

    def on_console(message):
        # Failed loads are judged by on_response: a 404 page is a 404 on purpose.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console error: {message.text}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} for {response.url}")

    def on_request(req):
        host = urlsplit(req.url).netloc
        if req.url.startswith(("http://", "https://")) and host != own_host:
            problems.append(f"request to another host: {req.url}")

    page.on("console", on_console)
    page.on("request", on_request)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    # No CSP violations, script errors or third-party requests on any page.
    assert not problems, problems


@pytest.fixture
def places(page):
    """The German places, for tests that measure distances: the flush after a
    browser test empties that migration-loaded table too."""
    if not Place.objects.exists():
        geo.load_places()


@pytest.fixture(scope="session")
def _axe() -> Axe:
    return Axe()


@pytest.fixture
def axe(_axe, page):
    """Call `axe()` on every page a test visits: no serious or critical findings."""

    def check(label: str = "") -> None:
        results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        findings = [
            f"{v['id']} ({v['impact']}): {v['help']} – "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not findings, f"axe on {label or page.url}: {findings}"

    return check


@pytest.fixture
def sign_in_as(page, axe):
    def sign_in(user, *, password: str = PASSWORD) -> None:
        page.goto("/login/")
        axe("login")
        page.get_by_label("E-Mail-Adresse").fill(user.email)
        page.get_by_label("Passwort").fill(password)
        page.get_by_role("button", name="Anmelden").click()

    return sign_in
