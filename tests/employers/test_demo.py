"""The demo's employers (lotse.employers.demo)."""

from collections import Counter

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from lotse.accounts.models import User
from lotse.employers import demo
from lotse.employers.models import (
    Activity,
    ActivityKind,
    Employer,
    EmployerContact,
    FollowUp,
    FollowUpKind,
    Opening,
    OpeningKind,
    Placement,
    Relationship,
    Stage,
    StageChange,
)
from lotse.employers.services import OUTREACH

from ..conftest import sign_in


def test_the_demo_has_fifteen_thousand_employers_and_placements_in_every_stage(db, client):
    call_command("demo", verbosity=0)
    today = timezone.localdate()
    with scopes_disabled():
        assert Employer.objects.count() == demo.EMPLOYERS == 15_000
        relationships = Counter(Employer.objects.values_list("relationship", flat=True))
        assert set(relationships) == set(Relationship.values)
        assert relationships[Relationship.PROSPECT] > relationships[Relationship.ACTIVE] > 0
        assert Employer.objects.values("industry").distinct().count() >= 15
        assert Employer.objects.values("municipality").distinct().count() >= 8
        assert EmployerContact.objects.filter(newsletter_opt_out=True).exists()
        assert EmployerContact.objects.filter(newsletter_opt_out=False).exists()
        # Nobody visits, calls or mails an employer who asked not to be contacted.
        assert not Activity.objects.filter(
            employer__relationship=Relationship.DO_NOT_CONTACT, kind__in=OUTREACH
        ).exists()
        assert set(Activity.objects.values_list("kind", flat=True)) == set(ActivityKind.values)
        assert Opening.objects.count() == demo.OPENINGS == 400
        assert set(Opening.objects.values_list("kind", flat=True)) == set(OpeningKind.values)
        assert set(Placement.objects.values_list("stage", flat=True)) == set(Stage.values)
        for placement in Placement.objects.all():
            history = list(placement.changes.order_by("pk").values_list("to_stage", flat=True))
            assert history[-1] == placement.stage
        contracts = Placement.objects.filter(stage=Stage.CONTRACT)
        assert contracts.exists()
        assert not contracts.filter(contract_start__isnull=True).exists()
        assert FollowUp.objects.filter(placement__in=contracts).count() == 3 * contracts.count()
        assert set(FollowUp.objects.values_list("kind", flat=True)) == set(FollowUpKind.values)
        assert FollowUp.objects.exclude(result="").exists()
        assert FollowUp.objects.filter(result="", due_on__lt=today).exists()
        assert StageChange.objects.count() >= Placement.objects.count()
        # The demo staff find acquisition and probation work among their tasks.
        coordinator = User.objects.get(email="koordination@lindenau.example")
    response = sign_in(client, coordinator).get(reverse("employers:follow_ups"))
    assert response.status_code == 200
    assert response.context["activities"] or response.context["probation"]
