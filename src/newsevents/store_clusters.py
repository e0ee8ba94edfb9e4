"""Cross-article clusters in the store: the SQL side of ``newsevents.clusters``.

``Store.write`` calls ``touched`` before it replaces a batch's articles and ``recluster`` after,
in the same transaction: the mentions of every block the batch touches (before or after) are
read, assigned again by the pure ``clusters.assign``, and the clusters that changed are
recounted. A block holds one type family, one actor pair and one modality group, so a batch
reads few rows however large the store is. Part of the store: only code here and in
``store.py`` touches DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from .clusters import Mention, assign, global_id, rules

FAMILY = "coalesce(nullif(e.plover_type, ''), 'CAMEO' || e.cameo_root)"
_MENTION_COLUMNS = (
    f"e.id, {FAMILY} AS family, e.source_code, e.target_code, e.modality, "
    "coalesce(e.date, a.published) AS day, e.location_country, e.location_lat, "
    "e.location_lon, e.cluster_id"
)
_MENTIONS = f"SELECT {_MENTION_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id"
# One row per cluster, from its mentions: the most confident (an original before a copy, then
# the earliest) represents it; a syndicated copy counts as its original article and outlet, and
# an article without a source domain as an outlet of its own.
_AGGREGATE = f"""
SELECT c.id, c.global_id, any_value(m.family) AS family, any_value(m.source_code) AS source_code,
    any_value(m.target_code) AS target_code,
    first(m.id ORDER BY m.confidence DESC, m.is_copy, m.day NULLS LAST, m.id) AS representative,
    max(m.confidence) AS confidence, min(m.day) AS first_day, max(m.day) AS last_day,
    min(coalesce(m.published, m.day)) AS first_seen, max(coalesce(m.published, m.day)) AS last_seen,
    min(m.processed_at) AS added_at, count(*)::INTEGER AS n_mentions,
    count(DISTINCT m.story)::INTEGER AS n_articles,
    count(DISTINCT coalesce(m.outlet, m.story))::INTEGER AS n_sources
FROM _new_clusters c JOIN (
    SELECT e.id, e.cluster_id, {FAMILY} AS family, e.source_code, e.target_code, e.confidence,
        coalesce(e.date, a.published) AS day, a.published, a.processed_at,
        coalesce(a.duplicate_of, a.id) AS story, a.duplicate_of IS NOT NULL AS is_copy,
        lower(coalesce(o.source_domain, a.source_domain)) AS outlet
    FROM events e JOIN articles a ON a.id = e.article_id
    LEFT JOIN articles o ON o.id = a.duplicate_of
    WHERE e.cluster_id IN (SELECT id FROM _new_clusters)
) m ON m.cluster_id = c.id
GROUP BY c.id, c.global_id
"""


@dataclass(frozen=True, slots=True)
class Touched:
    """The blocks (family, source code, target code) and clusters some articles' events are in."""

    blocks: frozenset[tuple[str, str, str]] = frozenset()
    clusters: frozenset[str] = frozenset()


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def _registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register(name, table)


