"""Use cases of data protection: answering a person's request for access to
their data (GDPR Art. 15) with a copy they can read and one a machine can
(Art. 20).

The records come from each app's `privacy.py` (lotse.core.personal_data
says what one holds); this app finds the modules itself, so no app imports
it and a new app takes part by adding its module."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from importlib import import_module
from importlib.resources import files
from types import ModuleType
from typing import Any

import typst
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import HANDLE_PRIVACY
from lotse.core import audit
from lotse.core.models import AuditEntry, Organisation
from lotse.core.permissions import actor_membership
from lotse.core.personal_data import Entry
from lotse.people.models import Person

ACCESS_EXPORTED = audit.register_action(
    "lotse.privacy.access_exported",
    gettext_lazy("Copy of a person's data written (access request)"),
)

FORMAT = "lotse-access-export/1"


@dataclass
class Section:
    """What one app holds about the person."""

    app: str  # "cases"
    title: str  # "Case management"
    entries: list[Entry]


def modules() -> list[tuple[str, str, ModuleType]]:
    """(label, name, module) of each app with a `privacy.py`, in the order of
    INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("lotse.") and module_has_submodule(config.module, "privacy"):
            if config.label == "privacy":
                continue
            found.append(
                (config.label, str(config.verbose_name), import_module(f"{config.name}.privacy"))
            )
    return found


def collect(person: Person) -> list[Section]:
    """Everything every app holds about the person, app by app."""
    sections = []
    for label, title, module in modules():
        found = module.export(person)
        if found:
            sections.append(Section(app=label, title=title, entries=found))
    return sections


def history(*, actor: User, person: Person, reads_only: bool = False):
    """Who opened or changed the person's record and their cases, newest
    first, from the audit log: the answer to "who looked at this person?"."""
    _check(actor, person)
    cases = apps.get_model("cases", "Case")
    case_ids = [str(pk) for pk in cases.objects.filter(client=person).values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(organisation_id=person.organisation_id).filter(
        Q(target_type=ContentType.objects.get_for_model(Person), target_id=str(person.pk))
        | Q(target_type=ContentType.objects.get_for_model(cases), target_id__in=case_ids)
    )
    if reads_only:
        entries = entries.filter(action__in=READS)
    return entries.select_related("actor", "target_type", "site").order_by("-created_at", "-pk")


# The actions that read a person's data without changing it.
READS = (
    "lotse.person.viewed",
    "lotse.case.read",
    "lotse.case.document_read",
    "lotse.case.plan_printed",
    "lotse.consent.evidence_read",
    "lotse.privacy.access_exported",
)


def _check(actor: User, person: Person) -> None:
    actor_membership(
        actor,
        person.organisation_id,
        HANDLE_PRIVACY,
        _("You may not answer access requests in this organisation."),
    )


def access_export(*, actor: User, person: Person) -> bytes:
    """One ZIP archive: a readable summary (PDF), every record as JSON, and
    the person's uploaded documents. Writing it is recorded in the audit log
    (without any of its content)."""
    _check(actor, person)
    sections = collect(person)
    organisation = Organisation.objects.get(pk=person.organisation_id)
    written_at = timezone.now()
    document = {
        "format": FORMAT,
        "written_at": written_at.isoformat(),
        "organisation": organisation.name,
        "person": person.pk,
        "records": {section.app: _by_model(section.entries) for section in sections},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        missing = []
        for section in sections:
            for row in section.entries:
                for name, stored in row.files:
                    try:
                        with stored.open("rb") as handle:
                            archive.writestr(f"documents/{name}", handle.read())
                    except OSError:
                        # The record stays in the copy; the summary names the lost file.
                        missing.append(name)
        document["missing_documents"] = missing
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr(
            "summary.pdf", _summary(person, organisation, sections, written_at, missing)
        )
    audit.record(actor=actor, organisation=organisation, action=ACCESS_EXPORTED, target=person)
    return out.getvalue()


def _by_model(found: list[Entry]) -> dict[str, list[dict[str, Any]]]:
    by_model: dict[str, list[dict[str, Any]]] = {}
    for row in found:
        by_model.setdefault(row.model, []).append(row.as_json())
    return by_model


def _summary(
    person: Person,
    organisation: Organisation,
    sections: list[Section],
    written_at: datetime.datetime,
    missing: list[str],
) -> bytes:
    data = {
        "lang": (translation.get_language() or "de").split("-")[0].lower(),
        "title": _("Copy of the data about %(name)s") % {"name": person.full_name},
        "organisation": organisation.name,
        "stamp": _("Written on %(date)s")
        % {"date": formats.date_format(timezone.localtime(written_at), "SHORT_DATETIME_FORMAT")},
        "intro": _(
            "This is everything %(organisation)s keeps about you in Lotse (GDPR Art. 15), "
            "record by record. The file data.json beside this summary holds the same in a "
            "machine-readable form (Art. 20); your documents are in the folder documents."
        )
        % {"organisation": organisation.name},
        "labels": {"page": _("Page %(page)s of %(pages)s"), "none": _("Nothing recorded.")},
        "missing": (
            _("These documents are recorded but their files could not be read: %(names)s")
            % {"names": ", ".join(missing)}
            if missing
            else ""
        ),
        "sections": [
            {
                "title": section.title,
                "entries": [
                    {
                        "title": f"{row.title}: {row.name}",
                        "values": [[value.label, value.shown] for value in row.values],
                    }
                    for row in section.entries
                ],
            }
            for section in sections
        ],
    }
    source = files("lotse.privacy").joinpath("documents/access.typ").read_bytes()
    return typst.compile(
        source,
        format="pdf",
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
