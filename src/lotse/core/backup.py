"""Backup and restore of a whole installation (SECURITY.md G1).

A backup is one ZIP archive:

- `manifest.json`: format, Lotse and Django versions, the database it came
  from, the migrations applied, and per table the number of rows and a
  checksum of their values; per document its size and SHA-256; a summary of
  the settings (no secrets).
- `data/<app>.<model>/<n>.json`: the rows of each table in primary-key order,
  10,000 to a part, as JSON values of the model's columns. The format does not
  depend on the database: a backup of SQLite restores on PostgreSQL and back.
- `documents/…`: the uploaded documents, under their stored names.

The rows are read from one consistent snapshot while Lotse keeps running: on
PostgreSQL a read-only REPEATABLE READ transaction, on SQLite (WAL mode) a
read transaction. Restoring needs a database without organisations or
users: it creates the tables as they were when the backup was written, loads
every row in one transaction, checks each table's count and checksum against
the manifest (any difference and nothing is kept), puts the documents back,
and then applies the migrations this version of Lotse has on top.

Sign-ins (sessions) are not backed up: after a restore everyone signs in again.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import time
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

import django
from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.graph import MigrationGraph
from django.dispatch import Signal
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit

FORMAT = "lotse-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ROWS_PER_PART = 10_000
READ_CHUNK = 2_000
# Sign-ins end with a restore; nothing else is left out.
SKIPPED = frozenset({"sessions.session"})

BACKUP_WRITTEN = audit.register_action("lotse.backup.written", gettext_lazy("Backup written"))
BACKUP_RESTORED = audit.register_action("lotse.backup.restored", gettext_lazy("Backup restored"))

Node = tuple[str, str]
Report = Callable[[str], None]


class BackupError(Exception):
    """A backup could not be written or restored; the message says why."""


@dataclass
class Summary:
    tables: int = 0
    rows: int = 0
    documents: int = 0
    document_bytes: int = 0
    seconds: float = 0.0
    manifest: dict[str, Any] = field(default_factory=dict)


# --- Values ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A column value as JSON: what json cannot write itself."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"No backup format for {type(value).__name__}")


def _row_json(row: Iterable[Any]) -> str:
    # Keys sorted: PostgreSQL's jsonb does not keep the order a dict was written in.
    return json.dumps(list(row), default=_plain, sort_keys=True, ensure_ascii=False)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


def _rows(model: type[models.Model], alias: str) -> Iterator[tuple[Any, ...]]:
    attnames = [f.attname for f in _fields(model)]
    return (
        model._base_manager.using(alias)
        .order_by("pk")
        .values_list(*attnames)
        .iterator(chunk_size=READ_CHUNK)
    )


class _Checksum:
    def __init__(self) -> None:
        self.rows = 0
        self._hash = hashlib.sha256()

    def add(self, row: Iterable[Any]) -> None:
        self.rows += 1
        self._hash.update(_row_json(row).encode())
        self._hash.update(b"\n")

    @property
    def hexdigest(self) -> str:
        return self._hash.hexdigest()


# --- Migrations --------------------------------------------------------------


def _leaves(graph: MigrationGraph, nodes: set[Node]) -> list[Node]:
    """The last of `nodes` in each app: migrating to these applies exactly `nodes`."""
    return sorted(
        node
        for node in nodes
        if not any(
            child.key in nodes and child.key[0] == node[0]
            for child in graph.node_map[node].children
        )
    )


def _applied(executor: MigrationExecutor) -> set[Node]:
    return set(executor.loader.applied_migrations)


def _backed_up_models(apps: Any) -> list[type[models.Model]]:
    return sorted(
        (
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label_lower not in SKIPPED
        ),
        key=lambda model: model._meta.label_lower,
    )


# --- Writing -----------------------------------------------------------------


class _Snapshot:
    """Reads of `alias` inside it see one consistent state of the database.

    PostgreSQL: a read-only REPEATABLE READ transaction. SQLite: a deferred
    read transaction; in WAL mode it keeps its snapshot while others write
    (the configured IMMEDIATE mode would make every writer wait for it).
    Inside a caller's transaction, that transaction decides."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self._open = False

    def __enter__(self) -> _Snapshot:
        connection = connections[self.alias]
        if connection.in_atomic_block:
            return self
        connection.ensure_connection()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                connection.set_autocommit(False)
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            else:
                cursor.execute("BEGIN DEFERRED")
        self._open = True
        return self

    def __exit__(self, *exc: Any) -> None:
        if not self._open:
            return
        connection = connections[self.alias]
        if connection.vendor == "postgresql":
            connection.rollback()
            connection.set_autocommit(True)
        else:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")