def touched(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> Touched:
    """Return the blocks and clusters of the events these articles have in the store now."""
    if not article_ids:
        return Touched()
    _registered(con, "_cluster_ids", pa.table({"id": pa.array(list(article_ids), pa.string())}))
    try:
        rows = _fetch(
            con,
            f"SELECT DISTINCT {FAMILY}, coalesce(e.source_code, ''), coalesce(e.target_code, ''), "
            "e.cluster_id FROM events e WHERE e.article_id IN (SELECT id FROM _cluster_ids)",
        )
    finally:
        con.unregister("_cluster_ids")
    return Touched(
        frozenset((str(f), str(s), str(t)) for f, s, t, _ in rows if s or t),
        frozenset(str(c) for *_, c in rows if c is not None),
    )


def _mentions(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], blocks: frozenset[Any]
) -> list[tuple[Any, ...]]:
    """Return the mentions of the articles and of every event in the blocks."""
    fam, src, tgt = (list(x) for x in zip(*blocks, strict=True)) if blocks else ([], [], [])
    _registered(con, "_cluster_ids", pa.table({"id": pa.array(list(article_ids), pa.string())}))
    _registered(
        con,
        "_cluster_blocks",
        pa.table(
            {
                "family": pa.array(fam, pa.string()),
                "source_code": pa.array(src, pa.string()),
                "target_code": pa.array(tgt, pa.string()),
            }
        ),
    )
    try:
        return _fetch(
            con,
            f"{_MENTIONS} JOIN _cluster_blocks b ON b.family = {FAMILY} "
            "AND b.source_code = coalesce(e.source_code, '') "
            "AND b.target_code = coalesce(e.target_code, '') "
            f"UNION {_MENTIONS} WHERE e.article_id IN (SELECT id FROM _cluster_ids)",
        )
    finally:
        con.unregister("_cluster_ids")
        con.unregister("_cluster_blocks")


def recluster(
    con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], before: Touched = Touched()
) -> int:
    """Assign the clusters of the blocks these articles' events are (or were, ``before``) in;
    rewrite the clusters that changed. Return how many clusters were written."""
    now = touched(con, article_ids)
    rows = _mentions(con, article_ids, before.blocks | now.blocks)
    mentions = [
        Mention(
            event_id=str(r[0]),
            family=str(r[1]),
            source_code=r[2],
            target_code=r[3],
            modality=str(r[4]),
            day=r[5],
            country=r[6],
            lat=r[7],
            lon=r[8],
        )
        for r in rows
    ]
    assigned = assign(mentions, rules())
    old = set(before.clusters) | {str(r[9]) for r in rows if r[9] is not None}
    new = sorted(set(assigned.values()))
    changed = sorted(assigned.items())
    _registered(
        con,
        "_cluster_assign",
        pa.table(
            {
                "event_id": pa.array([e for e, _ in changed], pa.string()),
                "cluster_id": pa.array([c for _, c in changed], pa.string()),
            }
        ),
    )
    _registered(
        con,
        "_new_clusters",
        pa.table(
            {
                "id": pa.array(new, pa.string()),
                "global_id": pa.array([global_id(c) for c in new], pa.int64()),
            }
        ),
    )
    _registered(con, "_old_clusters", pa.table({"id": pa.array(sorted(old), pa.string())}))
    try:
        con.execute(
            "UPDATE events SET cluster_id = t.cluster_id FROM _cluster_assign t "
            "WHERE events.id = t.event_id AND events.cluster_id IS DISTINCT FROM t.cluster_id"
        )
        con.execute(
            "DELETE FROM event_clusters WHERE id IN (SELECT id FROM _old_clusters) "
            "OR id IN (SELECT id FROM _new_clusters)"
        )
        con.execute(f"INSERT INTO event_clusters BY NAME {_AGGREGATE}")
    finally:
        for name in ("_cluster_assign", "_new_clusters", "_old_clusters"):
            con.unregister(name)
    return len(new)


def unassigned_articles(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return the articles with events in no cluster yet (stored by an earlier version)."""
    rows = _fetch(con, "SELECT DISTINCT article_id FROM events WHERE cluster_id IS NULL")
    return sorted(str(r[0]) for r in rows)


def rebuild(con: duckdb.DuckDBPyConnection) -> int:
    """Forget every cluster and assign them all again (after the rules changed)."""
    con.execute("UPDATE events SET cluster_id = NULL")
    con.execute("DELETE FROM event_clusters")
    return recluster(con, unassigned_articles(con))


def cluster_unassigned(con: duckdb.DuckDBPyConnection) -> int:
    """Cluster the events an earlier version stored without one; return clusters written."""
    ids = unassigned_articles(con)
    return recluster(con, ids) if ids else 0
