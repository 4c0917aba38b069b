"""From the profiles of the people in a matching session to the arrays the engine
takes: a 0–1 score per criterion for every mentee × mentor pair, the hard
constraints as masks, the mentors' capacities; and from a chosen pair back to
the facts behind its score, in plain language."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from numpy.typing import NDArray

from lotse.core import reference
from lotse.people.catalogues import LANGUAGE_LEVELS, RELATED_AREAS
from lotse.people.models import (
    Availability,
    Industry,
    OccupationArea,
    Person,
    PersonRole,
    PoolRole,
    Status,
    WorkExperience,
)
from lotse.programmes.models import Enrolment

from . import engine

CRITERIA: tuple[tuple[str, Promise], ...] = (
    ("career", gettext_lazy("Career and target job")),
    ("needs", gettext_lazy("Needs and strengths")),
    ("language", gettext_lazy("Common language")),
    ("distance", gettext_lazy("Distance")),
    ("availability", gettext_lazy("Weekly availability")),
    ("age", gettext_lazy("Age difference")),
    ("wishes", gettext_lazy("Mentee's wishes")),
)
CODES = tuple(code for code, _label in CRITERIA)
LABELS = dict(CRITERIA)
# What counts most in mentoring for work: someone who knows the target job,
# helps with what the mentee needs, and can be understood.
DEFAULT_WEIGHTS: dict[str, float] = {
    "career": 3.0,
    "needs": 2.0,
    "language": 2.0,
    "distance": 1.0,
    "availability": 1.5,
    "age": 0.5,
    "wishes": 1.0,
}
DEFAULT_MAX_DISTANCE_KM = 30

# Hard constraints: a pair that breaks one is never proposed.
CONSTRAINTS: dict[str, Promise] = {
    "gender": gettext_lazy("the mentee requires a mentor of another gender"),
    "language": gettext_lazy("no common language at level A2 or better"),
    "distance": gettext_lazy("lives further away than the maximum distance"),
    "capacity": gettext_lazy("the mentor has no free place"),
    "clearance": gettext_lazy("no valid police clearance certificate"),
    "training": gettext_lazy("basic training not completed"),
    "excluded": gettext_lazy("excluded or rejected by a coordinator"),
}
WISHES: dict[str, Promise] = {
    "mentor_gender": gettext_lazy("wished for a mentor of another gender"),
    "mentor_language": gettext_lazy("wished for a mentor who speaks another language"),
}

LEVELS = LANGUAGE_LEVELS
USABLE_LEVEL = 2  # A2: enough to talk through a job application together
_LANGUAGE_FIT = np.array([0.0, 0.0, 0.4, 0.6, 0.8, 0.9, 1.0, 1.0])  # by the lower rank
NEUTRAL = 0.5  # a criterion nothing is known about neither helps nor hurts a pair


def _rank(level: str) -> int:
    return LEVELS.index(level) + 1 if level in LEVELS else 0


@dataclass
class Facts:
    """What matching reads of one enrolled person."""

    enrolment: Enrolment
    gender: str
    birth_year: int | None
    availability: int
    latitude: float | None
    longitude: float | None
    municipality: str
    languages: dict[str, int]
    areas: set[str] = field(default_factory=set)
    industries: set[str] = field(default_factory=set)
    needs: dict[int, str] = field(default_factory=dict)
    # Mentees' wishes.
    mentor_gender: str = ""
    mentor_gender_required: bool = False
    mentor_language: str = ""
    # Mentors: years of work per occupational area, clearance, training, places.
    years: dict[str, int] = field(default_factory=dict)
    cleared: bool = False
    trained: bool = False
    active_volunteer: bool = False
    places: int = 0

    @property
    def person(self) -> Person:
        return self.enrolment.person


def load_facts(enrolments: Sequence[Enrolment], *, today: datetime.date) -> list[Facts]:
    """One Facts per enrolment, in the same order, in a fixed number of queries."""
    person_ids = [e.person_id for e in enrolments]
    people = (
        Person.objects.filter(pk__in=person_ids)
        .select_related("participant", "volunteer")
        # Into lists (to_attr): a related manager per person and relation
        # costs more than the rows themselves in a session of thousands.
        .prefetch_related(
            Prefetch("languages", to_attr="language_list"),
            Prefetch("participant__needs", to_attr="need_list"),
            Prefetch("participant__target_areas", to_attr="area_list"),
            Prefetch("participant__target_industries", to_attr="industry_list"),
            Prefetch("volunteer__industries", to_attr="industry_list"),
            Prefetch("volunteer__occupation_areas", to_attr="area_list"),
            Prefetch("volunteer__strengths", to_attr="need_list"),
            Prefetch(
                "experience",
                WorkExperience.objects.select_related("occupation_area", "industry"),
                to_attr="experience_list",
            ),
            Prefetch(
                "roles",
                PersonRole.objects.filter(role=PoolRole.VOLUNTEER, status=Status.ACTIVE),
                to_attr="active_volunteer_roles",
            ),
        )
        .in_bulk()
    )
    result = []
    for enrolment in enrolments:
        person = people[enrolment.person_id]
        enrolment.person = person
        facts = Facts(
            enrolment=enrolment,
            gender=person.gender,
            birth_year=person.birth_date.year if person.birth_date else None,
            availability=person.availability,
            # None for a municipality that is not a known place (core.geo):
            # the distance is then unknown.
            latitude=person.latitude,
            longitude=person.longitude,
            municipality=person.municipality.strip().lower(),
            languages={skill.language: _rank(skill.level) for skill in person.language_list},
            active_volunteer=bool(person.active_volunteer_roles),
        )
        participant = getattr(person, "participant", None) if _has(person, "participant") else None
        if participant is not None:
            facts.areas = {area.code for area in participant.area_list}
            facts.industries = {i.code for i in participant.industry_list}
            facts.needs = {need.pk: need.name for need in participant.need_list}
            facts.mentor_gender = participant.mentor_gender
            facts.mentor_gender_required = participant.mentor_gender_required
            facts.mentor_language = participant.mentor_language
        volunteer = getattr(person, "volunteer", None) if _has(person, "volunteer") else None
        if volunteer is not None:
            facts.areas = {area.code for area in volunteer.area_list}
            facts.industries = {i.code for i in volunteer.industry_list}
            facts.needs = {need.pk: need.name for need in volunteer.need_list}
            facts.cleared = volunteer.clearance_valid_on(today)
            facts.trained = volunteer.training_completed_on is not None
            facts.places = volunteer.capacity
        for job in person.experience_list:
            facts.years[job.occupation_area.code] = (
                facts.years.get(job.occupation_area.code, 0) + job.years
            )
            if volunteer is not None:
                facts.areas.add(job.occupation_area.code)
                if job.industry is not None:
                    facts.industries.add(job.industry.code)
        result.append(facts)
    return result


def _has(person: Person, name: str) -> bool:
    try:
        getattr(person, name)
    except Exception:  # RelatedObjectDoesNotExist: no such profile
        return False
    return True


@dataclass
class Problem:
    """The arrays of one run, rows mentees, columns mentors."""

    mentees: list[Facts]
    mentors: list[Facts]
    criteria: NDArray[np.float64]  # (criteria, mentees, mentors), each 0–1
    weights: NDArray[np.float64]
    scores: NDArray[np.float64]
    allowed: NDArray[np.bool_]
    blocked: dict[str, NDArray[np.bool_]]
    capacity: NDArray[np.int64]
    distance_km: NDArray[np.float64]  # NaN where unknown

    def forbid(self, code: str, mask: NDArray[np.bool_]) -> None:
        self.blocked[code] = self.blocked.get(code, np.zeros_like(self.allowed)) | mask
        self.allowed &= ~mask

    def breakdown(self, rows: Iterable[int], cols: Iterable[int]) -> NDArray[np.float64]:
        rows, cols = list(rows), list(cols)
        if not rows:
            return np.zeros((0, len(CODES)))
        return engine.breakdown(self.criteria, self.weights, rows, cols)


def _indicator(items: Sequence[Iterable[Any]], universe: list[Any]) -> NDArray[np.float64]:
    index = {value: position for position, value in enumerate(universe)}
    matrix = np.zeros((len(items), max(len(universe), 1)))
    for row, values in enumerate(items):
        for value in values:
            matrix[row, index[value]] = 1.0
    return matrix


def _haversine_km(mentees: list[Facts], mentors: list[Facts]) -> NDArray[np.float64]:
    def coordinates(side: list[Facts]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lat = np.array([f.latitude if f.latitude is not None else np.nan for f in side], float)
        lon = np.array([f.longitude if f.longitude is not None else np.nan for f in side], float)
        return np.radians(lat), np.radians(lon)

    lat1, lon1 = coordinates(mentees)
    lat2, lon2 = coordinates(mentors)
    dlat = lat2[None, :] - lat1[:, None]
    dlon = lon2[None, :] - lon1[:, None]
    across = np.cos(lat1)[:, None] * np.cos(lat2)[None, :]
    a = np.sin(dlat / 2) ** 2 + across * np.sin(dlon / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def score(
    mentees: list[Facts],
    mentors: list[Facts],
    *,
    weights: dict[str, float],
    max_distance_km: float,
) -> Problem:
    n, m = len(mentees), len(mentors)
    shape = (n, m)
    # Career: the mentee's target areas and industries against what the mentor
    # did; an area next to the target counts half.
    areas = sorted({a for f in mentees + mentors for a in f.areas})
    target = _indicator([f.areas for f in mentees], areas)
    known = _indicator([f.areas for f in mentors], areas)
    related = np.zeros((target.shape[1], target.shape[1]))
    for i, a in enumerate(areas):
        for j, b in enumerate(areas):
            related[i, j] = 1.0 if frozenset((a, b)) in RELATED_AREAS else 0.0
    exact_area = (target @ known.T) > 0
    near_area = (target @ related @ known.T) > 0
    area_fit = np.where(exact_area, 1.0, np.where(near_area, 0.5, 0.0))
    industries = sorted({i for f in mentees + mentors for i in f.industries})
    industry_fit = (
        _indicator([f.industries for f in mentees], industries)
        @ _indicator([f.industries for f in mentors], industries).T
    ) > 0
    has_area = np.array([bool(f.areas) for f in mentees])[:, None]
    has_industry = np.array([bool(f.industries) for f in mentees])[:, None]
    career = np.select(
        [has_area & has_industry, has_area, has_industry],
        [0.7 * area_fit + 0.3 * industry_fit, area_fit, industry_fit.astype(float)],
        NEUTRAL,
    )
    # Needs: the share of the mentee's needs the mentor can help with.
    needs_universe = sorted({k for f in mentees + mentors for k in f.needs})
    wanted = _indicator([f.needs for f in mentees], needs_universe)
    offered = _indicator([f.needs for f in mentors], needs_universe)
    counts = wanted.sum(axis=1)
    needs = np.where(
        counts[:, None] > 0, (wanted @ offered.T) / np.maximum(counts, 1)[:, None], NEUTRAL
    )
    # Language: the best language both speak, by the weaker of the two levels.
    best = np.zeros(shape, dtype=np.int64)
    for code in sorted({c for f in mentees for c in f.languages}):
        theirs = np.array([f.languages.get(code, 0) for f in mentors])
        if theirs.any():
            ours = np.array([f.languages.get(code, 0) for f in mentees])
            best = np.maximum(best, np.minimum.outer(ours, theirs))
    language = _LANGUAGE_FIT[best]
    # Distance between home towns; unknown for people without coordinates.
    distance_km = _haversine_km(mentees, mentors) if n and m else np.zeros(shape)
    limit = max(float(max_distance_km), 1.0)
    known_distance = ~np.isnan(distance_km)
    distance = np.where(
        known_distance, np.clip(1 - np.nan_to_num(distance_km) / limit, 0, 1), NEUTRAL
    )
    # Availability: three common weekly slots are plenty.
    slots = [bit for _code, _label, bit in Availability.slots()]
    free_mentee = np.array([[bool(f.availability & bit) for bit in slots] for f in mentees], float)
    free_mentor = np.array([[bool(f.availability & bit) for bit in slots] for f in mentors], float)
    common = free_mentee.reshape(n, len(slots)) @ free_mentor.reshape(m, len(slots)).T
    stated = np.outer(
        [f.availability != 0 for f in mentees], [f.availability != 0 for f in mentors]
    )
    availability = np.where(stated, np.minimum(common / 3, 1), NEUTRAL)
    # Age: up to 15 years apart is all the same; 45 years apart is little in common.
    born_mentee = np.array([f.birth_year or np.nan for f in mentees], float)
    born_mentor = np.array([f.birth_year or np.nan for f in mentors], float)
    gap = np.abs(np.subtract.outer(born_mentee, born_mentor)).reshape(shape)
    age = np.where(np.isnan(gap), NEUTRAL, np.clip(1 - (np.nan_to_num(gap) - 15) / 30, 0, 1))
    # The mentee's wishes that are not conditions: the share met.
    wishes = np.ones(shape)
    for row, mentee in enumerate(mentees):
        checks = []
        if mentee.mentor_gender and not mentee.mentor_gender_required:
            checks.append(np.array([f.gender == mentee.mentor_gender for f in mentors]))
        if mentee.mentor_language:
            checks.append(
                np.array([f.languages.get(mentee.mentor_language, 0) >= 3 for f in mentors])
            )
        if checks:
            wishes[row] = np.mean(checks, axis=0)
    criteria = np.stack([career, needs, language, distance, availability, age, wishes]).reshape(
        len(CODES), n, m
    )
    factors = np.array([float(weights.get(code, 0.0)) for code in CODES])
    scores = engine.weighted_scores(criteria, factors) if n and m else np.zeros(shape)
    problem = Problem(
        mentees=mentees,
        mentors=mentors,
        criteria=criteria,
        weights=factors,
        scores=scores,
        allowed=np.ones(shape, dtype=bool),
        blocked={},
        capacity=np.array([f.places for f in mentors], dtype=np.int64),
        distance_km=distance_km,
    )
    required = np.array(
        [[bool(f.mentor_gender and f.mentor_gender_required)] for f in mentees], bool
    ).reshape(n, 1)
    wanted_gender = np.array([f.mentor_gender for f in mentees], dtype=object).reshape(n, 1)
    mentor_gender = np.array([f.gender for f in mentors], dtype=object).reshape(1, m)
    problem.forbid("gender", required & (wanted_gender != mentor_gender))
    problem.forbid("language", best < USABLE_LEVEL)
    problem.forbid("distance", known_distance & (np.nan_to_num(distance_km) > limit))
    problem.forbid(
        "clearance", np.broadcast_to(~np.array([f.cleared for f in mentors], bool), shape)
    )
    problem.forbid(
        "training", np.broadcast_to(~np.array([f.trained for f in mentors], bool), shape)
    )
    return problem


# --- explanations --------------------------------------------------------------


def reasons(problem: Problem, row: int, col: int) -> list[dict[str, Any]]:
    """The facts behind a pair's score, as data; `describe` words them."""
    mentee, mentor = problem.mentees[row], problem.mentors[col]
    facts: list[dict[str, Any]] = []
    shared = [
        (min(level, mentor.languages.get(code, 0)), code != "deu", code)
        for code, level in mentee.languages.items()
        if min(level, mentor.languages.get(code, 0)) >= USABLE_LEVEL
    ]
    if shared:
        _level, _other, code = max(shared)
        facts.append({"code": "language", "language": code})
    matching_areas = sorted(mentee.areas & mentor.areas)
    if matching_areas:
        area = max(matching_areas, key=lambda a: mentor.years.get(a, 0))
        facts.append({"code": "area", "area": area, "years": mentor.years.get(area, 0)})
    else:
        near = sorted(
            (theirs, ours)
            for theirs in mentor.areas
            for ours in mentee.areas
            if frozenset((theirs, ours)) in RELATED_AREAS
        )
        if near:
            facts.append({"code": "related_area", "area": near[0][0], "target": near[0][1]})
    matching_industries = sorted(mentee.industries & mentor.industries)
    if matching_industries:
        facts.append({"code": "industry", "industry": matching_industries[0]})
    helped = [name for pk, name in sorted(mentee.needs.items()) if pk in mentor.needs]
    if helped:
        facts.append({"code": "needs", "needs": helped})
    common = bin(mentee.availability & mentor.availability).count("1")
    if common:
        facts.append({"code": "availability", "slots": common})
    distance = problem.distance_km[row, col]
    same_town = bool(mentee.municipality) and mentee.municipality == mentor.municipality
    if same_town and (math.isnan(distance) or distance < 0.5):
        facts.append({"code": "same_town"})
    elif not math.isnan(distance):
        facts.append({"code": "distance", "km": round(float(distance))})
    return facts


