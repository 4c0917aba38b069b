"""What every kind of import shares: a catalogue of the columns Lotse knows,
the headings it recognises for them in German and English, the suggestion
of a field for each heading of a file, and the problems found in a row."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook

from . import values
from .values import Unreadable


def choice(choices: type, words: dict[str, tuple[str, ...]], expected: Promise):
    """A parser for one of `choices`, by its code, its label or one of `words`."""

    def parse(value: Any) -> str | None:
        if values.blank(value):
            return None
        raw = values.key(value)
        for code, label in choices.choices:
            if raw in {values.key(code), values.key(label)} | {
                values.key(w) for w in words.get(code, ())
            }:
                return code
        raise Unreadable(
            _("“%(value)s” is not one of the choices.") % {"value": values.text(value)},
            str(expected),
        )

    return parse


@dataclass(frozen=True)
class Column:
    code: str
    label: Promise
    headings: tuple[str, ...]
    parse: Callable[[Any], Any]
    required: bool = False
    # The model and field the value goes to, for its length limit.
    model: type[models.Model] | None = None
    field: str = ""

    @property
    def max_length(self) -> int | None:
        if self.model is None:
            return None
        try:
            return self.model._meta.get_field(self.field or self.code).max_length
        except Exception:  # not a field of the model (languages, role, status)
            return None


@dataclass
class Problem:
    row: int
    column: str
    problem: str
    expected: str = ""
    error: bool = True


class Catalogue:
    """The columns of one kind of import."""

    def __init__(self, columns: Iterable[Column]) -> None:
        self.columns = tuple(columns)
        self.by_code = {column.code: column for column in self.columns}

    @cached_property
    def _listed(self) -> dict[str, str]:
        headings: dict[str, str] = {}
        for column in self.columns:  # a heading listed twice goes to the first column
            for heading in column.headings:
                headings.setdefault(values.key(heading), column.code)
        for column in self.columns:
            headings.setdefault(values.key(column.code.replace("_", " ")), column.code)
        return headings

    def headings(self) -> dict[str, str]:
        """The headings recognised: the list, and each field's name in German
        and English (as the example file writes them)."""
        language = translation.get_language() or "de"
        cache = self.__dict__.setdefault("_by_language", {})
        if language not in cache:
            headings = dict(self._listed)
            for code in ("de", "en"):
                with translation.override(code):
                    for column in self.columns:
                        headings.setdefault(values.key(str(column.label)), column.code)
            cache[language] = headings
        return cache[language]

    def known_heading(self, heading: str) -> bool:
        return values.key(heading) in self.headings()

    def suggest(self, headings: list[str], saved: dict[str, str] | None = None) -> dict[str, str]:
        """A field for each heading Lotse recognises ("Vorname", "PLZ", "E-Mail"),
        from a saved mapping first; each field once, for its first column."""
        saved = saved or {}
        known = self.headings()
        mapping: dict[str, str] = {}
        taken: set[str] = set()
        for index, heading in enumerate(headings):
            name = values.key(heading)
            code = saved.get(name) or known.get(name)
            if code in self.by_code and code not in taken:
                mapping[str(index)] = code
                taken.add(code)
        return mapping

    def example(self, title: str, rows: Iterable[Iterable[Any]]) -> bytes:
        """An XLSX with a column for each field, headed in the UI language,
        and rows of fictional records: a file to fill in."""
        book = Workbook()
        sheet = book.active
        sheet.title = title[:31]
        sheet.append([str(column.label) for column in self.columns])
        for row in rows:
            sheet.append(list(row))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


@dataclass
class RowPlan:
    """What the import would do with one record of the file (a person, or an
    employer with its contact persons): `row` is what was read."""

    row: Any
    match: Any = None  # the record there already
    # Others the duplicate rules find (same e-mail or phone …).
    possible: list[Any] = field(default_factory=list)
    repeats: int | None = None  # the earlier row of the file with the same record
    choice: str = ""

    @property
    def action(self) -> str:
        return self.choice or ("create" if self.match is None else "")


@dataclass
class Preview:
    headings: list[str]
    plans: list[RowPlan]
    empty_rows: int = 0
    # Rows with data; one record may take several (its contact persons).
    rows: int = 0

    @property
    def problems(self) -> list[Problem]:
        return sorted((p for plan in self.plans for p in plan.row.problems), key=lambda p: p.row)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.error]

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.errors})

    @property
    def matched(self) -> list[RowPlan]:
        return [plan for plan in self.plans if plan.match is not None and not plan.row.errors]