def _documents_dir() -> Path:
    return Path(storages["documents"].location)


def _settings_summary(vendor: str) -> dict[str, Any]:
    return {
        "database": vendor,
        "language_code": settings.LANGUAGE_CODE,
        "time_zone": settings.TIME_ZONE,
        "base_url": settings.LOTSE_BASE_URL,
        "installed_apps": list(settings.INSTALLED_APPS),
        "statistics_threshold": getattr(settings, "LOTSE_STATISTICS_THRESHOLD", None),
    }


def _lotse_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lotse")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


AGE_HEADER = b"age-encryption.org/v1"


def recipients(keys: list[str]) -> list[Any]:
    """age public keys (age1…) to encrypt backups to; BackupError for a typo."""
    from pyrage import RecipientError, x25519

    try:
        return [x25519.Recipient.from_str(key.strip()) for key in keys if key.strip()]
    except RecipientError as error:
        raise BackupError(_("This is not an age public key (age1…).")) from error


def is_encrypted(path: Path) -> bool:
    with Path(path).open("rb") as handle:
        return handle.read(len(AGE_HEADER)) == AGE_HEADER


def decrypted(path: Path, identity_file: Path, target: Path) -> Path:
    """The archive `path`, decrypted with the age identity in `identity_file`
    (the secret key the administrator keeps away from the server) into `target`."""
    import pyrage
    from pyrage import x25519

    try:
        lines = Path(identity_file).read_text().splitlines()
        identities = [
            x25519.Identity.from_str(line.strip())
            for line in lines
            if line.strip().startswith("AGE-SECRET-KEY-")
        ]
    except (OSError, pyrage.IdentityError) as error:
        raise BackupError(_("The identity file cannot be read.")) from error
    if not identities:
        raise BackupError(_("The identity file holds no age secret key (AGE-SECRET-KEY-…)."))
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        pyrage.decrypt_file(str(path), str(target), identities)
    except pyrage.DecryptError as error:
        Path(target).unlink(missing_ok=True)
        raise BackupError(_("The backup cannot be decrypted with this identity.")) from error
    return Path(target)


def write_backup(
    path: Path,
    *,
    alias: str = "default",
    report: Report | None = None,
    encrypt_to: list[Any] | None = None,
) -> Summary:
    """Write the whole installation into the archive `path` (replaced if it
    exists), encrypted with age to `encrypt_to` if given."""
    started = time.monotonic()
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    summary = Summary()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "lotse": _lotse_version(),
        "django": django.get_version(),
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "tables": {},
        "documents": {},
    }
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with (
            os.fdopen(fd, "wb") as out,
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf,
        ):
            with _Snapshot(alias):
                connection = connections[alias]
                executor = MigrationExecutor(connection)
                applied = _applied(executor)
                manifest["database"] = connection.vendor
                manifest["settings"] = _settings_summary(connection.vendor)
                manifest["migrations"] = _by_app(applied)
                state = executor.loader.project_state(_leaves(executor.loader.graph, applied))
                for model in _backed_up_models(state.apps):
                    _write_table(zf, model, alias, manifest, summary, report)
            _write_documents(zf, manifest, summary, report)
            summary.manifest = manifest
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        if encrypt_to:
            _encrypt(partial, encrypt_to)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _record(BACKUP_WRITTEN, alias)
    summary.seconds = time.monotonic() - started
    return summary


