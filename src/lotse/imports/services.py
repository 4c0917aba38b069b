"""Use cases of an import: upload a file, choose its columns, preview what
would happen row by row, import it all or nothing, and undo it."""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lotse.accounts.models import User
from lotse.accounts.roles import IMPORT_DATA
from lotse.core import audit
from lotse.core.exceptions import Conflict, ServiceError
from lotse.core.models import Organisation, Site
from lotse.core.permissions import actor_membership, check_sites
from lotse.people import services as people
from lotse.people.models import Person, PersonRole

from . import people as columns
from . import reading, records, values
from .catalogue import Catalogue, Preview, RowPlan
from .models import ImportKind, ImportRun, ImportStatus, MatchKey, OnDuplicate, SavedMapping

IMPORT_UPLOADED = audit.register_action(
    "lotse.import.uploaded", gettext_lazy("Import file uploaded")
)
IMPORT_DONE = audit.register_action("lotse.import.done", gettext_lazy("Import carried out"))
IMPORT_UNDONE = audit.register_action("lotse.import.undone", gettext_lazy("Import undone"))

Progress = Callable[[int], None]
# Rows written per step: the progress is reported after each.
CHUNK = 1000


def _membership(actor: User, organisation_id: int):
    return actor_membership(
        actor, organisation_id, IMPORT_DATA, _("You may not import into this organisation.")
    )


def catalogue_of(kind: str) -> Catalogue:
    return columns.CATALOGUE if kind == ImportKind.PEOPLE else records.KINDS[kind].catalogue


def duplicate_choices(kind: str) -> list[tuple[str, str]]:
    """What may be done with a record that is there already."""
    if kind == ImportKind.PEOPLE:
        return list(OnDuplicate.choices)
    allowed = records.KINDS[kind].on_duplicate
    return [(value, label) for value, label in OnDuplicate.choices if value in allowed]


def _check_site(membership, site: Site) -> None:
    check_sites(membership, [site.pk], _("You may not record people at this site."))
    if site.organisation_id != membership.organisation_id:
        raise ServiceError(_("The site belongs to another organisation."))


# --- Upload and columns ----------------------------------------------------------


def start_import(
    *,
    actor: User,
    organisation: Organisation,
    site: Site,
    file_name: str,
    data: bytes,
    kind: str = ImportKind.PEOPLE,
) -> ImportRun:
    """Keep the uploaded file and guess its sheet, heading row and columns."""
    if kind not in ImportKind.values:
        raise ServiceError(_("Choose what the file holds."))
    membership = _membership(actor, organisation.pk)
    _check_site(membership, site)
    try:
        sheets = reading.read(data)
    except reading.Unusable as error:
        raise ServiceError(str(error)) from error
    sheet = next((s for s in sheets if any(s.rows)), sheets[0])
    with transaction.atomic():
        run = ImportRun(
            organisation=organisation,
            site=site,
            kind=kind,
            file_name=file_name[-200:] or "import",
            created_by=actor,
        )
        suffix = (
            (".ods" if b"opendocument.spreadsheet" in data[:200] else ".xlsx")
            if data.startswith(b"PK")
            else ".csv"
        )
        run.file.save(f"import{suffix}", ContentFile(data), save=False)
        _remember(run.file.name, sheets)
        _choose_sheet(run, sheet)
        run.save()
        audit.record(actor=actor, organisation=organisation, action=IMPORT_UPLOADED, target=run)
    return run


def _choose_sheet(run: ImportRun, sheet: reading.Sheet) -> None:
    run.sheet = sheet.name
    catalogue = catalogue_of(run.kind)
    header = reading.header_row(sheet.rows, catalogue.known_heading)
    run.header_row = header + 1
    saved = _saved_columns(run)
    run.mapping = catalogue.suggest(_headings(sheet, run.header_row), saved)


