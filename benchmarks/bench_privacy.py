"""Retention at field scale: which people are due, the data protection
pages that show it, and the anonymisation of one person.

Builds the pool of bench_pool.py (100,000 people by default, SQLite file or
PostgreSQL with --postgres), dates a share of the interested people and the
withdrawn volunteers back beyond their retention period, then times
`retention.due`, the overview and retention pages through the full Django
stack (served pages: DESIGN.md p95 <= 300 ms) and `services.anonymise`.

    .venv/bin/python benchmarks/bench_privacy.py [--people 100000] [--postgres]
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_pool


def age(share: float) -> int:
    """Date `share` of the interested and withdrawn people back three years."""
    from django.db.models import Q
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from lotse.people.models import PersonRole, Status

    with scopes_disabled():
        ended = PersonRole.objects.filter(
            Q(status=Status.INTERESTED) | Q(status=Status.WITHDRAWN, role="volunteer")
        ).order_by("pk")
        ids = list(ended.values_list("pk", flat=True))
        chosen = ids[:: max(1, round(1 / share))]
        PersonRole.objects.filter(pk__in=chosen).update(
            since=timezone.now() - datetime.timedelta(days=3 * 365)
        )
    return len(chosen)


def timed(label: str, run, rounds: int) -> None:
    run()  # warm the caches once
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    print(
        f"  {label:<34} median {statistics.median(times) * 1000:7.1f} ms"
        f"   max {max(times) * 1000:7.1f} ms"
    )


def measure(rounds: int) -> None:
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scopes_disabled

    from lotse.accounts.models import Membership, User
    from lotse.accounts.roles import Role
    from lotse.core.models import Organisation
    from lotse.people.models import Person
    from lotse.privacy import retention, services

    with scopes_disabled():
        organisation = Organisation.objects.get(slug="bench")
        admin = User.objects.create(email="admin@example.org", full_name="Admin")
        Membership.objects.create(
            organisation=organisation, user=admin, role=Role.ADMINISTRATOR, all_sites=True
        )
        device = TOTPDevice.objects.create(user=admin, name="bench", confirmed=True)
        due = retention.due(organisation.pk)
        print(f"  {len(due):,} people due")
        timed("retention.due", lambda: retention.due(organisation.pk), rounds)

    client = Client()
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    for label, url in (
        ("overview page /privacy/", "/privacy/"),
        ("retention page", "/privacy/retention/"),
    ):

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        timed(label, get, rounds)

    with scopes_disabled():
        people = list(Person.objects.filter(pk__in=[entry.person.pk for entry in due[:rounds]]))
        times = []
        for person in people:
            start = time.perf_counter()
            services.anonymise(actor=admin, person=person, reason="retention")
            times.append(time.perf_counter() - start)
        if times:
            print(
                f"  {'anonymise one person':<34} median {statistics.median(times) * 1000:7.1f} ms"
                f"   max {max(times) * 1000:7.1f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--share", type=float, default=0.1, help="of the ended roles, dated back")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    with tempfile.TemporaryDirectory() as data_dir:
        pg_name = bench_pool.configure(args, data_dir)
        import django

        django.setup()
        try:
            started = time.perf_counter()
            bench_pool.build(args.people)
            aged = age(args.share)
            engine = "PostgreSQL" if args.postgres else "SQLite"
            print(
                f"{engine}: {args.people:,} people built in {time.perf_counter() - started:.0f} s,"
                f" {aged:,} ended roles dated back three years:"
            )
            measure(args.rounds)
        finally:
            bench_pool.drop(pg_name)


if __name__ == "__main__":
    main()
