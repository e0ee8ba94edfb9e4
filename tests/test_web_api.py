"""The HTTP API and HTML pages, in-process, on a small database built from texts written here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsevents import process
from newsevents.cli import main
from newsevents.web import create_app
from newsevents.web.render import Record, highlight, to_csv

ARTICLE_A = """Russia accuses Ukraine of drone strikes on energy sites

MOSCOW, March 3, 2025 — Russian Foreign Minister Sergei Lavrov accused Ukraine on Monday of \
attacking energy facilities in the Belgorod region. "These strikes will not go unanswered," \
Lavrov told reporters in Moscow.

Ukrainian President Volodymyr Zelensky rejected the accusation. "We defend our cities and \
nothing else," Zelensky said in his evening address.

The European Union condemned the attacks on civilians and urged both sides to return to talks \
in Geneva. Germany's foreign minister Annalena Baerbock said Berlin would host a meeting of \
envoys next week.
"""

XSS = '<script>alert("owned")</script>'
ARTICLE_B = f"""Minister's page shows odd markup

PARIS, April 2, 2025 — The French interior minister Claire Duval said on Wednesday that \
"{XSS} is not a policy, and <img src=x onerror=alert(1)> is not a plan." Officials in Paris \
criticised Italy over the border checks.

Italian Prime Minister Marco Rossi rejected the criticism and said Rome would keep the checks.
"""
DUVAL_URL = "https://www.example.fr/politique/duval"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built with newsevents.process from two short articles (one with a URL)."""
    root = tmp_path_factory.mktemp("web")
    texts = root / "texts"
    texts.mkdir()
    (texts / "lavrov-2025-03-03.txt").write_text(ARTICLE_A, encoding="utf-8")
    title, body = ARTICLE_B.split("\n\n", 1)
    record = {"url": DUVAL_URL, "title": title, "text": body, "published": "2025-04-02"}
    (texts / "duval.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = root / "web.duckdb"
    report = process([texts], db=db, clean=False, workers=1)
    assert report.stored == 2, report
    return db


@pytest.fixture(scope="module")
def app(db_path: Path) -> FastAPI:
    """The web app over the test database."""
    return create_app(db_path)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    """An in-process HTTP client."""
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _ids(client: TestClient) -> dict[str, str]:
    events = client.get("/api/events").json()["data"]
    speakers = client.get("/api/speakers").json()["data"]
    coded = [e for e in events if e["source_code"]]
    return {
        "article": client.get("/api/articles?q=unanswered").json()["data"][0]["id"],
        "xss": client.get("/api/articles?q=onerror").json()["data"][0]["id"],
        "actor": coded[0]["source_code"] if coded else "RUS",
        "speaker": speakers[0]["name"],
    }


@pytest.fixture(scope="module")
def ids(client: TestClient) -> dict[str, str]:
    """Ids of records in the test database."""
    return _ids(client)


def _api_routes(ids: dict[str, str]) -> list[str]:
    return [
        "/api",
        "/api/stats",
        "/api/events",
        "/api/timeline",
        "/api/statements",
        "/api/articles",
        f"/api/articles/{ids['article']}",
        "/api/actors",
        f"/api/actors/{ids['actor']}",
        "/api/speakers",
        f"/api/speakers/{ids['speaker']}",
        "/api/entities",
        "/api/search?q=Lavrov",
    ]


def _assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status and body["error"]
    return dict(body)


def test_database_has_records(client: TestClient) -> None:
    counts = client.get("/api/stats").json()["data"]["counts"]
    assert counts["articles"] == 2
    assert counts["statements"] > 0 and counts["events"] > 0


def test_every_route_answers_in_the_envelope(client: TestClient, ids: dict[str, str]) -> None:
    for url in _api_routes(ids):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text)
        body = r.json()
        assert body["ok"] is True and "data" in body and isinstance(body["meta"], dict), url


def test_every_route_refuses_unknown_parameters_in_the_error_shape(
    client: TestClient, ids: dict[str, str]
) -> None:
    for url in _api_routes(ids):
        sep = "&" if "?" in url else "?"
        body = _assert_error(client.get(f"{url}{sep}bogus=1"), 400)
        assert "bogus" in body["error"]


