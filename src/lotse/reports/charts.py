"""Trend charts of key figures over the last periods: bars drawn as inline
SVG on the server (readable without JavaScript, named for assistive
technology, colours as presentation attributes because the
Content-Security-Policy blocks inline styles). Drawn by hand rather than
with matplotlib: a dashboard has several, and each must cost next to
nothing. The dashboard shows the same figures in a table beside each."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lotse.core.charts import TEXT_COLOUR

BAR_COLOUR = "#005A9C"  # 7:1 against white
CURRENT_COLOUR = "#B35806"  # the chosen period, 4.5:1 against white
AXIS_COLOUR = "#595959"

WIDTH, HEIGHT = 640, 220
TOP, BOTTOM, SIDE = 24, 48, 36


def trend_svg(
    *,
    title: str,
    labels: list[str],
    values: list[float | None],
    value_labels: list[str],
    id_prefix: str,
) -> SafeString:
    """Bars, one per period, oldest on the left; the chosen (last) period in
    its own colour. A period without a value (a rate of nothing) has no bar."""
    prefix = escape(id_prefix)
    count = max(len(values), 1)
    slot = (WIDTH - 2 * SIDE) / count
    bar = slot * 0.6
    plot = HEIGHT - TOP - BOTTOM
    highest = max((value for value in values if value), default=0) or 1
    rotate = count > 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img" class="chart"'
        f' aria-labelledby="{prefix}-title {prefix}-desc"'
        f' font-family="sans-serif" font-size="12" fill="{TEXT_COLOUR}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">'
        + escape(_("One bar per period, the chosen period last. The table lists the figures."))
        + "</desc>",
        f'<line x1="{SIDE}" y1="{TOP + plot}" x2="{WIDTH - SIDE}" y2="{TOP + plot}"'
        f' stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    ]
    for index, (label, value, text) in enumerate(zip(labels, values, value_labels, strict=True)):
        centre = SIDE + slot * index + slot / 2
        height = plot * (value or 0) / highest
        colour = CURRENT_COLOUR if index == count - 1 else BAR_COLOUR
        if value:
            parts.append(
                f'<rect x="{centre - bar / 2:.1f}" y="{TOP + plot - height:.1f}"'
                f' width="{bar:.1f}" height="{height:.1f}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{TOP + plot - height - 5:.1f}"'
            f' text-anchor="middle">{escape(text)}</text>'
        )
        base = TOP + plot + 16
        if rotate:
            parts.append(
                f'<text x="{centre:.1f}" y="{base:.1f}" text-anchor="end"'
                f' transform="rotate(-40 {centre:.1f} {base:.1f})">{escape(label)}</text>'
            )
        else:
            parts.append(
                f'<text x="{centre:.1f}" y="{base:.1f}" text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
