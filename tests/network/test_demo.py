import datetime

from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone
from django_scopes import scopes_disabled

from lotse.network.models import (
    WORKSHOP_SIZE_HINT,
    AgreedMeasure,
    Attendance,
    Committee,
    CommitteeKind,
    ContactPerson,
    CooperationAgreement,
    CoreGroup,
    Domain,
    Institution,
    IntegrationStep,
    InterfacePaper,
    MeasureStatus,
    MeasureUpdate,
    NeedsEntry,
    NetworkMeeting,
    Offer,
    Responsibility,
)


def test_the_demo_has_a_district_network_to_work_with(db):
    call_command("demo", verbosity=0)
    today = timezone.localdate()
    with scopes_disabled():
        counts = _counts()
        institutions = Institution.objects.all()
        assert 38 <= institutions.count() <= 45
        assert set(institutions.values_list("domain", flat=True)) == set(Domain.values)
        assert not institutions.filter(contacts=None).exists()
        assert ContactPerson.objects.filter(can_decide=True).exists()
        # The actor table: cooperation with most, a core group of about ten.
        assert 0.5 <= institutions.filter(cooperates=True).count() / institutions.count() <= 0.75
        core = institutions.exclude(core_group=CoreGroup.NONE)
        assert 8 <= core.count() <= 12
        assert set(core.values_list("domain", flat=True)) == set(Domain.values)

        committees = Committee.objects.annotate(size=Count("members"))
        assert committees.count() == 3
        assert 8 <= committees.get(kind=CommitteeKind.CORE_GROUP).size <= 12
        assert committees.get(kind=CommitteeKind.WORKSHOP).size == 23 > WORKSHOP_SIZE_HINT
        assert committees.filter(shared_with_partners=False).count() == 1

        # A year of meetings and the next one.
        meetings = NetworkMeeting.objects.all()
        past = meetings.filter(held_on__lt=today)
        first = past.order_by("held_on").first().held_on
        assert today - first > datetime.timedelta(days=300)
        assert meetings.filter(held_on__gte=today).count() == 1
        assert past.filter(committee__kind=CommitteeKind.CORE_GROUP).count() >= 6
        assert past.filter(committee__kind=CommitteeKind.WORKING_GROUP).count() == 4
        assert past.filter(committee__kind=CommitteeKind.WORKSHOP).count() == 2
        assert not past.filter(goals=None).exists()
        assert not past.filter(measures=None).exists()
        assert Attendance.objects.filter(present=False).exists()
        assert Attendance.objects.filter(present=True).count() > 100

        measures = AgreedMeasure.objects.all()
        assert set(measures.values_list("status", flat=True)) == set(MeasureStatus.values)
        assert measures.overdue(today).exists()
        assert not measures.filter(status=MeasureStatus.DONE, done_on=None).exists()
        assert not measures.exclude(status=MeasureStatus.DONE).exclude(done_on=None).exists()
        assert not measures.filter(done_on__gt=today).exists()
        assert MeasureUpdate.objects.filter(written_at__date__lt=today).exists()

        agreements = CooperationAgreement.objects.annotate(parties_count=Count("parties"))
        assert 4 <= agreements.count() <= 5
        assert all(2 <= agreement.parties_count <= 4 for agreement in agreements)
        assert agreements.filter(valid_until__lt=today).exists()
        assert agreements.filter(valid_until__isnull=True).exists()
        soon = agreements.filter(valid_until__gte=today)
        assert soon.expiring(today, days=60).exists()

        steps = IntegrationStep.objects.all()
        assert steps.count() >= 10
        assert not steps.filter(responsibilities=None).exists()
        paper = InterfacePaper.objects.get()
        assert paper.number == 1 and paper.issued_on < today
        assert all(step["rows"] for step in paper.matrix)
        # One responsibility was added after the paper was issued.
        rows_in_paper = sum(len(step["rows"]) for step in paper.matrix)
        assert Responsibility.objects.count() == rows_in_paper + 1

        offers = Offer.objects.all()
        assert offers.count() == 60
        assert offers.filter(ends_on__lt=today).exists()
        assert offers.filter(capacity=None).exists()
        assert set(offers.exclude(language_level="").values_list("language_level", flat=True)) >= {
            "A1",
            "A2",
            "B1",
            "B2",
            "C1",
        }
        assert not offers.filter(site=None).exists()
        # The gap report has something to show: demand in an area nobody offers.
        demand = set(NeedsEntry.objects.values_list("area", flat=True))
        supply = set(offers.current(today).values_list("area", flat=True))
        assert demand - supply

    # Starting `make run` again adds nothing.
    call_command("demo", "--if-empty", verbosity=0)
    with scopes_disabled():
        assert _counts() == counts


def _counts() -> dict[str, int]:
    models = (Institution, ContactPerson, NetworkMeeting, AgreedMeasure, Offer, NeedsEntry)
    return {model.__name__: model.objects.count() for model in models}
