"""The DuckDB store: the only code that touches the database. Schema lives in ``schema.sql``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .dedup import link_copies
from .errors import StoreError
from .model import Actor, Article, Event, Failure, Statement

DEFAULT_DB = "newsevents.duckdb"
CHILD_TABLES = ("fingerprints", "entities", "mentions", "statements", "events")
_SCHEMA = resources.files("newsevents").joinpath("schema.sql")
# Columns schema.sql adds to databases written by earlier versions: (table, column).
_ADDED_COLUMNS = re.compile(r"ALTER TABLE (\w+) ADD COLUMN IF NOT EXISTS (\w+)")
TABLES = ("articles", *CHILD_TABLES, "failures")


@dataclass(frozen=True, slots=True)
class Stats:
    """Row counts of the store and its most frequent speakers."""

    counts: dict[str, int]
    top_speakers: list[tuple[str, int]]
    top_event_roots: list[tuple[str, int]]
    date_range: tuple[date | None, date | None]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _article_row(a: Article, processed_at: datetime) -> dict[str, Any]:
    return {
        "id": a.id,
        "source_path": a.source_path,
        "url": a.url,
        "source_domain": a.source_domain,
        "title": a.title,
        "published": a.published,
        "language": a.language,
        "authors": list(a.authors),
        "credits": list(a.credits),
        "duplicate_of": a.duplicate_of,
        "text": a.text,
        "n_chars": len(a.text),
        "processed_at": processed_at,
    }


def _statement_row(article_id: str, s: Statement) -> dict[str, Any]:
    sp = s.speaker
    return {
        "id": s.id,
        "article_id": article_id,
        "kind": s.kind,
        "speaker_text": sp.text if sp else None,
        "speaker_start": sp.start if sp else None,
        "speaker_end": sp.end if sp else None,
        "speaker_name": sp.name if sp else None,
        "speaker_entity_id": sp.entity_id if sp else None,
        "speaker_role": sp.role if sp else None,
        "speaker_affiliation": sp.affiliation if sp else None,
        "speaker_code": sp.code if sp else None,
        "cue_text": s.cue.text,
        "cue_start": s.cue.start,
        "cue_end": s.cue.end,
        "cue_class": s.cue_class,
        "content_text": s.content.text,
        "content_start": s.content.start,
        "content_end": s.content.end,
        "about": s.about,
        "continuation_text": s.continuation.text if s.continuation else None,
        "continuation_start": s.continuation.start if s.continuation else None,
        "continuation_end": s.continuation.end if s.continuation else None,
        "date": s.date,
        "confidence": s.confidence,
    }


def _actor_cols(prefix: str, actor: Actor | None) -> dict[str, Any]:
    fields = ("text", "start", "end", "name", "code", "country", "sector")
    return {f"{prefix}_{f}": getattr(actor, f) if actor else None for f in fields}


def _event_row(article_id: str, e: Event) -> dict[str, Any]:
    loc = e.location
    return {
        "id": e.id,
        "article_id": article_id,
        "cameo": e.cameo,
        "cameo_root": e.cameo[:2],
        "plover_type": e.plover_type,
        "plover_mode": e.plover_mode,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        **_actor_cols("source", e.source),
        **_actor_cols("target", e.target),
        "trigger_text": e.trigger.text,
        "trigger_start": e.trigger.start,
        "trigger_end": e.trigger.end,
        "sentence_start": e.sentence_start,
        "sentence_end": e.sentence_end,
        "date": e.date,
        "location_name": loc.name if loc else None,
        "location_country": loc.country if loc else None,
        "location_lat": loc.lat if loc else None,
        "location_lon": loc.lon if loc else None,
        "modality": e.modality,
        "attributed_to": e.attributed_to,
        "confidence": e.confidence,
    }


class Store:
    """An embedded DuckDB database of articles, entities, statements, events and failures."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        """Open (creating if needed) the database at ``path``; ``":memory:"`` for a scratch one."""
        self.path = str(path)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
            if not read_only:
                self.con.execute(_SCHEMA.read_text(encoding="utf-8"))
            elif self._outdated():  # written by an earlier version: upgrade it, then read
                self.con.close()
                with duckdb.connect(self.path) as con:
                    con.execute(_SCHEMA.read_text(encoding="utf-8"))
                self.con = duckdb.connect(self.path, read_only=True)
        except (duckdb.Error, OSError) as exc:
            raise StoreError(
                f"cannot open the database {self.path!r}: {exc}; check the path is writable and "
                "not opened for writing by another newsevents process"
            ) from exc

    def _outdated(self) -> bool:
        """Return whether the database lacks a column this version's schema adds."""
        found = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'statements'"
        ).fetchone()
        if not found or not found[0]:
            return False
        have = {
            (table, column)
            for table, column in self.con.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
            ).fetchall()
        }
        return not set(_ADDED_COLUMNS.findall(_SCHEMA.read_text(encoding="utf-8"))) <= have

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------

    def write_batch(self, articles: Sequence[Article], failures: Sequence[Failure] = ()) -> int:
        """Store one batch of a run: link syndicated copies (to stored articles or earlier ones
        in the batch), write the articles and record the failures; return articles stored."""
        owners = self.fingerprint_owners(k for a in articles for k in a.fingerprint)
        stored = self.write(link_copies(articles, owners))
        self.record_failures(failures)
        return stored

    def write(self, articles: Sequence[Article]) -> int:
        """Store articles and their records, replacing earlier copies; return how many."""
        articles = [a for a in articles if a.failure is None]
        if not articles:
            return 0
        by_id = {a.id: a for a in articles}  # the same article twice in a batch is stored once
        now = _now()
        rows: dict[str, list[dict[str, Any]]] = {t: [] for t in ("articles", *CHILD_TABLES)}
        for a in by_id.values():
            rows["articles"].append(_article_row(a, now))
            rows["fingerprints"].extend({"article_id": a.id, "band_key": k} for k in a.fingerprint)
            for ent in a.entities:
                rows["entities"].append(
                    {
                        "article_id": a.id,
                        "id": ent.id,
                        "name": ent.name,
                        "label": ent.label,
                        "n_mentions": len(ent.mentions),
                    }
                )
                rows["mentions"].extend(
                    {
                        "article_id": a.id,
                        "entity_id": ent.id,
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                    }
                    for m in ent.mentions
                )
            rows["statements"].extend(_statement_row(a.id, s) for s in a.statements)
            rows["events"].extend(_event_row(a.id, e) for e in a.events)
        ids = pa.table({"id": list(by_id)})
        self._transaction(lambda: self._replace(ids, rows))
        return len(by_id)

    def _replace(self, ids: pa.Table, rows: dict[str, list[dict[str, Any]]]) -> None:
        self.con.register("_batch_ids", ids)
        try:
            for table in CHILD_TABLES:
                self.con.execute(
                    f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM _batch_ids)"
                )
            self.con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM _batch_ids)")
            for table, table_rows in rows.items():
                self._insert(table, table_rows)
        finally:
            self.con.unregister("_batch_ids")

    def _insert(self, table: str, table_rows: list[dict[str, Any]]) -> None:
        if not table_rows:
            return
        batch = pa.Table.from_pylist(table_rows)
        self.con.register("_batch", batch)
        try:
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _batch")
        finally:
            self.con.unregister("_batch")

    def record_failures(self, failures: Iterable[Failure]) -> int:
        """Record inputs that could not be processed; the same failure twice is one row."""
        now = _now()
        unique = {f.id: f for f in failures}
        if not unique:
            return 0
        batch = pa.Table.from_pylist(
            [
                {
                    "id": k,
                    "input": f.input,
                    "stage": f.stage,
                    "reason": f.reason,
                    "occurred_at": now,
                }
                for k, f in unique.items()
            ]
        )

        def insert() -> None:
            self.con.register("_failures", batch)
            try:
                self.con.execute(
                    "INSERT INTO failures BY NAME SELECT * FROM _failures "
                    "WHERE id NOT IN (SELECT id FROM failures)"
                )
            finally:
                self.con.unregister("_failures")

        self._transaction(insert)
        return len(unique)

    def _transaction(self, work: Any) -> None:
        try:
            self.con.execute("BEGIN TRANSACTION")
            work()
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            raise StoreError(
                f"could not write to {self.path!r}: {exc}; nothing of this batch was stored, "
                "earlier batches are intact"
            ) from exc

    # -- reading -------------------------------------------------------------------------------

    def all_ids(self) -> set[str]:
        """Return the ids of every stored article (to skip them when processing again)."""
        return {row[0] for row in self.con.execute("SELECT id FROM articles").fetchall()}

    def fingerprint_owners(self, keys: Iterable[int]) -> dict[int, list[str]]:
        """Return, for each of the band keys, the stored articles that have it (first copies)."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        self.con.register("_keys", pa.table({"band_key": pa.array(wanted, pa.int64())}))
        try:
            rows = self.con.execute(
                "SELECT f.band_key, f.article_id FROM fingerprints f "
                "JOIN articles a ON a.id = f.article_id "
                "WHERE a.duplicate_of IS NULL AND f.band_key IN (SELECT band_key FROM _keys) "
                "ORDER BY a.processed_at, f.article_id"
            ).fetchall()
        finally:
            self.con.unregister("_keys")
        owners: dict[int, list[str]] = {}
        for key, article_id in rows:
            owners.setdefault(int(key), []).append(str(article_id))
        return owners

    def counts(self) -> dict[str, int]:
        """Return the number of rows in each table."""
        out: dict[str, int] = {}
        for table in TABLES:
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read query with bound parameters and return rows as dicts (thread-safe cursor)."""
        cur = self.con.cursor()
        try:
            result = cur.execute(sql, list(params))
            names = [d[0] for d in result.description or ()]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        finally:
            cur.close()

    def failures(self, limit: int = 100) -> list[dict[str, Any]]:
        """Return recorded failures, newest first."""
        return self.query(
            "SELECT input, stage, reason, occurred_at FROM failures "
            "ORDER BY occurred_at DESC, input LIMIT ?",
            [limit],
        )

    def stats(self, top: int = 10) -> Stats:
        """Return row counts, top speakers, top event roots and the publication date range."""
        speakers = self.con.execute(
            "SELECT speaker_name, count(*) AS n FROM statements WHERE speaker_name IS NOT NULL "
            "GROUP BY speaker_name ORDER BY n DESC, speaker_name LIMIT ?",
            [top],
        ).fetchall()
        roots = self.con.execute(
            "SELECT cameo_root, count(*) AS n FROM events GROUP BY cameo_root "
            "ORDER BY n DESC, cameo_root LIMIT ?",
            [top],
        ).fetchall()
        span = self.con.execute("SELECT min(published), max(published) FROM articles").fetchone()
        return Stats(
            counts=self.counts(),
            top_speakers=[(str(n), int(c)) for n, c in speakers],
            top_event_roots=[(str(r), int(c)) for r, c in roots],
            date_range=(span[0], span[1]) if span else (None, None),
        )
