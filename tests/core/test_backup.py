"""`lotse backup` and `lotse restore`: every record and document comes back, on
SQLite and on PostgreSQL, whichever database the backup was written from."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from pyrage import x25519

from lotse.core.backup import (
    BackupError,
    decrypted,
    read_manifest,
    restore_backup,
    write_backup,
)
from lotse.core.models import AuditEntry, Organisation

POSTGRES = os.environ.get("LOTSE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
SCAN = b"%PDF-1.4\n% a signed certificate\n" + bytes(range(256)) * 40


def _lotse(*args: str, database_url: str, documents: Path, check: bool = True):
    """The installed command against another database and documents folder."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lotse.settings",
        "SECRET_KEY": "backup-test-" + "x" * 40,
        "DATABASE_URL": database_url,
        "LOTSE_DATA_DIR": str(documents.parent),
        "LOTSE_DOCUMENTS_DIR": str(documents),
    }
    result = subprocess.run(
        [sys.executable, "-m", "lotse", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert not check or result.returncode == 0, result.stderr[-4000:]
    return result


@pytest.fixture
def postgres_database():
    """A new, empty PostgreSQL database, dropped afterwards."""
    name = f"lotse_restore_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True)
    except psycopg.OperationalError:
        pytest.skip(f"no PostgreSQL server at {POSTGRES}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rewritten(archive: Path, target: Path, name: str, change) -> Path:
    """A copy of `archive` with the member `name` (JSON) changed by `change`."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == name:
                content = json.loads(data)
                change(content)
                data = json.dumps(content).encode()
            copy.writestr(item, data)
    return target


def _tables(manifest: dict) -> dict:
    return {label: (t["rows"], t["sha256"]) for label, t in manifest["tables"].items()}


@pytest.fixture
def backed_up(transactional_db, world, tmp_path):
    """The test world with one real scan, written to an archive."""
    document = world.case_document_a
    document.file.save("zeugnis.pdf", ContentFile(SCAN), save=True)
    archive = tmp_path / "lotse-backup.zip"
    summary = write_backup(archive)
    return archive, summary, document


def test_the_archive_holds_every_table_its_rows_and_the_documents(backed_up):
    archive, summary, document = backed_up
    manifest = read_manifest(archive)

    assert manifest["database"] == connection.vendor
    assert manifest["tables"]["core.organisation"]["rows"] == Organisation.objects.count() == 2
    assert manifest["tables"]["cases.casedocument"]["rows"] == 1
    assert "sessions.session" not in manifest["tables"]
    # Many-to-many tables are tables of their own.
    assert "accounts.user_groups" in manifest["tables"]
    assert manifest["documents"][document.file.name] == {
        "size": len(SCAN),
        "sha256": hashlib.sha256(SCAN).hexdigest(),
    }
    assert summary.rows == sum(t["rows"] for t in manifest["tables"].values())
    assert manifest["migrations"]["core"][0] == "0001_initial"
    with zipfile.ZipFile(archive) as zf:
        assert zf.read(f"documents/{document.file.name}") == SCAN
        part = json.loads(zf.read("data/core.organisation/00000.json"))
    assert part["columns"][0] == "id"
    assert sorted(row[part["columns"].index("name")] for row in part["rows"]) == sorted(
        Organisation.objects.values_list("name", flat=True)
    )
    # No one else on the machine may read it.
    assert archive.stat().st_mode & 0o077 == 0
    # Writing it is in every organisation's audit log.
    assert AuditEntry.objects.filter(action="lotse.backup.written").count() == 2


def test_restore_brings_everything_back_on_sqlite_and_on_postgresql(
    backed_up, tmp_path, postgres_database
):
    archive, _summary, document = backed_up
    original = read_manifest(archive)
    targets = {
        "sqlite": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        "postgresql": postgres_database,
    }
    for vendor, url in targets.items():
        documents = tmp_path / vendor / "documents"
        documents.mkdir(parents=True)
        restored = _lotse("restore", str(archive), database_url=url, documents=documents)
        assert "restored" in restored.stdout or "wiederhergestellt" in restored.stdout

        # What the restored installation holds, read by a backup of it.
        again = tmp_path / f"{vendor}.zip"
        _lotse("backup", str(again), database_url=url, documents=documents)
        manifest = read_manifest(again)
        assert manifest["database"] == vendor
        before, after = _tables(original), _tables(manifest)
        audit_before, audit_after = before.pop("core.auditentry"), after.pop("core.auditentry")
        assert after == before, vendor
        # The restore itself is in each organisation's audit log.
        assert audit_after[0] == audit_before[0] + 2
        assert manifest["documents"] == original["documents"]
        assert (documents / document.file.name).read_bytes() == SCAN
        assert manifest["migrations"] == original["migrations"]


def test_a_damaged_archive_restores_nothing(backed_up, tmp_path):
    archive, _summary, _document = backed_up

    def change(part):
        part["rows"][0][part["columns"].index("name")] += " (changed)"

    damaged = _rewritten(
        archive, tmp_path / "damaged.zip", "data/core.organisation/00000.json", change
    )
    database = tmp_path / "restored.sqlite3"
    documents = tmp_path / "documents"
    documents.mkdir()

    result = _lotse(
        "restore",
        str(damaged),
        database_url=f"sqlite:///{database}",
        documents=documents,
        check=False,
    )

    assert result.returncode != 0
    assert "core.organisation" in result.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM core_organisation").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM people_person").fetchone() == (0,)
    assert not any(p.is_file() for p in documents.rglob("*"))


def test_restore_refuses_a_database_with_data(backed_up):
    archive, _summary, _document = backed_up

    with pytest.raises(BackupError, match=r"not empty|nicht leer"):
        restore_backup(archive)
    with pytest.raises(CommandError):
        call_command("restore", str(archive))

    assert Organisation.objects.count() == 2


def test_restore_refuses_a_backup_of_a_newer_lotse(backed_up, tmp_path):
    archive, _summary, _document = backed_up
    newer = _rewritten(
        archive,
        tmp_path / "newer.zip",
        "manifest.json",
        lambda manifest: manifest["migrations"]["core"].append("9999_from_the_future"),
    )

    with pytest.raises(BackupError, match="9999_from_the_future"):
        restore_backup(newer)


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04 broken"])
def test_restore_refuses_what_is_not_a_backup(tmp_path, content, db):
    path = tmp_path / "upload.zip"
    path.write_bytes(content)

    with pytest.raises(BackupError):
        restore_backup(path)


def test_restore_refuses_a_document_name_outside_the_folder(backed_up, tmp_path):
    archive, _summary, _document = backed_up
    evil = _rewritten(
        archive,
        tmp_path / "evil.zip",
        "manifest.json",
        lambda manifest: manifest["documents"].update(
            {"../../escaped.pdf": {"size": 1, "sha256": "0"}}
        ),
    )

    with pytest.raises(BackupError, match=r"unsafe|unsicher"):
        restore_backup(evil)


def test_an_encrypted_backup_needs_the_secret_key(backed_up, tmp_path):
    archive, _summary, _document = backed_up
    identity = x25519.Identity.generate()
    sealed = tmp_path / "sealed.zip"

    call_command("backup", str(sealed), recipient=[str(identity.to_public())], verbosity=0)

    assert sealed.read_bytes().startswith(b"age-encryption.org/v1")
    assert sealed.stat().st_mode & 0o077 == 0
    assert not (tmp_path / "sealed.zip.age").exists()
    with pytest.raises(BackupError, match=r"encrypted|verschlüsselt"):
        read_manifest(sealed)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(f"{x25519.Identity.generate()}\n")
    with pytest.raises(BackupError, match=r"cannot be decrypted|nicht entschlüsseln"):
        decrypted(sealed, wrong, tmp_path / "wrong.zip")
    assert not (tmp_path / "wrong.zip").exists()

    key = tmp_path / "backup-key.txt"
    key.write_text(f"# created by age-keygen\n# public key: {identity.to_public()}\n{identity}\n")
    before = _tables(read_manifest(archive))
    after = _tables(read_manifest(decrypted(sealed, key, tmp_path / "plain.zip")))
    before.pop("core.auditentry"), after.pop("core.auditentry")
    assert after == before

    # The command decrypts on the way in.
    documents = tmp_path / "restored" / "documents"
    documents.mkdir(parents=True)
    url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    refused = _lotse("restore", str(sealed), database_url=url, documents=documents, check=False)
    assert refused.returncode != 0
    _lotse("restore", str(sealed), "--identity", str(key), database_url=url, documents=documents)
    with sqlite3.connect(tmp_path / "restored.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM core_organisation").fetchone() == (2,)


def test_a_recipient_that_is_no_age_key_is_refused(transactional_db, tmp_path):
    with pytest.raises(CommandError, match="age"):
        call_command("backup", str(tmp_path / "b.zip"), recipient=["age1typo"], verbosity=0)
    assert not (tmp_path / "b.zip").exists()
