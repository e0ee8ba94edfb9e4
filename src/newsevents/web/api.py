"""The JSON API under /api/: one envelope for every answer, CSV with ``format=csv``.

Success: ``{"ok": true, "data": ..., "meta": {...}}``; error: ``{"ok": false, "error", "status"}``.
The HTML pages call the same functions here, so a page and its JSON twin show the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from .. import filters as parsers
from ..config import get_settings
from ..csv_safe import to_csv
from ..errors import QueryError
from ..filters import Filters
from ..network import Network, code_names, parse_nodes
from ..network import build as build_network
from ..store_queries import Page, Queries
from . import params as p
from .render import period_end, pick_bucket, rebin

# CSV downloads carry every column of their JSON twin (``Queries.columns``).
STACKS = ("quad", "plover")
BUCKETS = ("day", "week", "month", "year")
SEARCH_LIMIT = 20
STATS_TABLES = ("articles", "entities", "statements", "events", "failures")


class ErrorBody(BaseModel):
    """The one error shape."""

    ok: Literal[False]
    error: str
    status: int


router = APIRouter(
    prefix="/api",
    tags=["api"],
    dependencies=[Depends(p.reject_unknown)],
    responses={400: {"model": ErrorBody}, 404: {"model": ErrorBody}},
)


async def queries(request: Request) -> Queries:
    """Return the app's read-only queries (async: no thread hop)."""
    q: Queries = request.app.state.queries
    return q


DB = Annotated[Queries, Depends(queries)]
EVENTS = Annotated[Filters, Depends(p.event_filters)]
STATEMENTS = Annotated[Filters, Depends(p.statement_filters)]
ARTICLES = Annotated[Filters, Depends(p.article_filters)]
PAGING = Annotated[p.Paging, Depends(p.paging)]
TEXT = Annotated[str | None, Query(description="Text to look for (substring).")]


class FastJSON(JSONResponse):
    """A JSON response encoded by the standard library's C encoder; only the values it does not
    know (dates, decimals) go through FastAPI's much slower ``jsonable_encoder``."""

    def render(self, content: Any) -> bytes:
        """Return the body, as ``JSONResponse`` would after ``jsonable_encoder``."""
        return json.dumps(
            content,
            ensure_ascii=False,
            allow_nan=False,
            separators=(",", ":"),
            default=jsonable_encoder,
        ).encode("utf-8")


def ok(data: Any, **meta: Any) -> JSONResponse:
    """Return the success envelope."""
    return FastJSON({"ok": True, "data": data, "meta": meta})


def csv_response(rows: list[dict[str, Any]], name: str, columns: tuple[str, ...] = ()) -> Response:
    """Return rows as a CSV download."""
    return Response(
        to_csv(rows, columns),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="newsevents-{name}.csv"'},
    )


def page_meta(page: Page, paging: p.Paging, filters: dict[str, Any]) -> dict[str, Any]:
    """Return the pagination metadata of a list answer."""
    nxt = paging.offset + paging.limit
    return {
        "total": page.total,
        "count": len(page.rows),
        "limit": paging.limit,
        "offset": paging.offset,
        "next_offset": nxt if nxt < page.total else None,
        "filters": filters,
    }


def listing(
    page: Page, paging: p.Paging, filters: dict[str, Any], name: str, columns: tuple[str, ...] = ()
) -> Response:
    """Return a page of rows as the JSON envelope or as CSV."""
    if paging.format == "csv":
        return csv_response(page.rows, name, columns)
    return ok(page.rows, **page_meta(page, paging, filters))


@router.get("", summary="What the API offers, with row counts")
def index(db: DB) -> Response:
    """List the API routes and the store's row counts."""
    routes = [
        "/api/events", "/api/clusters/{id}", "/api/timeline", "/api/statements", "/api/articles",
        "/api/articles/{id}", "/api/actors", "/api/actors/{code}", "/api/speakers",
        "/api/speakers/{name}", "/api/entities", "/api/network", "/api/search", "/api/stats",
        "/api/openapi.json",
    ]  # fmt: skip
    return ok({"routes": routes, **stats_data(db)})


def stats_data(db: Queries) -> dict[str, Any]:
    """Return the main tables' row counts and the publication date range."""
    stats = db.stats()
    first, last = stats.date_range
    return {"counts": {t: stats.counts[t] for t in STATS_TABLES}, "first": first, "last": last}


