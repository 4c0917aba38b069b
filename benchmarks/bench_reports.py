"""The reports over 100,000 people and 1,000,000 meetings (DESIGN.md: the KPI
dashboard <= 1 s): 20,000 tandems with weekly meetings (bench_tandems'
build), 60,000 more people in the pool and the programme, 5,000 cases, and
meetings of the years before up to 1,000,000; then the dashboard for a year,
a quarter and a month (all key figures for the period and the one before),
one programme at one site, the trend charts that follow (htmx), the key figures as XLSX,
and the anonymised statistics, each through the full Django stack.

    .venv/bin/python benchmarks/bench_reports.py [--postgres] [--rounds 5] [--figures]

`--figures` also lists the figures that cost most on the filtered dashboard
(the first figure to need rows that several share pays for reading them).
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
import bench_tandems

PEOPLE = 100_000
MEETINGS = 1_000_000


def grow(user, tandems: int, seed: int = 11) -> None:
    """More people, roles and enrolments up to PEOPLE, and cases."""
    from django.db import connection

    from lotse.cases.models import Case, CaseStatus
    from lotse.people.models import Gender, Person, PersonRole, PoolRole, Status
    from lotse.programmes import services as programmes
    from lotse.programmes.models import Enrolment, Programme
    from lotse.tandems.models import Meeting, Tandem

    rng = random.Random(seed)  # noqa: S311 - benchmark data
    organisation = user.membership.organisation
    site = user.membership.visible_sites[0]
    mentoring = Programme.objects.get(organisation=organisation)
    user.membership.role = "administrator"
    coaching = programmes.create_programme(
        actor=user, organisation=organisation, name="Coaching", kind="case_management"
    )
    user.membership.role = "coordinator"
    countries = ["SY", "UA", "AF", "TR", "ER", "IQ", "IR", "DE", "RO", "PL"]
    towns = ["Bretten", "Bruchsal", "Ettlingen", "Bühl", "Rastatt"]
    extra = PEOPLE - 2 * tandems
    people = Person.objects.bulk_create(
        (
            Person(
                organisation=organisation,
                site=site,
                given_name=f"Q{i}",
                family_name="Bench",
                gender=rng.choice(Gender.values),
                birth_date=datetime.date(rng.randint(1960, 2006), rng.randint(1, 12), 1),
                country_of_origin=rng.choice(countries),
                municipality=rng.choice(towns),
            )
            for i in range(extra)
        ),
        batch_size=5000,
    )
    everyone = list(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))
    PersonRole.objects.bulk_create(
        (
            PersonRole(
                organisation=organisation,
                person_id=pk,
                role=PoolRole.PARTICIPANT if i % 3 else PoolRole.VOLUNTEER,
                status=Status.ACTIVE,
            )
            for i, pk in enumerate(everyone)
        ),
        batch_size=5000,
    )
    step = mentoring.steps.first()
    Enrolment.objects.bulk_create(
        (
            Enrolment(
                organisation=organisation,
                programme=mentoring,
                person=person,
                role="mentee" if i % 3 else "mentor",
                step=step,
            )
            for i, person in enumerate(people)
        ),
        batch_size=5000,
    )
    today = datetime.date.today()
    cases = []
    for i, person in enumerate(people[:5000]):
        opened = today - datetime.timedelta(days=rng.randint(0, 700))
        closed = opened + datetime.timedelta(days=200) if i % 2 else None
        if closed and closed > today:
            closed = None
        cases.append(
            Case(
                organisation=organisation,
                client=person,
                programme=coaching,
                site=site,
                caseworker=user,
                status=CaseStatus.CLOSED if closed else CaseStatus.ACTIVE,
                opened_on=opened,
                closed_on=closed,
                outcome=rng.choice(["employment", "none", "apprenticeship"]) if closed else "",
            )
        )
    Case.objects.bulk_create(cases, batch_size=5000)
    # Meetings of the years before, up to a million in all.
    tandem_sites = list(
        Tandem.objects.filter(organisation=organisation).values_list(
            "pk", "site_id", "programme_id"
        )
    )
    missing = MEETINGS - Meeting.objects.filter(organisation=organisation).count()
    while missing > 0:
        batch = min(missing, 50_000)
        Meeting.objects.bulk_create(
            (
                Meeting(
                    organisation=organisation,
                    tandem_id=tandem_id,
                    site_id=site_id,
                    programme_id=programme_id,
                    held_on=today - datetime.timedelta(days=rng.randint(0, 3 * 365)),
                    duration_minutes=rng.choice((45, 60, 90)),
                    mode="in_person",
                )
                for tandem_id, site_id, programme_id in rng.choices(tandem_sites, k=batch)
            ),
            batch_size=5000,
        )
        missing -= batch
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: the planner's statistics,
        # and the visibility map that lets counts read the indexes alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _time(client, url: str, rounds: int) -> tuple[float, float]:
    # The trend charts are asked for by htmx once the dashboard is shown.
    headers = {"HTTP_HX_REQUEST": "true"} if "/trends/" in url else {}
    client.get(url, **headers)  # warm up
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times)


def measure(rounds: int, show_figures: bool = False) -> None:
    from django.db import connection
    from django.test import Client
    from django_scopes import scopes_disabled

    from lotse.core.models import Site
    from lotse.programmes.models import Programme
    from lotse.tandems.models import Meeting

    started = time.perf_counter()
    with scopes_disabled():
        user, _tandem = bench_tandems.build(20_000, 50)
        grow(user, 20_000)
        from lotse.people.models import Person

        people, meetings = Person.objects.count(), Meeting.objects.count()
        programme = Programme.objects.get(name="Tandems").pk
        site = Site.objects.first().pk
    print(
        f"{connection.vendor}: {people:,} people, {meetings:,} meetings,"
        f" built in {time.perf_counter() - started:.0f} s"
    )
    client = Client()
    client.force_login(user)
    year = datetime.date.today().year
    cases = {
        "dashboard, a year": f"/reports/?kind=year&year={year}",
        "dashboard, a quarter": f"/reports/?kind=quarter&year={year}&quarter=2",
        "dashboard, a month": f"/reports/?kind=month&year={year}&month=3",
        "dashboard, programme + site": (
            f"/reports/?kind=year&year={year}&programme={programme}&site={site}"
        ),
        "its trend charts, a year": f"/reports/trends/?kind=year&year={year}",
        "its trend charts, a month": f"/reports/trends/?kind=month&year={year}&month=3",
        "its trend charts, prog. + site": (
            f"/reports/trends/?kind=year&year={year}&programme={programme}&site={site}"
        ),
        "key figures as XLSX": f"/reports/figures.xlsx?kind=year&year={year}",
        "anonymised statistics": f"/reports/statistics/?kind=year&year={year}",
    }
    print("  (target: dashboard <= 1 s)")
    for label, url in cases.items():
        median, worst = _time(client, url, rounds)
        print(f"  {label:<30} median {median * 1000:7.0f} ms   max {worst * 1000:7.0f} ms")
    annual_report(user, year, rounds)
    if show_figures:
        costliest(user, year, programme, site)


def costliest(user, year: int, programme: int, site: int) -> None:
    """Each figure's time on the dashboard of one programme at one site: the
    year, the year before and the trend's years, as the page asks for them."""
    from django_scopes import scopes_disabled

    from lotse.core.kpis import Scope, sharing
    from lotse.reports import registry
    from lotse.reports.periods import Period

    period = Period.year(year)
    scope = Scope(
        organisation_id=user.membership.organisation_id,
        start=period.start,
        end=period.end,
        programme_id=programme,
        site_ids=frozenset({site}),
    )
    spans = [period, period.previous(), *period.trend()]
    costs = {}
    with scopes_disabled(), sharing():
        for kpi in registry.kpis():
            started = time.perf_counter()
            for each in spans if kpi.trend else spans[:2]:
                registry.value(kpi, scope.moved(each.start, each.end))
            costs[kpi.code] = time.perf_counter() - started
    print(f"  figures, programme + site: {sum(costs.values()) * 1000:.0f} ms in all")
    for code, cost in sorted(costs.items(), key=lambda item: -item[1])[:12]:
        print(f"    {code:<34} {cost * 1000:7.1f} ms")


