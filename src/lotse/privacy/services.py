"""Use cases of data protection: answering a person's request for access to
their data (GDPR Art. 15) with a copy they can read and one a machine can
(Art. 20); erasure by anonymisation (Art. 17), confirmed by a second
administrator, with a tombstone outside the database that a restore replays
(SECURITY.md G2).

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
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import HANDLE_PRIVACY
from lotse.core import audit
from lotse.core.exceptions import NotPermitted, ServiceError
from lotse.core.models import AuditEntry, Organisation
from lotse.core.permissions import actor_membership
from lotse.core.personal_data import Entry
from lotse.people.models import Person

from .models import Erasure, ErasureReason, ErasureStatus

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
    return sections_pdf(data)


def sections_pdf(data: dict[str, Any]) -> bytes:
    """A PDF of titled sections of entries (documents/sections.typ): the
    access copy's summary and the records of processing."""
    source = files("lotse.privacy").joinpath("documents/sections.typ").read_bytes()
    return typst.compile(
        source,
        format="pdf",
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )


# --- Erasure by anonymisation (Art. 17) ------------------------------------

ERASURE_REQUESTED = audit.register_action(
    "lotse.privacy.erasure_requested", gettext_lazy("Erasure asked for")
)
ERASURE_CANCELLED = audit.register_action(
    "lotse.privacy.erasure_cancelled", gettext_lazy("Erasure cancelled")
)
PERSON_ANONYMISED = audit.register_action(
    "lotse.privacy.person_anonymised", gettext_lazy("Person anonymised (erasure)")
)
ERASURE_REPLAYED = audit.register_action(
    "lotse.privacy.erasure_replayed",
    gettext_lazy("Erasure applied again after a restore"),
)


def holds(person: Person) -> list[str]:
    """Why the person cannot be anonymised yet, from every app."""
    one = Person.objects.filter(pk=person.pk)
    return [
        reason
        for _label, _title, module in modules()
        for reason in module.holds(one).get(person.pk, [])
    ]


def held(people) -> set[int]:
    """The keys of those among `people` (a queryset) whom open work holds."""
    return {person_id for _label, _title, module in modules() for person_id in module.holds(people)}


def _refuse_held(person: Person) -> None:
    if person.anonymised_at:
        raise ServiceError(_("This record has been anonymised already."))
    found = holds(person)
    if found:
        raise ServiceError(
            _("The record cannot be anonymised yet. %(reasons)s") % {"reasons": " ".join(found)}
        )


def request_erasure(*, actor: User, person: Person, reason: str) -> Erasure:
    """The first administrator's step: nothing is removed until a second one
    confirms."""
    _check(actor, person)
    if reason not in ErasureReason.values:
        raise ServiceError(_("Choose why the data is to be erased."))
    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        _refuse_held(current)
        if Erasure.objects.filter(person=current, status=ErasureStatus.REQUESTED).exists():
            raise ServiceError(_("An erasure of this record is waiting for confirmation already."))
        erasure = Erasure.objects.create(
            organisation_id=current.organisation_id,
            person=current,
            reason=reason,
            requested_by=actor,
        )
        audit.record(
            actor=actor,
            organisation=erasure.organisation,
            action=ERASURE_REQUESTED,
            target=current,
            site=current.site,
        )
    return erasure


def _decide(actor: User, erasure: Erasure) -> Erasure:
    _check(actor, erasure.person)
    current = Erasure.objects.select_for_update().get(pk=erasure.pk)
    if current.status != ErasureStatus.REQUESTED:
        raise ServiceError(_("This erasure has been decided already."))
    return current


def cancel_erasure(*, actor: User, erasure: Erasure) -> Erasure:
    with transaction.atomic():
        current = _decide(actor, erasure)
        current.status = ErasureStatus.CANCELLED
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            actor=actor,
            organisation=current.organisation,
            action=ERASURE_CANCELLED,
            target=current.person,
        )
    return current


def confirm_erasure(*, actor: User, erasure: Erasure) -> Erasure:
    """The second administrator's step: the person's data is anonymised in
    every app, irreversibly. The one who asked may not confirm."""
    with transaction.atomic():
        current = _decide(actor, erasure)
        if current.requested_by_id == actor.pk:
            raise NotPermitted(
                _("A second administrator must confirm the erasure, not the one who asked for it.")
            )
        person = Person.objects.select_for_update().get(pk=current.person_id)
        _refuse_held(person)
        anonymise(actor=actor, person=person, reason=current.reason)
        current.status = ErasureStatus.DONE
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "decided_by", "decided_at"])
    return current


def anonymise(*, actor: User | None, person: Person, reason: str) -> None:
    """Every app anonymises what it holds about the person, in one
    transaction; then the audit entry (the record's number, no name) and,
    once committed, the tombstone. Callers check the permission and holds."""
    with transaction.atomic():
        for _label, _title, module in modules():
            module.anonymise(person, actor=actor)
        audit.record(
            actor=actor,
            organisation=Organisation.objects.get(pk=person.organisation_id),
            action=PERSON_ANONYMISED,
            target=person,
        )
        entry = {"organisation": person.organisation_id, "person": person.pk, "reason": reason}
        transaction.on_commit(lambda: _note_tombstone(entry))


def _note_tombstone(entry: dict[str, Any]) -> None:
    path = settings.LOTSE_ERASURE_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({**entry, "at": timezone.now().isoformat()})
    with open(path, "a", encoding="utf-8") as log:
        log.write(line + "\n")


def tombstones() -> list[dict[str, Any]]:
    path = settings.LOTSE_ERASURE_LOG
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a crash: the erasure before it stands
    return found


def replay_erasures() -> int:
    """After a restore: anonymise again every person whose erasure the backup
    predates. Returns how many were anonymised again. Runs without a user,
    across organisations (the restore command's own scope)."""
    again = 0
    for entry in tombstones():
        person = Person.objects.filter(
            pk=entry.get("person"), organisation_id=entry.get("organisation")
        ).first()
        if person is None or person.anonymised_at:
            continue
        with transaction.atomic():
            for _label, _title, module in modules():
                module.anonymise(person, actor=None)
            audit.record(
                actor=None,
                organisation=Organisation.objects.get(pk=person.organisation_id),
                action=ERASURE_REPLAYED,
                target=person,
            )
        again += 1
    return again