def test_every_route_refuses_writes(client: TestClient, ids: dict[str, str]) -> None:
    for url in _api_routes(ids):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            _assert_error(client.request(method, url), 405)


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("/api/events?limit=100000", "limit"),
        ("/api/events?limit=0", "limit"),
        ("/api/statements?offset=-1", "offset"),
        ("/api/articles?limit=abc", "limit"),
        ("/api/actors?limit=501", "limit"),
        ("/api/speakers?limit=9999999999999", "limit"),
        ("/api/entities?limit=1000", "limit"),
        ("/api/events?since=2025-02-30", "since"),
        ("/api/events?until=yesterday", "until"),
        ("/api/statements?since=2025-05-01&until=2025-01-01", "after"),
        ("/api/events?cameo=999", "CAMEO"),
        ("/api/events?cameo=19;", "CAMEO"),
        ("/api/events?plover=HUGS", "PLOVER"),
        ("/api/events?quad=5", "quad"),
        ("/api/statements?min_confidence=high", "min_confidence"),
        ("/api/events?min_confidence=1.5", "min_confidence"),
        ("/api/events?country=XXX", "country"),
        ("/api/events?actor=RUS%20GOV", "actor"),
        ("/api/events?article=not-an-id", "article"),
        ("/api/events?format=xml", "format"),
        ("/api/timeline?stack=colour", "stack"),
        ("/api/timeline?bucket=decade", "bucket"),
        ("/api/entities?label=ALIEN", "label"),
        ("/api/search", "q"),
        ("/api/actors/" + "A" * 40, "code"),
        ("/api/events?q=" + "x" * 300, "too long"),
        ("/api/events?q=a%00b", "control"),
    ],
)
def test_bad_inputs_are_400_with_a_clear_message(client: TestClient, url: str, needle: str) -> None:
    body = _assert_error(client.get(url), 400)
    assert needle.lower() in body["error"].lower()


@pytest.mark.parametrize(
    "url",
    [
        "/api/no-such-route",
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/api/articles/0123456789abcdef0123",
        "/api/actors/ZZZGOV",
        "/api/speakers/Nobody%20Atall",
    ],
)
def test_unknown_things_are_404(client: TestClient, url: str) -> None:
    _assert_error(client.get(url), 404)


def test_request_size_is_capped(client: TestClient) -> None:
    _assert_error(client.get("/api/events?q=" + "a" * 5000), 414)
    _assert_error(client.request("GET", "/api/events", content=b"x" * 10), 413)


def test_pagination(client: TestClient) -> None:
    full = client.get("/api/statements?limit=500").json()
    total = full["meta"]["total"]
    assert total == len(full["data"]) >= 2
    first = client.get("/api/statements?limit=1").json()
    second = client.get("/api/statements?limit=1&offset=1").json()
    assert first["meta"]["next_offset"] == 1 and first["meta"]["total"] == total
    assert first["data"][0]["id"] == full["data"][0]["id"]
    assert second["data"][0]["id"] == full["data"][1]["id"]
    last = client.get(f"/api/statements?limit=1&offset={total - 1}").json()
    assert last["meta"]["next_offset"] is None


def _ids_of(rows: list[dict[str, Any]]) -> list[str]:
    return [str(r["id"]) for r in rows]


def _first(rows: list[dict[str, Any]], *keys: str) -> str:
    """Return the first value set under any of ``keys`` (the test data must have one)."""
    values = [str(r[k]) for r in rows for k in keys if r.get(k)]
    assert values, keys
    return values[0]


def _event_text(e: dict[str, Any]) -> str:
    parts = ("trigger_text", "source_text", "target_text", "source_name", "target_name", "sentence")
    return " ".join(str(e[k] or "") for k in parts).lower()


def test_event_filters_return_exactly_the_matching_rows(client: TestClient) -> None:
    events = client.get("/api/events?limit=500").json()["data"]
    assert len(events) >= 3
    actor, source, target = (
        _first(events, k)[:3] for k in ("source_code", "source_code", "target_code")
    )
    country = _first(events, "source_country", "target_country", "location_country")
    root, plover = _first(events, "cameo_root"), _first(events, "plover_type")
    quad, word = _first(events, "quad_class"), _first(events, "trigger_text").lower()
    article, domain = _first(events, "article_id"), _first(events, "source_domain")
    assert domain == "example.fr"
    least = max(e["confidence"] for e in events)  # kept: the most confident only
    cases = {
        f"actor={actor.lower()}": lambda e: actor in f"{e['source_code']} {e['target_code']}",
        f"source={source}": lambda e: (e["source_code"] or "").startswith(source),
        f"target={target}": lambda e: (e["target_code"] or "").startswith(target),
        f"country={country.lower()}": lambda e: (
            country in (e["source_country"], e["target_country"], e["location_country"])
        ),
        f"cameo={root}": lambda e: e["cameo"].startswith(root),
        f"plover={plover.lower()}": lambda e: e["plover_type"] == plover,
        f"quad={quad}": lambda e: str(e["quad_class"]) == quad,
        f"q={word.upper()}": lambda e: word in _event_text(e),
        f"article={article}": lambda e: e["article_id"] == article,
        f"domain={domain.upper()}": lambda e: e["source_domain"] == domain,
        f"min_confidence={least}": lambda e: e["confidence"] >= least,
        "since=2025-04-01": lambda e: e["date"] >= "2025-04-01",
        "until=2025-03-31": lambda e: e["date"] <= "2025-03-31",
        f"cameo={root}&since=2025-03-01&until=2025-03-31": lambda e: (
            e["cameo"].startswith(root) and "2025-03-01" <= e["date"] <= "2025-03-31"
        ),
    }
    for query, keep in cases.items():
        expected = _ids_of([e for e in events if keep(e)])
        got = client.get(f"/api/events?limit=500&{query}").json()
        assert expected and _ids_of(got["data"]) == expected, query
        assert got["meta"]["total"] == len(expected), query
    assert 0 < len(_ids_of([e for e in events if e["confidence"] >= least])) < len(events)


