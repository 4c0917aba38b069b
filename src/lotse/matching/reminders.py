"""The matching part of "my tasks": pairs a coordinator accepted whose tandem
is not formed yet."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import EDIT_TANDEMS, RUN_MATCHING
from lotse.core.mytasks import Task

from .services import pairs_waiting

WAITING = gettext_lazy("Accepted pairs without a tandem")


def tasks_for(user: User, today: datetime.date) -> list[Task]:
    membership = getattr(user, "membership", None)
    if membership is None or not (
        membership.has_perm(RUN_MATCHING) and membership.has_perm(EDIT_TANDEMS)
    ):
        return []
    tasks = []
    for decision in pairs_waiting(user).filter(decided_by=user):
        accepted_on = timezone.localdate(decision.decided_at)
        accepted = formats.date_format(accepted_on, "SHORT_DATE_FORMAT")
        what = _("accepted on %(date)s, tandem not formed yet") % {"date": accepted}
        tasks.append(
            Task(
                group=WAITING,
                text=f"{decision.mentee.person.full_name} – {decision.mentor.person.full_name}: "
                f"{what}",
                mail_text=_("An accepted pair of %(programme)s: %(what)s")
                % {"programme": decision.session.programme.name, "what": what},
                url=reverse("matching:tandem_form", args=[decision.pk]),
                due_on=accepted_on,
            )
        )
    return tasks
