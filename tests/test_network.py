"""The actor network: the pure function on synthetic events, the store query, the API over HTTP
on 127.0.0.1 and the /network page (SVG nodes and edges, links that keep the filters)."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from newsevents.config import get_settings
from newsevents.errors import QueryError
from newsevents.filters import Filters
from newsevents.model import Article
from newsevents.network import (
    build,
    code_names,
    draw,
    goldstein_colour,
    known_name,
    layout,
    parse_nodes,
    style,
)
from newsevents.store import Store
from newsevents.store_queries import Queries
from synthetic_events import Report, article


def ev(source: str | None, target: str | None, goldstein: float | None, **names: str) -> dict:
    """One synthetic event as a row."""
    return {"source_code": source, "target_code": target, "goldstein": goldstein, **names}


# Who did what to whom: RUSMIL acts on UKR four times (mean -7), UKR on RUSMIL once, USA on UKR
# twice (mean +4), DEU on itself (counted, no edge), POL acts on nobody coded, nobody on FRA.
EVENTS = [
    ev("RUSMIL", "UKR", -10.0, source_name="Russian forces", target_name="Ukraine"),
    ev("RUSMIL", "UKR", -10.0, source_name="Russian troops", target_name="Ukraine"),
    ev("RUSMIL", "UKR", -4.0, source_name="Russian forces", target_name="Kyiv"),
    ev("RUSMIL", "UKR", -4.0, source_name="Russian forces", target_name="Ukraine"),
    ev("UKR", "RUSMIL", -2.0, source_name="Ukraine", target_name="Russian forces"),
    ev("USA", "UKR", 3.0, source_name="Washington", target_name="Ukraine"),
    ev("USA", "UKR", 5.0, source_name="Washington", target_name="Kyiv"),
    ev("DEU", "DEU", 1.0, source_name="Germany", target_name="Berlin"),
    ev("POL", None, None, source_name="Poland", target_name="the plan"),
    ev(None, "FRA", 2.0, target_name="France"),
]


def test_build_counts_events_and_means_per_actor_and_dyad() -> None:
    net = build(EVENTS, max_nodes=10)
    nodes = {n.code: n for n in net.nodes}
    assert [n.code for n in net.nodes] == ["UKR", "RUSMIL", "DEU", "USA", "FRA", "POL"]
    assert (nodes["UKR"].events, nodes["UKR"].as_source, nodes["UKR"].as_target) == (7, 1, 6)
    assert (nodes["RUSMIL"].events, nodes["RUSMIL"].as_source) == (5, 4)
    assert (nodes["DEU"].events, nodes["DEU"].internal) == (2, 1)  # on itself: both roles
    assert nodes["POL"].goldstein is None and nodes["FRA"].goldstein == 2.0
    assert nodes["UKR"].goldstein == round((-28 - 2 + 8) / 7, 2)
    assert nodes["RUSMIL"].name == "Russian forces" and nodes["UKR"].name == "Ukraine"
    edges = {(e.source, e.target): e for e in net.edges}
    assert set(edges) == {("RUSMIL", "UKR"), ("USA", "UKR"), ("UKR", "RUSMIL")}
    assert (edges[("RUSMIL", "UKR")].n, edges[("RUSMIL", "UKR")].goldstein) == (4, -7.0)
    assert (edges[("USA", "UKR")].n, edges[("USA", "UKR")].goldstein) == (2, 4.0)
    assert [e.n for e in net.edges] == [4, 2, 1]  # most events first
    assert (net.n_actors, net.n_dyads) == (6, 3)


def test_build_caps_to_the_actors_with_most_events() -> None:
    net = build(EVENTS, max_nodes=2)
    assert [n.code for n in net.nodes] == ["UKR", "RUSMIL"]
    assert {(e.source, e.target) for e in net.edges} == {("RUSMIL", "UKR"), ("UKR", "RUSMIL")}
    assert (net.n_actors, net.n_dyads, net.max_nodes) == (6, 3, 2)
    # a tie (DEU 2, USA 2) is broken by code, so the cut is the same every time
    assert [n.code for n in build(EVENTS, max_nodes=3).nodes][-1] == "DEU"
    assert build([], max_nodes=5).nodes == [] and build(EVENTS, max_nodes=0).edges == []


def test_aggregated_rows_give_the_same_network_as_events() -> None:
    rows = [
        {"source_code": "RUSMIL", "target_code": "UKR", "n": 3, "goldstein_sum": -24.0,
         "n_goldstein": 3, "source_name": "Russian forces"},
        {"source_code": "RUSMIL", "target_code": "UKR", "n": 1, "goldstein_sum": None,
         "n_goldstein": 0, "source_name": "Russian troops"},
    ]  # fmt: skip
    net = build(rows, max_nodes=5)
    assert net.edges[0].n == 4 and net.edges[0].goldstein == -8.0  # no score: not in the mean
    assert net.nodes[0].name == "Russian forces"


def test_known_names_come_from_the_actor_tables_by_longest_prefix() -> None:
    known = code_names()
    assert known_name("RUSGOV", known) == "Russia" and known_name("IGOUNO", known)
    assert known_name("ZZZ", known) is None
    nodes = {n.code: n.name for n in build(EVENTS, 10, known).nodes}
    assert nodes["RUSMIL"] == "Russia" and nodes["USA"] == "United States"


def test_parse_nodes() -> None:
    assert parse_nodes(None, 40) == 40 and parse_nodes(" 7 ", 40) == 7
    for bad in ("0", "41", "-1", "abc", "2.5"):
        with pytest.raises(QueryError, match="nodes"):
            parse_nodes(bad, 40)


def test_goldstein_colours_diverge_from_red_to_blue() -> None:
    s = style()
    assert goldstein_colour(-10) == goldstein_colour(-50) == s.colours[0][1]
    assert goldstein_colour(10) == goldstein_colour(99) == s.colours[-1][1]
    assert goldstein_colour(0) == dict(s.colours)[0.0] and goldstein_colour(None) == s.no_score
    red, blue = goldstein_colour(-7), goldstein_colour(7)
    assert int(red[1:3], 16) > int(red[5:7], 16) and int(blue[5:7], 16) > int(blue[1:3], 16)


def test_drawing_is_deterministic_and_inside_the_canvas() -> None:
    net = build(EVENTS, 10)
    s = style()
    first, again = draw(net), draw(net)
    assert first == again
    assert len(first.nodes) == 6 and len(first.edges) == 3
    for n in first.nodes:
        assert n.x - n.r >= 0 and n.x + n.r <= s.width and n.y - n.r >= 0 and n.y + n.r <= s.height
    radius = {n.node.code: n.r for n in first.nodes}
    assert radius["UKR"] == s.max_radius and radius["FRA"] < radius["UKR"]
    width = {(e.edge.source, e.edge.target): e.width for e in first.edges}
    assert width[("RUSMIL", "UKR")] == s.max_width > width[("USA", "UKR")]
    assert sum(n.label for n in first.nodes) == min(6, s.labelled_nodes)
    assert "RUSMIL → UKR" in first.edges[-1].title and "4 events" in first.edges[-1].title
    assert len(set(layout(net).values())) == 6  # no two actors on one spot


# --- the store query, the API and the page over a database of synthetic articles ---

DAY = date(2025, 3, 3)


def _article(name: str, source: str | None, target: str | None, goldstein: float, day: date,
             plover: str = "ASSAULT") -> Article:  # fmt: skip
    cameo = "190" if plover == "ASSAULT" else "036"
    art = article(Report(name, f"{name}.test", day, source=source, target=target, cameo=cameo,
                         plover=plover))  # fmt: skip
    return replace(art, events=(replace(art.events[0], goldstein=goldstein),))


ARTICLES = [
    _article("a1", "RUSMIL", "UKR", -10.0, DAY),
    _article("a2", "RUSMIL", "UKR", -8.0, DAY),
    _article("a3", "RUSMIL", "UKR", -6.0, date(2025, 4, 1)),
    _article("a4", "UKR", "RUSMIL", -9.0, DAY),
    _article("a5", "USA", "UKR", 4.0, date(2025, 4, 2), plover="CONSULT"),
    _article("a6", "POL", None, 1.0, DAY, plover="CONSULT"),
]


def test_store_rows_build_the_same_network_as_the_events(store: Store) -> None:
    store.write_batch(ARTICLES)
    rows = Queries(store).network_rows(Filters())
    events = [
        ev(a.events[0].source.code if a.events[0].source else None,
           a.events[0].target.code if a.events[0].target else None, a.events[0].goldstein)
        for a in ARTICLES
    ]  # fmt: skip
    from_sql, from_events = build(rows, 10), build(events, 10)
    assert from_sql.edges == from_events.edges
    assert [(n.code, n.events, n.goldstein) for n in from_sql.nodes] == [
        (n.code, n.events, n.goldstein) for n in from_events.nodes
    ]
    assert from_sql.edges[0].n == 3 and from_sql.edges[0].goldstein == -8.0
    assert sum(r["n"] for r in rows) == len(ARTICLES)
    since = Queries(store).network_rows(Filters(since=date(2025, 4, 1)))
    assert sorted((r["source_code"], r["target_code"]) for r in since) == [
        ("RUSMIL", "UKR"),
        ("USA", "UKR"),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The synthetic articles in a database file, served by uvicorn on 127.0.0.1."""
    import uvicorn

    from newsevents.web import create_app

    db = tmp_path_factory.mktemp("network") / "network.duckdb"
    with Store(db) as store:
        store.write_batch(ARTICLES)
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=_free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def http(base_url: str) -> Iterator[httpx.Client]:
    """An HTTP client for the served app."""
    with httpx.Client(base_url=base_url, timeout=20) as client:
        yield client