def test_statement_and_article_filters_return_exactly_the_matching_rows(
    client: TestClient, ids: dict[str, str]
) -> None:
    statements = client.get("/api/statements?limit=500").json()["data"]
    articles = client.get("/api/articles?limit=500").json()["data"]
    assert len(statements) >= 3 and len(articles) == 2
    least = sorted(s["confidence"] for s in statements)[len(statements) // 2]
    domain = _first(statements, "source_domain")
    said = {
        "speaker=lavrov": lambda s: "lavrov" in f"{s['speaker_name']} {s['speaker_text']}".lower(),
        "q=UNANSWERED": lambda s: "unanswered" in s["content_text"].lower(),
        f"min_confidence={least}": lambda s: s["confidence"] >= least,
        f"article={ids['xss']}": lambda s: s["article_id"] == ids["xss"],
        "since=2025-04-01": lambda s: s["date"] >= "2025-04-01",
        f"domain={domain}": lambda s: s["source_domain"] == domain,
    }
    for query, keep in said.items():
        expected = _ids_of([s for s in statements if keep(s)])
        got = _ids_of(client.get(f"/api/statements?limit=500&{query}").json()["data"])
        assert expected and got == expected, query
    lavrov = [s for s in statements if "lavrov" in (s["speaker_name"] or "").lower()]
    assert lavrov and all(s["speaker_code"] == "RUSGOV" for s in lavrov)  # coded like an actor
    by_code = _ids_of(client.get("/api/statements?actor=RUSGOV&limit=500").json()["data"])
    assert set(_ids_of(lavrov)) <= set(by_code)
    assert 0 < len([s for s in statements if s["confidence"] >= least]) < len(statements)
    march = client.get("/api/articles?since=2025-03-01&until=2025-03-31").json()["data"]
    assert _ids_of(march) == [ids["article"]]
    for query, expected in (
        ("q=onerror", [ids["xss"]]),
        ("speaker=zelensky", [ids["article"]]),
        ("actor=ITA", [ids["xss"]]),
        (f"domain={domain.upper()}", [ids["xss"]]),
        ("until=2025-03-31", [ids["article"]]),
    ):
        assert _ids_of(client.get(f"/api/articles?{query}").json()["data"]) == expected, query
    assert client.get("/api/events?since=2030-01-01").json()["data"] == []


def test_search_finds_text_in_every_kind(client: TestClient) -> None:
    data = client.get("/api/search?q=unanswered").json()["data"]
    assert data["n_statements"] >= 1 and data["n_articles"] == 1
    assert client.get("/api/search?q=%25").json()["data"]["n_articles"] == 0  # % is literal


@pytest.mark.parametrize(
    "query",
    [
        "q=x%27%3B%20DROP%20TABLE%20events%3B%20--",
        "speaker=O%27Brien%22%3B%20DELETE%20FROM%20statements%3B",
        "domain=a%27%20OR%20%271%27%3D%271",
        "q=%27%20OR%201%3D1%20--",
        "q=%5C%27%3B%20SELECT%20*%20FROM%20read_csv(%27%2Fetc%2Fpasswd%27)%3B",
    ],
)
def test_sql_injection_is_inert(client: TestClient, app: FastAPI, query: str) -> None:
    before = app.state.store.counts()
    for route in ("/api/events", "/api/statements", "/api/articles", "/events", "/statements"):
        r = client.get(f"{route}?{query}")
        assert r.status_code == 200, (route, r.text)
        if route.startswith("/api"):
            assert r.json()["data"] == [] and r.json()["meta"]["total"] == 0
    _assert_error(client.get("/api/events?actor=RUS%27%3B--"), 400)
    assert app.state.store.counts() == before


def test_store_is_read_only_and_cannot_reach_files(app: FastAPI) -> None:
    con = app.state.store.con
    with pytest.raises(duckdb.Error):
        con.execute("CREATE TABLE intruder (i INTEGER)")
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM events")
    with pytest.raises(duckdb.Error):
        con.execute("SELECT * FROM read_csv('/etc/passwd')")
    with pytest.raises(duckdb.Error):
        con.execute("SET enable_external_access = true")


def test_article_text_with_script_renders_as_text(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get(f"/articles/{ids['xss']}").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "onerror=alert(1)&gt;" in html
    for url in ("/statements?q=script", "/search?q=onerror", "/events?q=criticised"):
        page = client.get(url).text
        assert "<script>alert" not in page and "<img src=x" not in page
    r = client.get(f"/api/articles/{ids['xss']}")
    assert XSS in r.json()["data"]["article"]["text"]
    assert r.headers["content-type"].startswith("application/json")
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_error_pages_escape_their_message(client: TestClient) -> None:
    r = client.get("/events?plover=%3Cscript%3Ex")
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert "<script>x" not in r.text and "&lt;script&gt;x" in r.text


def test_article_page_highlights_every_record_both_ways(
    client: TestClient, ids: dict[str, str]
) -> None:
    data = client.get(f"/api/articles/{ids['article']}").json()["data"]
    html = client.get(f"/articles/{ids['article']}").text
    records = data["statements"] + data["events"]
    assert records
    for rec in records:
        assert f'id="hl-{rec["id"]}"' in html and f'href="#rec-{rec["id"]}"' in html
        assert f'id="rec-{rec["id"]}"' in html and f'href="#hl-{rec["id"]}"' in html
    assert 'class="r-content"' in html or "r-content " in html
    assert "r-trigger" in html


def test_html_pages_render_and_link_their_json_twin(
    client: TestClient, ids: dict[str, str]
) -> None:
    pages = [
        "/",
        "/events",
        "/events?stack=plover&bucket=week",
        "/statements",
        "/articles",
        f"/articles/{ids['article']}",
        "/actors",
        f"/actors/{ids['actor']}",
        "/speakers",
        f"/speakers/{quote(ids['speaker'], safe='')}",  # the twin link is encoded too
        "/entities",
        "/search?q=Lavrov",
    ]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200 and "text/html" in r.headers["content-type"], url
        twin = "/api/stats" if url == "/" else "/api" + url
        assert f'href="{twin.replace("&", "&amp;")}"' in r.text, url
        assert client.get(twin).json()["ok"] is True, twin
    assert "<rect" in client.get("/events").text


def test_page_and_twin_show_the_same_rows(client: TestClient, ids: dict[str, str]) -> None:
    actor = ids["actor"]
    html = client.get(f"/events?actor={actor}").text
    rows = client.get(f"/api/events?actor={actor}").json()["data"]
    assert rows
    for e in rows:
        assert f"#hl-{e['id']}" in html


def test_csv_downloads(client: TestClient, ids: dict[str, str]) -> None:
    for url in (
        "/api/events?format=csv",
        "/api/statements?format=csv",
        "/api/articles?format=csv",
        f"/api/articles/{ids['article']}?format=csv",
        "/api/search?q=Lavrov&format=csv",
        "/api/timeline?format=csv",
    ):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), url
        assert "attachment" in r.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert rows, url
    assert to_csv([{"a": "=cmd()", "b": -2.0}]).splitlines()[1] == "'=cmd(),-2.0"


def test_timeline_counts_match_the_events(client: TestClient) -> None:
    events = client.get("/api/events?limit=500").json()["data"]
    timeline = client.get("/api/timeline").json()
    assert sum(r["n"] for r in timeline["data"]) == sum(1 for e in events if e["date"])
    assert timeline["meta"]["stack"] == "quad"
    by_type = client.get("/api/timeline?stack=plover&bucket=month").json()["data"]
    assert sum(r["n"] for r in by_type) == sum(r["n"] for r in timeline["data"])


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/events" in spec["paths"] and "/api/articles/{article_id}" in spec["paths"]
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "country", "cameo", "plover", "quad", "since", "until", "domain"} <= names
    assert not any(path.startswith("/events") for path in spec["paths"])


def test_highlight_escapes_and_survives_bad_offsets() -> None:
    text = "A <b>said</b> x"
    recs = [
        Record("aa", "statement", "S1", {"speaker_start": 0, "speaker_end": 1, "cue_start": 2,
                                         "cue_end": 13, "content_start": 14, "content_end": 15}),
        Record("bb", "event", "E1", {"trigger_start": 5, "trigger_end": 9,
                                     "source_start": 10, "source_end": 99}),
    ]  # fmt: skip
    html = str(highlight(text, recs))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert 'id="hl-aa"' in html and 'id="hl-bb"' in html
    assert 'data-rec="aa bb"' in html  # the trigger inside the cue belongs to both


def test_serve_command(db_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "missing.duckdb")])
    assert result.exit_code != 0 and "no database" in result.output
    assert "--port" in CliRunner().invoke(main, ["serve", "--help"]).output
