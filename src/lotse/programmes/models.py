"""Programmes with their life cycle of steps, the enrolments that move through
them, and events (info sessions, trainings, workshops) with registrations."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import (
    OrganisationOwned,
    OrganisationQuerySet,
    Site,
    SiteQuerySet,
    in_ui_language,
    scoped_manager,
)
from lotse.people.models import Person


class ProgrammeKind(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    CASE_MANAGEMENT = "case_management", _("Case management")
    COACHING = "coaching", _("Coaching")


class EnrolmentRole(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor")
    CLIENT = "client", _("Client")


class StepKind(models.TextChoices):
    """What a step stands for, so that other parts of Lotse can move
    enrolments on: attending an info event completes INFO_EVENT, finishing the
    basic training completes TRAINING, matching works on PAIRING."""

    INFO_EVENT = "info_event", _("Info event")
    INTAKE = "intake", _("One-to-one meeting")
    TRAINING = "training", _("Basic training")
    PAIRING = "pairing", _("Forming the pair")
    FIRST_MEETING = "first_meeting", _("First meeting")
    AGREEMENT = "agreement", _("Signed agreement")
    TANDEM = "tandem", _("Tandem phase")
    EVALUATION = "evaluation", _("Evaluation")
    OTHER = "other", _("Other")


class StepAudience(models.TextChoices):
    ALL = "all", _("everyone")
    MENTEES = "mentee", _("mentees only")
    MENTORS = "mentor", _("mentors only")
    CLIENTS = "client", _("clients only")


class ProgrammeQuerySet(OrganisationQuerySet):
    def active(self) -> ProgrammeQuerySet:
        return self.filter(is_active=True)


class Programme(OrganisationOwned):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProgrammeKind.choices, default=ProgrammeKind.MENTORING
    )
    description = models.TextField(_("description"), blank=True)
    sites = models.ManyToManyField(
        Site,
        blank=True,
        related_name="+",
        verbose_name=_("sites"),
        help_text=_("Where the programme runs. None chosen: at every site."),
    )
    max_duration_months = models.PositiveSmallIntegerField(
        _("maximum tandem duration in months"), default=6
    )
    meeting_rhythm_days = models.PositiveSmallIntegerField(
        _("meeting rhythm in days"), default=7, help_text=_("7 is a weekly meeting.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(ProgrammeQuerySet)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="programme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def roles(self) -> list[str]:
        """The roles one can be enrolled in: mentoring pairs mentors with mentees."""
        if self.kind == ProgrammeKind.CASE_MANAGEMENT:
            return [EnrolmentRole.CLIENT]
        return [EnrolmentRole.MENTEE, EnrolmentRole.MENTOR]


class Step(OrganisationOwned):
    """One step of a programme's life cycle, named in German and English."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name_de = models.CharField(_("German name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    kind = models.CharField(
        _("what the step stands for"), max_length=20, choices=StepKind.choices, default="other"
    )
    audience = models.CharField(
        _("for"), max_length=10, choices=StepAudience.choices, default=StepAudience.ALL
    )
    is_required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("A required step is skipped only by a coordinator who gives a reason."),
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "position"], name="step_unique_position")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_ui_language(self.name_de, self.name_en)

    def applies_to(self, role: str) -> bool:
        return self.audience in (StepAudience.ALL, role)


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("in the programme")
    COMPLETED = "completed", _("completed")
    WITHDRAWN = "withdrawn", _("left the programme")


class EnrolmentQuerySet(SiteQuerySet):
    def active(self) -> EnrolmentQuerySet:
        return self.filter(status=EnrolmentStatus.ACTIVE)

    def at_kind(self, kind: str) -> EnrolmentQuerySet:
        return self.active().filter(step__kind=kind)


class Enrolment(OrganisationOwned):
    """A person taking part in a programme in one role, at one step of its
    life cycle; every move is a StepTransition."""

    # Seen by whoever may see the person: when the person moves to another
    # site (or is merged into a record there), the enrolment moves along.
    site_field = "person__site"

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("programme")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=10, choices=EnrolmentRole.choices)
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("step")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default="active"
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    step_since = models.DateTimeField(_("at this step since"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(EnrolmentQuerySet)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at", "-pk"]
        indexes = [
            models.Index(fields=["programme", "status", "step"], name="enrolment_board"),
        ]
        constraints = [
            # One place per programme and role; someone who left and returns
            # continues the same enrolment, with its history.
            models.UniqueConstraint(
                fields=["programme", "person", "role"], name="enrolment_once_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.programme} ({self.get_role_display()})"


class StepTransition(OrganisationOwned):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="transitions")
    from_step = models.ForeignKey(
        Step, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("from")
    )
    to_step = models.ForeignKey(
        Step, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("to")
    )
    to_status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default="active"
    )
    skipped = models.JSONField(_("skipped required steps"), default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    moved_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("step change")
        verbose_name_plural = _("step changes")
        ordering = ["-moved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_step} → {self.to_step}"


class EventKind(models.TextChoices):
    INFO_EVENT = "info_event", _("Info event")
    TRAINING = "training", _("Training")
    WORKSHOP = "workshop", _("Workshop")
    MATCHING_SESSION = "matching_session", _("Matching session")
    OTHER = "other", _("Other")


# Attending an event of this kind completes an enrolment's step of that kind.
EVENT_COMPLETES_STEP = {
    EventKind.INFO_EVENT: StepKind.INFO_EVENT,
    EventKind.TRAINING: StepKind.TRAINING,
}


class EventQuerySet(SiteQuerySet):
    def upcoming(self, now: datetime.datetime | None = None) -> EventQuerySet:
        """Events one can still register for: not over yet, not cancelled."""
        return self.filter(ends_at__gte=now or timezone.now(), is_cancelled=False)


class Event(OrganisationOwned):
    site_field = "site"

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("programme"),
        help_text=_("Leave empty for an event of the whole organisation."),
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    description = models.TextField(_("description"), blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(EventQuerySet)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["organisation", "starts_at"], name="event_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Registration(OrganisationOwned):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    # None until attendance is taken.
    attended = models.BooleanField(_("attended"), null=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        # The waiting list moves up in the order people registered.
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="registration_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.event}"
