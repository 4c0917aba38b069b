"""People in the pool: mentees and clients (participants) and volunteer mentors."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotse.core import reference
from lotse.core.models import (
    Organisation,
    OrganisationOwned,
    Site,
    SiteQuerySet,
    SupportArea,
    in_ui_language,
    scoped_manager,
)
from lotse.core.storage import document_name, document_storage

if TYPE_CHECKING:
    from lotse.accounts.models import User


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    DIVERSE = "diverse", _("diverse")
    NOT_STATED = "not_stated", _("not stated")


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("native")
    C2 = "C2", "C2"
    C1 = "C1", "C1"
    B2 = "B2", "B2"
    B1 = "B1", "B1"
    A2 = "A2", "A2"
    A1 = "A1", "A1"


class RecognitionStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("not applicable")
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    PARTIAL = "partial", _("partly recognised")
    FULL = "full", _("fully recognised")
    REFUSED = "refused", _("refused")


class PoolRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant (mentee or client)")
    VOLUNTEER = "volunteer", _("Volunteer (mentor)")


class Status(models.TextChoices):
    INTERESTED = "interested", _("interested")
    ONBOARDING = "onboarding", _("onboarding")
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    ALUMNI = "alumni", _("alumni")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ReferenceEntry(models.Model):
    """An entry of an official classification, named in German and English."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name_de = models.CharField(_("German name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def name(self) -> str:
        return in_ui_language(self.name_de, self.name_en)


class Industry(ReferenceEntry):
    """A section of the German classification of economic activities (WZ 2008)."""

    class Meta(ReferenceEntry.Meta):
        verbose_name = _("industry (WZ 2008)")
        verbose_name_plural = _("industries (WZ 2008)")


class OccupationArea(ReferenceEntry):
    """An occupational area (Berufsbereich) of the KldB 2010."""

    class Meta(ReferenceEntry.Meta):
        verbose_name = _("occupational area (KldB 2010)")
        verbose_name_plural = _("occupational areas (KldB 2010)")


