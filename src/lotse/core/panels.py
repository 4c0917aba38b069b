"""Sections of a page that other apps contribute: the person page shows the
enrolments, tandems, cases and placements of higher apps, the tandem page the
answers of its evaluations from the surveys app. The page's app keeps a
`Panels` registry; the contributing apps register in AppConfig.ready(), so
every import still points down."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Panel:
    template: str
    # The panel's context for this page's object, or None when it is not
    # shown (e.g. the user's role does not allow it).
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 100


class Panels:
    """The panels of one kind of page, in their order."""

    def __init__(self, name: str) -> None:
        # The name under which each panel's template finds the page's object.
        self.name = name
        self._panels: list[Panel] = []

    def register(self, panel: Panel) -> None:
        if panel not in self._panels:
            self._panels.append(panel)
            self._panels.sort(key=lambda entry: entry.order)

    def shown(self, request: HttpRequest, target: Any) -> list[tuple[str, dict[str, Any]]]:
        shown = []
        for panel in self._panels:
            context = panel.context(request, target)
            if context is not None:
                shown.append((panel.template, context))
        return shown

    def render(self, request: HttpRequest, target: Any) -> SafeString:
        parts = [
            render_to_string(template, {self.name: target, **values}, request=request)
            for template, values in self.shown(request, target)
        ]
        return mark_safe("".join(parts))  # noqa: S308 - each part is an escaped template  # nosec B308 B703