@router.get("/stats", summary="Row counts and publication date range")
def stats(db: DB, format: str | None = None) -> Response:
    """Return row counts and the publication date range (CSV: one row, the counts then
    ``first`` and ``last``)."""
    data = stats_data(db)
    if p.choice("format", format, ("json", "csv")) == "csv":
        return csv_response(
            [{**data["counts"], "first": data["first"], "last": data["last"]}], "stats"
        )
    return ok(data)


def timeline_data(
    db: Queries, f: Filters, stack: str | None, bucket: str | None
) -> tuple[list[dict[str, Any]], str, str]:
    """Return timeline rows and the validated stack and bucket; with no bucket, the one that
    suits the events' date range (``render.pick_bucket``)."""
    st = p.choice("stack", stack, STACKS)
    if parsers.text("bucket", bucket, 16) is not None:
        bu = p.choice("bucket", bucket, BUCKETS)
        if bu == "year":  # counted per month by the store, per year here
            return rebin(db.timeline(f, st, "month"), bu), st, bu
        return db.timeline(f, st, bu), st, bu
    months = db.timeline(f, st, "month")  # few rows, and enough to see the date range
    if not months:
        return months, st, "day"
    bu = pick_bucket(months[0]["day"], period_end(months[-1]["day"], "month"))
    if bu in ("month", "year"):
        return rebin(months, bu), st, bu
    return db.timeline(f, st, bu), st, bu


STACK = Annotated[str | None, Query(description="quad (default) or plover.")]
BUCKET = Annotated[
    str | None,
    Query(description="day, week, month or year (default: the one that suits the date range)."),
]
VIEW = Annotated[
    str | None,
    Query(description="mentions (default): one row per event; clusters: one per happening."),
]
VIEWS = ("mentions", "clusters")


def events_page(db: Queries, f: Filters, paging: p.Paging, view: str | None) -> tuple[Page, str]:
    """Return a page of event mentions, or of clusters (``view``), and the validated view."""
    v = p.choice("view", view, VIEWS)
    fetch = db.clusters if v == "clusters" else db.events
    return fetch(f, paging.limit, paging.offset), v


@router.get("/events", summary="Events, newest first, with their timeline in meta")
def events(
    db: DB,
    f: EVENTS,
    paging: PAGING,
    stack: STACK = None,
    bucket: BUCKET = None,
    view: VIEW = None,
) -> Response:
    """List events with filters and pagination; ``meta.timeline`` counts them per period.
    ``view=clusters``: one row per cross-article cluster with a matching mention."""
    page, v = events_page(db, f, paging, view)
    if paging.format == "csv":
        return csv_response(
            page.rows, "events", tuple(db.columns(v if v == "clusters" else "events"))
        )
    rows, st, bu = timeline_data(db, f, stack, bucket)
    timeline = {"stack": st, "bucket": bu, "rows": rows}
    return ok(page.rows, **page_meta(page, paging, f.as_dict()), view=v, timeline=timeline)


CLUSTER_ID = Annotated[str, Path(description="Cluster id (cluster_id of an event).", max_length=64)]


def cluster_data(db: Queries, cluster_id: str) -> dict[str, Any]:
    """Return a cross-article cluster with all its mentions; 404 when unknown."""
    found = db.cluster(cluster_id) if parsers.ID_RE.fullmatch(cluster_id) else None
    if found is None:
        raise HTTPException(404, f"no event cluster with id {cluster_id!r}")
    return found


@router.get("/clusters/{cluster_id}", summary="One happening: its cluster and every mention")
def cluster(db: DB, cluster_id: CLUSTER_ID, format: str | None = None) -> Response:
    """Return a cluster's counts and representative mention, with all its mentions (CSV: the
    mentions)."""
    data = cluster_data(db, cluster_id)
    if p.choice("format", format, ("json", "csv")) == "csv":
        return csv_response(data["mentions"], f"cluster-{cluster_id}")  # every column
    return ok(data)


@router.get("/timeline", summary="Events per day, by quad class or PLOVER type")
def timeline(
    db: DB, f: EVENTS, stack: STACK = None, bucket: BUCKET = None, format: str | None = None
) -> Response:
    """Count events per period and group, with the event filters."""
    rows, st, bu = timeline_data(db, f, stack, bucket)
    if p.choice("format", format, ("json", "csv")) == "csv":
        return csv_response(rows, "timeline")
    return ok(rows, stack=st, bucket=bu, filters=f.as_dict())


