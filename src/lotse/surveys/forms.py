"""Forms of surveys: setting one up, adding a question, and the anonymous
response form built from a survey's questions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.programmes.models import Event, Programme

from .models import QuestionKind, Survey, SurveyTemplate


class SurveyForm(forms.ModelForm):
    template = forms.ChoiceField(
        label=_("questions to start from"),
        choices=SurveyTemplate.choices,
        initial=SurveyTemplate.INFO_EVENT,
    )
    programme = forms.ModelChoiceField(
        label=_("programme"), queryset=Programme.objects.none(), required=False
    )
    event = forms.ModelChoiceField(label=_("event"), queryset=Event.objects.none(), required=False)

    class Meta:
        model = Survey
        fields = ["title", "introduction", "template", "programme", "event"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user).order_by("name")
        self.fields["event"].queryset = Event.objects.visible_to(user).order_by("-starts_at")[:200]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For one or several choices: one per line."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = data["choices"].splitlines()
        return data


class ResponseForm(forms.Form):
    """One field per question; what the service records is `answers()`."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            name = f"q{question.pk}"
            common = {"label": question.text, "required": question.required}
            if question.kind == QuestionKind.SCALE:
                field = forms.TypedChoiceField(
                    choices=[(value, str(value)) for value in range(1, 6)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text=_("1 means not at all, 5 means very."),
                    **common,
                )
            elif question.kind == QuestionKind.SINGLE:
                field = forms.TypedChoiceField(
                    choices=list(enumerate(question.choices)),
                    coerce=int,
                    widget=forms.RadioSelect,
                    **common,
                )
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=list(enumerate(question.choices)),
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common
                )
            self.fields[name] = field

    def answers(self) -> dict[int, Any]:
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions
        }
