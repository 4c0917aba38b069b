"""Pool list over 100,000 people (DESIGN.md: <= 100 ms per page, server side).

Builds a fresh database (SQLite file, or PostgreSQL with --postgres), fills it
with 100,000 people with languages, roles, volunteer profiles and availability,
then requests the pool list through the full Django stack (middleware, scoping,
template) with three filters and a name search, and prints the time per page.

    .venv/bin/python benchmarks/bench_pool.py [--people 100000] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

PG_URL = "postgres://postgres@127.0.0.1:5432/"


def configure(args: argparse.Namespace, data_dir: str) -> str:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "lotse.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "LOTSE_DATA_DIR": data_dir,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "EMAIL_URL": "dummy://",
        }
    )
    if args.postgres:
        name = f"lotse_bench_{os.getpid()}"
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"],
            check=True,
        )
        os.environ["DATABASE_URL"] = PG_URL + name
        return name
    os.environ.pop("DATABASE_URL", None)
    return ""


def drop(pg_name: str) -> None:
    """Remove the benchmark's PostgreSQL database (SQLite lives in a temp dir)."""
    if not pg_name:
        return
    from django.db import connections

    connections.close_all()
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE {pg_name}"],
        check=False,
    )


def build(count: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from lotse.accounts.models import Membership, User
    from lotse.accounts.roles import Role
    from lotse.core import geo
    from lotse.core.models import Organisation, Site
    from lotse.people.models import (
        Availability,
        Industry,
        Person,
        PersonLanguage,
        PersonRole,
        PoolRole,
        Status,
        VolunteerProfile,
    )

    call_command("migrate", verbosity=0)
    rng = random.Random(7)  # noqa: S311 - benchmark data
    given = ["Amira", "Olena", "Reza", "Elif", "Jürgen", "Maryam", "Dmytro", "Semhar", "Mehmet"]
    family = ["Haddad", "Shevchenko", "Karimi", "Yılmaz", "Müller", "Rahimi", "Bondarenko"]
    languages = ["ara", "ukr", "fas", "tur", "deu", "eng", "prs", "rus"]
    levels = ["A1", "A2", "B1", "B2", "C1", "native"]
    slots = [code for code, _label, _bit in Availability.slots()]
    with scopes_disabled():
        organisation = Organisation.objects.create(name="Bench", slug="bench")
        sites = [Site.objects.create(organisation=organisation, name=f"Site {i}") for i in range(5)]
        user = User.objects.create(
            email="bench@example.org", full_name="Bench", password=make_password("x")
        )
        Membership.objects.create(
            organisation=organisation, user=user, role=Role.COORDINATOR, all_sites=True
        )
        industries = list(Industry.objects.all())
        towns = {
            town: geo.find_place(town)
            for town in ["Bruchsal", "Bretten", "Ettlingen", "Philippsburg", "Heidelberg"]
        }
        batch = 5000
        for start in range(0, count, batch):
            people = [
                Person(
                    organisation=organisation,
                    site=rng.choice(sites),
                    given_name=rng.choice(given),
                    family_name=f"{rng.choice(family)}{i}",
                    municipality=(town := rng.choice(list(towns))),
                    latitude=towns[town].latitude,
                    longitude=towns[town].longitude,
                    country_of_origin=rng.choice(["SY", "UA", "AF", "TR", "IR", "ER", ""]),
                    availability=Availability.mask(rng.sample(slots, 4)),
                )
                for i in range(start, min(start + batch, count))
            ]
            for person in people:
                person.refresh_search_text()  # bulk_create does not call save()
            people = Person.objects.bulk_create(people)
            PersonLanguage.objects.bulk_create(
                PersonLanguage(person=p, language=lang, level=rng.choice(levels))
                for p in people
                for lang in rng.sample(languages, 2)
            )
            roles = []
            volunteers = []
            for p in people:
                role = PoolRole.VOLUNTEER if rng.random() < 0.35 else PoolRole.PARTICIPANT
                status = rng.choice(list(Status))
                roles.append(
                    PersonRole(organisation=organisation, person=p, role=role, status=status)
                )
                if role == PoolRole.VOLUNTEER:
                    volunteers.append(VolunteerProfile(person=p))
            PersonRole.objects.bulk_create(roles)
            profiles = VolunteerProfile.objects.bulk_create(volunteers)
            through = VolunteerProfile.industries.through
            through.objects.bulk_create(
                through(volunteerprofile_id=v.pk, industry_id=rng.choice(industries).pk)
                for v in profiles
            )
    # Planner statistics, as autovacuum (PostgreSQL) or `lotse dbshell` ANALYZE
    # would keep them on a database in use; a bulk load leaves none.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(rounds: int, show_queries: bool = False) -> None:
    from django.test import Client
    from django_scopes import scopes_disabled

    from lotse.accounts.models import User
    from lotse.people.models import Industry

    client = Client()
    with scopes_disabled():
        client.force_login(User.objects.get(email="bench@example.org"))
        c_and_f = [str(i.pk) for i in Industry.objects.filter(code__in=["C", "F"])]
    cases = {
        "no filter, first page": {},
        "3 filters + name search": {
            "role": "volunteer",
            "status": "active",
            "language": "ara",
            "level": "B1",
            "available": "tue-eve",
            "industries": c_and_f,
            "q": "Karimi",
        },
        "3 filters, page 5": {
            "role": "volunteer",
            "language": "ara",
            "level": "B1",
            "available": "tue-eve",
            "page": "5",
        },
        "name search only": {"q": "Haddad12"},
        "issue example, 15 km": {
            # active mentors with industry C or F, speaking Arabic at B1+,
            # available Tuesday evening, within 15 km of Bruchsal
            "role": "volunteer",
            "status": "active",
            "language": "ara",
            "level": "B1",
            "available": "tue-eve",
            "industries": c_and_f,
            "near": "Bruchsal",
            "radius": "15",
        },
        "volunteers page, 3 filters": {
            "path": "/people/volunteers/",
            "language": "ara",
            "level": "B1",
            "available": "tue-eve",
        },
    }
    for label, params in cases.items():
        params = dict(params)
        url = params.pop("path", "/people/") + "?" + urlencode(params, doseq=True)
        client.get(url)  # warm the caches once
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        if show_queries:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                client.get(url)
                total = time.perf_counter() - start
            spent = sum(float(q["time"]) for q in queries.captured_queries)
            print(f"  {label}: {total * 1000:.0f} ms, of which SQL {spent * 1000:.0f} ms")
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]:
                print(f"    {float(query['time']) * 1000:6.1f} ms  {query['sql'][:160]}")
        count = re.search(r'id="person-count">([\d.,]+)', response.content.decode()).group(1)
        print(
            f"  {label:<26} {count:>7} hits   median {statistics.median(times) * 1000:6.1f} ms"
            f"   max {max(times) * 1000:6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--queries", action="store_true", help="show the slowest queries")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    with tempfile.TemporaryDirectory() as data_dir:
        pg_name = configure(args, data_dir)
        import django

        django.setup()
        try:
            started = time.perf_counter()
            build(args.people)
            engine = "PostgreSQL" if args.postgres else "SQLite"
            print(
                f"{engine}: {args.people:,} people built in {time.perf_counter() - started:.0f} s;"
                " pool list through the full stack (target <= 100 ms):"
            )
            measure(args.rounds, show_queries=args.queries)
        finally:
            drop(pg_name)


if __name__ == "__main__":
    main()
