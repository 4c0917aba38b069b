"""Employers and placements: the directory of businesses with their contact
persons, the acquisition work with them, their openings, and the pipeline of
candidates for an opening up to a contract and through probation.

Employers, their contacts, activities and openings belong to the
organisation; a placement is a record about a person and belongs to the
person's site."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotse.core import reference
from lotse.core.models import OrganisationOwned, OrganisationQuerySet, SiteQuerySet, scoped_manager
from lotse.people.models import Industry, LanguageLevel, OccupationArea, Person


class Relationship(models.TextChoices):
    PROSPECT = "prospect", _("prospect")
    ACTIVE = "active", _("active partner")
    DORMANT = "dormant", _("dormant")
    DO_NOT_CONTACT = "do_not_contact", _("do not contact")


class ProspectStage(models.TextChoices):
    """Where the acquisition of a prospect stands: the pipeline's columns."""

    IDENTIFIED = "identified", _("identified")
    CONTACTED = "contacted", _("contacted")
    TALKS = "talks", _("in talks")
    INTERESTED = "interested", _("interested")


class SizeClass(models.TextChoices):
    """Size classes of the EU recommendation 2003/361, by employees."""

    MICRO = "micro", _("micro (up to 9 employees)")
    SMALL = "small", _("small (10 to 49)")
    MEDIUM = "medium", _("medium (50 to 249)")
    LARGE = "large", _("large (250 or more)")


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    POST = "post", _("post")
    VISIT = "visit", _("personal visit")


class EmployerQuerySet(OrganisationQuerySet):
    def search(self, text: str) -> EmployerQuerySet:
        return self.filter(
            Q(name__icontains=text) | Q(municipality__icontains=text) | Q(postal_code=text)
        )


