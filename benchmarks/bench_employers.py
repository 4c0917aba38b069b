"""Employer list with filters over the demo's 15,000 employers (DESIGN.md's
list target: <= 100 ms per page, server side).

Builds a fresh database (SQLite file, or PostgreSQL with --postgres), loads
the demo installation (15,000 employers of the district), then requests the
employer list through the full Django stack (middleware, scoping, template)
with filters and a search, and prints the time per page.

    .venv/bin/python benchmarks/bench_employers.py [--postgres] [--rounds 15]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from bench_pool import configure, drop


def measure(rounds: int) -> None:
    from django.test import Client
    from django_scopes import scopes_disabled

    from lotse.accounts.models import User
    from lotse.people.models import Industry

    client = Client()
    with scopes_disabled():
        client.force_login(User.objects.get(email="koordination@lindenau.example"))
        trade = str(Industry.objects.get(code="G").pk)
    cases = {
        "no filter, first page": {},
        "prospects, page 20": {"relationship": "prospect", "page": "20"},
        "industry + size + town": {
            "industry": trade,
            "size_class": "small",
            "municipality": "Bretten",
        },
        "search 'Bäckerei'": {"q": "Bäckerei"},
        "4 filters + search": {
            "q": "Müller",
            "relationship": "prospect",
            "industry": trade,
            "size_class": "micro",
        },
        "htmx fragment, 2 filters": {"relationship": "active", "municipality": "Bruchsal"},
    }
    for label, params in cases.items():
        url = "/employers/?" + urlencode(params)
        headers = {"HTTP_HX_REQUEST": "true"} if label.startswith("htmx") else {}
        client.get(url, **headers)  # warm the caches once
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            response = client.get(url, **headers)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        count = re.search(r'id="employer-count">([\d.,]+)', response.content.decode()).group(1)
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(
            f"  {label:<26} {count:>7} hits   median {statistics.median(times) * 1000:6.1f} ms"
            f"   p95 {p95 * 1000:6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    with tempfile.TemporaryDirectory() as data_dir:
        pg_name = configure(args, data_dir)
        import django

        django.setup()
        try:
            from django.core.management import call_command
            from django.db import connection

            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            call_command("demo", verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            engine = "PostgreSQL" if args.postgres else "SQLite"
            print(
                f"{engine}: demo with 15,000 employers built in"
                f" {time.perf_counter() - started:.0f} s;"
                " employer list through the full stack (target <= 100 ms):"
            )
            measure(args.rounds)
        finally:
            drop(pg_name)


if __name__ == "__main__":
    main()
