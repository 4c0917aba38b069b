"""Demo people for the demo office: names from many origins, some in their own
script, with languages, roles and a status history. Deterministic (seeded)."""

from __future__ import annotations

import datetime
import random

from anyascii import anyascii

from lotse.accounts.models import Membership
from lotse.accounts.roles import Role
from lotse.core import geo
from lotse.core.models import Organisation, Site

from .models import Gender, Person, PersonLanguage, PersonRole, PoolRole, Status, StatusChange

NAMES = [
    # (given, family, gender, country, mother tongue)
    ("Amira", "Haddad", Gender.FEMALE, "SY", "ara"),
    ("أحمد", "الخطيب", Gender.MALE, "SY", "ara"),
    ("Mahmoud", "Al-Hassan", Gender.MALE, "IQ", "ara"),
    ("Olena", "Shevchenko", Gender.FEMALE, "UA", "ukr"),
    ("Оксана", "Мельник", Gender.FEMALE, "UA", "ukr"),
    ("Dmytro", "Bondarenko", Gender.MALE, "UA", "ukr"),
    ("Zahra", "Ahmadi", Gender.FEMALE, "AF", "prs"),
    ("فریبا", "رضایی", Gender.FEMALE, "IR", "fas"),
    ("Reza", "Karimi", Gender.MALE, "IR", "fas"),
    ("Elif", "Yılmaz", Gender.FEMALE, "TR", "tur"),
    ("Mehmet", "Öztürk", Gender.MALE, "TR", "tur"),
    ("Berivan", "Demir", Gender.FEMALE, "TR", "kmr"),
    ("Semhar", "Tesfay", Gender.FEMALE, "ER", "tir"),
    ("Abdi", "Warsame", Gender.MALE, "SO", "som"),
    ("Ngozi", "Okafor", Gender.FEMALE, "NG", "eng"),
    ("Yusuf", "Rahimi", Gender.MALE, "AF", "pus"),
    ("Mariam", "Sultani", Gender.FEMALE, "AF", "prs"),
    ("Hanna", "Kovalenko", Gender.FEMALE, "UA", "ukr"),
]
VOLUNTEERS = [
    ("Jürgen", "Müller", Gender.MALE),
    ("Gisela", "Schäfer", Gender.FEMALE),
    ("Björn", "Weißmann", Gender.MALE),
    ("Ayşe", "Kaya", Gender.FEMALE),
    ("Thomas", "Becker", Gender.MALE),
    ("Sabine", "Krüger", Gender.FEMALE),
    ("Karim", "Benali", Gender.MALE),
    ("Ursula", "Hoffmann", Gender.FEMALE),
]
# Real towns, so that distances and the "lives near" filter have something to
# measure: the district around Bruchsal.
TOWNS = {
    "Lindenau": ["Bruchsal", "Bretten", "Ubstadt-Weiher", "Kraichtal", "Östringen"],
    "Birkenbach": ["Philippsburg", "Waghäusel", "Graben-Neudorf", "Karlsruhe", "Hambrücken"],
}


def _located(person: Person, coordinates: dict) -> Person:
    """The person with the coordinates of their town (looked up once per town)."""
    if person.municipality not in coordinates:
        place = geo.find_place(person.municipality)
        coordinates[person.municipality] = (place.latitude, place.longitude) if place else None
    if coordinates[person.municipality]:
        person.latitude, person.longitude = coordinates[person.municipality]
    return person


def extend_demo(organisation: Organisation) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security  # nosec B311
    # The pool lives at the demo's own two sites; other apps' demos may add more.
    sites = list(
        Site.objects.filter(organisation=organisation, municipality__in=TOWNS).order_by("pk")
    )
    coordinator = (
        Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR)
        .order_by("pk")
        .first()
    )
    actor = coordinator.user if coordinator else None
    people = []
    coordinates: dict = {}
    for index, (given, family, gender, country, mother_tongue) in enumerate(NAMES):
        people.append(
            (given, family, gender, country, mother_tongue, PoolRole.PARTICIPANT, sites[index % 2])
        )
    for index, (given, family, gender) in enumerate(VOLUNTEERS):
        people.append((given, family, gender, "DE", "deu", PoolRole.VOLUNTEER, sites[index % 2]))
    for given, family, gender, country, mother_tongue, role, site in people:
        latin = anyascii(f"{given} {family}")
        email_name = f"{anyascii(given)}.{anyascii(family)}".lower().replace(" ", "")
        born = datetime.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
        person = Person(
            organisation=organisation,
            site=site,
            given_name=given,
            family_name=family,
            latin_name=latin if latin != f"{given} {family}" else "",
            gender=gender,
            birth_date=born,
            email=f"{email_name}@example.org",
            municipality=rng.choice(TOWNS[site.municipality]),
            country_of_origin=country,
            contact_language=mother_tongue if role == PoolRole.PARTICIPANT else "deu",
        )
        _located(person, coordinates).save()
        PersonLanguage.objects.create(person=person, language=mother_tongue, level="native")
        if mother_tongue != "deu":
            PersonLanguage.objects.create(
                person=person, language="deu", level=rng.choice(["A1", "A2", "B1", "B2"])
            )
        path = [Status.INTERESTED, Status.ONBOARDING, Status.ACTIVE, Status.PAUSED, Status.ALUMNI]
        steps = path[: rng.randint(1, len(path))]
        person_role = PersonRole.objects.create(
            organisation=organisation, person=person, role=role, status=steps[-1]
        )
        previous = ""
        for status in steps:
            StatusChange.objects.create(
                organisation=organisation,
                person_role=person_role,
                from_status=previous,
                to_status=status,
                changed_by=actor,
            )
            previous = status
    _generate_pool(organisation, sites, actor, rng)