def test_api_network_over_http(http: httpx.Client) -> None:
    body = http.get("/api/network").json()
    assert body["ok"] is True
    data = body["data"]
    assert [n["code"] for n in data["nodes"]] == ["UKR", "RUSMIL", "POL", "USA"]
    assert data["max_nodes"] == get_settings().network_max_nodes
    edges = {(e["source"], e["target"]): e for e in data["edges"]}
    assert edges[("RUSMIL", "UKR")]["n"] == 3 and edges[("RUSMIL", "UKR")]["goldstein"] == -8.0
    assert edges[("USA", "UKR")]["source_name"] == "United States"
    filtered = http.get("/api/network", params={"plover": "assault", "since": "2025-03-01"})
    assert filtered.json()["meta"]["filters"] == {"plover": "ASSAULT", "since": "2025-03-01"}
    assert {(e["source"], e["target"]) for e in filtered.json()["data"]["edges"]} == {
        ("RUSMIL", "UKR"),
        ("UKR", "RUSMIL"),
    }
    capped = http.get("/api/network?nodes=1").json()["data"]
    assert [n["code"] for n in capped["nodes"]] == ["UKR"] and capped["edges"] == []
    csv = http.get("/api/network?format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "source,source_name,target,target_name,n,goldstein"
    assert len(csv.text.splitlines()) == 1 + len(data["edges"])
    assert http.post("/api/network").status_code == 405
    assert "/api/network" in http.get("/api").json()["data"]["routes"]


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("nodes=0", "nodes"),
        ("nodes=many", "nodes"),
        (f"nodes={get_settings().network_max_nodes + 1}", "nodes"),
        ("cameo=999", "CAMEO"),
        ("since=2025-02-30", "since"),
        ("plover=HUGS", "PLOVER"),
        ("bogus=1", "bogus"),
        ("format=xml", "format"),
    ],
)
def test_api_network_refuses_bad_parameters(http: httpx.Client, query: str, needle: str) -> None:
    r = http.get(f"/api/network?{query}")
    assert r.status_code == 400 and r.json()["ok"] is False
    assert needle.lower() in r.json()["error"].lower()
    page = http.get(f"/network?{query}")
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]