def _saved_columns(run: ImportRun) -> dict[str, str]:
    """The saved mappings of the organisation, newest last, as one lookup."""
    merged: dict[str, str] = {}
    for mapping in SavedMapping.objects.filter(
        organisation_id=run.organisation_id, kind=run.kind
    ).order_by("created_at"):
        merged.update(mapping.columns)
    return merged


# The sheets of the files read last, by stored name (a file never changes
# under its random name): the wizard's steps and the import read a file once.
_READ: OrderedDict[str, list[reading.Sheet]] = OrderedDict()
_READ_KEPT = 4


def _remember(name: str, sheets: list[reading.Sheet]) -> list[reading.Sheet]:
    _READ[name] = sheets
    _READ.move_to_end(name)
    while len(_READ) > _READ_KEPT:
        _READ.popitem(last=False)
    return sheets


def forget_file(name: str) -> None:
    """Drop a file's rows from the memory of read files (its erasure)."""
    _READ.pop(name, None)


def sheets_of(run: ImportRun) -> list[reading.Sheet]:
    sheets = _READ.get(run.file.name)
    if sheets is not None:
        return sheets
    with run.file.open("rb") as handle:
        data = handle.read()
    return _remember(run.file.name, reading.read(data))


def sheet_of(run: ImportRun) -> reading.Sheet:
    sheets = sheets_of(run)
    return next((s for s in sheets if s.name == run.sheet), sheets[0])


def _headings(sheet: reading.Sheet, header_row: int) -> list[str]:
    row = sheet.rows[header_row - 1] if 0 < header_row <= len(sheet.rows) else []
    width = sheet.width
    return [values.text(row[i]) if i < len(row) else "" for i in range(width)]


def headings_of(run: ImportRun, sheet: reading.Sheet | None = None) -> list[str]:
    return _headings(sheet or sheet_of(run), run.header_row)


def _locked(run: ImportRun, version: int) -> ImportRun:
    """The run, locked for this transaction, as the user last saw it; Conflict if not."""
    current = ImportRun.objects.select_for_update().get(pk=run.pk)
    if current.version != version:
        raise Conflict(
            _("Someone else changed this import in the meantime. Look at it again, please.")
        )
    return current


def _draft(actor: User, run: ImportRun, version: int) -> ImportRun:
    _membership(actor, run.organisation_id)
    current = _locked(run, version)
    if current.status != ImportStatus.DRAFT:
        raise ServiceError(_("This file has been imported already."))
    return current


def change_sheet(*, actor: User, run: ImportRun, version: int, sheet: str) -> ImportRun:
    with transaction.atomic():
        current = _draft(actor, run, version)
        chosen = next((s for s in sheets_of(current) if s.name == sheet), None)
        if chosen is None:
            raise ServiceError(_("The file has no sheet of this name."))
        _choose_sheet(current, chosen)
        current.version += 1
        current.save()
    return current


def change_header_row(*, actor: User, run: ImportRun, version: int, header_row: int) -> ImportRun:
    """Read the headings from another row, and suggest the columns for them anew."""
    with transaction.atomic():
        current = _draft(actor, run, version)
        sheet = sheet_of(current)
        if not 1 <= header_row <= len(sheet.rows):
            raise ServiceError(_("The row of the column headings is not in the sheet."))
        current.header_row = header_row
        current.mapping = catalogue_of(current.kind).suggest(
            _headings(sheet, header_row), _saved_columns(current)
        )
        current.version += 1
        current.save()
    return current


