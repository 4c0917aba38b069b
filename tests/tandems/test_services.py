import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lotse.core.dates import add_months
from lotse.core.exceptions import Conflict, NotPermitted, ServiceError
from lotse.core.models import AuditEntry
from lotse.people.models import VolunteerProfile
from lotse.programmes.models import Enrolment, EnrolmentStatus, StepKind
from lotse.tandems import services
from lotse.tandems.agreement import DEFAULT
from lotse.tandems.models import (
    AgreementTemplate,
    Evaluation,
    FollowUp,
    Meeting,
    Outcome,
    SupportTime,
    Tandem,
    TandemStatus,
)

from .helpers import Pair, acting, mentee, mentor, mentoring_programme, ready_pair, tandem

BERLIN = datetime.timezone(datetime.timedelta(hours=1))
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def _today():
    return timezone.localdate()


def _days(n):
    return datetime.timedelta(days=n)


def _kind(enrolment):
    return Enrolment.objects.select_related("step").get(pk=enrolment.pk).step.kind


def _form(world, pair, **options):
    return services.create_tandem(
        actor=acting(world.alice), mentee=pair.mentee, mentor=pair.mentor, **options
    )


def _sign(world, tandem, signed_on=None, **options):
    tandem.refresh_from_db()
    return services.record_signature(
        actor=acting(world.alice),
        tandem=tandem,
        version=tandem.version,
        signed_on=signed_on or _today(),
        **options,
    )


def _meet(world, tandem, days_ago=1, **options):
    values = {"duration_minutes": 60, "mode": "in_person", "topics": ["cv"]} | options
    return services.log_meeting(
        actor=acting(world.alice),
        tandem=tandem,
        held_on=_today() - _days(days_ago),
        **values,
    )


def _end(world, tandem, **options):
    tandem.refresh_from_db()
    values = {
        "ended_on": _today(),
        "reason": "planned_end",
        "outcome": "none",
    } | options
    return services.end_tandem(
        actor=acting(world.alice), tandem=tandem, version=tandem.version, **values
    )


