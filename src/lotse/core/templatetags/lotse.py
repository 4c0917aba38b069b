"""Template helpers for KERN UX markup."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()

_INPUT_CLASS = "kern-form-input__input"


def _choices(bound: BoundField) -> list[tuple[str, str, str, bool]]:
    """(value, id, label, checked) per option of a radio or checkbox group.
    The same ids as Django's subwidgets, without building a widget context
    per option: filter forms have a hundred of them."""
    current = bound.value()
    if not isinstance(current, list | tuple):
        current = [current]
    chosen = {str(value) for value in current if value not in (None, "")}
    rows = []
    for index, (value, label) in enumerate(bound.field.choices):
        value = "" if value is None else str(value)
        rows.append((value, f"{bound.auto_id}_{index}", label, value in chosen))
    return rows


@register.inclusion_tag("core/_field.html")
def field(bound: BoundField) -> dict[str, object]:
    """One form field with label, hint and error, wired for screen readers."""
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        kind = "choices"
    elif isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    elif isinstance(widget, forms.Select):
        kind = "select"
    else:
        kind = "input"
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}-hint")
    if bound.errors:
        described.append(f"{bound.auto_id}-error")
    attrs: dict[str, str] = {}
    if described and kind != "choices":
        attrs["aria-describedby"] = " ".join(described)
    if bound.errors:
        attrs["aria-invalid"] = "true"
    if kind == "input":
        attrs["class"] = _INPUT_CLASS + (f" {_INPUT_CLASS}--error" if bound.errors else "")
    elif kind == "select":
        attrs["class"] = "kern-form-input__select" + (
            " kern-form-input__select--error" if bound.errors else ""
        )
    elif kind == "checkbox":
        attrs["class"] = "kern-form-check__checkbox"
    return {
        "field": bound,
        "kind": kind,
        "choices": _choices(bound) if kind == "choices" else (),
        "widget_html": "" if kind == "choices" else bound.as_widget(attrs=attrs),
        "described_by": " ".join(described),
        # CheckboxSelectMultiple is a subclass of RadioSelect: ask for it first.
        "input_type": "checkbox" if isinstance(widget, forms.CheckboxSelectMultiple) else "radio",
    }


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours with one decimal, in the reader's number format: 90 → 1,5."""
    from django.utils.formats import number_format

    return number_format((minutes or 0) / 60, decimal_pos=1)
