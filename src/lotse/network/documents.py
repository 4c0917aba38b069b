"""The network's printable documents: the issued interface paper
(*Schnittstellenpapier*) as PDF and XLSX, the actor table of the alliance
working aid as XLSX, and the minutes of a committee meeting as PDF.

The PDFs are typeset with Typst from the templates in `documents/`. Every text
goes in as one JSON document in `sys.inputs`, never as Typst markup, so that a
name or a note containing `#`, `*` or `$` is printed as written and cannot
reach into the file system. Only Typst's embedded fonts are used: the output
is the same on every server, whatever fonts it has installed."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable, Sequence
from importlib.resources import files
from typing import Any

import typst
from django.utils import formats, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .models import Attendance, Domain, Institution, InterfacePaper, NetworkMeeting

# The keys of one row of `InterfacePaper.matrix`, in the order of the columns.
# A paper issued before a key existed (e.g. "address") reads it as empty.
_PAPER_KEYS = ("institution", "contact", "function", "phone", "email", "how_to_reach", "address")

_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_WRAP = Alignment(wrap_text=True, vertical="top")


# --- shared helpers -------------------------------------------------------------------


def _day(value: datetime.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _language() -> str:
    """The active language as Typst's `text(lang:)` wants it: "de", not "de-at"."""
    return (translation.get_language() or "de").split("-")[0].lower()


def _page_label() -> str:
    # The template fills in the numbers, which only Typst knows; the
    # placeholders stay named so that a translation may reorder them.
    return _("page %(page)s of %(pages)s")


def _paragraphs(text: str) -> list[list[str]]:
    """A text typed into a form as paragraphs of lines, for the template to
    print line by line (textareas send CRLF)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [block.split("\n") for block in text.split("\n\n") if block.strip()]


def _compile(template: str, data: dict[str, Any]) -> bytes:
    source = files("lotse.network").joinpath(f"documents/{template}").read_bytes()
    return typst.compile(
        source,
        format="pdf",
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )


def _text_cell(cell: Cell, value: object) -> None:
    """Write `value` as it is. openpyxl stores a string starting with "=" as a
    formula; a name or note typed into a form must stay text."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _append(sheet: Worksheet, values: Sequence[object]) -> None:
    """A row below the last one (the header is always written first)."""
    row = sheet.max_row + 1
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        _text_cell(cell, value)
        cell.alignment = _WRAP


def _header(sheet: Worksheet, row: int, labels: Sequence[str], widths: Sequence[int]) -> None:
    for column, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(column)].width = width
    # The header stays in view while scrolling through a long table.
    sheet.freeze_panes = f"A{row + 1}"


def _sheet_title(text: str) -> str:
    """Excel allows 31 characters in a sheet's name and none of these."""
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:31]


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the interface paper --------------------------------------------------------------------


def _paper_columns() -> list[str]:
    return [
        _("Institution"),
        _("Contact person"),
        _("Function"),
        _("Phone"),
        _("E-mail"),
        _("How to reach them"),
        _("Address"),
    ]


def _paper_steps(paper: InterfacePaper) -> list[dict[str, Any]]:
    """The frozen matrix with every key present, whatever version of the
    matrix the paper was issued with."""
    return [
        {
            "name": str(step.get("step", "")),
            "description": str(step.get("description", "")),
            "rows": [
                [str(row.get(key) or "") for key in _PAPER_KEYS] for row in step.get("rows", [])
            ],
        }
        for step in paper.matrix
    ]


def _issued(paper: InterfacePaper) -> str:
    return _("Version %(number)s, issued on %(date)s") % {
        "number": paper.number,
        "date": _day(paper.issued_on),
    }


def interface_paper_pdf(paper: InterfacePaper, organisation_name: str) -> bytes:
    """The issued interface paper as PDF, in landscape for its wide tables.

    Printed copies lie on desks for months: every page says which version it
    is and from when, so that an outdated copy can be recognised."""
    data = {
        "lang": _language(),
        "organisation": organisation_name,
        "title": paper.title,
        "issued": _issued(paper),
        "note": _("What changed: %(note)s") % {"note": paper.note} if paper.note else "",
        "stamp": _("Version %(number)s · %(date)s")
        % {"number": paper.number, "date": _day(paper.issued_on)},
        "steps": _paper_steps(paper),
        "email_column": _PAPER_KEYS.index("email"),
        "labels": {
            "columns": _paper_columns(),
            "nobody": _("No institution is responsible for this step."),
            "page": _page_label(),
        },
    }
    return _compile("interface_paper.typ", data)


