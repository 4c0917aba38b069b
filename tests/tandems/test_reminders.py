import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from lotse.core import mytasks
from lotse.people.models import Person
from lotse.tandems import reminders, services
from lotse.tandems.models import Evaluation, FollowUp, Tandem

from ..factories import MembershipFactory
from .helpers import acting, ready_pair, tandem


def _today():
    return timezone.localdate()


def _days(n):
    return datetime.timedelta(days=n)


def _tasks(user, today=None):
    return reminders.tasks_for(acting(user), today or _today())


def _of(tasks, tandem):
    url = reverse("tandems:tandem_detail", args=[tandem.pk])
    return [task for task in tasks if task.url == url]


def _quiet(world):
    """No task left in the world: the follow-up is answered."""
    FollowUp.objects.filter(pk=world.follow_up_a.pk).update(result="still_there")


def _answer(tandem, kind, *respondents):
    for respondent in respondents:
        Evaluation.objects.create(
            organisation=tandem.organisation,
            tandem=tandem,
            kind=kind,
            respondent=respondent,
            answered_on=_today(),
        )


def test_the_world_has_one_task_for_alice_the_follow_up(world):
    tasks = _tasks(world.alice)
    assert [(str(task.group), task.due_on) for task in tasks] == [
        ("Follow-ups due", world.follow_up_a.due_on)
    ]
    task = tasks[0]
    assert task.mail_text == (
        f"Tandem {world.tandem_a.number}: ask whether the mentee is still employed "
        "(3 months after the end)"
    )
    assert task.text.startswith("Amira Haddad – Jürgen Wegmann: ")
    assert not task.overdue
    _quiet(world)
    assert _tasks(world.alice) == []


def test_a_follow_up_is_a_task_from_its_due_day_on_until_answered(world):
    FollowUp.objects.filter(pk=world.follow_up_a.pk).update(due_on=_today() + _days(1))
    assert _tasks(world.alice) == []
    later = _tasks(world.alice, _today() + _days(3))
    assert len(later) == 1 and later[0].overdue


def test_a_tandem_without_a_meeting_for_twice_the_rhythm(world):
    _quiet(world)
    last = _today() - _days(40)
    started = tandem(world, "Lina", "Haddou", started_days_ago=60)
    Tandem.objects.filter(pk=started.pk).update(last_meeting_on=last)

    (task,) = _of(_tasks(world.alice), started)

    assert str(task.group) == "Tandems without a meeting"
    since = last.strftime("%m/%d/%Y")
    assert task.mail_text == f"Tandem {started.number}: no meeting since {since}"
    assert task.overdue
    assert task.due_on == last + _days(15)
    assert task.url == f"/tandems/{started.pk}/"


@pytest.fixture
def at_noon():
    """Today at noon in Berlin, the same day in UTC, whatever the hour the test runs."""
    noon = timezone.make_aware(datetime.datetime.combine(_today(), datetime.time(12)))
    with time_machine.travel(noon, tick=False):
        yield


def test_an_agreement_unsigned_14_days_after_forming(at_noon, world):
    _quiet(world)
    pair = ready_pair(world)
    formed = services.create_tandem(
        actor=acting(world.alice), mentee=pair.mentee, mentor=pair.mentor
    )
    now = timezone.now()
    Tandem.objects.filter(pk=formed.pk).update(created_at=now - _days(13))
    assert _of(_tasks(world.alice), formed) == []

    Tandem.objects.filter(pk=formed.pk).update(created_at=now - _days(14))
    (task,) = _of(_tasks(world.alice), formed)
    assert str(task.group) == "Agreements not signed"
    assert "agreement not signed yet" in task.mail_text
    assert task.overdue
    assert task.due_on == _today()

    services.record_signature(
        actor=acting(world.alice), tandem=formed, version=formed.version, signed_on=_today()
    )
    assert _of(_tasks(world.alice), formed) == []


def test_the_formed_on_date_is_the_local_day(world):
    """Formed at 00:30 in Berlin (22:30 UTC the day before): the task names the
    day in Lotse's time zone, not the UTC one, and is due 14 days after it."""
    _quiet(world)
    pair = ready_pair(world)
    with time_machine.travel(datetime.datetime(2026, 6, 10, 22, 30, tzinfo=datetime.UTC)):
        assert timezone.localdate() == datetime.date(2026, 6, 11)
        formed = services.create_tandem(
            actor=acting(world.alice), mentee=pair.mentee, mentor=pair.mentor
        )
    (task,) = _of(_tasks(world.alice, datetime.date(2026, 6, 25)), formed)
    assert task.mail_text == (
        f"Tandem {formed.number}: formed on 06/11/2026, agreement not signed yet"
    )
    assert task.due_on == datetime.date(2026, 6, 25)


