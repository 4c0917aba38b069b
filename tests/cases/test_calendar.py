import datetime
import itertools
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone, translation
from django_scopes import scope

from lotse.cases.calendar import (
    feed_contacts,
    ical_feed,
    iso_week,
    parse_week,
    week,
    week_start,
)
from lotse.cases.models import Case, CaseContact
from lotse.programmes.models import Programme

from ..factories import PersonFactory, UserFactory
from ..tandems.helpers import acting

_numbers = itertools.count(1)
BERLIN = ZoneInfo("Europe/Berlin")
TODAY = datetime.date(2026, 12, 2)
# A Monday in winter (UTC+1) and one in the week the clocks go forward.
MONDAY = datetime.date(2026, 12, 7)
SPRING_MONDAY = datetime.date(2026, 3, 23)

PLACE = "Hauptstraße 5, 12345 Alphastadt"
PARTICIPANTS = "Dolmetscherin Frau Sahin"
NOTE = "NOTE-SENTINEL the client is worried about the residence permit"
NEXT_STEPS = "NEXT-SENTINEL bring the rent contract"


def _case(world, person=None, *, organisation=None, site=None) -> Case:
    organisation = organisation or world.org_a
    programme = Programme.objects.create(
        organisation=organisation,
        name=f"Fallmanagement {next(_numbers)}",
        kind="case_management",
    )
    return Case.objects.create(
        organisation=organisation,
        client=person or world.person_a1,
        programme=programme,
        site=site or world.site_a1,
        caseworker=world.alice,
        opened_on=TODAY - datetime.timedelta(days=60),
    )


def _contact(case, starts_at, *, staff, kind="home_visit", minutes=90) -> CaseContact:
    return CaseContact.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=minutes,
        place=PLACE,
        participants=PARTICIPANTS,
        note=NOTE,
        next_steps=NEXT_STEPS,
        staff=staff,
    )


def _berlin(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BERLIN)


def _unfolded(ics: bytes) -> str:
    """The feed's text with folded lines joined again (RFC 5545 folds at 75 octets)."""
    return ics.decode().replace("\r\n ", "")


@pytest.fixture
def case(world) -> Case:
    """A case of a new client of site A1 with alice as caseworker. The world's
    own contacts are left out: these tests count every contact in a window."""
    CaseContact.objects.all().delete()
    client = PersonFactory(
        organisation=world.org_a, site=world.site_a1, given_name="Farida", family_name="Rahimi"
    )
    return _case(world, client)


# --- the feed ---------------------------------------------------------------------------


def test_the_feed_has_one_event_per_contact_with_times_in_utc(world, case):
    visit = _contact(case, _berlin(2026, 12, 7, 9, 30), staff=world.alice)
    call = _contact(case, _berlin(2026, 12, 8, 14, 0), staff=world.alice, kind="phone", minutes=20)

    ics = ical_feed(feed_contacts(world.alice, world.org_a.pk, TODAY), name="Lotse: Alice")

    calendar = icalendar.Calendar.from_ical(ics)
    assert calendar.name == "VCALENDAR"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["X-WR-CALNAME"] == "Lotse: Alice"
    events = calendar.walk("VEVENT")
    assert [str(event["UID"]) for event in events] == [
        f"case-contact-{visit.pk}@lotse",
        f"case-contact-{call.pk}@lotse",
    ]
    first, second = events
    assert first.decoded("DTSTART") == datetime.datetime(2026, 12, 7, 8, 30, tzinfo=datetime.UTC)
    assert first.decoded("DTEND") == datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)
    assert second.decoded("DTSTART") == datetime.datetime(2026, 12, 8, 13, 0, tzinfo=datetime.UTC)
    assert second.decoded("DTEND") == datetime.datetime(2026, 12, 8, 13, 20, tzinfo=datetime.UTC)
    assert str(first["SUMMARY"]) == f"home visit – {case.number}"
    assert str(second["SUMMARY"]) == f"phone – {case.number}"
    assert str(first["DESCRIPTION"]) == f"Case {case.number} in Lotse"
    for event in events:
        assert isinstance(event.decoded("DTSTAMP"), datetime.datetime)
        assert "LOCATION" not in event
    text = _unfolded(ics)
    assert "DTSTART:20261207T083000Z" in text
    assert "DTEND:20261207T100000Z" in text


def test_the_feed_says_nothing_about_the_client_or_the_counselling(world, case):
    _contact(case, _berlin(2026, 12, 7, 9, 30), staff=world.alice)

    text = _unfolded(ical_feed(feed_contacts(world.alice, world.org_a.pk, TODAY), name="Alice"))

    for secret in (
        "SENTINEL",
        "residence permit",
        "rent contract",
        PARTICIPANTS,
        "Sahin",
        PLACE,
        "Hauptstra",
        "Farida",
        "Rahimi",
    ):
        assert secret not in text, secret
    assert case.number in text


