"""The local network ("alliance") of an organisation: the institutions of the
district and their contact persons, the actor table of the alliance working
aid, committees and working groups, cooperation agreements, meetings with
shared goals and agreed measures, who is responsible for which step of
integration (the interface paper), the catalogue of local offers, and the
needs that the offers are set against.

These are records about institutions, not about the people Lotse supports:
partner institutions' staff (the partner role) may read them (`partner_readable`)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from lotse.core import reference
from lotse.core.models import (
    OrganisationOwned,
    OrganisationQuerySet,
    Site,
    SupportArea,
    scoped_manager,
)
from lotse.core.permissions import VIEW_RECORDS
from lotse.core.storage import document_name, document_storage


class Domain(models.TextChoices):
    """The four domains of the alliance working aid."""

    MIGRATION = "migration", _("Migration and integration")
    WORK = "work", _("Work and economy")
    SOCIAL = "social", _("Social affairs")
    EDUCATION = "education", _("Education")


class InstitutionKind(models.TextChoices):
    EMPLOYMENT_AGENCY = "employment_agency", _("employment agency")
    JOBCENTER = "jobcenter", _("jobcenter")
    BAMF = "bamf", _("Federal Office for Migration and Refugees (BAMF)")
    FOREIGNERS_AUTHORITY = "foreigners_authority", _("foreigners' authority")
    SOCIAL_WELFARE_OFFICE = "social_welfare_office", _("social welfare office")
    YOUTH_WELFARE_OFFICE = "youth_welfare_office", _("youth welfare office")
    MUNICIPALITY = "municipality", _("municipal administration")
    ADULT_EDUCATION_CENTRE = "adult_education_centre", _("adult education centre")
    LANGUAGE_SCHOOL = "language_school", _("language school")
    MIGRATION_COUNSELLING = "migration_counselling", _("migration counselling")
    CHAMBER = "chamber", _("chamber (IHK, HWK)")
    EMPLOYERS = "employers", _("employers' association or business network")
    WELFARE_ORGANISATION = "welfare_organisation", _("welfare organisation")
    SCHOOL = "school", _("school or vocational school")
    RECOGNITION_COUNSELLING = "recognition_counselling", _("recognition counselling")
    HEALTH = "health", _("health service")
    ASSOCIATION = "association", _("association or migrant organisation")
    OTHER = "other", _("other")


class CoreGroup(models.TextChoices):
    """Membership of the alliance's core group, as the working aid ticks it."""

    NONE = "", _("no")
    PLANNED = "planned", _("planned")
    MEMBER = "member", _("member")


class PartnerQuerySet(OrganisationQuerySet):
    def active(self) -> PartnerQuerySet:
        return self.filter(is_active=True)