class Need(OrganisationOwned):
    """What a participant needs support with, and what a mentor is good at: one
    catalogue per organisation, because offices name their offers differently."""

    name = models.CharField(_("name"), max_length=100)
    # Where the network's gap report counts it.
    area = models.CharField(_("area"), max_length=20, choices=SupportArea.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="need_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(SiteQuerySet):
    def search(self, text: str) -> PersonQuerySet:
        """Names as written and transliterated, and e-mail: every word must occur."""
        query = Q()
        for word in text.lower().split()[:5]:
            query &= Q(search_text__contains=word)
        return self.filter(query)


class Person(OrganisationOwned):
    """A person in the pool. What they do (participant, volunteer) is a PersonRole."""

    site_field = "site"

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    external_id = models.CharField(
        _("own number"),
        max_length=50,
        blank=True,
        help_text=_(
            "The number your office gives the person in its own lists; an import can "
            "recognise the person by it."
        ),
    )
    latin_name = models.CharField(
        _("name in Latin letters"),
        max_length=300,
        blank=True,
        help_text=_("For search, when the name is written in another script."),
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_STATED
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=200, blank=True)
    # The municipality's centre (core.Place), kept in step by the services:
    # None when the name is not a known German place.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    contact_language = models.CharField(_("preferred contact language"), max_length=3, blank=True)
    country_of_origin = models.CharField(_("country of origin"), max_length=2, blank=True)
    qualifications = models.TextField(_("education and qualifications"), blank=True)
    recognition_status = models.CharField(
        _("recognition of foreign qualifications"),
        max_length=20,
        choices=RecognitionStatus.choices,
        default=RecognitionStatus.NOT_APPLICABLE,
    )
    availability = models.PositiveIntegerField(
        _("availability"),
        default=0,
        help_text=_("Weekly slots, one bit each (see Availability)."),
    )
    notes = models.TextField(_("notes"), blank=True)
    sensitive_notes = models.TextField(
        _("sensitive notes"),
        blank=True,
        help_text=_("Health, residence or family matters. Only staff with the grant see them."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # Set by the erasure (GDPR Art. 17): the row stays for the figures, with
    # nothing left that identifies the person.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # Names and e-mail in lower case, kept in step by save(): one column to
    # search instead of four (and one trigram index on PostgreSQL).
    search_text = models.CharField(max_length=1000, editable=False, default="")

    objects = scoped_manager(PersonQuerySet)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "family_name", "given_name"], name="person_name"),
            models.Index(fields=["organisation", "email"], name="person_email"),
            models.Index(fields=["organisation", "external_id"], name="person_external_id"),
            models.Index(fields=["organisation", "phone"], name="person_phone"),
            models.Index(fields=["organisation", "country_of_origin"], name="person_country"),
            models.Index(fields=["organisation", "latitude", "longitude"], name="person_location"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        parts = (self.given_name, self.family_name, self.latin_name, self.email)
        self.search_text = " ".join(part for part in parts if part).lower()[:1000]

    @property
    def full_name(self) -> str:
        if self.anonymised_at:
            return _("Anonymised person no. %(number)d") % {"number": self.pk}
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def availability_slots(self) -> list[str]:
        return Availability.labels_of(self.availability)

    @property
    def country_name(self) -> str:
        return reference.country_name(self.country_of_origin) if self.country_of_origin else ""

    @property
    def contact_language_name(self) -> str:
        return reference.language_name(self.contact_language) if self.contact_language else ""


class Availability:
    """The weekly grid of morning, afternoon and evening slots, stored as a
    bit mask on Person.availability, so that "free on Tuesday evening" is one
    indexed comparison on every database."""

    DAYS = (
        ("mon", _("Monday")),
        ("tue", _("Tuesday")),
        ("wed", _("Wednesday")),
        ("thu", _("Thursday")),
        ("fri", _("Friday")),
        ("sat", _("Saturday")),
        ("sun", _("Sunday")),
    )
    PARTS = (("am", _("morning")), ("pm", _("afternoon")), ("eve", _("evening")))

    @classmethod
    def slots(cls) -> list[tuple[str, str, int]]:
        """(code, label, bit) for each slot, e.g. ("tue-eve", "Tuesday evening", 32)."""
        result = []
        for day_index, (day, day_label) in enumerate(cls.DAYS):
            for part_index, (part, part_label) in enumerate(cls.PARTS):
                bit = 1 << (day_index * len(cls.PARTS) + part_index)
                result.append((f"{day}-{part}", f"{day_label} {part_label}", bit))
        return result

    @classmethod
    def mask(cls, codes: list[str]) -> int:
        bits = {code: bit for code, _label, bit in cls.slots()}
        return sum(bits[code] for code in set(codes) if code in bits)

    @classmethod
    def codes_of(cls, mask: int) -> list[str]:
        return [code for code, _label, bit in cls.slots() if mask & bit]

    @classmethod
    def labels_of(cls, mask: int) -> list[str]:
        return [str(label) for _code, label, bit in cls.slots() if mask & bit]


class GenderPreference(models.TextChoices):
    NONE = "", _("no preference")
    FEMALE = "female", _("a woman")
    MALE = "male", _("a man")


class ParticipantProfile(models.Model):
    """What a mentee or client wants and needs."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="participant")
    wishes = models.TextField(_("wishes and goals"), blank=True)
    needs = models.ManyToManyField(Need, blank=True, related_name="+", verbose_name=_("needs"))
    target_areas = models.ManyToManyField(
        OccupationArea, blank=True, related_name="+", verbose_name=_("target occupational areas")
    )
    target_industries = models.ManyToManyField(
        Industry, blank=True, related_name="+", verbose_name=_("target industries")
    )
    mentor_gender = models.CharField(
        _("mentor should be"), max_length=10, choices=GenderPreference.choices, blank=True
    )
    mentor_gender_required = models.BooleanField(
        _("this is a condition"),
        default=False,
        help_text=_("Without it, the wish is weighed; with it, no other mentor is proposed."),
    )
    mentor_language = models.CharField(_("mentor should speak"), max_length=3, blank=True)
    driving_licence = models.BooleanField(
        _("driving licence"),
        default=False,
        help_text=_("A German or recognised car driving licence (class B)."),
    )

    class Meta:
        verbose_name = _("participant profile")
        verbose_name_plural = _("participant profiles")

    def __str__(self) -> str:
        return str(self.person)


class VolunteerProfile(models.Model):
    """What a mentor brings: career, strengths, time, clearance and training."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="volunteer")
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="+", verbose_name=_("industries of the career")
    )
    occupation_areas = models.ManyToManyField(
        OccupationArea, blank=True, related_name="+", verbose_name=_("occupational areas")
    )
    strengths = models.ManyToManyField(
        Need, blank=True, related_name="+", verbose_name=_("can help with")
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentees at once"), default=1, help_text=_("How many mentees at the same time.")
    )
    police_clearance_on = models.DateField(
        _("extended police clearance certificate issued on"), null=True, blank=True
    )
    training_completed_on = models.DateField(
        _("basic training completed on"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self) -> str:
        return str(self.person)

    def clearance_valid_on(self, day: datetime.date) -> bool:
        """Offices ask for a new certificate after a few years; how many is a
        setting (LOTSE_POLICE_CLEARANCE_YEARS)."""
        if self.police_clearance_on is None:
            return False
        years = settings.LOTSE_POLICE_CLEARANCE_YEARS
        return day < self.police_clearance_on + datetime.timedelta(days=round(365.25 * years))


class WorkExperience(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="experience")
    occupation_area = models.ForeignKey(
        OccupationArea, on_delete=models.PROTECT, verbose_name=_("occupational area")
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("industry")
    )
    years = models.PositiveSmallIntegerField(_("years"))

    class Meta:
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")

    def __str__(self) -> str:
        return f"{self.occupation_area.name}: {self.years}"


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=3)
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        indexes = [models.Index(fields=["language", "level"], name="person_language_level")]
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="person_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"

    @property
    def name(self) -> str:
        return reference.language_name(self.language)


class PersonRole(OrganisationOwned):
    """A person's role in the pool and its current status; the history of the
    status is in StatusChange, kept in step by the service that changes it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=PoolRole.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    since = models.DateTimeField(_("since"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("role in the pool")
        verbose_name_plural = _("roles in the pool")
        indexes = [
            models.Index(fields=["organisation", "role", "status"], name="person_role_status"),
            # New registrations of a period, for the reports.
            models.Index(fields=["organisation", "role", "since"], name="person_role_since"),
        ]
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="person_role_once")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.get_status_display()}"


class StatusChange(OrganisationOwned):
    person_role = models.ForeignKey(PersonRole, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


__all__ = ["Organisation", "Person", "PersonLanguage", "PersonRole", "StatusChange", "User"]


class SavedFilter(OrganisationOwned):
    """A user's named view of the pool: the filter part of the list's address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filters"), max_length=2000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "name"], name="saved_filter_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ConsentPurpose(models.TextChoices):
    PROFILE = "profile", _("storing the profile data")
    SHARING = "sharing", _("sharing data with a partner institution")
    PUBLICATION = "publication", _("photos or testimonials for publication")
    NEWSLETTER = "newsletter", _("newsletter")


class ConsentChannel(models.TextChoices):
    PAPER = "paper", _("signed on paper")
    ONLINE = "online", _("online form")
    ORAL = "oral", _("orally, with a witness")


class ConsentQuerySet(SiteQuerySet):
    def in_force(self, on: datetime.date) -> ConsentQuerySet:
        """Given on or before `on` and not withdrawn by then."""
        return self.filter(given_on__lte=on).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)
        )


