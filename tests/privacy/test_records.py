"""The field registry (SECURITY.md D1) and the records of processing written
from it (GDPR Art. 30): every field of a model that holds a person has a
category, and the records name each area's purpose, data, recipients, the
organisation's retention periods and the measures switched on."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from lotse.cases.models import SENSITIVE_FIELDS, Intake
from lotse.core.exceptions import NotPermitted
from lotse.core.personal_data import Category, classified, registered_fields
from lotse.people.models import Person
from lotse.privacy import records, services
from lotse.privacy.models import RetentionRule

from ..conftest import sign_in
from ..imports.helpers import acting
from .test_access import _holding_people, _owners


def test_every_field_of_every_model_that_holds_a_person_is_classified():
    for label, _title, module in services.modules():
        for name in ("PURPOSE", "LEGAL_BASIS", "SUBJECTS", "RECIPIENTS"):
            assert str(getattr(module, name)).endswith("."), (label, name)
        assert set(module.FIELDS) == set(module.MODELS), label
        for model, fields in module.FIELDS.items():
            # Neither a field left out nor a name that is no field.
            assert set(fields) == registered_fields(model), model._meta.label
            assert set(fields.values()) <= set(Category.values), model._meta.label


def test_a_field_cannot_be_classified_twice():
    with pytest.raises(ValueError):
        classified(personal=("notes",), special=("notes",))


def test_the_fields_behind_the_sensitive_data_grant_are_special_or_social():
    modules = {label: module for label, _title, module in services.modules()}
    intake = modules["cases"].FIELDS[Intake]
    assert {intake[name] for name in SENSITIVE_FIELDS} <= {Category.SPECIAL, Category.SOCIAL}
    assert intake["health"] == Category.SPECIAL
    assert modules["people"].FIELDS[Person]["sensitive_notes"] == Category.SPECIAL


def test_the_records_are_written_from_the_configuration(world, settings):
    settings.LOTSE_TWO_FACTOR_REQUIRED_ROLES = ["administrator", "caseworker"]
    RetentionRule.objects.create(
        organisation=world.org_a, kind="closed_case", months=60, automatic=True
    )

    found = records.records(actor=acting(world.ada), organisation=world.org_a)

    assert [a.app for a in found.activities] == [label for label, _t, _m in services.modules()]
    cases = next(a for a in found.activities if a.app == "cases")
    categories = dict(cases.categories)
    assert "Gesundheit" in ", ".join(categories[str(Category.SPECIAL.label)])
    assert "Aufenthalt" in ", ".join(categories[str(Category.SOCIAL.label)])
    # Record keeping is not listed field by field.
    assert str(Category.RECORD.label) not in categories
    # The institution the client consented to share with; B's are not there.
    assert found.partners == [world.consent_a.institution.name]
    periods = {period.kind: (period.months, period.automatic) for period in found.periods}
    assert periods == {
        "closed_case": (60, True),
        "never_enrolled": (12, False),
        "withdrawn_volunteer": (24, False),
    }
    assert any("Administrator:in, Fallmanager:in" in text for text in found.measures)

    # Once the consent is withdrawn, the institution receives nothing any more.
    world.consent_a.withdrawn_on = world.consent_a.given_on
    world.consent_a.save(update_fields=["withdrawn_on"])
    assert records.records(actor=acting(world.ada), organisation=world.org_a).partners == []


def test_only_administrators_read_the_records(world):
    for user in (world.alice, world.cora, world.vera):
        with pytest.raises(NotPermitted):
            records.records(actor=acting(user), organisation=world.org_a)
    with pytest.raises(NotPermitted):
        records.records(actor=acting(world.dave), organisation=world.org_a)


def test_the_records_page_and_its_pdf(world, client):
    sign_in(client, world.ada)
    url = reverse("privacy:records")

    page = client.get(url).content.decode()
    assert "Verzeichnis von Verarbeitungstätigkeiten" in page
    assert world.consent_a.institution.name in page

    response = client.get(url, {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Verzeichnis von Verarbeitungstätigkeiten" in text
    assert world.org_a.name in text
    assert "Fallmanagement" in text and "Gesundheit" in text


def test_every_field_the_registry_marks_as_personal_is_in_the_copy_of_the_data(world):
    """SECURITY.md D3: the access copy holds each personal, special and social
    field of each kind of record (the demo and the world hold every kind)."""
    call_command("demo", verbosity=0)
    holding = _holding_people()
    fields = {
        model._meta.label: (model, found)
        for _label, _title, module in services.modules()
        for model, found in module.FIELDS.items()
    }
    for label, (model, found) in sorted(fields.items()):
        row = model.objects.order_by("pk").last()
        owner = sorted(_owners(row, holding), key=lambda person: person.pk)[0]
        copied = next(
            entry
            for section in services.collect(owner)
            for entry in section.entries
            if (entry.model, entry.pk) == (label, row.pk)
        )
        names = {value.name for value in copied.values}
        wanted = {
            model._meta.get_field(name).attname if model._meta.get_field(name).many_to_one
            else name
            for name, category in found.items()
            if category != Category.RECORD
        }  # fmt: skip
        assert wanted <= names, (label, wanted - names)