# --- add_months ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2024, 8, 31), 6, datetime.date(2025, 2, 28)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 3, 15), 12, datetime.date(2027, 3, 15)),
        (datetime.date(2026, 12, 1), 1, datetime.date(2027, 1, 1)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


# --- forming a tandem --------------------------------------------------------------


def test_a_tandem_is_formed_from_two_enrolments(world):
    pair = ready_pair(world)

    formed = _form(world, pair)

    formed.refresh_from_db()
    assert formed.status == TandemStatus.FORMING
    assert (formed.mentee, formed.mentor) == (pair.mentee, pair.mentor)
    assert formed.programme == world.programme_a
    assert formed.site == world.site_a1  # the mentee's site
    assert formed.coordinator == world.alice
    assert formed.started_on is None and formed.planned_end_on is None
    # The goals start as the mentee's wishes.
    assert formed.goals == "Eine Ausbildung in der Lagerlogistik"
    assert formed.number == f"T-{formed.pk:04d}"
    entry = AuditEntry.objects.get(action="lotse.tandem.created")
    assert entry.actor == world.alice
    assert entry.target_id == str(formed.pk)
    assert entry.site == world.site_a1
    assert entry.changed_fields == ["coordinator", "mentee", "mentor", "site"]
    # Forming a tandem does not move the enrolments.
    assert _kind(pair.mentee) == _kind(pair.mentor) == StepKind.FIRST_MEETING


def test_forming_writes_the_first_row_of_the_status_history(world):
    formed = _form(world, ready_pair(world))

    change = formed.status_changes.get()
    assert change.to_status == TandemStatus.FORMING
    assert change.changed_by == world.alice
    # The first row has nothing to come from (as an enrolment's first transition).
    assert change.from_status == ""


def test_goals_given_when_forming_replace_the_wishes(world):
    formed = _form(world, ready_pair(world), goals="  Deutsch B2 und ein Praktikum  ")
    assert formed.goals == "Deutsch B2 und ein Praktikum"


def test_another_site_and_coordinator_can_be_chosen(world):
    formed = _form(world, ready_pair(world), site=world.site_a2, coordinator=world.ada)
    assert (formed.site, formed.coordinator) == (world.site_a2, world.ada)


def test_a_mentee_is_in_one_running_tandem_at_a_time(world):
    pair = ready_pair(world)
    _form(world, pair)
    second_mentor = mentor(world, "Petra", "Lindner")

    with pytest.raises(ServiceError, match="Samira Nouri is in a tandem already"):
        services.create_tandem(actor=acting(world.alice), mentee=pair.mentee, mentor=second_mentor)
    # The world's mentee is in tandem_a.
    with pytest.raises(ServiceError, match="in a tandem already"):
        services.create_tandem(
            actor=acting(world.alice), mentee=world.enrolment_a, mentor=second_mentor
        )
    assert Tandem.objects.filter(mentee=pair.mentee).count() == 1
    assert not Tandem.objects.filter(mentor=second_mentor).exists()


def test_a_mentee_whose_tandem_ended_can_form_a_new_one(world):
    pair = ready_pair(world)
    first = _form(world, pair)
    _sign(world, first)
    _end(world, first, reason="no_fit")
    again = services.create_tandem(
        actor=acting(world.alice), mentee=pair.mentee, mentor=mentor(world, "Petra", "Lindner")
    )
    assert again.status == TandemStatus.FORMING


@pytest.mark.parametrize(
    "profile",
    [{"cleared": False}, {"trained": False}, "expired", "none"],
    ids=["no-clearance", "untrained", "expired-clearance", "no-profile"],
)
def test_a_mentor_needs_a_valid_clearance_and_the_training(world, profile):
    if profile == "none":
        chosen = world.accepted_a.mentor  # Jürgen Wegmann has no volunteer profile
    elif profile == "expired":
        chosen = mentor(world)
        VolunteerProfile.objects.filter(person=chosen.person).update(
            police_clearance_on=_today()
            - _days(round(365.25 * settings.LOTSE_POLICE_CLEARANCE_YEARS))
        )
    else:
        chosen = mentor(world, **profile)
    before = Tandem.objects.filter(mentor=chosen).count()
    with pytest.raises(ServiceError, match="no valid police clearance certificate"):
        services.create_tandem(actor=acting(world.alice), mentee=mentee(world), mentor=chosen)
    assert Tandem.objects.filter(mentor=chosen).count() == before


def test_a_mentor_takes_as_many_mentees_as_their_capacity(world):
    pair = ready_pair(world, capacity=2)
    _form(world, pair)
    _form(world, Pair(mentee(world, "Lina", "Haddou"), pair.mentor))

    with pytest.raises(ServiceError, match="Heinz Brückner has no free place"):
        services.create_tandem(
            actor=acting(world.alice), mentee=mentee(world, "Yusuf", "Demir"), mentor=pair.mentor
        )
    assert Tandem.objects.filter(mentor=pair.mentor).count() == 2


def test_an_ended_tandem_frees_the_mentors_place(world):
    pair = ready_pair(world)
    first = _form(world, pair)
    other = mentee(world, "Lina", "Haddou")
    with pytest.raises(ServiceError, match="no free place"):
        services.create_tandem(actor=acting(world.alice), mentee=other, mentor=pair.mentor)
    _sign(world, first)
    _end(world, first, reason="mentee_withdrew")
    formed = services.create_tandem(actor=acting(world.alice), mentee=other, mentor=pair.mentor)
    assert formed.mentor == pair.mentor


def test_mentee_and_mentor_must_take_part_in_the_same_programme(world):
    other = mentoring_programme(world.org_a, "Ausbildungspaten")
    with pytest.raises(ServiceError, match="same programme"):
        services.create_tandem(
            actor=acting(world.alice),
            mentee=mentee(world),
            mentor=mentor(world, programme=other),
        )
    assert not Tandem.objects.filter(programme=other).exists()


def test_roles_must_fit_and_both_must_still_take_part(world):
    pair = ready_pair(world)
    with pytest.raises(ServiceError, match="formed by a mentee and a mentor"):
        services.create_tandem(actor=acting(world.alice), mentee=pair.mentor, mentor=pair.mentee)
    Enrolment.objects.filter(pk=pair.mentor.pk).update(status=EnrolmentStatus.WITHDRAWN)
    with pytest.raises(ServiceError, match="still take part"):
        _form(world, pair)


@pytest.mark.parametrize("name", ["cora", "vera", "carol"])
def test_only_coordinators_and_administrators_of_the_organisation_form_tandems(world, name):
    pair = ready_pair(world)
    with pytest.raises(NotPermitted):
        services.create_tandem(
            actor=acting(getattr(world, name)), mentee=pair.mentee, mentor=pair.mentor
        )
    assert not Tandem.objects.filter(mentee=pair.mentee).exists()
    assert (
        services.create_tandem(
            actor=acting(world.ada), mentee=pair.mentee, mentor=pair.mentor
        ).coordinator
        == world.ada
    )


def test_a_site_or_coordinator_of_another_organisation_is_refused(world):
    pair = ready_pair(world)
    with pytest.raises(NotPermitted, match="another organisation"):
        _form(world, pair, site=world.site_b1)
    with pytest.raises(ServiceError, match="member of the organisation"):
        _form(world, pair, coordinator=world.carol)
    assert not Tandem.objects.filter(mentee=pair.mentee).exists()


# --- the signature -----------------------------------------------------------------


def test_the_signature_starts_the_tandem_and_moves_both_enrolments_on(world):
    pair = ready_pair(world)
    formed = _form(world, pair)
    signed_on = _today() - _days(2)

    signed = _sign(world, formed, signed_on)

    signed.refresh_from_db()
    assert signed.status == TandemStatus.ACTIVE
    assert signed.agreement_signed_on == signed_on
    assert signed.started_on == signed_on
    assert signed.planned_end_on == add_months(signed_on, 6)
    assert signed.version == formed.version + 1
    change = signed.status_changes.order_by("-pk").first()
    assert (change.from_status, change.to_status) == ("forming", "active")
    assert change.reason == "Agreement signed"
    # Past the first meeting and the agreement: at the tandem phase.
    assert _kind(pair.mentee) == StepKind.TANDEM
    assert _kind(pair.mentor) == StepKind.TANDEM
    entry = AuditEntry.objects.get(action=services.AGREEMENT_SIGNED)
    assert entry.target_id == str(signed.pk)
    assert {"agreement_signed_on", "started_on", "planned_end_on", "status"} <= set(
        entry.changed_fields
    )


@pytest.mark.parametrize(
    ("day", "months", "planned_end"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2023, 8, 31), 6, datetime.date(2024, 2, 29)),
    ],
)
def test_the_planned_end_is_the_start_plus_the_programmes_maximum_duration(
    world, day, months, planned_end
):
    world.programme_a.max_duration_months = months
    world.programme_a.save()
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(10), BERLIN)):
        formed = _form(world, ready_pair(world))
        signed = _sign(world, formed, day)
    assert (signed.started_on, signed.planned_end_on) == (day, planned_end)


