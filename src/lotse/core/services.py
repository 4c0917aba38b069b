"""Use cases of the organisation's own set-up (its sites), and the small
steps every app's services take: applying a form's data to a row, and
locking a row that several staff edit against a stale version."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .exceptions import Conflict, NotPermitted, ServiceError
from .models import Organisation, Site
from .permissions import MANAGE_SITES

if TYPE_CHECKING:
    from lotse.accounts.models import User

SITE_CREATED = audit.register_action("lotse.site.created", gettext_lazy("Site created"))
SITE_CHANGED = audit.register_action("lotse.site.changed", gettext_lazy("Site changed"))

_DUPLICATE = gettext_lazy("The organisation has a site with this name already.")


def apply_changes(instance: models.Model, data: dict[str, Any]) -> list[str]:
    """Set the fields of `data` on `instance`; the names of those that changed."""
    changed = []
    for name, value in data.items():
        # A new row's unset foreign key raises on access (an AttributeError).
        if getattr(instance, name, None) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def locked(model: type[models.Model], pk: int, version: int | None, stale: str) -> Any:
    """The row, locked for the transaction; Conflict with `stale` when the
    caller saw another `version` of it (optimistic locking, DESIGN.md)."""
    current = model.objects.select_for_update().get(pk=pk)
    if version is not None and current.version != version:
        raise Conflict(str(stale))
    return current


@dataclass
class Incoming:
    """One record an import brings: its values (foreign keys by their `_id`),
    the primary key of the record it updates (None for a new one), and for a
    contact person the record it belongs to. `instance` is the row written."""

    values: dict[str, Any]
    pk: int | None = None
    parent: Incoming | None = None
    instance: models.Model | None = None


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates as ISO text."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def write_many(
    *,
    actor: User,
    organisation: Organisation,
    model: type[models.Model],
    incoming: list[Incoming],
    created: str,
    changed: str,
    parent_field: str = "",
) -> list[tuple[models.Model, dict[str, Any] | None]]:
    """Create and update many rows of `model` at once, for an import: new
    rows in bulk, updated ones locked, only their changed fields written and
    their version raised, one audit entry for each row written. Returns each
    row written with the values its changed fields had before (None for a
    new row); a row the values would not change is left alone."""
    written: list[tuple[models.Model, dict[str, Any] | None]] = []
    new = []
    for item in incoming:
        if item.pk is not None:
            continue
        row = model(organisation=organisation, **item.values)
        if parent_field:
            setattr(row, parent_field, item.parent.instance)
        item.instance = row
        new.append(row)
    model.objects.bulk_create(new, batch_size=500)
    audit.record_many(
        actor=actor,
        organisation=organisation,
        action=created,
        targets=[(item.instance, item.values) for item in incoming if item.pk is None],
    )
    written.extend((row, None) for row in new)
    updates = [item for item in incoming if item.pk is not None]
    current = (
        model.objects.select_for_update()
        .filter(organisation=organisation)
        .in_bulk([item.pk for item in updates])
    )
    versioned = any(field.name == "version" for field in model._meta.concrete_fields)
    targets = []
    if len(current) != len({item.pk for item in updates}):
        # Removed since the caller read it (the preview of an import).
        raise Conflict(
            _("A record changed while this was being saved; nothing was saved. Try again, please.")
        )
    for item in updates:
        row = current[item.pk]
        before = {name: plain(getattr(row, name)) for name in item.values}
        names = apply_changes(row, item.values)
        item.instance = row
        if not names:
            continue
        if versioned:
            row.version += 1
        row.save()
        targets.append((row, names))
        written.append((row, {name: before[name] for name in names}))
    audit.record_many(actor=actor, organisation=organisation, action=changed, targets=targets)
    return written


def _require(actor: User, organisation_id: int) -> None:
    membership = getattr(actor, "membership", None)
    if (
        membership is None
        or membership.organisation_id != organisation_id
        or not membership.has_perm(MANAGE_SITES)
    ):
        raise NotPermitted(_("You may not change the sites of this organisation."))


def create_site(*, actor: User, organisation: Organisation, name: str, municipality: str) -> Site:
    _require(actor, organisation.pk)
    try:
        with transaction.atomic():
            site = Site.objects.create(
                organisation=organisation, name=name.strip(), municipality=municipality.strip()
            )
            audit.record(
                actor=actor,
                organisation=organisation,
                action=SITE_CREATED,
                target=site,
                site=site,
                changed_fields=["name", "municipality"],
            )
    except IntegrityError as error:
        raise ServiceError(str(_DUPLICATE)) from error
    return site


def change_site(
    *, actor: User, site: Site, name: str, municipality: str, is_active: bool, version: int
) -> Site:
    """Rename or (de)activate a site. A deactivated site keeps its data and its
    members' access; it is no longer offered for new users and in the switcher."""
    _require(actor, site.organisation_id)
    try:
        with transaction.atomic():
            current = Site.objects.select_for_update().get(pk=site.pk)
            if current.version != version:
                raise Conflict(
                    _(
                        "Someone else changed this site while you were editing. "
                        "Your changes were not saved; please review the current values."
                    )
                )
            values = {"name": name.strip(), "municipality": municipality.strip()}
            values["is_active"] = is_active
            changed = [field for field, value in values.items() if getattr(current, field) != value]
            if not changed:
                return current
            for field, value in values.items():
                setattr(current, field, value)
            current.version += 1
            current.save(update_fields=[*changed, "version"])
            audit.record(
                actor=actor,
                organisation=current.organisation,
                action=SITE_CHANGED,
                target=current,
                site=current,
                changed_fields=changed,
            )
    except IntegrityError as error:
        raise ServiceError(str(_DUPLICATE)) from error
    return current