def unmet_wishes(problem: Problem, row: int, col: int) -> list[str]:
    mentee, mentor = problem.mentees[row], problem.mentors[col]
    unmet = []
    if mentee.mentor_gender and mentor.gender != mentee.mentor_gender:
        unmet.append("mentor_gender")
    if mentee.mentor_language and mentor.languages.get(mentee.mentor_language, 0) < 3:
        unmet.append("mentor_language")
    return unmet


def _names(model) -> dict[str, str]:
    return {entry.code: entry.name for entry in model.objects.all()}


def describe(facts: list[dict[str, Any]], *, areas=None, industries=None) -> str:
    """A pair's reason in the active language, e.g. "both speak Arabic; the
    mentor worked 20 years in Traffic, logistics …, the mentee's target area"."""
    areas = areas if areas is not None else _names(OccupationArea)
    industries = industries if industries is not None else _names(Industry)
    parts = []
    for fact in facts:
        code = fact.get("code")
        if code == "language":
            parts.append(
                _("both speak %(language)s")
                % {"language": reference.language_name(fact["language"])}
            )
        elif code == "area" and fact.get("years"):
            parts.append(
                ngettext(
                    "the mentor worked %(years)s year in %(area)s, the mentee's target area",
                    "the mentor worked %(years)s years in %(area)s, the mentee's target area",
                    fact["years"],
                )
                % {"years": fact["years"], "area": areas.get(fact["area"], fact["area"])}
            )
        elif code == "area":
            parts.append(
                _("the mentor knows %(area)s, the mentee's target area")
                % {"area": areas.get(fact["area"], fact["area"])}
            )
        elif code == "related_area":
            parts.append(
                _("the mentor knows %(area)s, close to the mentee's target %(target)s")
                % {
                    "area": areas.get(fact["area"], fact["area"]),
                    "target": areas.get(fact["target"], fact["target"]),
                }
            )
        elif code == "industry":
            parts.append(
                _("the mentor's career includes the target industry %(industry)s")
                % {"industry": industries.get(fact["industry"], fact["industry"])}
            )
        elif code == "needs":
            parts.append(
                _("the mentor can help with %(needs)s") % {"needs": ", ".join(fact["needs"])}
            )
        elif code == "availability":
            parts.append(
                ngettext(
                    "%(slots)s weekly time slot in common",
                    "%(slots)s weekly time slots in common",
                    fact["slots"],
                )
                % {"slots": fact["slots"]}
            )
        elif code == "distance":
            parts.append(_("%(km)s km apart") % {"km": fact["km"]})
        elif code == "same_town":
            parts.append(_("both live in the same town"))
    if not parts:
        return _("the best pair the constraints leave for this mentee")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
