"""The privacy app's own records: erasures with their second administrator's
decision, and the retention periods an organisation sets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.models import OrganisationOwned, scoped_manager
from lotse.people.models import Person


class ErasureReason(models.TextChoices):
    REQUEST = "request", _("the person asked for it (GDPR Art. 17)")
    CONSENT = "consent", _("the person withdrew their consent")
    PURPOSE = "purpose", _("no longer needed for the purpose it was collected for")
    RETENTION = "retention", _("the retention period has passed")


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", _("waiting for a second administrator")
    DONE = "done", _("anonymised")
    CANCELLED = "cancelled", _("cancelled")


class Erasure(OrganisationOwned):
    """One person's erasure by anonymisation: asked for by one administrator,
    carried out when a second one confirms (four eyes: it cannot be undone).
    What stays is the record's number, never a name."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ErasureReason.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("asked for by"),
    )
    requested_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    # Empty for an anonymisation the retention job carried out on its own.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open request per person: a second one would only race the first.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="requested"),
                name="erasure_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return _("Erasure of record no. %(number)d") % {"number": self.person_id}


class RetentionKind(models.TextChoices):
    CLOSED_CASE = "closed_case", _("clients whose cases are all closed")
    NEVER_ENROLLED = "never_enrolled", _("interested people who never took part")
    WITHDRAWN_VOLUNTEER = "withdrawn_volunteer", _("volunteers who withdrew")


# Months after the last closing, interest or withdrawal (PRODUCT.md §9).
DEFAULT_MONTHS = {
    RetentionKind.CLOSED_CASE: 36,
    RetentionKind.NEVER_ENROLLED: 12,
    RetentionKind.WITHDRAWN_VOLUNTEER: 24,
}


class RetentionRule(OrganisationOwned):
    """How long an organisation keeps one kind of record after its end, and
    whether the retention job anonymises on its own or lists for review."""

    kind = models.CharField(_("records"), max_length=30, choices=RetentionKind.choices)
    months = models.PositiveSmallIntegerField(_("kept for (months)"))
    automatic = models.BooleanField(
        _("anonymise automatically"),
        default=False,
        help_text=_("Without an administrator's review, once the period has passed."),
    )

    objects = scoped_manager()

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="retention_rule_once"),
            models.CheckConstraint(condition=models.Q(months__gte=1), name="retention_months_min"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())
