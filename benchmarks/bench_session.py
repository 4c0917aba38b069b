"""A matching session through Django: people, profiles and enrolments in a
database, the session opened, scored and solved by the services, the session
page rendered. Complements bench_matching.py (the engine on arrays).

    .venv/bin/python benchmarks/bench_session.py [--sizes 500x200,4000x1500] [--postgres]
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import bench_pool  # same settings and database set-up


def build(mentees: int, mentors: int, seed: int):
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from lotse.accounts.models import Membership, User
    from lotse.accounts.roles import Role
    from lotse.core import geo
    from lotse.core.models import Organisation, Site
    from lotse.people.models import (
        Availability,
        Need,
        OccupationArea,
        ParticipantProfile,
        Person,
        PersonLanguage,
        PersonRole,
        PoolRole,
        Status,
        VolunteerProfile,
    )
    from lotse.programmes import services as programmes
    from lotse.programmes.models import Enrolment, EnrolmentRole, StepKind

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    organisation = Organisation.objects.create(name=f"Bench {seed}", slug=f"bench-{seed}")
    site = Site.objects.create(organisation=organisation, name="Kreishaus", municipality="Bruchsal")
    user = User.objects.create(
        email=f"bench{seed}@example.org", full_name="Bench", password=make_password("x")
    )
    membership = Membership.objects.create(
        organisation=organisation, user=user, role=Role.ADMINISTRATOR, all_sites=True
    )
    user.membership = membership
    programme = programmes.create_programme(
        actor=user, organisation=organisation, name="Tandems", kind="mentoring"
    )
    # A coordinator runs the session (administrators sign in with a second factor).
    membership.role = Role.COORDINATOR
    membership.save()
    pairing = programme.steps.get(kind=StepKind.PAIRING)
    towns = [geo.find_place(t) for t in ("Bruchsal", "Bretten", "Karlsruhe", "Philippsburg")]
    slots = [code for code, _label, _bit in Availability.slots()]
    areas = list(OccupationArea.objects.all())
    needs = list(Need.objects.filter(organisation=organisation))
    today = datetime.date.today()

    def people(count: int, role: str) -> list[Person]:
        rows = []
        for i in range(count):
            town = rng.choice(towns)
            person = Person(
                organisation=organisation,
                site=site,
                given_name=f"{role[:4]}{i}",
                family_name="Bench",
                gender=rng.choice(["female", "male"]),
                birth_date=datetime.date(rng.randint(1955, 2004), 1, 1),
                municipality=town.name,
                latitude=town.latitude,
                longitude=town.longitude,
                availability=Availability.mask(rng.sample(slots, rng.randint(2, 8))),
            )
            person.refresh_search_text()
            rows.append(person)
        rows = Person.objects.bulk_create(rows)
        PersonRole.objects.bulk_create(
            PersonRole(organisation=organisation, person=p, role=role, status=Status.ACTIVE)
            for p in rows
        )
        PersonLanguage.objects.bulk_create(
            [
                PersonLanguage(person=p, language="deu", level=rng.choice(["A2", "B1", "B2"]))
                for p in rows
            ]
            + [
                PersonLanguage(
                    person=p, language=rng.choice(["ara", "ukr", "fas", "tur"]), level="native"
                )
                for p in rows
            ]
        )
        return rows

    participants = people(mentees, PoolRole.PARTICIPANT)
    profiles = ParticipantProfile.objects.bulk_create(
        ParticipantProfile(person=p) for p in participants
    )
    for through, column, pool, many in (
        (ParticipantProfile.target_areas.through, "occupationarea_id", areas, 2),
        (ParticipantProfile.needs.through, "need_id", needs, 3),
    ):
        through.objects.bulk_create(
            through(participantprofile_id=profile.pk, **{column: item.pk})
            for profile in profiles
            for item in rng.sample(pool, many)
        )
    volunteers = people(mentors, PoolRole.VOLUNTEER)
    cards = VolunteerProfile.objects.bulk_create(
        VolunteerProfile(
            person=p,
            capacity=rng.randint(1, 3),
            police_clearance_on=today - datetime.timedelta(days=100),
            training_completed_on=today - datetime.timedelta(days=50),
        )
        for p in volunteers
    )
    for through, column, pool, many in (
        (VolunteerProfile.occupation_areas.through, "occupationarea_id", areas, 2),
        (VolunteerProfile.strengths.through, "need_id", needs, 4),
    ):
        through.objects.bulk_create(
            through(volunteerprofile_id=card.pk, **{column: item.pk})
            for card in cards
            for item in rng.sample(pool, many)
        )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                organisation=organisation,
                programme=programme,
                person=p,
                role=EnrolmentRole.MENTEE,
                step=pairing,
            )
            for p in participants
        ]
        + [
            Enrolment(
                organisation=organisation,
                programme=programme,
                person=p,
                role=EnrolmentRole.MENTOR,
                step=pairing,
            )
            for p in volunteers
        ]
    )
    return user, programme


def measure(mentees: int, mentors: int, seed: int) -> None:
    from django.test import Client
    from django.urls import reverse
    from django_scopes import scope, scopes_disabled

    from lotse.matching import services

    with scopes_disabled():
        user, programme = build(mentees, mentors, seed)
    with scope(organisation=programme.organisation_id):
        started = time.perf_counter()
        session = services.open_session(actor=user, programme=programme)
        opened = time.perf_counter() - started
        # Measured in this process: no background thread for the big ones.
        services.RUN_IN_BACKGROUND_ABOVE = 10**12
        started = time.perf_counter()
        run = services.start_run(actor=user, session=session)
        solved = time.perf_counter() - started
        proposals = run.proposals.count()
    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    response = client.get(reverse("matching:session_detail", args=[session.pk]))
    page = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    print(
        f"  {mentees:>5} mentees × {mentors:>5} mentors: open {opened:5.2f} s, "
        f"run (read, score, solve, store {proposals:,} proposals) {solved:5.2f} s, "
        f"session page {page:5.2f} s ({len(response.content) / 1e6:.1f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500x200,4000x1500")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        pg_name = bench_pool.configure(args, data_dir)
        import django

        django.setup()
        try:
            print("PostgreSQL:" if args.postgres else "SQLite:")
            for seed, size in enumerate(args.sizes.split(",")):
                mentees, mentors = (int(part) for part in size.split("x"))
                measure(mentees, mentors, seed)
        finally:
            bench_pool.drop(pg_name)


if __name__ == "__main__":
    main()
