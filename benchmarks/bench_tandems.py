"""Tandems through Django: thousands of tandems with a million meetings, then
the tandem list (all running, and only the overdue ones), a tandem's page, the
overview with the coordinator's tasks, and the agreement PDF.

    .venv/bin/python benchmarks/bench_tandems.py [--tandems 20000] [--meetings 50] [--postgres]
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import bench_pool  # same settings and database set-up


def build(count: int, meetings: int, seed: int = 7):
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from lotse.accounts.models import Membership, User
    from lotse.accounts.roles import Role
    from lotse.core.dates import add_months
    from lotse.core.models import Organisation, Site
    from lotse.people.models import Person
    from lotse.programmes import services as programmes
    from lotse.programmes.models import Enrolment, EnrolmentRole, StepKind
    from lotse.tandems.models import Meeting, Tandem, TandemStatus

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    organisation = Organisation.objects.create(name="Bench", slug="bench-tandems")
    site = Site.objects.create(organisation=organisation, name="Kreishaus")
    user = User.objects.create(
        email="bench-tandems@example.org", full_name="Bench", password=make_password("x")
    )
    membership = Membership.objects.create(
        organisation=organisation, user=user, role=Role.ADMINISTRATOR, all_sites=True
    )
    user.membership = membership
    programme = programmes.create_programme(
        actor=user, organisation=organisation, name="Tandems", kind="mentoring"
    )
    membership.role = Role.COORDINATOR
    membership.save()
    step = programme.steps.get(kind=StepKind.TANDEM)
    people = Person.objects.bulk_create(
        Person(organisation=organisation, site=site, given_name=f"P{i}", family_name="Bench")
        for i in range(2 * count)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            organisation=organisation,
            programme=programme,
            person=person,
            role=EnrolmentRole.MENTEE if i % 2 == 0 else EnrolmentRole.MENTOR,
            step=step,
        )
        for i, person in enumerate(people)
    )
    today = datetime.date.today()
    statuses = [TandemStatus.ACTIVE] * 6 + [TandemStatus.COMPLETED] * 3 + [TandemStatus.FORMING]
    tandems = []
    for i in range(count):
        status = rng.choice(statuses)
        started = today - datetime.timedelta(days=rng.randint(10, 170))
        if status == TandemStatus.COMPLETED:
            started -= datetime.timedelta(days=200)
        tandems.append(
            Tandem(
                organisation=organisation,
                programme=programme,
                mentee=enrolments[2 * i],
                mentor=enrolments[2 * i + 1],
                site=site,
                coordinator=user,
                status=status,
                started_on=None if status == TandemStatus.FORMING else started,
                planned_end_on=None if status == TandemStatus.FORMING else add_months(started, 6),
                ended_on=add_months(started, 6) if status == TandemStatus.COMPLETED else None,
            )
        )
    tandems = Tandem.objects.bulk_create(tandems, batch_size=2000)
    rows, last = [], {}
    for tandem in tandems:
        if tandem.started_on is None:
            continue
        # A meeting a week from the start; one tandem in five stopped a month ago.
        stop = today - datetime.timedelta(days=30 if rng.random() < 0.2 else 0)
        for n in range(meetings):
            day = tandem.started_on + datetime.timedelta(days=7 * n)
            if day > stop:
                break
            rows.append(
                Meeting(
                    organisation=organisation,
                    tandem=tandem,
                    site_id=tandem.site_id,
                    programme_id=tandem.programme_id,
                    held_on=day,
                    duration_minutes=60,
                    mode="in_person",
                    topics=["cv"],
                )
            )
            last[tandem.pk] = day
        if len(rows) >= 50_000:
            Meeting.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Meeting.objects.bulk_create(rows, batch_size=5000)
    for tandem in tandems:
        tandem.last_meeting_on = last.get(tandem.pk)
    Tandem.objects.bulk_update(tandems, ["last_meeting_on"], batch_size=2000)
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: the planner gets the row counts.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return user, tandems[0]


def _time(call, rounds: int) -> float:
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(count: int, meetings: int, rounds: int) -> None:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from lotse.tandems import agreement
    from lotse.tandems.models import Meeting, Tandem

    started = time.perf_counter()
    with scopes_disabled():
        user, tandem = build(count, meetings)
        total = Meeting.objects.count()
    built = time.perf_counter() - started
    print(f"  built {count:,} tandems with {total:,} meetings in {built:.0f} s")
    client = Client()
    client.force_login(user)

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    listing = reverse("tandems:tandem_list")
    with scope(organisation=tandem.organisation_id):
        overdue = Tandem.objects.overdue(timezone.localdate()).count()
    for label, url in (
        ("tandem list, running, page 1", listing),
        (f"tandem list, overdue only ({overdue:,})", f"{listing}?overdue=on"),
        ("tandem list, page 100", f"{listing}?page=100"),
        ("a tandem's page", reverse("tandems:tandem_detail", args=[tandem.pk])),
        ("overview with my tasks", reverse("core:dashboard")),
    ):
        print(f"  {label:<40} {_time(lambda url=url: get(url), rounds):7.0f} ms")
    with scope(organisation=tandem.organisation_id):
        filled = agreement.fill(Tandem.objects.get(pk=tandem.pk), "de")
        pdf = _time(lambda: agreement.render_pdf(filled), rounds)
    print(f"  {'agreement PDF (Typst)':<40} {pdf:7.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tandems", type=int, default=20_000)
    parser.add_argument("--meetings", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        pg_name = bench_pool.configure(args, data_dir)
        import django

        django.setup()
        try:
            print("PostgreSQL:" if args.postgres else "SQLite:")
            measure(args.tandems, args.meetings, args.rounds)
        finally:
            bench_pool.drop(pg_name)


if __name__ == "__main__":
    main()