# Further demo people, combined from these names, so that the pool has the size
# of a real programme (~300 mentees, ~150 mentors).
ORIGINS = [
    # (country, mother tongue, female names, male names, family names)
    (
        "SY",
        "ara",
        ["Amal", "Fatima", "Huda", "Layla", "Nour", "Rania", "Salma", "Yasmin"],
        ["Ahmad", "Ali", "Hassan", "Karim", "Omar", "Samer", "Tarek", "Yousef"],
        ["Khalil", "Mansour", "Nasser", "Saleh", "Darwish", "Hamdan", "Aziz", "Othman"],
    ),
    (
        "UA",
        "ukr",
        ["Iryna", "Kateryna", "Natalia", "Svitlana", "Tetiana", "Yulia"],
        ["Andrii", "Bohdan", "Oleh", "Serhii", "Taras", "Vasyl"],
        ["Melnyk", "Tkachenko", "Kravchenko", "Bondar", "Lysenko", "Moroz"],
    ),
    (
        "AF",
        "prs",
        ["Farida", "Mina", "Parwana", "Shabnam", "Zarmina"],
        ["Habib", "Jawad", "Mustafa", "Sayed", "Wahid"],
        ["Hakimi", "Noori", "Popal", "Sadat", "Wardak"],
    ),
    (
        "TR",
        "tur",
        ["Emine", "Fatma", "Zeynep", "Hatice"],
        ["Emre", "Hakan", "Murat", "Serkan"],
        ["Çelik", "Şahin", "Yıldız", "Aydın"],
    ),
    (
        "ER",
        "tir",
        ["Helen", "Senait", "Saba"],
        ["Dawit", "Yonas", "Filmon"],
        ["Haile", "Gebremedhin", "Tekle"],
    ),
    (
        "IR",
        "fas",
        ["Maryam", "Shirin", "Leila"],
        ["Arash", "Babak", "Navid"],
        ["Hosseini", "Mohammadi", "Jafari"],
    ),
    (
        "IQ",
        "ara",
        ["Zainab", "Noor", "Hiba"],
        ["Mustafa", "Haider", "Ammar"],
        ["Al-Jaburi", "Al-Obaidi", "Kadhim"],
    ),
]
VOLUNTEER_NAMES = (
    [
        "Anna",
        "Birgit",
        "Claudia",
        "Doris",
        "Eva",
        "Heike",
        "Ingrid",
        "Karin",
        "Monika",
        "Petra",
        "Susanne",
        "Ulrike",
    ],
    [
        "Andreas",
        "Bernd",
        "Frank",
        "Günter",
        "Hans",
        "Klaus",
        "Michael",
        "Peter",
        "Stefan",
        "Wolfgang",
        "Dieter",
        "Markus",
    ],
    [
        "Bauer",
        "Fischer",
        "Hartmann",
        "Koch",
        "Lange",
        "Meyer",
        "Richter",
        "Schmidt",
        "Schneider",
        "Schulz",
        "Wagner",
        "Weber",
        "Wolf",
        "Zimmermann",
    ],
)
GENERATED_PARTICIPANTS = 300 - len(NAMES)
GENERATED_VOLUNTEERS = 150 - len(VOLUNTEERS)