def test_a_start_set_before_the_signature_is_kept(world):
    formed = _form(world, ready_pair(world))
    start = _today() + _days(7)
    services.update_tandem(
        actor=acting(world.alice), tandem=formed, version=formed.version, started_on=start
    )
    signed = _sign(world, formed)
    assert signed.started_on == start
    assert signed.planned_end_on == add_months(start, 6)


def test_a_signature_in_the_future_is_refused(world):
    formed = _form(world, ready_pair(world))
    with pytest.raises(ServiceError, match="future"):
        _sign(world, formed, _today() + _days(1))
    formed.refresh_from_db()
    assert formed.status == TandemStatus.FORMING
    assert formed.agreement_signed_on is None


def test_a_signature_on_a_stale_version_is_a_conflict(world):
    formed = _form(world, ready_pair(world))
    with pytest.raises(Conflict):
        services.record_signature(
            actor=acting(world.alice),
            tandem=formed,
            version=formed.version + 1,
            signed_on=_today(),
        )
    formed.refresh_from_db()
    assert formed.status == TandemStatus.FORMING
    assert not AuditEntry.objects.filter(action=services.AGREEMENT_SIGNED).exists()


def test_a_caseworker_cannot_record_the_signature(world):
    formed = _form(world, ready_pair(world))
    with pytest.raises(NotPermitted):
        services.record_signature(
            actor=acting(world.cora), tandem=formed, version=formed.version, signed_on=_today()
        )


# --- the scan of the signed agreement ---------------------------------------------


def test_a_pdf_scan_is_stored_under_a_random_name(world, documents):
    formed = _form(world, ready_pair(world))
    scan = SimpleUploadedFile("Vereinbarung Samira Nouri.pdf", PDF, content_type="application/pdf")

    signed = _sign(world, formed, scan=scan)

    signed.refresh_from_db()
    name = signed.agreement_scan.name
    assert name.startswith("tandems/tandem/") and name.endswith(".pdf")
    assert "Vereinbarung" not in name and "Samira" not in name and "Nouri" not in name
    stored = documents / name
    assert stored.read_bytes() == PDF
    assert (
        "agreement_scan" in AuditEntry.objects.get(action=services.AGREEMENT_SIGNED).changed_fields
    )


def test_a_scan_is_judged_by_its_content_not_its_name(world, documents):
    formed = _form(world, ready_pair(world))
    photo = SimpleUploadedFile("scan.pdf", JPEG, content_type="application/pdf")
    signed = _sign(world, formed, scan=photo)
    signed.refresh_from_db()
    assert signed.agreement_scan.name.endswith(".jpg")


def test_a_new_scan_replaces_the_old_file(world, documents):
    formed = _form(world, ready_pair(world))
    first = _sign(world, formed, scan=SimpleUploadedFile("a.pdf", PDF))
    first.refresh_from_db()
    old = documents / first.agreement_scan.name
    assert old.exists()
    second = _sign(world, formed, scan=SimpleUploadedFile("b.pdf", PDF + b"% second\n"))
    second.refresh_from_db()
    assert not old.exists()
    assert (documents / second.agreement_scan.name).read_bytes().endswith(b"% second\n")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("scan.pdf", b"Not a PDF at all, only text\n"), "PDF, JPEG or PNG"),
        (
            SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024)),
            "larger than 10 MB",
        ),
    ],
    ids=["text-named-pdf", "over-10-mb"],
)
def test_unacceptable_scans_are_refused_and_nothing_changes(world, documents, upload, message):
    formed = _form(world, ready_pair(world))
    with pytest.raises(ServiceError, match=message):
        _sign(world, formed, scan=upload)
    formed.refresh_from_db()
    assert formed.status == TandemStatus.FORMING
    assert not formed.agreement_scan
    assert not documents.exists() or not any(documents.rglob("*.*"))


def test_exactly_10_mb_is_accepted(world, documents):
    formed = _form(world, ready_pair(world))
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024 - len(PDF)))
    signed = _sign(world, formed, scan=upload)
    signed.refresh_from_db()
    assert (documents / signed.agreement_scan.name).stat().st_size == 10 * 1024 * 1024


