"""Sections of the person page that other apps contribute (programmes:
enrolments and events; later tandems, cases, placements). Each app registers
its panels in AppConfig.ready(); the person page never imports them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .models import Person


@dataclass(frozen=True)
class PersonPanel:
    template: str
    # The panel's context for this person, or None when it is not shown (e.g.
    # the user's role does not allow it).
    context: Callable[[HttpRequest, Person], dict[str, Any] | None]
    order: int = 100


_PANELS: list[PersonPanel] = []


def register(panel: PersonPanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)
        _PANELS.sort(key=lambda entry: entry.order)


def for_person(request: HttpRequest, person: Person) -> list[tuple[str, dict[str, Any]]]:
    shown = []
    for panel in _PANELS:
        context = panel.context(request, person)
        if context is not None:
            shown.append((panel.template, context))
    return shown