def _generate_pool(organisation, sites, actor, rng: random.Random) -> None:
    from .models import (
        Availability,
        Industry,
        Need,
        OccupationArea,
        ParticipantProfile,
        VolunteerProfile,
        WorkExperience,
    )

    needs = list(Need.objects.filter(organisation=organisation))
    areas = list(OccupationArea.objects.all())
    industries = list(Industry.objects.exclude(code__in=["T", "U", "B"]))
    slots = [code for code, _label, _bit in Availability.slots()]
    today = datetime.date(2026, 12, 1)
    specs = []
    for index in range(GENERATED_PARTICIPANTS):
        country, tongue, women, men, families = ORIGINS[index % len(ORIGINS)]
        gender = Gender.FEMALE if rng.random() < 0.55 else Gender.MALE
        given = rng.choice(women if gender == Gender.FEMALE else men)
        specs.append((given, rng.choice(families), gender, country, tongue, PoolRole.PARTICIPANT))
    for _index in range(GENERATED_VOLUNTEERS):
        gender = Gender.FEMALE if rng.random() < 0.5 else Gender.MALE
        women, men, families = VOLUNTEER_NAMES
        given = rng.choice(women if gender == Gender.FEMALE else men)
        specs.append((given, rng.choice(families), gender, "DE", "deu", PoolRole.VOLUNTEER))
    people = []
    coordinates: dict = {}
    for given, family, gender, country, tongue, role in specs:
        site = sites[rng.randrange(len(sites))]
        person = Person(
            organisation=organisation,
            site=site,
            given_name=given,
            family_name=family,
            gender=gender,
            birth_date=datetime.date(
                rng.randint(1958, 2005), rng.randint(1, 12), rng.randint(1, 28)
            ),
            municipality=rng.choice(TOWNS[site.municipality]),
            country_of_origin=country,
            contact_language=tongue if role == PoolRole.PARTICIPANT else "deu",
            availability=Availability.mask(rng.sample(slots, rng.randint(3, 8))),
        )
        person.refresh_search_text()
        people.append((_located(person, coordinates), tongue, role))
    Person.objects.bulk_create([person for person, _tongue, _role in people])
    languages, roles = [], []
    for person, tongue, role in people:
        languages.append(PersonLanguage(person=person, language=tongue, level="native"))
        if tongue != "deu":
            level = rng.choice(["A1", "A2", "A2", "B1", "B1", "B2"])
            languages.append(PersonLanguage(person=person, language="deu", level=level))
        if tongue == "deu" and rng.random() < 0.25:
            extra = rng.choice(["ara", "ukr", "tur", "fas", "rus"])
            languages.append(PersonLanguage(person=person, language=extra, level="B1"))
        if rng.random() < 0.6:
            languages.append(PersonLanguage(person=person, language="eng", level="B2"))
        status = rng.choice([Status.ACTIVE] * 6 + [Status.ONBOARDING] * 2 + [Status.INTERESTED])
        roles.append(PersonRole(organisation=organisation, person=person, role=role, status=status))
    PersonLanguage.objects.bulk_create(languages, ignore_conflicts=True)
    PersonRole.objects.bulk_create(roles)
    StatusChange.objects.bulk_create(
        StatusChange(
            organisation=organisation,
            person_role=person_role,
            from_status="",
            to_status=person_role.status,
            changed_by=actor,
        )
        for person_role in roles
    )
    for person, _tongue, role in people:
        if role == PoolRole.PARTICIPANT:
            profile = ParticipantProfile.objects.create(
                person=person,
                mentor_gender="female"
                if person.gender == Gender.FEMALE and rng.random() < 0.2
                else "",
            )
            if profile.mentor_gender and rng.random() < 0.5:
                profile.mentor_gender_required = True
                profile.save(update_fields=["mentor_gender_required"])
            profile.needs.set(rng.sample(needs, rng.randint(1, 3)))
            profile.target_areas.set(rng.sample(areas, rng.randint(1, 2)))
            profile.target_industries.set(rng.sample(industries, rng.randint(0, 2)))
        else:
            cleared = (
                today - datetime.timedelta(days=rng.randint(30, 2200))
                if rng.random() < 0.85
                else None
            )
            profile = VolunteerProfile.objects.create(
                person=person,
                capacity=rng.choice([1] * 7 + [2] * 2 + [3]),
                police_clearance_on=cleared,
            )
            profile.industries.set(rng.sample(industries, rng.randint(1, 2)))
            profile.occupation_areas.set(rng.sample(areas, rng.randint(1, 2)))
            profile.strengths.set(rng.sample(needs, rng.randint(2, 4)))
            WorkExperience.objects.create(
                person=person,
                occupation_area=profile.occupation_areas.first(),
                industry=profile.industries.first(),
                years=rng.randint(3, 35),
            )
