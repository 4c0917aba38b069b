"""The person page's contributed parts: panels of other apps and the timeline."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from .. import panels, rows, timeline
from ..models import Person

register = template.Library()


@register.simple_tag(takes_context=True)
def person_panels(context: template.Context, person: Person) -> SafeString:
    return panels.PAGE.render(context["request"], person)


@register.inclusion_tag("people/_timeline.html", takes_context=True)
def person_timeline(context: template.Context, person: Person) -> dict[str, object]:
    return {"entries": timeline.for_person(person, context["request"].user)}


@register.simple_tag(takes_context=True)
def pool_rows(context: template.Context) -> SafeString:
    """The pool list's table rows (people/rows.py: rendered in Python for speed)."""
    return rows.render(
        context["page"].object_list,
        pool_role=context.get("pool_role", ""),
        selectable=bool(context.get("bulk_actions")),
        today=context["today"],
    )
