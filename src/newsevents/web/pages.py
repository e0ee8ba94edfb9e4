"""The HTML pages: server-rendered with Jinja (autoescaped); each has a JSON twin under /api/."""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..filters import FILTERS, Filters, text
from ..network import Network, draw
from ..ontology import PLOVER_TYPES, QUAD_NAMES
from ..store_queries import filter_names
from . import api
from . import params as p
from .render import highlight, records, timeline_svg

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(resources.files("newsevents").joinpath("web", "templates"))),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
templates = Jinja2Templates(env=_env)
router = APIRouter(dependencies=[Depends(p.reject_unknown)], include_in_schema=False)


def _url(path: str, params: dict[str, Any]) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def _path(request: Request) -> str:
    """Return the request's path percent-encoded again (Starlette gives it decoded: a speaker's
    name with spaces or "/" in it would break the links built from it)."""
    return quote(request.url.path, safe="/")


def _twin(request: Request) -> dict[str, str]:
    path = "/api/stats" if request.url.path == "/" else "/api" + _path(request)
    params = dict(request.query_params)
    return {"json": _url(path, params), "csv": _url(path, {**params, "format": "csv"})}


_env.globals["quote"] = lambda s: quote(str(s), safe="")
_env.globals["plover_types"] = PLOVER_TYPES
_env.globals["quad_names"] = QUAD_NAMES


def render(request: Request, template: str, status: int = 200, **extra: Any) -> HTMLResponse:
    """Render a template with the request, its JSON/CSV twin links and the current filters."""
    args = dict(request.query_params)

    def page_url(**changes: Any) -> str:
        return _url(_path(request), {**args, **changes})

    search_q = args.get("q", "") if template == "search.html" else ""
    context = {"args": args, "twin": _twin(request), "page_url": page_url, "search_q": search_q}
    context |= extra
    return templates.TemplateResponse(request, template, context, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """Render an error as an HTML page (the message is escaped like all text)."""
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message, "args": {}, "twin": None, "search_q": ""},
        status_code=status,
    )


def _pager(page: Any, paging: p.Paging) -> dict[str, Any]:
    return api.page_meta(page, paging, {})


@router.get("/")
def home(request: Request, db: api.DB) -> Response:
    """The start page: counts, search box and the most active speakers and actors."""
    return render(
        request,
        "index.html",
        stats=api.stats_data(db),
        speakers=db.speakers(None, 10).rows,
        actors=db.actors(None, 10).rows,
        articles=db.articles(Filters(), 10).rows,
    )


@router.get("/search")
def search(request: Request, db: api.DB, q: api.TEXT = None) -> Response:
    """Search results: statements, events and articles containing the text."""
    data = api.search_data(db, q) if text("q", q) else None
    return render(request, "search.html", data=data)


@router.get("/events")
def events(
    request: Request,
    db: api.DB,
    f: api.EVENTS,
    paging: api.PAGING,
    stack: api.STACK = None,
    bucket: api.BUCKET = None,
    view: api.VIEW = None,
) -> Response:
    """Events table (mentions, or clusters across articles) with filters and the timeline
    stacked by quad class or PLOVER type."""
    rows, st, bu = api.timeline_data(db, f, stack, bucket)
    page, v = api.events_page(db, f, paging, view)
    return render(
        request,
        "events.html",
        page=page,
        meta=_pager(page, paging),
        svg=timeline_svg(rows, st, bu, {k: v for k, v in f.as_dict().items()}),
        stack=st,
        bucket=bu,
        view=v,
        domains=db.domains(),
    )


@router.get("/clusters/{cluster_id}")
def cluster(request: Request, db: api.DB, cluster_id: api.CLUSTER_ID) -> Response:
    """One happening: its cluster's counts and every mention with its evidence."""
    return render(request, "cluster.html", cluster=api.cluster_data(db, cluster_id))


@router.get("/statements")
def statements(request: Request, db: api.DB, f: api.STATEMENTS, paging: api.PAGING) -> Response:
    """Statements table with filters."""
    page = db.statements(f, paging.limit, paging.offset)
    return render(
        request, "statements.html", page=page, meta=_pager(page, paging), domains=db.domains()
    )