def _links(html: str, cls: str) -> list[dict[str, Any]]:
    pattern = rf'<a class="{cls}" href="([^"]+)"'
    return [
        {"path": urlsplit(unescape(h)).path, **parse_qs(urlsplit(unescape(h)).query)}
        for h in re.findall(pattern, html)
    ]


def test_network_page_draws_nodes_and_edges_linking_to_their_events(http: httpx.Client) -> None:
    html = http.get("/network").text
    assert "<svg" in html and 'href="/network"' in html  # the page, and its place in the menu
    nodes, edges = _links(html, "node"), _links(html, "edge")
    assert len(nodes) == 4 and len(edges) == 3
    assert html.count("<circle") == 4 and html.count("<path") == 3 and "<title>" in html
    assert {(e["source"][0], e["target"][0]) for e in edges} == {
        ("RUSMIL", "UKR"),
        ("UKR", "RUSMIL"),
        ("USA", "UKR"),
    }
    assert all(link["path"] == "/events" for link in nodes + edges)
    # following an edge lists exactly its events
    edge = next(e for e in edges if e["source"] == ["RUSMIL"])
    listed = http.get("/api/events", params={k: v[0] for k, v in edge.items() if k != "path"})
    assert listed.json()["meta"]["total"] == 3
    assert 'href="/api/network"' in html and 'href="/api/network?format=csv"' in html


def test_network_links_keep_the_filters(http: httpx.Client) -> None:
    html = http.get("/network?since=2025-04-01&plover=assault&nodes=3").text
    nodes, edges = _links(html, "node"), _links(html, "edge")
    assert len(nodes) == 2 and len(edges) == 1  # RUSMIL -> UKR on April 1st
    for link in nodes + edges:
        assert link["since"] == ["2025-04-01"] and link["plover"] == ["ASSAULT"]
        assert "nodes" not in link
    assert edges[0]["source"] == ["RUSMIL"] and edges[0]["target"] == ["UKR"]
    assert sorted(n["actor"][0] for n in nodes) == ["RUSMIL", "UKR"]
    events = http.get("/events?since=2025-04-01&plover=ASSAULT&view=clusters&stack=plover").text
    see = re.search(r'<a class="see-network" href="([^"]+)"', events)
    assert see is not None
    assert parse_qs(urlsplit(unescape(see.group(1))).query) == {
        "since": ["2025-04-01"],
        "plover": ["ASSAULT"],
    }
    assert http.get(unescape(see.group(1))).status_code == 200


def test_network_page_without_coded_events(http: httpx.Client) -> None:
    r = http.get("/network?since=2030-01-01")
    assert r.status_code == 200 and "No events with actor codes" in r.text
