"""The caseworker's tasks from their cases (lotse.cases.reminders)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lotse.cases import reminders, services
from lotse.cases.models import Case, HelpPlan, Intake, PlanMeasure
from lotse.core import mytasks
from lotse.programmes.models import Programme

from ..tandems.helpers import acting, person

CLIENT_NAMES = ("Amira", "Haddad")


def _today():
    return timezone.localdate()


def _days(n):
    return datetime.timedelta(days=n)


def _tasks(user, today=None):
    return reminders.tasks_for(acting(user), today or _today())


def _case_tasks(user, today=None):
    """The user's tasks from case management only, whatever other apps add."""
    groups = {str(reminders.MEASURES), str(reminders.NO_CONTACT)}
    return [
        task
        for task in mytasks.for_user(acting(user), today or _today())
        if str(task.group) in groups
    ]


def _overdue(world, days=3):
    PlanMeasure.objects.filter(pk=world.plan_measure_a.pk).update(due_on=_today() - _days(days))


def _silent(case, since=None):
    Case.objects.filter(pk=case.pk).update(last_contact_on=since)


def _case(world, client, *, caseworker=None, site=None, status="active", **fields):
    programme = Programme.objects.create(
        organisation=world.org_a,
        name=f"Fallmanagement {Programme.objects.count()}",
        kind="case_management",
    )
    case = Case.objects.create(
        organisation=world.org_a,
        client=client,
        programme=programme,
        site=site or client.site,
        caseworker=caseworker or world.alice,
        status=status,
        opened_on=fields.pop("opened_on", _today() - _days(60)),
        **fields,
    )
    Intake.objects.create(organisation=world.org_a, case=case)
    HelpPlan.objects.create(organisation=world.org_a, case=case, number=1)
    return case


def _measure_url(world):
    url = reverse("cases:case_detail", args=[world.case_a.pk])
    return f"{url}#measure-{world.plan_measure_a.pk}"


def test_an_overdue_measure_and_a_case_without_contact_are_tasks(world):
    _overdue(world)
    _silent(world.case_a, _today() - _days(31))
    tasks = _tasks(world.alice)
    case_url = reverse("cases:case_detail", args=[world.case_a.pk])
    assert [(str(t.group), t.url, t.overdue) for t in tasks] == [
        ("Help plan measures overdue", _measure_url(world), True),
        ("Cases without contact for 30 days", case_url, True),
    ]
    measure, silent = tasks
    assert measure.due_on == _today() - _days(3)
    assert measure.text.startswith(f"Amira Haddad ({world.case_a.number}): Sprachkurs anmelden")
    assert silent.due_on == _today() - _days(1)
    assert silent.text.startswith(f"Amira Haddad ({world.case_a.number}): no contact since ")


def test_the_mail_text_names_the_case_never_the_client(world):
    _overdue(world)
    _silent(world.case_a)
    tasks = _tasks(world.alice)
    assert len(tasks) == 2
    for task in tasks:
        assert world.case_a.number in task.mail_text
        for name in CLIENT_NAMES:
            assert name not in task.mail_text
            assert name in task.text
    assert tasks[0].mail_text.startswith(f"{world.case_a.number}: a measure due on ")
    assert tasks[1].mail_text.startswith(f"{world.case_a.number}: no contact since ")


def test_the_digest_mail_names_no_client(world, settings):
    _overdue(world)
    _silent(world.case_a)
    call_command("send_task_digest")
    sent = [message for message in mail.outbox if "alice@alpha.example" in message.to]
    assert sent
    parts = []
    for message in sent:
        parts += [message.subject, message.body]
        parts += [str(content) for content, _type in getattr(message, "alternatives", [])]
    body = "\n".join(parts)
    assert world.case_a.number in body
    for name in CLIENT_NAMES:
        assert name not in body


def test_the_tasks_reach_the_dashboard(world, client_for):
    _overdue(world)
    _silent(world.case_a)
    assert {str(t.group) for t in _case_tasks(world.alice)} == {
        "Help plan measures overdue",
        "Cases without contact for 30 days",
    }
    page = client_for(world.alice).get(reverse("core:dashboard")).content.decode()
    assert _measure_url(world) in page


