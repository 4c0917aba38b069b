"""Anonymised statistics: the people who took part in the programmes in a
period, counted by gender, age band, country of origin, language,
municipality and programme, for participants and volunteers, with every
small count hidden (lotse.reports.suppression). Never a name, never one
person's record: only counts leave this module."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.core import reference
from lotse.core.kpis import Scope, day_bounds
from lotse.people.models import Gender
from lotse.programmes.models import Enrolment, EnrolmentRole, EnrolmentStatus, Programme

from .suppression import Table, suppress, suppress_overlapping

# The columns: participants (mentees and clients) and volunteers (mentors).
PARTICIPANTS, VOLUNTEERS = 0, 1
COLUMNS = (PARTICIPANTS, VOLUNTEERS)

AGE_BANDS = ((0, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, None))
UNKNOWN = "—"

DIMENSIONS = (
    ("gender", gettext_lazy("Gender")),
    ("age", gettext_lazy("Age band")),
    ("country", gettext_lazy("Country of origin")),
    ("municipality", gettext_lazy("Municipality")),
    ("language", gettext_lazy("Languages")),
    ("programme", gettext_lazy("Programme")),
)
# Dimensions in which one person can count in several rows.
OVERLAPPING = {"language", "programme"}


@dataclass
class Breakdown:
    code: str
    title: str
    rows: list[str]
    columns: list[str]
    table: Table
    additive: bool

    def body(self) -> list[tuple[str, list[int | None]]]:
        """Each row's label and shown counts (None: hidden), with the totals."""
        lines = [
            (label, [self.table.shown(index, column) for column in range(len(self.columns))])
            for index, label in enumerate(self.rows)
        ]
        if self.additive:
            lines.append(
                (
                    _("Total"),
                    [
                        self.table.shown(len(self.rows), column)
                        for column in range(len(self.columns))
                    ],
                )
            )
        return lines

    @property
    def hidden(self) -> int:
        return int(self.table.hidden.sum())


def threshold() -> int:
    return settings.LOTSE_STATISTICS_THRESHOLD


def enrolments(scope: Scope) -> QuerySet:
    """Enrolments that were on at some time in the period: begun by its end,
    and still on or left during it."""
    starts, ends = day_bounds(scope)
    enrolled = Enrolment.objects.filter(
        Q(status=EnrolmentStatus.ACTIVE) | Q(step_since__gte=starts),
        enrolled_at__lt=ends,
    )
    return scope.narrow(enrolled, site="person__site")


def _band_label(low: int, high: int | None) -> str:
    if high is None:
        return _("%(low)s and older") % {"low": low}
    if not low:
        return _("under %(age)s") % {"age": high + 1}
    return f"{low}–{high}"


def _age_band(birth_date: datetime.date | None, on: datetime.date) -> str:
    if birth_date is None:
        return UNKNOWN
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    low, high = next(band for band in AGE_BANDS if band[1] is None or age <= band[1])
    return _band_label(low, high)


def _counts(scope: Scope, field: str) -> Counter:
    """(value, column) → different people, grouped in the database."""
    column = Case(
        When(role=EnrolmentRole.MENTOR, then=Value(VOLUNTEERS)),
        default=Value(PARTICIPANTS),
        output_field=IntegerField(),
    )
    rows = (
        enrolments(scope)
        .annotate(column=column)
        .values_list(field, "column")
        .annotate(people=Count("person", distinct=True))
        .values_list(field, "column", "people")
    )
    counts: Counter = Counter()
    for value, role, people in rows:
        counts[(value, role)] += people
    return counts


def _by_age(scope: Scope) -> Counter:
    counts: Counter = Counter()
    for (birth_date, role), people in _counts(scope, "person__birth_date").items():
        counts[(_age_band(birth_date, scope.end), role)] += people
    return counts


def _labelled(counts: Counter, label) -> Counter:
    named: Counter = Counter()
    for (value, role), people in counts.items():
        named[(label(value) if value else UNKNOWN, role)] += people
    return named


def _rows(code: str, counts: Counter) -> list[str]:
    present = {value for value, _role in counts}
    if code == "gender":
        order = [str(label) for _value, label in Gender.choices]
        return [value for value in [*order, UNKNOWN] if value in present]
    if code == "age":
        order = [_band_label(low, high) for low, high in AGE_BANDS]
        return [value for value in [*order, UNKNOWN] if value in present]
    # The most frequent first; names alike sort alphabetically.
    totals = Counter()
    for (value, _role), people in counts.items():
        totals[value] += people
    return sorted(present, key=lambda value: (value == UNKNOWN, -totals[value], value))


def breakdown(scope: Scope, code: str) -> Breakdown:
    gender_labels = dict(Gender.choices)
    programmes = dict(
        Programme.objects.filter(organisation_id=scope.organisation_id).values_list("pk", "name")
    )
    if code == "gender":
        counts = _labelled(
            _counts(scope, "person__gender"), lambda value: str(gender_labels.get(value, value))
        )
    elif code == "age":
        counts = _by_age(scope)
    elif code == "country":
        counts = _labelled(_counts(scope, "person__country_of_origin"), reference.country_name)
    elif code == "municipality":
        counts = _labelled(
            _counts(scope, "person__municipality"), lambda value: value.strip() or UNKNOWN
        )
    elif code == "language":
        counts = _labelled(_counts(scope, "person__languages__language"), reference.language_name)
    elif code == "programme":
        counts = _labelled(_counts(scope, "programme"), lambda pk: programmes.get(pk, UNKNOWN))
    else:
        raise LookupError(code)
    rows = _rows(code, counts)
    cells = [[counts[(row, column)] for column in COLUMNS] for row in rows] or [[0, 0]]
    if not rows:
        rows = [UNKNOWN]
    additive = code not in OVERLAPPING
    table = (suppress if additive else suppress_overlapping)(cells, threshold())
    columns = [_("Participants"), _("Volunteers")]
    if additive:
        columns.append(_("Together"))
    title = str(dict(DIMENSIONS)[code])
    return Breakdown(code, title, rows, columns, table, additive)


def breakdowns(scope: Scope) -> list[Breakdown]:
    return [breakdown(scope, code) for code, _label in DIMENSIONS]
