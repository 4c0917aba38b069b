from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.core import reference
from lotse.core.models import Site, SupportArea

from .models import (
    Committee,
    ContactPerson,
    CoreGroup,
    Domain,
    Institution,
    InstitutionKind,
    IntegrationStep,
    MeasureStatus,
    MemberRole,
    NetworkMeeting,
    Offer,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _date(label, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, **kwargs)


def data_of(form: forms.ModelForm) -> dict[str, Any]:
    """What the services save: the cleaned values of the form's model fields."""
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name != "version" and name in form.fields
    }


class _ActiveWhenEdited:
    """A new record is active: its form asks only when an existing one is edited."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["is_active"]


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    domain = forms.ChoiceField(
        label=_("Domain"), choices=[("", _("all")), *Domain.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("all")), *InstitutionKind.choices], required=False
    )


class ActorFilterForm(InstitutionFilterForm):
    cooperates = forms.BooleanField(label=_("only with existing cooperation"), required=False)
    core_group = forms.ChoiceField(
        label=_("Core group"),
        choices=[("", _("all")), ("any", _("planned or member")), *CoreGroup.choices[1:]],
        required=False,
    )
    extended_forums = forms.BooleanField(label=_("only in extended forums"), required=False)


class InstitutionForm(_ActiveWhenEdited, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Institution
        fields = [
            "name",
            "short_name",
            "domain",
            "kind",
            "street",
            "postcode",
            "town",
            "website",
            "phone",
            "email",
            "mandate",
            "tasks",
            "cooperates",
            "core_group",
            "extended_forums",
            "contributions",
            "is_active",
        ]
        widgets = {
            "mandate": forms.Textarea(attrs={"rows": 2}),
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "contributions": forms.Textarea(attrs={"rows": 3}),
        }


class ContactForm(_ActiveWhenEdited, forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "function", "phone", "email", "can_decide", "is_active"]


class CommitteeForm(_ActiveWhenEdited, forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["name", "kind", "purpose", "rhythm", "shared_with_partners", "is_active"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class MemberForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    contact = forms.ModelChoiceField(
        label=_("Person"), queryset=ContactPerson.objects.none(), required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args: Any, institutions, contacts, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["contact"].queryset = contacts
        self.fields["contact"].label_from_instance = lambda c: f"{c.name} ({c.institution.name})"


class AgreementForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    signed_on = _date(_("Signed on"), required=False)
    valid_until = _date(_("Valid until"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("The signed agreement as PDF, JPEG or PNG, up to 10 MB."),
    )

    def __init__(self, *args: Any, institutions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = institutions


class MeetingForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = NetworkMeeting
        fields = ["held_on", "starts_at", "place", "agenda", "minutes"]
        widgets = {
            "held_on": DATE,
            "starts_at": TIME,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }


class NewMeetingForm(MeetingForm):
    present = forms.MultipleChoiceField(
        label=_("Present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The committee's members; those not ticked are recorded as absent."),
    )
    goals = forms.CharField(
        label=_("Shared goals"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One goal per line."),
    )

    class Meta(MeetingForm.Meta):
        pass

    def __init__(self, *args: Any, members, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(member.pk): member for member in members}
        self.fields["present"].choices = [
            (
                key,
                f"{member.institution.name} – {member.contact.name}"
                if member.contact
                else member.institution.name,
            )
            for key, member in self.members.items()
        ]


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("What"), max_length=300)
    institution = forms.ModelChoiceField(
        label=_("Responsible institution"), queryset=Institution.objects.none(), required=False
    )
    contact = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=ContactPerson.objects.none(), required=False
    )
    due_on = _date(_("Due on"), required=False)
    goal = forms.ChoiceField(label=_("For the goal"), required=False)

    def __init__(self, *args: Any, institutions, contacts, goals=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["contact"].queryset = contacts
        self.fields["contact"].label_from_instance = lambda c: f"{c.name} ({c.institution.name})"
        if isinstance(self.fields["goal"], forms.ChoiceField):
            self.fields["goal"].choices = [("", "–"), *((str(g.pk), g.text) for g in goals)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        contact, institution = data.get("contact"), data.get("institution")
        if contact is not None and institution is None:
            data["institution"] = contact.institution
        elif contact is not None and contact.institution_id != institution.pk:
            self.add_error("contact", _("The person must work at the institution chosen."))
        return data


class DraftMeasureForm(MeasureForm):
    """A measure written down with the meeting; an empty row is skipped."""

    title = forms.CharField(label=_("What"), max_length=300, required=False)
    goal = forms.CharField(
        label=_("For the goal"),
        required=False,
        max_length=300,
        help_text=_("Optional: the line of the goal above it serves."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("title") and (data.get("institution") or data.get("due_on")):
            self.add_error("title", _("Say what is to be done."))
        return data


class MeasureUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    note = forms.CharField(
        label=_("Progress note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MeasureFilterForm(forms.Form):
    STATE_CHOICES = [
        ("pending", _("open or in progress")),
        ("overdue", _("overdue")),
        ("all", _("all")),
        *MeasureStatus.choices,
    ]
    state = forms.ChoiceField(label=_("Status"), choices=STATE_CHOICES, required=False)
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=Committee.objects.none(), required=False
    )
    institution = forms.ModelChoiceField(
        label=_("Responsible institution"), queryset=Institution.objects.none(), required=False
    )

    def __init__(self, *args: Any, committees, institutions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["institution"].queryset = institutions


class StepForm(forms.ModelForm):
    class Meta:
        model = IntegrationStep
        fields = ["name", "description", "position", "is_active"]


class ResponsibilityForm(forms.Form):
    step = forms.ModelChoiceField(label=_("Step"), queryset=IntegrationStep.objects.none())
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    contact = forms.ModelChoiceField(
        label=_("Contact person"), queryset=ContactPerson.objects.none(), required=False
    )
    how_to_reach = forms.CharField(
        label=_("How to reach them"),
        required=False,
        max_length=300,
        help_text=_("E.g. “open consultation Tue 9–12, no appointment needed”."),
    )

    def __init__(self, *args: Any, steps, institutions, contacts, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = steps
        self.fields["institution"].queryset = institutions
        self.fields["contact"].queryset = contacts
        self.fields["contact"].label_from_instance = lambda c: f"{c.name} ({c.institution.name})"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        contact, institution = data.get("contact"), data.get("institution")
        if (
            contact is not None
            and institution is not None
            and contact.institution_id != institution.pk
        ):
            self.add_error("contact", _("The person must work at the institution chosen."))
        return data


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=300,
        help_text=_("Printed with the version, e.g. “new contact at the jobcenter”."),
    )


class OfferFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    area = forms.ChoiceField(
        label=_("Area"), choices=[("", _("all")), *SupportArea.choices], required=False
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    current = forms.BooleanField(label=_("only current offers"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("all")), *reference.language_choices()]


class OfferForm(_ActiveWhenEdited, forms.ModelForm):
    # Declared with empty querysets: the model's managers are scoped, and a
    # ModelForm would query them when the class is built.
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Institution.objects.none())
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        help_text=_("The languages the offer is given or explained in."),
    )

    class Meta:
        model = Offer
        fields = [
            "title",
            "area",
            "language_level",
            "provider",
            "description",
            "target_groups",
            "site",
            "place",
            "schedule",
            "starts_on",
            "ends_on",
            "capacity",
            "languages",
            "cost",
            "childcare",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args: Any, institutions, sites, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = institutions
        self.fields["site"].queryset = sites
        self.fields["languages"].choices = reference.language_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The offer cannot end before it starts."))
        return data


class NeedForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=SupportArea.choices)
    target_group = forms.CharField(
        label=_("Target group"), max_length=200, help_text=_("E.g. “young adults”.")
    )
    count = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=100000)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        help_text=_("E.g. “survey at the info event”."),
    )
    recorded_on = _date(_("Counted on"))
