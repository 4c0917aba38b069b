"""Scoring from profiles, without the database: plain Facts in, arrays out."""

import numpy as np
import pytest

from lotse.matching import criteria
from lotse.matching.criteria import Facts


def facts(**values) -> Facts:
    base = {
        "enrolment": None,
        "gender": "female",
        "birth_year": 1980,
        "availability": 0,
        "latitude": None,
        "longitude": None,
        "municipality": "",
        "languages": {"deu": 7},
    }
    return Facts(**(base | values))


def mentor(**values) -> Facts:
    return facts(**({"cleared": True, "trained": True, "places": 1} | values))


def _score(mentees, mentors, **kwargs):
    return criteria.score(
        mentees, mentors, weights=criteria.DEFAULT_WEIGHTS, max_distance_km=30, **kwargs
    )


def test_a_related_occupational_area_counts_half_and_unknown_criteria_are_neutral():
    problem = _score(
        [facts(areas={"6"})], [mentor(areas={"6"}), mentor(areas={"7"}), mentor(areas={"1"})]
    )
    career = problem.criteria[criteria.CODES.index("career")][0]
    assert career.tolist() == [1.0, 0.5, 0.0]
    # Nothing known about homes, needs or free time: neither helps nor hurts.
    for code in ("distance", "needs", "availability"):
        assert problem.criteria[criteria.CODES.index(code)][0].tolist() == [0.5] * 3
    assert problem.allowed.all()


def test_hard_constraints_mask_the_pairs_and_say_which_one():
    mentees = [
        facts(mentor_gender="female", mentor_gender_required=True),
        facts(languages={"tir": 7}),
        facts(latitude=52.52, longitude=13.40),
    ]
    mentors = [
        mentor(gender="male", latitude=48.14, longitude=11.58),
        mentor(trained=False),
        mentor(cleared=False, languages={"deu": 7, "tir": 3}),
    ]
    problem = _score(mentees, mentors)
    assert problem.blocked["gender"][0].tolist() == [True, False, False]
    assert problem.blocked["language"][1].tolist() == [True, True, False]
    assert problem.blocked["distance"][2].tolist() == [True, False, False]
    assert problem.blocked["training"][:, 1].all() and problem.blocked["clearance"][:, 2].all()
    assert not problem.allowed.any()
    assert problem.distance_km[2, 0] == pytest.approx(504, abs=5)


def test_the_reason_names_the_shared_language_the_career_and_the_wish_not_met():
    needs = {1: "Lebenslauf", 2: "Jobsuche"}
    mentee = facts(
        languages={"ara": 7, "deu": 2},
        areas={"5"},
        needs=needs,
        availability=0b111,
        mentor_language="fas",
    )
    helper = mentor(
        gender="male",
        languages={"ara": 7, "deu": 7},
        areas={"5"},
        years={"5": 20},
        needs={1: "Lebenslauf"},
        availability=0b011,
    )
    problem = _score([mentee], [helper])
    reasons = criteria.reasons(problem, 0, 0)
    areas = {"5": "Verkehr, Logistik"}
    text = criteria.describe(reasons, areas=areas, industries={})
    assert text.startswith("Both speak Arabic; the mentor worked 20 years in Verkehr, Logistik")
    assert "can help with Lebenslauf" in text and "2 weekly time slots in common" in text
    assert criteria.unmet_wishes(problem, 0, 0) == ["mentor_language"]
    parts = problem.breakdown([0], [0])
    assert parts.sum() == pytest.approx(problem.scores[0, 0])
    assert np.isclose(problem.criteria[criteria.CODES.index("wishes"), 0, 0], 0.0)
