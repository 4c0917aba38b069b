"""The figures of tandems for the reports (lotse.core.kpis): mentors and
mentees active, tandems formed, running and ended, meetings and the hours
of volunteers and staff, the share with a contract of three months or more,
and how many mentors stay."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from lotse.accounts.roles import VIEW_TANDEMS
from lotse.core.kpis import HOURS, MONTHS, RATE, Rate, Scope, declarer, overlapping, shared, within
from lotse.people.models import Person

from .models import Meeting, OutcomeKind, SupportTime, Tandem, TandemStatus

SECTION = "tandems"

# A month of the average duration, in days (365.25 / 12).
MONTH_DAYS = 30.4375


def tandems(scope: Scope) -> QuerySet:
    return scope.narrow(Tandem.objects.all())


def running(scope: Scope) -> QuerySet:
    """Tandems that ran at some time in the period: started by its end and
    not ended before its start (a tandem still forming has not started)."""
    return tandems(scope).filter(overlapping("started_on", "ended_on", scope))


def _ended(scope: Scope, status: str) -> QuerySet:
    return tandems(scope).filter(within("ended_on", scope), status=status)


def _people(scope: Scope, field: str) -> QuerySet:
    return Person.objects.filter(pk__in=running(scope).values(field))


def mentors(scope: Scope) -> QuerySet:
    return _people(scope, "mentor__person")


def mentees(scope: Scope) -> QuerySet:
    return _people(scope, "mentee__person")


def pairs(scope: Scope) -> list[tuple[int, int]]:
    """(mentee, mentor) people of the running tandems, read once per page."""
    return shared(
        "tandems.pairs",
        scope,
        lambda: list(running(scope).values_list("mentee__person", "mentor__person")),
    )


def mentor_ids(scope: Scope) -> set[int]:
    return {mentor for _mentee, mentor in pairs(scope)}


def mentee_ids(scope: Scope) -> set[int]:
    return {mentee for mentee, _mentor in pairs(scope)}


def _meetings(scope: Scope) -> QuerySet:
    # Each meeting carries its tandem's site and programme: the meetings of a
    # period come from one index, whichever filters the dashboard has.
    return scope.narrow(Meeting.objects.filter(within("held_on", scope)))


def _hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)


def meeting_totals(scope: Scope) -> dict[str, int | None]:
    """The number of meetings and their minutes, in one pass."""
    return shared(
        "tandems.meetings",
        scope,
        lambda: _meetings(scope).aggregate(count=Count("pk"), minutes=Sum("duration_minutes")),
    )


def volunteer_hours(scope: Scope) -> float:
    return _hours(meeting_totals(scope)["minutes"])


def staff_hours_per_tandem(scope: Scope) -> float | None:
    active = running(scope).count()
    if not active:
        return None
    minutes = (
        scope.narrow(
            SupportTime.objects.filter(within("spent_on", scope)),
            site="tandem__site",
            programme="tandem__programme",
        ).aggregate(total=Sum("minutes"))["total"]
        or 0
    )
    return round(minutes / 60 / active, 1)


def average_duration(scope: Scope) -> float | None:
    ended = tandems(scope).filter(
        within("ended_on", scope),
        status__in=(TandemStatus.COMPLETED, TandemStatus.ENDED_EARLY),
        started_on__isnull=False,
    )
    # Date differences are not portable SQL; the ended tandems of a period are few.
    days = [(end - start).days for start, end in ended.values_list("started_on", "ended_on")]
    if not days:
        return None
    return round(sum(days) / len(days) / MONTH_DAYS, 1)


def with_contract(scope: Scope) -> QuerySet:
    """Completed tandems whose outcome is an employment contract that is
    permanent or runs three months or more."""
    return _ended(scope, TandemStatus.COMPLETED).filter(
        Q(outcome__permanent=True) | Q(outcome__three_months_or_more=True),
        outcome__kind=OutcomeKind.EMPLOYMENT,
    )


def contract_rate(scope: Scope) -> Rate:
    return Rate(with_contract(scope).count(), _ended(scope, TandemStatus.COMPLETED).count())


def previous(scope: Scope) -> Scope:
    """The period of the same length just before the scope's."""
    length = scope.end - scope.start
    end = scope.start - datetime.timedelta(days=1)
    return scope.moved(end - length, end)


