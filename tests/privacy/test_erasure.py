"""Erasure by anonymisation (GDPR Art. 17): after it, nothing in the
database names the person, their documents are gone, the figures are as they
were; it takes a second administrator, refuses while open work holds the
record, and a restore of an older backup does not bring the data back."""

import datetime
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, models
from django.urls import reverse
from django_scopes import scopes_disabled

from lotse.accounts.roles import Role
from lotse.cases.models import CaseDocument
from lotse.core.backup import write_backup
from lotse.core.exceptions import NotPermitted, ServiceError
from lotse.core.kpis import Scope
from lotse.core.models import AuditEntry
from lotse.imports import services as imports
from lotse.people.models import Person
from lotse.privacy import services
from lotse.privacy.models import Erasure, ErasureStatus
from lotse.reports import registry

from ..conftest import sign_in
from ..factories import MembershipFactory, PersonFactory, totp_device
from ..imports.helpers import GOOD_ROWS, acting, workbook
from .test_access import _holding_people, _owners

SENTINEL = "Qxzsentinel"


def _seed_sentinels(person: Person, number: int) -> list[str]:
    """Give the person a name, e-mail and phone no one else has, and write a
    marked text into every free-text field of every row the apps list for
    them. Returns the stored files of those rows (storage, name)."""
    mark = f"{SENTINEL}{number}"
    Person.objects.filter(pk=person.pk).update(
        given_name=f"{mark}given",
        family_name=f"{mark}family",
        email=f"{mark.lower()}@example.org",
        phone=f"+49 170 {number:07d}",
    )
    files = []
    for section in services.collect(Person.objects.get(pk=person.pk)):
        for row in section.entries:
            model = apps.get_model(row.model)
            values = {}
            for model_field in model._meta.concrete_fields:
                if isinstance(model_field, models.FileField):
                    stored = getattr(model.objects.get(pk=row.pk), model_field.name)
                    if stored and stored.storage.exists(stored.name):
                        files.append((stored.storage, stored.name))
                elif (
                    isinstance(model_field, models.CharField | models.TextField)
                    and not model_field.choices
                    and model_field.name not in {"email", "phone"}
                ):
                    text = f"{mark}x{row.pk}"
                    if model_field.max_length is None or model_field.max_length >= len(text):
                        values[model_field.name] = text
            if values:
                model.objects.filter(pk=row.pk).update(**values)
    return files


