"""The records of processing activities (GDPR Art. 30), written from what
Lotse is configured with: each app's processing activity and field registry
in its `privacy.py` (lotse.core.personal_data), the partner institutions the
organisation's people consented to share with, its retention periods and
the technical and organisational measures the settings switch on. An
administrator reads it on a page and downloads it as a PDF for the data
protection officer, who completes what only the organisation knows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotse.accounts.models import User
from lotse.accounts.roles import HANDLE_PRIVACY, Role
from lotse.core.models import Organisation
from lotse.core.permissions import actor_membership
from lotse.core.personal_data import Category
from lotse.people.models import Consent, ConsentPurpose

from . import retention, services


@dataclass
class Activity:
    """One app's processing activity."""

    app: str
    title: str
    purpose: str
    legal_basis: str
    subjects: str
    recipients: str
    # (category label, the names of its fields), personal data first.
    categories: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class Records:
    organisation: Organisation
    written_at: object
    activities: list[Activity]
    partners: list[str]  # institutions a consent to share with is in force for
    periods: list[retention.Period]
    measures: list[str]


# The categories listed, in this order; record keeping is named only once.
_LISTED = (Category.PERSONAL, Category.SPECIAL, Category.SOCIAL)


def activities() -> list[Activity]:
    found = []
    for label, title, module in services.modules():
        by_category: dict[str, list[str]] = {category: [] for category in _LISTED}
        for model, fields in module.FIELDS.items():
            for name, category in fields.items():
                if category not in by_category:
                    continue
                shown = str(model._meta.get_field(name).verbose_name)
                if shown not in by_category[category]:
                    by_category[category].append(shown)
        found.append(
            Activity(
                app=label,
                title=title,
                purpose=str(module.PURPOSE),
                legal_basis=str(module.LEGAL_BASIS),
                subjects=str(module.SUBJECTS),
                recipients=str(module.RECIPIENTS),
                categories=[
                    (str(Category(category).label), names)
                    for category, names in by_category.items()
                    if names
                ],
            )
        )
    return found


def _measures() -> list[str]:
    roles = [str(Role(role).label) for role in settings.LOTSE_TWO_FACTOR_REQUIRED_ROLES]
    length = next(
        (
            validator.get("OPTIONS", {}).get("min_length")
            for validator in settings.AUTH_PASSWORD_VALIDATORS
            if validator["NAME"].endswith("MinimumLengthValidator")
        ),
        None,
    )
    recipients = len(settings.LOTSE_BACKUP_RECIPIENTS)
    measures = [
        _(
            "Access by need to know: every member sees the records of their own sites and "
            "what their role allows; health and residence matters only with the grant for "
            "sensitive data."
        ),
        _("Sign-in with a second factor (authenticator app) required for: %(roles)s.")
        % {"roles": ", ".join(roles) or _("no role")},
        _("Passwords of at least %(length)s characters, checked against common passwords.")
        % {"length": length or 8},
        _(
            "Sign-out after %(idle)d minutes without use; every sign-in ends after %(hours)d "
            "hours. Repeated failed sign-ins are locked out."
        )
        % {"idle": settings.SESSION_COOKIE_AGE // 60, "hours": settings.LOTSE_SESSION_MAX_HOURS},
        _(
            "Audit log of every change, of opening a person's record, a case or a document "
            "and of every export with personal data; entries are only ever added, never changed."
        ),
        _("Anonymised statistics hide every count below %(threshold)d.")
        % {"threshold": settings.LOTSE_STATISTICS_THRESHOLD},
        ngettext(
            "Backups encrypted to %(count)d key kept off the server.",
            "Backups encrypted to %(count)d keys kept off the server.",
            recipients,
        )
        % {"count": recipients}
        if recipients
        else _("Backups are not encrypted: set LOTSE_BACKUP_RECIPIENTS."),
        _("Transport encrypted (HTTPS, HSTS).")
        if settings.SECURE_HSTS_SECONDS
        else _("HSTS is switched off: the server must be reached over HTTPS only."),
        _(
            "Erasure by anonymisation, confirmed by a second administrator, applied again "
            "after the restore of an older backup."
        ),
    ]
    return measures


def records(*, actor: User, organisation: Organisation) -> Records:
    actor_membership(
        actor,
        organisation.pk,
        HANDLE_PRIVACY,
        _("You may not read the records of processing."),
    )
    partners = (
        Consent.objects.filter(
            organisation=organisation,
            purpose=ConsentPurpose.SHARING,
            institution__isnull=False,
        )
        .in_force(timezone.localdate())
        .values_list("institution__name", flat=True)
        .distinct()
        .order_by("institution__name")
    )
    return Records(
        organisation=organisation,
        written_at=timezone.now(),
        activities=activities(),
        partners=list(partners),
        periods=retention.periods(organisation.pk),
        measures=_measures(),
    )


def pdf(found: Records) -> bytes:
    """The records as a PDF, in the language of the request."""
    title = _("Records of processing activities (GDPR Art. 30)")

    def months(period: retention.Period) -> str:
        kept = ngettext("%(count)s month", "%(count)s months", period.months) % {
            "count": period.months
        }
        mode = _("anonymised automatically") if period.automatic else _("after review")
        return f"{kept}, {mode}"

    activities_section = {
        "title": _("Processing activities"),
        "entries": [
            {
                "title": activity.title,
                "values": [
                    [_("Purpose"), activity.purpose],
                    [_("Legal basis"), activity.legal_basis],
                    [_("Data subjects"), activity.subjects],
                    *[[label, ", ".join(names)] for label, names in activity.categories],
                    [_("Recipients"), activity.recipients],
                ],
            }
            for activity in found.activities
        ],
    }
    data = {
        "lang": (translation.get_language() or "de").split("-")[0].lower(),
        "title": title,
        "organisation": found.organisation.name,
        "stamp": _("Written on %(date)s")
        % {
            "date": formats.date_format(
                timezone.localtime(found.written_at), "SHORT_DATETIME_FORMAT"
            )
        },
        "intro": _(
            "Controller: %(organisation)s. Written by Lotse from its configuration: the "
            "purposes, data and recipients of each area, the retention periods and the "
            "measures switched on. The data protection officer completes what only the "
            "organisation knows, such as its contact details and other systems."
        )
        % {"organisation": found.organisation.name},
        "labels": {"page": _("Page %(page)s of %(pages)s"), "none": _("Nothing recorded.")},
        "missing": "",
        "sections": [
            activities_section,
            {
                "title": _("Partner institutions receiving data"),
                "entries": [
                    {
                        "title": _(
                            "These institutions receive data, each only about the people "
                            "whose consent to share with it is in force."
                        ),
                        "values": [
                            [str(index), name] for index, name in enumerate(found.partners, start=1)
                        ]
                        or [["–", _("None at present.")]],
                    }
                ],
            },
            {
                "title": _("Retention periods"),
                "entries": [
                    {
                        "title": _("After the end of the records"),
                        "values": [
                            [period.label[:1].upper() + period.label[1:], months(period)]
                            for period in found.periods
                        ],
                    }
                ],
            },
            {
                "title": _("Technical and organisational measures (Art. 32)"),
                "entries": [
                    {
                        "title": _("Switched on in Lotse"),
                        "values": [
                            [str(index), text] for index, text in enumerate(found.measures, 1)
                        ],
                    }
                ],
            },
        ],
    }
    return services.sections_pdf(data)