def interface_paper_xlsx(paper: InterfacePaper) -> bytes:
    """The issued interface paper as a spreadsheet, one row for each
    institution responsible for a step, for offices that filter, sort or
    merge it into their own lists."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Interface paper"))
    _text_cell(sheet["A1"], paper.title)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _issued(paper)
    if paper.note:
        _text_cell(sheet["A3"], _("What changed: %(note)s") % {"note": paper.note})
    _header(
        sheet,
        5,
        [_("Step"), _("Description"), *_paper_columns()],
        [26, 30, 30, 24, 22, 18, 30, 34, 32],
    )
    for step in _paper_steps(paper):
        # A step nobody is responsible for stays visible as a gap.
        for cells in step["rows"] or [[""] * len(_PAPER_KEYS)]:
            _append(sheet, [step["name"], step["description"], *cells])
    return _save(workbook)


# --- the actor table -------------------------------------------------------------------------


def _domain_order(institution: Institution) -> tuple[int, str]:
    order = Domain.values.index(institution.domain) if institution.domain in Domain.values else 99
    return order, institution.name.casefold()


def _contact_lines(institution: Institution) -> str:
    lines = []
    # Filtered here rather than in the query, so that the caller's
    # prefetch_related("contacts") is used.
    for contact in institution.contacts.all():
        if not contact.is_active:
            continue
        line = ", ".join(
            part for part in (contact.name, contact.function, contact.phone, contact.email) if part
        )
        if contact.can_decide:
            line = _("%(contact)s (can decide)") % {"contact": line}
        lines.append(line)
    return "\n".join(lines)


def actor_table_xlsx(institutions: Iterable[Institution]) -> bytes:
    """The actor table of the alliance working aid: the local institutions of
    the four domains with their contact persons, ticks for existing
    cooperation, the core group and the extended forums, and notes on what
    each could contribute. The network plans its alliance with it on paper
    and in the spreadsheet, so it is grouped by domain like the working aid.

    `institutions` should come with `prefetch_related("contacts")`; only
    active contact persons are listed."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Actors"))
    _header(
        sheet,
        1,
        [
            _("Domain"),
            _("Institution"),
            _("Type"),
            _("Address"),
            _("Phone"),
            _("E-mail"),
            _("Contact persons"),
            _("Cooperation exists"),
            _("Core group"),
            _("Extended forums"),
            _("Possible contributions"),
        ],
        [24, 32, 26, 32, 18, 28, 50, 14, 14, 14, 44],
    )
    tick = "x"
    for institution in sorted(institutions, key=_domain_order):
        _append(
            sheet,
            [
                institution.get_domain_display(),
                institution.name,
                institution.get_kind_display(),
                institution.address,
                institution.phone,
                institution.email,
                _contact_lines(institution),
                tick if institution.cooperates else "",
                institution.get_core_group_display() if institution.core_group else "",
                tick if institution.extended_forums else "",
                institution.contributions,
            ],
        )
    # Domain and institution stay in view beside the wide contact columns.
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    return _save(workbook)


# --- minutes of a meeting ----------------------------------------------------------------------


def minutes_pdf(meeting: NetworkMeeting) -> bytes:
    """The minutes of a committee meeting as PDF: who came and who did not,
    what was discussed, the goals agreed on together and the measures with
    who does them by when, to send to the participants after the meeting."""
    committee = meeting.committee
    attendance = meeting.attendance.select_related("institution", "contact")
    measures = meeting.measures.select_related("institution", "contact", "goal")
    day = _day(meeting.held_on)

    def participant(row: Attendance) -> list[str]:
        return [row.institution.name, row.contact.name if row.contact else ""]

    details = [[_("Date"), day]]
    if meeting.starts_at:
        details.append([_("Time"), formats.time_format(meeting.starts_at, "TIME_FORMAT")])
    if meeting.place:
        details.append([_("Place"), meeting.place])
    data = {
        "lang": _language(),
        "title": _("Minutes: %(committee)s") % {"committee": committee.name},
        "kind": committee.get_kind_display(),
        "stamp": _("%(committee)s · %(date)s") % {"committee": committee.name, "date": day},
        "details": details,
        "present": [participant(row) for row in attendance if row.present],
        "absent": [participant(row) for row in attendance if not row.present],
        "agenda": _paragraphs(meeting.agenda),
        "minutes": _paragraphs(meeting.minutes),
        "goals": [goal.text for goal in meeting.goals.all()],
        "measures": [
            {
                "title": measure.title,
                "goal": _("Goal: %(goal)s") % {"goal": measure.goal.text} if measure.goal else "",
                "institution": measure.institution.name if measure.institution else "",
                "contact": measure.contact.name if measure.contact else "",
                "due": _day(measure.due_on),
                "status": measure.get_status_display(),
            }
            for measure in measures
        ],
        "labels": {
            "present": _("Present"),
            "absent": _("Absent or excused"),
            "participants": [_("Institution"), _("Person")],
            "agenda": _("Agenda"),
            "minutes": _("Minutes"),
            "goals": _("Shared goals"),
            "measures": _("Agreed measures"),
            "measure_columns": [
                _("What"),
                _("Responsible institution"),
                _("Responsible person"),
                _("Due on"),
                _("Status"),
            ],
            "none": _("None recorded."),
            "page": _page_label(),
        },
    }
    return _compile("minutes.typ", data)