def annual_report(user, year: int, rounds: int) -> None:
    """The annual report of the year as PDF, written as in the background."""
    from django_scopes import scopes_disabled

    from lotse.reports import annual
    from lotse.reports.models import AnnualReport, ReportStatus

    times = []
    for _round in range(max(1, rounds // 2)):
        with scopes_disabled():
            report = AnnualReport.objects.create(
                organisation_id=user.membership.organisation_id,
                year=year,
                title=f"Jahresbericht {year}",
                foreword="Ein Jahr Mentoring.",
                created_by=user,
            )
        started = time.perf_counter()
        annual.generate(report.pk, report.organisation_id)
        times.append(time.perf_counter() - started)
        with scopes_disabled():
            report.refresh_from_db()
            assert report.status == ReportStatus.DONE, report.status
            size = report.pdf.size
    print(
        f"  annual report PDF ({size / 1024:.0f} KB)     median"
        f" {statistics.median(times) * 1000:7.0f} ms   max {max(times) * 1000:7.0f} ms"
        "   (target <= 10 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--figures", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        pg_name = bench_pool.configure(args, data_dir)
        import django

        django.setup()
        try:
            measure(args.rounds, args.figures)
        finally:
            bench_pool.drop(pg_name)


if __name__ == "__main__":
    main()
