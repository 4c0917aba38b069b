"""What the network manager must look after, for the dashboard's "my tasks"
and the e-mail digest (core.mytasks): agreed measures past their due date and
cooperation agreements about to expire. These name institutions, never people
Lotse supports, so the mail may say what the dashboard says."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import EDIT_NETWORK
from lotse.core.mytasks import Task

from .models import AgreedMeasure, CooperationAgreement

# A cooperation agreement is brought up this long before it runs out, so that
# there is time to renegotiate it.
AGREEMENT_NOTICE_DAYS = 90

MEASURES = gettext_lazy("Agreed measures overdue")
AGREEMENTS = gettext_lazy("Cooperation agreements running out")


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def tasks_for(user: User, today: datetime.date) -> list[Task]:
    membership = getattr(user, "membership", None)
    if membership is None or not membership.has_perm(EDIT_NETWORK):
        return []
    tasks = []
    measures = (
        AgreedMeasure.objects.visible_to(user)
        .overdue(today)
        .select_related("institution")
        .only("title", "due_on", "institution__name")
    )
    for measure in measures:
        text = _("%(measure)s (%(institution)s), due on %(date)s") % {
            "measure": measure.title,
            "institution": measure.institution.name if measure.institution else _("nobody yet"),
            "date": _date(measure.due_on),
        }
        tasks.append(
            Task(
                MEASURES,
                text,
                text,
                reverse("network:measure_list") + f"#measure-{measure.pk}",
                due_on=measure.due_on,
                overdue=True,
            )
        )
    agreements = (
        CooperationAgreement.objects.visible_to(user)
        .expiring(today, AGREEMENT_NOTICE_DAYS)
        .filter(valid_until__gte=today - datetime.timedelta(days=AGREEMENT_NOTICE_DAYS))
        .only("subject", "valid_until")
    )
    for agreement in agreements:
        text = _("%(subject)s, valid until %(date)s") % {
            "subject": agreement.subject,
            "date": _date(agreement.valid_until),
        }
        tasks.append(
            Task(
                AGREEMENTS,
                text,
                text,
                reverse("network:agreement_edit", args=[agreement.pk]),
                due_on=agreement.valid_until,
                overdue=agreement.valid_until < today,
            )
        )
    return tasks
