"""Headers, CSRF and session limits across every route (SECURITY.md A4, I2, I3, C1),
and bandit over the source."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

import lotse
from lotse.core import audit
from lotse.core.models import AuditEntry

from ..conftest import sign_in
from ..permission_matrix import MATRIX


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_route_sends_the_security_headers(world, client, name):
    route = MATRIX[name]
    sign_in(client, world.alice)
    url = reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)
    send = client.get if route.method == "GET" else client.post
    response = send(url, route.payload(world))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Permissions-Policy" in response
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", [n for n, r in sorted(MATRIX.items()) if r.method == "POST"])
def test_every_unsafe_method_needs_the_csrf_token(world, name):
    route = MATRIX[name]
    client = sign_in(Client(enforce_csrf_checks=True), world.ada)
    url = reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)
    assert client.post(url, route.payload(world)).status_code == 403


def test_the_login_form_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a@b.c", "password": "x"})
    assert response.status_code == 403


def test_a_sign_in_ends_after_ten_hours_however_active(world, client):
    with time_machine.travel("2026-11-23 08:00", tick=False) as clock:
        from ..factories import PASSWORD

        client.post(
            reverse("accounts:login"), {"username": world.alice.email, "password": PASSWORD}
        )
        for _step in range(23):  # a request every 25 minutes until 9:35 h
            clock.shift(25 * 60)
            assert client.get(reverse("core:dashboard")).status_code == 200
        clock.shift(28 * 60)  # 10:03 h after signing in
        response = client.get(reverse("core:dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_sign_in_ends_after_thirty_idle_minutes(world, client):
    with time_machine.travel("2026-11-23 08:00", tick=False) as clock:
        from ..factories import PASSWORD

        client.post(
            reverse("accounts:login"), {"username": world.alice.email, "password": PASSWORD}
        )
        clock.shift(29 * 60)
        assert client.get(reverse("core:dashboard")).status_code == 200
        clock.shift(31 * 60)
        assert client.get(reverse("core:dashboard")).status_code == 302


def test_a_denial_is_written_to_the_audit_log(world, client):
    sign_in(client, world.alice)
    assert client.get(reverse("core:audit_log")).status_code == 403
    entry = AuditEntry.objects.get(action=audit.ACCESS_DENIED)
    assert entry.actor == world.alice
    assert entry.organisation == world.org_a


def test_bandit_finds_nothing_that_is_not_justified_in_the_code():
    """SECURITY.md: every finding of bandit is either mended or marked with
    `# nosec <id>` beside the reason (the same reason ruff's `noqa: S…` gives)."""
    source = Path(lotse.__file__).parent
    found = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", str(source), "-x", "*/migrations/*",
         "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    results = json.loads(found.stdout)["results"]
    assert [(r["filename"], r["line_number"], r["test_id"]) for r in results] == []


# Path parameters that are not record numbers: tokens and fixed words, none
# of them a person's data. A new one must be added here knowingly.
_NOT_NUMBERS = {"token", "uidb64", "file_format", "action", "role", "code", "kind", "respondent"}


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), getattr(pattern.pattern, "converters", {})


def test_no_address_carries_personal_data_in_its_path():
    found = []
    for route, converters in _patterns(get_resolver().url_patterns):
        for name, converter in converters.items():
            if not isinstance(converter, IntConverter) and name not in _NOT_NUMBERS:
                found.append((route, name))
    assert found == []


def test_personal_data_and_passwords_stay_out_of_the_logs(world, client, caplog):
    from ..factories import PASSWORD

    sentinel = "Qxzlogsentinel"
    person = world.person_a1
    person.family_name = sentinel
    person.email = f"{sentinel.lower()}@example.org"
    person.save()
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("accounts:login"), {"username": person.email, "password": PASSWORD})
        sign_in(client, world.alice)
        client.get(reverse("people:person_list"), {"q": sentinel})
        client.get(reverse("people:person_detail", args=[person.pk]))
        client.get(f"/people/{person.pk}/nothing-here/?q={sentinel}")  # a 404
        client.get(reverse("core:audit_log"), {"q": sentinel})  # a denial
    text = caplog.text.lower()
    assert caplog.records  # the 404 and the denial were logged ...
    assert sentinel.lower() not in text  # ... without the name or the address
    assert PASSWORD.lower() not in text
