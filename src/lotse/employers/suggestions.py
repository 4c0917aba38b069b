"""Suggestions: for an opening the participants who fit best, for a
participant the openings that fit best. A 0–1 score per criterion for every
pair, weighted and broken down by the matching engine (the one import from a
layer above that the layering allows: it is pure computation), and the facts
behind the score in plain words."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import User
from lotse.core import geo, reference
from lotse.core.models import SupportArea
from lotse.matching import engine
from lotse.people.catalogues import LANGUAGE_LEVELS, RELATED_AREAS
from lotse.people.models import Person, PersonLanguage, PoolRole, Status

from .models import Opening, Placement

CRITERIA: tuple[tuple[str, Promise], ...] = (
    ("occupation", gettext_lazy("Occupation")),
    ("industry", gettext_lazy("Industry")),
    ("german", gettext_lazy("German")),
    ("languages", gettext_lazy("Other languages")),
    ("distance", gettext_lazy("Distance")),
    ("childcare", gettext_lazy("Childcare")),
)
CODES = tuple(code for code, _label in CRITERIA)
LABELS = dict(CRITERIA)
DEFAULT_WEIGHTS: dict[str, float] = {
    "occupation": 3.0,
    "industry": 1.0,
    "german": 2.5,
    "languages": 1.0,
    "distance": 1.5,
    "childcare": 1.0,
}
MAX_DISTANCE_KM = 50
NEAR_KM = 5
NEUTRAL = 0.5
GERMAN = "deu"
AVAILABLE = (Status.INTERESTED, Status.ONBOARDING, Status.ACTIVE)
# German below the requirement by this many levels rules a pair out.
GERMAN_GAP_LIMIT = 2


@dataclass(frozen=True)
class Part:
    code: str
    label: str
    points: float
    maximum: float


@dataclass(frozen=True)
class Suggestion:
    person: Person
    opening: Opening
    score: float
    parts: list[Part]
    reasons: list[str]


@dataclass
class _Candidate:
    person: Person
    languages: dict[str, int]
    areas: set[str] = field(default_factory=set)
    industries: set[str] = field(default_factory=set)
    childcare: bool = False
    licence: bool = False


def _rank(level: str) -> int:
    return LANGUAGE_LEVELS.index(level) + 1 if level in LANGUAGE_LEVELS else 0


def _candidates(people) -> list[_Candidate]:
    people = people.select_related("participant").prefetch_related(
        Prefetch("languages", queryset=PersonLanguage.objects.order_by("pk"), to_attr="skills"),
        "participant__target_areas",
        "participant__target_industries",
        "participant__needs",
        "experience__occupation_area",
        "experience__industry",
    )
    result = []
    for person in people:
        profile = getattr(person, "participant", None)
        candidate = _Candidate(
            person=person, languages={s.language: _rank(s.level) for s in person.skills}
        )
        for job in person.experience.all():
            if job.occupation_area_id:
                candidate.areas.add(job.occupation_area.code)
            if job.industry_id:
                candidate.industries.add(job.industry.code)
        if profile is not None:
            candidate.areas |= {area.code for area in profile.target_areas.all()}
            candidate.industries |= {i.code for i in profile.target_industries.all()}
            candidate.childcare = any(
                need.area == SupportArea.CHILDCARE for need in profile.needs.all()
            )
            candidate.licence = profile.driving_licence
        result.append(candidate)
    return result


def _distance(opening: Opening, person: Person) -> float | None:
    if None in (opening.latitude, opening.longitude, person.latitude, person.longitude):
        return None
    return geo.distance_km(opening.latitude, opening.longitude, person.latitude, person.longitude)


def _assess(opening: Opening, candidate: _Candidate) -> tuple[dict[str, float], list[str]] | None:
    """The pair's score per criterion and its reasons, or None when ruled out."""
    person = candidate.person
    reasons: list[str] = []
    scores: dict[str, float] = {}
    if opening.driving_licence and not candidate.licence:
        return None
    required = _rank(opening.german_level)
    german = candidate.languages.get(GERMAN, 0)
    if required and required - german >= GERMAN_GAP_LIMIT:
        return None
    distance = _distance(opening, person)
    if distance is not None and distance > MAX_DISTANCE_KM:
        return None
    area = opening.occupation_area.code if opening.occupation_area_id else ""
    if not area:
        scores["occupation"] = NEUTRAL
    elif area in candidate.areas:
        scores["occupation"] = 1.0
        reasons.append(
            _("Wants to work or has worked in %(area)s") % {"area": opening.occupation_area.name}
        )
    elif any(frozenset((area, theirs)) in RELATED_AREAS for theirs in candidate.areas):
        scores["occupation"] = 0.5
        reasons.append(_("Knows a related occupational area"))
    else:
        scores["occupation"] = 0.0 if candidate.areas else NEUTRAL
    industry = opening.employer.industry
    if industry is None or not candidate.industries:
        scores["industry"] = NEUTRAL
    elif industry.code in candidate.industries:
        scores["industry"] = 1.0
        reasons.append(_("Wants to work in %(industry)s") % {"industry": industry.name})
    else:
        scores["industry"] = 0.0
    level = LANGUAGE_LEVELS[german - 1] if german else ""
    if required:
        if german >= required:
            scores["german"] = 1.0
            reasons.append(
                _("Speaks German at %(level)s (%(required)s required)")
                % {"level": level, "required": opening.german_level}
            )
        else:
            scores["german"] = 0.4
            reasons.append(
                _("German at %(level)s, one level below the %(required)s required")
                % {"level": level or "–", "required": opening.german_level}
            )
    else:
        scores["german"] = min(1.0, 0.4 + 0.1 * german)
        if level:
            reasons.append(_("Speaks German at %(level)s") % {"level": level})
    wanted = [code for code in opening.languages if code != GERMAN]
    if wanted:
        spoken = [code for code in wanted if candidate.languages.get(code, 0) >= 2]
        scores["languages"] = len(spoken) / len(wanted)
        if spoken:
            reasons.append(
                _("Speaks %(languages)s")
                % {"languages": ", ".join(reference.language_name(c) for c in spoken)}
            )
    else:
        scores["languages"] = NEUTRAL
    if distance is None:
        scores["distance"] = NEUTRAL
    else:
        scores["distance"] = (
            1.0
            if distance <= NEAR_KM
            else max(0.0, 1 - (distance - NEAR_KM) / (MAX_DISTANCE_KM - NEAR_KM))
        )
        reasons.append(_("Lives %(km)s km away") % {"km": math.floor(distance + 0.5)})
    if candidate.childcare:
        scores["childcare"] = 1.0 if opening.childcare_compatible else 0.0
        reasons.append(
            _("Needs hours that fit childcare: these do")
            if opening.childcare_compatible
            else _("Needs hours that fit childcare: these do not")
        )
    else:
        scores["childcare"] = NEUTRAL
    if opening.driving_licence:
        reasons.append(_("Has the driving licence the opening requires"))
    return scores, reasons


