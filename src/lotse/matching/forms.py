from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import criteria
from .models import DecisionKind
from .services import MAX_WEIGHT


class WeightsForm(forms.Form):
    """How much each criterion counts, and the largest distance between homes."""

    max_distance_km = forms.IntegerField(
        label=_("Maximum distance in km"),
        min_value=1,
        max_value=1000,
        help_text=_("Pairs whose homes are further apart are not proposed."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in criteria.CRITERIA:
            self.fields[f"weight_{code}"] = forms.DecimalField(
                label=label,
                min_value=0,
                max_value=MAX_WEIGHT,
                max_digits=4,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5"}),
            )

    @classmethod
    def for_session(cls, session, data=None) -> WeightsForm:
        initial = {f"weight_{code}": session.weights.get(code, 0) for code in criteria.CODES} | {
            "max_distance_km": session.max_distance_km,
            "version": session.version,
        }
        return cls(data, initial=initial)

    @property
    def weight_fields(self):
        return [self[f"weight_{code}"] for code in criteria.CODES]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        weights = [cleaned.get(f"weight_{code}") for code in criteria.CODES]
        if all(weight is not None for weight in weights) and not any(weights):
            raise forms.ValidationError(_("At least one criterion needs a weight above 0."))
        return cleaned

    def weights(self) -> dict[str, float]:
        return {code: float(self.cleaned_data[f"weight_{code}"]) for code in criteria.CODES}


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    # The decision on the pair the user saw (0: none), to notice a colleague's.
    seen = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("kind") == DecisionKind.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason for rejecting the pair."))
        return cleaned
