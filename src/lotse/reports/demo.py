"""Demo testimonials: three mentees and a mentor of the demo's completed
tandems tell of their time, three of them with a consent to publish."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.core.models import Organisation
from lotse.people.models import Consent, ConsentChannel, ConsentPurpose
from lotse.tandems.models import Tandem, TandemStatus

from .models import AuthorRole, Testimonial

TEXTS = (
    (
        AuthorRole.MENTEE,
        "Meine Mentorin hat mit mir jede Woche Bewerbungen geschrieben. Nach vier Monaten "
        "hatte ich einen Ausbildungsplatz als Pflegefachfrau.",
        True,
    ),
    (
        AuthorRole.MENTOR,
        "Ich wollte etwas von meiner Berufserfahrung weitergeben. Gelernt habe ich selbst am "
        "meisten: wie schwer der Weg durch die Ämter ist.",
        True,
    ),
    (
        AuthorRole.MENTEE,
        "Ohne meinen Mentor hätte ich das Vorstellungsgespräch nicht gewagt. Jetzt arbeite ich "
        "als Elektriker in Bruchsal.",
        True,
    ),
    (
        AuthorRole.MENTEE,
        "Die Treffen haben mir geholfen, Deutsch im Alltag zu sprechen.",
        False,
    ),
)


def extend_demo(organisation: Organisation) -> None:
    coordinator = (
        Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if coordinator is None:
        return
    tandems = list(
        Tandem.objects.filter(organisation=organisation, status=TandemStatus.COMPLETED)
        .select_related("mentee__person", "mentor__person", "programme")
        .order_by("pk")[: len(TEXTS)]
    )
    today = timezone.localdate()
    for tandem, (role, text, consented) in zip(tandems, TEXTS, strict=False):
        enrolment = tandem.mentor if role == AuthorRole.MENTOR else tandem.mentee
        person = enrolment.person
        Testimonial.objects.create(
            organisation=organisation,
            person=person,
            author_role=role,
            programme=tandem.programme,
            text=text,
            signed_as=f"{person.given_name}, {role.label}",
            recorded_by=coordinator.user,
        )
        if consented:
            Consent.objects.create(
                organisation=organisation,
                person=person,
                purpose=ConsentPurpose.PUBLICATION,
                given_on=today - datetime.timedelta(days=30),
                channel=ConsentChannel.PAPER,
                wording="Einwilligung Veröffentlichung Erfahrungsbericht, Fassung 01/2026",
                recorded_by=coordinator.user,
            )