def test_opening_the_scan_is_audited_and_needs_the_site(world, documents):
    formed = _form(world, ready_pair(world))
    _sign(world, formed, scan=SimpleUploadedFile("a.pdf", PDF))
    formed.refresh_from_db()
    with services.open_agreement_scan(actor=acting(world.alice), tandem=formed) as handle:
        assert handle.read() == PDF
    assert AuditEntry.objects.filter(action=services.AGREEMENT_SCAN_READ).count() == 1
    # cora works at site A2 only, vera reads no personal data.
    for user in (world.cora, world.vera, world.carol):
        with pytest.raises(NotPermitted):
            services.open_agreement_scan(actor=acting(user), tandem=formed)
    assert AuditEntry.objects.filter(action=services.AGREEMENT_SCAN_READ).count() == 1
    with pytest.raises(ServiceError, match="No signed agreement"):
        services.open_agreement_scan(actor=acting(world.alice), tandem=world.tandem_a)


# --- meetings ----------------------------------------------------------------------


def test_the_first_meeting_sets_the_dates_and_completes_the_first_meeting_step(world):
    pair = ready_pair(world)
    formed = _form(world, pair)

    meeting = _meet(world, formed, days_ago=2, topics=["cv", "german", "cv"], note=" gut ")

    formed.refresh_from_db()
    held = _today() - _days(2)
    assert formed.first_meeting_on == held
    assert formed.last_meeting_on == held
    assert meeting.topics == ["cv", "german"]
    assert meeting.note == "gut"
    assert meeting.recorded_by == world.alice
    assert meeting.recorded_via == "staff"
    # Both wait for the agreement now.
    assert _kind(pair.mentee) == _kind(pair.mentor) == StepKind.AGREEMENT
    assert AuditEntry.objects.filter(action=services.MEETING_LOGGED).count() == 1


def test_later_and_earlier_meetings_move_the_last_and_first_dates(world):
    formed = _form(world, ready_pair(world))
    _meet(world, formed, days_ago=5)
    _meet(world, formed, days_ago=1)
    formed.refresh_from_db()
    assert formed.first_meeting_on == _today() - _days(5)
    assert formed.last_meeting_on == _today() - _days(1)
    _meet(world, formed, days_ago=9)
    formed.refresh_from_db()
    assert formed.first_meeting_on == _today() - _days(9)
    assert formed.last_meeting_on == _today() - _days(1)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"days_ago": -1}, "cannot lie in the future"),
        ({"topics": ["cv", "astrology"]}, "topics from the list"),
        ({"mode": "pigeon"}, "how the tandem met"),
        ({"duration_minutes": 4}, "between 5 and 600"),
        ({"duration_minutes": 601}, "between 5 and 600"),
        ({"note": "x" * 501}, "500 characters"),
    ],
    ids=["future", "topic", "mode", "too-short", "too-long", "note"],
)
def test_invalid_meetings_are_refused(world, options, message):
    before = world.tandem_a.last_meeting_on
    with pytest.raises(ServiceError, match=message):
        _meet(world, world.tandem_a, **options)
    assert world.tandem_a.meetings.count() == 1
    world.tandem_a.refresh_from_db()
    assert world.tandem_a.last_meeting_on == before


@pytest.mark.parametrize("minutes", [5, 600])
def test_the_limits_of_a_meetings_duration_are_allowed(world, minutes):
    meeting = _meet(world, world.tandem_a, days_ago=0, duration_minutes=minutes)
    assert meeting.duration_minutes == minutes


def test_a_meeting_long_before_the_tandem_was_formed_is_refused(world):
    with pytest.raises(ServiceError, match="before the tandem was formed"):
        _meet(world, world.tandem_a, days_ago=400)


def test_deleting_a_meeting_recomputes_the_last_meeting(world):
    tandem_a = world.tandem_a
    newer = _meet(world, tandem_a, days_ago=1)
    tandem_a.refresh_from_db()
    assert tandem_a.last_meeting_on == _today() - _days(1)

    services.delete_meeting(actor=acting(world.alice), meeting=newer)

    tandem_a.refresh_from_db()
    assert tandem_a.last_meeting_on == world.meeting_a.held_on
    assert not Meeting.objects.filter(pk=newer.pk).exists()
    services.delete_meeting(actor=acting(world.alice), meeting=world.meeting_a)
    tandem_a.refresh_from_db()
    assert tandem_a.last_meeting_on is None
    assert AuditEntry.objects.filter(action=services.MEETING_DELETED).count() == 2


def test_a_caseworker_neither_logs_nor_deletes_meetings(world):
    with pytest.raises(NotPermitted):
        services.log_meeting(
            actor=acting(world.cora),
            tandem=world.tandem_a,
            held_on=_today(),
            duration_minutes=60,
            mode="phone",
        )
    with pytest.raises(NotPermitted):
        services.delete_meeting(actor=acting(world.cora), meeting=world.meeting_a)
    assert Meeting.objects.filter(pk=world.meeting_a.pk).exists()


# --- overdue -----------------------------------------------------------------------


def _overdue(today):
    return set(Tandem.objects.overdue(today).values_list("pk", flat=True))


def test_overdue_after_twice_the_rhythm_without_a_meeting(world):
    last = world.tandem_a.last_meeting_on  # rhythm: 7 days
    tandem_a = Tandem.objects.get(pk=world.tandem_a.pk)
    with time_machine.travel(datetime.datetime.combine(last + _days(14), datetime.time(9))):
        today = timezone.localdate()
        assert today == last + _days(14)
        assert _overdue(today) == set()
        assert not tandem_a.is_overdue(today)
    with time_machine.travel(datetime.datetime.combine(last + _days(15), datetime.time(9))):
        today = timezone.localdate()
        assert _overdue(today) == {tandem_a.pk}
        assert tandem_a.is_overdue(today)
        assert tandem_a.meeting_due_on() == today


