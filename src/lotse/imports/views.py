"""The import wizard: upload → columns → preview → import, and the history
with its undo. Thin views: the services decide."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.accounts.roles import IMPORT_DATA
from lotse.core.exceptions import ServiceError
from lotse.core.models import Site
from lotse.core.permissions import permission_required
from lotse.core.views import download, form_errors, form_saved

from . import people, reading, records, services
from .forms import ColumnsForm, PreviewForm, SheetForm, UndoForm, UploadForm
from .models import ImportKind, ImportRun, ImportStatus, OnDuplicate
from .values import text

# The preview names at most this many rows of each kind; the counts cover all.
SHOWN_ROWS = 200


def _run(request: HttpRequest, pk: int) -> ImportRun:
    return get_object_or_404(
        ImportRun.objects.visible_to(request.user).select_related("site", "created_by"), pk=pk
    )


def _sites(request: HttpRequest):
    return Site.objects.visible_to(request.user).filter(is_active=True)


@permission_required(IMPORT_DATA)
def import_list(request: HttpRequest) -> HttpResponse:
    runs = ImportRun.objects.visible_to(request.user).select_related("site", "created_by")[:100]
    return render(request, "imports/import_list.html", {"runs": runs})


@permission_required(IMPORT_DATA)
def import_example(request: HttpRequest) -> HttpResponse:
    """A workbook to fill in: a column for each field, a few fictional records."""
    kind = request.GET.get("kind", ImportKind.PEOPLE)
    if kind == ImportKind.PEOPLE:
        data = people.example_workbook()
    elif kind in records.KINDS:
        importer = records.KINDS[kind]
        data = importer.catalogue.example(str(importer.example_title), importer.example_rows)
    else:
        raise Http404
    names = {
        ImportKind.PEOPLE: _("people-import-example"),
        ImportKind.EMPLOYERS: _("employers-import-example"),
        ImportKind.INSTITUTIONS: _("institutions-import-example"),
        ImportKind.OFFERS: _("offers-import-example"),
    }
    return download(
        data,
        names[kind] + ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@permission_required(IMPORT_DATA)
def import_new(request: HttpRequest) -> HttpResponse:
    sites = list(_sites(request))
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") in ImportKind.values else {}
    form = UploadForm(
        request.POST or None, request.FILES or None, sites=_sites(request), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = form_saved(
            request,
            form,
            lambda: services.start_import(
                actor=request.user,
                organisation=request.membership.organisation,
                site=form.cleaned_data["site"],
                file_name=upload.name,
                data=upload.read(),
                kind=form.cleaned_data["kind"],
            ),
            _("The file has been read. Check which column holds what."),
        )
        if run is not None:
            return redirect("imports:import_columns", run.pk)
    examples = [(code, label) for code, label in ImportKind.choices]
    return render(
        request, "imports/import_new.html", {"form": form, "sites": sites, "examples": examples}
    )


def _unreadable(request: HttpRequest, run: ImportRun) -> HttpResponse:
    messages.error(request, _("The stored file of this import cannot be read any more."))
    return redirect("imports:import_detail", run.pk)


@permission_required(IMPORT_DATA)
def import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if run.status != ImportStatus.DRAFT:
        return redirect("imports:import_detail", run.pk)
    try:
        sheets = services.sheets_of(run)
    except reading.Unusable:
        return _unreadable(request, run)
    sheet = next((s for s in sheets if s.name == run.sheet), sheets[0])
    headings = services.headings_of(run, sheet)
    initial = {
        "version": run.version,
        "header_row": run.header_row,
        "role": run.role,
        "status": run.status_in_pool or "interested",
        "match_key": run.match_key,
        "on_duplicate": run.on_duplicate,
        **{f"column_{column}": code for column, code in run.mapping.items()},
    }
    form = ColumnsForm(
        request.POST or None,
        initial=initial,
        headings=headings,
        kind=run.kind,
        catalogue=services.catalogue_of(run.kind),
        duplicate_choices=services.duplicate_choices(run.kind),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (form.cleaned_data["header_row"] != run.header_row)
    ):
        # Other headings: the columns are suggested anew for them.
        moved = form_saved(
            request,
            form,
            lambda: services.change_header_row(
                actor=request.user,
                run=run,
                version=form.cleaned_data["version"],
                header_row=form.cleaned_data["header_row"],
            ),
            _("The headings are now read from row %(row)d. Check the columns.")
            % {"row": form.cleaned_data["header_row"]},
        )
        if moved is not None:
            return redirect("imports:import_columns", moved.pk)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = form_saved(
            request,
            form,
            lambda: services.set_columns(
                actor=request.user,
                run=run,
                version=data["version"],
                header_row=data["header_row"],
                mapping=form.mapping(),
                role=data.get("role", ""),
                status=data.get("status", ""),
                match_key=data.get("match_key", ""),
                on_duplicate=data["on_duplicate"],
                save_as=data["save_as"],
            ),
            _("The columns are chosen. Check the preview before you import."),
        )
        if saved is not None:
            return redirect("imports:import_preview", saved.pk)
    start = run.header_row
    sample = [_cells(row, len(headings)) for row in sheet.rows[start : start + 3]]
    context = {
        "run": run,
        "form": form,
        "column_rows": [
            (bound, [cells[index] for cells in sample if cells[index]])
            for index, bound in enumerate(form.column_fields())
        ],
        "sheet_form": SheetForm(initial={"sheet": sheet.name}, sheets=[s.name for s in sheets])
        if len(sheets) > 1
        else None,
        "top": [_cells(row, len(headings)) for row in sheet.rows[: min(start, 5)]],
    }
    return render(request, "imports/import_columns.html", context)


def _cells(row: list, width: int) -> list[str]:
    """The first values of each column as the reader knows them (dates as dates)."""
    return [_shown(row[i]) if i < len(row) else "" for i in range(width)]


def _shown(value) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return text(value)


@require_POST
@permission_required(IMPORT_DATA)
def import_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        sheets = [s.name for s in services.sheets_of(run)]
    except reading.Unusable:
        return _unreadable(request, run)
    form = SheetForm(request.POST, sheets=sheets)
    if form.is_valid():
        try:
            services.change_sheet(
                actor=request.user, run=run, version=run.version, sheet=form.cleaned_data["sheet"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
    else:
        form_errors(request, form)
    return redirect("imports:import_columns", run.pk)


def _choices(request: HttpRequest) -> dict[int, str]:
    choices = {}
    for name, value in request.POST.items():
        if name.startswith("row_") and name[4:].isdigit() and value in OnDuplicate.values:
            choices[int(name[4:])] = value
    return choices


@permission_required(IMPORT_DATA)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if run.status != ImportStatus.DRAFT:
        return redirect("imports:import_detail", run.pk)
    choices = _choices(request) if request.method == "POST" else {}
    form = PreviewForm(request.POST or None, initial={"version": run.version})
    if request.method == "POST" and form.is_valid():
        done = form_saved(
            request,
            form,
            lambda: services.run_import(
                actor=request.user,
                run=run,
                version=form.cleaned_data["version"],
                choices=choices,
                skip_errors=form.cleaned_data["skip_errors"],
            ),
            _("The file has been imported."),
        )
        if done is not None:
            return redirect("imports:import_detail", done.pk)
    try:
        preview = services.preview(run, request.membership, choices)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("imports:import_detail", run.pk)
    plans = [plan for plan in preview.plans if not plan.row.errors]
    new_plans = [plan for plan in plans if plan.match is None][:20]
    if run.kind == ImportKind.PEOPLE:
        new_headings = [_("Name"), _("Date of birth"), _("Role in the pool"), _("Languages")]
        new_rows = [(plan.row, _person_cells(plan.row)) for plan in new_plans]
        matched = [
            (plan, plan.match.full_name, reverse("people:person_detail", args=[plan.match.pk]))
            for plan in preview.matched[:SHOWN_ROWS]
        ]
    else:
        importer = records.KINDS[run.kind]
        shown = importer.columns_shown()
        new_headings = [_("Name"), *(label for label, _cell in shown)]
        if importer.contact_model is not None:
            new_headings.append(_("Contact persons"))
        new_rows = [
            (plan.row, [plan.row.name, *(cell(plan.row) for _l, cell in shown)]
             + ([", ".join(c["name"] for _n, c in plan.row.contacts)]
                if importer.contact_model is not None else []))
            for plan in new_plans
        ]  # fmt: skip
        matched = [
            (plan, str(plan.match), importer.url(plan.match))
            for plan in preview.matched[:SHOWN_ROWS]
        ]
    context = {
        "run": run,
        "form": form,
        "preview": preview,
        "problems": preview.problems[:SHOWN_ROWS],
        "more_problems": max(0, len(preview.problems) - SHOWN_ROWS),
        "matched": matched,
        "more_matched": max(0, len(preview.matched) - SHOWN_ROWS),
        "new_headings": new_headings,
        "new_rows": new_rows,
        "to_create": sum(1 for plan in plans if plan.action == "create"),
        "to_update": sum(1 for plan in plans if plan.action == OnDuplicate.UPDATE),
        "to_skip": sum(1 for plan in plans if plan.action == OnDuplicate.SKIP),
        "duplicate_choices": services.duplicate_choices(run.kind),
        "columns": [
            (heading, code)
            for index, heading in enumerate(preview.headings)
            if (code := run.mapped.get(index))
        ],
    }
    return render(request, "imports/import_preview.html", context)


def _person_cells(row: people.Row) -> list[str]:
    birth_date = row.values.get("birth_date")
    languages = ", ".join(f"{name} ({level})" for name, level in row.language_labels)
    return [
        row.name,
        date_format(birth_date, "SHORT_DATE_FORMAT") if birth_date else "–",
        row.role_label,
        languages or "–",
    ]


@permission_required(IMPORT_DATA)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    context = {
        "run": run,
        "undo_form": UndoForm(initial={"version": run.version}),
        "undo_problem": services.undo_problem(run) if run.status == ImportStatus.IMPORTED else "",
    }
    return render(request, "imports/import_detail.html", context)


@require_POST
@permission_required(IMPORT_DATA)
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    form = UndoForm(request.POST)
    if form.is_valid():
        try:
            services.undo_import(actor=request.user, run=run, version=form.cleaned_data["version"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The import has been undone."))
    else:
        form_errors(request, form)
    return redirect("imports:import_detail", run.pk)
