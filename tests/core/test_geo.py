"""Places and distances: names as offices write them, namesakes, the radius."""

import pytest

from lotse.core import geo
from lotse.core.models import Place
from lotse.people.models import Person

from ..factories import PersonFactory

BRUCHSAL = (49.12426, 8.59804)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Ubstadt-Weiher", "ubstadt weiher"),
        ("  ubstadt   weiher ", "ubstadt weiher"),
        ("Östringen", "oestringen"),
        ("Oestringen", "oestringen"),
        ("STRAßBURG", "strassburg"),
        ("Frankfurt a.M.", "frankfurt a m"),
        ("", ""),
    ],
)
def test_names_compare_without_case_umlauts_and_hyphens(written, key):
    assert geo.place_key(written) == key


def test_the_migration_loads_german_places_with_their_german_names(db):
    assert Place.objects.values("geonames_id").distinct().count() > 10_000
    bruchsal = geo.find_place("Bruchsal")
    assert (bruchsal.latitude, bruchsal.longitude) == pytest.approx(BRUCHSAL, abs=0.01)
    assert geo.state_name(bruchsal.state) == "Baden-Württemberg"
    # GeoNames calls it Munich; the German name finds it too.
    assert geo.find_place("München").geonames_id == geo.find_place("Munich").geonames_id
    assert geo.find_place("Muenchen").name == "Munich"


def test_an_unknown_place_is_none(db):
    assert geo.find_place("Atlantis an der Spree") is None
    assert geo.find_place("") is None
    assert geo.find_place("(Bayern)") is None


def test_namesakes_go_to_the_state_named_or_the_nearest_one(db):
    near_bruchsal = geo.find_place("Forst", near=BRUCHSAL)
    assert geo.state_name(near_bruchsal.state) == "Baden-Württemberg"
    assert geo.distance_km(*BRUCHSAL, near_bruchsal.latitude, near_bruchsal.longitude) < 10
    lausitz = geo.find_place("Forst (Brandenburg)", near=BRUCHSAL)
    assert geo.state_name(lausitz.state) == "Brandenburg"
    # Without a hint, the largest namesake.
    assert geo.find_place("Forst").geonames_id == lausitz.geonames_id
    assert geo.label(lausitz) == "Forst (Brandenburg)"
    assert geo.label(geo.find_place("München"), "München") == "München (Bayern)"
    # The state in either interface language.
    for written in ("Neustadt (Bayern)", "Neustadt (Bavaria)", "neustadt (bayern)"):
        assert geo.state_name(geo.find_place(written).state) == "Bayern"


def test_great_circle_distances():
    karlsruhe = (49.00937, 8.40444)
    assert geo.distance_km(*BRUCHSAL, *karlsruhe) == pytest.approx(19.0, abs=0.2)
    assert geo.distance_km(*BRUCHSAL, *BRUCHSAL) == 0
    # Berlin to Munich, about 504 km.
    assert geo.distance_km(52.52, 13.405, 48.137, 11.575) == pytest.approx(504, abs=3)


def test_within_km_keeps_the_points_inside_the_radius(world):
    def at(name, lat, lon):
        return PersonFactory(
            organisation=world.org_a,
            site=world.site_a1,
            given_name=name,
            latitude=lat,
            longitude=lon,
        )

    # One degree of latitude is 111.2 km; one of longitude at 49° N about 73 km.
    inside_north = at("Nord", BRUCHSAL[0] + 14.9 / 111.19, BRUCHSAL[1])
    outside_north = at("Weiter", BRUCHSAL[0] + 15.1 / 111.19, BRUCHSAL[1])
    inside_east = at("Ost", BRUCHSAL[0], BRUCHSAL[1] + 14.9 / 72.95)
    outside_east = at("Fern", BRUCHSAL[0], BRUCHSAL[1] + 15.2 / 72.95)
    # Inside the bounding box, outside the circle: the corner.
    corner = at("Ecke", BRUCHSAL[0] + 12 / 111.19, BRUCHSAL[1] + 12 / 72.95)
    nowhere = at("Unbekannt", None, None)
    found = set(geo.within_km(Person.objects.all(), *BRUCHSAL, 15))
    assert {inside_north, inside_east} <= found
    assert not {outside_north, outside_east, corner, nowhere} & found
    for person in found:
        assert geo.distance_km(*BRUCHSAL, person.latitude, person.longitude) <= 15.05
