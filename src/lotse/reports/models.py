"""What the reports keep: testimonials (Erfahrungsberichte), published only
while their author's consent to publication is in force (a consent record of
the pool), and the annual reports generated as PDF."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.models import OrganisationOwned, OrganisationQuerySet, SiteQuerySet, scoped_manager
from lotse.core.storage import document_name, document_storage
from lotse.people.models import Consent, ConsentPurpose, Person
from lotse.programmes.models import Programme


class AuthorRole(models.TextChoices):
    MENTEE = "mentee", _("mentee")
    MENTOR = "mentor", _("mentor")
    CLIENT = "client", _("client")


def publication_consents(on: datetime.date | None = None):
    """The consents to publication in force on `on` (today)."""
    return Consent.objects.filter(purpose=ConsentPurpose.PUBLICATION).in_force(
        on or timezone.localdate()
    )


class TestimonialQuerySet(SiteQuerySet):
    def with_consent(self, on: datetime.date | None = None) -> TestimonialQuerySet:
        """Each with `consented`: whether the author's consent to publication
        is in force on `on` (today)."""
        return self.annotate(
            consented=Exists(publication_consents(on).filter(person=OuterRef("person_id")))
        )

    def publishable(self, on: datetime.date | None = None) -> TestimonialQuerySet:
        """Those whose author's consent to publication is in force."""
        return self.with_consent(on).filter(consented=True)


class Testimonial(OrganisationOwned):
    """A mentor's, mentee's or client's own account of their experience. Only
    one whose author has a consent to publication in force (recorded on their
    page, with its evidence) can go into an annual report; it is printed under
    the name the author chose."""

    site_field = "person__site"
    __test__ = False  # not a test class, whatever pytest thinks of the name

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="testimonials", verbose_name=_("author")
    )
    author_role = models.CharField(_("written as"), max_length=10, choices=AuthorRole.choices)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    text = models.TextField(_("text"))
    signed_as = models.CharField(
        _("printed as"),
        max_length=100,
        help_text=_("How the author wants to be named in print, e.g. “Amal, mentee in Bretten”."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(TestimonialQuerySet)

    class Meta:
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.signed_as

    @property
    def is_publishable(self) -> bool:
        return publication_consents().filter(person_id=self.person_id).exists()


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("being written")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ReportLanguage(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class AnnualReport(OrganisationOwned):
    """The annual report of a year, of one programme or the whole
    organisation, written as PDF in the background."""

    year = models.PositiveSmallIntegerField(_("year"))
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    # The sites of whoever asked for it: the report counts no more than they may see.
    site_ids = models.JSONField(null=True, blank=True)
    language = models.CharField(
        _("language of the report"),
        max_length=2,
        choices=ReportLanguage.choices,
        default="de",
    )
    title = models.CharField(_("title"), max_length=200)
    foreword = models.TextField(_("foreword"), blank=True)
    logo = models.FileField(
        _("logo"),
        storage=document_storage,
        upload_to=document_name,
        max_length=200,
        blank=True,
    )
    testimonials = models.ManyToManyField(
        Testimonial, blank=True, related_name="+", verbose_name=_("testimonials")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(max_length=100, blank=True)
    pdf = models.FileField(
        storage=document_storage, upload_to=document_name, max_length=200, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = scoped_manager(OrganisationQuerySet)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return f"annual-report-{self.year}-{self.pk}.pdf"
