"""The copy of a person's data (GDPR Art. 15): every app's `privacy.py`
takes part, every model that holds a person is covered by one, and the
archive holds each record of the person, readable and as JSON."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from pypdf import PdfReader

from lotse.cases import services as cases
from lotse.cases.models import CaseDocument
from lotse.core import audit
from lotse.core.exceptions import NotPermitted
from lotse.core.models import AuditEntry
from lotse.people import services as people
from lotse.people.models import Person
from lotse.privacy import services

from ..conftest import sign_in
from ..imports.helpers import acting


def _holding_people() -> set[str]:
    """Every model whose rows belong to a person: a foreign key to Person,
    or to a model that does, however many steps away."""
    holding = {Person}
    grown = True
    while grown:
        grown = False
        for model in apps.get_models():
            if model in holding:
                continue
            if any(
                f.is_relation and f.concrete and not f.many_to_many and f.related_model in holding
                for f in model._meta.get_fields()
            ):
                holding.add(model)
                grown = True
    return {model._meta.label for model in holding}


def test_every_model_that_holds_a_person_is_covered_by_a_privacy_module():
    covered: dict[str, str] = {}
    for label, _title, module in services.modules():
        assert callable(module.export), label
        for model in module.MODELS:
            assert model._meta.label not in covered, f"{model._meta.label} covered twice"
            covered[model._meta.label] = label

    missing = _holding_people() - set(covered)
    assert not missing, f"models holding a person without a privacy.py entry: {missing}"
    # And each app covers only its own models.
    assert all(model.split(".")[0] == app for model, app in covered.items())


def _owners(row, holding) -> set[Person]:
    """The people a row belongs to, found by walking its foreign keys: an
    oracle that knows nothing of the privacy modules."""
    if isinstance(row, Person):
        return {row}
    owners: set[Person] = set()
    for f in row._meta.concrete_fields:
        if f.is_relation and f.related_model._meta.label in holding:
            related = getattr(row, f.name)
            if related is not None:
                owners |= _owners(related, holding)
    return owners


def test_each_record_of_the_demo_is_in_the_copy_of_the_person_it_belongs_to(world):
    # The demo and the test world together hold every kind of record.
    call_command("demo", verbosity=0)
    holding = _holding_people()
    exports: dict[int, set[tuple[str, int]]] = {}

    def exported(person: Person) -> set[tuple[str, int]]:
        if person.pk not in exports:
            exports[person.pk] = {
                (row.model, row.pk) for s in services.collect(person) for row in s.entries
            }
        return exports[person.pk]

    with scopes_disabled():
        empty = []
        for label in sorted(holding):
            model = apps.get_model(label)
            rows = model.objects.order_by("?")
            # Anonymous survey responses belong to nobody; those of an evaluation do.
            if label == "surveys.Response":
                rows = rows.filter(evaluation__isnull=False)
            if label == "surveys.Answer":
                rows = rows.filter(response__evaluation__isnull=False)
            sample = list(rows[:3])
            if not sample:
                empty.append(label)
            for row in sample:
                owners = _owners(row, holding)
                assert owners, (label, row.pk)
                for person in owners:
                    assert (label, row.pk) in exported(person), (label, row.pk, person.pk)
        # Every kind of record is there, so the walk above saw each.
        assert empty == []
        apps_seen = {s.app for pk in exports for s in services.collect(Person.objects.get(pk=pk))}
        assert apps_seen == {label for label, _t, module in services.modules() if module.MODELS}


def _archive(world, person):
    with translation.override("de"):
        data = services.access_export(actor=acting(world.ada), person=person)
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_copy_holds_a_readable_summary_the_records_as_json_and_the_documents(world):
    archive = _archive(world, world.person_a1)

    document = json.loads(archive.read("data.json"))
    assert document["format"] == "lotse-access-export/1"
    assert document["person"] == world.person_a1.pk
    people = document["records"]["people"]
    assert people["people.Person"][0]["family_name"] == world.person_a1.family_name
    assert document["records"]["programmes"]["programmes.Enrolment"]
    summary = "".join(page.extract_text() for page in PdfReader(archive.open("summary.pdf")).pages)
    assert f"Kopie der Daten über {world.person_a1.full_name}" in summary
    assert world.person_a1.email in summary
    assert (
        AuditEntry.objects.filter(
            action="lotse.privacy.access_exported", target_id=str(world.person_a1.pk)
        ).count()
        == 1
    )


def test_the_copy_holds_the_clients_documents_and_names_a_lost_file(world):
    client = world.case_a.client
    kept = CaseDocument(
        organisation=world.org_a,
        case=world.case_a,
        title="Lebenslauf",
        content_type="application/pdf",
        uploaded_by=world.cora,
    )
    kept.file.save("lebenslauf.pdf", ContentFile(b"%PDF-1.4 Lebenslauf"), save=True)

    archive = _archive(world, client)

    stored = {
        name.split("/")[1].split("-")[0]: archive.read(name)
        for name in archive.namelist()
        if name.startswith("documents/")
    }
    # The case's document and the evidence of the client's consent.
    assert stored == {
        "cases.CaseDocument": b"%PDF-1.4 Lebenslauf",
        "people.Consent": b"%PDF-1.4 Einwilligung",
    }
    document = json.loads(archive.read("data.json"))
    assert document["missing_documents"] == [
        f"cases.CaseDocument-{world.case_document_a.pk}-missing.pdf"
    ]
    assert len(document["records"]["cases"]["cases.CaseDocument"]) == 2
    summary = "".join(page.extract_text() for page in PdfReader(archive.open("summary.pdf")).pages)
    assert "missing.pdf" in summary


def test_only_administrators_answer_access_requests(world):
    for user in (world.alice, world.cora, world.vera):
        with pytest.raises(NotPermitted):
            services.access_export(actor=acting(user), person=world.person_a1)
    assert not AuditEntry.objects.filter(action="lotse.privacy.access_exported").exists()


def test_an_administrator_sees_who_opened_a_persons_record_and_cases(world, client):
    person = world.case_a.client
    people.record_view(actor=acting(world.alice), person=person)
    cases.record_read(actor=acting(world.ada), case=world.case_a)
    people.record_view(actor=acting(world.alice), person=world.person_a2)  # someone else

    entries = list(services.history(actor=acting(world.ada), person=person, reads_only=True))
    assert [(e.actor, e.action) for e in entries] == [
        (world.ada, "lotse.case.read"),
        (world.alice, "lotse.person.viewed"),
    ]
    assert set(services.READS) <= set(audit.ACTIONS)
    with pytest.raises(NotPermitted):
        services.history(actor=acting(world.alice), person=person)

    sign_in(client, world.ada)
    page = client.get(reverse("privacy:person_history", args=[person.pk]), {"reads": "1"})
    text = page.content.decode()
    assert "Alice Koordinatorin" in text
    assert "2 Einträge" in text
