"""Tandems ("duos"): a mentor and a mentee of one programme working together
for a few months with a regular meeting; their agreement, meetings, the staff
time spent supporting them, check-ins and evaluation, and the outcome."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotse.core.models import (
    OrganisationOwned,
    OrganisationQuerySet,
    Site,
    SiteQuerySet,
    scoped_manager,
)
from lotse.core.storage import document_name, document_storage
from lotse.programmes.models import Enrolment, Programme


class TandemStatus(models.TextChoices):
    FORMING = "forming", _("forming")
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    COMPLETED = "completed", _("completed")
    ENDED_EARLY = "ended_early", _("ended early")


RUNNING = (TandemStatus.FORMING, TandemStatus.ACTIVE, TandemStatus.PAUSED)
ENDED = (TandemStatus.COMPLETED, TandemStatus.ENDED_EARLY)


class EndReason(models.TextChoices):
    PLANNED_END = "planned_end", _("planned end reached")
    GOAL_REACHED = "goal_reached", _("goal reached before the planned end")
    MENTEE_WITHDREW = "mentee_withdrew", _("the mentee withdrew")
    MENTOR_WITHDREW = "mentor_withdrew", _("the mentor withdrew")
    CONTACT_LOST = "contact_lost", _("contact broke off")
    MOVED_AWAY = "moved_away", _("moved away")
    NO_FIT = "no_fit", _("the pair did not fit")
    OTHER = "other", _("other reason")


# An end for one of these reasons completes the tandem; any other ends it early.
COMPLETING_REASONS = (EndReason.PLANNED_END, EndReason.GOAL_REACHED)


class TandemQuerySet(SiteQuerySet):
    def running(self) -> TandemQuerySet:
        return self.filter(status__in=RUNNING)

    def overdue(self, today: datetime.date) -> TandemQuerySet:
        """Active tandems without a meeting for longer than twice their
        programme's rhythm, counted from the latest of start, last meeting and
        the end of a break."""
        rhythms = Programme.objects.filter(
            pk__in=self.filter(status=TandemStatus.ACTIVE).values("programme")
        ).values_list("meeting_rhythm_days", flat=True)
        condition = Q(pk__in=[])
        for days in set(rhythms):
            limit = today - datetime.timedelta(days=2 * days)
            condition |= (
                Q(programme__meeting_rhythm_days=days, started_on__lt=limit)
                & (Q(last_meeting_on__isnull=True) | Q(last_meeting_on__lt=limit))
                & (Q(resumed_on__isnull=True) | Q(resumed_on__lt=limit))
            )
        return self.filter(condition, status=TandemStatus.ACTIVE)


class Tandem(OrganisationOwned):
    site_field = "site"

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="tandems", verbose_name=_("programme")
    )
    mentee = models.ForeignKey(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="mentee_tandems",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="mentor_tandems",
        verbose_name=_("mentor"),
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible coordinator"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TandemStatus.choices, default=TandemStatus.FORMING
    )
    goals = models.TextField(
        _("goals"), blank=True, help_text=_("What the mentee wants to reach with the mentor.")
    )
    first_meeting_on = models.DateField(_("first meeting"), null=True, blank=True)
    started_on = models.DateField(_("start"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("note on the end"), max_length=300, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_scan = models.FileField(
        _("signed agreement (scan)"),
        storage=document_storage,
        upload_to=document_name,
        blank=True,
        max_length=200,
    )
    # Kept in step by the services: what the overdue check compares. The
    # clock runs from the latest of start, last meeting and end of a break.
    last_meeting_on = models.DateField(_("last meeting"), null=True, blank=True)
    resumed_on = models.DateField(_("resumed after a break"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(TandemQuerySet)

    class Meta:
        verbose_name = _("tandem")
        verbose_name_plural = _("tandems")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="tandem_status"),
            models.Index(fields=["organisation", "-created_at"], name="tandem_recent"),
        ]
        constraints = [
            # A mentee works with one mentor at a time.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=["forming", "active", "paused"]),
                name="tandem_one_running_per_mentee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee.person} – {self.mentor.person}"

    @property
    def number(self) -> str:
        """How the tandem is named where people's names must not appear (e-mails)."""
        return f"T-{self.pk:04d}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED

    def meeting_due_on(self) -> datetime.date | None:
        """From this day on, an active tandem counts as overdue."""
        if self.status != TandemStatus.ACTIVE or self.started_on is None:
            return None
        return self.clock_since() + datetime.timedelta(
            days=2 * self.programme.meeting_rhythm_days + 1
        )

    def clock_since(self) -> datetime.date | None:
        """The day the overdue clock counts from: the latest of start, last
        meeting and the end of a break."""
        days = [day for day in (self.started_on, self.last_meeting_on, self.resumed_on) if day]
        return max(days) if days else None

    def is_overdue(self, today: datetime.date) -> bool:
        due = self.meeting_due_on()
        return due is not None and today >= due

    def midterm_on(self) -> datetime.date | None:
        if self.started_on is None or self.planned_end_on is None:
            return None
        return self.started_on + (self.planned_end_on - self.started_on) / 2


