"""Forms of the import wizard: validation only (STYLE.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Site
from lotse.people.models import PoolRole, Status

from .catalogue import Catalogue
from .models import ImportKind, MatchKey, OnDuplicate
from .reading import MAX_BYTES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=ImportKind.choices,
        initial=ImportKind.PEOPLE,
        widget=forms.RadioSelect,
        help_text=_(
            "Employers and institutions may take several rows each: every further row with "
            "the same name adds a contact person."
        ),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel workbook (XLSX), an OpenDocument spreadsheet (ODS) or a CSV file "
            "(separated by semicolons, commas or tabs; UTF-8 or Windows encoding), up to 10 MB."
        ),
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        help_text=_(
            "People are recorded at this site. Employers, institutions and offers belong to "
            "the whole organisation; their import is listed under this site."
        ),
    )

    def __init__(self, *args: Any, sites, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        if len(sites) == 1:
            self.fields["site"].initial = sites[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class SheetForm(forms.Form):
    sheet = forms.ChoiceField(label=_("Sheet"))

    def __init__(self, *args: Any, sheets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]


class ColumnsForm(forms.Form):
    """One choice of field per column of the file, and how to treat the rows."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    header_row = forms.IntegerField(
        label=_("Row of the column headings"),
        min_value=1,
        max_value=100,
        help_text=_("Rows above it (a title, merged cells) are left out."),
    )
    role = forms.ChoiceField(
        label=_("Role in the pool for rows without one"),
        choices=[("", _("– from the column “Role in the pool” –")), *PoolRole.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status for rows without one"), choices=Status.choices, initial=Status.INTERESTED
    )
    match_key = forms.ChoiceField(
        label=_("Recognise the same person by"),
        choices=MatchKey.choices,
        widget=forms.RadioSelect,
    )
    on_duplicate = forms.ChoiceField(
        label=_("When the person is in the pool already"),
        choices=OnDuplicate.choices,
        widget=forms.RadioSelect,
        help_text=_("You can decide for each such row on the next page."),
    )
    save_as = forms.CharField(
        label=_("Save this choice of columns as"),
        required=False,
        max_length=100,
        help_text=_("The next file with the same headings gets the same columns."),
    )

    def __init__(
        self,
        *args: Any,
        headings: list[str],
        kind: str = ImportKind.PEOPLE,
        catalogue: Catalogue,
        duplicate_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headings = headings
        self.fields["on_duplicate"].choices = duplicate_choices
        if kind != ImportKind.PEOPLE:
            # Records are recognised by their name; they have no role or status.
            for name in ("role", "status", "match_key"):
                del self.fields[name]
            self.fields["on_duplicate"].label = _("When the record is there already")
        choices = [("", _("– leave out –")), *((c.code, c.label) for c in catalogue.columns)]
        for index, heading in enumerate(headings):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=heading or _("Column %(number)d") % {"number": index + 1},
                choices=choices,
                required=False,
                # Rendered in the table of columns, not by the field tag.
                widget=forms.Select(attrs={"class": "kern-form-input__select"}),
            )

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.headings))]

    def mapping(self) -> dict[str, str]:
        return {
            str(index): self.cleaned_data[f"column_{index}"]
            for index in range(len(self.headings))
            if self.cleaned_data.get(f"column_{index}")
        }


class PreviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    skip_errors = forms.BooleanField(
        label=_("Leave out the rows with errors and import the others"), required=False
    )


class UndoForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