def test_no_task_when_all_is_well(world):
    _silent(world.case_a, _today() - _days(29))
    assert _tasks(world.alice) == []
    # A measure due today is not overdue yet; one done or dropped never is.
    PlanMeasure.objects.filter(pk=world.plan_measure_a.pk).update(due_on=_today())
    assert _tasks(world.alice) == []
    PlanMeasure.objects.filter(pk=world.plan_measure_a.pk).update(
        due_on=_today() - _days(3), status="done"
    )
    assert _tasks(world.alice) == []
    PlanMeasure.objects.filter(pk=world.plan_measure_a.pk).update(status="dropped")
    assert _tasks(world.alice) == []
    PlanMeasure.objects.filter(pk=world.plan_measure_a.pk).update(status="in_progress")
    assert len(_tasks(world.alice)) == 1


def test_a_case_without_contact_counts_from_its_opening(world):
    fresh = _case(world, person(world, "Lina", "Haddou"), opened_on=_today() - _days(30))
    assert _tasks(world.alice) == []  # world.case_a had a contact 5 days ago
    later = _tasks(world.alice, _today() + _days(1))
    assert [t.url for t in later] == [reverse("cases:case_detail", args=[fresh.pk])]
    assert later[0].due_on == _today()


def test_an_appointment_ahead_is_no_contact(world):
    _silent(world.case_a)
    # world.case_a has an appointment in two days, and nothing held.
    assert [str(t.group) for t in _tasks(world.alice)] == ["Cases without contact for 30 days"]
    services.record_contact(
        actor=acting(world.alice),
        case=world.case_a,
        kind="phone",
        starts_at=timezone.now() - _days(1),
    )
    assert _tasks(world.alice) == []


def test_a_closed_or_held_case_leaves_no_task(world):
    _overdue(world)
    _silent(world.case_a)
    Case.objects.filter(pk=world.case_a.pk).update(status="on_hold")
    assert len(_tasks(world.alice)) == 2  # on hold is still open
    Case.objects.filter(pk=world.case_a.pk).update(status="closed", closed_on=_today())
    assert _tasks(world.alice) == []


def test_a_measure_of_an_earlier_plan_version_is_no_task(world):
    alice = acting(world.alice)
    services.agree_plan(actor=alice, plan=world.plan_a, agreed_on=_today() - _days(2))
    second = services.agree_plan(actor=alice, plan=HelpPlan.objects.get(pk=world.plan_a.pk))
    _overdue(world)  # the measure of version 1
    assert _tasks(world.alice) == []
    copy = PlanMeasure.objects.get(goal__plan=second)
    PlanMeasure.objects.filter(pk=copy.pk).update(due_on=_today() - _days(1))
    assert [t.url for t in _tasks(world.alice)] == [
        reverse("cases:case_detail", args=[world.case_a.pk]) + f"#measure-{copy.pk}"
    ]


def test_deputies_see_the_tasks_others_do_not(world):
    _overdue(world)
    _silent(world.case_a)
    assert _tasks(world.ada) == []  # not responsible
    world.case_a.deputies.add(world.ada)
    assert len(_tasks(world.ada)) == 2


def test_the_caseworker_s_tasks_stay_within_their_sites(world):
    _overdue(world)
    _silent(world.case_a)
    # Cora is responsible on paper, but the case is at site A1, not hers.
    Case.objects.filter(pk=world.case_a.pk).update(caseworker=world.cora)
    assert _tasks(world.cora) == []
    north = _case(world, world.person_a2, caseworker=world.cora)
    assert [t.url for t in _tasks(world.cora)] == [reverse("cases:case_detail", args=[north.pk])]


@pytest.mark.parametrize("who", ["vera", "pia", "carol", "dave"])
def test_nothing_for_who_does_not_work_with_these_cases(world, who):
    _overdue(world)
    _silent(world.case_a)
    user = getattr(world, who)
    world.case_a.deputies.add(user)  # even if set as deputy directly
    assert _tasks(user) == []
    assert _case_tasks(user) == []


def test_no_tasks_without_a_membership(world):
    _overdue(world)
    _silent(world.case_a)
    user = world.alice
    user.membership = None
    assert reminders.tasks_for(user, _today()) == []
