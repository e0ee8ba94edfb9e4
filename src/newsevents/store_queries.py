"""Read-only queries for the web UI and HTTP API, run through a ``Store`` opened read-only.

Every value reaches DuckDB as a bound parameter; the only SQL text built here is from fixed
fragments chosen by which filters are set. Each query runs on its own cursor, so the one
read-only connection can serve concurrent requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from .store import Store

EVENT_COLUMNS = (
    "e.id, e.article_id, coalesce(e.date, a.published) AS date, e.cameo, e.cameo_root, "
    "e.plover_type, e.plover_mode, e.quad_class, e.goldstein, "
    "e.source_text, e.source_name, e.source_code, e.source_country, e.source_sector, "
    "e.trigger_text, e.target_text, e.target_name, e.target_code, e.target_country, "
    "e.target_sector, e.location_name, e.location_country, e.modality, e.attributed_to, "
    "e.confidence, e.source_start, e.source_end, e.trigger_start, e.trigger_end, "
    "e.target_start, e.target_end, e.sentence_start, e.sentence_end, "
    "substring(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence, "
    "a.title, a.source_domain"
)
STATEMENT_COLUMNS = (
    "s.id, s.article_id, coalesce(s.date, a.published) AS date, s.kind, s.speaker_name, "
    "s.speaker_text, s.speaker_role, s.speaker_affiliation, s.speaker_code, s.cue_text, "
    "s.cue_class, s.content_text, s.about, s.continuation_text, s.speaker_start, s.speaker_end, "
    "s.cue_start, s.cue_end, s.content_start, s.content_end, s.continuation_start, "
    "s.continuation_end, s.confidence, a.title, a.source_domain"
)
ARTICLE_COLUMNS = (
    "a.id, a.title, a.published, a.source_domain, a.url, a.language, a.n_chars, "
    "a.duplicate_of, a.authors, "
    "(SELECT count(*) FROM statements s WHERE s.article_id = a.id) AS n_statements, "
    "(SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n_events"
)
EVENT_DAY = "coalesce(e.date, a.published)"
STATEMENT_DAY = "coalesce(s.date, a.published)"


@dataclass(frozen=True, slots=True)
class Filters:
    """Validated filters; each query applies those that concern its table."""

    q: str | None = None
    speaker: str | None = None
    speaker_name: str | None = None
    actor: str | None = None
    source: str | None = None
    target: str | None = None
    country: str | None = None
    cameo: str | None = None
    plover: str | None = None
    quad: int | None = None
    since: date | None = None
    until: date | None = None
    domain: str | None = None
    article: str | None = None
    min_confidence: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the filters that are set, by name (dates as ISO strings)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = value.isoformat() if isinstance(value, date) else value
        return out


@dataclass(frozen=True, slots=True)
class Page:
    """One page of rows and the number of rows matching the filters."""

    rows: list[dict[str, Any]]
    total: int


def like(text: str) -> str:
    """Return a case-insensitive substring pattern with LIKE wildcards in ``text`` escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def prefix(text: str) -> str:
    """Return a prefix pattern with LIKE wildcards in ``text`` escaped."""
    return like(text)[1:]


class _Where:
    def __init__(self) -> None:
        self.clauses: list[str] = ["TRUE"]
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def dates(self, column: str, since: date | None, until: date | None) -> None:
        if since is not None:
            self.add(f"{column} >= ?", since)
        if until is not None:
            self.add(f"{column} <= ?", until)

    def sql(self) -> str:
        return " AND ".join(self.clauses)


LIKE = "ILIKE ? ESCAPE '\\'"


