"""The network section's tabs: one list of its pages, narrowed to what the
signed-in member may open."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lotse.core.permissions import VIEW_RECORDS

register = template.Library()

# (url name, label, only for the organisation's own staff)
PAGES = (
    ("network:institution_list", _("Institutions"), False),
    ("network:actor_table", _("Actor table"), True),
    ("network:committee_list", _("Committees and agreements"), False),
    ("network:measure_list", _("Measures"), False),
    ("network:interface_paper", _("Interface paper"), False),
    ("network:offer_list", _("Offers"), False),
    ("network:gap_report", _("Needs and gaps"), False),
    ("network:network_map", _("Network map"), False),
)


@register.inclusion_tag("network/_tabs.html", takes_context=True)
def network_tabs(context, current: str) -> dict[str, object]:
    membership = context["request"].membership
    staff = membership.has_perm(VIEW_RECORDS)
    return {
        "pages": [
            (reverse(name), label, name == f"network:{current}")
            for name, label, staff_only in PAGES
            if staff or not staff_only
        ]
    }
