"""What a key figure is, for every app's `reports.py` (DESIGN.md: the reports
app discovers them; every import still points down).

An app declares its figures as `KPIS = [Kpi(...), ...]`. A figure is computed
for a `Scope` (organisation, period, optionally one programme and some sites)
and is a number, a `Rate`, a breakdown (a dict of label to number) or None
where there is nothing to compute from. Figures are counts over records,
never a person."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

# Units: how the reports show a value.
COUNT = "count"
RATE = "rate"
HOURS = "hours"
DAYS = "days"
MONTHS = "months"


@dataclass(frozen=True)
class Scope:
    """The records a figure counts: one organisation's, of the period from
    `start` to `end` (both included), of one programme or all (`programme_id`
    None), of some sites or all (`site_ids` None)."""

    organisation_id: int
    start: datetime.date
    end: datetime.date
    programme_id: int | None = None
    site_ids: frozenset[int] | None = None

    def moved(self, start: datetime.date, end: datetime.date) -> Scope:
        return replace(self, start=start, end=end)

    def narrow(
        self,
        queryset: QuerySet,
        *,
        site: str | None = "site",
        programme: str | None = "programme",
        person: str | None = None,
    ) -> QuerySet:
        """`queryset` of the organisation, narrowed to the scope's sites and
        programme through the given field paths. A model without a programme
        of its own names the `person` path instead: then the programme means
        the people enrolled in it."""
        queryset = queryset.filter(organisation_id=self.organisation_id)
        if self.site_ids is not None and site:
            queryset = queryset.filter(**{f"{site}__in": self.site_ids})
        if self.programme_id is not None:
            if programme:
                queryset = queryset.filter(**{f"{programme}_id": self.programme_id})
            elif person:
                # The people enrolled, as a subquery: no join that multiplies rows.
                people = _model_at(queryset.model, person)._default_manager.filter(
                    enrolments__programme_id=self.programme_id
                )
                queryset = queryset.filter(**{f"{person}__in": people.values("pk")})
        return queryset


def _model_at(model: Any, path: str) -> Any:
    """The model a `__`-separated path of foreign keys leads to."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


@dataclass(frozen=True)
class Rate:
    """A share: `part` of `whole`, shown as a percentage with both counts."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        if not self.whole:
            return None
        return round(100 * self.part / self.whole, 1)


Value = int | float | Rate | Mapping[str, int] | None


@dataclass(frozen=True)
class Kpi:
    """One key figure. `definition` is shown beside it in the reports, so it
    says exactly what is counted. `records`, where given, lists what was
    counted for roles with `permission` (the drill-down), already narrowed to
    the scope: the view narrows it further to what the user may see."""

    code: str
    label: Promise | str
    definition: Promise | str
    compute: Callable[[Scope], Value]
    section: str
    order: int
    unit: str = COUNT
    records: Callable[[Scope], QuerySet] | None = None
    permission: str | None = None
    # The URL name of a counted record's page (its pk as argument).
    detail: str | None = None
    # Shown as a chart over the last periods on the dashboard.
    trend: bool = False
    # For a breakdown: the label of each key.
    labels: Callable[[], Mapping[str, Any]] | None = None


def declarer(
    section: str, *, permission: str | None = None, detail: str | None = None
) -> Callable[..., Kpi]:
    """A shorthand for an app's `KPIS`: `kpi(code, label, definition,
    compute, order, records=None, **more)` with the app's section, and with
    `records`, the permission and record page of the app's records."""

    def kpi(code, label, definition, compute, order, records=None, **more: Any) -> Kpi:
        if records is not None:
            more = {"records": records, "permission": permission, "detail": detail} | more
        return Kpi(
            code=code,
            label=label,
            definition=definition,
            compute=compute,
            section=section,
            order=order,
            **more,
        )

    return kpi


T = TypeVar("T")
_shared: ContextVar[dict | None] = ContextVar("lotse_kpi_shared", default=None)


@contextmanager
def sharing() -> Iterator[None]:
    """While a page computes its figures: what several figures count from the
    same rows (`shared`) is read from the database once per scope."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared(key: str, scope: Scope, compute: Callable[[], T]) -> T:
    """`compute()`, once per `key` and scope inside `sharing()`; outside it,
    every time (nothing is kept between requests)."""
    store = _shared.get()
    if store is None:
        return compute()
    if (key, scope) not in store:
        store[(key, scope)] = compute()
    return store[(key, scope)]


def overlapping(start_field: str, end_field: str, scope: Scope) -> Q:
    """Records that ran at some time in the scope's period: begun by its end
    and not ended before its start."""
    return Q(**{f"{start_field}__lte": scope.end}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": scope.start})
    )


def within(field: str, scope: Scope) -> Q:
    """A date in the scope's period."""
    return Q(**{f"{field}__gte": scope.start, f"{field}__lte": scope.end})


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def day_bounds(scope: Scope) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of the period and the first moment after it (local days)."""
    return _midnight(scope.start), _midnight(scope.end + datetime.timedelta(days=1))


def within_days(field: str, scope: Scope) -> Q:
    """A time on a day of the scope's period. Compared as a range of times,
    not by the date of each row's time: that can use an index."""
    first, after = day_bounds(scope)
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})
