"""Every app's key figures, found in its `reports.py` (lotse.core.kpis), and
the reports' own figures that combine apps."""

from __future__ import annotations

import functools
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from lotse.core.kpis import Kpi, Scope, Value, shared

# The sections of the dashboard, in this order.
SECTIONS = {
    "headline": _("Headline figures"),
    "pool": _("Pool"),
    "tandems": _("Tandems"),
    "cases": _("Case management"),
    "placements": _("Placements"),
    "events": _("Events"),
}


@functools.cache
def kpis() -> tuple[Kpi, ...]:
    found: list[Kpi] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "reports"):
            found.extend(getattr(import_module(f"{config.name}.reports"), "KPIS", ()))
    from . import figures

    found.extend(figures.KPIS)
    codes = [kpi.code for kpi in found]
    duplicates = {code for code in codes if codes.count(code) > 1}
    if duplicates:
        raise LookupError(f"key figures declared twice: {sorted(duplicates)}")
    order = list(SECTIONS)
    return tuple(sorted(found, key=lambda kpi: (order.index(kpi.section), kpi.order)))


def by_code(code: str) -> Kpi | None:
    return next((kpi for kpi in kpis() if kpi.code == code), None)


def value(kpi: Kpi, scope: Scope) -> Value:
    """The figure for the scope, computed once per page inside
    `core.kpis.sharing()` (a trend ends with the period and the one before,
    which the tables show already)."""
    return shared(f"kpi.{kpi.code}", scope, lambda: kpi.compute(scope))
