"""Tenancy (organisations and their sites), the base of organisation-owned
models, and the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .permissions import VIEW_RECORDS

if TYPE_CHECKING:
    from lotse.accounts.models import User


def in_ui_language(german: str, english: str) -> str:
    """Of a text kept in both interface languages (reference lists, programme
    steps), the one for the active language."""
    return german if (get_language() or "de").startswith("de") else english


class SupportArea(models.TextChoices):
    """The areas of life in which people need support and offers give it: one
    vocabulary shared by the pool's needs, cases' help plans and the network's
    offers, so that the gap report can set demand against supply."""

    LANGUAGE = "language", _("language")
    INTEGRATION_COURSE = "integration_course", _("integration course")
    COUNSELLING = "counselling", _("counselling")
    RECOGNITION = "recognition", _("recognition of qualifications")
    QUALIFICATION = "qualification", _("qualification and training")
    APPLICATION = "application", _("applications and job search")
    WORK = "work", _("work and internships")
    MENTORING = "mentoring", _("mentoring")
    CHILDCARE = "childcare", _("childcare")
    HEALTH = "health", _("health")
    HOUSING = "housing", _("housing")
    FINANCES = "finances", _("finances and debts")
    AUTHORITIES = "authorities", _("dealing with authorities")
    LEISURE = "leisure", _("social contacts and leisure")


class Organisation(models.Model):
    """A tenant: an integration office, jobcenter contact point, welfare
    organisation or NGO. Everything an organisation owns is scoped to it."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet):
    """Reads of organisation-owned rows. Views start from `visible_to(user)`."""

    def visible_to(self, user: User) -> OrganisationQuerySet:
        membership = getattr(user, "membership", None)
        if membership is None:
            return self.none()
        # Partner institutions' staff read only what the network shares with
        # them (models marked `partner_readable`), never records of people.
        if not membership.has_perm(VIEW_RECORDS) and not getattr(
            self.model, "partner_readable", False
        ):
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)


class SiteQuerySet(OrganisationQuerySet):
    """Reads of rows that belong to one site: narrowed to the user's sites."""

    def visible_to(self, user: User) -> SiteQuerySet:
        qs = super().visible_to(user)
        membership = getattr(user, "membership", None)
        if membership is None or membership.all_sites:
            return qs
        return qs.filter(**{f"{self.model.site_field}__in": membership.site_ids})


class OrganisationManager(models.Manager):
    def visible_to(self, user: User) -> OrganisationQuerySet:
        # all() raises ScopeError when no organisation scope is active, so a
        # request without a tenant never reaches the filter below.
        return self.all().visible_to(user)


def scoped_manager(queryset_class: type[OrganisationQuerySet] = OrganisationQuerySet) -> Any:
    """A django-scopes manager: a query with no active organisation scope raises."""
    return ScopedManager(
        organisation="organisation",
        _manager_class=OrganisationManager.from_queryset(queryset_class),
    )


class OrganisationOwned(models.Model):
    """Base for every model an organisation owns."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("organisation"), related_name="+"
    )

    objects = scoped_manager()

    class Meta:
        abstract = True


class Site(OrganisationOwned):
    """A place where an organisation works (a town office, a contact point)."""

    site_field = "pk"
    partner_readable = True  # offers of the network name their site

    name = models.CharField(_("name"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(SiteQuerySet)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="site_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class AuditEntryQuerySet(OrganisationQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Audit entries are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit entries are append-only.")


class AuditEntry(OrganisationOwned):
    """One thing that happened: who did what to which object, and which fields
    changed. Values are never stored, only field names: the log must not become
    a second copy of the personal data it protects."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    target_id = models.CharField(_("object ID"), max_length=64, blank=True)
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = scoped_manager(AuditEntryQuerySet)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return self.action

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("Audit entries are append-only.")


class Place(models.Model):
    """A German municipality or locality with its coordinates: reference data
    from GeoNames (places of 500 inhabitants or more), loaded by a migration.
    Distances between home towns, for the pool's "within 15 km of …" filter
    and for matching, are measured between these points."""

    geonames_id = models.PositiveIntegerField(db_index=True)
    name = models.CharField(_("name"), max_length=200)
    # A name as geo.place_key() writes it: what a lookup compares. A place has
    # one row per name it is known by ("München", "Munich"), all with its
    # GeoNames name as `name`.
    key = models.CharField(max_length=200, db_index=True)
    state = models.CharField(_("federal state"), max_length=2)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        verbose_name = _("town or village")
        verbose_name_plural = _("towns and villages")
        ordering = ["name", "-population"]

    def __str__(self) -> str:
        return self.name
