"""Charts rendered on the server with matplotlib to SVG markup meant to be
inlined into a page (no XML declaration, `role="img"`, a `<title>` and
`<desc>`): readable without JavaScript, the same picture on screen and in a
PDF, the text inside kept as text. The figures themselves belong in a data
table next to the chart."""

from __future__ import annotations

import re
import threading

from django.utils.html import escape

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
