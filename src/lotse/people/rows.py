"""The pool list's table rows, rendered in Python.

The list shows 50 rows of up to nine cells; through the template language
that was most of the page's server time (DESIGN.md: <= 100 ms per page).
The markup is the same the template wrote; every value is escaped by
format_html, and labels repeated on every row are translated once per page."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Person, PersonRole, PoolRole, Status

_CELL = '<td class="kern-table__cell">{}</td>'


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "SHORT_DATE_FORMAT")


def render(
    people: Iterable[Person], *, pool_role: str, selectable: bool, today: datetime.date
) -> SafeString:
    # One reverse for all rows: the detail address differs only in the key.
    before, after = reverse("people:person_detail", args=[0]).rsplit("0", 1)
    roles = dict(PoolRole.choices)
    statuses = dict(Status.choices)
    labels = {"not_yet": _("not yet"), "valid": _("valid"), "expired": _("expired")}
    labels["none"] = _("none")
    rows = []
    for person in people:
        cells = []
        if selectable:
            cells.append(
                format_html(
                    '<td class="kern-table__cell"><div class="kern-form-check">'
                    '<input class="kern-form-check__checkbox" type="checkbox" name="person" '
                    'value="{pk}" id="select-{pk}"><label class="kern-label" for="select-{pk}">'
                    '<span class="kern-sr-only">{label}</span></label></div></td>',
                    pk=person.pk,
                    label=_("Select %(name)s") % {"name": person.full_name},
                )
            )
        latin = (
            format_html('<br><span class="kern-body kern-body--small">{}</span>', person.latin_name)
            if person.latin_name
            else ""
        )
        cells.append(
            format_html(
                '<td class="kern-table__cell"><a class="kern-link" href="{}{}{}">{}, {}</a>{}</td>',
                before,
                person.pk,
                after,
                person.family_name,
                person.given_name,
                latin,
            )
        )
        role_rows: list[PersonRole] = person.role_list
        cells.append(
            format_html(
                _CELL,
                mark_safe("<br>").join(  # a literal tag joins escaped parts  # nosec B308
                    format_html(
                        "{}: {}",
                        roles.get(row.role, row.role),
                        statuses.get(row.status, row.status),
                    )
                    for row in role_rows
                ),
            )
        )
        if pool_role == PoolRole.VOLUNTEER:
            profile = getattr(person, "volunteer", None)
            if profile is None:
                cells += [format_html(_CELL, "")] * 3
            else:
                trained = profile.training_completed_on
                if profile.police_clearance_on is None:
                    clearance = labels["none"]
                elif profile.clearance_valid_on(today):
                    clearance = labels["valid"]
                else:
                    clearance = labels["expired"]
                cells += [
                    format_html(_CELL, profile.capacity),
                    format_html(_CELL, _date(trained) if trained else labels["not_yet"]),
                    format_html(_CELL, clearance),
                ]
        elif pool_role == PoolRole.PARTICIPANT:
            profile = getattr(person, "participant", None)
            needs = [need.name for need in profile.need_list] if profile else []
            cells.append(format_html(_CELL, ", ".join(needs) or "–"))
        cells += [
            format_html(_CELL, person.site.name),
            format_html(_CELL, person.municipality or "–"),
            format_html(_CELL, _date(person.created_at)),
        ]
        rows.append(cells)
    return format_html_join(
        "\n",
        '<tr class="kern-table__row">{}</tr>',
        ((mark_safe("".join(c)),) for c in rows),  # noqa: S308 - cells escaped by format_html  # nosec B308 B703
    )