@router.get("/statements", summary="Statements, newest first")
def statements(db: DB, f: STATEMENTS, paging: PAGING) -> Response:
    """List statements with filters and pagination."""
    page = db.statements(f, paging.limit, paging.offset)
    return listing(page, paging, f.as_dict(), "statements", tuple(db.columns("statements")))


@router.get("/articles", summary="Articles, newest first")
def articles(db: DB, f: ARTICLES, paging: PAGING) -> Response:
    """List articles with filters and pagination."""
    return listing(db.articles(f, paging.limit, paging.offset), paging, f.as_dict(), "articles")


ARTICLE_ID = Annotated[str, Path(description="Article id.", max_length=64)]


def article_data(db: Queries, article_id: str) -> dict[str, Any]:
    """Return an article with its statements and events; 404 when unknown."""
    valid = parsers.article_id(article_id)
    article = db.article(valid) if valid else None
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    statements, events = db.article_records(article["id"])
    return {"article": article, "statements": statements, "events": events}


@router.get("/articles/{article_id}", summary="One article: clean text, statements, events")
def article(db: DB, article_id: ARTICLE_ID, format: str | None = None) -> Response:
    """Return one article with every statement and event (CSV: the records)."""
    data = article_data(db, article_id)
    if p.choice("format", format, ("json", "csv")) == "csv":
        rows = [{"record": "statement", **s} for s in data["statements"]]
        rows += [{"record": "event", **e} for e in data["events"]]
        columns = ("record", *dict.fromkeys([*db.columns("statements"), *db.columns("events")]))
        return csv_response(rows, f"article-{article_id}", columns)
    return ok(data)


def text_listing(
    fetch: Callable[[str | None, int, int], Page], q: str | None, paging: p.Paging, name: str
) -> Response:
    """Return the page of a list searched by one text, ``q``, as JSON or CSV."""
    found = parsers.text("q", q)
    page = fetch(found, paging.limit, paging.offset)
    return listing(page, paging, {"q": found} if found else {}, name)


@router.get("/actors", summary="Actor codes with event counts")
def actors(db: DB, paging: PAGING, q: TEXT = None) -> Response:
    """List actor codes, most active first."""
    return text_listing(db.actors, q, paging, "actors")


ACTOR_CODE = Annotated[str, Path(description="Actor code (prefix), e.g. RUSGOV.", max_length=24)]


def actor_data(db: Queries, code: str, f: Filters, limit: int = 100) -> dict[str, Any]:
    """Return an actor's dyads, monthly trend and statements; 404 when it never occurs.

    Its statements are those its speakers made and those behind its events.
    """
    valid = parsers.code("code", code) or ""
    dyads = db.dyads(valid, f)
    said = db.statements(Filters(actor=valid, since=f.since, until=f.until), limit, 0)
    if not (dyads["outgoing"] or dyads["incoming"] or said.total or db.actors(valid, 1).total):
        raise HTTPException(404, f"no events or statements with actor code {valid!r}")
    return {
        "code": valid,
        "outgoing": dyads["outgoing"],
        "incoming": dyads["incoming"],
        "trend": db.actor_trend(valid, f),
        "statements": said.rows,
        "n_statements": said.total,
    }


@router.get("/actors/{code}", summary="One actor: dyads, Goldstein by month, statements")
def actor(db: DB, code: ACTOR_CODE, f: EVENTS, format: str | None = None) -> Response:
    """Return whom an actor acts on and who acts on it, by month, and its statements."""
    data = actor_data(db, code, f)
    if p.choice("format", format, ("json", "csv")) == "csv":
        rows = [{"direction": "outgoing", **r} for r in data["outgoing"]]
        rows += [{"direction": "incoming", **r} for r in data["incoming"]]
        return csv_response(rows, f"actor-{data['code']}")
    return ok(data, filters=f.as_dict())


NETWORK_CSV = ("source", "source_name", "target", "target_name", "n", "goldstein")
NODES = Annotated[
    str | None, Query(description="Most actors to show (those with the most events), 1 to the cap.")
]


def network_data(db: Queries, f: Filters, nodes: str | None) -> Network:
    """Return the actor network of the events matching the filters, capped by the setting
    ``network_max_nodes`` (or fewer, ``nodes``)."""
    cap = get_settings().network_max_nodes
    return build_network(db.network_rows(f), parse_nodes(nodes, cap), code_names())


