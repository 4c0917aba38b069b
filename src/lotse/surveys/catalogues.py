"""The questionnaires a survey can start from. The questions are written in
the language of whoever creates the survey and can be changed until the
first response comes in."""

from __future__ import annotations

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import QuestionKind, SurveyKind, SurveyTemplate


class Template(NamedTuple):
    kind: str
    text: Promise
    choices: tuple[Promise, ...] = ()
    required: bool = False


_USEFUL = (_("not useful"), _("a little"), _("useful"), _("very useful"))

TEMPLATES: dict[str, tuple[Template, ...]] = {
    SurveyTemplate.INFO_EVENT: (
        Template(QuestionKind.SCALE, _("How satisfied are you with the info event?"), (), True),
        Template(
            QuestionKind.SCALE, _("How well do you now understand what the programme offers?")
        ),
        Template(
            QuestionKind.SINGLE,
            _("Would you like to take part?"),
            (_("yes"), _("maybe"), _("no")),
        ),
        Template(
            QuestionKind.MULTIPLE,
            _("How did you hear about us?"),
            (
                _("friends or family"),
                _("jobcenter or employment agency"),
                _("migration counselling"),
                _("language course"),
                _("social media"),
                _("other"),
            ),
        ),
        Template(QuestionKind.TEXT, _("What else would you like to tell us?")),
    ),
    SurveyTemplate.TRAINING: (
        Template(QuestionKind.SCALE, _("How satisfied are you with the training?"), (), True),
        Template(
            QuestionKind.SINGLE, _("How useful is the content for your work as a mentor?"), _USEFUL
        ),
        Template(QuestionKind.SCALE, _("How well did the trainer explain things?")),
        Template(QuestionKind.TEXT, _("What was missing?")),
    ),
    SurveyTemplate.TANDEM_MIDTERM: (
        Template(QuestionKind.SCALE, _("How satisfied are you with your tandem so far?"), (), True),
        Template(
            QuestionKind.SINGLE,
            _("Are you on the way to the goals you agreed on?"),
            (_("yes"), _("partly"), _("not yet")),
        ),
        Template(
            QuestionKind.SINGLE,
            _("How often do you meet?"),
            (_("every week"), _("every two weeks"), _("once a month"), _("less often")),
        ),
        Template(QuestionKind.TEXT, _("What would help your tandem now?")),
    ),
    SurveyTemplate.TANDEM_END: (
        Template(QuestionKind.SCALE, _("How satisfied are you with your tandem?"), (), True),
        Template(
            QuestionKind.SINGLE,
            _("Were the goals of the tandem reached?"),
            (_("fully"), _("partly"), _("not")),
        ),
        Template(
            QuestionKind.MULTIPLE,
            _("What did you work on together?"),
            (
                _("applications and CV"),
                _("job search"),
                _("language"),
                _("recognition of qualifications"),
                _("authorities and forms"),
                _("everyday life"),
            ),
        ),
        Template(QuestionKind.SCALE, _("How well did the coordinators support you?")),
        Template(QuestionKind.TEXT, _("What would you like to pass on to future tandems?")),
    ),
    SurveyTemplate.EMPTY: (),
}

# The title of a tandem questionnaire set up from its template.
TANDEM_TITLES = {
    SurveyKind.TANDEM_MIDTERM: _("Mid-term check of the tandems"),
    SurveyKind.TANDEM_FINAL: _("Final evaluation of the tandems"),
}
