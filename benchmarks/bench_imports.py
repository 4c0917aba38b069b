"""Import of a 10,000-row XLSX of people (DESIGN.md: <= 15 s, all-or-nothing)
through the same services as the wizard: reading and preview, then the import
in one transaction; and the same file again with "update" (nothing changes).
With `--kind employers`: employers with two contact persons each, one row per
contact person.

    .venv/bin/python benchmarks/bench_imports.py [--postgres] [--rows 10000]
        [--kind people|employers]
"""

from __future__ import annotations

import argparse
import datetime
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import bench_pool  # same settings and database set-up

GIVEN = ["Samira", "Olena", "Ahmad", "Mariam", "Yusuf", "Darya", "Tesfaye", "Ali", "Nour", "Ivan"]
FAMILY = ["Haddad", "Kowalenko", "Rahimi", "Tesfay", "Yilmaz", "Popescu", "Karimi", "Nasser"]
TOWNS = ["Karlsruhe", "Bruchsal", "Ettlingen", "Rastatt", "Bretten", "Pforzheim"]
LANGUAGES = [
    "Arabisch (Muttersprache), Deutsch (B1)",
    "Ukrainisch (Muttersprache); Deutsch A2",
    "Dari (Muttersprache), Englisch (B2), Deutsch (A2)",
    "Tigrinya (Muttersprache)",
]


def workbook(rows: int, seed: int = 5) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed)  # noqa: S311 - benchmark data
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Teilnehmende")
    sheet.append(["Teilnehmende 2026"])
    sheet.append(["Vorname", "Nachname", "Geburtsdatum", "E-Mail", "Telefon", "PLZ", "Wohnort",
                  "Herkunftsland", "Sprachen", "Rolle", "Bemerkung"])  # fmt: skip
    for n in range(rows):
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 15_000))
        sheet.append(
            [
                rng.choice(GIVEN),
                f"{rng.choice(FAMILY)}-{n}",
                born.strftime("%d.%m.%Y") if n % 2 else born,
                f"person{n}@example.org",
                f"0170 {1000000 + n}",
                76100 + n % 800,
                rng.choice(TOWNS),
                rng.choice(["Syrien", "Ukraine", "Afghanistan", "Eritrea", "Türkei"]),
                rng.choice(LANGUAGES),
                "Mentee" if n % 3 else "Mentor",
                "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def employer_workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Arbeitgeber")
    sheet.append(["Arbeitgeberliste"])
    sheet.append(["Firma", "Branche", "PLZ", "Ort", "Webseite", "Ansprechpartner", "Funktion",
                  "Telefon", "E-Mail"])  # fmt: skip
    for n in range(rows):
        firm = n // 2
        first = n % 2 == 0
        sheet.append(
            [
                f"Betrieb {firm}",
                "FCGQ"[firm % 4] if first else "",
                76100 + firm % 800 if first else "",
                TOWNS[firm % len(TOWNS)] if first else "",
                f"www.betrieb-{firm}.example" if first else "",
                f"{GIVEN[n % len(GIVEN)]} {FAMILY[n % len(FAMILY)]}",
                "Personal" if first else "Ausbildung",
                f"0721 {100000 + n}",
                f"kontakt{n}@betrieb-{firm}.example",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--kind", default="people", choices=["people", "employers"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        pg_name = bench_pool.configure(args, data_dir)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django_scopes import scopes_disabled

        from lotse.accounts.models import Membership, User
        from lotse.core.models import Organisation, Site
        from lotse.employers.models import Employer, EmployerContact
        from lotse.imports import services
        from lotse.people.models import Person

        try:
            call_command("migrate", verbosity=0)
            with scopes_disabled():
                organisation = Organisation.objects.create(name="Bench", slug="bench")
                site = Site.objects.create(organisation=organisation, name="Karlsruhe")
                user = User.objects.create_user(email="bench@example.org", full_name="Bench")
                user.membership = Membership.objects.create(
                    organisation=organisation, user=user, role="coordinator", all_sites=True
                )
                people = args.kind == "people"
                data = workbook(args.rows) if people else employer_workbook(args.rows)
                print(
                    f"{connection.vendor}: {args.rows:,} rows of {args.kind},"
                    f" {len(data) / 1e6:.1f} MB XLSX (target: <= 15 s)"
                )
                for label, on_duplicate in (("import", "skip"), ("again, update", "update")):
                    started = time.perf_counter()
                    run = services.start_import(
                        actor=user,
                        organisation=organisation,
                        site=site,
                        file_name=f"{args.kind}.xlsx",
                        data=data,
                        kind=args.kind,
                    )
                    run = services.set_columns(
                        actor=user,
                        run=run,
                        version=run.version,
                        header_row=run.header_row,
                        mapping=run.mapping,
                        role="",
                        status="interested" if people else "",
                        match_key="email" if people else "",
                        on_duplicate=on_duplicate,
                    )
                    read = time.perf_counter()
                    preview = services.preview(run, user.membership)
                    previewed = time.perf_counter()
                    assert not preview.errors, preview.errors[:3]
                    done = services.run_import(actor=user, run=run, version=run.version)
                    finished = time.perf_counter()
                    print(
                        f"  {label:14} {finished - started:6.1f} s in all: upload and columns"
                        f" {read - started:4.1f} s, preview {previewed - read:4.1f} s, import"
                        f" {finished - previewed:5.1f} s; {done.created:,} created,"
                        f" {done.updated:,} updated, {done.skipped:,} skipped"
                    )
                if people:
                    print(f"  people in the database: {Person.objects.count():,}")
                else:
                    print(
                        f"  employers in the database: {Employer.objects.count():,},"
                        f" contact persons: {EmployerContact.objects.count():,}"
                    )
        finally:
            bench_pool.drop(pg_name)


if __name__ == "__main__":
    main()
