from __future__ import annotations

from typing import Any

import phonenumbers
from anyascii import anyascii
from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from lotse.core import reference
from lotse.core.models import Site

from .models import (
    Availability,
    ConsentChannel,
    ConsentPurpose,
    Industry,
    LanguageLevel,
    Need,
    OccupationArea,
    ParticipantProfile,
    Person,
    PoolRole,
    Status,
    VolunteerProfile,
)
from .services import PERSON_FIELDS, Experience, LanguageSkill


class PersonForm(forms.ModelForm):
    """Validates a person's record; the service saves it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The queryset is set per request: the user's own sites (no scope at import).
    site = forms.ModelChoiceField(
        label=Person._meta.get_field("site").verbose_name, queryset=Site.objects.none()
    )

    availability = forms.MultipleChoiceField(
        label=_("Available"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The times of the week the person can usually meet."),
    )

    class Meta:
        model = Person
        fields = [*PERSON_FIELDS, "sensitive_notes"]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "sensitive_notes": forms.Textarea(attrs={"rows": 3}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, sites: Any, sensitive: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].empty_label = None
        self.fields["contact_language"] = forms.ChoiceField(
            label=Person._meta.get_field("contact_language").verbose_name,
            choices=[("", "–"), *reference.language_choices()],
            required=False,
        )
        self.fields["country_of_origin"] = forms.ChoiceField(
            label=Person._meta.get_field("country_of_origin").verbose_name,
            choices=[("", "–"), *reference.country_choices()],
            required=False,
        )
        if not sensitive:
            del self.fields["sensitive_notes"]
        self.fields["availability"].choices = [
            (code, label) for code, label, _bit in Availability.slots()
        ]
        if self.instance.pk and not self.is_bound:
            self.initial["availability"] = Availability.codes_of(self.instance.availability)

    def clean_availability(self) -> int:
        return Availability.mask(self.cleaned_data["availability"])

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, "DE")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                _("This is not a valid phone number, e.g. 0721 123456 or +49 721 123456.")
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        given, family = cleaned.get("given_name", ""), cleaned.get("family_name", "")
        if not cleaned.get("latin_name") and (given or family):
            latin = anyascii(f"{given} {family}").strip()
            if latin != f"{given} {family}".strip():
                cleaned["latin_name"] = latin
        return cleaned

    def person_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class NewPersonForm(PersonForm):
    role = forms.ChoiceField(label=_("Role in the pool"), choices=PoolRole.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.INTERESTED)
    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different person: create the record anyway"), required=False
    )

    def person_values(self) -> dict[str, Any]:
        values = super().person_values()
        for name in ("role", "status", "confirm_not_duplicate"):
            values.pop(name)
        return values


class LanguageSkillForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", "–"), *LanguageLevel.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "–"), *reference.language_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if bool(cleaned.get("language")) != bool(cleaned.get("level")):
            raise forms.ValidationError(_("Choose both the language and the level, or neither."))
        return cleaned


class BaseLanguageFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        seen = set()
        for form in self.forms:
            code = form.cleaned_data.get("language") if hasattr(form, "cleaned_data") else None
            if code and code in seen:
                raise forms.ValidationError(_("Each language only once, please."))
            seen.add(code)

    def skills(self) -> list[LanguageSkill]:
        return [
            LanguageSkill(form.cleaned_data["language"], form.cleaned_data["level"])
            for form in self.forms
            if form.cleaned_data.get("language")
        ]


class ExperienceForm(forms.Form):
    occupation_area = forms.ModelChoiceField(
        label=_("Occupational area"), queryset=OccupationArea.objects.all(), required=False
    )
    industry = forms.ModelChoiceField(
        label=_("Industry"), queryset=Industry.objects.all(), required=False
    )
    years = forms.IntegerField(label=_("Years"), min_value=0, max_value=60, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("occupation_area") and cleaned.get("years") is None:
            self.add_error("years", _("How many years?"))
        if not cleaned.get("occupation_area") and (
            cleaned.get("industry") or cleaned.get("years") is not None
        ):
            self.add_error("occupation_area", _("Choose the occupational area."))
        return cleaned


class BaseExperienceFormSet(forms.BaseFormSet):
    def experience(self) -> list[Experience]:
        return [
            Experience(
                form.cleaned_data["occupation_area"].pk,
                form.cleaned_data["industry"].pk if form.cleaned_data.get("industry") else None,
                form.cleaned_data["years"],
            )
            for form in self.forms
            if form.cleaned_data.get("occupation_area")
        ]


ExperienceFormSet = forms.formset_factory(
    ExperienceForm, formset=BaseExperienceFormSet, extra=1, max_num=10, validate_max=True
)


LanguageFormSet = forms.formset_factory(
    LanguageSkillForm, formset=BaseLanguageFormSet, extra=2, max_num=12, validate_max=True
)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class AddRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the pool"), choices=PoolRole.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.INTERESTED)


class _CatalogueMixin:
    """Needs are the organisation's own catalogue: only its active entries."""

    def limit_needs(self, organisation_id: int, *names: str) -> None:
        needs = Need.objects.filter(organisation_id=organisation_id, is_active=True)
        for name in names:
            self.fields[name].queryset = needs


