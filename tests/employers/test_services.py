"""Use cases of the work with employers (lotse.employers.services) and the
figures they feed (lotse.employers.reports)."""

import datetime

import pytest
from django.utils import timezone

from lotse.core.dates import add_months
from lotse.core.exceptions import Conflict, NotPermitted
from lotse.core.kpis import Rate, Scope
from lotse.core.models import AuditEntry
from lotse.employers import reminders, reports, services
from lotse.employers.models import (
    Activity,
    Employer,
    EmployerContact,
    FollowUp,
    FollowUpResult,
    Opening,
    Placement,
    StageChange,
)
from lotse.employers.services import InvalidInput
from lotse.people.models import PoolRole
from lotse.people.timeline import for_person

from ..tandems.helpers import acting, person

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def alice(world):
    return acting(world.alice)


@pytest.fixture
def employer(world, alice):
    return services.save_employer(
        actor=alice,
        organisation=world.org_a,
        data={"name": "Malerbetrieb Krüger", "municipality": "Bretten"},
    )


@pytest.fixture
def opening(employer, alice):
    return services.save_opening(
        actor=alice,
        employer=employer,
        data={"kind": "apprenticeship", "title": "Maler/in", "positions": 1, "place": "Bretten"},
    )


def test_an_employer_is_saved_with_its_changes_audited_and_stale_edits_refused(
    world, alice, employer
):
    assert employer.version == 1
    entry = AuditEntry.objects.get(action=services.EMPLOYER_CREATED)
    assert "name" in entry.changed_fields
    assert "Krüger" not in str(entry.changed_fields)
    services.save_employer(
        actor=alice,
        organisation=world.org_a,
        employer=employer,
        data={"name": "Malerbetrieb Krüger GmbH"},
        version=1,
    )
    with pytest.raises(Conflict):
        services.save_employer(
            actor=alice,
            organisation=world.org_a,
            employer=employer,
            data={"name": "Überschrieben"},
            version=1,
        )
    assert Employer.objects.get(pk=employer.pk).name == "Malerbetrieb Krüger GmbH"


@pytest.mark.parametrize("persona", ["vera", "pia", "carol"])
def test_who_may_not_keep_employers_is_refused(world, persona):
    with pytest.raises(NotPermitted):
        services.save_employer(
            actor=acting(getattr(world, persona)),
            organisation=world.org_a,
            data={"name": "Fremd"},
        )
    assert not Employer.objects.filter(name="Fremd").exists()


def test_a_first_activity_moves_a_prospect_on_and_a_do_not_contact_employer_gets_none(
    world, alice, employer
):
    activity = services.record_activity(
        actor=alice,
        employer=employer,
        data={"kind": "cold_call", "date": TODAY, "follow_up_on": TODAY + datetime.timedelta(7)},
    )
    assert activity.staff == world.alice
    assert Employer.objects.get(pk=employer.pk).stage == "contacted"
    with pytest.raises(InvalidInput, match="follow-up cannot lie before"):
        services.record_activity(
            actor=alice,
            employer=employer,
            data={"kind": "phone", "date": TODAY, "follow_up_on": TODAY - datetime.timedelta(1)},
        )
    Employer.objects.filter(pk=employer.pk).update(relationship="do_not_contact")
    employer.refresh_from_db()
    for kind in ("visit", "phone", "cold_call", "newsletter"):
        with pytest.raises(InvalidInput, match="asked not to be contacted"):
            services.record_activity(
                actor=alice, employer=employer, data={"kind": kind, "date": TODAY}
            )
    services.record_activity(actor=alice, employer=employer, data={"kind": "press", "date": TODAY})
    assert Activity.objects.filter(employer=employer).count() == 2
    services.complete_follow_up(actor=alice, activity=activity)
    assert Activity.objects.get(pk=activity.pk).follow_up_done_on == timezone.localdate()


def test_the_newsletter_list_leaves_out_opt_outs_and_employers_not_to_be_contacted(
    world, alice, employer
):
    other = services.save_employer(
        actor=alice,
        organisation=world.org_a,
        data={"name": "Nie", "relationship": "do_not_contact"},
    )
    for target, name, email, opt_out in (
        (employer, "Ja Bitte", "ja@krueger.example", False),
        (employer, "Kein Newsletter", "nein@krueger.example", True),
        (employer, "Ohne Adresse", "", False),
        (other, "Gesperrt", "x@nie.example", False),
    ):
        EmployerContact.objects.create(
            organisation=world.org_a,
            employer=target,
            name=name,
            email=email,
            newsletter_opt_out=opt_out,
        )
    recipients = services.newsletter_recipients(
        actor=alice, employers=Employer.objects.filter(pk__in=[employer.pk, other.pk])
    )
    assert [contact.name for contact in recipients] == ["Ja Bitte"]
    assert AuditEntry.objects.filter(action=services.NEWSLETTER_EXPORTED).count() == 1