def set_columns(
    *,
    actor: User,
    run: ImportRun,
    version: int,
    header_row: int,
    mapping: dict[str, str],
    role: str,
    status: str,
    match_key: str,
    on_duplicate: str,
    save_as: str = "",
) -> ImportRun:
    """Which column holds what, and how to treat records that are there already."""
    catalogue = catalogue_of(run.kind)
    unknown = {code for code in mapping.values() if code and code not in catalogue.by_code}
    if unknown:
        raise ServiceError(_("Choose the fields from the list."))
    chosen = [code for code in mapping.values() if code]
    if len(chosen) != len(set(chosen)):
        raise ServiceError(_("Each field can come from one column only."))
    if on_duplicate not in dict(duplicate_choices(run.kind)):
        raise ServiceError(_("Choose what to do with records that are there already."))
    if run.kind == ImportKind.PEOPLE:
        _check_people_columns(chosen, role, match_key)
    else:
        missing = [
            str(catalogue.by_code[code].label)
            for code in records.KINDS[run.kind].required
            if code not in chosen
        ]
        if missing:
            raise ServiceError(
                _("Choose the columns with: %(fields)s.") % {"fields": ", ".join(missing)}
            )
        role = status = ""
        match_key = MatchKey.NAME_BIRTH_DATE
    with transaction.atomic():
        current = _draft(actor, run, version)
        sheet = sheet_of(current)
        if not 1 <= header_row <= len(sheet.rows):
            raise ServiceError(_("The row of the column headings is not in the sheet."))
        current.header_row = header_row
        current.mapping = {column: code for column, code in mapping.items() if code}
        current.role, current.status_in_pool = role, status
        current.match_key, current.on_duplicate = match_key, on_duplicate
        current.version += 1
        current.save()
        if save_as.strip():
            headings = headings_of(current, sheet)
            saved = {
                values.key(headings[int(column)]): code
                for column, code in current.mapping.items()
                if int(column) < len(headings) and headings[int(column)]
            }
            SavedMapping.objects.update_or_create(
                organisation_id=current.organisation_id,
                kind=current.kind,
                name=save_as.strip()[:100],
                defaults={"columns": saved, "created_by": actor},
            )
    return current


def _check_people_columns(chosen: list[str], role: str, match_key: str) -> None:
    if not {"given_name", "family_name"} <= set(chosen):
        raise ServiceError(_("Choose the columns with the given name and the family name."))
    if not role and "role" not in chosen:
        raise ServiceError(
            _("Choose the column with the role in the pool, or one role for the whole file.")
        )
    if match_key == MatchKey.EXTERNAL_ID and "external_id" not in chosen:
        raise ServiceError(_("To recognise people by their own number, choose its column."))
    if match_key == MatchKey.EMAIL and "email" not in chosen:
        raise ServiceError(_("To recognise people by e-mail, choose the e-mail column."))
    if match_key == MatchKey.NAME_BIRTH_DATE and "birth_date" not in chosen:
        raise ServiceError(
            _("To recognise people by name and date of birth, choose the date of birth column.")
        )


# --- Preview -------------------------------------------------------------------


def _name_key(given: str, family: str, birth_date: datetime.date | None) -> tuple:
    return (values.key(given), values.key(family), birth_date)


class _Pool:
    """The organisation's people, looked up by the pool's duplicate rules
    without one query per row."""

    def __init__(self, organisation_id: int) -> None:
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[tuple, Person] = {}
        self.by_phone: dict[str, Person] = {}
        self.by_number: dict[str, Person] = {}
        people_ = Person.objects.filter(organisation_id=organisation_id).only(
            "pk", "given_name", "family_name", "birth_date", "email", "phone", "external_id",
            "site_id", "version",
        )  # fmt: skip
        for person in people_.order_by("pk").iterator(chunk_size=5000):
            if person.external_id:
                self.by_number.setdefault(person.external_id, person)
            if person.email:
                self.by_email.setdefault(person.email.lower(), person)
            if person.birth_date:
                key = _name_key(person.given_name, person.family_name, person.birth_date)
                self.by_name.setdefault(key, person)
            if person.phone:
                self.by_phone.setdefault(person.phone, person)

    def find(self, row: columns.Row, match_key: str) -> tuple[Person | None, list[Person]]:
        v = row.values
        by_email = self.by_email.get(v.get("email", ""))
        by_name = (
            self.by_name.get(_name_key(v["given_name"], v["family_name"], v["birth_date"]))
            if v.get("birth_date") and v.get("given_name") and v.get("family_name")
            else None
        )
        by_phone = self.by_phone.get(v.get("phone", ""))
        by_number = self.by_number.get(v.get("external_id", ""))
        match = {MatchKey.EMAIL: by_email, MatchKey.EXTERNAL_ID: by_number}.get(match_key, by_name)
        possible = []
        for person in (by_number, by_email, by_name, by_phone):
            if person is not None and person != match and person not in possible:
                possible.append(person)
        return match, possible