class Institution(OrganisationOwned):
    """A regular institution or other actor of the district."""

    partner_readable = True

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    kind = models.CharField(_("type"), max_length=30, choices=InstitutionKind.choices)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    mandate = models.TextField(
        _("legal mandate"), blank=True, help_text=_("E.g. “SGB II: basic income support”.")
    )
    tasks = models.TextField(_("tasks"), blank=True)
    # The actor table of the alliance working aid: the network's own planning,
    # not shown to partners.
    cooperates = models.BooleanField(_("cooperation exists"), default=False)
    core_group = models.CharField(
        _("core group"), max_length=10, choices=CoreGroup.choices, blank=True
    )
    extended_forums = models.BooleanField(_("extended forums"), default=False)
    contributions = models.TextField(_("possible contributions"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = scoped_manager(PartnerQuerySet)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="institution_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        town = " ".join(part for part in (self.postcode, self.town) if part)
        return ", ".join(part for part in (self.street, town) if part)


class ContactPerson(OrganisationOwned):
    """Someone to call at an institution. Professional contact data, kept
    for the network's work together."""

    partner_readable = True

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("institution"),
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    can_decide = models.BooleanField(_("can take decisions for the institution"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    objects = scoped_manager(PartnerQuerySet)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def reach(self) -> str:
        return " · ".join(part for part in (self.phone, self.email) if part)


class CommitteeKind(models.TextChoices):
    CORE_GROUP = "core_group", _("alliance core group")
    COMMITTEE = "committee", _("committee")
    WORKING_GROUP = "working_group", _("working group")
    FORUM = "forum", _("extended forum")
    WORKSHOP = "workshop", _("regional workshop")


# Seed 002: "limit the size of the group to at most 20 to 25 people".
WORKSHOP_SIZE_HINT = 20


class SharedQuerySet(OrganisationQuerySet):
    """Rows of a committee: a partner sees those of committees shared with
    partners only. `shared_field` is the path to the committee's flag."""

    shared_field = "shared_with_partners"

    def visible_to(self, user) -> SharedQuerySet:
        qs = super().visible_to(user)
        membership = getattr(user, "membership", None)
        if membership is not None and not membership.has_perm(VIEW_RECORDS):
            qs = qs.filter(**{self.shared_field: True})
        return qs


class CommitteeQuerySet(SharedQuerySet):
    pass


class Committee(OrganisationOwned):
    """A committee, working group or forum of the network."""

    partner_readable = True

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CommitteeKind.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    rhythm = models.CharField(
        _("meets"), max_length=100, blank=True, help_text=_("E.g. “every quarter”.")
    )
    shared_with_partners = models.BooleanField(
        _("partners may read it"),
        default=True,
        help_text=_("Staff of partner institutions see the committee, its meetings and measures."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager(CommitteeQuerySet)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="committee_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    ORGANISER = "organiser", _("organiser")
    MEMBER = "member", _("member")
    DEPUTY = "deputy", _("deputy")
    GUEST = "guest", _("guest")


class CommitteeMember(OrganisationOwned):
    partner_readable = True

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="+", verbose_name=_("institution")
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["institution__name"]
        constraints = [
            # Two partial constraints instead of NULLS NOT DISTINCT, which
            # SQLite lacks: once per person, and the institution once without one.
            models.UniqueConstraint(
                fields=["committee", "institution", "contact"],
                condition=Q(contact__isnull=False),
                name="committee_member_unique",
            ),
            models.UniqueConstraint(
                fields=["committee", "institution"],
                condition=Q(contact__isnull=True),
                name="committee_institution_unique",
            ),
        ]


class AgreementQuerySet(OrganisationQuerySet):
    def expiring(self, today: datetime.date, days: int = 90) -> AgreementQuerySet:
        return self.filter(
            valid_until__isnull=False,
            valid_until__lte=today + datetime.timedelta(days=days),
        )


class CooperationAgreement(OrganisationOwned):
    """A written agreement between institutions of the network
    (*Kooperationsvereinbarung*)."""

    partner_readable = True

    subject = models.CharField(_("subject"), max_length=300)
    parties = models.ManyToManyField(
        Institution, related_name="agreements", verbose_name=_("parties")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(
        _("document"),
        storage=document_storage,
        upload_to=document_name,
        blank=True,
        max_length=200,
    )
    document_type = models.CharField(max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager(AgreementQuerySet)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_on", "subject"]

    def __str__(self) -> str:
        return self.subject

    def expired(self, today: datetime.date) -> bool:
        return self.valid_until is not None and self.valid_until < today


class NetworkMeetingQuerySet(SharedQuerySet):
    shared_field = "committee__shared_with_partners"


class NetworkMeeting(OrganisationOwned):
    """A meeting of a committee: who came, the agenda, the minutes, and what
    was agreed."""

    partner_readable = True

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("committee")
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager(NetworkMeetingQuerySet)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.committee} {self.held_on:%d.%m.%Y}"


class Attendance(OrganisationOwned):
    """An invited participant of a meeting and whether they came."""

    partner_readable = True

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="attendance")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="+", verbose_name=_("institution")
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    present = models.BooleanField(_("present"), default=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["institution__name"]


class SharedGoal(OrganisationOwned):
    """A goal the meeting's participants agreed on together."""

    partner_readable = True

    meeting = models.ForeignKey(NetworkMeeting, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("shared goal"), max_length=300)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("shared goal")
        verbose_name_plural = _("shared goals")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class MeasureStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


PENDING = (MeasureStatus.OPEN, MeasureStatus.IN_PROGRESS)


class MeasureQuerySet(SharedQuerySet):
    shared_field = "meeting__committee__shared_with_partners"

    def pending(self) -> MeasureQuerySet:
        return self.filter(status__in=PENDING)

    def overdue(self, today: datetime.date) -> MeasureQuerySet:
        return self.pending().filter(due_on__lt=today)


class AgreedMeasure(OrganisationOwned):
    """What a meeting agreed to do, who does it and by when: the tracker of
    these is the basis of the network's internal evaluation."""

    partner_readable = True

    meeting = models.ForeignKey(
        NetworkMeeting, on_delete=models.CASCADE, related_name="measures", verbose_name=_("meeting")
    )
    goal = models.ForeignKey(
        SharedGoal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("shared goal"),
    )
    title = models.CharField(_("what"), max_length=300)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("responsible institution"),
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(MeasureQuerySet)

    class Meta:
        verbose_name = _("agreed measure")
        verbose_name_plural = _("agreed measures")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="measure_tracker"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status in PENDING and self.due_on is not None and self.due_on < today


class MeasureUpdate(OrganisationOwned):
    """A progress note on a measure, with the status it moved to."""

    partner_readable = True

    measure = models.ForeignKey(AgreedMeasure, on_delete=models.CASCADE, related_name="updates")
    written_at = models.DateTimeField(_("time"), auto_now_add=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices)
    note = models.TextField(_("progress note"), blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-written_at", "-pk"]


class IntegrationStep(OrganisationOwned):
    """A step of integration in the interface paper: first orientation,
    integration course, recognition, job placement …; configurable per
    organisation, because every district cuts them a little differently."""

    partner_readable = True

    name = models.CharField(_("step"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("integration step")
        verbose_name_plural = _("integration steps")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="step_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Responsibility(OrganisationOwned):
    """Who is responsible for a step, the contact person and how to reach them."""

    partner_readable = True

    step = models.ForeignKey(
        IntegrationStep,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name=_("step"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name=_("institution"),
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    how_to_reach = models.CharField(
        _("how to reach them"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “open consultation Tue 9–12, no appointment needed”."),
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["step__position", "institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["step", "institution"], name="responsibility_unique"),
        ]


class InterfacePaper(OrganisationOwned):
    """An issued version of the *Schnittstellenpapier*: the responsibility
    matrix as it stood on that day, kept so that a printed copy can be
    reproduced and compared with the next one."""

    partner_readable = True

    number = models.PositiveIntegerField(_("version"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    # [{"step": ..., "description": ..., "rows": [{"institution", "contact",
    #   "function", "phone", "email", "how_to_reach"}]}]
    matrix = models.JSONField(default=list)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("interface paper")
        verbose_name_plural = _("interface papers")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="interface_paper_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.number})"


class LanguageLevel(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class OfferQuerySet(PartnerQuerySet):
    def current(self, today: datetime.date) -> OfferQuerySet:
        return self.active().filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))

    def in_language(self, code: str) -> OfferQuerySet:
        # JSON `contains` is not available on SQLite: compare the JSON text,
        # where each code stands in quotes.
        return self.alias(languages_text=Cast("languages", models.TextField())).filter(
            languages_text__contains=f'"{code}"'
        )

    def search(self, text: str) -> OfferQuerySet:
        condition = Q()
        for word in text.split():
            condition &= (
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(target_groups__icontains=word)
                | Q(place__icontains=word)
                | Q(provider__name__icontains=word)
            )
        return self.filter(condition)


class Offer(OrganisationOwned):
    """A local offer: a language course, counselling, a qualification,
    childcare, mentoring … Cases refer clients to it; the gap report sets its
    capacity against the needs."""

    partner_readable = True

    title = models.CharField(_("title"), max_length=200)
    area = models.CharField(_("area"), max_length=20, choices=SupportArea.choices)
    language_level = models.CharField(
        _("course level"), max_length=2, choices=LanguageLevel.choices, blank=True
    )
    provider = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="offers", verbose_name=_("provider")
    )
    description = models.TextField(_("description"), blank=True)
    target_groups = models.CharField(
        _("target groups"), max_length=300, blank=True, help_text=_("E.g. “women with children”.")
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    schedule = models.CharField(
        _("schedule"), max_length=200, blank=True, help_text=_("E.g. “Mon–Thu 9:00–12:15”.")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    cost = models.CharField(
        _("cost"), max_length=100, blank=True, help_text=_("Leave empty when it is free.")
    )
    childcare = models.BooleanField(_("childcare provided"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager(OfferQuerySet)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title"]
        indexes = [models.Index(fields=["organisation", "area"], name="offer_area")]

    def __str__(self) -> str:
        return self.title

    @property
    def language_names(self) -> list[str]:
        """The languages (ISO 639-3 codes) named in the reader's language."""
        return [reference.language_name(code) for code in self.languages]


class NeedsEntry(OrganisationOwned):
    """A need counted outside Lotse, e.g. in a survey of the target group:
    how many people of a target group need support in an area."""

    partner_readable = True

    area = models.CharField(_("area"), max_length=20, choices=SupportArea.choices)
    target_group = models.CharField(_("target group"), max_length=200)
    count = models.PositiveIntegerField(_("number of people"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("E.g. “survey at the info event”.")
    )
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("counted need")
        verbose_name_plural = _("counted needs")
        ordering = ["area", "target_group"]
