"""The person timeline's entries of this app: the steps of their placements
and how probation went."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import User
from lotse.accounts.roles import VIEW_EMPLOYERS
from lotse.people.models import Person
from lotse.people.timeline import LIMIT, TimelineEntry

from .models import FollowUp, FollowUpResult, Placement, StageChange


def person_entries(person: Person, user: User) -> list[TimelineEntry]:
    membership = getattr(user, "membership", None)
    if membership is None or not membership.has_perm(VIEW_EMPLOYERS):
        return []
    visible = Placement.objects.visible_to(user).filter(person=person).values("pk")
    entries = []
    changes = (
        StageChange.objects.filter(placement__in=visible)
        .select_related("placement__opening__employer", "changed_by")
        .order_by("-changed_at")[:LIMIT]
    )
    for change in changes:
        opening = change.placement.opening
        values = {
            "opening": opening.title,
            "employer": opening.employer.name,
            "stage": change.get_to_stage_display(),
        }
        if not change.from_stage:
            text = _("Proposed for %(opening)s at %(employer)s") % values
        else:
            text = _("%(opening)s at %(employer)s: %(stage)s") % values
        if change.note:
            text = f"{text} ({change.note})"
        entries.append(
            TimelineEntry(
                change.changed_at,
                text,
                by=str(change.changed_by or ""),
                url=reverse("employers:placement_detail", args=[change.placement_id]),
            )
        )
    follow_ups = (
        FollowUp.objects.filter(placement__in=visible, recorded_on__isnull=False)
        .exclude(result=FollowUpResult.NOT_NEEDED)
        .select_related("placement__opening__employer", "recorded_by")
        .order_by("-recorded_on")[:LIMIT]
    )
    for follow_up in follow_ups:
        values = {
            "kind": follow_up.get_kind_display(),
            "result": follow_up.get_result_display(),
            "employer": follow_up.placement.opening.employer.name,
        }
        entries.append(
            TimelineEntry(
                _aware(follow_up.recorded_on),
                _("Probation check %(kind)s at %(employer)s: %(result)s") % values,
                by=str(follow_up.recorded_by or ""),
                url=reverse("employers:placement_detail", args=[follow_up.placement_id]),
            )
        )
    return entries


def _aware(day: datetime.date) -> datetime.datetime:
    """A recorded day on the timeline, at noon local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
