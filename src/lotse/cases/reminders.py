"""What a caseworker must look after in their cases, for the dashboard's "my
tasks" and the e-mail digest (core.mytasks). The mail names cases by number
(F-0007) only, never the client."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import EDIT_CASES
from lotse.core.mytasks import Task

from .models import NO_CONTACT_DAYS, Case, PlanMeasure

MEASURES = gettext_lazy("Help plan measures overdue")
NO_CONTACT = gettext_lazy("Cases without contact for 30 days")


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def tasks_for(user: User, today: datetime.date) -> list[Task]:
    membership = getattr(user, "membership", None)
    if membership is None or not membership.has_perm(EDIT_CASES):
        return []
    mine = Case.objects.visible_to(user).open().of(user)
    tasks = []
    measures = (
        PlanMeasure.objects.filter(goal__plan__case__in=mine.values("pk"))
        .overdue(today)
        .select_related("goal__plan__case__client")
    )
    for measure in measures:
        case = measure.goal.plan.case
        values = {"number": case.number, "what": measure.what, "date": _date(measure.due_on)}
        tasks.append(
            Task(
                MEASURES,
                _("%(name)s (%(number)s): %(what)s, due on %(date)s")
                % {**values, "name": case.client.full_name},
                _("%(number)s: a measure due on %(date)s") % values,
                reverse("cases:case_detail", args=[case.pk]) + f"#measure-{measure.pk}",
                due_on=measure.due_on,
                overdue=True,
            )
        )
    for case in mine.without_contact(today).select_related("client"):
        since = case.last_contact_on or case.opened_on
        values = {"number": case.number, "date": _date(since)}
        tasks.append(
            Task(
                NO_CONTACT,
                _("%(name)s (%(number)s): no contact since %(date)s")
                % {**values, "name": case.client.full_name},
                _("%(number)s: no contact since %(date)s") % values,
                reverse("cases:case_detail", args=[case.pk]),
                due_on=since + datetime.timedelta(days=NO_CONTACT_DAYS),
                overdue=True,
            )
        )
    return tasks