def test_the_mid_term_check_is_due_at_half_time_until_both_answered(world):
    _quiet(world)
    halfway = tandem(
        world,
        "Lina",
        "Haddou",
        started_on=_today() - _days(90),
        planned_end_on=_today() + _days(90),
    )
    not_yet = tandem(
        world,
        "Yusuf",
        "Demir",
        started_on=_today() - _days(89),
        planned_end_on=_today() + _days(91),
    )

    tasks = _tasks(world.alice)

    (task,) = _of(tasks, halfway)
    assert str(task.group) == "Evaluations due"
    assert task.mail_text == f"Tandem {halfway.number}: mid-term check due"
    assert task.due_on == _today()
    assert _of(tasks, not_yet) == []
    _answer(halfway, "midterm", "mentee")
    assert len(_of(_tasks(world.alice), halfway)) == 1
    _answer(halfway, "midterm", "mentor")
    assert _of(_tasks(world.alice), halfway) == []


def test_the_final_evaluation_is_due_after_the_end_until_both_answered(world):
    _quiet(world)
    ended = tandem(world, "Lina", "Haddou", status="completed", ended_on=_today() - _days(2))

    (task,) = _of(_tasks(world.alice), ended)

    assert task.mail_text == f"Tandem {ended.number}: final evaluation due"
    assert task.due_on == _today() - _days(2)
    _answer(ended, "final", "mentee", "mentor")
    assert _of(_tasks(world.alice), ended) == []


@pytest.mark.parametrize(
    ("days", "expected", "overdue"),
    [
        (15, None, False),
        (14, "planned end on {date}", False),
        (0, "planned end on {date}", False),
        (-1, "planned end on {date} passed", True),
    ],
)
def test_a_planned_end_within_14_days(world, days, expected, overdue):
    _quiet(world)
    end = _today() + _days(days)
    ending = tandem(world, "Lina", "Haddou", started_on=end - _days(20), planned_end_on=end)

    found = [task for task in _of(_tasks(world.alice), ending) if "planned end" in task.mail_text]

    if expected is None:
        assert found == []
    else:
        (task,) = found
        assert str(task.group) == "Tandems ending soon"
        date = f"{end:%m/%d/%Y}"
        assert task.mail_text == f"Tandem {ending.number}: " + expected.format(date=date)
        assert task.overdue is overdue


def test_no_task_ever_names_a_person_in_its_mail_text(world):
    # One tandem for each kind of task, and the world's follow-up.
    tandem(world, "Lina", "Haddou", last_meeting_days_ago=30)  # no meeting
    tandem(world, "Yusuf", "Demir", started_days_ago=170)  # mid-term, ending soon
    tandem(world, "Mariam", "Sultani", status="ended_early", ended_on=_today())
    pair = ready_pair(world)
    formed = services.create_tandem(
        actor=acting(world.alice), mentee=pair.mentee, mentor=pair.mentor
    )
    Tandem.objects.filter(pk=formed.pk).update(created_at=timezone.now() - _days(20))

    tasks = _tasks(world.alice)

    groups = {str(task.group) for task in tasks}
    assert groups == {
        "Tandems without a meeting",
        "Agreements not signed",
        "Evaluations due",
        "Tandems ending soon",
        "Follow-ups due",
    }
    names = {
        part
        for given, family in Person.objects.values_list("given_name", "family_name")
        for part in (given, family)
    }
    for task in tasks:
        assert task.mail_text.startswith("Tandem T-")
        assert not [name for name in names if name in task.mail_text], task.mail_text
    # The dashboard's text names them.
    assert any("Lina Haddou" in task.text for task in tasks)


@pytest.mark.parametrize("name", ["cora", "vera"])
def test_caseworkers_and_viewers_get_no_tandem_tasks(world, name):
    Tandem.objects.filter(pk=world.tandem_a.pk).update(
        coordinator=None, site=world.site_a2, last_meeting_on=_today() - _days(30)
    )
    assert _tasks(getattr(world, name)) == []
    assert len(_tasks(world.alice)) == 2


def test_a_coordinator_gets_their_own_tandems_and_those_nobody_looks_after(world):
    mine = tandem(world, "Lina", "Haddou", last_meeting_days_ago=30)
    nobodys = tandem(world, "Yusuf", "Demir", coordinator=None, last_meeting_days_ago=30)
    adas = tandem(world, "Mariam", "Sultani", coordinator=world.ada, last_meeting_days_ago=30)
    # carol's organisation has nothing of A; a coordinator of site A2 only does not
    # see the unassigned tandem at site A1.
    nadia = MembershipFactory(
        organisation=world.org_a, user__full_name="Nadia Nord", sites=[world.site_a2]
    ).user

    alice = _tasks(world.alice)
    ada = _tasks(world.ada)

    assert _of(alice, mine) and _of(alice, nobodys) and not _of(alice, adas)
    assert _of(ada, adas) and _of(ada, nobodys) and not _of(ada, mine)
    assert _tasks(world.carol) == []
    assert _tasks(nadia) == []


def test_my_tasks_put_the_overdue_first(world):
    tandem(world, "Lina", "Haddou", last_meeting_days_ago=30)
    tasks = mytasks.for_user(acting(world.alice), _today())
    groups = [str(task.group) for task in tasks]
    # The matching app adds the accepted pair waiting for its tandem.
    assert groups[0] == "Tandems without a meeting"
    assert sorted(groups[1:]) == ["Accepted pairs without a tandem", "Follow-ups due"]
    assert tasks[0].overdue and not any(task.overdue for task in tasks[1:])
    assert mytasks.grouped(tasks)[0][0] == "Tandems without a meeting"
