from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Site

from .models import EnrolmentRole, Event, EventKind, Programme, Step
from .services import EVENT_FIELDS, PROGRAMME_FIELDS, STEP_FIELDS


class ProgrammeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Querysets are set per request: no organisation scope at import time.
    sites = forms.ModelMultipleChoiceField(
        label=_("sites"),
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=Programme._meta.get_field("sites").help_text,
    )

    class Meta:
        model = Programme
        fields = [*PROGRAMME_FIELDS, "sites", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = sites
        if not self.instance.pk:
            del self.fields["is_active"]
            self.fields["kind"].help_text = _(
                "The programme starts with the usual steps of its kind; change them afterwards."
            )

    def clean_max_duration_months(self) -> int:
        value = self.cleaned_data["max_duration_months"]
        if not 1 <= value <= 36:
            raise forms.ValidationError(_("Give a duration between 1 and 36 months."))
        return value

    def clean_meeting_rhythm_days(self) -> int:
        value = self.cleaned_data["meeting_rhythm_days"]
        if not 1 <= value <= 90:
            raise forms.ValidationError(_("Give a rhythm between 1 and 90 days."))
        return value

    def programme_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in PROGRAMME_FIELDS}
        values["sites"] = list(self.cleaned_data["sites"])
        if "is_active" in self.fields:
            values["is_active"] = self.cleaned_data["is_active"]
        return values


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = list(STEP_FIELDS)


class MoveForm(forms.Form):
    to_step = forms.ModelChoiceField(label=_("Move to step"), queryset=Step.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, steps: list[Step], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_step"].queryset = Step.objects.filter(pk__in=[s.pk for s in steps])
        self.fields["to_step"].label_from_instance = lambda step: f"{step.position}. {step.name}"


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EnrolForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    role = forms.ChoiceField(label=_("as"), choices=EnrolmentRole.choices)

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].empty_label = None


class RegisterForm(forms.Form):
    event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.none())

    def __init__(self, *args: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events
        self.fields["event"].empty_label = None
        self.fields["event"].label_from_instance = _event_label


def _event_label(event: Event) -> str:
    return f"{date_format(localtime(event.starts_at), 'SHORT_DATETIME_FORMAT')} – {event.title}"


class EventForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    online_link = forms.URLField(
        label=_("online link"), required=False, max_length=200, assume_scheme="https"
    )
    site = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.none())
    programme = forms.ModelChoiceField(
        label=_("programme"),
        queryset=Programme.objects.none(),
        required=False,
        help_text=Event._meta.get_field("programme").help_text,
    )
    starts_at = forms.DateTimeField(
        label=_("starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, sites: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].empty_label = None
        self.fields["programme"].queryset = programmes
        self.fields["programme"].empty_label = _("– the whole organisation –")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("The event must not end before it starts."))
        return cleaned

    def event_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EVENT_FIELDS}


class EventFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("upcoming")), ("past", _("past")), ("all", _("all"))],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"), required=False, queryset=Programme.objects.none()
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all kinds")), *EventKind.choices]
        self.fields["programme"].queryset = programmes
        self.fields["programme"].empty_label = _("all programmes")