def _encrypt(path: Path, to: list[Any]) -> None:
    """Replace the archive at `path` by its age encryption (the plain archive
    is removed; neither is ever readable by others)."""
    import pyrage

    sealed = path.with_name(path.name + ".age")
    fd = os.open(sealed, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        pyrage.encrypt_file(str(path), str(sealed), to)
        sealed.replace(path)
    finally:
        sealed.unlink(missing_ok=True)


def _by_app(nodes: set[Node]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for app_label, name in sorted(nodes):
        grouped.setdefault(app_label, []).append(name)
    return grouped


def _write_table(
    zf: zipfile.ZipFile,
    model: type[models.Model],
    alias: str,
    manifest: dict[str, Any],
    summary: Summary,
    report: Report | None,
) -> None:
    label = model._meta.label_lower
    columns = [f.attname for f in _fields(model)]
    checksum = _Checksum()
    part: list[tuple[Any, ...]] = []
    parts = 0

    def flush() -> None:
        nonlocal parts, part
        payload = {"table": label, "columns": columns, "rows": part}
        zf.writestr(f"data/{label}/{parts:05d}.json", json.dumps(payload, default=_plain))
        parts += 1
        part = []

    for row in _rows(model, alias):
        checksum.add(row)
        part.append(row)
        if len(part) == ROWS_PER_PART:
            flush()
    if part or not parts:
        flush()
    manifest["tables"][label] = {
        "columns": columns,
        "rows": checksum.rows,
        "parts": parts,
        "sha256": checksum.hexdigest,
    }
    summary.tables += 1
    summary.rows += checksum.rows
    if report and checksum.rows:
        report(f"{label}: {checksum.rows}")


def _write_documents(
    zf: zipfile.ZipFile, manifest: dict[str, Any], summary: Summary, report: Report | None
) -> None:
    root = _documents_dir()
    if not root.is_dir():
        return
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        name = file.relative_to(root).as_posix()
        digest = hashlib.sha256()
        with file.open("rb") as source, zf.open(f"documents/{name}", "w") as target:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                target.write(chunk)
        size = file.stat().st_size
        manifest["documents"][name] = {"size": size, "sha256": digest.hexdigest()}
        summary.documents += 1
        summary.document_bytes += size
    if report and summary.documents:
        report(_("documents: %(count)d") % {"count": summary.documents})


def _record(action: str, alias: str) -> None:
    """One audit entry per organisation: the backup holds all their data."""
    from django_scopes import scopes_disabled

    from .models import Organisation

    with scopes_disabled(), transaction.atomic(using=alias):
        for organisation in Organisation.objects.using(alias).order_by("pk"):
            audit.record(actor=None, organisation=organisation, action=action)


# --- Reading -----------------------------------------------------------------


def _refuse_encrypted(path: Path) -> None:
    try:
        encrypted = is_encrypted(path)
    except OSError:
        return
    if encrypted:
        raise BackupError(
            _("The backup is encrypted: give the age identity file that decrypts it.")
        )


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the archive `path`; BackupError if it is not a Lotse backup."""
    _refuse_encrypted(path)
    try:
        with zipfile.ZipFile(path) as zf:
            return _manifest(zf)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(_("%(path)s is not a Lotse backup.") % {"path": path}) from error


def _manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError(_("The archive has no readable manifest.")) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("The archive is not a Lotse backup."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("This backup has format version %(found)s; this Lotse reads version %(known)s.")
            % {"found": manifest.get("format_version"), "known": FORMAT_VERSION}
        )
    return manifest


def restore_backup(path: Path, *, alias: str = "default", report: Report | None = None) -> Summary:
    """Bring the archive `path` back into the empty database `alias` (decrypt
    an encrypted one first with `decrypted`)."""
    started = time.monotonic()
    _refuse_encrypted(path)
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(_("%(path)s is not a Lotse backup.") % {"path": path}) from error
    with zf:
        manifest = _manifest(zf)
        for name in manifest["documents"]:
            _safe_name(name)
        connection = connections[alias]
        executor = MigrationExecutor(connection)
        graph = executor.loader.graph
        archived = {
            (app_label, name)
            for app_label, names in manifest["migrations"].items()
            for name in names
        }
        unknown = sorted(node for node in archived if node not in graph.nodes)
        if unknown:
            raise BackupError(
                _(
                    "The backup was written by a newer Lotse (migration %(migration)s is "
                    "unknown here). Install that version or a later one and restore again."
                )
                % {"migration": ".".join(unknown[0])}
            )
        applied = _applied(executor)
        if not applied <= archived:
            raise BackupError(
                _(
                    "The database has migrations the backup does not have. Restore into a "
                    "new, empty database: the restore creates the tables itself."
                )
            )
        targets = _leaves(graph, archived)
        state = executor.loader.project_state(targets)
        _check_empty(state.apps, alias)
        if applied != archived:
            if report:
                report(_("Creating the tables as they were when the backup was written …"))
            executor.migrate(targets)
        written = _restore_documents(zf, manifest, report)
        try:
            summary = _restore_tables(zf, manifest, state.apps, alias, report)
        except BaseException:
            for file in written:
                file.unlink(missing_ok=True)
            raise
        summary.documents = len(written)
        summary.document_bytes = sum(d["size"] for d in manifest["documents"].values())
        summary.manifest = manifest
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    if report:
        report(_("Applying this version's migrations …"))
    call_command("migrate", database=alias, interactive=False, verbosity=0)
    _record(BACKUP_RESTORED, alias)
    # Erasures carried out after the backup was written are applied again
    # (the privacy app listens, SECURITY.md G2): no erased person comes back.
    restored.send(sender=None, alias=alias, report=report)
    summary.seconds = time.monotonic() - started
    return summary


# Sent once a restore is complete, with the database `alias` and `report`.
restored = Signal()


def _check_empty(apps: Any, alias: str) -> None:
    """Refuse a database that holds an organisation or a user: a restore replaces
    every table, so it must never meet data someone still needs."""
    tables = set(connections[alias].introspection.table_names())
    for label in ("core.organisation", "accounts.user"):
        model = apps.get_model(label)
        if model._meta.db_table in tables and model._base_manager.using(alias).exists():
            raise BackupError(
                _(
                    "The database is not empty (it holds organisations or users). A restore "
                    "needs a new, empty database."
                )
            )


def _safe_name(name: str) -> PurePosixPath:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(_("The archive holds a document with an unsafe name."))
    return relative


def _restore_documents(
    zf: zipfile.ZipFile, manifest: dict[str, Any], report: Report | None
) -> list[Path]:
    root = _documents_dir()
    written: list[Path] = []
    try:
        for name, expected in sorted(manifest["documents"].items()):
            target = root.joinpath(*_safe_name(name).parts)
            if target.exists():
                raise BackupError(
                    _("The documents folder is not empty: %(name)s exists already.")
                    % {"name": name}
                )
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            digest = hashlib.sha256()
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            written.append(target)
            with zf.open(f"documents/{name}") as source, os.fdopen(fd, "wb") as out:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected["sha256"]:
                raise BackupError(
                    _("The document %(name)s in the archive is damaged.") % {"name": name}
                )
    except KeyError as error:
        for file in written:
            file.unlink(missing_ok=True)
        raise BackupError(_("The archive lacks a document its manifest lists.")) from error
    except BaseException:
        for file in written:
            file.unlink(missing_ok=True)
        raise
    if report and written:
        report(_("documents: %(count)d") % {"count": len(written)})
    return written


def _restore_tables(
    zf: zipfile.ZipFile, manifest: dict[str, Any], apps: Any, alias: str, report: Report | None
) -> Summary:
    connection = connections[alias]
    summary = Summary()
    tables: dict[str, dict[str, Any]] = manifest["tables"]
    models_by_label = {model._meta.label_lower: model for model in _backed_up_models(apps)}
    missing = sorted(set(models_by_label) - set(tables))
    if missing:
        raise BackupError(_("The archive lacks the table %(table)s.") % {"table": missing[0]})
    with transaction.atomic(using=alias):
        # Migrations may have written rows (content types, places): the backup has
        # them as they were, with the primary keys other rows refer to.
        for model in models_by_label.values():
            model._base_manager.using(alias).all()._raw_delete(alias)
        for label, model in models_by_label.items():
            entry = tables[label]
            fields = _fields(model)
            if entry["columns"] != [f.attname for f in fields]:
                raise BackupError(
                    _("The columns of %(table)s in the archive do not match.") % {"table": label}
                )
            rows = 0
            for part in range(entry["parts"]):
                payload = json.loads(zf.read(f"data/{label}/{part:05d}.json"))
                rows += _insert(model, fields, payload["rows"], alias)
            if report and rows:
                report(f"{label}: {rows}")
            summary.tables += 1
            summary.rows += rows
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), list(models_by_label.values())
            ):
                cursor.execute(statement)
        for label, model in models_by_label.items():
            checksum = _Checksum()
            for row in _rows(model, alias):
                checksum.add(row)
            entry = tables[label]
            if (checksum.rows, checksum.hexdigest) != (entry["rows"], entry["sha256"]):
                raise BackupError(
                    _("%(table)s differs from the backup after loading; nothing was restored.")
                    % {"table": label}
                )
    return summary


def _insert(
    model: type[models.Model], fields: list[models.Field], rows: list[list[Any]], alias: str
) -> int:
    objs = []
    for row in rows:
        obj = model()
        for f, value in zip(fields, row, strict=True):
            setattr(obj, f.attname, None if value is None else f.to_python(value))
        objs.append(obj)
    if not objs:
        return 0
    size = max(1, connections[alias].ops.bulk_batch_size(fields, objs))
    queryset = model._base_manager.using(alias)
    for start in range(0, len(objs), size):
        # raw=True: the values as they were, not "now" for auto_now fields.
        queryset._insert(objs[start : start + size], fields=fields, raw=True, using=alias)
    return len(objs)
