"""Questionnaires (replacing Mentimeter and paper feedback sheets), their
questions, and the responses: anonymous ones given through a survey's link,
and the mid-term checks and final evaluations of tandems.

An anonymous response keeps the answers and the day it was given, nothing
else: no user, no address, no session, no time of day that could be matched
with an attendance list. A tandem's evaluation is not anonymous: its response
belongs to the tandem's record of who answered (tandems.Evaluation)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.models import OrganisationOwned, OrganisationQuerySet, scoped_manager
from lotse.programmes.models import Event, Programme
from lotse.tandems.models import Evaluation


class SurveyTemplate(models.TextChoices):
    INFO_EVENT = "info_event", _("feedback on an info event")
    TRAINING = "training", _("feedback on a training")
    TANDEM_MIDTERM = "tandem_midterm", _("mid-term check of a tandem")
    TANDEM_END = "tandem_end", _("final evaluation of a tandem")
    EMPTY = "empty", _("no questions yet")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("scale from 1 to 5")
    SINGLE = "single", _("one choice")
    MULTIPLE = "multiple", _("several choices")
    TEXT = "text", _("free text")


class SurveyKind(models.TextChoices):
    ANONYMOUS = "anonymous", _("anonymously, through its link or QR code")
    TANDEM_MIDTERM = "midterm", _("as the mid-term check of each tandem")
    TANDEM_FINAL = "final", _("as the final evaluation of each tandem")


# The template a tandem's questionnaire starts from when none is set up yet.
TANDEM_TEMPLATES = {
    SurveyKind.TANDEM_MIDTERM: SurveyTemplate.TANDEM_MIDTERM,
    SurveyKind.TANDEM_FINAL: SurveyTemplate.TANDEM_END,
}


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Survey(OrganisationOwned):
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    # How it is answered: through the anonymous link, or on a tandem's page
    # (the open one of its kind for the tandem's programme, else for all).
    kind = models.CharField(
        _("answered"), max_length=10, choices=SurveyKind.choices, default=SurveyKind.ANONYMOUS
    )
    # The anonymous link: whoever has it may answer, nobody is asked who they are.
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    is_open = models.BooleanField(_("open for responses"), default=True)
    # Empty for the questionnaires carried over from the tandems' own.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(OrganisationQuerySet)
    # The one unscoped way in: the anonymous link names no organisation, so
    # the survey is found by its token alone; everything after runs scoped.
    links = models.Manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_anonymous(self) -> bool:
        return self.kind == SurveyKind.ANONYMOUS


class Question(OrganisationOwned):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind of question"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)

    objects = scoped_manager(OrganisationQuerySet)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Response(OrganisationOwned):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # The day only: a time could be matched with who came when.
    submitted_on = models.DateField(_("answered on"))
    # Of a tandem's evaluation: the record of which of the two answered.
    # Empty for every response through the anonymous link.
    evaluation = models.OneToOneField(
        Evaluation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("evaluation"),
    )

    objects = scoped_manager(OrganisationQuerySet)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")


class Answer(OrganisationOwned):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # The scale value (1 to 5) or the index of the one choice.
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    # The indexes of several choices.
    picked = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)

    objects = scoped_manager(OrganisationQuerySet)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]
