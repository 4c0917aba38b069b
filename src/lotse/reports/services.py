"""Use cases of the reports: recording testimonials with their consent, and
asking for an annual report."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.accounts.roles import EDIT_PEOPLE, VIEW_REPORTS
from lotse.core import audit
from lotse.core.exceptions import NotPermitted, ServiceError
from lotse.core.permissions import actor_membership, check_sites
from lotse.core.services import apply_changes, locked
from lotse.core.storage import check_document

from . import annual
from .models import AnnualReport, Testimonial

TESTIMONIAL_SAVED = audit.register_action(
    "lotse.testimonial.saved", gettext_lazy("Testimonial recorded")
)
ANNUAL_REPORT_REQUESTED = audit.register_action(
    "lotse.annual_report.requested", gettext_lazy("Annual report requested")
)


class InvalidInput(ServiceError):
    pass


def save_testimonial(
    *, actor: User, data: dict[str, Any], testimonial: Testimonial | None = None
) -> Testimonial:
    """Record or change a testimonial. Publishing it needs the author's
    consent to publication, recorded on their page with the other consents."""
    person = data.get("person") or (testimonial.person if testimonial else None)
    if person is None:
        raise InvalidInput(_("Choose the author."))
    membership = actor_membership(
        actor,
        person.organisation_id,
        EDIT_PEOPLE,
        _("You may not record testimonials."),
    )
    check_sites(membership, [person.site_id], _("You may not record testimonials of this person."))
    version = data.pop("version", None)
    with transaction.atomic():
        if testimonial is None:
            testimonial = Testimonial(organisation_id=person.organisation_id, recorded_by=actor)
        else:
            testimonial = locked(
                Testimonial,
                testimonial.pk,
                version,
                _("Someone else changed this testimonial meanwhile. Please check and save again."),
            )
        changed = apply_changes(testimonial, data)
        if testimonial.pk and not changed:
            return testimonial
        if testimonial.pk:
            testimonial.version += 1
        testimonial.save()
        audit.record(
            actor=actor,
            organisation=membership.organisation,
            action=TESTIMONIAL_SAVED,
            target=testimonial,
            changed_fields=changed,
        )
    return testimonial


def request_annual_report(*, actor: User, data: dict[str, Any]) -> AnnualReport:
    """Ask for the annual report of a year; it is written in the background.
    Only testimonials whose consent holds can be chosen (and the consent is
    checked again when the report is written)."""
    membership = getattr(actor, "membership", None)
    if membership is None or not membership.has_perm(VIEW_REPORTS):
        raise NotPermitted(_("You may not ask for annual reports."))
    chosen = list(data.pop("testimonials", []))
    publishable = set(
        Testimonial.objects.filter(
            pk__in=[t.pk for t in chosen], organisation_id=membership.organisation_id
        )
        .publishable()
        .values_list("pk", flat=True)
    )
    if any(testimonial.pk not in publishable for testimonial in chosen):
        raise InvalidInput(
            _(
                "Only testimonials whose author's consent to publication is in force can go "
                "into a report."
            )
        )
    logo = data.pop("logo", None)
    if logo and check_document(logo) == "application/pdf":
        raise InvalidInput(_("The logo must be a PNG or JPEG picture."))
    programme = data.get("programme")
    if programme is not None and programme.organisation_id != membership.organisation_id:
        raise NotPermitted(_("You may not ask for annual reports."))
    with transaction.atomic():
        report = AnnualReport(
            organisation_id=membership.organisation_id,
            created_by=actor,
            site_ids=None if membership.all_sites else sorted(membership.site_ids),
            **data,
        )
        if logo:
            report.logo = logo
        report.save()
        report.testimonials.set(chosen)
        audit.record(
            actor=actor,
            organisation=membership.organisation,
            action=ANNUAL_REPORT_REQUESTED,
            target=report,
        )
        annual.start(report)
    return report
