"""Imports of spreadsheets: each run with its file, mapping, outcome and the
records it wrote (for the history and the undo), and mappings saved for the
next file of the same shape."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.models import OrganisationOwned, Site, SiteQuerySet, scoped_manager
from lotse.core.storage import document_name, document_storage


class ImportKind(models.TextChoices):
    PEOPLE = "people", _("People (participants and volunteers)")
    EMPLOYERS = "employers", _("Employers with their contact persons")
    INSTITUTIONS = "institutions", _("Institutions of the network with their contact persons")
    OFFERS = "offers", _("Offers of the network")


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("not imported yet")
    IMPORTED = "imported", _("imported")
    UNDONE = "undone", _("undone")


class MatchKey(models.TextChoices):
    EXTERNAL_ID = "external_id", _("own number")
    EMAIL = "email", _("e-mail address")
    NAME_BIRTH_DATE = "name_birth_date", _("name and date of birth")


class OnDuplicate(models.TextChoices):
    SKIP = "skip", _("skip the row")
    UPDATE = "update", _("update the existing record")
    CREATE = "create", _("create a new record anyway")


class ImportRun(OrganisationOwned):
    """One uploaded file on its way in, and afterwards the record of what came in."""

    site_field = "site"

    kind = models.CharField(
        _("what"), max_length=20, choices=ImportKind.choices, default=ImportKind.PEOPLE
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRAFT
    )
    # Kept for the retention period: what exactly came in.
    file = models.FileField(storage=document_storage, upload_to=document_name, max_length=200)
    file_name = models.CharField(_("file"), max_length=200)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("row of the column headings"), default=1)
    # {"<column number>": "<field code>"}; unmapped columns are left out.
    mapping = models.JSONField(_("columns"), default=dict, blank=True)
    role = models.CharField(_("role in the pool"), max_length=20, blank=True)
    status_in_pool = models.CharField(_("status in the pool"), max_length=20, blank=True)
    match_key = models.CharField(
        _("recognise the same person by"),
        max_length=20,
        choices=MatchKey.choices,
        default=MatchKey.NAME_BIRTH_DATE,
    )
    on_duplicate = models.CharField(
        _("when the person is there already"),
        max_length=10,
        choices=OnDuplicate.choices,
        default=OnDuplicate.SKIP,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    # What the undo needs: {"created": {pk: version}, "updated": {pk: {"version":
    # …, "before": {field: value}}}}; emptied by the undo.
    records = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = scoped_manager(SiteQuerySet)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def mapped(self) -> dict[int, str]:
        return {int(column): code for column, code in self.mapping.items() if code}


class SavedMapping(OrganisationOwned):
    """Column headings and the fields they went to, offered for the next file
    with the same headings."""

    kind = models.CharField(_("what"), max_length=20, choices=ImportKind.choices)
    name = models.CharField(_("name"), max_length=100)
    # {"<heading as compared>": "<field code>"}
    columns = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    objects = scoped_manager()

    class Meta:
        verbose_name = _("saved column mapping")
        verbose_name_plural = _("saved column mappings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "name"], name="saved_mapping_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
