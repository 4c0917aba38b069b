"""The demo district's employers: 15,000 businesses of the region (for
scale), most of them prospects at every stage of acquisition, some active
partners, dormant or not to be contacted; contact persons, a year of
acquisition with follow-ups due for the demo staff, 400 openings, and
placements of demo participants in every stage, contracts among them with
their probation follow-ups, some recorded, some due.

Written with bulk inserts, deterministic (seeded), dates relative to today.
Names, addresses, websites and e-mail domains (`.example`) are made up; phone
numbers come from the range kept for media productions (030 23125 000–999)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from lotse.accounts.models import Membership
from lotse.accounts.roles import EDIT_EMPLOYERS
from lotse.core import geo
from lotse.core.dates import add_months
from lotse.core.models import Organisation
from lotse.people.demo import TOWNS
from lotse.people.models import Industry, LanguageLevel, OccupationArea, Person, PoolRole

from .models import (
    Activity,
    ActivityKind,
    Channel,
    Employer,
    EmployerContact,
    FollowUp,
    FollowUpKind,
    FollowUpResult,
    Opening,
    OpeningKind,
    OpeningStatus,
    Placement,
    ProspectStage,
    Relationship,
    SizeClass,
    Stage,
    StageChange,
)

SEED = 7
EMPLOYERS = 15_000
OPENINGS = 400
# WZ 2008 sections and how common they are among the region's small businesses.
INDUSTRY_WEIGHTS = {
    "G": 18, "C": 12, "F": 12, "I": 9, "Q": 10, "N": 7, "H": 6, "M": 7, "S": 5,
    "J": 3, "K": 2, "L": 2, "A": 2, "P": 2, "O": 1, "R": 1, "E": 1,
}  # fmt: skip
TRADES = {
    "G": ["Einzelhandel", "Getränkemarkt", "Autohaus", "Baustoffhandel", "Supermarkt"],
    "C": ["Metallbau", "Bäckerei", "Schreinerei", "Druckerei", "Kunststofftechnik"],
    "F": ["Malerbetrieb", "Elektro", "Sanitär und Heizung", "Dachdeckerei", "Tiefbau"],
    "I": ["Gasthaus", "Hotel", "Café", "Pizzeria", "Kantine"],
    "Q": ["Pflegedienst", "Seniorenheim", "Arztpraxis", "Physiotherapie", "Kita"],
    "N": ["Gebäudereinigung", "Zeitarbeit", "Gartenpflege", "Sicherheitsdienst", "Hausmeister"],
    "H": ["Spedition", "Kurierdienst", "Logistik", "Taxi", "Umzüge"],
    "M": ["Steuerberatung", "Ingenieurbüro", "Architekturbüro", "Werbeagentur", "Labor"],
    "S": ["Friseursalon", "Schneiderei", "Kosmetik", "Reinigung", "Schuhmacher"],
    "J": ["IT-Service", "Softwarehaus", "Verlag", "Callcenter", "Medienagentur"],
    "K": ["Versicherungsbüro", "Finanzberatung", "Sparkasse", "Bausparkasse", "Makler"],
    "L": ["Hausverwaltung", "Immobilien", "Wohnungsbau", "Facility", "Vermietung"],
    "A": ["Gärtnerei", "Obsthof", "Weingut", "Baumschule", "Landwirtschaft"],
    "P": ["Fahrschule", "Sprachschule", "Nachhilfe", "Bildungswerk", "Musikschule"],
    "O": ["Gemeindeverwaltung", "Bauhof", "Zweckverband", "Stadtwerke", "Amt"],
    "R": ["Fitnessstudio", "Kino", "Freizeitbad", "Theater", "Sportverein"],
    "E": ["Entsorgung", "Recycling", "Wasserversorgung", "Containerdienst", "Kläranlage"],
}
FAMILY_NAMES = (
    "Müller", "Schmidt", "Yilmaz", "Krüger", "Becker", "Hoffmann", "Schäfer", "Koch", "Öztürk",
    "Wagner", "Nowak", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Kaya",
    "Braun", "Hofmann", "Hartmann", "Lange", "Werner", "Krause", "Popescu", "Lehmann", "Haddad",
)  # fmt: skip
FORMS = ("", "", " GmbH", " GmbH & Co. KG", " e. K.", " OHG", " KG")
SIZE_WEIGHTS = {SizeClass.MICRO: 55, SizeClass.SMALL: 30, SizeClass.MEDIUM: 12, SizeClass.LARGE: 3}
RELATIONSHIP_WEIGHTS = {
    Relationship.PROSPECT: 80,
    Relationship.ACTIVE: 10,
    Relationship.DORMANT: 7,
    Relationship.DO_NOT_CONTACT: 3,
}
STREETS = ("Haupt", "Bahnhof", "Industrie", "Garten", "Kirch", "Linden")
FUNCTIONS = ("Inhaberin", "Inhaber", "Personalleitung", "Ausbildungsleitung", "Geschäftsführung")
GIVEN_NAMES = ("Sabine", "Thomas", "Aylin", "Markus", "Petra", "Stefan", "Leyla", "Jan", "Olga")
TITLES = {
    OpeningKind.INTERNSHIP: "Praktikum",
    OpeningKind.ENTRY_QUALIFICATION: "Einstiegsqualifizierung",
    OpeningKind.APPRENTICESHIP: "Ausbildung",
    OpeningKind.FULL_TIME: "Mitarbeit in Vollzeit",
    OpeningKind.PART_TIME: "Mitarbeit in Teilzeit",
    OpeningKind.MINI_JOB: "Aushilfe auf Minijob-Basis",
}


def extend_demo(organisation: Organisation) -> None:
    rng = random.Random(SEED)  # noqa: S311 - demo data  # nosec B311
    today = timezone.localdate()
    staff = [
        m.user
        for m in Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("pk")
        if m.has_perm(EDIT_EMPLOYERS)
    ]
    if not staff:
        return
    employers = _employers(organisation, rng)
    contacts = _contacts(organisation, rng, employers)
    _activities(organisation, rng, employers, contacts, staff, today)
    openings = _openings(organisation, rng, employers, today)
    _placements(organisation, rng, openings, staff, today)


def _towns() -> list[tuple[str, str, tuple[float, float] | None]]:
    towns = []
    for index, name in enumerate(sorted({t for group in TOWNS.values() for t in group})):
        place = geo.find_place(name)
        towns.append((name, f"76{index:03d}", (place.latitude, place.longitude) if place else None))
    return towns


def _employers(organisation: Organisation, rng: random.Random) -> list[Employer]:
    industries = {industry.code: industry for industry in Industry.objects.all()}
    codes = [code for code in INDUSTRY_WEIGHTS if code in industries]
    weights = [INDUSTRY_WEIGHTS[code] for code in codes]
    towns = _towns()
    rows = []
    for n in range(EMPLOYERS):
        code = rng.choices(codes, weights)[0]
        trade = rng.choice(TRADES[code])
        family = rng.choice(FAMILY_NAMES)
        town, postcode, _point = rng.choice(towns)
        relationship = rng.choices(list(RELATIONSHIP_WEIGHTS), list(RELATIONSHIP_WEIGHTS.values()))[
            0
        ]
        rows.append(
            Employer(
                organisation=organisation,
                name=f"{trade} {family}{rng.choice(FORMS)}",
                industry=industries[code],
                size_class=rng.choices(list(SIZE_WEIGHTS), list(SIZE_WEIGHTS.values()))[0],
                street=f"{rng.choice(STREETS)}straße {n % 90 + 1}",
                postal_code=postcode,
                municipality=town,
                website=f"https://www.betrieb-{n + 1}.example" if n % 3 == 0 else "",
                relationship=relationship,
                stage=rng.choice(ProspectStage.values),
            )
        )
    return Employer.objects.bulk_create(rows, batch_size=2000)


def _contacts(
    organisation: Organisation, rng: random.Random, employers: list[Employer]
) -> dict[int, EmployerContact]:
    rows = []
    for employer in employers[:3000]:
        given, family = rng.choice(GIVEN_NAMES), employer.name.split(" ")[1]
        rows.append(
            EmployerContact(
                organisation=organisation,
                employer=employer,
                name=f"{given} {family}",
                function=rng.choice(FUNCTIONS),
                phone=f"030 23125 {rng.randrange(1000):03d}",
                email=f"{given.lower()}@betrieb-{employer.pk}.example",
                preferred_channel=rng.choice(Channel.values),
                newsletter_opt_out=rng.random() < 0.15,
            )
        )
    contacts = EmployerContact.objects.bulk_create(rows, batch_size=2000)
    return {contact.employer_id: contact for contact in contacts}


def _activities(organisation, rng, employers, contacts, staff, today) -> None:
    rows = []
    outreach = [k for k in ActivityKind.values if k != ActivityKind.PRESS]
    for employer in employers[:2500]:
        for _n in range(rng.randint(1, 3)):
            if employer.relationship == Relationship.DO_NOT_CONTACT:
                kind = ActivityKind.PRESS
            else:
                kind = rng.choice(outreach)
            day = today - datetime.timedelta(days=rng.randrange(1, 365))
            follow_up = None
            done = None
            if rng.random() < 0.3:
                follow_up = day + datetime.timedelta(days=rng.randrange(7, 60))
                if follow_up < today - datetime.timedelta(days=14):
                    done = follow_up
            rows.append(
                Activity(
                    organisation=organisation,
                    employer=employer,
                    kind=kind,
                    date=day,
                    staff=rng.choice(staff),
                    contact=contacts.get(employer.pk),
                    result=rng.choice(
                        (
                            "Interesse an Praktikumsplätzen, Rückruf erbeten.",
                            "Derzeit kein Bedarf, im Frühjahr wieder anfragen.",
                            "Infomaterial geschickt.",
                            "Termin für ein Gespräch vereinbart.",
                        )
                    ),
                    follow_up_on=follow_up,
                    follow_up_done_on=done,
                )
            )
    Activity.objects.bulk_create(rows, batch_size=2000)


def _openings(organisation, rng, employers, today) -> list[Opening]:
    areas = list(OccupationArea.objects.order_by("code"))
    partners = [e for e in employers if e.relationship == Relationship.ACTIVE] or employers
    towns = {name: point for name, _postcode, point in _towns()}
    levels = ["", LanguageLevel.A2, LanguageLevel.B1, LanguageLevel.B1, LanguageLevel.B2]
    rows = []
    for n in range(OPENINGS):
        employer = partners[n % len(partners)]
        kind = OpeningKind.values[n % len(OpeningKind.values)]
        area = rng.choice(areas)
        point = towns.get(employer.municipality)
        status = rng.choices(
            [OpeningStatus.OPEN, OpeningStatus.FILLED, OpeningStatus.CLOSED], [80, 12, 8]
        )[0]
        rows.append(
            Opening(
                organisation=organisation,
                employer=employer,
                kind=kind,
                title=f"{TITLES[kind]}: {area.name_de}",
                occupation_area=area,
                german_level=rng.choice(levels),
                languages=rng.choice(([], [], ["eng"], ["ara"], ["ukr", "rus"], ["tur"])),
                driving_licence=rng.random() < 0.15,
                place=employer.municipality,
                latitude=point[0] if point else None,
                longitude=point[1] if point else None,
                starts_on=today + datetime.timedelta(days=rng.randrange(0, 120)),
                hours_per_week=None if kind == OpeningKind.MINI_JOB else rng.choice((20, 30, 39)),
                childcare_compatible=rng.random() < 0.4,
                positions=rng.choice((1, 1, 1, 2, 3)),
                status=status,
            )
        )
    return Opening.objects.bulk_create(rows)


def _placements(organisation, rng, openings, staff, today) -> None:
    people = list(
        Person.objects.filter(organisation=organisation, roles__role=PoolRole.PARTICIPANT)
        .distinct()
        .order_by("pk")[:120]
    )
    open_openings = [o for o in openings if o.status == OpeningStatus.OPEN]
    if not people or not open_openings:
        return
    path = [Stage.PROPOSED, Stage.APPLIED, Stage.INTERVIEW, Stage.TRIAL_WORK, Stage.INTERNSHIP]
    finals = [
        *path,
        Stage.CONTRACT,
        Stage.CONTRACT,
        Stage.CONTRACT,
        Stage.REJECTED,
        Stage.WITHDRAWN,
    ]
    placements, histories = [], []
    for index, person in enumerate(people):
        opening = open_openings[index % len(open_openings)]
        final = finals[index % len(finals)]
        responsible = staff[index % len(staff)]
        placement = Placement(
            organisation=organisation,
            person=person,
            opening=opening,
            stage=final,
            responsible=responsible,
        )
        if final == Stage.CONTRACT:
            start = today - datetime.timedelta(days=rng.randrange(10, 240))
            placement.contract_start = start
            placement.permanent = rng.random() < 0.6
            placement.contract_end = None if placement.permanent else add_months(start, 12)
            placement.probation_end = add_months(start, 6) - datetime.timedelta(days=1)
            placement.social_insurance = opening.kind != OpeningKind.MINI_JOB
        steps = path[: path.index(final) + 1] if final in path else [*path[:3], final]
        placements.append(placement)
        histories.append((steps, responsible))
    Placement.objects.bulk_create(placements)
    changes, follow_ups = [], []
    for placement, (steps, responsible) in zip(placements, histories, strict=True):
        previous = ""
        for step in steps:
            changes.append(
                StageChange(
                    organisation=organisation,
                    placement=placement,
                    from_stage=previous,
                    to_stage=step,
                    changed_by=responsible,
                )
            )
            previous = step
        if placement.stage == Stage.CONTRACT:
            follow_ups += _follow_ups(organisation, rng, placement, today)
    StageChange.objects.bulk_create(changes)
    FollowUp.objects.bulk_create(follow_ups)


def _follow_ups(organisation, rng, placement, today) -> list[FollowUp]:
    start, end = placement.contract_start, placement.probation_end
    due = {
        FollowUpKind.ONE_MONTH: add_months(start, 1),
        FollowUpKind.THREE_MONTHS: add_months(start, 3),
        FollowUpKind.PROBATION_END: end,
    }
    rows = []
    for kind, day in due.items():
        follow_up = FollowUp(
            organisation=organisation,
            placement=placement,
            kind=kind,
            due_on=day,
            assigned_to_id=placement.responsible_id,
        )
        # Most checks of the past are recorded; a few are overdue.
        if day < today - datetime.timedelta(days=7) and rng.random() < 0.85:
            follow_up.result = rng.choices(
                [FollowUpResult.STILL_EMPLOYED, FollowUpResult.PROBLEMS], [85, 15]
            )[0]
            follow_up.recorded_on = day
            follow_up.recorded_by_id = placement.responsible_id
            follow_up.note = "Läuft gut." if follow_up.result == "still_employed" else ""
        rows.append(follow_up)
    return rows
