"""What the imports hold about a person: nothing of their own, but the
uploaded file of an import that brought them in or changed them, and the
values it replaced (kept for the undo). The access copy has those values on
the person's record already; the erasure removes them here too (STYLE.md §8)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from lotse.core.personal_data import Entry, blank
from lotse.people.models import Person

from . import services
from .models import ImportKind, ImportRun

MODELS = ()


FIELDS: dict = {}
PURPOSE = gettext_lazy(
    "Taking the organisation's existing lists (Excel, CSV) over into the pool: the uploaded "
    "file and the values an import replaced are kept for its preview and its undo."
)
LEGAL_BASIS = gettext_lazy("As for the pool the lists are taken into.")
SUBJECTS = gettext_lazy("The people, employers and institutions on the lists.")
RECIPIENTS = gettext_lazy("The coordinators and administrators who import.")


def export(person: Person) -> list[Entry]:
    return []


def holds(people) -> dict[int, list[str]]:
    return {}


def anonymise(person: Person, *, actor) -> None:
    """The whole file goes: one person's row cannot be cut out of a
    spreadsheet. The import's counts stay; its undo is no longer possible
    (the erased record has changed since)."""
    key = str(person.pk)
    runs = ImportRun.objects.filter(organisation_id=person.organisation_id, kind=ImportKind.PEOPLE)
    for run in runs.exclude(records={}).only("pk", "file", "records"):
        kept = run.records or {}
        if key not in kept.get("created", {}) and key not in kept.get("updated", {}):
            continue
        if key in kept.get("updated", {}):
            kept["updated"][key]["before"] = {}
        services.forget_file(run.file.name)
        blank(ImportRun.objects.filter(pk=run.pk), keep=_SETTINGS, also={"records": kept})


# The import's own settings, no personal data: kept.
_SETTINGS = ("file_name", "sheet", "role", "status_in_pool")
