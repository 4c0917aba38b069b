"""Rate limits on what an attacker would repeat (SECURITY.md H2): password
reset mails per address, a public questionnaire per address, copies of
personal data per user. 429 with a page that says when to try again; the
next window, another address or another user may go on."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from lotse.surveys.models import Response

from ..conftest import sign_in


def _reset(client, address="198.51.100.4"):
    return client.post(
        reverse("accounts:password_reset"), {"email": "alice@alpha.example"}, REMOTE_ADDR=address
    )


def test_password_reset_mails_are_limited_per_address(world, client):
    with time_machine.travel("2026-12-03 10:00", tick=False) as clock:
        for _ in range(5):
            assert _reset(client).status_code == 302
        refused = _reset(client)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) == 3600
        text = refused.content.decode()
        assert "Zu viele Anfragen" in text
        assert "in 60 Minuten noch einmal" in text
        assert len(mail.outbox) == 5

        assert _reset(client, address="198.51.100.5").status_code == 302
        clock.move_to(datetime.datetime(2026, 12, 3, 11, 0, 1))
        assert _reset(client).status_code == 302


def _answer(client, world, address):
    url = reverse("surveys:respond", args=[world.survey_a.token])
    return client.post(url, {f"q{world.question_a.pk}": "4"}, REMOTE_ADDR=address)


def test_a_public_questionnaire_takes_so_many_responses_per_address(world, client, settings):
    settings.LOTSE_RATE_LIMITS = {"survey_response": (3, 600)}
    assert [_answer(client, world, "203.0.113.7").status_code for _ in range(4)] == [
        302,
        302,
        302,
        429,
    ]
    assert Response.objects.filter(survey=world.survey_a).count() == 3
    # Reading the form is not limited; another address may answer.
    assert client.get(reverse("surveys:respond", args=[world.survey_a.token])).status_code == 200
    assert _answer(client, world, "203.0.113.8").status_code == 302


def test_copies_of_personal_data_are_limited_per_user(world, client, settings):
    settings.LOTSE_RATE_LIMITS = {"access_copy": (2, 3600)}
    sign_in(client, world.ada)
    url = reverse("privacy:access_export", args=[world.person_a1.pk])
    assert [client.post(url).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.parametrize("switched_off", [(0, 60)])
def test_a_limit_of_zero_switches_it_off(world, client, settings, switched_off):
    settings.LOTSE_RATE_LIMITS = {"password_reset": switched_off}
    assert all(_reset(client).status_code == 302 for _ in range(8))