class Employer(OrganisationOwned):
    """A business, public employer or craft firm that offers or might offer
    internships, training or jobs."""

    name = models.CharField(_("name"), max_length=200)
    industry = models.ForeignKey(
        Industry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("industry (WZ 2008)"),
    )
    size_class = models.CharField(_("size"), max_length=10, choices=SizeClass.choices, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    relationship = models.CharField(
        _("relationship"),
        max_length=20,
        choices=Relationship.choices,
        default=Relationship.PROSPECT,
    )
    stage = models.CharField(
        _("acquisition stage"),
        max_length=20,
        choices=ProspectStage.choices,
        default=ProspectStage.IDENTIFIED,
        help_text=_("Where the acquisition of a prospect stands."),
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = scoped_manager(EmployerQuerySet)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "name", "id"], name="employer_name"),
            models.Index(fields=["organisation", "relationship", "name"], name="employer_rel"),
            models.Index(fields=["organisation", "municipality"], name="employer_town"),
            models.Index(fields=["organisation", "industry", "name"], name="employer_industry"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        town = " ".join(part for part in (self.postal_code, self.municipality) if part)
        return ", ".join(part for part in (self.street, town) if part)

    @property
    def may_be_contacted(self) -> bool:
        return self.relationship != Relationship.DO_NOT_CONTACT


class EmployerContact(OrganisationOwned):
    """Someone to talk to at an employer."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("employer")
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=10, choices=Channel.choices, blank=True
    )
    newsletter_opt_out = models.BooleanField(
        _("no newsletters"),
        default=False,
        help_text=_("This person does not want to receive newsletters or mailings."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("personal visit")
    PHONE = "phone", _("phone call")
    COLD_CALL = "cold_call", _("cold call")
    NEWSLETTER = "newsletter", _("newsletter")
    ROUND_TABLE = "round_table", _("round table")
    TRADE_FAIR = "trade_fair", _("trade fair")
    PRESS = "press", _("press")


class ActivityQuerySet(OrganisationQuerySet):
    def follow_ups_due(self, day: datetime.date) -> ActivityQuerySet:
        """Activities whose follow-up is on or before `day` and not yet done."""
        return self.filter(follow_up_on__lte=day, follow_up_done_on__isnull=True)


class Activity(OrganisationOwned):
    """One step of acquisition: a visit, a call, a newsletter, a fair."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="activities", verbose_name=_("employer")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    date = models.DateField(_("date"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    contact = models.ForeignKey(
        EmployerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("contact person"),
    )
    result = models.TextField(_("result"), blank=True)
    follow_up_on = models.DateField(_("follow-up on"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("follow-up done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = scoped_manager(ActivityQuerySet)

    class Meta:
        verbose_name = _("acquisition activity")
        verbose_name_plural = _("acquisition activities")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(
                fields=["organisation", "follow_up_on"],
                name="activity_follow_up",
                condition=Q(follow_up_done_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class OpeningKind(models.TextChoices):
    INTERNSHIP = "internship", _("internship")
    ENTRY_QUALIFICATION = "entry_qualification", _("entry qualification (EQ)")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship")
    FULL_TIME = "full_time", _("job, full-time")
    PART_TIME = "part_time", _("job, part-time")
    MINI_JOB = "mini_job", _("mini-job")


class OpeningStatus(models.TextChoices):
    OPEN = "open", _("open")
    FILLED = "filled", _("filled")
    CLOSED = "closed", _("closed")


class OpeningQuerySet(OrganisationQuerySet):
    def open(self) -> OpeningQuerySet:
        return self.filter(status=OpeningStatus.OPEN)


class Opening(OrganisationOwned):
    """A place an employer offers: an internship, training or a job."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="openings", verbose_name=_("employer")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OpeningKind.choices)
    title = models.CharField(_("title"), max_length=200)
    occupation_area = models.ForeignKey(
        OccupationArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("occupational area (KldB 2010)"),
    )
    description = models.TextField(_("description"), blank=True)
    german_level = models.CharField(
        _("German at least"), max_length=10, choices=LanguageLevel.choices, blank=True
    )
    languages = models.JSONField(
        _("other languages"), default=list, blank=True, help_text=_("ISO 639-3 codes.")
    )
    qualifications = models.TextField(_("qualifications required"), blank=True)
    driving_licence = models.BooleanField(_("driving licence required"), default=False)
    place = models.CharField(_("place of work"), max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    childcare_compatible = models.BooleanField(
        _("hours fit childcare"),
        default=False,
        help_text=_(
            "The working hours leave room to take children to and from day care or school."
        ),
    )
    positions = models.PositiveSmallIntegerField(_("positions"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = scoped_manager(OpeningQuerySet)

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="opening_status")]
        constraints = [
            models.CheckConstraint(condition=Q(positions__gte=1), name="opening_positions"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"

    @property
    def language_names(self) -> list[str]:
        return [reference.language_name(code) for code in self.languages]


class Stage(models.TextChoices):
    """The steps of a placement, in the order they are usually taken."""

    PROPOSED = "proposed", _("proposed")
    APPLIED = "applied", _("applied")
    INTERVIEW = "interview", _("interview")
    TRIAL_WORK = "trial_work", _("trial work")
    INTERNSHIP = "internship", _("internship")
    CONTRACT = "contract", _("contract")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


IN_PROGRESS = (
    Stage.PROPOSED,
    Stage.APPLIED,
    Stage.INTERVIEW,
    Stage.TRIAL_WORK,
    Stage.INTERNSHIP,
)
ENDED = (Stage.REJECTED, Stage.WITHDRAWN)


class PlacementQuerySet(SiteQuerySet):
    def in_progress(self) -> PlacementQuerySet:
        return self.filter(stage__in=IN_PROGRESS)


class Placement(OrganisationOwned):
    """A candidate for an opening, from the proposal to a contract (or not)."""

    site_field = "person__site"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="placements", verbose_name=_("candidate")
    )
    opening = models.ForeignKey(
        Opening, on_delete=models.PROTECT, related_name="placements", verbose_name=_("opening")
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PROPOSED
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible staff member"),
    )
    # The contract, once there is one.
    contract_start = models.DateField(_("start of employment"), null=True, blank=True)
    permanent = models.BooleanField(_("permanent"), null=True, blank=True)
    contract_end = models.DateField(_("end of a fixed term"), null=True, blank=True)
    probation_end = models.DateField(_("end of probation"), null=True, blank=True)
    social_insurance = models.BooleanField(_("subject to social insurance"), null=True, blank=True)
    # The employment ended (recorded at a follow-up).
    left_on = models.DateField(_("left on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = scoped_manager(PlacementQuerySet)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "opening"], name="placement_once"),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=True)
                | Q(contract_end__gte=models.F("contract_start")),
                name="placement_contract_dates",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "stage"], name="placement_stage")]

    def __str__(self) -> str:
        return f"{self.person} – {self.opening.title}"

    @property
    def has_contract(self) -> bool:
        return self.stage == Stage.CONTRACT

    @property
    def is_ended(self) -> bool:
        return self.stage in ENDED

    def contract_months(self) -> int | None:
        """Whole months a fixed-term contract runs (1 January to 31 March: 3);
        None for a permanent contract or without dates."""
        if self.contract_start is None or self.contract_end is None:
            return None
        return months_between(self.contract_start, self.contract_end + datetime.timedelta(days=1))

    def runs_at_least(self, months: int) -> bool:
        """A contract of at least `months` months: permanent, or fixed for as long."""
        if self.stage != Stage.CONTRACT or self.contract_start is None:
            return False
        if self.permanent:
            return True
        length = self.contract_months()
        return length is not None and length >= months


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from `start` to `end`."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


class StageChange(OrganisationOwned):
    """One move of a placement: who, when, from, to, and why."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class FollowUpKind(models.TextChoices):
    ONE_MONTH = "one_month", _("after one month")
    THREE_MONTHS = "three_months", _("after three months")
    PROBATION_END = "probation_end", _("at the end of probation")


class FollowUpResult(models.TextChoices):
    STILL_EMPLOYED = "still_employed", _("still employed")
    PROBLEMS = "problems", _("still employed, problems noted")
    LEFT = "left", _("left the job")
    NOT_NEEDED = "not_needed", _("no longer needed")


class FollowUpQuerySet(OrganisationQuerySet):
    def pending(self) -> FollowUpQuerySet:
        return self.filter(result="")


class FollowUp(OrganisationOwned):
    """A check with a newly employed person and their employer during
    probation: scheduled with the contract, a task for the responsible staff
    member until its result is recorded."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("placement")
    )
    kind = models.CharField(_("follow-up"), max_length=20, choices=FollowUpKind.choices)
    due_on = models.DateField(_("due on"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff member"),
    )
    result = models.CharField(
        _("result"), max_length=20, choices=FollowUpResult.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = scoped_manager(FollowUpQuerySet)

    class Meta:
        verbose_name = _("probation follow-up")
        verbose_name_plural = _("probation follow-ups")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "kind"], name="probation_follow_up_once"),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "assigned_to", "due_on"],
                name="probation_follow_up_due",
                condition=Q(result=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on})"

    @property
    def is_pending(self) -> bool:
        return not self.result
