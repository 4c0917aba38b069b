"""Walks every URL pattern with every persona (DESIGN.md, SECURITY.md B1/B2)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from .conftest import sign_in
from .permission_matrix import A_PERSONAS, ANON, B_PERSONAS, MATRIX, PERSONAS


def _url_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                raise AssertionError(f"URL pattern without a name: {pattern.pattern}")
            names.add(f"{namespace}{pattern.name}")
    return names


def _unlisted(patterns) -> tuple[set[str], set[str]]:
    names = _url_names(patterns)
    return names - MATRIX.keys(), MATRIX.keys() - names


def test_every_url_pattern_has_an_entry_in_the_matrix():
    missing, stale = _unlisted(get_resolver().url_patterns)
    assert not missing, f"URLs without an entry in tests/permission_matrix.py: {sorted(missing)}"
    assert not stale, f"Entries for URLs that no longer exist: {sorted(stale)}"


def test_every_non_public_url_sends_anonymous_users_to_sign_in(client, world):
    for name, route in MATRIX.items():
        if route.public:
            continue
        url = reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)
        send = client.get if route.method == "GET" else client.post
        response = send(url, route.payload(world))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name


def test_a_new_url_without_an_entry_is_caught():
    extra = path("new-page/", lambda request: None, name="new_page")
    missing, _stale = _unlisted([*get_resolver().url_patterns, extra])
    assert missing == {"new_page"}


def test_object_urls_answer_404_to_every_persona_of_the_other_organisation(world):
    object_routes = [
        name
        for name, route in MATRIX.items()
        if route.kwargs and "pk" in route.kwargs(world) and not route.public
    ]
    assert object_routes
    for name in object_routes:
        for persona in B_PERSONAS:
            assert MATRIX[name].status(persona) == 404, (name, persona)


CASES = [(name, persona) for name in sorted(MATRIX) for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_matrix(client, world, name, persona):
    route = MATRIX[name]
    if persona != ANON:
        sign_in(client, getattr(world, persona))
    url = reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)
    send = client.get if route.method == "GET" else client.post
    response = send(url, route.payload(world))
    expected = route.status(persona, world)
    assert response.status_code == expected, (
        f"{persona} {route.method} {url}: {response.status_code}, expected {expected}"
    )
    if persona in B_PERSONAS:
        _assert_nothing_of(
            response,
            world.org_a,
            [world.alice, world.ada, world.cora],
            [world.person_a1, world.person_a2],
        )
    if persona in A_PERSONAS:
        _assert_nothing_of(response, world.org_b, [world.carol, world.dave], [world.person_b1])
    if persona == "pia":  # a partner: never people's data, never what is not shared
        _assert_nothing_of(
            response, None, [], [world.person_a1, world.person_a2, world.tandem_a.mentor.person]
        )
        assert world.internal_committee_a.name.encode() not in response.content, name
    if persona == "cora":  # site A2 only
        _assert_nothing_of(response, None, [], [world.person_a1])


def _assert_nothing_of(response, organisation, users, people):
    """The response shows nothing that belongs to the other organisation (or site)."""
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    content = response.content.decode()
    sentinels = [
        *([organisation.name] if organisation else []),
        *(u.email for u in users),
        *(u.full_name for u in users),
        *(p.family_name for p in people),
    ]
    leaked = [s for s in sentinels if s in content]
    assert not leaked, f"Leaked to the other organisation: {leaked}"
