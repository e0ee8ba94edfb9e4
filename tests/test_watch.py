"""`newsevents watch` (issue 19, item 3): feeds served on 127.0.0.1 polled with conditional GET,
only unseen items fetched, failing feeds recorded while the others go on, kill -9 survived."""

from __future__ import annotations

import http.server
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from spacy.language import Language

import newsevents
from newsevents.cli import main
from newsevents.config import get_settings
from newsevents.errors import ConfigError
from newsevents.nlp import load_pipeline
from newsevents.watcher import parse_interval

CITIES = ["Geneva", "Vienna", "Oslo", "Lisbon", "Nairobi", "Hanoi", "Quito", "Riga"]


def story(n: int) -> str:
    """An English news page, different for each ``n``."""
    city = CITIES[n % len(CITIES)]
    body = (
        f"Envoys from the two neighbouring states met in {city} on Monday for round {n} of talks "
        f"on a truce. The foreign minister said the round {n} talks had been useful and would "
        f"continue next week. Police in {city} detained {n + 2} protesters outside the venue."
    )
    return (
        f"<!doctype html><html><head><title>Talks in {city}, round {n}</title></head><body>"
        f"<article><h1>Talks in {city}, round {n}</h1><p>{body}</p></article></body></html>"
    )


class Feeds(http.server.ThreadingHTTPServer):
    """RSS feeds on 127.0.0.1 whose ETag and Last-Modified change with their items; records every
    request's path and headers; a story path in ``block`` hangs until ``release`` is set."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.items = [1, 2, 3]
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.block: set[str] = set()
        self.hit = threading.Event()
        self.release = threading.Event()

    @property
    def base(self) -> str:
        """The server's root URL."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def fetched(self, path: str) -> int:
        """How many times ``path`` was requested."""
        return sum(p == path for p, _ in self.requests)

    def feed(self) -> str:
        """The feed's XML: one item per number, each linking to its story page."""
        items = "".join(
            f"<item><title>Talks, round {n}</title><link>{self.base}/story/{n}</link>"
            f"<guid>urn:talks:{n}</guid><pubDate>Tue, 04 Mar 2025 08:00:00 GMT</pubDate></item>"
            for n in self.items
        )
        channel = f"<channel><title>T</title>{items}</channel>"
        return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