def _found_anywhere(needles: list[str]) -> list[tuple[str, str]]:
    """(table, needle) for every needle in any column of any table."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            text = "\n".join(str(row) for row in cursor.fetchall()).lower()
            found += [(table, needle) for needle in needles if needle.lower() in text]
    return found


def _figures(organisation_id: int) -> dict[str, str]:
    scope = Scope(
        organisation_id=organisation_id,
        start=datetime.date(2020, 1, 1),
        end=datetime.date.today() + datetime.timedelta(days=366),
    )
    return {kpi.code: repr(registry.value(kpi, scope)) for kpi in registry.kpis()}


def test_after_erasure_nothing_in_the_database_names_the_person_and_the_figures_stand(
    world, django_capture_on_commit_callbacks
):
    # The demo and the test world hold every kind of record: erase an owner of
    # one row of each kind, so every app's anonymisation runs on real rows.
    call_command("demo", verbosity=0)
    holding = _holding_people()
    with scopes_disabled():
        chosen: dict[int, Person] = {}
        for label in sorted(holding):
            row = apps.get_model(label).objects.order_by("pk").last()
            for owner in _owners(row, holding):
                chosen.setdefault(owner.pk, owner)
        document = CaseDocument(
            organisation=world.org_a, case=world.case_a, title="Lebenslauf", uploaded_by=world.cora
        )
        document.file.save("lebenslauf.pdf", ContentFile(b"%PDF-1.4"), save=True)
        chosen.setdefault(world.case_a.client_id, world.case_a.client)

        files = []
        for number, person in enumerate(chosen.values(), start=1):
            files += _seed_sentinels(person, number)
        needles = [SENTINEL, "+49 170 000"]
        seeded = {table for table, _n in _found_anywhere([SENTINEL])}
        assert "people_person" in seeded
        assert len(files) >= 2
        organisations = {person.organisation_id for person in chosen.values()}
        before = {pk: _figures(pk) for pk in organisations}

        with django_capture_on_commit_callbacks(execute=True):
            for person in chosen.values():
                current = Person.objects.get(pk=person.pk)
                services.anonymise(actor=None, person=current, reason="request")

        assert _found_anywhere(needles) == []
        assert not [name for storage, name in files if storage.exists(name)]
        assert {pk: _figures(pk) for pk in organisations} == before
        for person in Person.objects.filter(pk__in=chosen):
            assert person.anonymised_at is not None
            assert str(person.pk) in person.full_name


def test_an_import_keeps_neither_the_file_nor_the_replaced_values_of_an_erased_person(
    world, django_capture_on_commit_callbacks
):
    existing = PersonFactory(
        organisation=world.org_a,
        site=world.site_a1,
        given_name="Samira",
        family_name="Darwish",
        birth_date=datetime.date(1990, 2, 1),
        municipality="Pforzheimsentinel",
    )
    run = imports.start_import(
        actor=acting(world.alice),
        organisation=world.org_a,
        site=world.site_a1,
        file_name="Teilnehmende.xlsx",
        data=workbook(GOOD_ROWS[:1]),
    )
    run = imports.set_columns(
        actor=acting(world.alice),
        run=run,
        version=run.version,
        header_row=run.header_row,
        mapping=run.mapping,
        role="",
        status="interested",
        match_key="name_birth_date",
        on_duplicate="update",
    )
    done = imports.run_import(actor=acting(world.alice), run=run, version=run.version)
    assert done.updated == 1
    stored = done.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.anonymise(actor=None, person=Person.objects.get(pk=existing.pk), reason="request")

    assert _found_anywhere(["Pforzheimsentinel", "samira@example.org", "Darwish"]) == []
    assert not done.file.storage.exists(stored)
    done.refresh_from_db()
    assert done.updated == 1  # the import's counts stay


def _second_administrator(world):
    admin = MembershipFactory(
        organisation=world.org_a,
        role=Role.ADMINISTRATOR,
        user__email="adrian@alpha.example",
        user__full_name="Adrian Zweitadmin",
    ).user
    totp_device(admin)
    return acting(admin)


def test_a_second_administrator_confirms_and_the_audit_entry_names_no_one(
    world, django_capture_on_commit_callbacks
):
    person = PersonFactory(organisation=world.org_a, site=world.site_a1, family_name="Ostrowski")
    erasure = services.request_erasure(actor=acting(world.ada), person=person, reason="request")
    assert Person.objects.get(pk=person.pk).family_name == "Ostrowski"  # nothing removed yet

    with pytest.raises(NotPermitted):
        services.confirm_erasure(actor=acting(world.ada), erasure=erasure)
    for user in (world.alice, world.cora, world.vera, world.dave):
        with pytest.raises(NotPermitted):
            services.confirm_erasure(actor=acting(user), erasure=erasure)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.confirm_erasure(actor=_second_administrator(world), erasure=erasure)

    assert (done.status, done.decided_by.full_name) == (ErasureStatus.DONE, "Adrian Zweitadmin")
    erased = Person.objects.get(pk=person.pk)
    assert erased.anonymised_at and erased.family_name == ""
    entry = AuditEntry.objects.get(action="lotse.privacy.person_anonymised")
    assert entry.target_id == str(person.pk)
    assert "Ostrowski" not in json.dumps(
        {field.name: str(getattr(entry, field.attname)) for field in entry._meta.concrete_fields}
    )
    # The tombstone outside the database: the number, never a name.
    line = settings.LOTSE_ERASURE_LOG.read_text().splitlines()[-1]
    assert json.loads(line)["person"] == person.pk and "Ostrowski" not in line
    # Done is done: neither a second confirmation nor a new request.
    with pytest.raises(ServiceError):
        services.confirm_erasure(actor=_second_administrator_again(world), erasure=erasure)
    with pytest.raises(ServiceError):
        services.request_erasure(actor=acting(world.ada), person=erased, reason="request")


def _second_administrator_again(world):
    from lotse.accounts.models import User

    return acting(User.objects.get(email="adrian@alpha.example"))


def test_only_administrators_ask_for_an_erasure_and_they_may_cancel_it(world):
    person = PersonFactory(organisation=world.org_a, site=world.site_a1)
    for user in (world.alice, world.cora, world.vera, world.dave):
        with pytest.raises(NotPermitted):
            services.request_erasure(actor=acting(user), person=person, reason="request")
    with pytest.raises(ServiceError):
        services.request_erasure(actor=acting(world.ada), person=person, reason="whim")
    # Person A2 has one waiting already.
    with pytest.raises(ServiceError, match="wartet bereits"):
        services.request_erasure(actor=acting(world.ada), person=world.person_a2, reason="request")

    services.cancel_erasure(actor=acting(world.ada), erasure=world.erasure_a)
    world.erasure_a.refresh_from_db()
    assert world.erasure_a.status == ErasureStatus.CANCELLED
    assert Person.objects.get(pk=world.person_a2.pk).anonymised_at is None


def test_open_work_holds_the_record_until_it_ends(world):
    # The client of an open case, the mentee of an active enrolment.
    for person in (world.case_a.client, world.person_a1):
        reasons = services.holds(person)
        assert reasons, person.pk
        with pytest.raises(ServiceError) as refused:
            services.request_erasure(actor=acting(world.ada), person=person, reason="request")
        assert reasons[0] in refused.value.message
    assert not Erasure.objects.filter(person=world.case_a.client).exists()

    # The same for many people at once, one grouped query per app.
    free = PersonFactory(organisation=world.org_a, site=world.site_a1)
    held = services.held(Person.objects.filter(organisation=world.org_a))
    assert {world.case_a.client_id, world.person_a1.pk} <= held
    assert free.pk not in held
    assert held == {
        person.pk
        for person in Person.objects.filter(organisation=world.org_a)
        if services.holds(person)
    }


def test_the_erasure_pages_ask_and_a_second_administrator_confirms(world, client):
    person = PersonFactory(organisation=world.org_a, site=world.site_a1, family_name="Ostrowski")
    sign_in(client, world.ada)
    url = reverse("privacy:erasure_request", args=[person.pk])
    page = client.post(url, {"reason": "request"})
    assert page.status_code == 200
    assert "understood" in page.context["form"].errors
    assert not Erasure.objects.filter(person=person).exists()
    client.post(url, {"reason": "request", "understood": "on"})
    erasure = Erasure.objects.get(person=person, status=ErasureStatus.REQUESTED)

    # The one who asked sees the request without a button to confirm it, and
    # a confirmation sent anyway is refused.
    overview = client.get(reverse("privacy:overview")).content.decode()
    assert "Ostrowski" in overview
    assert "Eine andere Person mit Administrationsrechten bestätigt." in overview
    decide = reverse("privacy:erasure_decide", args=[erasure.pk])
    client.post(decide, {"decision": "confirm"})
    assert Person.objects.get(pk=person.pk).family_name == "Ostrowski"

    client.logout()
    sign_in(client, _second_administrator(world))
    assert "Ostrowski" in client.get(reverse("privacy:overview")).content.decode()
    client.post(decide, {"decision": "confirm"})
    assert Person.objects.get(pk=person.pk).anonymised_at is not None
    overview = client.get(reverse("privacy:overview")).content.decode()
    assert "Ostrowski" not in overview and f"Nr. {person.pk}" in overview


def test_a_restore_of_an_older_backup_applies_the_erasure_again(transactional_db, world, tmp_path):
    archive = tmp_path / "before.zip"
    write_backup(archive)
    person = world.person_b1
    services.anonymise(actor=None, person=person, reason="request")  # commits: tombstone written
    assert [entry["person"] for entry in services.tombstones()][-1] == person.pk

    database = tmp_path / "restored.sqlite3"
    documents = tmp_path / "documents"
    documents.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lotse.settings",
        "SECRET_KEY": "erasure-test-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{database}",
        "LOTSE_DATA_DIR": str(tmp_path),
        "LOTSE_DOCUMENTS_DIR": str(documents),
        "LOTSE_ERASURE_LOG": str(settings.LOTSE_ERASURE_LOG),
    }
    result = subprocess.run(
        [sys.executable, "-m", "lotse", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]

    with sqlite3.connect(database) as restored:
        row = restored.execute(
            "SELECT given_name, family_name, anonymised_at FROM people_person WHERE id = ?",
            (person.pk,),
        ).fetchone()
        replayed = restored.execute(
            "SELECT count(*) FROM core_auditentry WHERE action = 'lotse.privacy.erasure_replayed'"
        ).fetchone()
    assert row[:2] == ("", "") and row[2] is not None
    assert replayed == (1,)