def _event_where(f: Filters) -> _Where:
    w = _Where()
    if f.q:
        pat = like(f.q)
        w.add(
            f"(e.trigger_text {LIKE} OR e.source_text {LIKE} OR e.target_text {LIKE} "
            f"OR e.source_name {LIKE} OR e.target_name {LIKE} OR substring(a.text, "
            f"e.sentence_start + 1, e.sentence_end - e.sentence_start) {LIKE})",
            *([pat] * 6),
        )
    if f.speaker:
        w.add(
            "(e.source_name ILIKE ? ESCAPE '\\' OR e.attributed_to IN (SELECT id FROM "
            f"statements WHERE speaker_name {LIKE}))",
            like(f.speaker),
            like(f.speaker),
        )
    if f.actor:
        w.add(f"(e.source_code {LIKE} OR e.target_code {LIKE})", prefix(f.actor), prefix(f.actor))
    if f.source:
        w.add(f"e.source_code {LIKE}", prefix(f.source))
    if f.target:
        w.add(f"e.target_code {LIKE}", prefix(f.target))
    if f.country:
        w.add(
            "(e.source_country = ? OR e.target_country = ? OR e.location_country = ?)",
            *([f.country] * 3),
        )
    if f.cameo:
        w.add(f"e.cameo {LIKE}", prefix(f.cameo))
    if f.plover:
        w.add("e.plover_type = ?", f.plover)
    if f.quad is not None:
        w.add("e.quad_class = ?", f.quad)
    if f.domain:
        w.add("lower(a.source_domain) = lower(?)", f.domain)
    if f.article:
        w.add("e.article_id = ?", f.article)
    if f.min_confidence is not None:
        w.add("e.confidence >= ?", f.min_confidence)
    w.dates(EVENT_DAY, f.since, f.until)
    return w


def _statement_where(f: Filters) -> _Where:
    w = _Where()
    if f.q:
        pat = like(f.q)
        w.add(
            f"(s.content_text {LIKE} OR s.speaker_name {LIKE} OR s.speaker_text {LIKE} "
            f"OR s.cue_text {LIKE} OR s.continuation_text {LIKE})",
            *([pat] * 5),
        )
    if f.speaker:
        w.add(f"(s.speaker_name {LIKE} OR s.speaker_text {LIKE})", like(f.speaker), like(f.speaker))
    if f.speaker_name:
        w.add("s.speaker_name = ?", f.speaker_name)
    if f.actor:  # said by the actor, or the statement behind one of its events
        w.add(
            f"(s.speaker_code {LIKE} OR s.id IN (SELECT attributed_to FROM events "
            f"WHERE attributed_to IS NOT NULL AND source_code {LIKE}))",
            prefix(f.actor),
            prefix(f.actor),
        )
    if f.domain:
        w.add("lower(a.source_domain) = lower(?)", f.domain)
    if f.article:
        w.add("s.article_id = ?", f.article)
    if f.min_confidence is not None:
        w.add("s.confidence >= ?", f.min_confidence)
    w.dates(STATEMENT_DAY, f.since, f.until)
    return w


def _article_where(f: Filters) -> _Where:
    w = _Where()
    if f.q:
        w.add(f"(a.title {LIKE} OR a.text {LIKE})", like(f.q), like(f.q))
    if f.speaker:
        w.add(
            f"a.id IN (SELECT article_id FROM statements WHERE speaker_name {LIKE})",
            like(f.speaker),
        )
    if f.actor:
        w.add(
            "a.id IN (SELECT article_id FROM events WHERE source_code ILIKE ? ESCAPE '\\' "
            f"OR target_code {LIKE})",
            prefix(f.actor),
            prefix(f.actor),
        )
    if f.domain:
        w.add("lower(a.source_domain) = lower(?)", f.domain)
    w.dates("a.published", f.since, f.until)
    return w


