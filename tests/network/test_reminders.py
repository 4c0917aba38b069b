"""What the network manager must look after (lotse.network.reminders)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from lotse.accounts.models import Membership
from lotse.core import mytasks
from lotse.network import reminders
from lotse.network.models import AgreedMeasure, CooperationAgreement


def _today():
    return timezone.localdate()


def _days(n):
    return datetime.timedelta(days=n)


def acting(user):
    user.membership = Membership.objects.get(user=user)
    return user


def _tasks(user, today=None):
    return reminders.tasks_for(acting(user), today or _today())


def _short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _measure(world, title, meeting=None, **fields):
    values = {"institution": world.institution_a} | fields
    return AgreedMeasure.objects.create(
        organisation=world.org_a,
        meeting=meeting or world.network_meeting_a,
        title=title,
        **values,
    )


def _agreement(world, subject, valid_until, organisation=None):
    return CooperationAgreement.objects.create(
        organisation=organisation or world.org_a, subject=subject, valid_until=valid_until
    )


def test_the_world_has_no_network_task(world):
    # measure_a is due today, not overdue; agreement_a runs without an end.
    assert _tasks(world.alice) == []


def test_an_overdue_measure_is_a_task(world):
    due = _today() - _days(3)
    measure = _measure(world, "Flyer drucken", due_on=due)

    (task,) = _tasks(world.alice)

    assert str(task.group) == "Agreed measures overdue"
    assert task.text == f"Flyer drucken (Jobcenter Alphastadt), due on {_short(due)}"
    assert task.mail_text == task.text
    assert task.url == reverse("network:measure_list") + f"#measure-{measure.pk}"
    assert (task.due_on, task.overdue) == (due, True)


def test_a_measure_nobody_took_on_says_so(world):
    _measure(world, "Raum suchen", institution=None, due_on=_today() - _days(1))
    (task,) = _tasks(world.alice)
    assert task.text.startswith("Raum suchen (nobody yet), due on ")


@pytest.mark.parametrize(
    ("fields", "listed"),
    [
        ({"status": "open", "due_on": -1}, True),
        ({"status": "in_progress", "due_on": -30}, True),
        ({"status": "open", "due_on": 0}, False),
        ({"status": "open", "due_on": None}, False),
        ({"status": "done", "due_on": -3}, False),
        ({"status": "dropped", "due_on": -3}, False),
    ],
    ids=["open-late", "in-progress-late", "due-today", "no-date", "done", "dropped"],
)
def test_only_pending_measures_past_their_date_are_tasks(world, fields, listed):
    offset = fields["due_on"]
    due = _today() + _days(offset) if offset is not None else None
    extra = {"done_on": _today()} if fields["status"] == "done" else {}
    _measure(world, "Prüfen", status=fields["status"], due_on=due, **extra)
    assert bool(_tasks(world.alice)) is listed


def test_a_measure_done_is_no_task_any_more(world):
    measure = _measure(world, "Flyer drucken", due_on=_today() - _days(3))
    assert len(_tasks(world.alice)) == 1
    AgreedMeasure.objects.filter(pk=measure.pk).update(status="done", done_on=_today())
    assert _tasks(world.alice) == []


def test_an_agreement_running_out_within_90_days_is_a_task(world):
    until = _today() + _days(90)
    agreement = _agreement(world, "Kooperation Sprachkurse", until)

    (task,) = _tasks(world.alice)

    assert str(task.group) == "Cooperation agreements running out"
    assert task.text == f"Kooperation Sprachkurse, valid until {_short(until)}"
    assert task.url == reverse("network:agreement_edit", args=[agreement.pk])
    assert (task.due_on, task.overdue) == (until, False)


@pytest.mark.parametrize(
    ("offset", "listed", "overdue"),
    [(91, False, False), (90, True, False), (0, True, False), (-1, True, True), (-90, True, True)],
)
def test_an_agreement_is_brought_up_90_days_before_and_after_it_ends(
    world, offset, listed, overdue
):
    _agreement(world, "Kooperation", _today() + _days(offset))
    tasks = _tasks(world.alice)
    assert len(tasks) == int(listed)
    if listed:
        assert tasks[0].overdue is overdue


def test_an_agreement_long_expired_is_no_task(world):
    _agreement(world, "Alte Kooperation", _today() - _days(91))
    assert _tasks(world.alice) == []


def test_the_tasks_are_for_the_network_managers_of_the_organisation(world):
    _measure(world, "Flyer drucken", due_on=_today() - _days(3))
    _agreement(world, "Kooperation Sprachkurse", _today() + _days(30))
    assert len(_tasks(world.alice)) == 2
    assert len(_tasks(world.ada)) == 2
    for user in (world.cora, world.vera, world.pia, world.carol):
        assert _tasks(user) == [], user


def test_the_internal_committees_measures_are_tasks_for_the_staff(world):
    _measure(world, "Haushalt prüfen", meeting=world.internal_meeting_a, due_on=_today() - _days(2))
    (task,) = _tasks(world.alice)
    assert task.text.startswith("Haushalt prüfen")


def test_another_organisations_records_are_no_tasks(world):
    _agreement(world, "Kooperation Betadorf", _today() + _days(10), organisation=world.org_b)
    assert _tasks(world.alice) == []
    (task,) = _tasks(world.carol)
    assert task.text.startswith("Kooperation Betadorf")


def test_the_dates_are_written_in_the_users_language(world):
    due = datetime.date(2024, 3, 5)
    _measure(world, "Flyer drucken", due_on=due)
    with translation.override("de"):
        (task,) = _tasks(world.alice, datetime.date(2024, 3, 20))
    assert "05.03.2024" in task.text


def test_the_network_tasks_are_among_my_tasks(world, client_for):
    _measure(world, "Flyer drucken", due_on=_today() - _days(3))
    _agreement(world, "Kooperation Sprachkurse", _today() + _days(30))
    texts = [task.text for task in mytasks.for_user(acting(world.alice), _today())]
    assert any(text.startswith("Flyer drucken (Jobcenter Alphastadt)") for text in texts)
    assert any(text.startswith("Kooperation Sprachkurse, valid until") for text in texts)
    dashboard = client_for(world.alice).get(reverse("core:dashboard"))
    assert dashboard.status_code == 200
    assert "Flyer drucken" in dashboard.content.decode()
    assert (
        "Flyer drucken"
        not in client_for(world.cora).get(reverse("core:dashboard")).content.decode()
    )
