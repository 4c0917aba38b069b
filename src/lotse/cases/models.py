"""Case management: a client counselled holistically by a caseworker (and
deputies) of a contact point — the intake assessment, a help plan of goals
and measures that is agreed with the client and re-agreed as it changes,
contacts and appointments (home visits, accompaniment to authorities),
referrals to the partner network, documents, and the outcome at the close."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotse.core.models import (
    OrganisationOwned,
    OrganisationQuerySet,
    Site,
    SiteQuerySet,
    SupportArea,
    scoped_manager,
)
from lotse.core.storage import document_name, document_storage
from lotse.network.models import Institution, Offer
from lotse.people.models import Person
from lotse.programmes.models import Enrolment, Programme


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("intake")
    ACTIVE = "active", _("active")
    ON_HOLD = "on_hold", _("on hold")
    CLOSED = "closed", _("closed")


OPEN = (CaseStatus.INTAKE, CaseStatus.ACTIVE, CaseStatus.ON_HOLD)


class ClosingReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("goals reached")
    PLACED = "placed", _("placed in work or training")
    CLIENT_WITHDREW = "client_withdrew", _("the client withdrew")
    CONTACT_LOST = "contact_lost", _("contact broke off")
    MOVED_AWAY = "moved_away", _("moved away")
    HANDED_OVER = "handed_over", _("handed over to another service")
    OTHER = "other", _("other reason")


class Outcome(models.TextChoices):
    EMPLOYMENT = "employment", _("employment subject to social insurance")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship")
    SELF_EMPLOYMENT = "self_employment", _("self-employment")
    MARGINAL_EMPLOYMENT = "marginal_employment", _("marginal employment (mini-job)")
    FURTHER_EDUCATION = "further_education", _("further education")
    NONE = "none", _("none")
    UNKNOWN = "unknown", _("unknown")


# A case without a contact for this long shows on the caseload page.
NO_CONTACT_DAYS = 30


class CaseQuerySet(SiteQuerySet):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN)

    def of(self, user) -> CaseQuerySet:
        """The cases a caseworker is responsible for, as caseworker or deputy."""
        return self.filter(Q(caseworker=user) | Q(deputies=user)).distinct()

    def without_contact(self, today: datetime.date) -> CaseQuerySet:
        limit = today - datetime.timedelta(days=NO_CONTACT_DAYS)
        return self.open().filter(
            Q(last_contact_on__lt=limit) | Q(last_contact_on__isnull=True, opened_on__lt=limit)
        )


class Case(OrganisationOwned):
    site_field = "site"

    client = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("client")
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cases", verbose_name=_("programme")
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible caseworker"),
    )
    deputies = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("deputies")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_reason = models.CharField(
        _("closing reason"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("note on the outcome"), max_length=300, blank=True)
    # Kept in step by the services: what "no contact for 30 days" compares.
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager(CaseQuerySet)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "programme"],
                condition=Q(status__in=OPEN),
                name="case_one_open_per_client_and_programme",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "site"], name="case_caseload")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """What mails, file names and the calendar feed call a case: never the client's name."""
        return f"F-{self.pk:04d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class CaseStatusChange(OrganisationOwned):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    changed_at = models.DateTimeField(_("time"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = scoped_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]


class Intake(OrganisationOwned):
    """The intake assessment in sections. Health and the residence and benefits
    situation are special-category or social data: only members with the
    sensitive-data grant see and write them (SENSITIVE_FIELDS)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="intake")
    family_situation = models.TextField(_("family situation"), blank=True)
    children_ages = models.CharField(
        _("ages of the children"), max_length=100, blank=True, help_text=_("E.g. “2, 6, 11”.")
    )
    childcare_needed = models.BooleanField(_("childcare needed"), default=False)
    languages = models.TextField(
        _("language levels"), blank=True, help_text=_("E.g. “German A2 (certificate), Arabic”.")
    )
    education = models.TextField(_("education and recognition"), blank=True)
    work_experience = models.TextField(_("work experience"), blank=True)
    health = models.TextField(_("health or other constraints"), blank=True)
    residence = models.TextField(_("residence and benefits situation"), blank=True)
    goals = models.TextField(_("the client's own goals"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("intake assessment")
        verbose_name_plural = _("intake assessments")


SENSITIVE_FIELDS = ("health", "residence")


class HelpPlan(OrganisationOwned):
    """One version of a case's help plan. The newest is the one worked with;
    re-agreeing freezes it and starts the next version from a copy, so that
    what was agreed with the client stays readable."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveIntegerField(_("version"))
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("help plan")
        verbose_name_plural = _("help plans")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="help_plan_unique_number"),
        ]

    @property
    def is_current(self) -> bool:
        return self.superseded_on is None


