"""The bundled actor tables and agent rules, loaded once from ``newsevents/data``.

Tables live in ``newsevents/data/actors``: ``countries.csv`` (names, aliases, demonyms,
capitals and institutional metonyms), ``igos.csv``, ``agents.csv`` (agent nouns → sector, from
the CAMEO/PLOVER agents dictionary), ``sectors.csv`` and ``titles.csv``. The rules that govern
agents (primary roles, weak and located sectors, labels and phrases that are never actors) are
the ``[actors]`` table of ``data/events/rules.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache

from ...resources import read_csv, read_toml


@dataclass(frozen=True, slots=True)
class ActorRules:
    """The ``[actors]`` table of ``data/events/rules.toml``."""

    primary_roles: frozenset[str]  # CAMEO primary roles: the sector of a combined agent code
    weak_sectors: frozenset[str]  # too vague to override a specific sector in the phrase
    located_sectors: frozenset[str]  # a singular agent of these takes the country it is "in"
    not_actor_labels: frozenset[str]  # entity labels never an event's uncoded actor
    source_phrases: frozenset[str]  # words heading who reports an event ("according to")
    attitude_prefixes: frozenset[str]  # "pro-Turkish": a stance, not a nationality


@cache
def actor_rules() -> ActorRules:
    """Return the agent rules (built once)."""
    raw = read_toml("events", "rules.toml")["actors"]
    return ActorRules(**{f.name: frozenset(raw[f.name]) for f in fields(ActorRules)})


def agent_sector(code: str, default: str) -> str:
    """Return the sector of an agent code: its first primary role, else ``default``."""
    primary = actor_rules().primary_roles
    parts = [code[i : i + 3] for i in range(0, len(code) - 2, 3)]
    return next((p for p in parts if p in primary), default)


@dataclass(frozen=True, slots=True)
class ActorTables:
    """All lookup tables for actor coding, keyed by surface text or lowercase lemma phrase."""

    country: dict[str, str]
    government: dict[str, str]
    igo: dict[str, str]
    sector: dict[str, str]
    title: dict[str, tuple[str, bool]]
    country_names: dict[str, str]
    named_first: frozenset[str]  # first words of country, government and IGO keys
    role_first: frozenset[str]  # first words of sector and title keys
    org_heads: dict[str, str]  # last word of an organisation's name -> sector


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


@cache
def actor_tables() -> ActorTables:
    """Return the bundled actor tables (loaded once)."""
    country: dict[str, str] = {}
    government: dict[str, str] = {}
    names: dict[str, str] = {}
    for r in read_csv("actors", "countries.csv"):
        iso = r["iso3"]
        names[iso] = r["name"]
        for s in [r["name"], *_split(r["aliases"]), *_split(r["demonyms"])]:
            country.setdefault(s, iso)
        for s in [r["capital"], *_split(r["metonyms"])]:
            if s:
                government.setdefault(s, iso)
    igo: dict[str, str] = {}
    for r in read_csv("actors", "igos.csv"):
        for s in [r["name"], *_split(r["aliases"])]:
            igo.setdefault(s, r["code"])
    sector: dict[str, str] = {}
    for r in read_csv("actors", "agents.csv"):
        sector[r["phrase"]] = agent_sector(r["code"], r["sector"])
    for r in read_csv("actors", "sectors.csv"):
        sector[r["phrase"]] = r["sector"]
    title = {
        r["title"]: (r["sector"], r["pending"] == "1") for r in read_csv("actors", "titles.csv")
    }
    named_first = frozenset(k.split()[0] for k in (*country, *government, *igo) if k.split())
    role_first = frozenset(k.split()[0] for k in (*sector, *title) if k.split())
    org_heads = {r["word"]: r["sector"] for r in read_csv("actors", "org_heads.csv")}
    return ActorTables(
        country, government, igo, sector, title, names, named_first, role_first, org_heads
    )
