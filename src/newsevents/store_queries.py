"""Read-only queries for the web UI, the HTTP API and the command line, through a ``Store``.

Filters arrive validated (``newsevents.filters``); ``WHERE`` gives each one's SQL for each kind
of record. Every value reaches DuckDB as a bound parameter; the only SQL text built here is from
fixed fragments chosen by which filters are set. Each query runs on its own cursor, so the one
read-only connection can serve concurrent requests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .filters import Filters
from .store import Stats, Store

EVENT_COLUMNS = (
    "e.id, e.article_id, coalesce(e.date, a.published) AS date, e.cameo, e.cameo_root, "
    "e.plover_type, e.plover_mode, e.quad_class, e.goldstein, "
    "e.source_text, e.source_name, e.source_code, e.source_country, e.source_sector, "
    "e.trigger_text, e.target_text, e.target_name, e.target_code, e.target_country, "
    "e.target_sector, e.location_name, e.location_country, e.modality, e.attributed_to, "
    "e.confidence, e.source_start, e.source_end, e.trigger_start, e.trigger_end, "
    "e.target_start, e.target_end, e.sentence_start, e.sentence_end, "
    "substring(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence, "
    "a.title, a.source_domain, e.cluster_id"
)
# A cross-article cluster: its counts, then the columns of its representative mention.
CLUSTER_COLUMNS = (
    "c.global_id, c.family, c.n_mentions, c.n_articles, c.n_sources, c.first_day, c.last_day, "
    f"c.first_seen, c.last_seen, {EVENT_COLUMNS}"
)
CLUSTERS = (
    "event_clusters c JOIN events e ON e.id = c.representative "
    "JOIN articles a ON a.id = e.article_id"
)
STATEMENT_COLUMNS = (
    "s.id, s.article_id, coalesce(s.date, a.published) AS date, s.kind, "
    "coalesce(i.name, s.speaker_name) AS speaker_name, s.speaker_identity, "
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
EVENTS = "events e JOIN articles a ON a.id = e.article_id"
STATEMENTS = (
    "statements s JOIN articles a ON a.id = s.article_id "
    "LEFT JOIN identities i ON i.id = s.speaker_identity"
)
SELECT = {
    "events": f"SELECT {EVENT_COLUMNS} FROM {EVENTS}",
    "statements": f"SELECT {STATEMENT_COLUMNS} FROM {STATEMENTS}",
    "articles": f"SELECT {ARTICLE_COLUMNS} FROM articles a",
}
# The same rows counted without computing their columns (the filters never use the columns).
COUNT = {
    "events": f"SELECT count(*) AS n FROM {EVENTS}",
    "statements": f"SELECT count(*) AS n FROM {STATEMENTS}",
    "articles": "SELECT count(*) AS n FROM articles a",
}
NEWEST = {
    "events": "date DESC NULLS LAST, e.article_id, e.trigger_start, e.id",
    "statements": "date DESC NULLS LAST, s.article_id, s.content_start, s.id",
    "articles": "a.published DESC NULLS LAST, a.id",
}


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

    def sql(self) -> str:
        return " AND ".join(self.clauses)


LIKE = "ILIKE ? ESCAPE '\\'"
# The identities whose canonical name or a name variant matches (speaker filters).
IDENTITY_LIKE = (
    f"s.speaker_identity IN (SELECT id FROM identities WHERE name {LIKE} "
    f"OR array_to_string(variants, '|') {LIKE})"
)
DOMAIN = "lower(a.source_domain) = lower(?)"
Clause = tuple[str, Callable[[Any], Any]]  # a condition, and what each of its ``?`` binds


def _value(value: Any) -> Any:
    return value


def _dated(day: str) -> dict[str, Clause]:
    return {"since": (f"{day} >= ?", _value), "until": (f"{day} <= ?", _value)}


def _record(alias: str, day: str) -> dict[str, Clause]:
    return {
        **_dated(day),
        "domain": (DOMAIN, _value),
        "article": (f"{alias}.article_id = ?", _value),
        "min_confidence": (f"{alias}.confidence >= ?", _value),
    }


# Filter name -> its SQL, for each kind of record; a filter a kind lacks does not apply to it.
WHERE: dict[str, dict[str, Clause]] = {
    "events": {
        "q": (
            f"(e.trigger_text {LIKE} OR e.source_text {LIKE} OR e.target_text {LIKE} "
            f"OR e.source_name {LIKE} OR e.target_name {LIKE} OR substring(a.text, "
            f"e.sentence_start + 1, e.sentence_end - e.sentence_start) {LIKE})",
            like,
        ),
        "speaker": (
            f"(e.source_name {LIKE} OR e.attributed_to IN (SELECT id FROM "
            f"statements WHERE speaker_name {LIKE}))",
            like,
        ),
        "actor": (f"(e.source_code {LIKE} OR e.target_code {LIKE})", prefix),
        "source": (f"e.source_code {LIKE}", prefix),
        "target": (f"e.target_code {LIKE}", prefix),
        "country": (
            "(e.source_country = ? OR e.target_country = ? OR e.location_country = ?)",
            _value,
        ),
        "cameo": (f"e.cameo {LIKE}", prefix),
        "plover": ("e.plover_type = ?", _value),
        "quad": ("e.quad_class = ?", _value),
        **_record("e", EVENT_DAY),
    },
    "statements": {
        "q": (
            f"(s.content_text {LIKE} OR s.speaker_name {LIKE} OR s.speaker_text {LIKE} "
            f"OR s.cue_text {LIKE} OR s.continuation_text {LIKE})",
            like,
        ),
        "speaker": (f"(s.speaker_name {LIKE} OR s.speaker_text {LIKE} OR {IDENTITY_LIKE})", like),
        "speaker_name": (
            "(s.speaker_name = ? OR s.speaker_identity IN (SELECT id FROM identities "
            "WHERE name = ? OR list_contains(variants, ?)))",
            _value,
        ),
        # said by the actor, or the statement behind one of its events
        "actor": (
            f"(s.speaker_code {LIKE} OR s.id IN (SELECT attributed_to FROM events "
            f"WHERE attributed_to IS NOT NULL AND source_code {LIKE}))",
            prefix,
        ),
        **_record("s", STATEMENT_DAY),
    },
    "articles": {
        "q": (f"(a.title {LIKE} OR a.text {LIKE})", like),
        "speaker": (
            f"a.id IN (SELECT article_id FROM statements WHERE speaker_name {LIKE})",
            like,
        ),
        "actor": (
            f"a.id IN (SELECT article_id FROM events WHERE source_code {LIKE} "
            f"OR target_code {LIKE})",
            prefix,
        ),
        **_dated("a.published"),
        "domain": (DOMAIN, _value),
    },
}


def filter_names(kind: str) -> tuple[str, ...]:
    """Return the filters that apply to a kind of record (events, statements, articles)."""
    return tuple(WHERE[kind])


def _where(kind: str, f: Filters) -> _Where:
    w = _Where()
    for name, (clause, bind) in WHERE[kind].items():
        value = getattr(f, name)
        if value is not None and value != "":
            w.add(clause, *[bind(value)] * clause.count("?"))
    return w


class Queries:
    """Read queries over a read-only ``Store``: lists with filters, views and search."""

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

    def _list(self, kind: str, f: Filters, limit: int, offset: int) -> Page:
        w = _where(kind, f)
        counted = self._rows(f"{COUNT[kind]} WHERE {w.sql()}", w.params)
        rows = self._rows(
            f"{SELECT[kind]} WHERE {w.sql()} ORDER BY {NEWEST[kind]} LIMIT ? OFFSET ?",
            [*w.params, limit, offset],
        )
        return Page(rows, int(counted[0]["n"]) if counted else 0)

    def stats(self) -> Stats:
        """Return the store's row counts, top speakers and event roots and date range."""
        return self.store.stats()

    def _ordered(self, kind: str, f: Filters, order: str) -> list[dict[str, Any]]:
        w = _where(kind, f)
        return self._rows(f"{SELECT[kind]} WHERE {w.sql()} ORDER BY {order}", w.params)

    def columns(self, kind: str) -> list[str]:
        """Return the columns of the rows of ``events``, ``clusters`` or ``statements``, in
        order: the keys of their JSON, and the CSV header even when no row matches."""
        select = f"SELECT {CLUSTER_COLUMNS} FROM {CLUSTERS}" if kind == "clusters" else SELECT[kind]
        return [str(r["column_name"]) for r in self._rows(f"DESCRIBE {select}")]

    def events(self, f: Filters, limit: int = 50, offset: int = 0) -> Page:
        """Return events matching the filters, newest first."""
        return self._list("events", f, limit, offset)

    def clusters(self, f: Filters, limit: int = 50, offset: int = 0) -> Page:
        """Return the cross-article clusters with a mention matching the filters, newest first;
        each row is its representative mention with the cluster's counts."""
        w = _where("events", f)
        select = (
            f"SELECT {CLUSTER_COLUMNS} FROM {CLUSTERS} WHERE c.id IN "
            f"(SELECT e.cluster_id FROM {EVENTS} WHERE {w.sql()})"
        )
        order = "c.first_day DESC NULLS LAST, c.n_mentions DESC, c.id"
        return self._page(select, order, w.params, limit, offset)

    def cluster(self, cluster_id: str) -> dict[str, Any] | None:
        """Return one cluster with all its mentions and their evidence (oldest first), or None."""
        rows = self._rows(f"SELECT {CLUSTER_COLUMNS} FROM {CLUSTERS} WHERE c.id = ?", [cluster_id])
        if not rows:
            return None
        mentions = self._rows(
            f"SELECT {EVENT_COLUMNS}, a.url, a.duplicate_of FROM {EVENTS} "
            "WHERE e.cluster_id = ? ORDER BY date NULLS LAST, a.published, e.article_id, "
            "e.trigger_start, e.id",
            [cluster_id],
        )
        return {**rows[0], "mentions": mentions}

    def statements(self, f: Filters, limit: int = 50, offset: int = 0) -> Page:
        """Return statements matching the filters, newest first."""
        return self._list("statements", f, limit, offset)

    def articles(self, f: Filters, limit: int = 50, offset: int = 0) -> Page:
        """Return articles matching the filters, newest first, with their record counts."""
        return self._list("articles", f, limit, offset)

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
        return (
            self._ordered("statements", f, "s.content_start, s.id"),
            self._ordered("events", f, "e.trigger_start, e.id"),
        )

    def timeline(
        self, f: Filters, stack: str = "quad", bucket: str = "day"
    ) -> list[dict[str, Any]]:
        """Return event counts per period and group (``stack``: quad or plover)."""
        key = "CAST(e.quad_class AS VARCHAR)" if stack == "quad" else "e.plover_type"
        period = {"day": EVENT_DAY, "week": f"date_trunc('week', {EVENT_DAY})"}.get(
            bucket, f"date_trunc('month', {EVENT_DAY})"
        )
        w = _where("events", f)
        w.add(f"{EVENT_DAY} IS NOT NULL")
        return self._rows(
            f"SELECT CAST({period} AS DATE) AS day, coalesce({key}, 'none') AS key, "
            f"count(*) AS n FROM {EVENTS} WHERE {w.sql()} GROUP BY 1, 2 ORDER BY 1, 2",
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
            w = _where("events", f)
            w.add(f"e.{mine}_code {LIKE}", prefix(code))
            out[direction] = self._rows(
                "SELECT e.source_code, e.target_code, count(*) AS n, "
                "round(avg(e.goldstein), 2) AS avg_goldstein, "
                f"min({EVENT_DAY}) AS first, max({EVENT_DAY}) AS last "
                f"FROM {EVENTS} WHERE {w.sql()} "
                "GROUP BY 1, 2 ORDER BY n DESC, 1, 2 NULLS LAST LIMIT 200",
                w.params,
            )
        return out

    def network_rows(self, f: Filters) -> list[dict[str, Any]]:
        """Return, for the events matching the filters that have an actor code, their count and
        Goldstein sum per source code, target code and the names they go by (``network.build``)."""
        w = _where("events", f)
        w.add("(e.source_code IS NOT NULL OR e.target_code IS NOT NULL)")
        return self._rows(
            "SELECT e.source_code, e.target_code, "
            "CASE WHEN e.source_code IS NOT NULL THEN e.source_name END AS source_name, "
            "CASE WHEN e.target_code IS NOT NULL THEN e.target_name END AS target_name, "
            "count(*) AS n, count(e.goldstein) AS n_goldstein, sum(e.goldstein) AS goldstein_sum "
            f"FROM {EVENTS} WHERE {w.sql()} GROUP BY ALL ORDER BY ALL",
            w.params,
        )

    def actor_trend(self, code: str, f: Filters) -> list[dict[str, Any]]:
        """Return an actor's events per month and direction, with the average Goldstein score."""
        w = _where("events", f)
        w.add(f"(e.source_code {LIKE} OR e.target_code {LIKE})", prefix(code), prefix(code))
        w.add(f"{EVENT_DAY} IS NOT NULL")
        return self._rows(
            f"SELECT CAST(date_trunc('month', {EVENT_DAY}) AS DATE) AS month, "
            "CASE WHEN e.source_code ILIKE ? ESCAPE '\\' THEN 'outgoing' ELSE 'incoming' END "
            "AS direction, count(*) AS n, round(avg(e.goldstein), 2) AS avg_goldstein "
            f"FROM {EVENTS} WHERE {w.sql()} "
            "GROUP BY 1, 2 ORDER BY 1, 2",
            [prefix(code), *w.params],
        )

    def speakers(self, q: str | None, limit: int = 50, offset: int = 0) -> Page:
        """Return speakers with their number of statements and date range."""
        w = _Where()
        w.add("s.speaker_name IS NOT NULL")
        if q:
            w.add(f"(s.speaker_name {LIKE} OR {IDENTITY_LIKE})", *[like(q)] * 3)
        select = (
            "SELECT coalesce(any_value(i.name), any_value(s.speaker_name)) AS name, "
            "any_value(s.speaker_identity) AS identity, "
            "list_sort(list(DISTINCT s.speaker_name)) AS variants, count(*) AS n_statements, "
            f"count(DISTINCT s.article_id) AS n_articles, min({STATEMENT_DAY}) AS first, "
            f"max({STATEMENT_DAY}) AS last FROM {STATEMENTS} WHERE {w.sql()} "
            "GROUP BY coalesce(s.speaker_identity, s.speaker_name)"
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