class PlanGoal(OrganisationOwned):
    plan = models.ForeignKey(HelpPlan, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(_("life area"), max_length=20, choices=SupportArea.choices)
    text = models.CharField(_("goal"), max_length=300)
    position = models.PositiveIntegerField(default=0)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Responsible(models.TextChoices):
    CASEWORKER = "caseworker", _("the caseworker")
    CLIENT = "client", _("the client")
    PARTNER = "partner", _("a partner institution or offer")


class MeasureStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


PENDING = (MeasureStatus.OPEN, MeasureStatus.IN_PROGRESS)


class PlanMeasureQuerySet(OrganisationQuerySet):
    def overdue(self, today: datetime.date) -> PlanMeasureQuerySet:
        return self.filter(
            status__in=PENDING, due_on__lt=today, goal__plan__superseded_on__isnull=True
        )


class PlanMeasure(OrganisationOwned):
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="measures")
    what = models.CharField(_("what"), max_length=300)
    responsible = models.CharField(
        _("who is responsible"), max_length=20, choices=Responsible.choices
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner institution"),
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offer"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.OPEN
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = scoped_manager(PlanMeasureQuerySet)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        # Undated measures last on every database (SQLite sorts NULL first).
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]

    def __str__(self) -> str:
        return self.what

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status in PENDING and self.due_on is not None and self.due_on < today

    @property
    def responsible_label(self) -> str:
        if self.responsible == Responsible.PARTNER:
            if self.offer_id:
                return f"{self.offer.title} ({self.offer.provider.name})"
            if self.institution_id:
                return self.institution.name
        return self.get_responsible_display()


class ContactKind(models.TextChoices):
    OFFICE = "office", _("at the office")
    PHONE = "phone", _("phone")
    VIDEO = "video", _("video")
    HOME_VISIT = "home_visit", _("home visit")
    AUTHORITY = "authority", _("accompaniment to an authority")
    SCHOOL = "school", _("accompaniment to a school")
    DOCTOR = "doctor", _("accompaniment to a doctor")
    EMPLOYER = "employer", _("accompaniment to an employer")
    WORKSHOP = "workshop", _("group workshop")


class CaseContactQuerySet(SiteQuerySet):
    def of_staff(self, user) -> CaseContactQuerySet:
        return self.filter(staff=user)


class CaseContact(OrganisationOwned):
    """A contact with the client, held or planned: a planned one is an
    appointment, in the caseworker's calendar and feed."""

    site_field = "case__site"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    # Counselling notes are sensitive: shown on the case page, never in the feed.
    note = models.TextField(_("note"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager(CaseContactQuerySet)

    class Meta:
        verbose_name = _("contact or appointment")
        verbose_name_plural = _("contacts and appointments")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["staff", "starts_at"], name="case_contact_calendar")]

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(OrganisationOwned):
    """The secret address of a staff member's appointments as iCalendar, for
    their calendar app. Revoking it (or making a new one) makes the old
    address answer 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = scoped_manager()
    # The feed is fetched by a calendar app without a session: the token is
    # looked up first, and the organisation's scope is entered from it.
    all_organisations = models.Manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed"
            ),
        ]


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    COMPLETED = "completed", _("completed")
    DECLINED = "declined", _("declined")


class Referral(OrganisationOwned):
    """A client referred to a partner institution or one of its offers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offer"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    referred_on = models.DateField(_("referred on"))
    # Personal data of the client go to the institution (a referral may also
    # just point the client there): only with the client's consent in force.
    shares_data = models.BooleanField(_("data shared with the institution"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    feedback = models.TextField(_("feedback"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]


class CaseDocument(OrganisationOwned):
    """An uploaded document of a case, stored outside the web root under a
    random name and served only through the permission-checked view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), storage=document_storage, upload_to=document_name, max_length=200
    )
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title
