"""Cross-article event clusters: the mentions of one happening, linked across articles.

Two event mentions report the same happening when they share a block — type family (the PLOVER
type, or the CAMEO root when there is none), source and target actor codes and modality group —
their dates lie within a window of the cluster's first date and their places are compatible
(``data/clusters.toml``). Within a block, mentions are taken in (date, id) order and each joins
the first open cluster it fits, else founds one; the cluster's id derives from its founder.
The result depends only on the set of mentions, never on the order articles arrived in, so
re-processing is idempotent and an article stored later joins the clusters already there.

Pure functions: ``store_clusters`` reads the mentions of the blocks a batch touches and writes
the assignment back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from .model import make_id
from .resources import read_toml

EARTH_KM = 6371.0


@dataclass(frozen=True, slots=True)
class ClusterRules:
    """How close two mentions must be to report one happening."""

    window_days: int
    max_km: float
    require_actor: bool
    modality_groups: Mapping[str, str]


@cache
def rules() -> ClusterRules:
    """Return the cluster rules from ``data/clusters.toml``."""
    raw = read_toml("clusters.toml")
    return ClusterRules(
        window_days=int(raw["window_days"]),
        max_km=float(raw["max_km"]),
        require_actor=bool(raw["require_actor"]),
        modality_groups=dict(raw["modality_groups"]),
    )


@dataclass(frozen=True, slots=True)
class Mention:
    """What clustering reads of one stored event mention."""

    event_id: str
    family: str
    source_code: str | None
    target_code: str | None
    modality: str
    day: date | None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


def family(plover_type: str | None, cameo: str) -> str:
    """Return the type family of an event: its PLOVER type, else ``CAMEO`` + its CAMEO root."""
    return plover_type or f"CAMEO{cameo[:2]}"


def cluster_id(founder_event_id: str) -> str:
    """Return the id of the cluster founded by an event mention."""
    return make_id("cluster", founder_event_id)


def global_id(cid: str) -> int:
    """Return a cluster's numeric id (GDELT's GlobalEventID): its first 15 hex digits."""
    return int(cid[:15], 16)


def block(m: Mention, r: ClusterRules) -> tuple[str, str, str, str] | None:
    """Return the block a mention may cluster in, or None when it stays on its own."""
    if m.day is None or (r.require_actor and not (m.source_code or m.target_code)):
        return None
    group = r.modality_groups.get(m.modality, m.modality)
    return (m.family, m.source_code or "", m.target_code or "", group)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def compatible(a: Mention | None, b: Mention | None, max_km: float) -> bool:
    """Return whether two mentions' places can be one place (a missing place fits any)."""
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if None in (a.lat, a.lon, b.lat, b.lon):
        return True
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= max_km  # type: ignore[arg-type]


def _located(m: Mention) -> bool:
    return m.country is not None or m.lat is not None


@dataclass(slots=True)
class _Open:
    cid: str
    first: date
    anchor: Mention | None  # the first member with a place


def assign(mentions: Iterable[Mention], r: ClusterRules | None = None) -> dict[str, str]:
    """Return the cluster id of every mention (event id -> cluster id)."""
    r = r or rules()
    out: dict[str, str] = {}
    blocks: dict[tuple[str, str, str, str], list[Mention]] = {}
    for m in mentions:
        key = block(m, r)
        if key is None:
            out[m.event_id] = cluster_id(m.event_id)
        else:
            blocks.setdefault(key, []).append(m)
    for members in blocks.values():
        members.sort(key=lambda m: (m.day, m.event_id))
        open_: list[_Open] = []
        for m in members:
            day = m.day
            assert day is not None  # blocks hold dated mentions only
            open_ = [c for c in open_ if (day - c.first).days <= r.window_days]
            place = m if _located(m) else None
            home = next((c for c in open_ if compatible(c.anchor, place, r.max_km)), None)
            if home is None:
                home = _Open(cluster_id(m.event_id), day, place)
                open_.append(home)
            elif home.anchor is None:
                home.anchor = place
            out[m.event_id] = home.cid
    return out