class Handler(http.server.BaseHTTPRequestHandler):
    server: Feeds

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers.items())))
        if self.path == "/broken.rss":
            self.send_error(500)
            return
        if self.path == "/garbage.rss":
            self._send(200, b"<html>this is not a feed, just garbage</html>", "text/html")
            return
        if self.path.startswith("/story/"):
            if self.path in self.server.block:
                self.server.hit.set()
                self.server.release.wait(30)
            self._send(200, story(int(self.path.rsplit("/", 1)[1])).encode(), "text/html")
            return
        etag = f'"v{len(self.server.items)}"'
        modified = formatdate(1_700_000_000 + len(self.server.items), usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        headers = {"ETag": etag, "Last-Modified": modified}
        self._send(200, self.server.feed().encode(), "application/rss+xml", headers)

    def _send(
        self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def pipeline() -> Language:
    """The pipeline the watcher loads, and the extractors' tables, loaded once for the session
    (and before any fork), so each test's time is its own."""
    newsevents.extract("Envoys met in Geneva on Monday. The minister said the talks went well.")
    return load_pipeline(get_settings().model)


@pytest.fixture()
def feeds(monkeypatch: pytest.MonkeyPatch, pipeline: Language) -> Iterator[Feeds]:
    """The feed server in a thread; no per-host delay and in-process HTML extraction (speed)."""
    monkeypatch.setenv("NEWSEVENTS_HTTP_HOST_DELAY", "0")
    monkeypatch.setenv("NEWSEVENTS_ISOLATE_HTML", "false")
    server = Feeds()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def _articles(db: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT url, title FROM articles ORDER BY url").fetchall()
    return [(str(u), str(t)) for u, t in rows]


def test_conditional_get_and_only_new_items(feeds: Feeds, tmp_path: Path) -> None:
    db, feed = tmp_path / "w.duckdb", f"{feeds.base}/feed.rss"
    first = newsevents.watch([feed], db=db, once=True)
    assert (first.items, first.new, first.stored, first.failed) == (3, 3, 3, [])
    assert [u for u, _ in _articles(db)] == [f"{feeds.base}/story/{n}" for n in (1, 2, 3)]
    assert "If-None-Match" not in feeds.requests[0][1]

    second = newsevents.watch([feed], db=db, once=True)
    assert (second.not_modified, second.new, second.stored) == (1, 0, 0)
    path, headers = feeds.requests[-1]
    assert path == "/feed.rss"
    assert headers["If-None-Match"] == '"v3"'
    assert headers["If-Modified-Since"] == formatdate(1_700_000_003, usegmt=True)
    assert headers["User-Agent"].startswith("newsevents/")

    feeds.items.append(4)
    third = newsevents.watch([feed], db=db, once=True)
    assert (third.items, third.new, third.stored) == (4, 1, 1)
    assert third.line().startswith("watch: 1 sources (0 unchanged), 4 items seen, 1 new, 1 stored")
    assert [feeds.fetched(f"/story/{n}") for n in (1, 2, 3, 4)] == [1, 1, 1, 1]
    assert len(_articles(db)) == 4


def test_a_failing_feed_is_a_failure_row_and_the_others_go_on(feeds: Feeds, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    sources = [f"{feeds.base}/broken.rss", f"{feeds.base}/garbage.rss", f"{feeds.base}/feed.rss"]
    for _ in range(2):  # the same failures twice are still one row each
        report = newsevents.watch(sources, db=db, once=True)
    assert len(report.failed) == 2 and report.sources == 3
    assert len(_articles(db)) == 3
    with duckdb.connect(str(db), read_only=True) as con:
        failures = dict(con.execute("SELECT input, reason FROM failures").fetchall())
    assert "HTTP 500" in failures[f"{feeds.base}/broken.rss"]
    assert "no articles read from the feed" in failures[f"{feeds.base}/garbage.rss"]
    assert len(failures) == 2


def test_an_item_whose_page_fails_is_tried_again(
    feeds: Feeds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, feed = tmp_path / "w.duckdb", f"{feeds.base}/feed.rss"
    feeds.items = [1, 9]
    original = Handler.do_GET

    def failing(self: Handler) -> None:  # the first request for story 9 answers 503
        if self.path == "/story/9" and self.server.fetched("/story/9") == 0:
            self.server.requests.append((self.path, {}))
            self.send_error(503)
            return
        original(self)

    monkeypatch.setattr(Handler, "do_GET", failing)
    first = newsevents.watch([feed], db=db, once=True)
    second = newsevents.watch([feed], db=db, once=True)
    assert first.stored == 1 and "HTTP 503" in first.failed[0].reason
    # The feed's validators were not kept: the whole feed is read again, the failed item retried.
    assert second.not_modified == 0 and second.stored == 1 and second.new == 1
    assert feeds.fetched("/story/1") == 1 and feeds.fetched("/story/9") == 2
    third = newsevents.watch([feed], db=db, once=True)  # now all done: a conditional GET, 304
    assert third.not_modified == 1


def test_an_item_whose_page_always_fails_is_given_up(
    feeds: Feeds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After watch_max_attempts failed attempts a dead item page is no longer asked for
    (regression: it was fetched every cycle for ever)."""
    db, feed = tmp_path / "w.duckdb", f"{feeds.base}/feed.rss"
    feeds.items = [1, 9]
    original = Handler.do_GET

    def dead(self: Handler) -> None:  # story 9 always answers 404
        if self.path == "/story/9":
            self.server.requests.append((self.path, {}))
            self.send_error(404)
            return
        original(self)

    monkeypatch.setattr(Handler, "do_GET", dead)
    monkeypatch.setenv("NEWSEVENTS_WATCH_MAX_ATTEMPTS", "2")
    cycles = [newsevents.watch([feed], db=db, once=True) for _ in range(4)]
    assert feeds.fetched("/story/9") == 2  # two attempts, then given up
    assert [len(c.failed) for c in cycles] == [1, 1, 0, 0]
    assert cycles[-1].not_modified == 1  # all settled: the feed's validators are kept again
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT item, attempts FROM feed_item_attempts").fetchall()
    assert rows == [("urn:talks:9", 2)]  # the item's guid


def test_kill_9_during_a_cycle_loses_and_doubles_nothing(
    feeds: Feeds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, feed = tmp_path / "w.duckdb", f"{feeds.base}/feed.rss"
    feeds.items = [1, 2, 3, 4]
    feeds.block = {"/story/3"}  # hangs: the watcher is killed while it waits for it
    monkeypatch.setenv("NEWSEVENTS_BATCH_SIZE", "1")  # one transaction per item
    # A forked process (the pipeline already loaded) runs one cycle and is killed mid-way.
    child = multiprocessing.get_context("fork").Process(
        target=newsevents.watch, args=([feed],), kwargs={"db": db, "once": True}
    )
    child.start()
    try:
        assert feeds.hit.wait(60), "the watcher never asked for the third story"
        time.sleep(0.2)
    finally:
        os.kill(child.pid or 0, signal.SIGKILL)
        child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL
    assert len(_articles(db)) == 2  # items 1 and 2 were committed, with their seen marks

    feeds.block = set()
    feeds.release.set()
    report = newsevents.watch([feed], db=db, once=True)
    assert (report.new, report.stored) == (2, 2)
    urls = [u for u, _ in _articles(db)]
    assert urls == [f"{feeds.base}/story/{n}" for n in (1, 2, 3, 4)]  # none lost, none doubled
    assert [feeds.fetched(f"/story/{n}") for n in (1, 2, 4)] == [1, 1, 1]
    with duckdb.connect(str(db), read_only=True) as con:
        seen = con.execute("SELECT count(*), count(DISTINCT article_id) FROM feed_items").fetchone()
    assert seen == (4, 4)


def test_local_feed_file_and_cli(feeds: Feeds, tmp_path: Path) -> None:
    db, path = tmp_path / "w.duckdb", tmp_path / "local.rss"
    feeds.items = [5]
    path.write_text(feeds.feed(), encoding="utf-8")
    result = CliRunner().invoke(main, ["watch", str(path), "--once", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 items seen, 1 new, 1 stored, 0 failed" in result.output
    again = CliRunner().invoke(main, ["watch", str(path), "--once", "--db", str(db)])
    assert "1 items seen, 0 new, 0 stored" in again.output
    bad = CliRunner().invoke(main, ["watch", str(path), "--every", "soon", "--db", str(db)])
    assert bad.exit_code == 2 and "15m" in bad.output


def test_parse_interval() -> None:
    assert [parse_interval(t) for t in ("15m", "90s", "1h", "600", "0.5s")] == [
        900.0,
        90.0,
        3600.0,
        600.0,
        0.5,
    ]
    for bad in ("0", "-5m", "15 minutes", ""):
        with pytest.raises(ConfigError):
            parse_interval(bad)


def test_a_directory_is_an_inbox(feeds: Feeds, tmp_path: Path) -> None:
    db, inbox = tmp_path / "w.duckdb", tmp_path / "inbox"
    inbox.mkdir()
    for n in (1, 2):
        (inbox / f"story{n}.html").write_text(story(n), encoding="utf-8")
    (inbox / "report.pdf").write_bytes(b"%PDF-1.4")
    first = newsevents.watch([inbox], db=db, once=True)
    assert (first.stored, [f.input for f in first.failed]) == (2, [str(inbox / "report.pdf")])
    second = newsevents.watch([inbox], db=db, once=True)  # nothing changed: nothing read
    assert (second.items, second.new, second.stored, second.failed) == (3, 0, 0, [])
    (inbox / "story3.html").write_text(story(3), encoding="utf-8")
    third = newsevents.watch([inbox], db=db, once=True)
    assert (third.new, third.stored) == (1, 1)
    assert len(_articles(db)) == 3
