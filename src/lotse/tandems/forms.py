from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import User
from lotse.core.models import Site
from lotse.programmes.models import Programme

from .agreement import PLACEHOLDERS, unknown_placeholders
from .models import (
    EndReason,
    FollowUpResult,
    MeetingMode,
    MeetingTopic,
    OutcomeKind,
    SupportActivity,
    TandemStatus,
)


def _date(label, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _staff_choices(staff) -> list[tuple[str, str]]:
    return [("", "–")] + [(str(user.pk), user.get_full_name() or user.email) for user in staff]


class TandemFilterForm(forms.Form):
    STATE_CHOICES = [
        ("running", _("running (forming, active, paused)")),
        ("all", _("all")),
        *TandemStatus.choices,
    ]
    state = forms.ChoiceField(label=_("Status"), choices=STATE_CHOICES, required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    coordinator = forms.ChoiceField(label=_("Coordinator"), required=False)
    overdue = forms.BooleanField(label=_("only tandems without a recent meeting"), required=False)

    def __init__(self, *args: Any, programmes, sites, staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["site"].queryset = sites
        self.fields["coordinator"].choices = _staff_choices(staff)


class TandemForm(_Versioned):
    goals = forms.CharField(
        label=_("Goals"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the mentee wants to reach; printed in the agreement."),
    )
    coordinator = forms.ChoiceField(label=_("Responsible coordinator"))
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    started_on = _date(_("Start"), required=False)
    planned_end_on = _date(
        _("Planned end"),
        required=False,
        help_text=_("Empty: the start plus the programme's maximum duration."),
    )

    def __init__(self, *args: Any, sites, staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.staff = {str(user.pk): user for user in staff}
        self.fields["coordinator"].choices = _staff_choices(staff)[1:]

    def clean_coordinator(self) -> User:
        return self.staff[self.cleaned_data["coordinator"]]

    def tandem_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class FormTandemForm(forms.Form):
    """Forming a tandem from an accepted pair."""

    goals = TandemForm.base_fields["goals"]
    coordinator = forms.ChoiceField(label=_("Responsible coordinator"))
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())

    def __init__(self, *args: Any, sites, staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.staff = {str(user.pk): user for user in staff}
        self.fields["coordinator"].choices = _staff_choices(staff)[1:]

    def clean_coordinator(self) -> User:
        return self.staff[self.cleaned_data["coordinator"]]


class SignatureForm(_Versioned):
    signed_on = _date(_("Signed on"))
    scan = forms.FileField(
        label=_("Signed agreement (scan)"),
        required=False,
        help_text=_("Optional: a PDF, JPEG or PNG file of up to 10 MB."),
    )


class MeetingForm(forms.Form):
    held_on = _date(_("Date of the meeting"))
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=5, max_value=600, initial=60
    )
    mode = forms.ChoiceField(
        label=_("How did they meet?"),
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        initial=MeetingMode.IN_PERSON,
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=MeetingTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Short note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No health or residence matters here."),
    )


class SupportTimeForm(forms.Form):
    spent_on = _date(_("Date"))
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=720, initial=30)
    activity = forms.ChoiceField(label=_("Activity"), choices=SupportActivity.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PauseForm(_Versioned):
    reason = forms.CharField(label=_("Reason for the break"), max_length=300)


_YES_NO = [("", _("not known")), ("yes", _("yes")), ("no", _("no"))]


def _yes_no(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=_YES_NO,
        required=False,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )


class EndForm(_Versioned):
    ended_on = _date(_("Ended on"))
    reason = forms.ChoiceField(
        label=_("Why does the tandem end?"), choices=EndReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    outcome = forms.ChoiceField(
        label=_("What did the mentee achieve?"),
        choices=OutcomeKind.choices,
        widget=forms.RadioSelect,
    )
    achieved_on = _date(_("Achieved on"), required=False)
    contract_start = _date(_("Contract start"), required=False)
    permanent = _yes_no(_("Permanent contract"))
    three_months_or_more = _yes_no(_("Three months or longer"))
    social_insurance = _yes_no(_("Subject to social insurance"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == OutcomeKind.EMPLOYMENT and not data.get("contract_start"):
            self.add_error("contract_start", _("Give the start of the employment contract."))
        if data.get("reason") == EndReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Describe the other reason in the note."))
        ended_on = data.get("ended_on")
        if ended_on and ended_on > timezone.localdate():
            self.add_error("ended_on", _("The end cannot lie in the future."))
        return data

    def end_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class FollowUpForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=FollowUpResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


TEMPLATE_FIELDS = ("title_de", "title_en", "body_de", "body_en", "privacy_de", "privacy_en")


class AgreementTemplateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title_de = forms.CharField(label=_("Title (German)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    body_de = forms.CharField(
        label=_("Text (German)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 14})
    )
    body_en = forms.CharField(
        label=_("Text (English)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 14})
    )
    privacy_de = forms.CharField(
        label=_("Data protection note (German)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    privacy_en = forms.CharField(
        label=_("Data protection note (English)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    placeholders = PLACEHOLDERS

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in TEMPLATE_FIELDS:
            unknown = unknown_placeholders(data.get(name) or "")
            if unknown:
                self.add_error(
                    name,
                    _("Unknown placeholder %(names)s. Use only the placeholders listed.")
                    % {"names": ", ".join("{" + item + "}" for item in unknown)},
                )
        return data

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in TEMPLATE_FIELDS}
