"""Forms of surveys: setting one up, adding a question, the anonymous
response form built from a survey's questions, and the same form for a
tandem's evaluation."""

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
        fields = ["title", "introduction", "template", "kind", "programme", "event"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
        }
        help_texts = {
            "kind": _(
                "A questionnaire of tandems is answered on each tandem's page, for the "
                "tandems of its programme (or of every programme); the one set up last is used."
            )
        }

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


class EvaluationForm(ResponseForm):
    """The questionnaire as the mentee or mentor of a tandem answers it,
    recorded by the coordinator: with the day, and the response it replaces
    (so that answers recorded meanwhile by someone else are not overwritten)."""

    answered_on = forms.DateField(
        label=_("Answered on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    replaces = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, survey: Survey, earlier: Any = None, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial["replaces"] = earlier.pk if earlier else None
        if earlier is not None and earlier.survey_id == survey.pk:
            for answer in earlier.answers.all():
                value: Any = answer.text
                if answer.number is not None:
                    value = answer.number
                elif answer.picked:
                    value = answer.picked
                initial[f"q{answer.question_id}"] = value
        super().__init__(*args, survey=survey, **kwargs)
        # The day after the questions, the hidden reference last.
        self.order_fields([*(f"q{question.pk}" for question in self.questions), "answered_on"])
