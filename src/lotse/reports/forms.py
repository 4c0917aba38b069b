"""The choice of period, programme and site the reports are given for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from lotse.core.models import Site
from lotse.people.models import Person
from lotse.programmes.models import Programme

from .models import AnnualReport, Testimonial
from .periods import CUSTOM, KINDS, MONTH, QUARTER, YEAR, Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FIRST_YEAR = 2000
# A custom period of more than this many years is refused: nobody reports on it
# and its comparison period would reach back to before anything was recorded.
LONGEST_YEARS = 10


class ReportForm(forms.Form):
    """Bound to the query string; an empty query string means this year."""

    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, initial=YEAR)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        required=False,
        choices=list(MONTHS.items()),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        choices=[(number, f"Q{number}") for number in range(1, 5)],
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("all programmes"),
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("all my sites")
    )

    def __init__(self, data: Any, *, user: Any, **kwargs: Any) -> None:
        today = timezone.localdate()
        defaults = {
            "kind": YEAR,
            "year": today.year,
            "month": today.month,
            "quarter": (today.month - 1) // 3 + 1,
        }
        data = {**defaults, **{key: value for key, value in data.items() if value != ""}}
        super().__init__(data, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user).order_by("name")
        self.fields["site"].queryset = Site.objects.visible_to(user).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("kind") == CUSTOM:
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start:
                self.add_error("start", _("Give the first day of the period."))
            if not end:
                self.add_error("end", _("Give the last day of the period."))
            if start and end:
                if start > end:
                    self.add_error("end", _("The end date must not be before the start date."))
                elif (end - start).days > 366 * LONGEST_YEARS:
                    self.add_error(
                        "end",
                        _("A period can be at most %(years)s years long.")
                        % {"years": LONGEST_YEARS},
                    )
                elif start.year < FIRST_YEAR:
                    self.add_error(
                        "start",
                        _("Periods begin in %(year)s at the earliest.") % {"year": FIRST_YEAR},
                    )
        return cleaned

    def period(self) -> Period:
        data = self.cleaned_data
        kind = data["kind"]
        if kind == MONTH:
            return Period.month(data["year"], data.get("month") or 1)
        if kind == QUARTER:
            return Period.quarter(data["year"], data.get("quarter") or 1)
        if kind == YEAR:
            return Period.year(data["year"])
        return Period(CUSTOM, data["start"], data["end"])


def _data_of(form: forms.ModelForm) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name in form.fields and name != "version"
    }


class TestimonialForm(forms.ModelForm):
    __test__ = False  # not a test class, whatever pytest thinks of the name

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    person = forms.ModelChoiceField(label=_("author"), queryset=Person.objects.none())
    programme = forms.ModelChoiceField(
        label=_("programme"), queryset=Programme.objects.none(), required=False
    )

    class Meta:
        model = Testimonial
        fields = [
            "person",
            "author_role",
            "programme",
            "text",
            "signed_as",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).order_by(
            "family_name", "given_name"
        )
        self.fields["programme"].queryset = Programme.objects.visible_to(user).order_by("name")
        if self.instance.pk:
            del self.fields["person"]
            self.fields["version"].initial = self.instance.version

    def values(self) -> dict[str, Any]:
        values = _data_of(self)
        values["version"] = self.cleaned_data.get("version")
        return values


class AnnualReportForm(forms.ModelForm):
    programme = forms.ModelChoiceField(
        label=_("programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("the whole organisation"),
    )
    testimonials = forms.ModelMultipleChoiceField(
        label=_("testimonials"),
        queryset=Testimonial.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only testimonials whose author's consent to publication is in force can be chosen."
        ),
    )
    logo = forms.FileField(
        label=_("logo"), required=False, help_text=_("A PNG or JPEG picture, up to 10 MB.")
    )

    class Meta:
        model = AnnualReport
        fields = ["year", "programme", "language", "title", "foreword", "logo", "testimonials"]
        widgets = {"foreword": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].min_value = FIRST_YEAR
        self.fields["year"].initial = timezone.localdate().year - 1
        self.fields["programme"].queryset = Programme.objects.visible_to(user).order_by("name")
        self.fields["testimonials"].queryset = (
            Testimonial.objects.visible_to(user).publishable().order_by("-created_at")
        )
        self.fields["testimonials"].label_from_instance = lambda testimonial: (
            f"{testimonial.signed_as}: {testimonial.text[:80]}"
        )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not FIRST_YEAR <= year <= timezone.localdate().year:
            raise forms.ValidationError(
                _("Choose a year from %(first)s to this year.") % {"first": FIRST_YEAR}
            )
        return year

    def values(self) -> dict[str, Any]:
        return _data_of(self)
