"""What an app's `privacy.py` gives the privacy app (STYLE.md §8): every
record it holds about a person, field by field, readable and machine-readable,
and the anonymisation of those records.

Each app that keeps data about people has a module `<app>/privacy.py` with

- `MODELS`: the models whose rows belong to a person (the privacy app's test
  fails for a model that holds a person, directly or through another such
  model, and is in no app's `MODELS`);
- `export(person) -> list[Entry]`: every row of those models that belongs to
  the person, also those at sites the requesting user does not see (an access
  request is answered in full, GDPR Art. 15);
- `holds(people) -> dict[int, list[str]]`: for the people of the queryset
  whose data may not be erased yet (an open case, a running tandem), by
  their key, why: each reason a sentence for the administrator; people
  nothing holds are left out (one grouped query, however many people);
- `anonymise(person)`: erasure by anonymisation (Art. 17): names, contacts,
  free text and documents of those rows removed, what the figures count
  (statuses, dates, links) left as it was, so counts and KPIs stay correct;
- `FIELDS`: each field of those models by its category (`classified`), the
  field registry that the records of processing (Art. 30) are written from
  (a test fails on any field left out, SECURITY.md D1);
- `PURPOSE`, `LEGAL_BASIS`, `SUBJECTS`, `RECIPIENTS`: the app's processing
  activity in the records of processing, each a sentence.

The privacy app finds the modules itself; no app imports it."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Fields that say nothing about the person: the tenant, the optimistic lock.
_LEFT_OUT = {"organisation", "version"}


class Category(models.TextChoices):
    """What a field holds about the person it belongs to (SECURITY.md D1)."""

    # Keys, links to other records, who wrote it and when.
    RECORD = "record", gettext_lazy("record keeping")
    PERSONAL = "personal", gettext_lazy("personal data")
    SPECIAL = "special", gettext_lazy("special categories (GDPR Art. 9), such as health")
    SOCIAL = "social", gettext_lazy("social data (SGB), such as residence, benefits and family")


def classified(
    *,
    personal: Iterable[str] = (),
    special: Iterable[str] = (),
    social: Iterable[str] = (),
    record: Iterable[str] = (),
) -> dict[str, str]:
    """A model's fields (without the tenant and the lock) by category: the
    app's entry in the field registry."""
    found: dict[str, str] = {}
    for category, names in (
        (Category.PERSONAL, personal),
        (Category.SPECIAL, special),
        (Category.SOCIAL, social),
        (Category.RECORD, record),
    ):
        for name in names:
            if name in found:
                raise ValueError(f"{name} classified twice")
            found[name] = category
    return found


def registered_fields(model: type[models.Model]) -> set[str]:
    """The fields of `model` the registry must classify."""
    return {
        f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in _LEFT_OUT
    }


@dataclass
class Value:
    name: str
    label: str
    value: Any  # as JSON holds it
    shown: str  # as a person reads it


@dataclass
class Entry:
    """One row about the person: its model, key and values."""

    model: str  # "cases.Case"
    title: str  # the model's name, "Case"
    pk: Any
    name: str  # str() of the row
    values: list[Value] = field(default_factory=list)
    # Uploaded files of the row: (name in the archive, storage file).
    files: list[tuple[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.pk, **{value.name: value.value for value in self.values}}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _shown(row: models.Model, model_field: models.Field, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if model_field.choices:
        return str(getattr(row, f"get_{model_field.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def entry(row: models.Model, *, leave_out: Iterable[str] = ()) -> Entry:
    """The row with every concrete field except the tenant, the lock and
    `leave_out`; a foreign key as its id (JSON) and its name (readable),
    a many-to-many field as the names of its rows."""
    meta = row._meta
    skipped = _LEFT_OUT | set(leave_out)
    result = Entry(
        model=meta.label,
        title=str(meta.verbose_name),
        pk=row.pk,
        name=str(row),
    )
    for model_field in meta.concrete_fields:
        if model_field.name in skipped or model_field.primary_key:
            continue
        label = str(model_field.verbose_name)
        label = label[:1].upper() + label[1:]
        if model_field.is_relation:
            key = getattr(row, model_field.attname)
            related = getattr(row, model_field.name) if key is not None else None
            result.values.append(
                Value(model_field.attname, label, key, str(related) if related else "–")
            )
        elif isinstance(model_field, models.FileField):
            stored = getattr(row, model_field.name)
            name = stored.name.rsplit("/", 1)[-1] if stored else ""
            if stored:
                result.files.append((f"{meta.label}-{row.pk}-{name}", stored))
            result.values.append(Value(model_field.name, label, name, name or "–"))
        else:
            value = getattr(row, model_field.attname)
            result.values.append(
                Value(model_field.name, label, _plain(value), _shown(row, model_field, value))
            )
    for many in meta.many_to_many:
        if many.name in skipped:
            continue
        names = [str(item) for item in getattr(row, many.name).all()]
        label = str(many.verbose_name)
        result.values.append(
            Value(many.name, label[:1].upper() + label[1:], names, ", ".join(names) or "–")
        )
    return result


def entries(rows: Iterable[models.Model], **options: Any) -> list[Entry]:
    return [entry(row, **options) for row in rows]


def blank(
    rows: models.QuerySet,
    *,
    keep: Iterable[str] = (),
    also: dict[str, Any] | None = None,
) -> int:
    """Remove what identifies a person from `rows` (erasure by anonymisation,
    GDPR Art. 17): every free-text field, that is text without a fixed list of
    choices, is emptied and every uploaded file is deleted from its storage,
    except the fields in `keep`; `also` sets further fields. Choices,
    numbers, dates and links stay: they are what the figures count.

    The files go once the transaction commits: a rolled-back erasure leaves
    every document where it was."""
    model = rows.model
    kept = set(keep)
    values: dict[str, Any] = {}
    files: list[str] = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in kept or model_field.is_relation or model_field.primary_key:
            continue
        if isinstance(model_field, models.FileField):
            files.append(model_field.name)
            values[model_field.name] = ""
        elif (
            isinstance(model_field, models.CharField | models.TextField) and not model_field.choices
        ):
            values[model_field.name] = ""
    values.update(also or {})
    if files:
        for row in rows.only("pk", *files):
            for name in files:
                stored = getattr(row, name)
                if stored:
                    transaction.on_commit(
                        lambda storage=stored.storage, path=stored.name: storage.delete(path)
                    )
    return rows.update(**values) if values else 0
