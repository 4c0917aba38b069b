"""Charts rendered on the server with matplotlib to SVG markup meant to be
inlined into a page (no XML declaration, `role="img"`, a `<title>` and
`<desc>`): readable without JavaScript, the same picture on screen and in a
PDF, the text inside kept as text. The figures themselves belong in a data
table next to the chart."""

from __future__ import annotations

import re
import threading

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TEXT_COLOUR = "#1A1A1A"

# rc_context changes matplotlib's global rcParams; two requests rendering at
# once in threads would otherwise undo each other's settings.
render_lock = threading.Lock()


# SVG presentation attributes: what matplotlib writes as `style="…"` is
# rewritten into these, because the Content-Security-Policy (`style-src
# 'self'`) blocks inline styles, and with them the colours of the chart.
PRESENTATION_ATTRIBUTES = frozenset(
    {
        "clip-path",
        "clip-rule",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-variant",
        "font-weight",
        "letter-spacing",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "visibility",
    }
)
_STYLE = re.compile(r' style="([^"]*)"')
_ID = re.compile(r' id="([^"]*)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^)"]+)')


def _presentation(match: re.Match[str]) -> str:
    attributes, rest = [], []
    for declaration in match.group(1).split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name in PRESENTATION_ATTRIBUTES:
            attributes.append(f' {name}="{value}"')  # still escaped as matplotlib wrote it
        else:
            rest.append(f"{name}: {value}")
    if rest:
        attributes.append(f' style="{"; ".join(rest)}"')
    return "".join(attributes)


def inline_svg(markup: str, *, id_prefix: str, title: str, description: str) -> str:
    """matplotlib's SVG document as an element to inline into HTML: without
    the XML declaration, doctype and metadata; without the `<style>` element
    (its `*` rule would reach the whole page) and inline styles (the CSP
    blocks them), which become presentation attributes; ids only where
    something refers to them, prefixed with `id_prefix` so that two charts on
    one page do not clash; named for assistive technology."""
    markup = markup[markup.index("<svg") :]
    markup = re.sub(r"\s*<style[^>]*>.*?</style>", "", markup, flags=re.DOTALL)
    markup = re.sub(r"\s*<defs>\s*</defs>", "", markup)
    markup = _STYLE.sub(_presentation, markup)
    referenced = {match.group(2) for match in _REFERENCE.finditer(markup)}
    markup = _ID.sub(
        lambda match: f' id="{id_prefix}-{match.group(1)}"' if match.group(1) in referenced else "",
        markup,
    )
    markup = _REFERENCE.sub(lambda match: f"{match.group(1)}{id_prefix}-{match.group(2)}", markup)
    head_end = markup.index(">")
    attributes = (
        f' role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" class="chart"'
        ' stroke-linejoin="round" stroke-linecap="butt"'
    )
    named = (
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>'
    )
    return markup[:head_end] + attributes + ">" + named + markup[head_end + 1 :]


# --- bar charts drawn by hand -------------------------------------------------

BAR_COLOUR = "#005A9C"  # 7:1 against white
CURRENT_COLOUR = "#B35806"  # the chosen period, 4.5:1 against white
AXIS_COLOUR = "#595959"

WIDTH, HEIGHT = 640, 220
TOP, BOTTOM, SIDE = 24, 48, 36


def bar_chart_svg(
    *,
    title: str,
    description: str,
    labels: list[str],
    values: list[float | None],
    value_labels: list[str],
    id_prefix: str,
    highlight_last: bool = False,
) -> SafeString:
    """Vertical bars drawn by hand (each chart costs next to nothing, unlike
    matplotlib's): one per label, its value written above it; with
    `highlight_last`, the last bar in its own colour (the chosen period of a
    trend). A value of None or 0 has no bar."""
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
        f'<desc id="{prefix}-desc">' + escape(description) + "</desc>",
        f'<line x1="{SIDE}" y1="{TOP + plot}" x2="{WIDTH - SIDE}" y2="{TOP + plot}"'
        f' stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    ]
    for index, (label, value, text) in enumerate(zip(labels, values, value_labels, strict=True)):
        centre = SIDE + slot * index + slot / 2
        height = plot * (value or 0) / highest
        colour = CURRENT_COLOUR if highlight_last and index == count - 1 else BAR_COLOUR
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
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped  # nosec B308 B703
