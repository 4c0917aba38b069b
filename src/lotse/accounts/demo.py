"""The demo installation: a fictional district integration office.

Deterministic: the same names, roles and sites on every machine, so that the
README's demo logins are true. Later apps add their own demo data on top.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_scopes import scopes_disabled

from lotse.core import audit
from lotse.core.models import Organisation, Site

from . import services
from .models import Membership, User
from .roles import Role

DEMO_PASSWORD = "lotse-demo-2026"  # noqa: S105 - printed on purpose, demo only  # nosec B105


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: Role
    sites: tuple[str, ...] = ()  # empty: all sites
    language: str = "de"


ORGANISATION = ("Kreisintegrationsstelle Landkreis Lindenau", "lindenau")
SITES = (
    ("Lindenau – Kreishaus", "Lindenau"),
    ("Birkenbach – Außenstelle", "Birkenbach"),
)
USERS = (
    DemoUser("admin@lindenau.example", "Renate Vogel", Role.ADMINISTRATOR),
    DemoUser("koordination@lindenau.example", "Aylin Yılmaz", Role.COORDINATOR),
    DemoUser(
        "fallmanagement@lindenau.example",
        "Olena Kovalenko",
        Role.CASEWORKER,
        sites=("Birkenbach – Außenstelle",),
        language="en",
    ),
    DemoUser(
        "beratung@lindenau.example",
        "Sara Ahmad – سارا أحمد",
        Role.CASEWORKER,
        sites=("Lindenau – Kreishaus",),
    ),
    DemoUser("leitung@lindenau.example", "Jürgen Weiß", Role.VIEWER),
    DemoUser("netzwerk@lindenau.example", "Dariush Karimi – داریوش کریمی", Role.COORDINATOR),
    DemoUser("partner@jobcenter-lindenau.example", "Petra Neumann", Role.PARTNER),
)


def demo_exists() -> bool:
    return Organisation.objects.filter(slug=ORGANISATION[1]).exists()


@scopes_disabled()
@transaction.atomic
def load_demo() -> Organisation:
    organisation = Organisation.objects.create(name=ORGANISATION[0], slug=ORGANISATION[1])
    sites = {
        name: Site.objects.create(organisation=organisation, name=name, municipality=town)
        for name, town in SITES
    }
    admin = None
    for spec in USERS:
        user = User.objects.create_user(
            email=spec.email,
            password=DEMO_PASSWORD,
            full_name=spec.full_name,
            language=spec.language,
        )
        membership = Membership.objects.create(
            organisation=organisation, user=user, role=spec.role, all_sites=not spec.sites
        )
        membership.sites.set([sites[name] for name in spec.sites])
        admin = admin or user
        audit.record(
            actor=admin,
            organisation=organisation,
            action=services.USER_INVITED,
            target=membership,
            changed_fields=["role", "sites", "all_sites"],
        )
    return organisation