def test_a_placement_moves_to_a_contract_that_schedules_the_probation_follow_ups(
    world, alice, opening
):
    candidate = world.person_a1
    placement = services.propose(actor=alice, opening=opening, person=candidate)
    with pytest.raises(InvalidInput, match="already a candidate"):
        services.propose(actor=alice, opening=opening, person=candidate)
    services.move_placement(actor=alice, placement=placement, stage="interview", version=1)
    with pytest.raises(InvalidInput, match="needs the start"):
        services.move_placement(actor=alice, placement=placement, stage="contract", contract={})
    with pytest.raises(InvalidInput, match="fixed-term contract needs its end"):
        services.move_placement(
            actor=alice,
            placement=placement,
            stage="contract",
            contract={"contract_start": TODAY, "permanent": False},
        )
    placement = services.move_placement(
        actor=alice,
        placement=placement,
        stage="contract",
        contract={"contract_start": TODAY, "permanent": True, "social_insurance": True},
    )
    assert placement.probation_end == add_months(TODAY, 6) - datetime.timedelta(days=1)
    assert list(placement.changes.order_by("pk").values_list("from_stage", "to_stage")) == [
        ("", "proposed"),
        ("proposed", "interview"),
        ("interview", "contract"),
    ]
    follow_ups = list(FollowUp.objects.filter(placement=placement).order_by("due_on"))
    assert [(f.kind, f.due_on) for f in follow_ups] == [
        ("one_month", datetime.date(2027, 1, 1)),
        ("three_months", datetime.date(2027, 3, 1)),
        ("probation_end", datetime.date(2027, 5, 31)),
    ]
    assert {f.assigned_to for f in follow_ups} == {world.alice}
    assert Opening.objects.get(pk=opening.pk).status == "filled"
    with pytest.raises(InvalidInput, match="contract is signed"):
        services.move_placement(actor=alice, placement=placement, stage="withdrawn")
    # The end of probation recorded closes the checks nobody recorded.
    services.record_follow_up(
        actor=alice, follow_up=follow_ups[2], result=FollowUpResult.STILL_EMPLOYED
    )
    assert set(FollowUp.objects.filter(placement=placement).values_list("result", flat=True)) == {
        "still_employed",
        "not_needed",
    }
    with pytest.raises(InvalidInput, match="recorded already"):
        services.record_follow_up(actor=alice, follow_up=follow_ups[2], result="left")
    texts = [entry.text for entry in for_person(candidate, world.alice)]
    assert any("Proposed for Maler/in at Malerbetrieb Krüger" in text for text in texts)
    assert any("still employed" in text for text in texts)


def test_leaving_ends_the_employment_and_the_checks_to_come(world, alice, opening):
    placement = services.propose(actor=alice, opening=opening, person=world.person_a1)
    placement = services.move_placement(
        actor=alice,
        placement=placement,
        stage="contract",
        contract={"contract_start": TODAY, "permanent": True},
    )
    first = FollowUp.objects.get(placement=placement, kind="one_month")
    services.record_follow_up(
        actor=alice, follow_up=first, result="left", left_on=TODAY + datetime.timedelta(20)
    )
    assert Placement.objects.get(pk=placement.pk).left_on == TODAY + datetime.timedelta(20)
    assert not FollowUp.objects.filter(placement=placement, result="").exists()
    scope = Scope(organisation_id=world.org_a.pk, start=TODAY, end=datetime.date(2027, 12, 31))
    # Left before the end of probation: checked, not still employed.
    assert reports.still_employed(scope) == Rate(0, 1)


def test_placements_are_refused_outside_the_members_sites_and_for_non_participants(world, opening):
    cora = acting(world.cora)  # site A2 only; person_a1 lives at A1
    with pytest.raises(NotPermitted):
        services.propose(actor=cora, opening=opening, person=world.person_a1)
    volunteer = person(world, "Vera", "Freiwillig", role=PoolRole.VOLUNTEER)
    with pytest.raises(InvalidInput, match="Only participants"):
        services.propose(actor=acting(world.alice), opening=opening, person=volunteer)
    assert not Placement.objects.filter(opening=opening).exists()
    assert not StageChange.objects.filter(placement__opening=opening).exists()


def test_probation_checks_show_among_the_tasks_a_week_ahead_without_names_in_mail(
    world, alice, opening
):
    placement = services.propose(actor=alice, opening=opening, person=world.person_a1)
    services.move_placement(
        actor=alice,
        placement=placement,
        stage="contract",
        contract={"contract_start": TODAY, "permanent": True},
    )
    assert not [
        t for t in reminders.tasks_for(world.alice, TODAY) if t.group == reminders.PROBATION
    ]
    due = reminders.tasks_for(world.alice, datetime.date(2026, 12, 26))
    probation = [t for t in due if t.group == reminders.PROBATION and "Krüger" in t.text]
    assert len(probation) == 1
    assert "Haddad" in probation[0].text
    assert "Haddad" not in probation[0].mail_text
    assert not [
        t
        for t in reminders.tasks_for(acting(world.ada), TODAY + datetime.timedelta(40))
        if t.group == reminders.PROBATION
    ]


def test_the_figures_count_contracts_by_kind_and_length(world, alice, employer):
    kinds = ("full_time", "mini_job", "internship")
    ends = (None, datetime.date(2027, 1, 31), datetime.date(2027, 2, 28))
    for index, (kind, end) in enumerate(zip(kinds, ends, strict=True)):
        opening = services.save_opening(
            actor=alice, employer=employer, data={"kind": kind, "title": kind, "positions": 1}
        )
        candidate = person(world, f"Kandidat{index}", "Test")
        placement = services.propose(actor=alice, opening=opening, person=candidate)
        services.move_placement(
            actor=alice,
            placement=placement,
            stage="contract",
            contract={"contract_start": TODAY, "permanent": end is None, "contract_end": end},
        )
    scope = Scope(organisation_id=world.org_a.pk, start=TODAY, end=datetime.date(2026, 12, 31))
    assert reports.contracts(scope).count() == 3
    by_kind = reports.by_kind(scope)
    assert by_kind["full_time"] == 1
    assert by_kind["mini_job"] == 1
    assert by_kind["internship"] == 1
    # Permanent, and 1 Dec to 28 Feb (three months); 1 Dec to 31 Jan is two.
    assert reports.three_months(scope).count() == 2
    assert reports.contracts(scope).values("person").distinct().count() == 3
    other = Scope(organisation_id=world.org_b.pk, start=TODAY, end=datetime.date(2026, 12, 31))
    assert reports.contracts(other).count() == 0
