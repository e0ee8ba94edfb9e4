"""Cross-article event clusters: the pure rules, and the store keeping them as articles arrive."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newsevents.clusters import ClusterRules, Mention, assign, compatible, family, rules
from newsevents.filters import Filters
from newsevents.model import make_id
from newsevents.store import Store
from newsevents.store_clusters import rebuild
from newsevents.store_queries import Queries
from synthetic_events import DAY, HAPPENING, OTHERS, articles

RULES = ClusterRules(
    window_days=2,
    max_km=150.0,
    require_actor=True,
    modality_groups={"asserted": "real", "reported": "real", "negated": "negated"},
)


def _m(eid: str, **kw: Any) -> Mention:
    base: dict[str, Any] = {
        "event_id": eid,
        "family": "ASSAULT",
        "source_code": "RUSMIL",
        "target_code": "UKR",
        "modality": "asserted",
        "day": DAY,
        "country": "UKR",
        "lat": 49.99,
        "lon": 36.23,
    }
    return Mention(**{**base, **kw})


# (case, the second mention's differences from the first, whether the two are one happening)
PAIRS: list[tuple[str, dict[str, Any], bool]] = [
    ("identical", {}, True),
    ("a day later", {"day": date(2025, 3, 4)}, True),
    ("at the window's edge", {"day": date(2025, 3, 5)}, True),
    ("past the window", {"day": date(2025, 3, 6)}, False),
    ("reported, not asserted", {"modality": "reported"}, True),
    ("negated", {"modality": "negated"}, False),
    ("another target", {"target_code": "POL"}, False),
    ("no target", {"target_code": None}, False),
    ("another type", {"family": "PROTEST"}, False),
    ("no place", {"country": None, "lat": None, "lon": None}, True),
    ("the country only", {"lat": None, "lon": None}, True),
    ("a city 50 km away", {"lat": 50.4, "lon": 36.0}, True),
    ("a city 430 km away", {"lat": 50.45, "lon": 30.52}, False),
    ("another country", {"country": "RUS", "lat": 55.75, "lon": 37.62}, False),
    ("no date", {"day": None}, False),
]


@pytest.mark.parametrize(("case", "changes", "same"), PAIRS, ids=[p[0] for p in PAIRS])
def test_pairs(case: str, changes: dict[str, Any], same: bool) -> None:
    got = assign([_m("a"), _m("b", **changes)], RULES)
    assert (got["a"] == got["b"]) is same, case


def test_mentions_without_actors_stay_alone() -> None:
    bare = {"source_code": None, "target_code": None}
    got = assign([_m("a", **bare), _m("b", **bare)], RULES)
    assert got["a"] != got["b"]
    loose = ClusterRules(2, 150.0, False, RULES.modality_groups)
    got = assign([_m("a", **bare), _m("b", **bare)], loose)
    assert got["a"] == got["b"]


def test_window_counts_from_the_first_mention() -> None:
    days = [date(2025, 3, d) for d in (1, 2, 3, 4, 5)]
    got = assign([_m(f"e{i}", day=d) for i, d in enumerate(days)], RULES)
    assert got["e0"] == got["e1"] == got["e2"] != got["e3"] == got["e4"]


def test_assignment_ignores_input_order() -> None:
    mentions = [
        _m(f"e{i}", day=date(2025, 3, 1 + i % 9), target_code=f"T{i % 3}") for i in range(40)
    ]
    expected = assign(mentions, RULES)
    for seed in range(5):
        shuffled = mentions[:]
        random.Random(seed).shuffle(shuffled)
        assert assign(shuffled, RULES) == expected


def test_helpers_and_shipped_rules() -> None:
    assert family("ASSAULT", "190") == "ASSAULT"
    assert family(None, "010") == "CAMEO01"
    assert compatible(None, _m("a"), 1.0)
    r = rules()
    assert r.window_days >= 0 and r.max_km > 0
    assert r.modality_groups["negated"] != r.modality_groups["asserted"]


# -- in the store ----------------------------------------------------------------------------------


def _state(store: Store) -> tuple[dict[str, str], list[tuple[Any, ...]]]:
    """Return event id -> cluster id, and the clusters' rows (without the time they were added)."""
    members = {r["id"]: r["cluster_id"] for r in store.query("SELECT id, cluster_id FROM events")}
    clusters = [
        tuple(r.values())
        for r in store.query("SELECT * EXCLUDE (added_at) FROM event_clusters ORDER BY id")
    ]
    return members, clusters


def _consistent(store: Store) -> None:
    """Every event is in a cluster that exists, and every cluster has mentions."""
    rows = store.query(
        "SELECT (SELECT count(*) FROM events WHERE cluster_id IS NULL "
        "OR cluster_id NOT IN (SELECT id FROM event_clusters)) AS lost, "
        "(SELECT count(*) FROM event_clusters WHERE id NOT IN "
        "(SELECT cluster_id FROM events WHERE cluster_id IS NOT NULL)) AS empty"
    )
    assert rows == [{"lost": 0, "empty": 0}]