@router.get("/network", summary="Who acts on whom: actors and their dyads, with Goldstein")
def network(db: DB, f: EVENTS, nodes: NODES = None, format: str | None = None) -> Response:
    """Return the actors with the most matching events and the dyads between them (count, mean
    Goldstein); CSV: the dyads."""
    net = network_data(db, f, nodes)
    data = net.as_dict()
    if p.choice("format", format, ("json", "csv")) == "csv":
        return csv_response(data["edges"], "network", NETWORK_CSV)
    return ok(data, filters=f.as_dict())


@router.get("/speakers", summary="Speakers with statement counts")
def speakers(db: DB, paging: PAGING, q: TEXT = None) -> Response:
    """List speakers, most quoted first."""
    return text_listing(db.speakers, q, paging, "speakers")


SPEAKER_NAME = Annotated[str, Path(description="Speaker name, exactly.", max_length=200)]


def speaker_data(db: Queries, name: str, f: Filters, paging: p.Paging) -> Page:
    """Return what one speaker said, newest first; 404 when nobody of that name spoke."""
    clean = parsers.text("name", name) or ""
    page = db.statements(
        Filters(speaker_name=clean, since=f.since, until=f.until, q=f.q, domain=f.domain),
        paging.limit,
        paging.offset,
    )
    if page.total == 0 and not db.statements(Filters(speaker_name=clean), 1).total:
        raise HTTPException(404, f"no statements by {clean!r}")
    return page


@router.get("/speakers/{name:path}", summary="Everything one speaker said, by date")
def speaker(db: DB, name: SPEAKER_NAME, f: STATEMENTS, paging: PAGING) -> Response:
    """List one speaker's statements (exact name), newest first."""
    page = speaker_data(db, name, f, paging)
    columns = tuple(db.columns("statements"))
    return listing(page, paging, {"name": name, **f.as_dict()}, "speaker", columns)


LABEL = Annotated[str | None, Query(description="spaCy entity label (PERSON, GPE, ORG...).")]


def entity_label(db: Queries, label: str | None) -> str | None:
    """Return an entity label present in the store (upper-cased) or None."""
    lab = parsers.text("label", label, 16)
    if lab is None:
        return None
    if lab.upper() not in db.labels():
        raise QueryError(f"unknown label {lab.upper()!r}; use one of {', '.join(db.labels())}")
    return lab.upper()


@router.get("/entities", summary="Named entities with mention counts")
def entities(db: DB, paging: PAGING, q: TEXT = None, label: LABEL = None) -> Response:
    """List named entities grouped by name and label."""
    found, lab = parsers.text("q", q), entity_label(db, label)
    page = db.entities(found, lab, paging.limit, paging.offset)
    filters = {k: v for k, v in {"q": found, "label": lab}.items() if v}
    return listing(page, paging, filters, "entities")


def search_data(db: Queries, q: str | None, limit: int = SEARCH_LIMIT) -> dict[str, Any]:
    """Search statements, events and articles for a text; 400 when it is missing."""
    found = parsers.text("q", q)
    if found is None:
        raise QueryError("q is required: the text to search for")
    f = Filters(q=found)
    out: dict[str, Any] = {"q": found}
    for kind, page in (
        ("statements", db.statements(f, limit)),
        ("events", db.events(f, limit)),
        ("articles", db.articles(f, limit)),
    ):
        out[kind] = page.rows
        out[f"n_{kind}"] = page.total
    return out


@router.get("/search", summary="Full-text search over statements, events and articles")
def search(db: DB, q: TEXT = None, format: str | None = None) -> Response:
    """Find a text (case-insensitive substring) in statements, events and articles."""
    data = search_data(db, q)
    if p.choice("format", format, ("json", "csv")) == "csv":
        rows = [
            {"kind": "statement", "id": r["id"], "article_id": r["article_id"], "date": r["date"],
             "who": r["speaker_name"], "text": r["content_text"]} for r in data["statements"]
        ] + [
            {"kind": "event", "id": r["id"], "article_id": r["article_id"], "date": r["date"],
             "who": r["source_code"], "text": r["sentence"]} for r in data["events"]
        ] + [
            {"kind": "article", "id": r["id"], "article_id": r["id"], "date": r["published"],
             "who": r["source_domain"], "text": r["title"]} for r in data["articles"]
        ]  # fmt: skip
        return csv_response(rows, "search")
    return ok(data)