def test_the_programmes_rhythm_counts(world):
    fortnightly = mentoring_programme(world.org_a, "Ausbildungspaten", meeting_rhythm_days=14)
    slow = tandem(world, "Lina", "Haddou", programme=fortnightly, last_meeting_days_ago=20)
    weekly = tandem(world, "Yusuf", "Demir", last_meeting_days_ago=20)
    today = _today()
    assert _overdue(today) == {weekly.pk}
    assert not slow.is_overdue(today) and weekly.is_overdue(today)
    assert _overdue(today + _days(8)) == {weekly.pk}
    assert _overdue(today + _days(9)) == {weekly.pk, slow.pk}
    assert slow.is_overdue(today + _days(9))


def test_without_a_meeting_the_clock_runs_from_the_start(world):
    never_met = tandem(world, "Lina", "Haddou", started_days_ago=14, last_meeting_days_ago=None)
    today = _today()
    assert never_met.pk not in _overdue(today)
    assert not never_met.is_overdue(today)
    assert never_met.pk in _overdue(today + _days(1))
    assert never_met.is_overdue(today + _days(1))


def test_forming_paused_and_ended_tandems_are_never_overdue(world):
    long_ago = {"started_days_ago": 300, "last_meeting_days_ago": 200}
    kept = [
        tandem(world, "Lina", "Haddou", status=status, **long_ago)
        for status in ("forming", "paused", "completed", "ended_early")
    ]
    with time_machine.travel(timezone.now() + _days(365)):
        today = timezone.localdate()
        # Only the world's active tandem_a is overdue by then.
        assert _overdue(today) == {world.tandem_a.pk}
        assert not any(t.is_overdue(today) for t in kept)
        assert all(t.meeting_due_on() is None for t in kept)


def test_pausing_stops_and_resuming_restarts_the_clock(world):
    Tandem.objects.filter(pk=world.tandem_a.pk).update(last_meeting_on=_today() - _days(60))
    tandem_a = Tandem.objects.get(pk=world.tandem_a.pk)
    assert tandem_a.is_overdue(_today())

    paused = services.pause(
        actor=acting(world.alice), tandem=tandem_a, version=tandem_a.version, reason="Krankheit"
    )
    assert paused.status == TandemStatus.PAUSED
    assert not paused.is_overdue(_today())
    assert world.tandem_a.pk not in _overdue(_today())
    assert paused.status_changes.order_by("-pk").first().reason == "Krankheit"

    with time_machine.travel(timezone.now() + _days(40)):
        back = timezone.localdate()
        resumed = services.resume(actor=acting(world.alice), tandem=paused, version=paused.version)
        assert resumed.status == TandemStatus.ACTIVE
        # The clock restarts on the day of resuming; the meetings stay as they were.
        assert resumed.resumed_on == back
        assert resumed.last_meeting_on == tandem_a.last_meeting_on
        assert not resumed.is_overdue(back + _days(14))
        assert resumed.pk not in _overdue(back + _days(14))
        assert resumed.is_overdue(back + _days(15))
        assert resumed.pk in _overdue(back + _days(15))


def test_a_meeting_from_before_the_break_logged_after_it_does_not_restart_the_old_clock(world):
    """Resuming restarts the overdue clock today; logging, afterwards, a
    meeting that took place before the break must not make the tandem
    overdue again at once."""
    Tandem.objects.filter(pk=world.tandem_a.pk).update(
        started_on=_today() - _days(90), last_meeting_on=_today() - _days(60)
    )
    Meeting.objects.filter(pk=world.meeting_a.pk).update(held_on=_today() - _days(60))
    tandem_a = Tandem.objects.get(pk=world.tandem_a.pk)
    paused = services.pause(
        actor=acting(world.alice), tandem=tandem_a, version=tandem_a.version, reason="Urlaub"
    )
    resumed = services.resume(actor=acting(world.alice), tandem=paused, version=paused.version)
    assert not resumed.is_overdue(_today())

    _meet(world, resumed, days_ago=50)  # held before the break, logged late

    resumed.refresh_from_db()
    assert not resumed.is_overdue(_today())
    assert resumed.pk not in _overdue(_today())


def test_pause_needs_a_reason_and_an_active_tandem_and_resume_a_paused_one(world):
    tandem_a = world.tandem_a
    with pytest.raises(ServiceError, match="reason"):
        services.pause(actor=acting(world.alice), tandem=tandem_a, version=1, reason=" ")
    with pytest.raises(ServiceError, match="not paused"):
        services.resume(actor=acting(world.alice), tandem=tandem_a, version=1)
    formed = _form(world, ready_pair(world))
    with pytest.raises(ServiceError, match="Only an active tandem"):
        services.pause(
            actor=acting(world.alice), tandem=formed, version=formed.version, reason="Urlaub"
        )
    with pytest.raises(Conflict):
        services.pause(actor=acting(world.alice), tandem=tandem_a, version=7, reason="Urlaub")


# --- support time ------------------------------------------------------------------