def test_syndicated_copies_and_independent_reports_are_one_cluster(store: Store) -> None:
    store.write_batch(articles())
    page = Queries(store).clusters(Filters(), limit=50)
    assert page.total == 1 + len(OTHERS)
    top = max(page.rows, key=lambda r: r["n_mentions"])
    # 5 mentions; the wire story and its copy are one article from one outlet: 4 and 4
    assert (top["n_mentions"], top["n_articles"], top["n_sources"]) == (5, 4, 4)
    assert top["id"] == make_id("event", "daily")  # the most confident mention represents it
    assert (top["first_day"], top["last_day"]) == (DAY, date(2025, 3, 5))
    assert (top["first_seen"], top["last_seen"]) == (DAY, date(2025, 3, 5))
    assert all(r["n_mentions"] == 1 for r in page.rows if r is not top)
    one = Queries(store).cluster(top["cluster_id"])
    assert one is not None
    assert sorted(m["title"] for m in one["mentions"]) == sorted(
        f"Shelling in Kharkiv ({r.name})" for r in HAPPENING
    )
    assert all(m["sentence"].startswith("Russian forces shelled") for m in one["mentions"])
    _consistent(store)


def test_cluster_filters_keep_clusters_with_a_matching_mention(store: Store) -> None:
    store.write_batch(articles())
    q = Queries(store)
    polish = q.clusters(Filters(target="POL"))
    assert [r["target_code"] for r in polish.rows] == ["POL"]
    herald = q.clusters(Filters(domain="herald.test"))
    assert [r["n_mentions"] for r in herald.rows] == [5]  # the whole cluster, found by one
    assert q.clusters(Filters(since=date(2025, 3, 10))).total == 1


def test_same_clusters_in_any_order_and_batching(tmp_path: Path) -> None:
    arts = articles()
    states = []
    for order, size in ((arts, len(arts)), (arts[::-1], 1), (arts[3:] + arts[:3], 2)):
        with Store(":memory:") as store:
            for i in range(0, len(order), size):
                store.write_batch(order[i : i + size])
            _consistent(store)
            states.append(_state(store)[0])
            rebuild(store.con)
            assert _state(store)[0] == states[-1]
    assert states[0] == states[1] == states[2]


def test_processing_again_changes_nothing_and_new_reports_join(store: Store) -> None:
    arts = articles()
    store.write_batch(arts[:3] + arts[5:])
    before = _state(store)
    store.write_batch(arts[:3] + arts[5:])  # the same input again
    assert _state(store) == before
    first = store.query("SELECT cluster_id FROM events WHERE id = ?", [make_id("event", "wire")])
    store.write_batch(arts[3:5])  # later reports of the happening arrive
    rows = store.query(
        "SELECT n_mentions, n_articles, n_sources FROM event_clusters WHERE id = ?",
        [first[0]["cluster_id"]],
    )
    assert rows == [{"n_mentions": 5, "n_articles": 4, "n_sources": 4}]  # same id, grown
    _consistent(store)


def test_an_article_replaced_leaves_its_cluster(store: Store) -> None:
    arts = articles(HAPPENING)
    store.write(arts)
    changed = articles((replace(HAPPENING[2], target="POL"),))
    store.write(changed)  # "daily" now reports another target
    sizes = sorted(r["n_mentions"] for r in store.query("SELECT n_mentions FROM event_clusters"))
    assert sizes == [1, 4]
    _consistent(store)


def test_a_database_of_an_earlier_version_gets_its_clusters(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        store.write_batch(articles())
        expected = _state(store)
    with duckdb.connect(str(db)) as con:  # as an earlier version left it
        con.execute("DROP TABLE event_clusters")
        con.execute("ALTER TABLE events DROP COLUMN cluster_id")
    with Store(db, read_only=True) as store:  # upgraded on opening, then read
        assert _state(store) == expected
        _consistent(store)


def test_clusters_over_http(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsevents.web import create_app

    db = tmp_path / "web.duckdb"
    with Store(db) as store:
        store.write_batch(articles())
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        answer = client.get("/api/events?view=clusters").json()
        assert answer["meta"]["view"] == "clusters"
        assert answer["meta"]["total"] == 1 + len(OTHERS)
        top = max(answer["data"], key=lambda r: r["n_mentions"])
        assert (top["n_mentions"], top["n_articles"], top["n_sources"]) == (5, 4, 4)
        mentions = client.get("/api/events").json()
        assert mentions["meta"]["view"] == "mentions"
        assert mentions["meta"]["total"] == len(HAPPENING) + len(OTHERS)
        one = client.get(f"/api/clusters/{top['cluster_id']}").json()["data"]
        assert len(one["mentions"]) == 5 and one["n_mentions"] == 5
        assert {m["cluster_id"] for m in one["mentions"]} == {top["cluster_id"]}
        csv_text = client.get("/api/events?view=clusters&format=csv").text
        header = csv_text.splitlines()[0].split(",")
        assert {"n_mentions", "n_articles", "n_sources", "id"} <= set(header)
        for bad, status in (
            ("/api/events?view=bogus", 400),
            ("/api/clusters/0123456789abcdef0123", 404),
            ("/api/clusters/not-an-id", 404),
        ):
            assert client.get(bad).status_code == status, bad
        page = client.get("/events?view=clusters")
        assert page.status_code == 200 and "5 mentions · 4 articles · 4 outlets" in page.text
        page = client.get(f"/clusters/{top['cluster_id']}")
        assert page.status_code == 200 and "shelled" in page.text
        assert f'href="/api/clusters/{top["cluster_id"]}"' in page.text  # its JSON twin
