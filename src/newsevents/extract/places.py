"""An offline gazetteer of countries, capitals and major cities (with approximate coordinates).

Data: ``newsevents/data/actors/countries.csv`` (capital coordinates) and ``cities.csv``.
Coordinates are rounded to two decimals (about 1 km) and come from general reference facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..model import Location
from ..resources import read_csv


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: a name, its country and its coordinates."""

    name: str
    country: str
    kind: str
    lat: float | None
    lon: float | None


def _float(value: str) -> float | None:
    return float(value) if value else None


@cache
def gazetteer() -> dict[str, Place]:
    """Return the gazetteer keyed by lower-case place name (cities first, then countries)."""
    places: dict[str, Place] = {}
    countries = read_csv("actors", "countries.csv")
    for r in read_csv("actors", "cities.csv"):
        places.setdefault(
            r["name"].lower(),
            Place(r["name"], r["iso3"], "city", _float(r["lat"]), _float(r["lon"])),
        )
    for r in countries:
        cap = r["capital"]
        if cap:
            places.setdefault(
                cap.lower(), Place(cap, r["iso3"], "capital", _float(r["lat"]), _float(r["lon"]))
            )
    for r in countries:
        for name in [r["name"], *[a for a in r["aliases"].split("|") if a]]:
            places.setdefault(name.lower(), Place(r["name"], r["iso3"], "country", None, None))
    return places


def lookup_place(name: str) -> Place | None:
    """Return the gazetteer entry for a place name (case-insensitive), or None."""
    return gazetteer().get(" ".join(name.split()).lower())


def to_location(place: Place, country_hint: str | None = None) -> Location:
    """Turn a gazetteer entry into a Location record."""
    return Location(
        name=place.name, country=place.country or country_hint, lat=place.lat, lon=place.lon
    )
