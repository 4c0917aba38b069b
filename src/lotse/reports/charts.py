"""Trend charts of key figures over the last periods (lotse.core.charts);
the dashboard and the annual report show the same figures in a table."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lotse.core.charts import bar_chart_svg


def trend_svg(
    *,
    title: str,
    labels: list[str],
    values: list[float | None],
    value_labels: list[str],
    id_prefix: str,
) -> SafeString:
    """Bars, one per period, oldest on the left; the chosen (last) period in
    its own colour."""
    return bar_chart_svg(
        title=title,
        description=_("One bar per period, the chosen period last. The table lists the figures."),
        labels=labels,
        values=values,
        value_labels=value_labels,
        id_prefix=id_prefix,
        highlight_last=True,
    )