def preview(run: ImportRun, membership: Any, choices: dict[int, str] | None = None) -> Preview:
    """What the import would do with each row, and everything wrong with it.
    Reads the file again; writes nothing. People of sites `membership` does
    not cover are neither named nor updated."""
    try:
        sheet = sheet_of(run)
    except reading.Unusable as error:
        raise ServiceError(str(error)) from error
    headings = _headings(sheet, run.header_row)
    if run.kind != ImportKind.PEOPLE:
        return records.preview(records.KINDS[run.kind], run, sheet, headings, choices)
    pool = _Pool(run.organisation_id)
    mapping = run.mapped
    result = Preview(headings=headings, plans=[])
    seen: dict[tuple, int] = {}
    choices = choices or {}
    for offset, cells in enumerate(sheet.rows[run.header_row :]):
        number = run.header_row + offset + 1
        if reading.is_empty(cells):
            result.empty_rows += 1
            continue
        row = columns.read_row(
            number,
            cells,
            mapping,
            headings,
            default_role=run.role,
            default_status=run.status_in_pool,
        )
        plan = RowPlan(row=row)
        if not row.errors:
            plan.match, plan.possible = pool.find(row, run.match_key)
            if plan.match is not None and not _sees(membership, plan.match):
                row.problems.append(
                    columns.Problem(
                        number,
                        "",
                        _("This person is recorded at a site you do not see: a colleague "
                          "there can update the record."),
                        _("only people of your sites"),
                    )
                )  # fmt: skip
                plan.match = None
            same = _file_key(row, run.match_key)
            if same is not None:
                if same in seen:
                    plan.repeats = seen[same]
                    row.problems.append(
                        columns.Problem(
                            number,
                            "",
                            _("The same person as in row %(row)d.") % {"row": seen[same]},
                            _("each person once in the file"),
                        )
                    )
                else:
                    seen[same] = number
            for person in plan.possible:
                name = (
                    person.full_name
                    if _sees(membership, person)
                    else _("someone at a site you do not see")
                )
                row.problems.append(
                    columns.Problem(
                        number,
                        "",
                        _("Possibly the same person as %(name)s (same own number, e-mail, "
                          "phone, or name and date of birth).") % {"name": name},
                        error=False,
                    )
                )  # fmt: skip
            if plan.match is not None:
                plan.choice = choices.get(number, run.on_duplicate)
        result.plans.append(plan)
    result.rows = len(result.plans)
    return result


def _sees(membership: Any, person: Person) -> bool:
    return membership.all_sites or person.site_id in membership.site_ids


def _file_key(row: columns.Row, match_key: str) -> tuple | None:
    v = row.values
    if match_key == MatchKey.EXTERNAL_ID:
        return ("number", v["external_id"]) if v.get("external_id") else None
    if match_key == MatchKey.EMAIL:
        return ("email", v["email"]) if v.get("email") else None
    if v.get("birth_date"):
        return _name_key(v["given_name"], v["family_name"], v["birth_date"])
    return None


# --- Import and undo -----------------------------------------------------------


def _skills(row: columns.Row) -> list[people.LanguageSkill]:
    return [people.LanguageSkill(language, level) for language, level in row.languages]


