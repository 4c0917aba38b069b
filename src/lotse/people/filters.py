"""The pool filters: every category combinable, each one a subquery on the
person, so that combining them never multiplies rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lotse.core import geo, reference
from lotse.core.models import Site

from .catalogues import LANGUAGE_LEVELS
from .models import (
    Availability,
    Gender,
    Industry,
    Need,
    OccupationArea,
    ParticipantProfile,
    PersonLanguage,
    PersonQuerySet,
    PersonRole,
    PoolRole,
    Status,
    VolunteerProfile,
    WorkExperience,
)

RADIUS_CHOICES = (5, 10, 15, 25, 50, 100)

# From the weakest to the strongest: "B1 or better" is B1 and everything after it.
LEVEL_ORDER = LANGUAGE_LEVELS


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *PoolRole.choices], required=False
    )
    status = forms.MultipleChoiceField(
        label=_("Status (any of)"),
        choices=Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    site = forms.ChoiceField(label=_("Site"), required=False)
    language = forms.ChoiceField(label=_("Speaks"), required=False)
    level = forms.ChoiceField(
        label=_("at least at level"),
        required=False,
        choices=[("", _("any level")), *[(level, level) for level in LEVEL_ORDER[:-1]]],
    )
    country = forms.ChoiceField(label=_("Country of origin"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("any")), *Gender.choices], required=False
    )
    municipality = forms.CharField(label=_("Municipality"), required=False, max_length=100)
    near = forms.CharField(
        label=_("Lives near"),
        required=False,
        max_length=100,
        help_text=_("A town in Germany; for namesakes add the state: Forst (Brandenburg)."),
    )
    radius = forms.TypedChoiceField(
        label=_("within"),
        required=False,
        coerce=int,
        empty_value=15,
        # "km" is the same in German and English.
        choices=[(km, f"{km} km") for km in RADIUS_CHOICES],
    )
    available = forms.MultipleChoiceField(
        label=_("Available at (any of)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    industries = forms.ModelMultipleChoiceField(
        label=_("Industries (any of)"),
        queryset=Industry.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    occupation_areas = forms.ModelMultipleChoiceField(
        label=_("Occupational areas (any of)"),
        queryset=OccupationArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs or strengths (any of)"),
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cleared = forms.BooleanField(label=_("Valid police clearance certificate"), required=False)
    trained = forms.BooleanField(label=_("Basic training completed"), required=False)

    ADVANCED = (
        "language",
        "level",
        "country",
        "gender",
        "municipality",
        "near",
        "radius",
        "available",
        "industries",
        "occupation_areas",
        "needs",
        "cleared",
        "trained",
    )

    def __init__(
        self,
        *args: Any,
        sites: list[Site],
        organisation_id: int,
        countries: list[str],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.sites = sites
        self.place = None
        self.fields["radius"].initial = 15
        self.fields["site"].choices = [
            ("", _("All my sites")),
            *[(str(site.pk), site.name) for site in sites],
        ]
        self.fields["language"].choices = [("", _("any language")), *reference.language_choices()]
        # Only the countries people in the pool come from: a short list to scan.
        present = set(countries)
        self.fields["country"].choices = [
            ("", _("any country")),
            *[(code, name) for code, name in reference.country_choices() if code in present],
        ]
        self.fields["available"].choices = [
            (code, label) for code, label, _bit in Availability.slots()
        ]
        self.fields["needs"].queryset = Need.objects.filter(organisation_id=organisation_id)
        for name in ("industries", "occupation_areas"):
            self.fields[name].label_from_instance = lambda entry: entry.name

    def clean_near(self) -> str:
        name = self.cleaned_data["near"].strip()
        if not name:
            return ""
        home = next((geo.find_place(s.municipality) for s in self.sites if s.municipality), None)
        self.place = geo.find_place(name, near=(home.latitude, home.longitude) if home else None)
        if self.place is None:
            raise forms.ValidationError(
                _(
                    "Lotse does not know a place called “%(name)s”. Check the spelling or try "
                    "the nearest larger town."
                ),
                code="unknown_place",
                params={"name": name},
            )
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["place"] = self.place
        return cleaned

    @property
    def place_label(self) -> str:
        return geo.label(self.place, self.cleaned_data.get("near", "")) if self.place else ""

    @property
    def advanced_fields(self):
        return [self[name] for name in self.ADVANCED]

    @property
    def advanced_in_use(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.ADVANCED)


def apply(
    people: PersonQuerySet, data: dict[str, Any], *, organisation_id: int, today: date
) -> PersonQuerySet:
    """Narrow `people` by the cleaned data of a PoolFilterForm."""
    if data.get("q"):
        people = people.search(data["q"])
    if data.get("role") or data.get("status"):
        roles = PersonRole.objects.filter(organisation_id=organisation_id)
        if data.get("role"):
            roles = roles.filter(role=data["role"])
        if data.get("status"):
            roles = roles.filter(status__in=data["status"])
        people = people.filter(pk__in=roles.values("person"))
    if data.get("site"):
        people = people.filter(site_id=int(data["site"]))
    if data.get("language"):
        skills = PersonLanguage.objects.filter(language=data["language"])
        if data.get("level"):
            skills = skills.filter(level__in=LEVEL_ORDER[LEVEL_ORDER.index(data["level"]) :])
        people = people.filter(pk__in=skills.values("person"))
    if data.get("country"):
        people = people.filter(country_of_origin=data["country"])
    if data.get("gender"):
        people = people.filter(gender=data["gender"])
    if data.get("municipality"):
        people = people.filter(municipality__icontains=data["municipality"].strip())
    if data.get("near") and data.get("place") is not None:
        place = data["place"]
        people = geo.within_km(people, place.latitude, place.longitude, data.get("radius") or 15)
    if data.get("available"):
        mask = Availability.mask(data["available"])
        people = people.alias(free=F("availability").bitand(mask)).exclude(free=0)
    if data.get("industries"):
        chosen = list(data["industries"])
        people = people.filter(
            Q(pk__in=VolunteerProfile.objects.filter(industries__in=chosen).values("person"))
            | Q(pk__in=WorkExperience.objects.filter(industry__in=chosen).values("person"))
            | Q(
                pk__in=ParticipantProfile.objects.filter(target_industries__in=chosen).values(
                    "person"
                )
            )
        )
    if data.get("occupation_areas"):
        chosen = list(data["occupation_areas"])
        people = people.filter(
            Q(pk__in=VolunteerProfile.objects.filter(occupation_areas__in=chosen).values("person"))
            | Q(pk__in=WorkExperience.objects.filter(occupation_area__in=chosen).values("person"))
            | Q(pk__in=ParticipantProfile.objects.filter(target_areas__in=chosen).values("person"))
        )
    if data.get("needs"):
        chosen = list(data["needs"])
        people = people.filter(
            Q(pk__in=ParticipantProfile.objects.filter(needs__in=chosen).values("person"))
            | Q(pk__in=VolunteerProfile.objects.filter(strengths__in=chosen).values("person"))
        )
    if data.get("cleared"):
        oldest = today - timedelta(days=round(365.25 * settings.LOTSE_POLICE_CLEARANCE_YEARS))
        people = people.filter(
            pk__in=VolunteerProfile.objects.filter(police_clearance_on__gt=oldest).values("person")
        )
    if data.get("trained"):
        people = people.filter(
            pk__in=VolunteerProfile.objects.filter(training_completed_on__isnull=False).values(
                "person"
            )
        )
    return people
