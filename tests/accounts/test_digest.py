import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.services import send_task_digests
from lotse.matching.models import Decision
from lotse.people.models import Person
from lotse.tandems.models import FollowUp, Tandem

from ..tandems.helpers import mentoring_programme, tandem

BASE = "https://lotse.example.org"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.LOTSE_BASE_URL = BASE + "/"


def _names():
    """Every part of every person's name, in all organisations."""
    return {
        part
        for given, family in Person.objects.values_list("given_name", "family_name")
        for part in (given, family)
    }


def _quiet(world):
    """Nothing due in the world: the follow-up answered, the waiting pair revoked."""
    FollowUp.objects.filter(pk=world.follow_up_a.pk).update(result="still_there")
    Decision.objects.filter(pk=world.accepted_a.pk).update(revoked_at=timezone.now())


def test_alice_gets_one_german_mail_naming_no_one(world):
    last = timezone.localdate() - datetime.timedelta(days=20)
    Tandem.objects.filter(pk=world.tandem_a.pk).update(last_meeting_on=last)

    assert send_task_digests() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.alice.email]
    # Three tasks: the meeting overdue, the follow-up, the pair waiting for its tandem.
    assert message.subject == "Lotse: 3 Aufgaben bei Integrationsstelle Alphastadt"
    body = message.body
    assert body.startswith("Guten Tag Alice Koordinatorin,")
    assert "das steht in Lotse bei Integrationsstelle Alphastadt an:" in body
    assert "Aus Datenschutzgründen nennt diese E-Mail keine Namen" in body
    assert f"Tandem {world.tandem_a.number}: kein Treffen seit {last:%d.%m.%Y}" in body
    assert re.search(r"T-\d{4}", body)
    leaked = [name for name in _names() if name in message.subject or name in body]
    assert leaked == []


def test_every_link_points_at_the_configured_address(world):
    send_task_digests()
    body = mail.outbox[0].body
    links = re.findall(r"\S+://\S+", body)
    assert len(links) == 3  # one per task and the dashboard
    assert all(link.startswith(BASE + "/") for link in links)
    assert BASE + reverse("tandems:tandem_detail", args=[world.tandem_a.pk]) in links
    assert BASE + reverse("matching:tandem_form", args=[world.accepted_a.pk]) in links
    assert BASE + reverse("core:dashboard") in links
    assert BASE + "//" not in body


def test_the_mail_speaks_the_users_language(world):
    world.alice.language = "en"
    world.alice.save()
    last = timezone.localdate() - datetime.timedelta(days=20)
    Tandem.objects.filter(pk=world.tandem_a.pk).update(last_meeting_on=last)

    send_task_digests()

    message = mail.outbox[0]
    assert message.subject == "Lotse: 3 tasks at Integrationsstelle Alphastadt"
    assert message.body.startswith("Hello Alice Koordinatorin,")
    assert "Tandems without a meeting" in message.body
    assert f"no meeting since {last:%m/%d/%Y}" in message.body
    assert "Guten Tag" not in message.body


def test_one_task_is_a_task_in_the_singular(world):
    Decision.objects.filter(pk=world.accepted_a.pk).update(revoked_at=timezone.now())
    world.alice.language = "en"
    world.alice.save()
    send_task_digests()
    assert mail.outbox[0].subject == "Lotse: 1 task at Integrationsstelle Alphastadt"


def test_nobody_gets_mail_when_nothing_is_due(world):
    _quiet(world)
    assert send_task_digests() == 0
    assert mail.outbox == []


def test_inactive_users_and_memberships_get_no_mail(world):
    world.alice.is_active = False
    world.alice.save()
    assert send_task_digests() == 0
    world.alice.is_active = True
    world.alice.save()
    Membership.all_organisations.filter(user=world.alice).update(is_active=False)
    assert send_task_digests() == 0
    assert mail.outbox == []


def test_each_organisation_mails_its_own_tasks(world):
    programme_b = mentoring_programme(world.org_b, "Mentoring Betadorf")
    tandem(
        world,
        "Zeynep",
        "Arslan",
        programme=programme_b,
        site=world.site_b1,
        coordinator=world.carol,
        last_meeting_days_ago=30,
    )

    assert send_task_digests() == 2

    by_recipient = {message.to[0]: message for message in mail.outbox}
    carols = by_recipient[world.carol.email]
    assert carols.subject.endswith(" bei Jobcenter Betadorf")
    assert carols.subject.startswith("Lotse: 1 ")
    assert "Integrationsstelle Alphastadt" not in carols.body
    alices = by_recipient[world.alice.email]
    assert alices.subject == "Lotse: 2 Aufgaben bei Integrationsstelle Alphastadt"
    assert "Zeynep" not in carols.body + alices.body
    assert "Arslan" not in carols.body + alices.body


def test_the_command_sends_the_digest(world):
    out = io.StringIO()
    call_command("send_task_digest", stdout=out)
    assert out.getvalue().strip() == "1 e-mail(s) sent."
    assert [message.to for message in mail.outbox] == [[world.alice.email]]
    _quiet(world)
    out = io.StringIO()
    call_command("send_task_digest", stdout=out)
    assert out.getvalue().strip() == "0 e-mail(s) sent."
    assert len(mail.outbox) == 1
