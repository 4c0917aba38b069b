"""The pool as a list's address describes it, and the selection a bulk action
applies to. The list page, its export, saved filters and every bulk action
(here and in the apps above) read people through these two functions."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from lotse.core.models import Site

from . import filters
from .filters import PoolFilterForm
from .models import Person, PersonQuerySet

SORTS = {"name": ("family_name", "given_name", "pk"), "new": ("-created_at", "-pk")}
# A bulk action over "everyone matching the filters" stops here: a change of
# this size is a migration, not a click.
SELECTION_LIMIT = 5_000


def visible_people(request: HttpRequest) -> PersonQuerySet:
    return Person.objects.visible_to(request.user)


def active_sites(request: HttpRequest):
    return Site.objects.visible_to(request.user).filter(is_active=True)


def countries_in_pool(request: HttpRequest) -> list[str]:
    """The countries of origin present in the organisation's pool, for the filter.
    Cached for a few minutes: a country new to the pool may appear late."""

    def load() -> list[str]:
        return list(
            Person.objects.filter(organisation=request.organisation)
            .exclude(country_of_origin="")
            .order_by()
            .values_list("country_of_origin", flat=True)
            .distinct()
        )

    return cache.get_or_set(f"lotse:pool-countries:{request.organisation.pk}", load, 300)


def filtered_pool(
    request: HttpRequest, params: QueryDict | None = None
) -> tuple[PoolFilterForm, PersonQuerySet]:
    """The pool narrowed by the filter parameters (the list's query string)."""
    params = request.GET if params is None else params
    people = visible_people(request)
    form = PoolFilterForm(
        params or None,
        sites=list(active_sites(request)),
        organisation_id=request.organisation.pk,
        countries=countries_in_pool(request),
    )
    if request.site is not None:
        people = people.filter(site=request.site)
    if form.is_valid():
        people = filters.apply(
            people,
            form.cleaned_data,
            organisation_id=request.organisation.pk,
            today=timezone.localdate(),
        )
    elif form.is_bound:
        people = people.none()
    sort = params.get("sort", "name")
    return form, people.order_by(*SORTS.get(sort, SORTS["name"]))


def selected_people(request: HttpRequest) -> PersonQuerySet:
    """The people a bulk action (a POST from the pool list) applies to: the
    ticked rows, or with `all_matching` everyone the filters in `filter_query`
    match. Only people the user may see, whatever ids were sent."""
    if request.POST.get("all_matching"):
        _form, people = filtered_pool(request, QueryDict(request.POST.get("filter_query", "")))
        return people
    ids = [int(value) for value in request.POST.getlist("person") if value.isdigit()]
    return visible_people(request).filter(pk__in=ids[:SELECTION_LIMIT]).order_by(*SORTS["name"])


def selection_state(request: HttpRequest) -> dict[str, object]:
    """What a bulk action's confirmation page carries on as hidden fields."""
    return {
        "selected_ids": [v for v in request.POST.getlist("person") if v.isdigit()],
        "all_matching": bool(request.POST.get("all_matching")),
        "filter_query": request.POST.get("filter_query", ""),
    }
