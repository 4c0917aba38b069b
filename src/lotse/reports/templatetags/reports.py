"""Key figures as text, in the user's language."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lotse.core.kpis import COUNT, DAYS, HOURS, MONTHS, RATE, Rate

register = template.Library()

NOTHING = "–"


def _number(value: float, places: int | None = None) -> str:
    return number_format(value, places, use_l10n=True, force_grouping=True)


def figure_text(value, unit: str = COUNT) -> str:
    if value is None:
        return NOTHING
    if isinstance(value, Rate):
        if value.percent is None:
            return NOTHING
        return _("%(percent)s %% (%(part)s of %(whole)s)") % {
            "percent": _number(value.percent, 1),
            "part": _number(value.part),
            "whole": _number(value.whole),
        }
    if unit == HOURS:
        return _("%(hours)s h") % {"hours": _number(value, 1)}
    if unit == DAYS:
        return _("%(days)s days") % {"days": _number(value, 0)}
    if unit == MONTHS:
        return _("%(months)s months") % {"months": _number(value, 1)}
    return _number(value)


def change_text(current, previous, unit: str = COUNT) -> str:
    """The change from the period before: +3, −2,5 h, +4,1 percentage points."""
    if unit == RATE:
        current = current.percent if isinstance(current, Rate) else None
        previous = previous.percent if isinstance(previous, Rate) else None
    if current is None or previous is None:
        return NOTHING
    difference = round(current - previous, 1)
    if not difference:
        return "±0"
    places = 0 if unit in (COUNT, DAYS) else 1
    text = _number(abs(difference), places)
    sign = "+" if difference > 0 else "−"
    if unit == RATE:
        return _("%(sign)s%(points)s percentage points") % {"sign": sign, "points": text}
    return f"{sign}{text}"


@register.filter
def figure(value, unit: str = COUNT) -> str:
    return figure_text(value, unit)


@register.simple_tag
def change(current, previous, unit: str = COUNT) -> str:
    return change_text(current, previous, unit)