def test_support_time_is_logged_for_the_staff_member(world):
    entry = services.log_support_time(
        actor=acting(world.alice),
        tandem=world.tandem_a,
        spent_on=_today(),
        minutes=45,
        activity="conflict",
        note="  Gespräch zu dritt ",
    )
    entry.refresh_from_db()
    assert (entry.minutes, entry.activity, entry.note) == (45, "conflict", "Gespräch zu dritt")
    assert entry.staff == world.alice
    assert entry.tandem == world.tandem_a
    assert AuditEntry.objects.filter(action=services.SUPPORT_LOGGED).count() == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"minutes": 0}, "between 1 and 720"),
        ({"minutes": 721}, "between 1 and 720"),
        ({"activity": "lunch"}, "activity from the list"),
        ({"spent_on": datetime.date.max}, "future"),
    ],
)
def test_invalid_support_time_is_refused(world, options, message):
    values = {"spent_on": _today(), "minutes": 30, "activity": "check_in"} | options
    with pytest.raises(ServiceError, match=message):
        services.log_support_time(actor=acting(world.alice), tandem=world.tandem_a, **values)
    assert not SupportTime.objects.exists()


def test_support_time_can_be_logged_after_the_end_but_not_by_a_caseworker(world):
    _end(world, world.tandem_a)
    services.log_support_time(
        actor=acting(world.alice),
        tandem=world.tandem_a,
        spent_on=_today(),
        minutes=20,
        activity="check_in",
    )
    with pytest.raises(NotPermitted):
        services.log_support_time(
            actor=acting(world.cora),
            tandem=world.tandem_a,
            spent_on=_today(),
            minutes=20,
            activity="check_in",
        )
    assert SupportTime.objects.count() == 1


# --- evaluation --------------------------------------------------------------------


def _evaluate(world, tandem, **options):
    values = {"kind": "midterm", "respondent": "mentee"} | options
    return services.record_evaluation(actor=acting(world.alice), tandem=tandem, **values)


def test_answering_again_replaces_the_earlier_record(world):
    """The answers themselves are a survey's (tests/surveys); the tandem keeps
    who answered which evaluation, once, on the last day given."""
    _evaluate(world, world.tandem_a, answered_on=_today() - datetime.timedelta(days=3))
    _evaluate(world, world.tandem_a)
    _evaluate(world, world.tandem_a, respondent="mentor")

    answers = Evaluation.objects.filter(tandem=world.tandem_a, kind="midterm")
    assert answers.count() == 2
    mentee_answer = answers.get(respondent="mentee")
    assert mentee_answer.answered_on == _today()
    assert mentee_answer.recorded_by == world.alice


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kind": "weekly"}, "Choose the evaluation"),
        ({"respondent": "coordinator"}, "Choose the evaluation"),
        ({"answered_on": datetime.date.max}, "future"),
    ],
)
def test_invalid_answers_are_refused(world, options, message):
    with pytest.raises(ServiceError, match=message):
        _evaluate(world, world.tandem_a, **options)
    assert not Evaluation.objects.exists()


def test_a_forming_tandem_has_no_evaluation_yet(world):
    formed = _form(world, ready_pair(world))
    with pytest.raises(ServiceError, match="not started yet"):
        _evaluate(world, formed)


def test_the_final_evaluation_completes_the_respondents_enrolment(world):
    pair = ready_pair(world)
    formed = _form(world, pair)
    _sign(world, formed)
    ended = _end(world, formed)
    assert _kind(pair.mentee) == _kind(pair.mentor) == StepKind.EVALUATION

    _evaluate(world, ended, kind="final", respondent="mentee")

    assert Enrolment.objects.get(pk=pair.mentee.pk).status == EnrolmentStatus.COMPLETED
    assert Enrolment.objects.get(pk=pair.mentor.pk).status == EnrolmentStatus.ACTIVE


# --- the end -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        ("planned_end", TandemStatus.COMPLETED),
        ("goal_reached", TandemStatus.COMPLETED),
        ("mentee_withdrew", TandemStatus.ENDED_EARLY),
        ("contact_lost", TandemStatus.ENDED_EARLY),
    ],
)
def test_the_reason_decides_whether_the_tandem_completed_or_ended_early(world, reason, status):
    ended = _end(world, world.tandem_a, reason=reason, outcome="internship", note=" Notiz ")
    ended.refresh_from_db()
    assert ended.status == status
    assert (ended.ended_on, ended.end_reason, ended.end_note) == (_today(), reason, "Notiz")
    assert ended.outcome.kind == "internship"
    change = ended.status_changes.order_by("-pk").first()
    assert (change.from_status, change.to_status) == ("active", status)
    assert AuditEntry.objects.filter(action=services.TANDEM_ENDED).count() == 1


def test_an_employment_is_stored_with_its_contract(world):
    start = _today() - _days(3)
    ended = _end(
        world,
        tandem(world, "Lina", "Haddou"),
        reason="goal_reached",
        outcome="employment",
        contract_start=start,
        permanent=False,
        three_months_or_more=True,
        social_insurance=True,
    )
    outcome = Outcome.objects.get(tandem=ended)
    assert outcome.kind == "employment"
    assert outcome.contract_start == start
    assert (outcome.permanent, outcome.three_months_or_more, outcome.social_insurance) == (
        False,
        True,
        True,
    )
    assert outcome.recorded_by == world.alice


