"""The actor network: who acts on whom, as nodes (actor codes) and directed edges (dyads).

``build`` turns event counts per (source code, target code) pair, as ``Queries.network_rows``
returns them (or one row per event), into the nodes with the most events and the edges between
them. ``draw`` lays the network out (a deterministic force-directed layout) and returns the
geometry of an SVG drawing; how it looks is data (``data/network.toml``). Pure functions: no
database, no web.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from .errors import QueryError
from .filters import text
from .resources import read_csv, read_toml

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Node:
    """An actor code with its events (as source plus as target) and mean Goldstein score."""

    code: str
    name: str
    events: int
    as_source: int
    as_target: int
    internal: int
    goldstein: float | None


@dataclass(frozen=True, slots=True)
class Edge:
    """A dyad: events whose source has one code and target another, with their mean Goldstein."""

    source: str
    target: str
    n: int
    goldstein: float | None


@dataclass(frozen=True, slots=True)
class Network:
    """The nodes kept (most events first), the edges between them, and what the cap left out."""

    nodes: list[Node]
    edges: list[Edge]
    n_actors: int
    n_dyads: int
    max_nodes: int

    def as_dict(self) -> dict[str, Any]:
        """Return the network as JSON-ready data (edges carry their actors' names)."""
        names = {n.code: n.name for n in self.nodes}
        return {
            "nodes": [
                {
                    "code": n.code,
                    "name": n.name,
                    "events": n.events,
                    "as_source": n.as_source,
                    "as_target": n.as_target,
                    "internal": n.internal,
                    "goldstein": n.goldstein,
                }
                for n in self.nodes
            ],
            "edges": [edge_row(e, names) for e in self.edges],
            "n_actors": self.n_actors,
            "n_dyads": self.n_dyads,
            "max_nodes": self.max_nodes,
        }


def edge_row(e: Edge, names: Mapping[str, str]) -> dict[str, Any]:
    """Return one edge as a flat row (the API's JSON and CSV)."""
    return {
        "source": e.source,
        "source_name": names.get(e.source, e.source),
        "target": e.target,
        "target_name": names.get(e.target, e.target),
        "n": e.n,
        "goldstein": e.goldstein,
    }


class _Tally:
    """Running sums for one actor or dyad."""

    __slots__ = ("as_source", "as_target", "internal", "n", "score_n", "score_sum")

    def __init__(self) -> None:
        self.n = self.as_source = self.as_target = self.internal = self.score_n = 0
        self.score_sum = 0.0

    def add_score(self, total: float | None, count: int) -> None:
        if total is not None and count:
            self.score_sum += float(total)
            self.score_n += count

    def mean(self) -> float | None:
        return round(self.score_sum / self.score_n, 2) if self.score_n else None


def _row_score(row: Mapping[str, Any], n: int) -> tuple[float | None, int]:
    """Return a row's Goldstein sum and how many events it covers: ``goldstein_sum`` and
    ``n_goldstein`` (aggregated rows), or one event's ``goldstein``."""
    if "goldstein_sum" in row:
        return row["goldstein_sum"], int(row.get("n_goldstein") or 0)
    score = row.get("goldstein")
    return (None, 0) if score is None else (float(score) * n, n)


@cache
def code_names() -> dict[str, str]:
    """Return the names of actor codes in the bundled tables: countries (ISO alpha-3) and IGOs."""
    names = {r["iso3"]: r["name"] for r in read_csv("actors", "countries.csv")}
    names |= {r["code"]: r["name"] for r in read_csv("actors", "igos.csv")}
    return names


def known_name(code: str, known: Mapping[str, str]) -> str | None:
    """Return the name of the longest known prefix of a code (RUSGOV: Russia's), or None."""
    for end in range(len(code), 2, -1):
        if code[:end] in known:
            return known[code[:end]]
    return None


def build(
    rows: Iterable[Mapping[str, Any]], max_nodes: int, known: Mapping[str, str] | None = None
) -> Network:
    """Return the network of the ``max_nodes`` actors with the most events (ties: by code).

    Each row has ``source_code``, ``target_code`` (either may be None), optionally their names
    (``source_name``, ``target_name``), ``n`` (events; 1 when absent) and either
    ``goldstein_sum`` with ``n_goldstein`` or one event's ``goldstein``. An actor's events count
    it as source plus as target (an actor acting on itself counts twice, and is no edge); an
    edge joins two different codes, both kept. An actor's name: from ``known`` (code names, by
    longest prefix), else the one its events use most, else its code.
    """
    actors: dict[str, _Tally] = defaultdict(_Tally)
    dyads: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        n = int(row.get("n", 1))
        score = _row_score(row, n)
        source, target = row.get("source_code"), row.get("target_code")
        for code, role in ((source, "source"), (target, "target")):
            if not code:
                continue
            tally = actors[code]
            tally.n += n
            tally.add_score(*score)
            if role == "source":
                tally.as_source += n
            else:
                tally.as_target += n
            name = row.get(f"{role}_name")
            if name and name != code:
                names[code][str(name)] += n
        if source and target:
            if source == target:
                actors[source].internal += n
                continue
            dyad = dyads[(source, target)]
            dyad.n += n
            dyad.add_score(*score)
    ranked = sorted(actors, key=lambda c: (-actors[c].n, c))[: max(max_nodes, 0)]
    kept = set(ranked)
    nodes = [
        Node(
            code=c,
            name=known_name(c, known or {}) or _name(names[c], c),
            events=actors[c].n,
            as_source=actors[c].as_source,
            as_target=actors[c].as_target,
            internal=actors[c].internal,
            goldstein=actors[c].mean(),
        )
        for c in ranked
    ]
    edges = [Edge(s, t, d.n, d.mean()) for (s, t), d in dyads.items() if s in kept and t in kept]
    edges.sort(key=lambda e: (-e.n, e.source, e.target))
    return Network(nodes, edges, len(actors), len(dyads), max_nodes)


def _name(counts: Counter[str], code: str) -> str:
    if not counts:
        return code
    return min(counts, key=lambda name: (-counts[name], name))


def parse_nodes(value: str | None, cap: int) -> int:
    """Return how many actors to show: a whole number from 1 to ``cap`` (``cap`` when absent)."""
    value = text("nodes", value, 12)
    if value is None:
        return cap
    if not re.fullmatch(r"\d+", value) or not 1 <= int(value) <= cap:
        raise QueryError(f"nodes {value!r} must be a whole number from 1 to {cap}")
    return int(value)


@dataclass(frozen=True, slots=True)
class Style:
    """How the network is drawn (``data/network.toml``)."""

    width: int
    height: int
    margin: int
    min_radius: float
    max_radius: float
    min_width: float
    max_width: float
    labelled_nodes: int
    curvature: float
    iterations: int
    gravity: float
    min_gap: float
    separation_rounds: int
    no_score: str
    colours: tuple[tuple[float, str], ...]


@cache
def style() -> Style:
    """Return the drawing style from ``data/network.toml``."""
    raw = read_toml("network.toml")
    stops = sorted((float(c["goldstein"]), str(c["colour"])) for c in raw["colours"])
    return Style(
        width=int(raw["width"]),
        height=int(raw["height"]),
        margin=int(raw["margin"]),
        min_radius=float(raw["min_radius"]),
        max_radius=float(raw["max_radius"]),
        min_width=float(raw["min_width"]),
        max_width=float(raw["max_width"]),
        labelled_nodes=int(raw["labelled_nodes"]),
        curvature=float(raw["curvature"]),
        iterations=int(raw["iterations"]),
        gravity=float(raw["gravity"]),
        min_gap=float(raw["min_gap"]),
        separation_rounds=int(raw["separation_rounds"]),
        no_score=str(raw["no_score"]),
        colours=tuple(stops),
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def goldstein_colour(score: float | None, s: Style | None = None) -> str:
    """Return the colour of a mean Goldstein score on the diverging scale (red conflict, blue
    cooperation), interpolated between the style's stops; scores outside them are clamped."""
    s = s or style()
    if score is None:
        return s.no_score
    stops = s.colours
    if score <= stops[0][0]:
        return stops[0][1]
    for (low, c1), (high, c2) in pairwise(stops):
        if score <= high:
            t = (score - low) / (high - low) if high > low else 1.0
            a, b = _rgb(c1), _rgb(c2)
            return "#{:02x}{:02x}{:02x}".format(
                *(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
            )
    return stops[-1][1]


def layout(network: Network, s: Style | None = None) -> dict[str, Point]:
    """Return each node's position in the drawing: Fruchterman-Reingold from a circle (most
    events first), pulled to the centre, stretched to fill the drawing inside its margin, then
    circles too close pushed apart."""
    s = s or style()
    codes = [n.code for n in network.nodes]
    count = len(codes)
    if count == 0:
        return {}
    if count == 1:
        return {codes[0]: (s.width / 2, s.height / 2)}
    pos = [
        [
            0.5 + 0.4 * math.cos(2 * math.pi * i / count),
            0.5 + 0.4 * math.sin(2 * math.pi * i / count),
        ]
        for i in range(count)
    ]
    index = {c: i for i, c in enumerate(codes)}
    links: dict[tuple[int, int], float] = defaultdict(float)
    for e in network.edges:
        a, b = sorted((index[e.source], index[e.target]))
        links[(a, b)] += e.n
    heaviest = max(links.values(), default=1.0)
    k = math.sqrt(1.0 / count)
    for step in range(s.iterations):
        heat = 0.1 * (1 - step / s.iterations) + 0.002
        moves = [[0.0, 0.0] for _ in range(count)]
        for i in range(count):
            xi, yi = pos[i]
            for j in range(i + 1, count):
                dx, dy = xi - pos[j][0], yi - pos[j][1]
                d2 = max(dx * dx + dy * dy, 1e-6)
                f = k * k / d2  # repulsion k²/d, along (dx, dy)/d
                moves[i][0] += dx * f
                moves[i][1] += dy * f
                moves[j][0] -= dx * f
                moves[j][1] -= dy * f
        for (a, b), weight in links.items():
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = math.hypot(dx, dy)
            f = d / k * (0.5 + 0.5 * weight / heaviest)  # attraction d²/k, along (dx, dy)/d
            moves[a][0] -= dx * f
            moves[a][1] -= dy * f
            moves[b][0] += dx * f
            moves[b][1] += dy * f
        for i in range(count):
            mx = moves[i][0] - s.gravity * count * (pos[i][0] - 0.5)
            my = moves[i][1] - s.gravity * count * (pos[i][1] - 0.5)
            length = math.hypot(mx, my)
            if length > 0:
                scale = min(length, heat) / length
                pos[i][0] += mx * scale
                pos[i][1] += my * scale
    pos = _fit(pos, s)
    radius = radii(network, s)
    _separate(pos, [radius[c] for c in codes], s)
    return {c: (round(x, 1), round(y, 1)) for c, (x, y) in zip(codes, pos, strict=True)}


def radii(network: Network, s: Style | None = None) -> dict[str, float]:
    """Return each node's radius: its area grows with its events, up to ``max_radius``."""
    s = s or style()
    most = max((n.events for n in network.nodes), default=1) or 1
    return {
        n.code: round(s.min_radius + (s.max_radius - s.min_radius) * math.sqrt(n.events / most), 1)
        for n in network.nodes
    }


def _fit(pos: list[list[float]], s: Style) -> list[list[float]]:
    """Stretch positions in the unit square to fill the drawing inside its margin."""
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    span_x, span_y = max(xs) - min(xs) or 1.0, max(ys) - min(ys) or 1.0
    inner_w, inner_h = s.width - 2 * s.margin, s.height - 2 * s.margin
    return [
        [s.margin + (x - min(xs)) / span_x * inner_w, s.margin + (y - min(ys)) / span_y * inner_h]
        for x, y in pos
    ]


def _separate(pos: list[list[float]], radius: list[float], s: Style) -> None:
    """Push apart, in place, circles closer than their radii and ``min_gap`` (room for an arrow
    and a label), keeping every centre inside the margin."""
    count = len(pos)
    for _ in range(s.separation_rounds):
        moved = False
        for i in range(count):
            for j in range(i + 1, count):
                dx, dy = pos[j][0] - pos[i][0], pos[j][1] - pos[i][1]
                d = math.hypot(dx, dy)
                need = radius[i] + radius[j] + s.min_gap
                if d >= need:
                    continue
                if d < 1e-6:  # on one spot: part them along a fixed direction
                    dx, dy, d = 1.0, 0.5, math.hypot(1.0, 0.5)
                push = (need - d) / 2 / d
                pos[i][0] -= dx * push
                pos[i][1] -= dy * push
                pos[j][0] += dx * push
                pos[j][1] += dy * push
                moved = True
        for p in pos:
            p[0] = min(max(p[0], s.margin), s.width - s.margin)
            p[1] = min(max(p[1], s.margin), s.height - s.margin)
        if not moved:
            return


@dataclass(frozen=True, slots=True)
class DrawnNode:
    """A node as drawn: centre, radius, whether it has a text label, and its tooltip."""

    node: Node
    x: float
    y: float
    r: float
    label: bool
    title: str


@dataclass(frozen=True, slots=True)
class DrawnEdge:
    """An edge as drawn: a curved path, its arrowhead, stroke width, colour and tooltip."""

    edge: Edge
    path: str
    arrow: str
    width: float
    colour: str
    title: str


@dataclass(frozen=True, slots=True)
class Drawing:
    """The SVG drawing of a network: size, edges (thinnest first), nodes, and the legend."""

    width: int
    height: int
    nodes: list[DrawnNode]
    edges: list[DrawnEdge]
    legend: list[tuple[float, str]]


def _score_text(score: float | None) -> str:
    return "no Goldstein score" if score is None else f"mean Goldstein {score:+.2f}"


def node_title(n: Node) -> str:
    """Return a node's tooltip: code, name, events by role."""
    name = f" ({n.name})" if n.name != n.code else ""
    own = f", {n.internal} on itself" if n.internal else ""
    return (
        f"{n.code}{name}: {n.events} events — {n.as_source} as source, {n.as_target} as target"
        f"{own}; {_score_text(n.goldstein)}"
    )


def edge_title(e: Edge, names: Mapping[str, str]) -> str:
    """Return an edge's tooltip: who acts on whom, how often, how (Goldstein)."""
    plural = "s" if e.n != 1 else ""
    who = f"{e.source} → {e.target}"
    full = f"{names.get(e.source, e.source)} → {names.get(e.target, e.target)}"
    return f"{who} ({full}): {e.n} event{plural}, {_score_text(e.goldstein)}"


def _edge_shape(
    p: Point, q: Point, r_p: float, r_q: float, width: float, bend: float
) -> tuple[str, str]:
    """Return the path (a quadratic curve bent to its right) from circle to circle, and the
    points of its arrowhead at the target circle."""
    (x1, y1), (x2, y2) = p, q
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    cx, cy = (x1 + x2) / 2 - uy * bend * length, (y1 + y2) / 2 + ux * bend * length

    def towards(x: float, y: float, r: float) -> Point:
        d = math.hypot(cx - x, cy - y) or 1.0
        return x + (cx - x) / d * r, y + (cy - y) / d * r

    sx, sy = towards(x1, y1, r_p)
    tx, ty = towards(x2, y2, r_q)  # the arrow's tip, on the target's circle
    head = 5.0 + 1.6 * width
    d = math.hypot(tx - cx, ty - cy) or 1.0
    dx, dy = (tx - cx) / d, (ty - cy) / d
    bx, by = tx - dx * head, ty - dy * head
    half = head * 0.55
    arrow = (
        f"{tx:.1f},{ty:.1f} {bx - dy * half:.1f},{by + dx * half:.1f} "
        f"{bx + dy * half:.1f},{by - dx * half:.1f}"
    )
    path = f"M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {bx:.1f},{by:.1f}"
    return path, arrow


def draw(network: Network, s: Style | None = None) -> Drawing:
    """Return the drawing of a network: node area and edge width grow with events, edges are
    coloured by mean Goldstein, the nodes with the most events are labelled."""
    s = s or style()
    pos = layout(network, s)
    heaviest = max((e.n for e in network.edges), default=1) or 1
    radius = radii(network, s)
    names = {n.code: n.name for n in network.nodes}
    nodes = [
        DrawnNode(n, *pos[n.code], radius[n.code], i < s.labelled_nodes, node_title(n))
        for i, n in enumerate(network.nodes)
    ]
    edges = []
    for e in sorted(network.edges, key=lambda e: (e.n, e.source, e.target)):
        width = s.min_width + (s.max_width - s.min_width) * math.sqrt(e.n / heaviest)
        path, arrow = _edge_shape(
            pos[e.source], pos[e.target], radius[e.source], radius[e.target], width, s.curvature
        )
        colour = goldstein_colour(e.goldstein, s)
        edges.append(DrawnEdge(e, path, arrow, round(width, 1), colour, edge_title(e, names)))
    low, high = s.colours[0][0], s.colours[-1][0]
    legend = [(low + (high - low) * i / 20, "") for i in range(21)]
    legend = [(g, goldstein_colour(g, s)) for g, _ in legend]
    return Drawing(s.width, s.height, nodes, edges, legend)