def mentor_retention(scope: Scope) -> Rate:
    before = mentor_ids(previous(scope))
    return Rate(len(before & mentor_ids(scope)), len(before))


_kpi = declarer(SECTION, permission=VIEW_TANDEMS, detail="tandems:tandem_detail")


def _tandem_list(records) -> dict:
    return {"records": records}


def _people_list(records) -> dict:
    return {"records": records, "detail": "people:person_detail"}


KPIS = [
    _kpi(
        "active_mentors",
        _("Active mentors"),
        _("Different volunteers in at least one tandem that ran at some time in the period."),
        lambda scope: len(mentor_ids(scope)),
        10,
        **_people_list(mentors),
    ),
    _kpi(
        "active_mentees",
        _("Active mentees"),
        _("Different participants in at least one tandem that ran at some time in the period."),
        lambda scope: len(mentee_ids(scope)),
        20,
        **_people_list(mentees),
    ),
    _kpi(
        "tandems_formed",
        _("Tandems formed"),
        _("Tandems whose start (the first meeting) lies in the period."),
        lambda scope: tandems(scope).filter(within("started_on", scope)).count(),
        30,
        trend=True,
        **_tandem_list(lambda scope: tandems(scope).filter(within("started_on", scope))),
    ),
    _kpi(
        "tandems_active",
        _("Active tandems"),
        _("Tandems that ran at some time in the period: started by its end, not ended before it."),
        lambda scope: running(scope).count(),
        40,
        **_tandem_list(running),
    ),
    _kpi(
        "tandems_completed",
        _("Tandems completed"),
        _("Tandems that ended in the period at the planned end or with their goal reached."),
        lambda scope: _ended(scope, TandemStatus.COMPLETED).count(),
        50,
        **_tandem_list(lambda scope: _ended(scope, TandemStatus.COMPLETED)),
    ),
    _kpi(
        "tandems_ended_early",
        _("Tandems ended early"),
        _("Tandems that ended in the period for any other reason (withdrawal, lost contact…)."),
        lambda scope: _ended(scope, TandemStatus.ENDED_EARLY).count(),
        60,
        **_tandem_list(lambda scope: _ended(scope, TandemStatus.ENDED_EARLY)),
    ),
    _kpi(
        "average_tandem_duration",
        _("Average tandem duration"),
        _("From start to end, in months, averaged over the tandems that ended in the period."),
        average_duration,
        70,
        unit=MONTHS,
    ),
    _kpi(
        "meetings_held",
        _("Meetings held"),
        _("Tandem meetings logged with a date in the period."),
        lambda scope: meeting_totals(scope)["count"],
        80,
        trend=True,
    ),
    _kpi(
        "volunteer_hours",
        _("Volunteer hours"),
        _("The duration of the tandem meetings held in the period, in hours."),
        volunteer_hours,
        90,
        unit=HOURS,
    ),
    _kpi(
        "staff_hours_per_tandem",
        _("Staff hours per tandem"),
        _(
            "Hours the staff recorded for supporting tandems in the period, divided by the "
            "number of active tandems."
        ),
        staff_hours_per_tandem,
        100,
        unit=HOURS,
    ),
    _kpi(
        "contract_rate",
        _("Completed tandems with a contract of three months or more"),
        _(
            "Of the tandems completed in the period, the share whose outcome is an employment "
            "contract that is permanent or runs three months or more."
        ),
        contract_rate,
        110,
        unit=RATE,
        **_tandem_list(with_contract),
    ),
    _kpi(
        "mentor_retention",
        _("Mentor retention"),
        _(
            "Of the mentors active in the period of the same length before, the share who are "
            "active in this period too."
        ),
        mentor_retention,
        120,
        unit=RATE,
    ),
]
