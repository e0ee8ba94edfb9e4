"""The queries behind ``newsevents export``: rows streamed from DuckDB in batches, and Parquet
written by DuckDB's own ``COPY``. Part of the store: only code here, ``store.py`` and its
sibling modules touch DuckDB.

Every export takes the event filters (``newsevents.filters``): mention exports keep the mentions
that match; cluster exports (GDELT events, and GDELT mentions so that the two tables pair) keep
every cluster with a matching mention. Rows come oldest first, in a fixed order, so the same
database always gives the same file; DuckDB sorts out of core, and Python holds one batch.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .filters import Filters
from .resources import read_toml
from .store import Store
from .store_queries import CLUSTER_COLUMNS, CLUSTERS, EVENT_COLUMNS, EVENTS, _where

BATCH_ROWS = int(read_toml("export.toml")["batch_rows"])
OLDEST = "date NULLS LAST, e.article_id, e.trigger_start, e.id"
# 1 when a sentence starts in its article's first paragraph (GDELT's IsRootEvent).
LEAD = (
    "CASE WHEN e.sentence_start < coalesce(nullif(strpos(a.text, chr(10) || chr(10)), 0), "
    "length(a.text) + 1) THEN 1 ELSE 0 END"
)
EVENT_EXTRA = (
    "e.location_lat, e.location_lon, a.url, a.source_path, a.published, a.language, "
    "a.n_chars, a.processed_at, a.duplicate_of"
)

# What the GDELT tables need: no text, so that the sort DuckDB does before streaming stays small.
GDELT_COLUMNS = (
    "c.global_id, c.first_day, c.added_at, c.n_mentions, c.n_sources, c.n_articles, e.cameo, "
    "e.quad_class, e.goldstein, e.source_code, e.source_name, e.source_country, e.target_code, "
    "e.target_name, e.target_country, e.location_name, e.location_country, e.location_lat, "
    "e.location_lon, a.url"
)
GDELT_MENTION_COLUMNS = (
    "c.global_id, c.added_at, a.processed_at, a.url, a.source_domain, a.source_path, "
    "e.source_start, e.target_start, e.trigger_start, e.confidence, a.n_chars"
)


def _matching_clusters(where: str) -> str:
    return f"c.id IN (SELECT e.cluster_id FROM {EVENTS} WHERE {where})"


def export_query(kind: str, f: Filters) -> tuple[str, list[Any]]:
    """Return the SQL and parameters of one export: ``mentions`` and ``clusters`` (the JSON
    API's columns), ``gdelt``, ``gdelt-mentions`` or ``plover``."""
    w = _where("events", f)
    if kind == "mentions":
        sql = f"SELECT {EVENT_COLUMNS} FROM {EVENTS} WHERE {w.sql()} ORDER BY {OLDEST}"
    elif kind == "clusters":
        sql = (
            f"SELECT {CLUSTER_COLUMNS} FROM {CLUSTERS} "
            f"WHERE {_matching_clusters(w.sql())} ORDER BY c.first_day NULLS LAST, c.global_id"
        )
    elif kind == "gdelt":
        sql = (
            f"SELECT {GDELT_COLUMNS}, {LEAD} AS is_root FROM {CLUSTERS} "
            f"WHERE {_matching_clusters(w.sql())} ORDER BY c.first_day NULLS LAST, c.global_id"
        )
    elif kind == "gdelt-mentions":
        sql = (
            f"SELECT {GDELT_MENTION_COLUMNS} FROM {EVENTS} "
            "JOIN event_clusters c ON c.id = e.cluster_id "
            f"WHERE {_matching_clusters(w.sql())} "
            "ORDER BY c.first_day NULLS LAST, c.global_id, a.processed_at, e.article_id, "
            "e.trigger_start, e.id"
        )
    elif kind == "plover":
        sql = (
            f"SELECT {EVENT_COLUMNS}, {EVENT_EXTRA} FROM {EVENTS} "
            f"WHERE {w.sql()} AND e.plover_type IS NOT NULL ORDER BY {OLDEST}"
        )
    else:
        raise ValueError(f"unknown export {kind!r}")
    return sql, w.params


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@contextmanager
def bounded_memory(store: Store) -> Iterator[None]:
    """Limit DuckDB's memory on a store opened for one export (``data/export.toml``): beyond
    the limit it sorts on disk, in a temporary directory removed afterwards."""
    limit = str(read_toml("export.toml")["memory_limit"])
    with tempfile.TemporaryDirectory(
        prefix="newsevents-export-", ignore_cleanup_errors=True
    ) as tmp:
        with store._reading():
            store.con.execute(f"SET memory_limit = {_quoted(limit)}")
            store.con.execute(f"SET temp_directory = {_quoted(tmp)}")
        yield


def stream(
    store: Store, sql: str, params: Sequence[Any] = (), batch_rows: int = BATCH_ROWS
) -> Iterator[dict[str, Any]]:
    """Yield the rows of a read query as dicts, fetched from DuckDB ``batch_rows`` at a time."""
    cur = store.con.cursor()
    try:
        with store._reading():
            result = cur.execute(sql, list(params))
            names = [d[0] for d in result.description or ()]
            while batch := result.fetchmany(batch_rows):
                for row in batch:
                    yield dict(zip(names, row, strict=True))
    finally:
        cur.close()


def columns(store: Store, sql: str, params: Sequence[Any] = ()) -> list[str]:
    """Return the column names a read query gives (without reading its rows)."""
    cur = store.con.cursor()
    try:
        with store._reading():
            result = cur.execute(f"SELECT * FROM ({sql}) LIMIT 0", list(params))
            return [d[0] for d in result.description or ()]
    finally:
        cur.close()


def copy_parquet(store: Store, sql: str, params: Sequence[Any], out: str | Path) -> int:
    """Write a query's rows to a Parquet file with DuckDB's own writer; return the row count."""
    cur = store.con.cursor()
    try:
        with store._reading():
            cur.execute(f"COPY ({sql}) TO {_quoted(str(out))} (FORMAT parquet)", list(params))
            row = cur.fetchone()
    finally:
        cur.close()
    return int(row[0]) if row else 0
