"""Readers: each format becomes RawDocuments; every bad input becomes a Failure, never a crash."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import ClassVar

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsevents.config import get_settings
from newsevents.dates import date_from_name
from newsevents.errors import InputError
from newsevents.ingest import read_inputs
from newsevents.ingest.files import time_limit
from newsevents.ingest.html import is_headline
from newsevents.metadata import domain_of
from newsevents.model import Failure, RawDocument

BODY = " ".join(
    [
        "Envoys from the two neighbouring states met in Geneva on Monday to discuss a truce.",
        "The foreign minister said the talks had been useful and would continue next week.",
        "Protesters gathered outside the venue, and police detained several of them.",
    ]
)
PAGE = f"""<!doctype html><html><head><title>Envoys meet in Geneva | Example News</title>
<meta property="og:title" content="Envoys meet in Geneva">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2025-03-04T08:00:00Z">
<link rel="canonical" href="https://example-news.test/world/envoys-meet">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Envoys meet in Geneva</h1><p>{BODY}</p><p>{BODY}</p></article>
<footer>© 2025 Example News</footer></body></html>"""


def _read(paths: list[str], **kw: object) -> list[RawDocument | Failure]:
    return list(read_inputs(paths, get_settings().read_limits, **kw))  # type: ignore[arg-type]


def test_html_page(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    [doc] = _read([str(tmp_path / "page.html")])
    assert isinstance(doc, RawDocument)
    assert doc.format == "extracted"
    assert doc.title == "Envoys meet in Geneva"
    assert doc.published == date(2025, 3, 4)
    assert doc.url == "https://example-news.test/world/envoys-meet"
    assert doc.authors == ("Jane Doe",)
    assert "Envoys from the two" in doc.content and "Home" not in doc.content


def test_gzipped_html(tmp_path: Path) -> None:
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    [doc] = _read([str(tmp_path / "page.html.gz")])
    assert isinstance(doc, RawDocument) and doc.title == "Envoys meet in Geneva"


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": BODY, "url": "https://w.test/a", "published": "2025-01-02"}),
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps({"html": PAGE, "source": "example-news.test"}),
        "",
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines), encoding="utf-8")
    items = _read([str(tmp_path / "dump.jsonl")])
    docs = [i for i in items if isinstance(i, RawDocument)]
    fails = [i for i in items if isinstance(i, Failure)]
    assert [d.published for d in docs] == [date(2025, 1, 2), date(2025, 3, 4)]
    assert docs[1].source == "example-news.test"
    assert [f.input.rsplit(":", 1)[1] for f in fails] == ["2", "3"]
    assert "not valid JSON" in fails[0].reason


class _Pages(http.server.BaseHTTPRequestHandler):
    user_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/missing":
            self.send_error(404)
            return
        if self.path == "/broken":
            self.send_error(500)
            return
        if self.path == "/slow":
            time.sleep(1.0)
        body = PAGE.encode() if self.path.startswith("/story") else _feed(self.server).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _feed(server: object) -> str:
    host, port = server.server_address  # type: ignore[attr-defined]
    base = f"http://{host}:{port}"
    return f"""<?xml version="1.0"?><rss version="2.0"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>
    <item><title>Inline item</title><link>{base}/inline</link>
      <pubDate>Tue, 04 Mar 2025 08:00:00 GMT</pubDate>
      <content:encoded><![CDATA[<p>{BODY}</p><p>{BODY}</p>]]></content:encoded></item>
    <item><title>Fetched item</title><link>{base}/story/1</link>
      <pubDate>Wed, 05 Mar 2025 08:00:00 GMT</pubDate></item>
    <item><title>Broken item</title><link>{base}/missing</link></item>
    </channel></rss>"""


@pytest.fixture()
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_feed_url_fetches_items_from_local_server(local_server: str) -> None:
    items = _read([f"{local_server}/feed.rss"])
    docs = [i for i in items if isinstance(i, RawDocument)]
    fails = [i for i in items if isinstance(i, Failure)]
    assert [d.title for d in docs] == ["Inline item", "Fetched item"]
    assert docs[0].published == date(2025, 3, 4)
    assert "Envoys from the two" in docs[1].content
    assert len(fails) == 1 and "HTTP 404" in fails[0].reason
    assert all(ua.startswith("newsevents/") for ua in _Pages.user_agents)


def test_warc_html_responses(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for i, (ctype, body) in enumerate([("text/html", PAGE), ("image/png", "x")]):
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://example-news.test/{i}",
            "response",
            payload=io.BytesIO(body.encode()),
            http_headers=headers,
        )
        writer.write_record(record)
    (tmp_path / "crawl.warc.gz").write_bytes(buffer.getvalue())
    [doc] = _read([str(tmp_path / "crawl.warc.gz")])
    assert isinstance(doc, RawDocument)
    assert doc.url == "https://example-news.test/0"


BAD_INPUTS = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("binary.txt", b"\x00\x01\x02binary", "binary"),
    ("latin1.txt", "Caf\u00e9 news".encode("latin-1"), "not valid UTF-8"),
    ("big.txt", b"a" * 6_000_000, "limit"),
    ("notes.docx", b"something", "no reader"),
    ("feed.xml", b"<html>not a feed</html>", "no articles"),
    ("broken.html.gz", b"not gzip at all", "gzip"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_INPUTS)
def test_bad_inputs_become_failures(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    [failure] = _read([str(path)])
    assert isinstance(failure, Failure)
    assert reason in failure.reason


def test_missing_path_and_unreadable_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    (tmp_path / "ok.txt").write_text(BODY)
    items = _read([str(tmp_path / "nope.txt"), str(tmp_path)])
    fails = [i for i in items if isinstance(i, Failure)]
    assert len([i for i in items if isinstance(i, RawDocument)]) == 1
    assert "no such file" in fails[0].reason
    assert any("cannot list directory" in f.reason for f in fails)


def test_stdin() -> None:
    [doc] = _read(["-"], stdin=BODY.encode())
    assert isinstance(doc, RawDocument) and doc.source_path == "<stdin>"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rferl-lavrov-2017-01-17.txt", date(2017, 1, 17)),
        ("https://x.test/2024/03/05/story", date(2024, 3, 5)),
        ("20250102-story.txt", date(2025, 1, 2)),
        ("story-2025-13-40.txt", None),
        ("no-date.txt", None),
    ],
)
def test_date_from_name(name: str, expected: date | None) -> None:
    assert date_from_name(name) == expected


def test_domain_of() -> None:
    assert domain_of("https://www.example.test/a") == "example.test"
    assert domain_of(None) is None


@pytest.mark.parametrize(
    ("line", "title", "expected"),
    [
        ("Envoys meet in Geneva", "Envoys meet in Geneva", True),
        ("Envoys meet in Geneva; Moscow warns of delay", "Envoys meet in Geneva", True),
        ("Envoys meet in Geneva", "Envoys meet in Geneva on Monday | Example News", True),
        ("Envoys met in Geneva on Monday to discuss a truce.", "Truce talks", False),
        ("Geneva", "Geneva talks resume after pause", False),
    ],
)
def test_repeated_headline_is_recognised(line: str, title: str, expected: bool) -> None:
    """Regression: an h1 longer than og:title stayed in the body and produced a statement."""
    assert is_headline(line, title) is expected


def test_html_in_declared_legacy_charset(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="windows-1251">').replace(
        "Envoys from the two", "Посланники двух"
    )
    (tmp_path / "ru.html").write_bytes(page.encode("cp1251"))
    [doc] = _read([str(tmp_path / "ru.html")])
    assert isinstance(doc, RawDocument) and "Посланники двух" in doc.content


def test_legacy_text_without_declared_charset_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "ru.txt").write_bytes("Посланники двух стран".encode("cp1251"))
    [failure] = _read([str(tmp_path / "ru.txt")])
    assert isinstance(failure, Failure) and "not valid UTF-8" in failure.reason


def test_time_limit_turns_a_hang_into_an_input_error() -> None:
    with pytest.raises(InputError, match="took longer than"), time_limit(0.05, "a slow step"):
        time.sleep(1)


def test_slow_page_becomes_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_MAX_SECONDS_PER_DOCUMENT", "0.05")
    monkeypatch.setattr("trafilatura.bare_extraction", lambda *a, **k: time.sleep(1))
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "ok.txt").write_text(BODY)
    ok, slow = _read([str(tmp_path)])
    assert isinstance(ok, RawDocument)
    assert isinstance(slow, Failure) and "took longer" in slow.reason


def _warc(pages: int) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for i in range(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://example-news.test/{i}",
            "response",
            payload=io.BytesIO(PAGE.encode()),
            http_headers=headers,
        )
        writer.write_record(record)
    return buffer.getvalue()


def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    data = _warc(3)
    (tmp_path / "cut.warc.gz").write_bytes(data[: int(len(data) * 0.8)])
    items = _read([str(tmp_path / "cut.warc.gz")])
    assert sum(isinstance(i, RawDocument) for i in items) >= 2
    assert any(isinstance(i, Failure) and "truncated" in i.reason for i in items)


def test_truncated_jsonl_gz_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    lines = "\n".join(json.dumps({"text": f"{BODY} ({i})"}) for i in range(200)).encode()
    data = gzip.compress(lines)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = _read([str(tmp_path / "cut.jsonl.gz")])
    assert sum(isinstance(i, RawDocument) for i in items) > 10
    assert any(isinstance(i, Failure) and "truncated" in i.reason for i in items)


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><p>unclosed <b>tags <div><p>" + BODY + "<p>" + BODY,
        "<<<>>> not html at all &&& " + BODY,
        "<html><head><title>Only a title</title></head><body></body></html>",
    ],
)
def test_malformed_html_never_raises(tmp_path: Path, page: str) -> None:
    (tmp_path / "bad.html").write_text(page)
    [item] = _read([str(tmp_path / "bad.html")])
    assert isinstance(item, RawDocument | Failure)


@pytest.mark.parametrize(("path", "reason"), [("/broken", "HTTP 500"), ("/slow", "timed out")])
def test_feed_that_fails_or_times_out_is_a_failure(
    local_server: str, monkeypatch: pytest.MonkeyPatch, path: str, reason: str
) -> None:
    monkeypatch.setenv("NEWSEVENTS_HTTP_TIMEOUT", "0.3")
    [failure] = _read([f"{local_server}{path}"])
    assert isinstance(failure, Failure) and reason in failure.reason