class Consent(OrganisationOwned):
    """A person's consent to one purpose (GDPR Art. 6(1)(a), 7, 9(2)(a)): when
    and how it was given, its evidence, and its withdrawal. Records are never
    changed otherwise and never deleted: the history proves what was allowed
    when (Art. 7(1)). A consent to share names the partner institution; the
    services that share or publish refuse without one in force.

    Kept with the person (not in the privacy app), because case management
    and the reports, which check it, sit above the pool but below that app."""

    site_field = "person__site"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    # The network sits beside the pool, so the institution is named by its
    # label; the services check that it belongs to the same organisation.
    institution = models.ForeignKey(
        "network.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner institution"),
    )
    given_on = models.DateField(_("given on"))
    channel = models.CharField(_("given"), max_length=10, choices=ConsentChannel.choices)
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    wording = models.CharField(
        _("version of the consent text"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Einwilligung Datenweitergabe, Fassung 03/2026”."),
    )
    evidence = models.FileField(
        _("evidence"),
        storage=document_storage,
        upload_to=document_name,
        max_length=200,
        blank=True,
    )
    evidence_type = models.CharField(max_length=100, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(ConsentQuerySet)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]
        indexes = [
            models.Index(fields=["person", "purpose", "given_on"], name="consent_person_purpose")
        ]

    def __str__(self) -> str:
        if self.institution_id:
            return f"{self.get_purpose_display()}: {self.institution}"
        return str(self.get_purpose_display())

    def in_force_on(self, day: datetime.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)
