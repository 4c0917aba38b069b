"""A staff member's appointments: the week calendar inside Lotse and the
iCalendar feed for their calendar app.

The feed leaves Lotse's access control: it is fetched by a calendar app from
a secret address, synchronised to phones and often to a provider's cloud, and
shown to whoever the calendar is shared with. So an event says only what kind
of contact it is, when, and the case's number (F-0007): never the client's
name, the place, the participants, the note or the next steps. Whoever needs
more opens the case in Lotse, where the usual permissions apply.

LOCATION is left out on purpose: the place of a home visit is the client's
address, and the place of an accompaniment (the foreigners' authority, a
doctor, a school) says more about the client than the case number does. A
calendar app would also send the address to a map service."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from lotse.accounts.models import User

from .models import CaseContact

# The feed's window: recent contacts stay visible, planned ones well ahead.
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 180

_PRODID = "-//Lotse//Case management appointments//EN"
_WEEK = re.compile(r"(\d{4})-W(\d{1,2})")


# --- the iCalendar feed ------------------------------------------------------------------


def _start_of(day: datetime.date, tz: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def feed_contacts(user: User, organisation_id: int, today: datetime.date) -> QuerySet[CaseContact]:
    """The user's contacts for their feed: those they hold (as staff member)
    in cases of the organisation, from FEED_DAYS_BACK days before `today` to
    FEED_DAYS_AHEAD days after it, in local days.

    The feed is fetched without a signed-in user, so there is no membership
    to narrow by: the organisation is filtered explicitly (the caller runs
    this inside `django_scopes.scope(organisation=...)`)."""
    tz = timezone.get_current_timezone()
    since = _start_of(today - datetime.timedelta(days=FEED_DAYS_BACK), tz)
    until = _start_of(today + datetime.timedelta(days=FEED_DAYS_AHEAD + 1), tz)
    return (
        CaseContact.objects.filter(
            organisation_id=organisation_id,
            case__organisation_id=organisation_id,
            staff=user,
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .select_related("case")
        .order_by("starts_at", "pk")
    )


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _event(contact: CaseContact, stamp: datetime.datetime) -> Event:
    number = contact.case.number
    event = Event()
    event.add("uid", f"case-contact-{contact.pk}@lotse")
    event.add("dtstamp", stamp)
    event.add("dtstart", _utc(contact.starts_at))
    event.add("dtend", _utc(contact.ends_at))
    event.add(
        "summary",
        _("%(kind)s – %(number)s") % {"kind": contact.get_kind_display(), "number": number},
    )
    event.add("description", _("Case %(number)s in Lotse") % {"number": number})
    # Calendars shared with colleagues or family show a private event as "busy" only.
    event.add("class", "PRIVATE")
    return event


def ical_feed(contacts: Iterable[CaseContact], *, name: str) -> bytes:
    """The contacts as an iCalendar document, one event each (see the module's
    docstring for what an event may say). `contacts` should come with
    `select_related("case")`, as from `feed_contacts`."""
    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    # How often a calendar app should fetch the feed again.
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = _utc(timezone.now()).replace(microsecond=0)
    for contact in contacts:
        calendar.add_component(_event(contact, stamp))
    return calendar.to_ical()


# --- the week calendar -------------------------------------------------------------------


@dataclass
class Day:
    date: datetime.date
    contacts: list[CaseContact] = field(default_factory=list)


@dataclass
class Week:
    monday: datetime.date
    days: list[Day]

    @property
    def label(self) -> str:
        """The ISO week, as `<input type="week">` and `parse_week` read it."""
        return iso_week(self.monday)

    @property
    def previous(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the day's week."""
    return day - datetime.timedelta(days=day.weekday())


def iso_week(day: datetime.date) -> str:
    """The day's ISO week, like "2026-W49"."""
    year, number, _weekday = day.isocalendar()
    return f"{year:04d}-W{number:02d}"


def parse_week(text: str | None) -> datetime.date | None:
    """The Monday of an ISO week like "2026-W49"; None for anything else,
    including a week the year does not have ("2025-W53")."""
    match = _WEEK.fullmatch((text or "").strip())
    if match is None:
        return None
    # The calendar's first and last years have no week before or after to link to.
    if not datetime.MINYEAR < int(match[1]) < datetime.MAXYEAR:
        return None
    try:
        return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def week(user: User, monday: datetime.date, tz: datetime.tzinfo | None = None) -> Week:
    """The week from `monday` (moved back to a Monday if need be) to Sunday,
    each day with the contacts the user holds that start on it in local time
    (`tz`, the current time zone if not given), sorted by time. The contacts
    are those of cases the user may see (`visible_to`)."""
    tz = tz or timezone.get_current_timezone()
    monday = week_start(monday)
    days = [Day(monday + datetime.timedelta(days=n)) for n in range(7)]
    contacts = (
        CaseContact.objects.visible_to(user)
        .of_staff(user)
        .filter(
            starts_at__gte=_start_of(monday, tz),
            starts_at__lt=_start_of(monday + datetime.timedelta(days=7), tz),
        )
        .select_related("case__client")
        .order_by("starts_at", "pk")
    )
    by_date = {day.date: day for day in days}
    for contact in contacts:
        day = by_date.get(timezone.localtime(contact.starts_at, tz).date())
        if day is not None:
            day.contacts.append(contact)
    return Week(monday, days)
