"""Matching sessions: who takes part, each run with its weights and proposals,
and the coordinators' decisions on pairs. Nothing here is ever deleted when a
session moves on: who ran it with which weights, what was proposed, what was
decided and why stays readable."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import OrganisationOwned, OrganisationQuerySet, SiteQuerySet, scoped_manager
from lotse.programmes.models import Enrolment, EnrolmentRole, Programme

# The largest session we know (4,000 × 1,500) takes about a second; a run
# still "calculating" after this long has lost its process.
RUN_ABANDONED_AFTER = datetime.timedelta(minutes=15)


class SessionStatus(models.TextChoices):
    OPEN = "open", _("open")
    RUNNING = "running", _("calculating")
    CLOSED = "closed", _("closed")


class SessionQuerySet(OrganisationQuerySet):
    def open(self) -> SessionQuerySet:
        return self.exclude(status=SessionStatus.CLOSED)


class MatchingSession(OrganisationOwned):
    """One round of forming pairs in a programme. Like the programme, it
    belongs to the organisation; its participants and proposals are seen by
    whoever may see the people (their site)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="matching_sessions",
        verbose_name=_("programme"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    # Criterion code -> weight, as on the session form (matching.criteria.CRITERIA).
    weights = models.JSONField(_("weights"), default=dict)
    max_distance_km = models.PositiveSmallIntegerField(_("maximum distance in km"), default=30)
    # A run in the background writes its progress here; the page polls it.
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    run_error = models.CharField(_("last error"), max_length=300, blank=True)
    run_started_at = models.DateTimeField(_("calculation started"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(SessionQuerySet)

    class Meta:
        verbose_name = _("matching session")
        verbose_name_plural = _("matching sessions")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.programme} – {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.OPEN or self.run_abandoned

    @property
    def is_running(self) -> bool:
        return self.status == SessionStatus.RUNNING and not self.run_abandoned

    @property
    def run_abandoned(self) -> bool:
        """A background run that never finished: its server process ended
        (a restart, a deployment). The session may run again."""
        return (
            self.status == SessionStatus.RUNNING
            and self.run_started_at is not None
            and timezone.now() - self.run_started_at > RUN_ABANDONED_AFTER
        )

    def latest_run(self) -> MatchingRun | None:
        return self.runs.order_by("-number").first()


class Participant(OrganisationOwned):
    """An enrolment taking part in a session, as mentee or as mentor."""

    site_field = "enrolment__person__site"

    session = models.ForeignKey(
        MatchingSession, on_delete=models.CASCADE, related_name="participants"
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("enrolment")
    )
    role = models.CharField(_("role"), max_length=10, choices=EnrolmentRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = scoped_manager(SiteQuerySet)

    class Meta:
        verbose_name = _("participant of a matching session")
        verbose_name_plural = _("participants of a matching session")
        ordering = ["enrolment__person__family_name", "enrolment__person__given_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="matching_participant_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.enrolment)


class MatchingRun(OrganisationOwned):
    """One calculation: who ran it, with which weights, and its result."""

    session = models.ForeignKey(MatchingSession, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField(_("run"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    weights = models.JSONField(_("weights"), default=dict)
    max_distance_km = models.PositiveSmallIntegerField(_("maximum distance in km"))
    solver = models.CharField(_("solver"), max_length=20, blank=True)
    total = models.FloatField(_("total score"), default=0.0)
    mentee_count = models.PositiveIntegerField(_("mentees"), default=0)
    mentor_count = models.PositiveIntegerField(_("mentors"), default=0)
    # Mentees left without a mentor and why: [{"mentee": enrolment id,
    # "allowed": fitting mentors, "blocked": {constraint code: mentors}}].
    unmatched = models.JSONField(_("unmatched mentees"), default=list)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["session", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="matching_run_number")
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.number}"


class Proposal(OrganisationOwned):
    """A pair a run proposes (rank 0) or an alternative for the mentee
    (ranks 1 to 5), with the score broken down by criterion and the reason in
    plain language."""

    site_field = "mentee__person__site"

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee")
    )
    mentor = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    score = models.FloatField(_("total score"))
    # Criterion code -> fit from 0 to 1, and -> its weighted share of the score.
    criteria = models.JSONField(_("fit per criterion"), default=dict)
    breakdown = models.JSONField(_("score per criterion"), default=dict)
    # Facts behind the score, rendered in the reader's language (criteria.describe).
    reasons = models.JSONField(_("reason"), default=list)
    unmet = models.JSONField(_("unmet wishes"), default=list)
    # Fixed by a decision (locked or accepted) rather than chosen by the run.
    is_fixed = models.BooleanField(_("fixed by a decision"), default=False)

    objects = scoped_manager(SiteQuerySet)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["run", "mentee", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee", "rank"], name="matching_proposal_rank")
        ]

    def __str__(self) -> str:
        return f"{self.mentee.person} – {self.mentor.person}"

    @property
    def is_alternative(self) -> bool:
        return self.rank > 0


class DecisionKind(models.TextChoices):
    ACCEPT = "accept", _("accepted")
    REJECT = "reject", _("rejected")
    LOCK = "lock", _("locked")
    EXCLUDE = "exclude", _("excluded")


class DecisionQuerySet(SiteQuerySet):
    def current(self) -> DecisionQuerySet:
        return self.filter(revoked_at__isnull=True)


class Decision(OrganisationOwned):
    """What a coordinator decided about a pair. A later decision on the same
    pair revokes the earlier one, which stays in the history."""

    site_field = "mentee__person__site"

    session = models.ForeignKey(MatchingSession, on_delete=models.CASCADE, related_name="decisions")
    mentee = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee")
    )
    mentor = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    kind = models.CharField(_("decision"), max_length=10, choices=DecisionKind.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    decided_at = models.DateTimeField(_("when"), default=timezone.now)
    # The tandem formed from an accepted pair (tandems.services.create_tandem).
    tandem = models.ForeignKey(
        "tandems.Tandem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tandem"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = scoped_manager(DecisionQuerySet)

    class Meta:
        verbose_name = _("decision on a pair")
        verbose_name_plural = _("decisions on pairs")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            # One decision in force per pair; the service revokes the old one first.
            models.UniqueConstraint(
                fields=["session", "mentee", "mentor"],
                condition=Q(revoked_at__isnull=True),
                name="matching_decision_current",
            ),
            # A mentee is accepted with one mentor at most, in any session.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(revoked_at__isnull=True, kind="accept"),
                name="matching_accepted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentee.person} – {self.mentor.person}"

    @property
    def is_fixing(self) -> bool:
        return self.kind in (DecisionKind.ACCEPT, DecisionKind.LOCK)