def test_an_employment_needs_the_contract_start(world):
    with pytest.raises(ServiceError, match="start of the employment contract"):
        _end(world, world.tandem_a, outcome="employment")
    world.tandem_a.refresh_from_db()
    assert world.tandem_a.status == TandemStatus.ACTIVE
    assert not Outcome.objects.exists()


def test_contract_details_are_dropped_for_other_outcomes(world):
    ended = _end(world, world.tandem_a, outcome="school", contract_start=_today(), permanent=True)
    outcome = Outcome.objects.get(tandem=ended)
    assert (outcome.contract_start, outcome.permanent) == (None, None)


@pytest.mark.parametrize(
    ("outcome", "followed_up"),
    [
        ("employment", True),
        ("apprenticeship", True),
        ("entry_qualification", True),
        ("internship", False),
        ("further_education", False),
        ("none", False),
        ("unknown", False),
    ],
)
def test_follow_ups_at_three_and_six_months_after_a_job_or_training(world, outcome, followed_up):
    Tandem.objects.filter(pk=world.tandem_a.pk).update(started_on=datetime.date(2026, 1, 5))
    ended_on = datetime.date(2026, 8, 31)
    FollowUp.objects.all().delete()
    _end(
        world,
        world.tandem_a,
        ended_on=ended_on,
        outcome=outcome,
        contract_start=ended_on if outcome == "employment" else None,
    )
    due = set(FollowUp.objects.filter(tandem=world.tandem_a).values_list("months", "due_on"))
    expected = {(3, datetime.date(2026, 11, 30)), (6, datetime.date(2027, 2, 28))}
    assert due == (expected if followed_up else set())


def test_the_end_moves_enrolments_on_from_the_tandem_step_only(world):
    pair = ready_pair(world)
    formed = _form(world, pair)
    _sign(world, formed)
    assert _kind(pair.mentee) == StepKind.TANDEM
    _end(world, formed)
    assert _kind(pair.mentee) == _kind(pair.mentor) == StepKind.EVALUATION
    # tandem_a's mentee is at the info event, its mentor at pairing: they stay.
    _end(world, world.tandem_a)
    assert _kind(world.tandem_a.mentee) == StepKind.INFO_EVENT
    assert _kind(world.tandem_a.mentor) == StepKind.PAIRING


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"ended_on": datetime.date.max}, "future"),
        ({"reason": "boredom"}, "why the tandem ends"),
        ({"outcome": "fame"}, "what the mentee achieved"),
        ({"reason": "other", "note": " "}, "other reason in the note"),
        ({"ended_on": datetime.date(2000, 1, 1)}, "before the start"),
    ],
)
def test_invalid_ends_are_refused(world, options, message):
    with pytest.raises(ServiceError, match=message):
        _end(world, world.tandem_a, **options)
    world.tandem_a.refresh_from_db()
    assert world.tandem_a.status == TandemStatus.ACTIVE


