from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """A value of a dict by a key held in a variable (a criterion's weight)."""
    return mapping.get(key) if isinstance(mapping, dict) else None
