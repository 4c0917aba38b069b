"""What a coordinator must do about their tandems, for the dashboard's "my
tasks" and the e-mail digest (core.mytasks). E-mail texts name tandems by
number only, never by the people in them."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import EDIT_TANDEMS
from lotse.core.mytasks import Task

from .models import ENDED, EvaluationKind, FollowUp, Tandem, TandemStatus

AGREEMENT_WAIT_DAYS = 14
NAME = ("given_name", "family_name")
ENDING_WITHIN_DAYS = 14

OVERDUE = gettext_lazy("Tandems without a meeting")
AGREEMENT = gettext_lazy("Agreements not signed")
EVALUATION = gettext_lazy("Evaluations due")
ENDING = gettext_lazy("Tandems ending soon")
FOLLOW_UP = gettext_lazy("Follow-ups due")


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def responsible_tandems(user: User):
    """The tandems a user looks after: theirs, and those nobody is responsible for."""
    return Tandem.objects.visible_to(user).filter(Q(coordinator=user) | Q(coordinator__isnull=True))


def tasks_for(user: User, today: datetime.date) -> list[Task]:
    membership = getattr(user, "membership", None)
    if membership is None or not membership.has_perm(EDIT_TANDEMS):
        return []
    # Only what the tasks say: a coordinator may look after hundreds of tandems.
    mine = (
        responsible_tandems(user)
        .select_related("programme", "mentee__person", "mentor__person")
        .only(
            "status",
            "created_at",
            "started_on",
            "planned_end_on",
            "last_meeting_on",
            "resumed_on",
            "ended_on",
            "programme__meeting_rhythm_days",
            *(f"{role}__person__{name}" for role in ("mentee", "mentor") for name in NAME),
        )
    )
    tasks: list[Task] = []

    def add(group, tandem: Tandem, what: str, due: datetime.date | None, overdue: bool) -> None:
        tasks.append(
            Task(
                group=group,
                text=f"{tandem}: {what}",
                mail_text=_("Tandem %(number)s: %(what)s")
                % {"number": tandem.number, "what": what},
                url=reverse("tandems:tandem_detail", args=[tandem.pk]),
                due_on=due,
                overdue=overdue,
            )
        )

    for tandem in mine.overdue(today):
        since = tandem.last_meeting_on or tandem.started_on
        add(
            OVERDUE,
            tandem,
            _("no meeting since %(date)s") % {"date": _date(since)},
            tandem.meeting_due_on(),
            True,
        )
    waiting_since = today - datetime.timedelta(days=AGREEMENT_WAIT_DAYS)
    for tandem in mine.filter(
        status=TandemStatus.FORMING,
        agreement_signed_on__isnull=True,
        created_at__date__lte=waiting_since,
    ):
        add(
            AGREEMENT,
            tandem,
            _("formed on %(date)s, agreement not signed yet")
            % {"date": _date(timezone.localdate(tandem.created_at))},
            timezone.localdate(tandem.created_at) + datetime.timedelta(days=AGREEMENT_WAIT_DAYS),
            True,
        )
    with_answers = mine.annotate(
        midterm=Count("evaluations", filter=Q(evaluations__kind=EvaluationKind.MIDTERM)),
        final=Count("evaluations", filter=Q(evaluations__kind=EvaluationKind.FINAL)),
    )
    for tandem in with_answers.filter(
        status__in=[TandemStatus.ACTIVE, TandemStatus.PAUSED], midterm__lt=2
    ):
        midterm = tandem.midterm_on()
        if midterm is not None and midterm <= today:
            add(EVALUATION, tandem, _("mid-term check due"), midterm, False)
    for tandem in with_answers.filter(status__in=ENDED, final__lt=2, ended_on__isnull=False):
        add(EVALUATION, tandem, _("final evaluation due"), tandem.ended_on, False)
    for tandem in mine.filter(
        status__in=[TandemStatus.ACTIVE, TandemStatus.PAUSED],
        planned_end_on__lte=today + datetime.timedelta(days=ENDING_WITHIN_DAYS),
    ):
        end = tandem.planned_end_on
        what = (
            _("planned end on %(date)s passed") if end < today else _("planned end on %(date)s")
        ) % {"date": _date(end)}
        add(ENDING, tandem, what, end, end < today)
    follow_ups = (
        FollowUp.objects.filter(tandem__in=responsible_tandems(user))
        .due(today)
        .select_related("tandem__mentee__person", "tandem__mentor__person")
        .only(
            "months",
            "due_on",
            "tandem_id",
            *(f"tandem__{role}__person__{name}" for role in ("mentee", "mentor") for name in NAME),
        )
    )
    for follow_up in follow_ups:
        add(
            FOLLOW_UP,
            follow_up.tandem,
            _("ask whether the mentee is still employed (%(months)s months after the end)")
            % {"months": follow_up.months},
            follow_up.due_on,
            follow_up.due_on < today,
        )
    return tasks
