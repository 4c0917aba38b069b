"""Consents (GDPR Art. 7): recorded as given, withdrawn without being
changed otherwise, and checked where processing needs one: a referral that
takes the client's data to a partner institution is refused without the
client's consent to share with that institution, and again after withdrawal."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from lotse.accounts.models import Membership
from lotse.cases import services as cases
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import AuditEntry
from lotse.network.models import Institution
from lotse.people import services
from lotse.people.models import Consent
from lotse.people.services import ConsentMissing

from ..conftest import sign_in


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def acting(user):
    user.membership = Membership.objects.get(user=user)
    return user


def _vhs(world):
    return Institution.objects.create(
        organisation=world.org_a, name="VHS Alphastadt", domain="education", kind="other"
    )


def _refer(world, institution, **options):
    return cases.refer(
        actor=acting(world.alice),
        case=world.case_a,
        reason="Sprachkurs",
        institution=institution,
        shares_data=True,
        **options,
    )


def test_sharing_without_consent_is_refused_and_refused_again_after_withdrawal(world):
    vhs = _vhs(world)
    client = world.case_a.client
    with pytest.raises(ConsentMissing, match=re.escape(
        f"{client.full_name} has not consented to share data with VHS Alphastadt."
    )):  # fmt: skip
        _refer(world, vhs)
    # A referral that only points the client there needs none.
    assert (
        cases.refer(
            actor=acting(world.alice), case=world.case_a, reason="Kursinfo", institution=vhs
        ).shares_data
        is False
    )

    today = timezone.localdate()
    consent = services.record_consent(
        actor=acting(world.alice),
        person=client,
        purpose="sharing",
        institution=vhs,
        given_on=today,
        channel="paper",
        wording="Einwilligung Datenweitergabe, Fassung 03/2026",
    )
    assert _refer(world, vhs).shares_data is True
    # A consent for the VHS does not let data go to another institution.
    other = Institution.objects.create(
        organisation=world.org_a, name="Beratungsstelle Süd", domain="social", kind="other"
    )
    with pytest.raises(ConsentMissing, match="Beratungsstelle Süd"):
        _refer(world, other)

    services.withdraw_consent(actor=acting(world.alice), consent=consent, version=consent.version)
    with pytest.raises(ConsentMissing, match=re.escape(
        f"{client.full_name} withdrew the consent to share data with VHS Alphastadt on"
    )):  # fmt: skip
        _refer(world, vhs)
    consent.refresh_from_db()
    # The record stays, with both dates.
    assert (consent.given_on, consent.withdrawn_on) == (today, today)
    assert consent.wording == "Einwilligung Datenweitergabe, Fassung 03/2026"
    assert (
        AuditEntry.objects.filter(
            action__in=["lotse.consent.recorded", "lotse.consent.withdrawn"],
            target_id=str(client.pk),
        ).count()
        == 2
    )


def test_a_consent_holds_from_the_day_it_was_given_until_the_day_it_is_withdrawn(world):
    vhs = _vhs(world)
    today = timezone.localdate()
    consent = services.record_consent(
        actor=acting(world.alice),
        person=world.case_a.client,
        purpose="sharing",
        institution=vhs,
        given_on=today - datetime.timedelta(days=10),
        channel="oral",
        witness="Frau Zeugin",
    )
    with pytest.raises(ConsentMissing):
        _refer(world, vhs, referred_on=today - datetime.timedelta(days=11))
    assert _refer(world, vhs, referred_on=today - datetime.timedelta(days=10))
    services.withdraw_consent(
        actor=acting(world.alice),
        consent=consent,
        version=consent.version,
        withdrawn_on=today - datetime.timedelta(days=2),
    )
    assert _refer(world, vhs, referred_on=today - datetime.timedelta(days=3))
    with pytest.raises(ConsentMissing):
        _refer(world, vhs, referred_on=today - datetime.timedelta(days=2))
    assert Consent.objects.in_force(today - datetime.timedelta(days=3)).filter(pk=consent.pk)
    assert not Consent.objects.in_force(today).filter(pk=consent.pk)


def test_a_consent_is_recorded_only_as_it_can_have_been_given(world):
    person, vhs, today = world.case_a.client, _vhs(world), timezone.localdate()

    def record(**changes):
        values = {"purpose": "sharing", "institution": vhs, "given_on": today, "channel": "paper"}
        return services.record_consent(actor=acting(world.alice), person=person, **values | changes)

    with pytest.raises(ServiceError, match="Name the partner institution"):
        record(institution=None)
    with pytest.raises(ServiceError, match="needs the name of its witness"):
        record(channel="oral")
    with pytest.raises(ServiceError, match="cannot be given in the future"):
        record(given_on=today + datetime.timedelta(days=1))
    with pytest.raises(ServiceError):
        record(evidence=SimpleUploadedFile("x.pdf", b"MZ not a pdf"))
    beta = Institution.objects.create(
        organisation=world.org_b, name="Betastadt JC", domain="work", kind="jobcenter"
    )
    with pytest.raises(NotPermitted):
        record(institution=beta)
    with pytest.raises(NotPermitted):  # cora works at site A2 only
        services.record_consent(
            actor=acting(world.cora), person=person, purpose="newsletter", given_on=today,
            channel="paper",
        )  # fmt: skip
    newsletter = record(purpose="newsletter", institution=vhs)
    assert newsletter.institution is None  # only a consent to share names one
    assert services.require_consent(person, "newsletter") == newsletter


def test_a_withdrawal_is_recorded_once_not_before_the_consent_and_not_over_a_stale_page(world):
    consent = world.consent_a
    alice = acting(world.alice)
    with pytest.raises(ServiceError, match="before it was given"):
        services.withdraw_consent(
            actor=alice,
            consent=consent,
            version=consent.version,
            withdrawn_on=consent.given_on - datetime.timedelta(days=1),
        )
    with pytest.raises(Conflict):
        services.withdraw_consent(actor=alice, consent=consent, version=consent.version + 1)
    done = services.withdraw_consent(actor=alice, consent=consent, version=consent.version)
    with pytest.raises(ServiceError, match="withdrawn already"):
        services.withdraw_consent(actor=alice, consent=done, version=done.version)


def test_the_evidence_is_read_by_who_sees_the_person_and_the_read_is_recorded(world, client):
    sign_in(client, world.alice)
    response = client.get(reverse("people:consent_evidence", args=[world.consent_a.pk]))
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 Einwilligung"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(action="lotse.consent.evidence_read").count() == 1


def test_the_person_page_lists_the_consents_and_the_form_shows_its_errors(world, client):
    recorded = Consent.objects.count()
    sign_in(client, world.alice)
    page = client.get(reverse("people:person_detail", args=[world.case_a.client.pk]))
    text = page.content.decode()
    assert 'id="consent-list"' in text
    assert "Jobcenter Alphastadt" in text
    form = client.post(
        reverse("people:consent_create", args=[world.case_a.client.pk]),
        {"purpose": "sharing", "given_on": timezone.localdate().isoformat(), "channel": "paper"},
    )
    assert form.status_code == 200
    assert "Nennen Sie die Partnereinrichtung" in form.content.decode()
    assert Consent.objects.count() == recorded