def _rank_pairs(pairs: Sequence[tuple[Opening, _Candidate]], limit: int) -> list[Suggestion]:
    assessed = []
    for opening, candidate in pairs:
        result = _assess(opening, candidate)
        if result is not None:
            assessed.append((opening, candidate, *result))
    if not assessed:
        return []
    weights = np.array([DEFAULT_WEIGHTS[code] for code in CODES])
    # One row, a column per pair: the engine's mentee × mentor layout.
    layers = [np.array([[scores[code] for _o, _c, scores, _r in assessed]]) for code in CODES]
    totals = engine.weighted_scores(layers, weights)[0]
    order = sorted(
        range(len(assessed)),
        key=lambda i: (
            -totals[i],
            assessed[i][1].person.family_name,
            assessed[i][1].person.given_name,
            assessed[i][1].person.pk,
            assessed[i][0].pk,
        ),
    )[:limit]
    parts = engine.breakdown(layers, weights, np.zeros(len(order), np.intp), order)
    maximum = float(weights.sum())
    suggestions = []
    for row, index in enumerate(order):
        opening, candidate, _scores, reasons = assessed[index]
        suggestions.append(
            Suggestion(
                person=candidate.person,
                opening=opening,
                score=round(float(totals[index]) / maximum * 100, 1),
                parts=[
                    Part(code, str(LABELS[code]), float(parts[row, k]), float(weights[k]))
                    for k, code in enumerate(CODES)
                ],
                reasons=reasons,
            )
        )
    return suggestions


def _available(user: User):
    return (
        Person.objects.visible_to(user)
        .filter(roles__role=PoolRole.PARTICIPANT, roles__status__in=AVAILABLE)
        .distinct()
    )


def candidates_for(opening: Opening, user: User, *, limit: int = 10) -> list[Suggestion]:
    """The participants the user may see who fit `opening` best."""
    placed = Placement.objects.filter(opening=opening).values("person_id")
    people = _available(user).exclude(pk__in=placed)
    return _rank_pairs([(opening, c) for c in _candidates(people)], limit)


def openings_for(person: Person, user: User, *, limit: int = 10) -> list[Suggestion]:
    """The open openings that fit `person` best."""
    candidates = _candidates(Person.objects.visible_to(user).filter(pk=person.pk))
    if not candidates:
        return []
    placed = Placement.objects.filter(person=person).values("opening_id")
    openings = (
        Opening.objects.visible_to(user)
        .open()
        .exclude(pk__in=placed)
        .select_related("employer__industry", "occupation_area")
    )
    return _rank_pairs([(opening, candidates[0]) for opening in openings], limit)
