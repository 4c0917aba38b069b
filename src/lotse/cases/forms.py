from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Site, SupportArea
from lotse.network.models import Institution, Offer
from lotse.people.models import Person
from lotse.programmes.models import Programme

from .models import (
    SENSITIVE_FIELDS,
    CaseStatus,
    ClosingReason,
    ContactKind,
    Intake,
    MeasureStatus,
    Outcome,
    ReferralStatus,
    Responsible,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, **kwargs)


def _staff_choices(staff) -> list[tuple[str, str]]:
    return [(str(user.pk), user.get_full_name() or user.email) for user in staff]


class _Staff:
    """Caseworker and deputies chosen from the staff who work with cases."""

    def _set_staff(self, staff) -> None:
        self.staff = {str(user.pk): user for user in staff}
        self.fields["caseworker"].choices = [("", "–"), *_staff_choices(staff)]
        self.fields["deputies"].choices = _staff_choices(staff)

    def clean_caseworker(self):
        return self.staff[self.cleaned_data["caseworker"]]

    def clean_deputies(self):
        return [self.staff[key] for key in self.cleaned_data["deputies"]]


class CaseForm(_Staff, forms.Form):
    client = forms.ModelChoiceField(label=_("Client"), queryset=Person.objects.none())
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        help_text=_("Empty: the client's site."),
    )
    caseworker = forms.ChoiceField(label=_("Responsible caseworker"))
    deputies = forms.MultipleChoiceField(
        label=_("Deputies"), required=False, widget=forms.CheckboxSelectMultiple
    )
    opened_on = _date(_("Opened on"))

    def __init__(self, *args: Any, clients, programmes, sites, staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients
        self.fields["programme"].queryset = programmes
        self.fields["site"].queryset = sites
        self._set_staff(staff)

    def clean_opened_on(self) -> datetime.date:
        value = self.cleaned_data["opened_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A case cannot be opened in the future."))
        return value


class CaseEditForm(_Staff, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    caseworker = forms.ChoiceField(label=_("Responsible caseworker"))
    deputies = forms.MultipleChoiceField(
        label=_("Deputies"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, sites, staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self._set_staff(staff)


class CaseFilterForm(forms.Form):
    SCOPE_CHOICES = [("mine", _("my cases")), ("all", _("all cases I may see"))]
    scope = forms.ChoiceField(label=_("Cases"), choices=SCOPE_CHOICES, required=False)
    state = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("open")), ("all", _("all")), *CaseStatus.choices],
        required=False,
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    q = forms.CharField(label=_("Search by name or number"), required=False, max_length=100)

    def __init__(self, *args: Any, sites, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    closed_on = _date(_("Closed on"))
    reason = forms.ChoiceField(label=_("Reason"), choices=ClosingReason.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    outcome_note = forms.CharField(
        label=_("Note on the outcome"),
        required=False,
        max_length=300,
        help_text=_("E.g. the employer and the start, without further personal details."),
    )


class HoldForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Why"), required=False, max_length=300)


class IntakeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    complete = forms.BooleanField(
        label=_("The intake is complete"),
        required=False,
        help_text=_("Moves the case from intake to active."),
    )

    class Meta:
        model = Intake
        fields = [
            "family_situation",
            "children_ages",
            "childcare_needed",
            "languages",
            "education",
            "work_experience",
            "health",
            "residence",
            "goals",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "family_situation",
                "languages",
                "education",
                "work_experience",
                "health",
                "residence",
                "goals",
            )
        }

    def __init__(self, *args: Any, sensitive: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not sensitive:
            for name in SENSITIVE_FIELDS:
                del self.fields[name]

    def section_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}


class GoalForm(forms.Form):
    area = forms.ChoiceField(label=_("Life area"), choices=SupportArea.choices)
    text = forms.CharField(label=_("Goal"), max_length=300)


class PlanMeasureForm(forms.Form):
    goal = forms.ChoiceField(label=_("For the goal"))
    what = forms.CharField(label=_("What"), max_length=300)
    responsible = forms.ChoiceField(
        label=_("Who is responsible"), choices=Responsible.choices, widget=forms.RadioSelect
    )
    institution = forms.ModelChoiceField(
        label=_("Partner institution"), queryset=Institution.objects.none(), required=False
    )
    offer = forms.ModelChoiceField(
        label=_("Or an offer"), queryset=Offer.objects.none(), required=False
    )
    due_on = _date(_("Due on"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, goals, institutions, offers, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = {str(goal.pk): goal for goal in goals}
        self.fields["goal"].choices = [(key, goal.text) for key, goal in self.goals.items()]
        self.fields["institution"].queryset = institutions
        self.fields["offer"].queryset = offers
        self.fields["offer"].label_from_instance = lambda o: f"{o.title} ({o.provider.name})"

    def clean_goal(self):
        return self.goals[self.cleaned_data["goal"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("responsible") == Responsible.PARTNER and not (
            data.get("institution") or data.get("offer")
        ):
            self.add_error("institution", _("Choose the partner institution or offer."))
        return data


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class AgreeForm(forms.Form):
    agreed_on = _date(_("Agreed with the client on"))

    def clean_agreed_on(self) -> datetime.date:
        value = self.cleaned_data["agreed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot lie in the future."))
        return value


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    day = _date(_("Date"))
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=720, initial=60
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        max_length=300,
        help_text=_("E.g. “client, interpreter, teacher”."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the case page only, never in the calendar feed."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def starts_at(self) -> datetime.datetime:
        day, time = self.cleaned_data["day"], self.cleaned_data["time"]
        return timezone.make_aware(datetime.datetime.combine(day, time))


class ReferralForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    offer = forms.ModelChoiceField(
        label=_("Or an offer"), queryset=Offer.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
    referred_on = _date(_("Referred on"))
    shares_data = forms.BooleanField(
        label=_("The client's data go to the institution"),
        required=False,
        help_text=_("Only with the client's consent to share with this institution, in force."),
    )

    def __init__(self, *args: Any, institutions, offers, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["offer"].queryset = offers
        self.fields["offer"].label_from_instance = lambda o: f"{o.title} ({o.provider.name})"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("institution") and not data.get("offer"):
            self.add_error("institution", _("Choose the institution or offer."))
        return data


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReferralStatus.choices)
    feedback = forms.CharField(label=_("Feedback"), required=False, max_length=2000)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG or an office file (Word, Excel, OpenDocument), up to 10 MB."),
    )