def test_the_uid_stays_the_same_from_one_fetch_to_the_next(world, case):
    contact = _contact(case, _berlin(2026, 12, 7, 9, 30), staff=world.alice)

    def uids():
        ics = ical_feed(feed_contacts(world.alice, world.org_a.pk, TODAY), name="Alice")
        return [str(event["UID"]) for event in icalendar.Calendar.from_ical(ics).walk("VEVENT")]

    assert uids() == uids() == [f"case-contact-{contact.pk}@lotse"]


def test_an_empty_feed_is_still_a_calendar(world):
    calendar = icalendar.Calendar.from_ical(ical_feed([], name="Alice"))

    assert calendar["X-WR-CALNAME"] == "Alice"
    assert calendar.walk("VEVENT") == []


def test_the_summary_follows_the_active_language(world, case):
    _contact(case, _berlin(2026, 12, 7, 9, 30), staff=world.alice)
    with translation.override("de"):
        ics = ical_feed(feed_contacts(world.alice, world.org_a.pk, TODAY), name="Alice")

    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["SUMMARY"]).endswith(f" – {case.number}")


def test_the_feed_reaches_30_days_back_and_180_days_ahead(world, case):
    first_day = TODAY - datetime.timedelta(days=30)
    last_day = TODAY + datetime.timedelta(days=180)
    inside = [
        _contact(
            case, _berlin(first_day.year, first_day.month, first_day.day, 0, 15), staff=world.alice
        ),
        _contact(
            case, _berlin(last_day.year, last_day.month, last_day.day, 23, 30), staff=world.alice
        ),
    ]
    too_early = first_day - datetime.timedelta(days=1)
    too_late = last_day + datetime.timedelta(days=1)
    _contact(
        case, _berlin(too_early.year, too_early.month, too_early.day, 23, 45), staff=world.alice
    )
    _contact(case, _berlin(too_late.year, too_late.month, too_late.day, 0, 15), staff=world.alice)

    found = list(feed_contacts(world.alice, world.org_a.pk, TODAY))

    assert found == inside


def test_the_feed_has_only_the_user_s_contacts_in_the_organisation(world, case):
    mine = _contact(case, _berlin(2026, 12, 7, 9, 30), staff=world.alice)
    _contact(case, _berlin(2026, 12, 7, 11, 0), staff=world.cora)
    # The same user holding a contact in another organisation's case (written
    # directly: a user with memberships in two organisations).
    elsewhere = _case(world, world.person_b1, organisation=world.org_b, site=world.site_b1)
    other = _contact(elsewhere, _berlin(2026, 12, 7, 13, 0), staff=world.alice)

    assert list(feed_contacts(world.alice, world.org_a.pk, TODAY)) == [mine]
    assert list(feed_contacts(world.alice, world.org_b.pk, TODAY)) == [other]


def test_the_feed_works_inside_the_organisation_s_scope_without_a_signed_in_user(world, case):
    contact = _contact(case, _berlin(2026, 12, 7, 9, 30), staff=world.alice)

    with scope(organisation=world.org_a.pk):
        ics = ical_feed(feed_contacts(world.alice, world.org_a.pk, TODAY), name="Alice")

    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert [str(event["UID"]) for event in events] == [f"case-contact-{contact.pk}@lotse"]


# --- the week ------------------------------------------------------------------------------


def test_the_week_has_seven_days_from_monday_to_sunday(world):
    result = week(acting(world.alice), MONDAY, BERLIN)

    assert [day.date for day in result.days] == [
        MONDAY + datetime.timedelta(days=n) for n in range(7)
    ]
    assert all(day.contacts == [] for day in result.days)
    assert result.monday == MONDAY
    assert result.sunday == datetime.date(2026, 12, 13)
    assert result.label == "2026-W50"
    assert result.previous == datetime.date(2026, 11, 30)
    assert result.next == datetime.date(2026, 12, 14)


