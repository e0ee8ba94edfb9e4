"""The DuckDB store: the only code that touches the database. Schema lives in ``schema.sql``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .dedup import link_copies
from .errors import DatabaseDamagedError, StoreError, StoreFullError
from .identities import Known
from .model import Actor, Article, Event, Failure, Statement
from .store_clusters import cluster_unassigned, recluster, touched
from .store_identities import assign_identities, replace_known, speaker_group, speakers_touched

DEFAULT_DB = "newsevents.duckdb"
CHILD_TABLES = ("fingerprints", "entities", "mentions", "statements", "events")
_SCHEMA = resources.files("newsevents").joinpath("schema.sql")
# Columns schema.sql adds to databases written by earlier versions: (table, column).
_ADDED_COLUMNS = re.compile(r"ALTER TABLE (\w+) ADD COLUMN IF NOT EXISTS (\w+)")
TABLES = ("articles", *CHILD_TABLES, "failures")
# What DuckDB says when the file is damaged, and when the disk (or the file-size limit) is full.
_DAMAGED = (
    "corrupt database file",
    "does not match stored checksum",
    "could not read enough bytes",
    "not a valid duckdb database",
)
_FULL = ("no space left on device", "file too large", "disk quota exceeded")
RESTORE = "restore it from a copy, or process the inputs again into a new --db file"


def damaged(path: str, detail: str) -> DatabaseDamagedError:
    """Return the error for a damaged database file: what is wrong and what to do."""
    return DatabaseDamagedError(
        f"the database {path} is damaged ({detail}); restore it from a copy, or run "
        f"`newsevents check --db {path}` to see which tables can still be read"
    )


def store_error(path: str, exc: BaseException, what: str, advice: str) -> StoreError:
    """Return the one-line ``StoreError`` for a DuckDB or OS error on the database at ``path``.

    A damaged file and a full disk get their own class and advice; anything else says ``what``
    failed ("cannot open the database"), DuckDB's reason, then ``advice``. The errors it was
    raised while handling count too: DuckDB's "transaction is aborted", from a clean-up step,
    hides the checksum error that aborted it.
    """
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__context__
    details = [" ".join(str(e).split()) for e in chain]

    def said(markers: tuple[str, ...]) -> str | None:
        return next((d for d in details if any(m in d.lower() for m in markers)), None)

    if (detail := said(_DAMAGED)) is not None:
        return damaged(path, detail)
    if (detail := said(_FULL)) is not None:
        return StoreFullError(
            f"could not write to the database {path}: the disk is full ({detail}); nothing of "
            "this batch was stored and earlier batches are intact: free some space (or give "
            "--db a file on another disk) and run the same command again"
        )
    return StoreError(f"{what} {path}: {details[0]}; {advice}")


@dataclass(frozen=True, slots=True)
class TableCheck:
    """What ``check`` found in one table: rows read, a read error, rows without their article."""

    table: str
    rows: int | None
    error: str | None = None
    orphans: int = 0


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The verdict of ``check_database``: per-table results, or why the file did not open."""

    path: str
    tables: tuple[TableCheck, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the file opened and every table could be read in full."""
        return self.error is None and all(t.error is None for t in self.tables)


def check_database(path: str | Path) -> CheckReport:
    """Open the database read-only and read every table in full (DuckDB verifies each block's
    checksum as it reads); count rows and rows whose article is missing. Never raises for a
    damaged file: the report says what is wrong."""
    where = str(path)
    if not Path(where).is_file():
        return CheckReport(where, error=f"no database at {where}")
    try:
        con = duckdb.connect(where, read_only=True)
    except duckdb.Error as exc:
        error = store_error(where, exc, "", "")
        detail = " ".join(str(exc).split())
        if isinstance(error, DatabaseDamagedError):
            return CheckReport(where, error=f"DAMAGED: it cannot be opened ({detail}); {RESTORE}")
        return CheckReport(
            where, error=f"cannot open it ({detail}); is another newsevents process writing it?"
        )
    try:
        try:
            found = _table_names(con)
        except duckdb.Error as exc:
            return CheckReport(where, error=f"DAMAGED: its catalogue cannot be read ({exc})")
        names = [*TABLES, *(t for t in found if t not in TABLES)]
        return CheckReport(where, tuple(_check_table(con, t, t in found) for t in names))
    finally:
        con.close()


def _table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return the names of the database's own tables, in catalogue order."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "ORDER BY table_oid"
    ).fetchall()
    return [str(r[0]) for r in rows]


def _check_table(con: duckdb.DuckDBPyConnection, table: str, exists: bool) -> TableCheck:
    if not exists:
        return TableCheck(table, None, "missing: not a newsevents database, or an old one")
    try:
        rows = 0
        for batch in con.sql(f'SELECT * FROM "{table}"').to_arrow_reader(8192):  # every column
            rows += batch.num_rows
        orphans = 0
        if table in CHILD_TABLES:
            row = con.execute(
                f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"
            ).fetchall()
            orphans = int(row[0][0]) if row else 0
        return TableCheck(table, rows, orphans=orphans)
    except duckdb.Error as exc:
        return TableCheck(table, None, " ".join(str(exc).split()))


@dataclass(frozen=True, slots=True)
class SeenItem:
    """A watched feed's item processed: its key (guid, else link) and the article it gave; or,
    with ``failed``, an attempt at it that failed (counted; it is tried again)."""

    feed: str
    item: str
    article_id: str | None = None
    failed: bool = False


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


def _statement_row(article_id: str, s: Statement, labels: dict[str, str]) -> dict[str, Any]:
    sp = s.speaker
    label = labels.get(sp.entity_id) if sp and sp.entity_id else None
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
        "speaker_resolved": sp.resolved if sp else None,
        "speaker_identity": sp.identity if sp else None,  # reassigned across the database
        "speaker_group": speaker_group(sp.name, label) if sp else None,
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
        self.version = 0  # transactions committed through this store (readers cache on it)
        existed = self.path != ":memory:" and Path(self.path).is_file()
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
            if existed:
                self._check_size()
            if not read_only:
                self.con.execute(_SCHEMA.read_text(encoding="utf-8"))
                self._transaction(lambda: cluster_unassigned(self.con))  # from older versions
            elif self._outdated():  # written by an earlier version: upgrade it, then read
                self.con.close()
                with duckdb.connect(self.path) as con:
                    con.execute(_SCHEMA.read_text(encoding="utf-8"))
                    con.begin()
                    cluster_unassigned(con)
                    con.commit()
                self.con = duckdb.connect(self.path, read_only=True)
        except (duckdb.Error, OSError) as exc:
            if hasattr(self, "con"):
                with suppress(duckdb.Error):
                    self.con.close()
            raise store_error(
                self.path,
                exc,
                "cannot open the database",
                "check the path is writable and not opened by another newsevents process "
                "(`process`, `watch`, `serve`): DuckDB allows one process on a file being written "
                "(`serve --watch FEED` serves and writes in one)",
            ) from exc

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Turn a DuckDB error while reading into a one-line ``StoreError``."""
        try:
            yield
        except duckdb.Error as exc:
            raise store_error(
                self.path,
                exc,
                "cannot read the database",
                f"run `newsevents check --db {self.path}` to verify the file",
            ) from exc

    def _check_size(self) -> None:
        """Refuse a file shorter than the blocks its header lists (cut short by a copy, a full
        disk or a crash): commands that read only the intact start would not notice."""
        rows = self.con.execute(
            "SELECT block_size, used_blocks FROM pragma_database_size() "
            "WHERE database_name = current_database()"
        ).fetchall()
        if not rows:
            return
        # Only the blocks in use must be there: DuckDB truncates free blocks at the end of the
        # file, so the header's total (used + free) may exceed a sound file's size.
        expected = int(rows[0][0]) * int(rows[0][1])
        size = Path(self.path).stat().st_size
        if size < expected:
            self.con.close()
            raise damaged(
                self.path,
                f"the file is {size:,} bytes, shorter than the {expected:,} its blocks in use "
                "need: it was cut short",
            )

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
        """Close the connection (DuckDB writes its log into the file here, which may fail)."""
        try:
            self.con.close()
        except duckdb.Error as exc:
            raise store_error(
                self.path, exc, "could not close the database", "the last batch may be lost"
            ) from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        try:
            self.close()
        except StoreError:
            if kind is None:  # do not hide the error that is already on its way out
                raise

    def verify(self) -> None:
        """Read every table in full (DuckDB checks each block's checksum as it reads it);
        raise ``DatabaseDamagedError`` naming the file and what to do if one cannot be read."""
        cur = self.con.cursor()
        try:
            with self._reading():
                for table in _table_names(cur):
                    for _ in cur.sql(f'SELECT * FROM "{table}"').to_arrow_reader(8192):
                        pass
        finally:
            cur.close()

    # -- writing -------------------------------------------------------------------------------

    def write_batch(
        self,
        articles: Sequence[Article],
        failures: Sequence[Failure] = (),
        seen: Sequence[SeenItem] = (),
    ) -> int:
        """Store one batch of a run: link syndicated copies (to stored articles or earlier ones
        in the batch), write the articles and record the failures; return articles stored.
        With ``seen`` (feed items, by ``newsevents.watcher``), the articles, the failures and the
        items marked seen are one transaction: after a crash, all of it is stored or none."""
        owners = self.fingerprint_owners(k for a in articles for k in a.fingerprint)
        if not seen:
            stored = self.write(link_copies(articles, owners))
            self.record_failures(failures)
            return stored
        batch = self._failure_batch(failures)

        def also() -> None:
            if batch is not None:
                self._insert_failures(batch)
            self._mark_seen(seen)

        return self.write(link_copies(articles, owners), also=also)

    def write(self, articles: Sequence[Article], *, also: Any = None) -> int:
        """Store articles and their records, replacing earlier copies; return how many.
        ``also`` (a callable) runs in the same transaction."""
        articles = [a for a in articles if a.failure is None]
        if not articles:
            if also is not None:
                self._transaction(also)
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
            labels = {ent.id: ent.label for ent in a.entities}
            rows["statements"].extend(_statement_row(a.id, s, labels) for s in a.statements)
            rows["events"].extend(_event_row(a.id, e) for e in a.events)
        ids = pa.table({"id": list(by_id)})

        def work() -> None:  # replace the articles, then re-cluster the blocks they touch
            before = touched(self.con, list(by_id))
            speakers_before = speakers_touched(self.con, list(by_id))
            self._replace(ids, rows)
            recluster(self.con, list(by_id), before)
            assign_identities(self.con, list(by_id), speakers_before)
            if also is not None:
                also()

        self._transaction(work)
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

    def set_identities(self, known: Sequence[Known]) -> None:
        """Replace the user's known identities and reassign every speaker's identity."""

        def work() -> None:
            replace_known(self.con, known)
            assign_identities(self.con)

        self._transaction(work)

    def record_failures(self, failures: Iterable[Failure]) -> int:
        """Record inputs that could not be processed; the same failure twice is one row."""
        batch = self._failure_batch(failures)
        if batch is None:
            return 0
        self._transaction(lambda: self._insert_failures(batch))
        return batch.num_rows

    def _failure_batch(self, failures: Iterable[Failure]) -> pa.Table | None:
        """Return the failure rows to insert (one per distinct failure), or None for none."""
        now = _now()
        unique = {f.id: f for f in failures}
        if not unique:
            return None
        return pa.Table.from_pylist(
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

    def _insert_failures(self, batch: pa.Table) -> None:
        self.con.register("_failures", batch)
        try:
            self.con.execute(
                "INSERT INTO failures BY NAME SELECT * FROM _failures "
                "WHERE id NOT IN (SELECT id FROM failures)"
            )
        finally:
            self.con.unregister("_failures")

    def _mark_seen(self, items: Sequence[SeenItem]) -> None:
        now = _now()
        seen = [i for i in items if not i.failed]
        failed = sorted({(i.feed, i.item) for i in items if i.failed})
        if failed:
            feeds, keys = [f for f, _ in failed], [k for _, k in failed]
            self.con.register("_failed", pa.table({"feed": feeds, "item": keys}))
            try:
                self.con.execute(
                    "INSERT INTO feed_item_attempts SELECT feed, item, 1, ? FROM _failed "
                    "ON CONFLICT (feed, item) DO UPDATE SET attempts = attempts + 1, "
                    "last_at = excluded.last_at",
                    [now],
                )
            finally:
                self.con.unregister("_failed")
        if not seen:
            return
        rows = pa.table(
            {
                "feed": pa.array([i.feed for i in seen], pa.string()),
                "item": pa.array([i.item for i in seen], pa.string()),
                "article_id": pa.array([i.article_id for i in seen], pa.string()),
                "seen_at": pa.array([now] * len(seen), pa.timestamp("us")),
            }
        )
        self.con.register("_seen", rows)
        try:
            self.con.execute("INSERT OR IGNORE INTO feed_items BY NAME SELECT * FROM _seen")
        finally:
            self.con.unregister("_seen")

    def set_feed_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a watched feed's ETag and Last-Modified, for its next conditional GET."""
        self._transaction(
            lambda: self.con.execute(
                "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)",
                [url, etag, last_modified, _now()],
            )
        )

    def feed_validators(self, url: str) -> tuple[str | None, str | None]:
        """Return a watched feed's stored ETag and Last-Modified (None, None: never fetched)."""
        rows = self.query("SELECT etag, last_modified FROM feeds WHERE url = ?", [url])
        return (rows[0]["etag"], rows[0]["last_modified"]) if rows else (None, None)

    def seen_items(self, feed: str, max_attempts: int = 0) -> set[str]:
        """Return the keys (guid, else link) of a watched feed's items already processed, and
        of those given up after ``max_attempts`` failed attempts (0: none is given up)."""
        given_up = (
            " UNION SELECT item FROM feed_item_attempts WHERE feed = ? AND attempts >= ?"
            if max_attempts > 0
            else ""
        )
        params: list[Any] = [feed, feed, max_attempts] if given_up else [feed]
        rows = self.query("SELECT item FROM feed_items WHERE feed = ?" + given_up, params)
        return {str(r["item"]) for r in rows}

    def _transaction(self, work: Any) -> None:
        """Run ``work`` in one transaction: all of it is stored, or none of it."""
        advice = "nothing of this batch was stored, earlier batches are intact"
        try:
            self.con.execute("BEGIN TRANSACTION")
        except duckdb.Error as exc:
            raise store_error(self.path, exc, "could not write to", advice) from exc
        try:
            work()
        except duckdb.Error as exc:
            self._rollback()
            raise store_error(self.path, exc, "could not write to", advice) from exc
        except BaseException:
            self._rollback()
            raise
        try:
            self.con.execute("COMMIT")
        except duckdb.Error as exc:  # a failed COMMIT has already ended the transaction
            raise store_error(self.path, exc, "could not write to", advice) from exc
        self.version += 1

    def _rollback(self) -> None:
        """Roll back the open transaction; an error here must not hide the one that caused it."""
        with suppress(duckdb.Error):  # a fatal error may have ended it already
            self.con.execute("ROLLBACK")

    # -- reading -------------------------------------------------------------------------------

    def all_ids(self) -> set[str]:
        """Return the ids of every stored article (to skip them when processing again)."""
        return {str(row["id"]) for row in self.query("SELECT id FROM articles")}

    def fingerprint_owners(self, keys: Iterable[int]) -> dict[int, list[str]]:
        """Return, for each of the band keys, the stored articles that have it (first copies)."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        self.con.register("_keys", pa.table({"band_key": pa.array(wanted, pa.int64())}))
        try:
            with self._reading():
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
            rows = self.query(f"SELECT count(*) AS n FROM {table}")
            out[table] = int(rows[0]["n"]) if rows else 0
        return out

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read query with bound parameters and return rows as dicts (thread-safe cursor)."""
        cur = self.con.cursor()
        try:
            with self._reading():
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
        speakers = self.query(
            "SELECT coalesce(any_value(i.name), any_value(s.speaker_name)) AS k, count(*) AS n "
            "FROM statements s LEFT JOIN identities i ON i.id = s.speaker_identity "
            "WHERE s.speaker_name IS NOT NULL "
            "GROUP BY coalesce(s.speaker_identity, s.speaker_name) ORDER BY n DESC, k LIMIT ?",
            [top],
        )
        roots = self.query(
            "SELECT cameo_root AS k, count(*) AS n FROM events GROUP BY cameo_root "
            "ORDER BY n DESC, k LIMIT ?",
            [top],
        )
        span = self.query("SELECT min(published) AS a, max(published) AS b FROM articles")
        return Stats(
            counts=self.counts(),
            top_speakers=[(str(r["k"]), int(r["n"])) for r in speakers],
            top_event_roots=[(str(r["k"]), int(r["n"])) for r in roots],
            date_range=(span[0]["a"], span[0]["b"]) if span else (None, None),
        )