class Queries:
    """Read queries over a read-only ``Store``: lists with filters, views, search and stats."""

    def __init__(self, store: Store) -> None:
        """Wrap a store (open it with ``read_only=True``)."""
        self.store = store

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self.store.query(sql, params)

    def _count(self, sql: str, params: Sequence[Any]) -> int:
        rows = self._rows(f"SELECT count(*) AS n FROM ({sql})", params)
        return int(rows[0]["n"]) if rows else 0

    def _page(self, select: str, order: str, params: list[Any], limit: int, offset: int) -> Page:
        total = self._count(select, params)
        rows = self._rows(f"{select} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset])
        return Page(rows, total)

    def events(self, f: Filters, limit: int = 50, offset: int = 0) -> Page:
        """Return events matching the filters, newest first."""
        w = _event_where(f)
        select = (
            f"SELECT {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
            f"WHERE {w.sql()}"
        )
        order = "date DESC NULLS LAST, e.article_id, e.trigger_start, e.id"
        return self._page(select, order, w.params, limit, offset)

    def statements(self, f: Filters, limit: int = 50, offset: int = 0) -> Page:
        """Return statements matching the filters, newest first."""
        w = _statement_where(f)
        select = (
            f"SELECT {STATEMENT_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id "
            f"WHERE {w.sql()}"
        )
        order = "date DESC NULLS LAST, s.article_id, s.content_start, s.id"
        return self._page(select, order, w.params, limit, offset)

    def articles(self, f: Filters, limit: int = 50, offset: int = 0) -> Page:
        """Return articles matching the filters, newest first, with their record counts."""
        w = _article_where(f)
        select = f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE {w.sql()}"
        return self._page(select, "a.published DESC NULLS LAST, a.id", w.params, limit, offset)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """Return one article with its clean text, or None."""
        rows = self._rows(
            "SELECT id, title, published, source_domain, url, language, authors, credits, "
            "duplicate_of, source_path, n_chars, text FROM articles WHERE id = ?",
            [article_id],
        )
        return rows[0] if rows else None

    def article_records(self, article_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Return an article's statements and events in text order."""
        f = Filters(article=article_id)
        statements = self._rows(
            f"SELECT {STATEMENT_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id "
            f"WHERE {_statement_where(f).sql()} ORDER BY s.content_start, s.id",
            _statement_where(f).params,
        )
        events = self._rows(
            f"SELECT {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
            f"WHERE {_event_where(f).sql()} ORDER BY e.trigger_start, e.id",
            _event_where(f).params,
        )
        return statements, events

    def timeline(
        self, f: Filters, stack: str = "quad", bucket: str = "day"
    ) -> list[dict[str, Any]]:
        """Return event counts per period and group (``stack``: quad or plover)."""
        key = "CAST(e.quad_class AS VARCHAR)" if stack == "quad" else "e.plover_type"
        period = {"day": EVENT_DAY, "week": f"date_trunc('week', {EVENT_DAY})"}.get(
            bucket, f"date_trunc('month', {EVENT_DAY})"
        )
        w = _event_where(f)
        w.add(f"{EVENT_DAY} IS NOT NULL")
        return self._rows(
            f"SELECT CAST({period} AS DATE) AS day, coalesce({key}, 'none') AS key, "
            f"count(*) AS n FROM events e JOIN articles a ON a.id = e.article_id "
            f"WHERE {w.sql()} GROUP BY 1, 2 ORDER BY 1, 2",
            w.params,
        )

    def actors(self, q: str | None, limit: int = 50, offset: int = 0) -> Page:
        """Return actor codes with how often they act and are acted on."""
        where, params = "TRUE", []
        if q:
            where, params = f"(code {LIKE} OR names {LIKE})", [like(q), like(q)]
        select = (
            "SELECT code, sum(as_source)::INTEGER AS as_source, "
            "sum(as_target)::INTEGER AS as_target, round(avg(goldstein), 2) AS avg_goldstein, "
            "string_agg(DISTINCT name, '; ') AS names FROM ("
            "SELECT source_code AS code, 1 AS as_source, 0 AS as_target, goldstein, "
            "source_name AS name FROM events WHERE source_code IS NOT NULL UNION ALL "
            "SELECT target_code, 0, 1, goldstein, target_name FROM events "
            "WHERE target_code IS NOT NULL) GROUP BY code"
        )
        select = f"SELECT * FROM ({select}) WHERE {where}"
        order = "as_source + as_target DESC, code"
        return self._page(select, order, params, limit, offset)

    def dyads(self, code: str, f: Filters) -> dict[str, list[dict[str, Any]]]:
        """Return whom an actor (code prefix) acts on and who acts on it, with Goldstein."""
        out: dict[str, list[dict[str, Any]]] = {}
        for direction, mine in (("outgoing", "source"), ("incoming", "target")):
            w = _event_where(f)
            w.add(f"e.{mine}_code {LIKE}", prefix(code))
            out[direction] = self._rows(
                "SELECT e.source_code, e.target_code, count(*) AS n, "
                "round(avg(e.goldstein), 2) AS avg_goldstein, "
                f"min({EVENT_DAY}) AS first, max({EVENT_DAY}) AS last "
                f"FROM events e JOIN articles a ON a.id = e.article_id WHERE {w.sql()} "
                "GROUP BY 1, 2 ORDER BY n DESC, 1, 2 NULLS LAST LIMIT 200",
                w.params,
            )
        return out

    def actor_trend(self, code: str, f: Filters) -> list[dict[str, Any]]:
        """Return an actor's events per month and direction, with the average Goldstein score."""
        w = _event_where(f)
        w.add(f"(e.source_code {LIKE} OR e.target_code {LIKE})", prefix(code), prefix(code))
        w.add(f"{EVENT_DAY} IS NOT NULL")
        return self._rows(
            f"SELECT CAST(date_trunc('month', {EVENT_DAY}) AS DATE) AS month, "
            "CASE WHEN e.source_code ILIKE ? ESCAPE '\\' THEN 'outgoing' ELSE 'incoming' END "
            "AS direction, count(*) AS n, round(avg(e.goldstein), 2) AS avg_goldstein "
            f"FROM events e JOIN articles a ON a.id = e.article_id WHERE {w.sql()} "
            "GROUP BY 1, 2 ORDER BY 1, 2",
            [prefix(code), *w.params],
        )

    def speakers(self, q: str | None, limit: int = 50, offset: int = 0) -> Page:
        """Return speakers with their number of statements and date range."""
        w = _Where()
        w.add("s.speaker_name IS NOT NULL")
        if q:
            w.add(f"s.speaker_name {LIKE}", like(q))
        select = (
            f"SELECT s.speaker_name AS name, count(*) AS n_statements, "
            f"count(DISTINCT s.article_id) AS n_articles, min({STATEMENT_DAY}) AS first, "
            f"max({STATEMENT_DAY}) AS last FROM statements s JOIN articles a "
            f"ON a.id = s.article_id WHERE {w.sql()} GROUP BY s.speaker_name"
        )
        return self._page(select, "n_statements DESC, name", w.params, limit, offset)

    def entities(self, q: str | None, label: str | None, limit: int = 50, offset: int = 0) -> Page:
        """Return named entities grouped by name and label, with mention and article counts."""
        w = _Where()
        if q:
            w.add(f"name {LIKE}", like(q))
        if label:
            w.add("label = ?", label)
        select = (
            "SELECT name, label, sum(n_mentions)::INTEGER AS n_mentions, "
            f"count(DISTINCT article_id) AS n_articles FROM entities WHERE {w.sql()} "
            "GROUP BY name, label"
        )
        return self._page(select, "n_mentions DESC, name, label", w.params, limit, offset)

    def labels(self) -> list[str]:
        """Return the entity labels present in the store."""
        rows = self._rows("SELECT DISTINCT label FROM entities ORDER BY 1")
        return [str(r["label"]) for r in rows]

    def domains(self) -> list[str]:
        """Return the source domains present in the store."""
        rows = self._rows(
            "SELECT DISTINCT source_domain FROM articles WHERE source_domain IS NOT NULL ORDER BY 1"
        )
        return [str(r["source_domain"]) for r in rows]

    def stats(self) -> dict[str, Any]:
        """Return row counts and the publication date range."""
        counts = {
            t: int(self._rows(f"SELECT count(*) AS n FROM {t}")[0]["n"])
            for t in ("articles", "entities", "statements", "events", "failures")
        }
        span = self._rows("SELECT min(published) AS first, max(published) AS last FROM articles")
        return {"counts": counts, "first": span[0]["first"], "last": span[0]["last"]}