def run_import(
    *,
    actor: User,
    run: ImportRun,
    version: int,
    choices: dict[int, str] | None = None,
    skip_errors: bool = False,
    progress: Progress | None = None,
) -> ImportRun:
    """Import every row in one transaction: an error, a crash or a killed
    process leaves the database as it was. Rows with errors stop it, unless
    the user chose to leave them out."""
    membership = _membership(actor, run.organisation_id)
    _check_site(membership, run.site)
    plan = preview(run, membership, choices)
    if plan.errors and not skip_errors:
        raise ServiceError(
            ngettext(
                "%(count)d row has errors. Correct the file, or leave that row out.",
                "%(count)d rows have errors. Correct the file, or leave those rows out.",
                plan.bad_rows,
            )
            % {"count": plan.bad_rows}
        )
    if not any(not p.row.errors for p in plan.plans):
        raise ServiceError(_("The file has no row to import."))
    if run.kind != ImportKind.PEOPLE:
        return _import_records(actor, run, version, plan)
    created: dict[str, int] = {}
    updated: dict[str, dict[str, Any]] = {}
    creates = [p for p in plan.plans if not p.row.errors and p.action == "create"]
    updates = [p for p in plan.plans if not p.row.errors and p.action == OnDuplicate.UPDATE]
    skipped = len(plan.plans) - len(creates) - len(updates)
    done = 0
    try:
        with transaction.atomic():
            current = _draft(actor, run, version)
            for chunk in _chunks(creates, CHUNK):
                for person in people.create_people(
                    actor=actor,
                    organisation=current.organisation,
                    site=current.site,
                    people=[
                        people.NewPerson(
                            values=p.row.values,
                            role=p.row.role,
                            status=p.row.status,
                            languages=tuple(_skills(p.row)),
                        )
                        for p in chunk
                    ],
                ):
                    created[str(person.pk)] = person.version
                done += len(chunk)
                if progress is not None:
                    progress(done)
            for chunk in _chunks(updates, CHUNK):
                found = Person.objects.filter(pk__in=[p.match.pk for p in chunk]).prefetch_related(
                    "languages", "roles"
                )
                by_pk = {person.pk: person for person in found}
                for row_plan in chunk:
                    before = _update(actor, row_plan, by_pk[row_plan.match.pk])
                    if before is not None:
                        updated[str(row_plan.match.pk)] = before
                done += len(chunk)
                if progress is not None:
                    progress(done)
            _done(
                actor,
                current,
                rows=len(plan.plans),
                counts=(len(created), len(updated), skipped),
                kept={"created": created, "updated": updated},
            )
    except IntegrityError as error:
        raise _not_saved(error) from error
    return current


def _done(
    actor: User, run: ImportRun, *, rows: int, counts: tuple[int, int, int], kept: dict
) -> None:
    """Mark the run imported, with its counts and what the undo needs."""
    run.status = ImportStatus.IMPORTED
    run.imported_at = timezone.now()
    run.rows = rows
    run.created, run.updated, run.skipped = counts
    run.records = kept
    run.version += 1
    run.save()
    audit.record(
        actor=actor, organisation=run.organisation, action=IMPORT_DONE, target=run, site=run.site
    )


def _not_saved(error: IntegrityError) -> ServiceError:
    return ServiceError(
        _("The import could not be saved; nothing was imported. (%(error)s)")
        % {"error": type(error).__name__}
    )


def _import_records(actor: User, run: ImportRun, version: int, plan: Preview) -> ImportRun:
    """Employers, institutions or offers, with their contact persons, in one
    transaction."""
    kind = records.KINDS[run.kind]
    chosen = [
        p for p in plan.plans if not p.row.errors and p.action in {"create", OnDuplicate.UPDATE}
    ]
    try:
        with transaction.atomic():
            current = _draft(actor, run, version)
            written, created, updated = records.write(kind, actor, current.organisation, chosen)
            _done(
                actor,
                current,
                rows=plan.rows,
                counts=(created, updated, len(plan.plans) - len(chosen)),
                kept={"written": written},
            )
    except IntegrityError as error:
        raise _not_saved(error) from error
    return current


