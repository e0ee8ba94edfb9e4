"""The CAMEO / PLOVER ontology as data: names, QuadClass, Goldstein, CAMEO→PLOVER type and mode.

Tables live in ``newsevents/data/ontology`` (built by ``scripts/build_ontology.py``; see the
NOTICE there for sources and licences — the CAMEO→PLOVER table is CC BY-SA 4.0).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .errors import ConfigError
from .resources import read_csv

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


QUAD_NAMES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
"""CAMEO QuadClass numbers and their names."""

# Country codes in use for actors beside ISO 3166 alpha-3 (CAMEO's Kosovo).
EXTRA_COUNTRY_CODES = frozenset({"XKX"})


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO event code with its place in the ontology."""

    code: str
    name: str
    root: str
    level: int
    quad_class: int
    goldstein: float | None
    plover_type: str | None
    plover_mode: str | None
    context: str | None


@cache
def _plover_rows() -> dict[str, tuple[str, str | None, str | None]]:
    rows = {
        r["code"]: (r["plover_type"], r["plover_mode"] or None, r["context"] or None)
        for r in read_csv("ontology", "cameo_plover.csv")
    }
    for r in read_csv("ontology", "plover_extensions.csv"):
        rows.setdefault(
            r["code"], (r["plover_type"], r["plover_mode"] or None, r["context"] or None)
        )
    return rows


def _plover_for(code: str) -> tuple[str | None, str | None, str | None]:
    rows = _plover_rows()
    if code in rows:
        return rows[code]
    if len(code) == 4 and code[:3] in rows:
        ptype, _mode, context = rows[code[:3]]
        return ptype, None, context
    if len(code) == 2 and code + "0" in rows:
        return rows[code + "0"]
    if len(code) >= 3 and code[:2] + "0" in rows:
        ptype, _mode, context = rows[code[:2] + "0"]
        return ptype, None, context
    if code[:2] in rows:
        ptype, _mode, context = rows[code[:2]]
        return ptype, None, context
    return None, None, None


@cache
def cameo_table() -> dict[str, CameoCode]:
    """Return every CAMEO code (roots included) keyed by its zero-padded string code."""
    table: dict[str, CameoCode] = {}
    for r in read_csv("ontology", "cameo.csv"):
        ptype, mode, context = _plover_for(r["code"])
        table[r["code"]] = CameoCode(
            code=r["code"],
            name=r["name"],
            root=r["root"],
            level=int(r["level"]),
            quad_class=int(r["quad_class"]),
            goldstein=float(r["goldstein"]) if r["goldstein"] else None,
            plover_type=ptype,
            plover_mode=mode,
            context=context,
        )
    return table


def cameo(code: str) -> CameoCode:
    """Return the CAMEO record of a code; raise ConfigError for an unknown code."""
    try:
        return cameo_table()[code]
    except KeyError:
        raise ConfigError(f"unknown CAMEO code {code!r}; use a code listed in cameo.csv") from None


def is_cameo(code: str) -> bool:
    """Return whether a string is a known CAMEO event code."""
    return code in cameo_table()


@cache
def country_codes() -> frozenset[str]:
    """Return the country codes actors are coded with: ISO 3166 alpha-3 (and XKX, Kosovo)."""
    return frozenset(row["iso3"] for row in read_csv("actors", "countries.csv")) | (
        EXTRA_COUNTRY_CODES
    )