class TandemStatusChange(OrganisationOwned):
    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        _("from"), max_length=12, choices=TandemStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=TandemStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("status change of a tandem")
        verbose_name_plural = _("status changes of tandems")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class AgreementTemplate(OrganisationOwned):
    """The agreement a programme's tandems sign, in German and English, with
    placeholders such as {mentee} that Lotse fills in (tandems.agreement)."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="agreement_template"
    )
    title_de = models.CharField(_("German title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    body_de = models.TextField(_("German text"))
    body_en = models.TextField(_("English text"))
    privacy_de = models.TextField(_("German data protection note"))
    privacy_en = models.TextField(_("English data protection note"))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")

    def __str__(self) -> str:
        return self.title_de


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("phone")
    VIDEO = "video", _("video")


class MeetingTopic(models.TextChoices):
    CV = "cv", _("CV")
    APPLICATIONS = "applications", _("applications")
    INTERVIEW = "interview", _("interview training")
    GERMAN = "german", _("German practice")
    JOB_SEARCH = "job_search", _("job search")
    RECOGNITION = "recognition", _("recognition of qualifications")
    AUTHORITIES = "authorities", _("authorities")
    OTHER = "other", _("other")


class RecordedVia(models.TextChoices):
    STAFF = "staff", _("by staff")
    PORTAL = "portal", _("by the mentor in the portal")


class Meeting(OrganisationOwned):
    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="meetings")
    # The tandem's site and programme, kept on each meeting (services move them
    # with the tandem): the reports then count the meetings of one site or
    # programme in a period from an index, without looking up the tandems.
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", editable=False
    )
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"))
    mode = models.CharField(_("how"), max_length=10, choices=MeetingMode.choices)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    note = models.CharField(_("short note"), max_length=500, blank=True)
    recorded_via = models.CharField(
        _("recorded"), max_length=10, choices=RecordedVia.choices, default=RecordedVia.STAFF
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [
            # A tandem's meetings by date; with the organisation (which the
            # scoped manager adds to every query) and the duration, the reports
            # add up the meetings of some tandems from the index alone.
            models.Index(
                fields=["tandem", "-held_on", "organisation", "duration_minutes"],
                name="meeting_tandem_date",
            ),
            # The reports count and add up the meetings of a period, of all
            # tandems or some: from the index alone, whichever of the two the
            # database picks (SQLite without statistics picks this one).
            models.Index(
                fields=["organisation", "held_on", "tandem", "duration_minutes"],
                name="meeting_period_tandem",
            ),
            # The same for the meetings of some sites, or of one programme.
            models.Index(
                fields=["organisation", "site", "held_on", "programme", "duration_minutes"],
                name="meeting_site_period",
            ),
            models.Index(
                fields=["organisation", "programme", "held_on", "site", "duration_minutes"],
                name="meeting_programme_period",
            ),
        ]

    def __str__(self) -> str:
        return str(self.held_on)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.site_id is None or self.programme_id is None:
            self.site_id = self.tandem.site_id
            self.programme_id = self.tandem.programme_id
        super().save(*args, **kwargs)

    def topic_labels(self) -> list[str]:
        labels = dict(MeetingTopic.choices)
        return [str(labels[code]) for code in self.topics if code in labels]


class SupportActivity(models.TextChoices):
    COORDINATION = "coordination", _("coordination")
    CONFLICT = "conflict", _("conflict resolution")
    CHECK_IN = "check_in", _("check-in call")
    OTHER = "other", _("other")


class SupportTime(OrganisationOwned):
    """Staff time spent supporting one tandem: the KPI "hours invested in
    supporting duos"."""

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="support_times")
    spent_on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    activity = models.CharField(_("activity"), max_length=20, choices=SupportActivity.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("support time")
        verbose_name_plural = _("support times")
        ordering = ["-spent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.spent_on}: {self.minutes}"


class EvaluationKind(models.TextChoices):
    MIDTERM = "midterm", _("mid-term check")
    FINAL = "final", _("final evaluation")


class Respondent(models.TextChoices):
    MENTEE = "mentee", _("mentee")
    MENTOR = "mentor", _("mentor")


class Evaluation(OrganisationOwned):
    """That one of the two answered the mid-term check or the final
    evaluation: when, and who recorded it. The questions and the answers are
    a survey's (the surveys app links its response to this record), so an
    organisation sets its own questionnaire; the reminders and the life cycle
    need only to know that it was answered."""

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("evaluation"), max_length=10, choices=EvaluationKind.choices)
    respondent = models.CharField(_("answered by"), max_length=10, choices=Respondent.choices)
    answered_on = models.DateField(_("answered on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["tandem", "kind", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["tandem", "kind", "respondent"], name="evaluation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.get_respondent_display()}"


class OutcomeKind(models.TextChoices):
    EMPLOYMENT = "employment", _("employment contract")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship")
    ENTRY_QUALIFICATION = "entry_qualification", _("entry qualification")
    INTERNSHIP = "internship", _("internship")
    FURTHER_EDUCATION = "further_education", _("further education")
    SCHOOL = "school", _("school")
    NONE = "none", _("none")
    UNKNOWN = "unknown", _("unknown")


# Outcomes after which Lotse asks, 3 and 6 months on, whether the mentee is still there.
FOLLOWED_UP = (
    OutcomeKind.EMPLOYMENT,
    OutcomeKind.APPRENTICESHIP,
    OutcomeKind.ENTRY_QUALIFICATION,
)


class Outcome(OrganisationOwned):
    """What the mentee achieved by the end of the tandem."""

    tandem = models.OneToOneField(Tandem, on_delete=models.CASCADE, related_name="outcome")
    kind = models.CharField(_("outcome"), max_length=20, choices=OutcomeKind.choices)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    # Employment contracts only.
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    permanent = models.BooleanField(_("permanent contract"), null=True, blank=True)
    three_months_or_more = models.BooleanField(_("three months or longer"), null=True, blank=True)
    social_insurance = models.BooleanField(_("subject to social insurance"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return self.get_kind_display()


class FollowUpResult(models.TextChoices):
    STILL_THERE = "still_there", _("still employed or in training")
    LEFT = "left", _("no longer there")
    UNREACHABLE = "unreachable", _("could not be reached")


class FollowUpQuerySet(OrganisationQuerySet):
    def due(self, today: datetime.date) -> FollowUpQuerySet:
        return self.filter(due_on__lte=today, result="")


class FollowUp(OrganisationOwned):
    """A reminder, some months after the end, to ask whether the mentee still
    holds the job or training place."""

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the end"))
    due_on = models.DateField(_("due on"))
    result = models.CharField(
        _("result"), max_length=12, choices=FollowUpResult.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = scoped_manager(FollowUpQuerySet)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["tandem", "months"], name="follow_up_once")]

    def __str__(self) -> str:
        return f"{self.tandem.number} +{self.months}"
