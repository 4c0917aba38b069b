from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core import reference
from lotse.people.models import Industry, OccupationArea

from .models import (
    Activity,
    Employer,
    EmployerContact,
    FollowUpResult,
    Opening,
    OpeningKind,
    OpeningStatus,
    ProspectStage,
    Relationship,
    SizeClass,
    Stage,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def data_of(form: forms.ModelForm) -> dict[str, Any]:
    """What the services save: the cleaned values of the form's model fields."""
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name != "version" and name in form.fields
    }


def _all(choices) -> list[tuple[str, Any]]:
    return [("", _("all")), *choices]


class EmployerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=_all(Relationship.choices), required=False
    )
    industry = forms.ModelChoiceField(
        label=_("Industry"), queryset=Industry.objects.all(), required=False, empty_label=_("all")
    )
    size_class = forms.ChoiceField(label=_("Size"), choices=_all(SizeClass.choices), required=False)
    municipality = forms.CharField(label=_("Municipality"), required=False, max_length=200)


class EmployerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Employer
        fields = [
            "name",
            "industry",
            "size_class",
            "street",
            "postal_code",
            "municipality",
            "website",
            "relationship",
            "stage",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class ContactForm(forms.ModelForm):
    class Meta:
        model = EmployerContact
        fields = [
            "name",
            "function",
            "phone",
            "email",
            "preferred_channel",
            "newsletter_opt_out",
            "is_active",
        ]


class ActivityForm(forms.ModelForm):
    # Scoped: the queryset is set per employer (no tenant at import).
    contact = forms.ModelChoiceField(
        label=_("contact person"), queryset=EmployerContact.objects.none(), required=False
    )

    class Meta:
        model = Activity
        fields = ["kind", "date", "contact", "result", "follow_up_on"]
        widgets = {
            "date": DATE,
            "follow_up_on": DATE,
            "result": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = employer.contacts.filter(is_active=True)


class StageForm(forms.Form):
    """Moving a prospect along the acquisition pipeline."""

    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[*ProspectStage.choices, (Relationship.ACTIVE.value, _("active partner"))],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class OpeningFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=_all(OpeningKind.choices), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=_all(OpeningStatus.choices),
        required=False,
        initial=OpeningStatus.OPEN,
    )
    occupation_area = forms.ModelChoiceField(
        label=_("Occupational area"),
        queryset=OccupationArea.objects.all(),
        required=False,
        empty_label=_("all"),
    )


class OpeningForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    languages = forms.MultipleChoiceField(
        label=_("other languages"),
        required=False,
        help_text=_("Languages the work needs besides German."),
    )

    class Meta:
        model = Opening
        fields = [
            "kind",
            "title",
            "occupation_area",
            "description",
            "german_level",
            "languages",
            "qualifications",
            "driving_licence",
            "place",
            "starts_on",
            "hours_per_week",
            "childcare_compatible",
            "positions",
            "status",
        ]
        widgets = {
            "starts_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"place": _("Town of the workplace; the employer's when left empty.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = reference.language_choices()
        self.fields["languages"].widget.attrs["size"] = 6
        if self.instance.pk is None:
            del self.fields["status"]

    def clean_hours_per_week(self) -> int | None:
        hours = self.cleaned_data["hours_per_week"]
        if hours is not None and not 1 <= hours <= 60:
            raise forms.ValidationError(_("Enter the hours of a week, between 1 and 60."))
        return hours

    def clean_positions(self) -> int:
        positions = self.cleaned_data["positions"]
        if positions < 1:
            raise forms.ValidationError(_("An opening has at least one position."))
        return positions


class ProposeForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class MoveForm(forms.Form):
    """Moving a placement to another stage; the contract's fields only count
    for the stage "contract"."""

    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    contract_start = forms.DateField(label=_("Start of employment"), widget=DATE, required=False)
    permanent = forms.TypedChoiceField(
        label=_("Term"),
        choices=[("", _("– choose –")), ("1", _("permanent")), ("0", _("fixed-term"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
    )
    contract_end = forms.DateField(label=_("End of a fixed term"), widget=DATE, required=False)
    probation_end = forms.DateField(
        label=_("End of probation"),
        widget=DATE,
        required=False,
        help_text=_("Six months after the start when left empty."),
    )
    social_insurance = forms.BooleanField(label=_("Subject to social insurance"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [c for c in Stage.choices if c[0] != current]

    def contract(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "contract_start": data["contract_start"],
            "permanent": data["permanent"],
            "contract_end": data["contract_end"],
            "probation_end": data["probation_end"],
            "social_insurance": data["social_insurance"],
        }


class FollowUpForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[c for c in FollowUpResult.choices if c[0] != FollowUpResult.NOT_NEEDED],
        widget=forms.RadioSelect,
    )
    left_on = forms.DateField(
        label=_("Left on"),
        widget=DATE,
        required=False,
        help_text=_("Only when the person left the job; today when left empty."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlacementFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=_all(Stage.choices), required=False)
    mine = forms.BooleanField(label=_("only mine"), required=False)