class ParticipantProfileForm(_CatalogueMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Scoped catalogue: the queryset is set per request (no tenant at import).
    needs = forms.ModelMultipleChoiceField(
        label=_("needs"),
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ParticipantProfile
        fields = [
            "wishes",
            "needs",
            "target_areas",
            "target_industries",
            "mentor_gender",
            "mentor_gender_required",
            "mentor_language",
            "driving_licence",
        ]
        widgets = {
            "wishes": forms.Textarea(attrs={"rows": 3}),
            "needs": forms.CheckboxSelectMultiple,
            "target_areas": forms.CheckboxSelectMultiple,
            "target_industries": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_needs(organisation_id, "needs")
        self.fields["mentor_language"] = forms.ChoiceField(
            label=ParticipantProfile._meta.get_field("mentor_language").verbose_name,
            choices=[("", _("no preference")), *reference.language_choices()],
            required=False,
        )
        for name in ("target_areas", "target_industries"):
            self.fields[name].label_from_instance = lambda entry: entry.name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("mentor_gender_required") and not cleaned.get("mentor_gender"):
            self.add_error("mentor_gender", _("Say whom the condition is about."))
        return cleaned

    def profile_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class VolunteerProfileForm(_CatalogueMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    strengths = forms.ModelMultipleChoiceField(
        label=_("can help with"),
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = VolunteerProfile
        fields = [
            "industries",
            "occupation_areas",
            "strengths",
            "capacity",
            "police_clearance_on",
            "training_completed_on",
        ]
        widgets = {
            "industries": forms.CheckboxSelectMultiple,
            "occupation_areas": forms.CheckboxSelectMultiple,
            "strengths": forms.CheckboxSelectMultiple,
            "police_clearance_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "training_completed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_needs(organisation_id, "strengths")
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].max_value = 10
        self.fields["capacity"].widget.attrs.update({"min": 1, "max": 10})
        for name in ("industries", "occupation_areas"):
            self.fields[name].label_from_instance = lambda entry: entry.name

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if not 1 <= capacity <= 10:
            raise forms.ValidationError(_("Between 1 and 10 mentees."))
        return capacity

    def profile_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of the filter"), max_length=100)
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)


class BulkStatusForm(StatusForm):
    """The status change for a selection of the pool: which role, which status."""

    role = forms.ChoiceField(label=_("Role in the pool"), choices=PoolRole.choices)

    field_order = ["role", "status", "reason"]


class MergeSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), max_length=100, required=False)


class MergeForm(forms.Form):
    """Both versions as the user saw them: a merge over a colleague's fresh
    edit is refused (optimistic locking)."""

    version_keep = forms.IntegerField(widget=forms.HiddenInput)
    version_other = forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(forms.Form):
    """A consent as it was given (validation only; the service decides)."""

    purpose = forms.ChoiceField(
        label=_("What the person consents to"),
        choices=ConsentPurpose.choices,
        widget=forms.RadioSelect,
    )
    institution = forms.ModelChoiceField(
        label=_("Partner institution the data may go to"),
        queryset=None,
        required=False,
        help_text=_("Only for sharing data: one consent for each institution."),
    )
    given_on = forms.DateField(
        label=_("Given on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    channel = forms.ChoiceField(
        label=_("Given"), choices=ConsentChannel.choices, widget=forms.RadioSelect
    )
    witness = forms.CharField(
        label=_("Witness"),
        max_length=200,
        required=False,
        help_text=_("Who heard a consent given orally."),
    )
    wording = forms.CharField(
        label=_("Version of the consent text"),
        max_length=200,
        required=False,
        help_text=_("E.g. “Einwilligung Datenweitergabe, Fassung 03/2026”."),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("The signed form or a scan of it: PDF, JPEG or PNG, up to 10 MB."),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The network sits beside the pool: its model is looked up, not imported.
        institution = apps.get_model("network", "Institution")
        self.fields["institution"].queryset = institution.objects.filter(
            organisation_id=organisation_id, is_active=True
        ).order_by("name")


class WithdrawConsentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
