"""The periods the reports are given for: a month, a quarter, a year, or any
span of days; the period before it, to compare with; and the run of periods
a trend chart shows."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
CUSTOM = "custom"

KINDS = (
    (MONTH, gettext_lazy("Month")),
    (QUARTER, gettext_lazy("Quarter")),
    (YEAR, gettext_lazy("Year")),
    (CUSTOM, gettext_lazy("From – to")),
)

# How many periods a trend chart shows, ending with the chosen one.
TREND_LENGTH = {MONTH: 12, QUARTER: 8, YEAR: 5, CUSTOM: 6}


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(MONTH, datetime.date(year, month, 1), datetime.date(year, month, last))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        last = calendar.monthrange(year, first + 2)[1]
        return cls(QUARTER, datetime.date(year, first, 1), datetime.date(year, first + 2, last))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        if self.kind == MONTH:
            day = self.start - datetime.timedelta(days=1)
            return Period.month(day.year, day.month)
        if self.kind == QUARTER:
            day = self.start - datetime.timedelta(days=1)
            return Period.quarter(day.year, (day.month - 1) // 3 + 1)
        if self.kind == YEAR:
            return Period.year(self.start.year - 1)
        end = self.start - datetime.timedelta(days=1)
        return Period(CUSTOM, end - datetime.timedelta(days=self.days - 1), end)

    def trend(self) -> list[Period]:
        """The periods of a trend chart, oldest first, ending with this one."""
        periods = [self]
        for _index in range(TREND_LENGTH[self.kind] - 1):
            periods.append(periods[-1].previous())
        return periods[::-1]

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return formats.date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.kind == QUARTER:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.kind == YEAR:
            return str(self.start.year)
        return _("%(start)s to %(end)s") % {
            "start": formats.date_format(self.start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(self.end, "SHORT_DATE_FORMAT"),
        }

    @property
    def short_label(self) -> str:
        """For the axis of a chart."""
        if self.kind == MONTH:
            return formats.date_format(self.start, "M y")
        if self.kind == CUSTOM:
            return formats.date_format(self.start, "SHORT_DATE_FORMAT")
        return self.label