def test_contacts_fall_on_their_local_day_sorted_by_time(world, case):
    alice = acting(world.alice)
    # 23:30 in Berlin is 22:30 UTC: still Monday.
    late_monday = _contact(case, _berlin(2026, 12, 7, 23, 30), staff=world.alice)
    morning = _contact(case, _berlin(2026, 12, 7, 9, 0), staff=world.alice)
    early = _contact(case, _berlin(2026, 12, 7, 8, 0), staff=world.alice)
    # 00:15 in Berlin is 23:15 UTC on Monday: but Tuesday here.
    tuesday = _contact(case, _berlin(2026, 12, 8, 0, 15), staff=world.alice)
    sunday = _contact(case, _berlin(2026, 12, 13, 23, 59), staff=world.alice)
    _contact(case, _berlin(2026, 12, 6, 23, 59), staff=world.alice)  # the Sunday before
    _contact(case, _berlin(2026, 12, 14, 0, 0), staff=world.alice)  # the next Monday
    _contact(case, _berlin(2026, 12, 9, 10, 0), staff=world.cora)  # someone else's

    days = week(alice, MONDAY, BERLIN).days

    assert days[0].contacts == [early, morning, late_monday]
    assert days[1].contacts == [tuesday]
    assert [day.contacts for day in days[2:6]] == [[], [], [], []]
    assert days[6].contacts == [sunday]
    assert timezone.localtime(late_monday.starts_at, BERLIN).date() == MONDAY


def test_the_week_the_clocks_go_forward(world, case):
    alice = acting(world.alice)
    # Sunday 29 March 2026 is in summer time from 02:00: 23:30 is 21:30 UTC.
    sunday = _contact(case, _berlin(2026, 3, 29, 23, 30), staff=world.alice)
    _contact(case, _berlin(2026, 3, 30, 0, 30), staff=world.alice)
    before = _contact(case, _berlin(2026, 3, 23, 0, 30), staff=world.alice)

    days = week(alice, SPRING_MONDAY, BERLIN).days

    assert days[0].contacts == [before]
    assert days[6].contacts == [sunday]
    assert sum(len(day.contacts) for day in days) == 2


def test_a_day_within_the_week_starts_the_week_on_its_monday(world, case):
    contact = _contact(case, _berlin(2026, 12, 7, 9, 0), staff=world.alice)

    result = week(acting(world.alice), datetime.date(2026, 12, 10), BERLIN)

    assert result.monday == MONDAY
    assert result.days[0].contacts == [contact]


def test_the_week_shows_only_what_the_user_may_see(world, case):
    other_org_case = _case(world, world.person_b1, organisation=world.org_b, site=world.site_b1)
    _contact(other_org_case, _berlin(2026, 12, 7, 9, 0), staff=world.alice)
    mine = _contact(case, _berlin(2026, 12, 7, 10, 0), staff=world.alice)
    # Cora works at site A2 only: a contact she holds in a case of site A1 stays hidden.
    _contact(case, _berlin(2026, 12, 7, 11, 0), staff=world.cora)
    north = _case(
        world, PersonFactory(organisation=world.org_a, site=world.site_a2), site=world.site_a2
    )
    coras = _contact(north, _berlin(2026, 12, 7, 12, 0), staff=world.cora)

    assert week(acting(world.alice), MONDAY, BERLIN).days[0].contacts == [mine]
    assert week(acting(world.cora), MONDAY, BERLIN).days[0].contacts == [coras]


def test_the_week_is_empty_for_a_user_without_a_membership(world, case):
    stranger = UserFactory()
    _contact(case, _berlin(2026, 12, 7, 10, 0), staff=stranger)

    assert all(day.contacts == [] for day in week(stranger, MONDAY, BERLIN).days)


# --- weeks as text ---------------------------------------------------------------------


def test_week_start_is_the_monday_of_the_week():
    assert week_start(MONDAY) == MONDAY
    assert week_start(datetime.date(2026, 12, 13)) == MONDAY
    assert week_start(datetime.date(2027, 1, 1)) == datetime.date(2026, 12, 28)


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W49", datetime.date(2026, 11, 30)),
        ("2026-W01", datetime.date(2025, 12, 29)),
        (" 2026-W50 ", MONDAY),
        # 2026 starts on a Thursday: it has 53 ISO weeks, 2025 only 52.
        ("2026-W53", datetime.date(2026, 12, 28)),
        ("2025-W53", None),
        ("2026-W54", None),
        ("2026-W00", None),
        ("2026-W", None),
        ("2026-49", None),
        ("2026-W4x", None),
        ("2026-W049", None),
        ("12026-W01", None),
        ("W49", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_week_reads_an_iso_week_and_nothing_else(text, monday):
    assert parse_week(text) == monday


def test_iso_week_is_what_parse_week_reads():
    assert iso_week(datetime.date(2026, 12, 31)) == "2026-W53"
    assert iso_week(datetime.date(2027, 1, 3)) == "2026-W53"
    assert iso_week(datetime.date(2027, 1, 4)) == "2027-W01"
    for day in (MONDAY, datetime.date(2026, 12, 28), datetime.date(2025, 12, 29)):
        assert parse_week(iso_week(day)) == day