def test_an_ended_tandem_can_no_longer_be_changed(world):
    ended = _end(world, world.tandem_a)
    alice = acting(world.alice)
    ended.refresh_from_db()
    attempts = [
        lambda: _meet(world, ended),
        lambda: services.delete_meeting(actor=alice, meeting=world.meeting_a),
        lambda: services.update_tandem(
            actor=alice, tandem=ended, version=ended.version, goals="Neu"
        ),
        lambda: services.record_signature(
            actor=alice, tandem=ended, version=ended.version, signed_on=_today()
        ),
        lambda: services.end_tandem(
            actor=alice,
            tandem=ended,
            version=ended.version,
            ended_on=_today(),
            reason="planned_end",
            outcome="none",
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError, match="has ended"):
            attempt()
    with pytest.raises(ServiceError, match="Only an active tandem"):
        services.pause(actor=alice, tandem=ended, version=ended.version, reason="x")
    assert Meeting.objects.filter(pk=world.meeting_a.pk).exists()
    ended.refresh_from_db()
    assert ended.goals == "Ausbildung als Pflegefachkraft"
    assert ended.status_changes.count() == 1


# --- follow-ups --------------------------------------------------------------------


def test_a_follow_up_is_recorded(world):
    recorded = services.record_follow_up(
        actor=acting(world.alice), follow_up=world.follow_up_a, result="still_there", note=" ok "
    )
    recorded.refresh_from_db()
    assert (recorded.result, recorded.note) == ("still_there", "ok")
    assert recorded.recorded_on == _today()
    assert recorded.recorded_by == world.alice
    assert not FollowUp.objects.due(_today()).exists()
    assert AuditEntry.objects.filter(action=services.FOLLOW_UP_RECORDED).count() == 1


def test_a_follow_up_needs_a_known_result_and_a_coordinator(world):
    with pytest.raises(ServiceError, match="what the follow-up found"):
        services.record_follow_up(
            actor=acting(world.alice), follow_up=world.follow_up_a, result="happy"
        )
    with pytest.raises(NotPermitted):
        services.record_follow_up(
            actor=acting(world.cora), follow_up=world.follow_up_a, result="left"
        )
    world.follow_up_a.refresh_from_db()
    assert world.follow_up_a.result == ""


# --- the agreement template --------------------------------------------------------


def _texts(**changes):
    return DEFAULT | changes


def test_an_administrator_words_the_agreement(world):
    saved = services.save_agreement_template(
        actor=acting(world.ada),
        programme=world.programme_a,
        version=None,
        **_texts(title_de="Vereinbarung Alphastadt"),
    )
    assert saved.version == 1
    assert AgreementTemplate.objects.get(programme=world.programme_a).title_de == (
        "Vereinbarung Alphastadt"
    )
    entry = AuditEntry.objects.get(action=services.TEMPLATE_CHANGED)
    assert entry.changed_fields == ["title_de"]
    with pytest.raises(Conflict):
        services.save_agreement_template(
            actor=acting(world.ada),
            programme=world.programme_a,
            version=0,
            **_texts(title_de="Noch einmal"),
        )
    assert AgreementTemplate.objects.get(programme=world.programme_a).title_de == (
        "Vereinbarung Alphastadt"
    )


def test_unknown_placeholders_and_empty_texts_are_refused(world):
    with pytest.raises(ServiceError, match=r"\{mentr\}"):
        services.save_agreement_template(
            actor=acting(world.ada),
            programme=world.programme_a,
            version=None,
            **_texts(body_de="{mentee} und {mentr} bilden ein Tandem."),
        )
    with pytest.raises(ServiceError, match="needs some wording"):
        services.save_agreement_template(
            actor=acting(world.ada),
            programme=world.programme_a,
            version=None,
            **_texts(privacy_en="  "),
        )
    assert not AgreementTemplate.objects.exists()


@pytest.mark.parametrize("name", ["alice", "cora", "vera", "dave"])
def test_only_administrators_of_the_organisation_word_the_agreement(world, name):
    with pytest.raises(NotPermitted):
        services.save_agreement_template(
            actor=acting(getattr(world, name)),
            programme=world.programme_a,
            version=None,
            **_texts(title_de="Meine Vereinbarung"),
        )
    assert not AgreementTemplate.objects.exists()


# --- changing a tandem -------------------------------------------------------------


def test_a_meeting_keeps_its_tandems_site_and_programme_and_moves_with_it(world):
    tandem_a = world.tandem_a
    meeting = _meet(world, tandem_a)
    assert (meeting.site, meeting.programme) == (world.site_a1, world.programme_a)
    tandem_a.refresh_from_db()

    services.update_tandem(
        actor=acting(world.alice), tandem=tandem_a, version=tandem_a.version, site=world.site_a2
    )

    # The reports count the tandem's meetings for the site it belongs to now.
    assert set(tandem_a.meetings.values_list("site", flat=True)) == {world.site_a2.pk}
    assert Meeting.objects.filter(site=world.site_a1, tandem=tandem_a).count() == 0


def test_a_tandem_is_changed_with_its_version(world):
    tandem_a = world.tandem_a
    start = datetime.date(2026, 1, 31)
    changed = services.update_tandem(
        actor=acting(world.alice),
        tandem=tandem_a,
        version=tandem_a.version,
        goals="Neue Ziele",
        started_on=start,
        planned_end_on=None,
        coordinator=world.ada,
    )
    changed.refresh_from_db()
    assert (changed.goals, changed.coordinator, changed.started_on) == (
        "Neue Ziele",
        world.ada,
        start,
    )
    # Without a planned end, the start plus the programme's maximum duration.
    assert changed.planned_end_on == datetime.date(2026, 7, 31)
    entry = AuditEntry.objects.get(action=services.TANDEM_CHANGED)
    assert set(entry.changed_fields) == {"goals", "coordinator", "started_on", "planned_end_on"}
    with pytest.raises(Conflict):
        services.update_tandem(
            actor=acting(world.alice), tandem=tandem_a, version=tandem_a.version, goals="Alt"
        )
    with pytest.raises(ServiceError, match="before the start"):
        services.update_tandem(
            actor=acting(world.alice),
            tandem=changed,
            version=changed.version,
            planned_end_on=start - _days(1),
        )


def test_a_coordinator_of_another_organisation_cannot_be_made_responsible(world):
    """As when forming: the responsible coordinator is a member of the organisation."""
    with pytest.raises(ServiceError, match="member of the organisation"):
        services.update_tandem(
            actor=acting(world.alice),
            tandem=world.tandem_a,
            version=world.tandem_a.version,
            coordinator=world.carol,
        )
    assert Tandem.objects.get(pk=world.tandem_a.pk).coordinator == world.alice


def test_a_mentor_with_another_running_tandem_stays_in_the_tandem_phase(world):
    """A mentor with two mentees: ending one tandem does not move the mentor's
    enrolment on to the evaluation while the other still runs."""
    first = ready_pair(world, capacity=2)
    second = Pair(mentee(world, "Lina", "Haddou"), first.mentor)
    one, other = _form(world, first), _form(world, second)
    _sign(world, one)
    _sign(world, other)
    assert _kind(first.mentor) == StepKind.TANDEM

    _end(world, one)

    assert _kind(first.mentee) == StepKind.EVALUATION
    assert Tandem.objects.get(pk=other.pk).status == TandemStatus.ACTIVE
    assert _kind(first.mentor) == StepKind.TANDEM
