"""Use cases of case management (lotse.cases.services)."""

import datetime
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.cases import services
from lotse.cases.models import (
    Case,
    CaseContact,
    CaseDocument,
    CaseStatus,
    CaseStatusChange,
    HelpPlan,
    Intake,
    MeasureStatus,
    PlanGoal,
    PlanMeasure,
    Referral,
    Responsible,
)
from lotse.cases.services import InvalidInput
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import AuditEntry
from lotse.network.analysis import gap_report
from lotse.network.models import Institution, Offer
from lotse.people.models import PoolRole
from lotse.programmes.catalogues import CASE_MANAGEMENT
from lotse.programmes.models import Enrolment, EnrolmentRole, Programme, Step

from ..factories import MembershipFactory
from ..tandems.helpers import acting, mentoring_programme, person

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GOALS_LABEL = "goals in the help plans of open cases"


def _today():
    return timezone.localdate()


def _days(n):
    return datetime.timedelta(days=n)


def _entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def _docx() -> bytes:
    """A minimal Word file: a ZIP container with its content-types part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def programme(world):
    """A case-management programme with the default life cycle (intake first)."""
    programme = Programme.objects.create(
        organisation=world.org_a, name="Fallmanagement Alphastadt", kind="case_management"
    )
    Step.objects.bulk_create(
        Step(organisation=world.org_a, programme=programme, position=n, **step._asdict())
        for n, step in enumerate(CASE_MANAGEMENT, start=1)
    )
    return programme


@pytest.fixture
def client_person(world):
    """A participant at site A1 without a case."""
    return person(world, "Samira", "Nouri")


def _open(world, programme, client, actor=None, **options):
    return services.open_case(
        actor=acting(actor or world.alice),
        client=client,
        programme=programme,
        caseworker=options.pop("caseworker", world.alice),
        **options,
    )


def _caseworker(world, name="Kai Fallmanager", *, sensitive=False, sites=None):
    """Another caseworker of organisation A (all sites unless told)."""
    return MembershipFactory(
        organisation=world.org_a,
        user__email=f"{name.split()[0].lower()}@alpha.example",
        user__full_name=name,
        role=Role.CASEWORKER,
        sensitive_data=sensitive,
        sites=sites,
    ).user


def _grant(user, sensitive=True):
    Membership.objects.filter(user=user).update(sensitive_data=sensitive)
    return acting(user)


def _reloaded(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- opening a case ------------------------------------------------------------------


def test_opening_a_case_enrols_the_client_and_starts_intake_and_plan(
    world, programme, client_person
):
    case = _open(world, programme, client_person, deputies=[world.ada])

    case = _reloaded(case)
    assert (case.client, case.programme, case.site, case.caseworker) == (
        client_person,
        programme,
        world.site_a1,
        world.alice,
    )
    assert case.status == CaseStatus.INTAKE
    assert case.opened_on == _today()
    assert list(case.deputies.all()) == [world.ada]
    enrolment = Enrolment.objects.get(programme=programme, person=client_person)
    assert enrolment.role == EnrolmentRole.CLIENT
    assert enrolment.step.position == 1 and enrolment.step.kind == "intake"
    assert case.enrolment == enrolment
    intake = Intake.objects.get(case=case)
    assert intake.completed_on is None
    assert [(plan.number, plan.agreed_on, plan.superseded_on) for plan in case.plans.all()] == [
        (1, None, None)
    ]
    assert [(c.from_status, c.to_status) for c in case.status_changes.all()] == [("", "intake")]


def test_opening_a_case_is_audited_with_field_names_only(world, programme, client_person):
    case = _open(world, programme, client_person)
    [entry] = _entries("lotse.case.opened")
    assert entry.actor == world.alice
    assert entry.target_id == str(case.pk)
    assert entry.site_id == world.site_a1.pk
    assert entry.changed_fields == ["caseworker", "client", "programme", "site"]
    assert "Nouri" not in str(entry.changed_fields)


def test_a_client_already_enrolled_keeps_their_enrolment(world, programme, client_person):
    enrolment = Enrolment.objects.create(
        organisation=world.org_a,
        programme=programme,
        person=client_person,
        role=EnrolmentRole.CLIENT,
        step=programme.steps.get(position=2),
    )
    case = _open(world, programme, client_person)
    assert case.enrolment == enrolment
    assert Enrolment.objects.filter(programme=programme, person=client_person).count() == 1
    assert _reloaded(enrolment).step.position == 2


def test_a_case_can_be_opened_at_another_site_and_on_an_earlier_day(
    world, programme, client_person
):
    case = _open(world, programme, client_person, site=world.site_a2, opened_on=_today() - _days(3))
    assert (case.site, case.opened_on) == (world.site_a2, _today() - _days(3))


def test_a_non_participant_cannot_be_a_client(world, programme):
    volunteer = person(world, "Heinz", "Brückner", role=PoolRole.VOLUNTEER)
    with pytest.raises(
        InvalidInput, match=re.escape("Only a participant of the pool can be a client.")
    ):
        _open(world, programme, volunteer)
    assert not Case.objects.filter(client=volunteer).exists()
    assert not Enrolment.objects.filter(person=volunteer).exists()


def test_a_case_is_not_opened_in_a_mentoring_programme(world, client_person):
    mentoring = mentoring_programme(world.org_a, "Mentoring Alphastadt")
    with pytest.raises(
        InvalidInput, match=re.escape("Cases are opened in a case-management programme.")
    ):
        _open(world, mentoring, client_person)
    assert not Case.objects.filter(client=client_person).exists()
    assert not Enrolment.objects.filter(person=client_person).exists()


def test_another_organisation_s_person_cannot_be_a_client(world, programme):
    with pytest.raises(NotPermitted):
        _open(world, programme, world.person_b1)
    with pytest.raises(NotPermitted):
        _open(world, programme, world.person_b1, actor=world.carol, caseworker=world.carol)
    assert not Case.objects.filter(client=world.person_b1).exists()


def test_another_organisation_s_programme_is_refused(world, client_person):
    elsewhere = Programme.objects.create(
        organisation=world.org_b, name="Fallmanagement Betadorf", kind="case_management"
    )
    with pytest.raises(NotPermitted, match=re.escape("another organisation")):
        _open(world, elsewhere, client_person)
    assert not Case.objects.filter(client=client_person).exists()


def test_the_caseworker_must_be_staff_who_work_with_cases(world, programme, client_person):
    for who in (world.vera, world.pia, world.carol):
        with pytest.raises(
            InvalidInput, match=re.escape("Only staff who work with cases can be responsible.")
        ):
            _open(world, programme, client_person, caseworker=who)
        with pytest.raises(InvalidInput):
            _open(world, programme, client_person, deputies=[who])
    assert not Case.objects.filter(client=client_person).exists()


@pytest.mark.parametrize("who", ["vera", "pia", "carol"])
def test_who_may_not_work_with_cases_cannot_open_one(world, programme, client_person, who):
    with pytest.raises(NotPermitted):
        _open(world, programme, client_person, actor=getattr(world, who))
    assert not Case.objects.filter(client=client_person).exists()
    assert not _entries("lotse.case.opened")


def test_a_second_open_case_in_the_same_programme_is_refused(world, programme, client_person):
    first = _open(world, programme, client_person)
    with pytest.raises(
        InvalidInput, match=re.escape("Samira Nouri has an open case in this programme already.")
    ):
        _open(world, programme, client_person)
    assert list(Case.objects.filter(client=client_person)) == [first]
    assert Intake.objects.filter(case__client=client_person).count() == 1
    assert len(_entries("lotse.case.opened")) == 1


def test_after_the_close_a_new_case_can_be_opened(world, programme, client_person):
    first = _open(world, programme, client_person)
    services.close_case(
        actor=acting(world.alice), case=first, reason="goals_reached", outcome="employment"
    )
    second = _open(world, programme, client_person)
    assert second.pk != first.pk
    assert second.enrolment == _reloaded(first).enrolment


def test_an_open_case_in_another_programme_does_not_stand_in_the_way(world, programme):
    case = _open(world, programme, world.person_a1)
    assert _reloaded(world.case_a).is_open
    assert case.client == world.person_a1


# --- sites ---------------------------------------------------------------------------


def test_a_caseworker_of_another_site_cannot_open_a_case_there(world, programme, client_person):
    with pytest.raises(NotPermitted, match=re.escape("You may not work with cases of this site.")):
        _open(world, programme, client_person, actor=world.cora, caseworker=world.cora)
    with pytest.raises(NotPermitted):
        _open(
            world,
            programme,
            world.person_a2,
            actor=world.cora,
            caseworker=world.cora,
            site=world.site_a1,
        )
    assert not Case.objects.filter(client__in=[client_person, world.person_a2]).exists()


def test_a_caseworker_opens_a_case_at_their_own_site(world, programme):
    case = _open(world, programme, world.person_a2, actor=world.cora, caseworker=world.cora)
    assert case.site == world.site_a2


def test_a_caseworker_of_another_site_cannot_change_the_case(world):
    cora = acting(world.cora)
    calls = {
        "update": lambda: services.update_case(
            actor=cora, case=world.case_a, caseworker=world.cora, deputies=[], site=world.site_a2
        ),
        "hold": lambda: services.hold(actor=cora, case=world.case_a),
        "close": lambda: services.close_case(
            actor=cora, case=world.case_a, reason="other", outcome="unknown"
        ),
        "intake": lambda: services.save_intake(actor=cora, case=world.case_a, data={"goals": "x"}),
        "goal": lambda: services.add_goal(actor=cora, plan=world.plan_a, area="work", text="x"),
        "measure": lambda: services.update_measure(
            actor=cora, measure=world.plan_measure_a, status="done"
        ),
        "contact": lambda: services.record_contact(
            actor=cora, case=world.case_a, kind="phone", starts_at=timezone.now()
        ),
        "referral": lambda: services.update_referral(
            actor=cora, referral=world.referral_a, status="accepted"
        ),
        "document": lambda: services.upload_document(
            actor=cora,
            case=world.case_a,
            title="x",
            upload=SimpleUploadedFile("x.pdf", PDF),
        ),
        "read document": lambda: services.open_document(actor=cora, document=world.case_document_a),
    }
    for name, call in calls.items():
        with pytest.raises(NotPermitted):
            call()
        assert _reloaded(world.case_a).version == 1, name
    assert not AuditEntry.objects.filter(action__startswith="lotse.case.").exists()


def test_a_case_cannot_be_moved_to_a_site_the_actor_does_not_have(world, programme):
    case = _open(world, programme, world.person_a2, actor=world.cora, caseworker=world.cora)
    with pytest.raises(NotPermitted):
        services.update_case(
            actor=acting(world.cora),
            case=case,
            caseworker=world.cora,
            deputies=[],
            site=world.site_a1,
        )
    assert _reloaded(case).site == world.site_a2


def test_update_case_changes_caseworker_deputies_and_site(world):
    case = services.update_case(
        actor=acting(world.alice),
        case=world.case_a,
        caseworker=world.cora,
        deputies=[world.alice, world.cora],
        site=world.site_a2,
        version=1,
    )
    case = _reloaded(case)
    assert (case.caseworker, case.site, case.version) == (world.cora, world.site_a2, 2)
    assert list(case.deputies.all()) == [world.alice]  # the caseworker is no deputy
    [entry] = _entries("lotse.case.changed")
    assert entry.changed_fields == ["caseworker", "deputies", "site"]
    with pytest.raises(Conflict):
        services.update_case(
            actor=acting(world.alice),
            case=world.case_a,
            caseworker=world.alice,
            deputies=[],
            site=world.site_a1,
            version=1,
        )


# --- the intake ----------------------------------------------------------------------


def test_completing_the_intake_makes_the_case_active_and_moves_the_enrolment(
    world, programme, client_person
):
    case = _open(world, programme, client_person)
    intake = services.save_intake(
        actor=acting(world.alice),
        case=case,
        data={"languages": "Deutsch A2", "goals": "Ausbildung"},
        complete=True,
        version=1,
    )
    assert (intake.languages, intake.goals, intake.completed_on) == (
        "Deutsch A2",
        "Ausbildung",
        _today(),
    )
    case = _reloaded(case)
    assert case.status == CaseStatus.ACTIVE
    assert [(c.from_status, c.to_status) for c in case.status_changes.order_by("pk")] == [
        ("", "intake"),
        ("intake", "active"),
    ]
    enrolment = Enrolment.objects.get(pk=case.enrolment_id)
    assert enrolment.step.position == 2
    assert enrolment.step.name_en == "Help plan agreed"
    [entry] = _entries("lotse.case.intake_saved")
    assert entry.changed_fields == ["completed_on", "goals", "languages"]


def test_saving_the_intake_without_completing_leaves_the_case_in_intake(
    world, programme, client_person
):
    case = _open(world, programme, client_person)
    services.save_intake(actor=acting(world.alice), case=case, data={"goals": "Arbeit"})
    case = _reloaded(case)
    assert case.status == CaseStatus.INTAKE
    assert case.intake.completed_on is None
    assert Enrolment.objects.get(pk=case.enrolment_id).step.position == 1


def test_completing_the_intake_again_changes_nothing_more(world, programme, client_person):
    case = _open(world, programme, client_person)
    alice = acting(world.alice)
    services.save_intake(actor=alice, case=case, data={}, complete=True)
    services.save_intake(actor=alice, case=case, data={"goals": "Neu"}, complete=True)
    case = _reloaded(case)
    assert case.intake.completed_on == _today()
    assert CaseStatusChange.objects.filter(case=case, to_status="active").count() == 1
    assert Enrolment.objects.get(pk=case.enrolment_id).step.position == 2


def test_a_stale_intake_is_a_conflict(world, programme, client_person):
    case = _open(world, programme, client_person)
    alice = acting(world.alice)
    services.save_intake(actor=alice, case=case, data={"goals": "Arbeit"}, version=1)
    with pytest.raises(Conflict):
        services.save_intake(
            actor=alice, case=case, data={"goals": "Etwas anderes"}, complete=True, version=1
        )
    case = _reloaded(case)
    assert case.intake.goals == "Arbeit"
    assert case.intake.completed_on is None
    assert case.status == CaseStatus.INTAKE


def test_health_and_residence_need_the_sensitive_data_grant(world):
    alice = _grant(world.alice, False)
    for name in ("health", "residence"):
        with pytest.raises(
            NotPermitted, match=re.escape("You may not record health or residence matters.")
        ):
            services.save_intake(
                actor=alice, case=world.case_a, data={name: "Diabetes", "goals": "Neu"}
            )
    intake = _reloaded(world.case_a.intake)
    assert (intake.health, intake.residence, intake.goals) == (
        "SENSITIVE-SENTINEL Gesundheit",
        "",
        "Arbeit",
    )
    assert not services.may_see_sensitive(alice)
    assert not _entries("lotse.case.intake_saved")


def test_with_the_grant_health_and_residence_are_recorded(world):
    kai = acting(_caseworker(world, sensitive=True))
    assert services.may_see_sensitive(kai)
    services.save_intake(
        actor=kai,
        case=world.case_a,
        data={"health": "Rückenleiden", "residence": "Aufenthaltserlaubnis § 25"},
    )
    intake = _reloaded(world.case_a.intake)
    assert (intake.health, intake.residence) == ("Rückenleiden", "Aufenthaltserlaubnis § 25")
    [entry] = _entries("lotse.case.intake_saved")
    assert entry.changed_fields == ["health", "residence"]


def test_the_role_must_allow_sensitive_data_whatever_the_grant(world):
    Membership.objects.filter(user=world.vera).update(sensitive_data=True)
    assert not services.may_see_sensitive(acting(world.vera))


# --- the help plan -------------------------------------------------------------------


def test_goals_are_added_in_order(world):
    alice = acting(world.alice)
    first = services.add_goal(actor=alice, plan=world.plan_a, area="work", text="  Ein Job  ")
    second = services.add_goal(actor=alice, plan=world.plan_a, area="housing", text="Wohnung")
    assert first.text == "Ein Job"
    assert [goal.text for goal in world.plan_a.goals.all()] == ["B1", "Ein Job", "Wohnung"]
    assert first.position < second.position
    assert _entries("lotse.case.plan_changed")[0].changed_fields == ["goals"]
    with pytest.raises(InvalidInput, match=re.escape("Write the goal.")):
        services.add_goal(actor=alice, plan=world.plan_a, area="work", text="   ")


def test_a_measure_for_the_caseworker_or_client_has_no_partner(world):
    goal = world.plan_a.goals.get()
    measure = services.add_measure(
        actor=acting(world.alice),
        goal=goal,
        what="Lebenslauf schreiben",
        responsible=Responsible.CLIENT,
        institution=world.institution_a,
        due_on=_today() + _days(7),
    )
    assert (measure.institution, measure.offer, measure.status) == (None, None, "open")
    assert measure.responsible_label == "the client"


def test_a_partner_measure_needs_an_institution_or_an_offer(world):
    goal = world.plan_a.goals.get()
    alice = acting(world.alice)
    with pytest.raises(InvalidInput, match=re.escape("Choose the partner institution or offer.")):
        services.add_measure(actor=alice, goal=goal, what="Kurs", responsible=Responsible.PARTNER)
    by_institution = services.add_measure(
        actor=alice,
        goal=goal,
        what="Beratungstermin",
        responsible=Responsible.PARTNER,
        institution=world.institution_a,
    )
    assert (by_institution.institution, by_institution.offer) == (world.institution_a, None)
    provider = Institution.objects.create(
        organisation=world.org_a,
        name="Volkshochschule Alphastadt",
        domain="education",
        kind="other",
    )
    offer = Offer.objects.create(
        organisation=world.org_a, title="Integrationskurs", area="language", provider=provider
    )
    by_offer = services.add_measure(
        actor=alice,
        goal=goal,
        what="Anmelden",
        responsible=Responsible.PARTNER,
        institution=world.institution_a,
        offer=offer,
    )
    assert (by_offer.institution, by_offer.offer) == (provider, offer)
    assert by_offer.responsible_label == "Integrationskurs (Volkshochschule Alphastadt)"


def test_another_organisation_s_partner_is_refused(world):
    goal = world.plan_a.goals.get()
    elsewhere = Institution.objects.create(
        organisation=world.org_b, name="Jobcenter Betadorf", domain="work", kind="jobcenter"
    )
    offer = Offer.objects.create(
        organisation=world.org_b, title="Kurs Betadorf", area="language", provider=elsewhere
    )
    alice = acting(world.alice)
    for options in ({"institution": elsewhere}, {"offer": offer}):
        with pytest.raises(NotPermitted):
            services.add_measure(
                actor=alice, goal=goal, what="x", responsible=Responsible.PARTNER, **options
            )
    assert list(goal.measures.all()) == [world.plan_measure_a]


def test_a_measure_needs_a_text(world):
    with pytest.raises(InvalidInput, match=re.escape("Say what is to be done.")):
        services.add_measure(
            actor=acting(world.alice),
            goal=world.plan_a.goals.get(),
            what=" ",
            responsible=Responsible.CASEWORKER,
        )


def test_a_measure_done_records_the_day_and_reopening_clears_it(world):
    alice = acting(world.alice)
    measure = services.update_measure(
        actor=alice, measure=world.plan_measure_a, status=MeasureStatus.DONE, note="erledigt"
    )
    assert (measure.status, measure.done_on, measure.note) == ("done", _today(), "erledigt")
    assert _entries("lotse.case.plan_changed")[0].changed_fields == [
        "measure.done_on",
        "measure.note",
        "measure.status",
    ]
    measure = services.update_measure(actor=alice, measure=measure, status="in_progress")
    assert (measure.status, measure.done_on) == ("in_progress", None)
    with pytest.raises(InvalidInput, match=re.escape("Change the status or write a note.")):
        services.update_measure(actor=alice, measure=measure, status="in_progress")
    with pytest.raises(InvalidInput, match=re.escape("Choose a status.")):
        services.update_measure(actor=alice, measure=measure, status="finished")


def test_agreeing_the_first_time_records_the_day(world):
    plan = services.agree_plan(
        actor=acting(world.alice), plan=world.plan_a, agreed_on=_today() - _days(1)
    )
    assert plan.pk == world.plan_a.pk
    plan = _reloaded(plan)
    assert (plan.agreed_on, plan.superseded_on) == (_today() - _days(1), None)
    assert HelpPlan.objects.filter(case=world.case_a).count() == 1
    assert _entries("lotse.case.plan_agreed")[0].changed_fields == ["agreed_on"]


def test_agreeing_again_freezes_the_version_and_continues_with_a_copy(world):
    alice = acting(world.alice)
    first_day, second_day = _today() - _days(10), _today()
    services.agree_plan(actor=alice, plan=world.plan_a, agreed_on=first_day)
    services.update_measure(actor=alice, measure=world.plan_measure_a, status="done")
    work = services.add_goal(actor=alice, plan=_reloaded(world.plan_a), area="work", text="Job")
    services.add_measure(
        actor=alice,
        goal=work,
        what="Bewerbung",
        responsible=Responsible.PARTNER,
        institution=world.institution_a,
        due_on=_today() + _days(5),
    )

    second = services.agree_plan(actor=alice, plan=_reloaded(world.plan_a), agreed_on=second_day)

    first = _reloaded(world.plan_a)
    assert (first.number, first.agreed_on, first.superseded_on) == (1, first_day, second_day)
    assert not first.is_current
    assert (second.number, second.agreed_on, second.superseded_on) == (2, second_day, None)
    assert services.current_plan(world.case_a) == second

    def contents(plan):
        return [
            (
                goal.area,
                goal.text,
                [
                    (m.what, m.responsible, m.institution_id, m.due_on, m.status, m.done_on)
                    for m in goal.measures.order_by("pk")
                ],
            )
            for goal in plan.goals.all()
        ]

    assert contents(second) == contents(first)
    assert contents(first) == [
        ("language", "B1", [("Sprachkurs anmelden", "client", None, None, "done", _today())]),
        (
            "work",
            "Job",
            [
                (
                    "Bewerbung",
                    "partner",
                    world.institution_a.pk,
                    _today() + _days(5),
                    "open",
                    None,
                )
            ],
        ),
    ]
    # Copies, not the same rows.
    assert not set(second.goals.values_list("pk", flat=True)) & set(
        first.goals.values_list("pk", flat=True)
    )
    assert PlanMeasure.objects.filter(goal__plan=first).count() == 2
    assert PlanMeasure.objects.filter(goal__plan=second).count() == 2
    assert _entries("lotse.case.plan_agreed")[-1].changed_fields == ["plans"]


def test_a_superseded_version_is_read_only(world):
    alice = acting(world.alice)
    services.agree_plan(actor=alice, plan=world.plan_a, agreed_on=_today() - _days(1))
    services.agree_plan(actor=alice, plan=_reloaded(world.plan_a))
    first = _reloaded(world.plan_a)
    goal = first.goals.get()
    measure = PlanMeasure.objects.get(pk=world.plan_measure_a.pk)
    message = "An earlier version of the help plan cannot be changed."
    with pytest.raises(InvalidInput, match=message):
        services.add_goal(actor=alice, plan=first, area="work", text="Job")
    with pytest.raises(InvalidInput, match=message):
        services.add_measure(actor=alice, goal=goal, what="x", responsible="client")
    with pytest.raises(InvalidInput, match=message):
        services.update_measure(actor=alice, measure=measure, status="done")
    with pytest.raises(InvalidInput, match=message):
        services.agree_plan(actor=alice, plan=first)
    assert [g.text for g in first.goals.all()] == ["B1"]
    assert list(goal.measures.values_list("status", flat=True)) == ["open"]
    assert HelpPlan.objects.filter(case=world.case_a).count() == 2


def test_a_goal_cannot_slip_into_a_version_superseded_meanwhile(world):
    """Two people at work: one re-agrees the plan while the other, who read
    the plan before, adds a goal. The goal must not land in the frozen version
    (where the current plan would never show it)."""
    alice = acting(world.alice)
    services.agree_plan(actor=alice, plan=world.plan_a, agreed_on=_today() - _days(1))
    read_before = _reloaded(world.plan_a)
    services.agree_plan(actor=alice, plan=_reloaded(world.plan_a))
    with pytest.raises(InvalidInput):
        services.add_goal(actor=alice, plan=read_before, area="work", text="Job")
    assert [g.text for g in _reloaded(world.plan_a).goals.all()] == ["B1"]


def test_a_plan_without_goals_cannot_be_agreed(world, programme, client_person):
    case = _open(world, programme, client_person)
    plan = services.current_plan(case)
    with pytest.raises(
        InvalidInput,
        match=re.escape("A help plan needs at least one goal before it can be agreed."),
    ):
        services.agree_plan(actor=acting(world.alice), plan=plan)
    assert _reloaded(plan).agreed_on is None


def test_a_closed_case_s_plan_cannot_be_changed(world):
    alice = acting(world.alice)
    services.close_case(actor=alice, case=world.case_a, reason="other", outcome="unknown")
    case = _reloaded(world.case_a)
    plan = case.plans.get()
    goal = plan.goals.get()
    for call in (
        lambda: services.add_goal(actor=alice, plan=plan, area="work", text="Job"),
        lambda: services.add_measure(actor=alice, goal=goal, what="x", responsible="client"),
        lambda: services.update_measure(
            actor=alice, measure=PlanMeasure.objects.get(goal=goal), status="done"
        ),
        lambda: services.agree_plan(actor=alice, plan=plan),
    ):
        with pytest.raises(InvalidInput, match=re.escape("The case is closed.")):
            call()


# --- contacts and appointments -----------------------------------------------------------


def _no_contact_yet(case):
    Case.objects.filter(pk=case.pk).update(last_contact_on=None)


def test_a_contact_held_updates_the_last_contact(world):
    _no_contact_yet(world.case_a)
    held = timezone.now() - _days(3)
    contact = services.record_contact(
        actor=acting(world.alice),
        case=world.case_a,
        kind="office",
        starts_at=held,
        duration_minutes=45,
        place=" Büro ",
        note="Gespräch",
    )
    assert (contact.staff, contact.place, contact.duration_minutes) == (world.alice, "Büro", 45)
    assert _reloaded(world.case_a).last_contact_on == timezone.localdate(held)
    assert _entries("lotse.case.contact_recorded")[0].changed_fields == ["contacts"]


def test_an_appointment_ahead_leaves_the_last_contact(world):
    _no_contact_yet(world.case_a)
    alice = acting(world.alice)
    services.record_contact(
        actor=alice, case=world.case_a, kind="home_visit", starts_at=timezone.now() + _days(1)
    )
    assert _reloaded(world.case_a).last_contact_on is None
    services.record_contact(
        actor=alice, case=world.case_a, kind="phone", starts_at=timezone.now() - _days(5)
    )
    services.record_contact(
        actor=alice, case=world.case_a, kind="home_visit", starts_at=timezone.now() + _days(1)
    )
    assert _reloaded(world.case_a).last_contact_on == timezone.localdate(timezone.now() - _days(5))


def test_an_earlier_contact_recorded_later_keeps_the_newest_day(world):
    _no_contact_yet(world.case_a)
    alice = acting(world.alice)
    services.record_contact(
        actor=alice, case=world.case_a, kind="phone", starts_at=timezone.now() - _days(2)
    )
    services.record_contact(
        actor=alice, case=world.case_a, kind="phone", starts_at=timezone.now() - _days(20)
    )
    assert _reloaded(world.case_a).last_contact_on == timezone.localdate(timezone.now() - _days(2))


@pytest.mark.parametrize(("minutes", "allowed"), [(4, False), (5, True), (720, True), (721, False)])
def test_a_contact_lasts_between_5_minutes_and_12_hours(world, minutes, allowed):
    _no_contact_yet(world.case_a)

    def record():
        return services.record_contact(
            actor=acting(world.alice),
            case=world.case_a,
            kind="phone",
            starts_at=timezone.now() - _days(1),
            duration_minutes=minutes,
        )

    if allowed:
        assert record().duration_minutes == minutes
    else:
        with pytest.raises(
            InvalidInput, match=re.escape("A contact lasts between 5 minutes and 12 hours.")
        ):
            record()
        assert CaseContact.objects.filter(case=world.case_a).count() == 1
        assert _reloaded(world.case_a).last_contact_on is None


def test_a_contact_is_held_by_staff_who_work_with_cases(world):
    with pytest.raises(InvalidInput):
        services.record_contact(
            actor=acting(world.alice),
            case=world.case_a,
            kind="phone",
            starts_at=timezone.now(),
            staff=world.vera,
        )
    contact = services.record_contact(
        actor=acting(world.alice),
        case=world.case_a,
        kind="phone",
        starts_at=timezone.now() + _days(3),
        staff=world.cora,
    )
    assert contact.staff == world.cora


def test_a_closed_case_takes_no_contacts(world):
    alice = acting(world.alice)
    services.close_case(actor=alice, case=world.case_a, reason="other", outcome="unknown")
    with pytest.raises(InvalidInput, match=re.escape("The case is closed.")):
        services.record_contact(
            actor=alice,
            case=_reloaded(world.case_a),
            kind="phone",
            starts_at=timezone.now(),
        )
    assert CaseContact.objects.filter(case=world.case_a).count() == 1


# --- referrals ---------------------------------------------------------------------------


def test_a_referral_to_an_offer_goes_to_its_provider(world):
    referral = services.refer(
        actor=acting(world.alice), case=world.case_a, reason=" Sprachkurs ", offer=world.offer_a
    )
    assert (referral.institution, referral.offer, referral.reason, referral.status) == (
        world.institution_a,
        world.offer_a,
        "Sprachkurs",
        "sent",
    )
    assert referral.referred_on == _today()
    assert _entries("lotse.case.referral_saved")[0].changed_fields == ["referrals"]


def test_a_referral_needs_a_partner_of_the_organisation_and_a_reason(world):
    alice = acting(world.alice)
    elsewhere = Institution.objects.create(
        organisation=world.org_b, name="Jobcenter Betadorf", domain="work", kind="jobcenter"
    )
    with pytest.raises(InvalidInput, match=re.escape("Choose the institution or offer")):
        services.refer(actor=alice, case=world.case_a, reason="x")
    with pytest.raises(NotPermitted):
        services.refer(actor=alice, case=world.case_a, reason="x", institution=elsewhere)
    with pytest.raises(InvalidInput, match=re.escape("Say why the client is referred.")):
        services.refer(actor=alice, case=world.case_a, reason=" ", institution=world.institution_a)
    assert list(Referral.objects.all()) == [world.referral_a]


def test_a_referral_records_the_answer(world):
    alice = acting(world.alice)
    referral = services.update_referral(
        actor=alice, referral=world.referral_a, status="accepted", feedback="Termin am Montag"
    )
    referral = _reloaded(referral)
    assert (referral.status, referral.feedback, referral.version) == (
        "accepted",
        "Termin am Montag",
        2,
    )
    assert _entries("lotse.case.referral_saved")[0].changed_fields == [
        "referral.feedback",
        "referral.status",
    ]
    with pytest.raises(InvalidInput, match=re.escape("Change the status or write the feedback.")):
        services.update_referral(actor=alice, referral=referral, status="accepted")
    with pytest.raises(InvalidInput, match=re.escape("Choose a status.")):
        services.update_referral(actor=alice, referral=referral, status="lost")


def test_referrals_are_counted_per_partner_and_status(world):
    alice = acting(world.alice)
    vhs = Institution.objects.create(
        organisation=world.org_a,
        name="Volkshochschule Alphastadt",
        domain="education",
        kind="other",
    )
    accepted = services.refer(
        actor=alice, case=world.case_a, reason="Kurs", institution=world.institution_a
    )
    services.update_referral(actor=alice, referral=accepted, status="accepted")
    declined = services.refer(actor=alice, case=world.case_a, reason="Kurs", institution=vhs)
    services.update_referral(actor=alice, referral=declined, status="declined")
    elsewhere = Institution.objects.create(
        organisation=world.org_b, name="Jobcenter Betadorf", domain="work", kind="jobcenter"
    )
    other_case = Case.objects.create(
        organisation=world.org_b,
        client=world.person_b1,
        programme=Programme.objects.create(
            organisation=world.org_b, name="Fallmanagement B", kind="case_management"
        ),
        site=world.site_b1,
        caseworker=world.carol,
        opened_on=_today(),
    )
    Referral.objects.create(
        organisation=world.org_b,
        case=other_case,
        institution=elsewhere,
        reason="x",
        referred_on=_today(),
    )

    assert services.referrals_per_partner(Case.objects.visible_to(alice)) == [
        {
            "institution": "Jobcenter Alphastadt",
            "total": 2,
            "sent": 1,
            "accepted": 1,
            "completed": 0,
            "declined": 0,
        },
        {
            "institution": "Volkshochschule Alphastadt",
            "total": 1,
            "sent": 0,
            "accepted": 0,
            "completed": 0,
            "declined": 1,
        },
    ]
    carol = acting(world.carol)
    assert [
        row["institution"] for row in services.referrals_per_partner(Case.objects.visible_to(carol))
    ] == ["Jobcenter Betadorf"]
    # A caseworker of site A2 counts the referrals of the cases she may see: none.
    cora = acting(world.cora)
    assert services.referrals_per_partner(Case.objects.visible_to(cora)) == []


# --- documents ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type", "suffix"),
    [
        ("Zeugnis Amira Haddad.pdf", PDF, "application/pdf", ".pdf"),
        ("Pass Amira Haddad.png", PNG, "image/png", ".png"),
        ("Lebenslauf Amira Haddad.docx", _docx(), DOCX_TYPE, ".docx"),
        ("scan-ohne-endung", PDF, "application/pdf", ".pdf"),
    ],
    ids=["pdf", "png", "docx", "pdf-without-suffix"],
)
def test_a_document_is_stored_under_a_random_name(
    world, documents, name, content, content_type, suffix
):
    document = services.upload_document(
        actor=acting(world.alice),
        case=world.case_a,
        title=" Unterlage ",
        upload=SimpleUploadedFile(name, content, content_type="text/plain"),
    )
    document = _reloaded(document)
    assert (document.title, document.content_type, document.size) == (
        "Unterlage",
        content_type,
        len(content),
    )
    stored = document.file.name
    assert stored.startswith("cases/casedocument/") and stored.endswith(suffix)
    assert "Haddad" not in stored and "Zeugnis" not in stored and "scan" not in stored
    assert (documents / stored).read_bytes() == content
    assert _entries("lotse.case.document_uploaded")[0].changed_fields == ["documents"]


def test_a_closed_case_takes_no_documents(world, documents):
    alice = acting(world.alice)
    services.close_case(actor=alice, case=world.case_a, reason="other", outcome="unknown")
    with pytest.raises(InvalidInput, match=re.escape("The case is closed.")):
        services.upload_document(
            actor=alice,
            case=_reloaded(world.case_a),
            title="x",
            upload=SimpleUploadedFile("a.pdf", PDF),
        )
    assert list(CaseDocument.objects.all()) == [world.case_document_a]


def test_a_document_without_a_title_is_called_document(world, documents):
    document = services.upload_document(
        actor=acting(world.alice),
        case=world.case_a,
        title="  ",
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    assert document.title == "Document"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", EXE, "Upload a PDF, an image (JPEG, PNG) or an office file"),
        ("programm.pdf", EXE, "Upload a PDF, an image (JPEG, PNG) or an office file"),
        ("brief.pdf", b"Sehr geehrte Damen und Herren", "Upload a PDF, an image"),
        ("notiz.txt", b"Hallo", "Upload a PDF, an image"),
        ("lebenslauf.docx", b"Lebenslauf als Text", "The file is not what its name says"),
        ("lebenslauf.docx", PDF, "The file is not what its name says"),
        ("archiv.zip", _docx(), "Upload a PDF, an image"),
    ],
    ids=[
        "exe",
        "exe-named-pdf",
        "text-named-pdf",
        "txt",
        "text-named-docx",
        "pdf-named-docx",
        "zip",
    ],
)
def test_what_is_not_a_document_is_refused(world, documents, name, content, message):
    with pytest.raises(ServiceError, match=re.escape(message)):
        services.upload_document(
            actor=acting(world.alice),
            case=world.case_a,
            title="x",
            upload=SimpleUploadedFile(name, content),
        )
    assert list(CaseDocument.objects.all()) == [world.case_document_a]
    assert not documents.exists() or not any(documents.rglob("*.*"))


def test_a_document_over_10_mb_is_refused(world, documents):
    limit = 10 * 1024 * 1024
    big = PDF + b"0" * (limit + 1 - len(PDF))
    with pytest.raises(ServiceError, match=re.escape("The file is larger than 10 MB.")):
        services.upload_document(
            actor=acting(world.alice),
            case=world.case_a,
            title="x",
            upload=SimpleUploadedFile("gross.pdf", big),
        )
    faked = SimpleUploadedFile("klein.pdf", PDF)
    faked.size = limit + 1
    with pytest.raises(ServiceError, match=re.escape("The file is larger than 10 MB.")):
        services.upload_document(
            actor=acting(world.alice), case=world.case_a, title="x", upload=faked
        )
    assert list(CaseDocument.objects.all()) == [world.case_document_a]
    exactly = services.upload_document(
        actor=acting(world.alice),
        case=world.case_a,
        title="x",
        upload=SimpleUploadedFile("genau.pdf", big[:limit]),
    )
    assert exactly.size == limit


@pytest.mark.parametrize("who", ["vera", "pia", "carol"])
def test_who_may_not_work_with_cases_uploads_nothing(world, documents, who):
    with pytest.raises(NotPermitted):
        services.upload_document(
            actor=acting(getattr(world, who)),
            case=world.case_a,
            title="x",
            upload=SimpleUploadedFile("a.pdf", PDF),
        )
    assert list(CaseDocument.objects.all()) == [world.case_document_a]


def test_reading_a_document_is_audited(world, documents):
    alice = acting(world.alice)
    document = services.upload_document(
        actor=alice, case=world.case_a, title="x", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    with services.open_document(actor=alice, document=document) as handle:
        assert handle.read() == PDF
    [entry] = _entries("lotse.case.document_read")
    assert entry.target_id == str(world.case_a.pk)
    assert entry.changed_fields == [f"document.{document.pk}"]
    with pytest.raises(NotPermitted):
        services.open_document(actor=acting(world.vera), document=document)


# --- holding, resuming, closing ------------------------------------------------------------


def test_a_case_is_closed_with_reason_and_outcome(world):
    case = services.close_case(
        actor=acting(world.alice),
        case=world.case_a,
        reason="placed",
        outcome="apprenticeship",
        outcome_note=" Ausbildung bei der Stadt ",
        closed_on=_today() - _days(1),
        version=1,
    )
    case = _reloaded(case)
    assert (case.status, case.closed_on, case.closing_reason, case.outcome) == (
        "closed",
        _today() - _days(1),
        "placed",
        "apprenticeship",
    )
    assert case.outcome_note == "Ausbildung bei der Stadt"
    assert not case.is_open
    assert case.status_changes.order_by("-pk").first().to_status == "closed"
    [entry] = _entries("lotse.case.closed")
    assert entry.changed_fields == ["closed_on", "closing_reason", "outcome", "status"]


def test_the_close_lies_between_the_opening_and_today(world):
    alice = acting(world.alice)
    opened = world.case_a.opened_on
    with pytest.raises(InvalidInput, match=re.escape("A case cannot close before it was opened.")):
        services.close_case(
            actor=alice,
            case=world.case_a,
            reason="other",
            outcome="unknown",
            closed_on=opened - _days(1),
        )
    with pytest.raises(InvalidInput, match=re.escape("The close cannot lie in the future.")):
        services.close_case(
            actor=alice,
            case=world.case_a,
            reason="other",
            outcome="unknown",
            closed_on=_today() + _days(1),
        )
    assert _reloaded(world.case_a).status == "active"
    case = services.close_case(
        actor=alice, case=world.case_a, reason="other", outcome="unknown", closed_on=opened
    )
    assert case.closed_on == opened


def test_a_closed_case_cannot_be_closed_again(world):
    alice = acting(world.alice)
    services.close_case(actor=alice, case=world.case_a, reason="other", outcome="unknown")
    with pytest.raises(InvalidInput, match=re.escape("The case is closed.")):
        services.close_case(actor=alice, case=world.case_a, reason="placed", outcome="employment")
    assert _reloaded(world.case_a).closing_reason == "other"


def test_a_stale_close_is_a_conflict(world):
    alice = acting(world.alice)
    services.hold(actor=alice, case=world.case_a, version=1)
    with pytest.raises(Conflict):
        services.close_case(
            actor=alice, case=world.case_a, reason="other", outcome="unknown", version=1
        )
    assert _reloaded(world.case_a).status == "on_hold"


@pytest.mark.parametrize(
    ("reason", "outcome"), [("bored", "unknown"), ("other", "lottery"), ("", "")]
)
def test_a_close_needs_a_reason_and_outcome_of_the_lists(world, reason, outcome):
    with pytest.raises(InvalidInput):
        services.close_case(
            actor=acting(world.alice), case=world.case_a, reason=reason, outcome=outcome
        )
    assert _reloaded(world.case_a).status == "active"


def test_a_case_is_put_on_hold_and_resumed(world):
    alice = acting(world.alice)
    case = services.hold(actor=alice, case=world.case_a, note="Elternzeit", version=1)
    assert (_reloaded(case).status, _reloaded(case).version) == ("on_hold", 2)
    change = case.status_changes.order_by("-pk").first()
    assert (change.from_status, change.to_status, change.note) == (
        "active",
        "on_hold",
        "Elternzeit",
    )
    with pytest.raises(InvalidInput, match=re.escape("Only an active case can be put on hold.")):
        services.hold(actor=alice, case=world.case_a)
    with pytest.raises(Conflict):
        services.resume(actor=alice, case=world.case_a, version=1)
    case = services.resume(actor=alice, case=world.case_a, version=2)
    assert _reloaded(case).status == "active"
    with pytest.raises(InvalidInput, match=re.escape("The case is not on hold.")):
        services.resume(actor=alice, case=world.case_a)
    assert [e.changed_fields for e in _entries("lotse.case.changed")] == [["status"], ["status"]]


def test_a_case_in_intake_cannot_be_put_on_hold(world, programme, client_person):
    case = _open(world, programme, client_person)
    with pytest.raises(InvalidInput, match=re.escape("Only an active case can be put on hold.")):
        services.hold(actor=acting(world.alice), case=case)


# --- the calendar feed ---------------------------------------------------------------------


def test_a_new_feed_address_revokes_the_old_one(world):
    alice = acting(world.alice)
    old = world.feed_a.token
    feed = services.renew_feed(actor=alice)
    assert feed.token != old
    assert services.calendar_feed(world.alice, world.org_a.pk) == feed
    assert _reloaded(world.feed_a).revoked_at is not None
    services.revoke_feed(actor=alice)
    assert services.calendar_feed(world.alice, world.org_a.pk) is None
    assert [e.changed_fields for e in _entries("lotse.calendar_feed.changed")] == [
        ["token"],
        ["revoked_at"],
    ]
    with pytest.raises(NotPermitted):
        services.renew_feed(actor=acting(world.vera))


# --- demand for the gap report -------------------------------------------------------------


def _goals_count(report, area):
    rows = [row for row in report.rows if row.area == area]
    if not rows:
        return 0
    [count] = [entry.count for entry in rows[0].automatic if entry.label == GOALS_LABEL]
    return count


def test_the_gap_report_counts_the_goals_of_open_cases_per_area(world, programme, client_person):
    report = gap_report(world.org_a.pk, _today())
    assert GOALS_LABEL in report.source_labels
    assert _goals_count(report, "language") == 1  # world.case_a's goal "B1"
    assert _goals_count(report, "housing") == 0

    alice = acting(world.alice)
    case = _open(world, programme, client_person)
    plan = services.current_plan(case)
    services.add_goal(actor=alice, plan=plan, area="housing", text="Wohnung")
    services.add_goal(actor=alice, plan=plan, area="housing", text="Wohnberechtigungsschein")
    services.add_goal(actor=alice, plan=plan, area="language", text="B2")
    services.add_goal(actor=alice, plan=world.plan_a, area="housing", text="Umzug")

    report = gap_report(world.org_a.pk, _today())
    # Clients, not goals: two housing goals of one client count once.
    assert _goals_count(report, "housing") == 2
    assert _goals_count(report, "language") == 2
    assert _goals_count(gap_report(world.org_b.pk, _today()), "language") == 0


def test_the_gap_report_leaves_out_closed_cases_and_earlier_plan_versions(world):
    alice = acting(world.alice)
    services.agree_plan(actor=alice, plan=world.plan_a, agreed_on=_today() - _days(1))
    second = services.agree_plan(actor=alice, plan=_reloaded(world.plan_a))
    PlanGoal.objects.filter(plan=second).update(area="work")
    report = gap_report(world.org_a.pk, _today())
    assert _goals_count(report, "language") == 0  # only in the superseded version
    assert _goals_count(report, "work") == 1

    services.close_case(actor=alice, case=world.case_a, reason="placed", outcome="employment")
    assert _goals_count(gap_report(world.org_a.pk, _today()), "work") == 0
