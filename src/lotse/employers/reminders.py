"""What a staff member must look after with employers, for the dashboard's
"my tasks" and the e-mail digest (core.mytasks): acquisition follow-ups due
and probation follow-ups of their placements. The mail names employers (they
are businesses) but never the person placed."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import EDIT_EMPLOYERS
from lotse.core.mytasks import Task

from .models import Activity, FollowUp, Placement

ACQUISITION = gettext_lazy("Employer follow-ups due")
PROBATION = gettext_lazy("Probation follow-ups")
# A probation check shows among the tasks a week before it is due.
PROBATION_NOTICE_DAYS = 7


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def tasks_for(user: User, today: datetime.date) -> list[Task]:
    membership = getattr(user, "membership", None)
    if membership is None or not membership.has_perm(EDIT_EMPLOYERS):
        return []
    tasks = []
    activities = (
        Activity.objects.visible_to(user)
        .follow_ups_due(today)
        .filter(staff=user)
        .select_related("employer")
    )
    for activity in activities:
        values = {"employer": activity.employer.name, "date": _date(activity.follow_up_on)}
        text = _("%(employer)s: follow-up due on %(date)s") % values
        tasks.append(
            Task(
                ACQUISITION,
                text,
                text,
                reverse("employers:employer_detail", args=[activity.employer_id])
                + f"#activity-{activity.pk}",
                due_on=activity.follow_up_on,
                overdue=activity.follow_up_on < today,
            )
        )
    follow_ups = (
        FollowUp.objects.pending()
        .filter(
            assigned_to=user,
            placement__in=Placement.objects.visible_to(user).values("pk"),
            due_on__lte=today + datetime.timedelta(days=PROBATION_NOTICE_DAYS),
        )
        .select_related("placement__person", "placement__opening__employer")
    )
    for follow_up in follow_ups:
        placement = follow_up.placement
        values = {
            "kind": follow_up.get_kind_display(),
            "date": _date(follow_up.due_on),
            "employer": placement.opening.employer.name,
        }
        tasks.append(
            Task(
                PROBATION,
                _("%(name)s at %(employer)s: check %(kind)s, due on %(date)s")
                % {**values, "name": placement.person.full_name},
                _("A probation check at %(employer)s, due on %(date)s") % values,
                reverse("employers:placement_detail", args=[placement.pk])
                + f"#follow-up-{follow_up.pk}",
                due_on=follow_up.due_on,
                overdue=follow_up.due_on < today,
            )
        )
    return tasks
