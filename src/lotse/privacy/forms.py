from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ErasureReason


class ErasureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=ErasureReason.choices)
    understood = forms.BooleanField(
        label=_("I understand that the anonymisation cannot be undone."),
        error_messages={"required": _("Confirm that you understand it cannot be undone.")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "confirm"), ("cancel", "cancel")])


class PeriodsForm(forms.Form):
    """Months and automatic mode per kind of record, one pair of fields each."""

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = list(periods)
        for period in self.periods:
            self.fields[f"{period.kind}-months"] = forms.IntegerField(
                label=_("%(kind)s: kept for (months)") % {"kind": period.label},
                min_value=1,
                max_value=600,
                initial=period.months,
            )
            self.fields[f"{period.kind}-automatic"] = forms.BooleanField(
                label=_("%(kind)s: anonymise automatically") % {"kind": period.label},
                required=False,
                initial=period.automatic,
            )

    def values(self) -> dict[str, tuple[int, bool]]:
        return {
            period.kind: (
                self.cleaned_data[f"{period.kind}-months"],
                self.cleaned_data[f"{period.kind}-automatic"],
            )
            for period in self.periods
        }

    def rows(self):
        return [
            (period, self[f"{period.kind}-months"], self[f"{period.kind}-automatic"])
            for period in self.periods
        ]
