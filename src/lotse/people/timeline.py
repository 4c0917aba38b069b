"""A person's timeline: what happened to them, newest first. Every app may
contribute through a `timeline.py` module with a function
`person_entries(person, user) -> list[TimelineEntry]` (DESIGN.md: convention
modules, discovered, so that every import still points down)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from lotse.accounts.models import User

from .models import Person, StatusChange

LIMIT = 50


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.datetime
    text: str
    by: str = ""
    url: str = ""


def _providers():
    for config in apps.get_app_configs():
        if config.name.startswith("lotse.") and module_has_submodule(config.module, "timeline"):
            provider = getattr(import_module(f"{config.name}.timeline"), "person_entries", None)
            if provider is not None:
                yield provider


def for_person(person: Person, user: User) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for provider in _providers():
        entries.extend(provider(person, user))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:LIMIT]


def person_entries(person: Person, user: User) -> list[TimelineEntry]:
    entries = [TimelineEntry(person.created_at, str(_("Recorded in the pool")))]
    changes = StatusChange.objects.filter(person_role__person=person).select_related(
        "person_role", "changed_by"
    )
    for change in changes[:LIMIT]:
        role = change.person_role.get_role_display()
        status = change.get_to_status_display()
        text = _("%(role)s: %(status)s") % {"role": role, "status": status}
        if change.reason:
            text = f"{text} ({change.reason})"
        entries.append(TimelineEntry(change.changed_at, text, by=str(change.changed_by or "")))
    return entries
