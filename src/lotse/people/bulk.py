"""Bulk actions on a selection of the pool. The pool list offers every action
registered here; apps above people (programmes: enrol, register for an event)
register theirs in AppConfig.ready(), so the list never imports them."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class BulkAction:
    url_name: str  # a view that takes the selection by POST (see selection.py)
    label: Promise | str
    permission: str
    order: int = 100


_ACTIONS: list[BulkAction] = []


def register(action: BulkAction) -> None:
    if action not in _ACTIONS:
        _ACTIONS.append(action)
        _ACTIONS.sort(key=lambda entry: entry.order)


def actions_for(request: HttpRequest) -> list[dict[str, object]]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return []
    return [
        {"label": action.label, "url": reverse(action.url_name)}
        for action in _ACTIONS
        if membership.has_perm(action.permission)
    ]
