"""The person timeline's entries of this app: the tandem's status changes and
meetings, for mentee and mentor alike."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import User
from lotse.accounts.roles import VIEW_TANDEMS
from lotse.people.models import Person
from lotse.people.timeline import LIMIT, TimelineEntry

from .models import Meeting, Tandem, TandemStatusChange


def _noon(day: datetime.date) -> datetime.datetime:
    """A meeting has a date, the timeline sorts by time: put it at midday."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def person_entries(person: Person, user: User) -> list[TimelineEntry]:
    membership = getattr(user, "membership", None)
    if membership is None or not membership.has_perm(VIEW_TANDEMS):
        return []
    tandems = Tandem.objects.visible_to(user).filter(
        Q(mentee__person=person) | Q(mentor__person=person)
    )
    entries = []
    changes = (
        TandemStatusChange.objects.filter(tandem__in=tandems)
        .select_related("tandem__mentee__person", "tandem__mentor__person", "changed_by")
        .order_by("-changed_at")[:LIMIT]
    )
    for change in changes:
        tandem = change.tandem
        partner = tandem.mentor if tandem.mentee.person_id == person.pk else tandem.mentee
        text = _("Tandem with %(partner)s: %(status)s") % {
            "partner": partner.person.full_name,
            "status": change.get_to_status_display(),
        }
        if change.reason:
            text = f"{text} ({change.reason})"
        entries.append(
            TimelineEntry(
                change.changed_at,
                text,
                by=str(change.changed_by or ""),
                url=reverse("tandems:tandem_detail", args=[tandem.pk]),
            )
        )
    meetings = (
        Meeting.objects.filter(tandem__in=tandems)
        .select_related("tandem")
        .order_by("-held_on")[:LIMIT]
    )
    for meeting in meetings:
        entries.append(
            TimelineEntry(
                _noon(meeting.held_on),
                _("Tandem meeting (%(mode)s, %(minutes)s minutes)")
                % {"mode": meeting.get_mode_display(), "minutes": meeting.duration_minutes},
                url=reverse("tandems:tandem_detail", args=[meeting.tandem_id]),
            )
        )
    return entries
