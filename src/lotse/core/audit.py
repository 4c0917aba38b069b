"""Writing to the audit log. Services call `record` inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from .models import AuditEntry, Organisation, Site
from .requestlocal import current_ip_address

if TYPE_CHECKING:
    from lotse.accounts.models import User

# Action codes with their labels, filled by the apps that write them.
ACTIONS: dict[str, Promise | str] = {}


def register_action(code: str, label: Promise | str) -> str:
    """Declare an action code (`lotse.<thing>.<verb>`) and its label for the log."""
    if not code.startswith("lotse.") or code.count(".") < 2:
        raise ValueError(f"Action codes look like lotse.<thing>.<verb>, not {code!r}")
    ACTIONS[code] = label
    return code


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


def record(
    *,
    actor: User | None,
    organisation: Organisation,
    action: str,
    target: models.Model | None = None,
    changed_fields: Iterable[str] = (),
    site: Site | None = None,
) -> AuditEntry:
    """Append one entry. Only field *names* go in, never values."""
    if action not in ACTIONS:
        raise ValueError(f"Unregistered audit action {action!r}")
    return AuditEntry.objects.create(
        organisation=organisation,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        site=site,
        changed_fields=sorted(set(changed_fields)),
        ip_address=current_ip_address(),
    )


def record_many(
    *,
    actor: User | None,
    organisation: Organisation,
    action: str,
    targets: Iterable[tuple[models.Model, Iterable[str]]],
    site: Site | None = None,
) -> None:
    """One entry per target (with the names of its changed fields), written
    at once: for use cases that record many objects, such as an import."""
    if action not in ACTIONS:
        raise ValueError(f"Unregistered audit action {action!r}")
    actor = actor if actor is not None and actor.is_authenticated else None
    ip_address = current_ip_address()
    content_types: dict[type, ContentType] = {}
    entries = []
    for target, changed_fields in targets:
        model = type(target)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(target)
        entries.append(
            AuditEntry(
                organisation=organisation,
                actor=actor,
                action=action,
                target_type=content_types[model],
                target_id=str(target.pk),
                site=site,
                changed_fields=sorted(set(changed_fields)),
                ip_address=ip_address,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=500)


ACCESS_DENIED = register_action("lotse.access.denied", gettext_lazy("Access denied"))
