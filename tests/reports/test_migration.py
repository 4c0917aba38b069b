"""A testimonial's own consent to publish becomes a consent record of its
author, beside their other consents (reports 0002)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scopes_disabled

from lotse.people.models import Consent
from lotse.reports.models import Testimonial

from ..factories import PersonFactory

BEFORE = [("reports", "0001_initial"), ("people", "0014_person_anonymised_at")]


@pytest.mark.django_db(transaction=True)
def test_the_testimonials_consents_become_consent_records_of_their_authors(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("reports", "Testimonial")
    # Going back put the world's consent onto its testimonial: the same consent.
    assert old.objects.get(pk=world.testimonial_a.pk).consent_given_on == datetime.date(2026, 1, 10)
    given = datetime.date(2025, 4, 1)
    authors = {}
    for name, consent in (
        ("paper", {"consent_given_on": given, "consent_form": "paper"}),
        (
            "withdrawn",
            {
                "consent_given_on": given,
                "consent_form": "oral",
                "consent_withdrawn_on": datetime.date(2025, 9, 1),
            },
        ),
        ("none", {}),
    ):
        authors[name] = PersonFactory(organisation=world.org_a, site=world.site_a1)
        old.objects.create(
            organisation_id=world.org_a.pk,
            person_id=authors[name].pk,
            author_role="mentee",
            text="Text",
            signed_as=name,
            recorded_by_id=world.alice.pk,
            **consent,
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    with scopes_disabled():
        publication = Consent.objects.filter(purpose="publication")
        paper = publication.get(person=authors["paper"])
        assert (paper.given_on, paper.channel, paper.withdrawn_on) == (given, "paper", None)
        assert paper.recorded_by == world.alice
        withdrawn = publication.get(person=authors["withdrawn"])
        assert (withdrawn.channel, withdrawn.withdrawn_on) == ("oral", datetime.date(2025, 9, 1))
        assert not publication.filter(person=authors["none"]).exists()
        # No second record of a consent that was there already.
        assert publication.filter(person=world.testimonial_a.person).count() == 1
        assert set(Testimonial.objects.publishable().values_list("signed_as", flat=True)) == {
            "paper",
            world.testimonial_a.signed_as,
        }