@router.get("/articles")
def articles(request: Request, db: api.DB, f: api.ARTICLES, paging: api.PAGING) -> Response:
    """Articles list with filters."""
    page = db.articles(f, paging.limit, paging.offset)
    return render(
        request, "articles.html", page=page, meta=_pager(page, paging), domains=db.domains()
    )


@router.get("/articles/{article_id}")
def article(request: Request, db: api.DB, article_id: api.ARTICLE_ID) -> Response:
    """One article: clean text with every statement and event highlighted, linked both ways."""
    data = api.article_data(db, article_id)
    recs = records(data["statements"], data["events"])
    return render(
        request,
        "article.html",
        article=data["article"],
        body=highlight(data["article"]["text"], recs),
        statements=[r for r in recs if r.kind == "statement"],
        events=[r for r in recs if r.kind == "event"],
    )


@router.get("/actors")
def actors(request: Request, db: api.DB, paging: api.PAGING, q: api.TEXT = None) -> Response:
    """Actor codes, most active first."""
    page = db.actors(text("q", q), paging.limit, paging.offset)
    return render(request, "actors.html", page=page, meta=_pager(page, paging))


@router.get("/actors/{code}")
def actor(request: Request, db: api.DB, code: api.ACTOR_CODE, f: api.EVENTS) -> Response:
    """One actor: ranked dyads both ways, Goldstein by month, and its statements."""
    return render(request, "actor.html", data=api.actor_data(db, code, f))


# The parameters of the events page that the network page takes too: the event filters.
NETWORK_FILTERS = frozenset(name for name in filter_names("events") if name in FILTERS)
_env.globals["network_url"] = lambda args: _url(
    "/network", {k: v for k, v in args.items() if k in NETWORK_FILTERS}
)


def network_links(net: Network, params: dict[str, Any]) -> dict[str, str]:
    """Return the events page link of each node (by code) and edge ("SOURCE>TARGET"), with the
    current filters kept (a node's actor and an edge's source and target replace theirs)."""
    links = {n.code: _url("/events", {**params, "actor": n.code}) for n in net.nodes}
    for e in net.edges:
        links[f"{e.source}>{e.target}"] = _url(
            "/events", {**params, "source": e.source, "target": e.target}
        )
    return links


@router.get("/network")
def network(request: Request, db: api.DB, f: api.EVENTS, nodes: api.NODES = None) -> Response:
    """Who acts on whom: the actors of the matching events and their dyads, drawn as SVG."""
    net = api.network_data(db, f, nodes)
    params = f.as_dict()
    return render(
        request,
        "network.html",
        net=net,
        drawing=draw(net),
        links=network_links(net, params),
        events_url=_url("/events", params),
        domains=db.domains(),
    )


@router.get("/speakers")
def speakers(request: Request, db: api.DB, paging: api.PAGING, q: api.TEXT = None) -> Response:
    """Speakers, most quoted first."""
    page = db.speakers(text("q", q), paging.limit, paging.offset)
    return render(request, "speakers.html", page=page, meta=_pager(page, paging))


@router.get("/speakers/{name:path}")  # a name may hold "/" (AC/DC Spokesperson)
def speaker(
    request: Request, db: api.DB, name: api.SPEAKER_NAME, f: api.STATEMENTS, paging: api.PAGING
) -> Response:
    """Everything one speaker said, newest first."""
    page = api.speaker_data(db, name, f, paging)
    return render(request, "speaker.html", name=name, page=page, meta=_pager(page, paging))


@router.get("/entities")
def entities(
    request: Request, db: api.DB, paging: api.PAGING, q: api.TEXT = None, label: api.LABEL = None
) -> Response:
    """Named entities with mention counts."""
    lab = api.entity_label(db, label)
    page = db.entities(text("q", q), lab, paging.limit, paging.offset)
    return render(
        request, "entities.html", page=page, meta=_pager(page, paging), labels=db.labels()
    )