def _update(actor: User, plan: RowPlan, person: Person) -> dict[str, Any] | None:
    """Fill in and correct the existing person from the row; the values before,
    for the undo, or None when nothing changed (re-importing the same file
    changes nothing). `person` comes with its languages and roles."""
    wanted = {
        name: value
        for name, value in plan.row.values.items()
        if name != "latin_name" and getattr(person, name) != value
    }
    current_languages = {row.language: row.level for row in person.languages.all()}
    merged = {**current_languages, **dict(plan.row.languages)}
    languages = None
    if merged != current_languages:
        languages = [people.LanguageSkill(code, level) for code, level in merged.items()]
    has_role = any(role.role == plan.row.role for role in person.roles.all())
    if not wanted and languages is None and has_role:
        return None
    before = {name: _plain(getattr(person, name)) for name in wanted}
    if languages is not None:
        before["languages"] = sorted(current_languages.items())
    if wanted or languages is not None:
        person = people.update_person(
            actor=actor, person=person, version=person.version, languages=languages, **wanted
        )
    role = None
    if not has_role:
        role = people.add_role(
            actor=actor, person=person, role=plan.row.role, status=plan.row.status
        )
    return {"version": person.version, "before": before, "role": role.pk if role else None}


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def undo_problem(run: ImportRun) -> str:
    """Why the import cannot be undone, or "" if it can."""
    if run.status != ImportStatus.IMPORTED:
        return _("Only a carried-out import can be undone.")
    if run.kind != ImportKind.PEOPLE:
        return records.undo_problem((run.records or {}).get("written", []))
    kept = run.records or {}
    versions = {
        **{int(pk): version for pk, version in kept.get("created", {}).items()},
        **{int(pk): entry["version"] for pk, entry in kept.get("updated", {}).items()},
    }
    current = dict(Person.objects.filter(pk__in=versions).values_list("pk", "version"))
    changed = [pk for pk, version in versions.items() if current.get(pk) != version]
    if changed:
        return ngettext(
            "%(count)d of its records has been changed since (or removed): the import can no "
            "longer be undone.",
            "%(count)d of its records have been changed since (or removed): the import can no "
            "longer be undone.",
            len(changed),
        ) % {"count": len(changed)}
    return ""


def undo_import(*, actor: User, run: ImportRun, version: int) -> ImportRun:
    """Remove the records the import created and put back what it changed,
    while no later change touched them."""
    _membership(actor, run.organisation_id)
    with transaction.atomic():
        current = _locked(run, version)
        problem = undo_problem(current)
        if problem:
            raise ServiceError(problem)
        if current.kind != ImportKind.PEOPLE:
            records.undo(records.KINDS[current.kind], actor, current.records["written"])
        else:
            _undo_people(actor, current.records)
        current.status = ImportStatus.UNDONE
        current.undone_at = timezone.now()
        current.records = {}
        current.version += 1
        current.save()
        audit.record(
            actor=actor,
            organisation=current.organisation,
            action=IMPORT_UNDONE,
            target=current,
            site=current.site,
        )
    return current


def _undo_people(actor: User, kept: dict[str, Any]) -> None:
    try:
        with transaction.atomic():
            Person.objects.filter(pk__in=[int(pk) for pk in kept["created"]]).delete()
    except ProtectedError as error:
        raise ServiceError(
            _("Some of the imported people have been enrolled or taken up since: the "
              "import can no longer be undone.")
        ) from error  # fmt: skip
    for pk, entry in kept["updated"].items():
        person = Person.objects.get(pk=int(pk))
        before = dict(entry["before"])
        skills = before.pop("languages", None)
        if before.get("birth_date"):
            before["birth_date"] = datetime.date.fromisoformat(before["birth_date"])
        if before or skills is not None:
            people.update_person(
                actor=actor,
                person=person,
                version=person.version,
                languages=(
                    [people.LanguageSkill(c, lv) for c, lv in skills]
                    if skills is not None
                    else None
                ),
                **before,
            )
        if entry.get("role"):
            PersonRole.objects.filter(pk=entry["role"]).delete()
