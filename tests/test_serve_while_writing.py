"""Serving while writing (issue 19, item 4): `serve --watch` polls feeds into the database it
serves, in one process; on 127.0.0.1, clients keep reading while the watcher commits, and the new
articles (and the counts the server caches) appear within a cycle, with no error on either side."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from newsevents.store import check_database
from newsevents.watcher import CycleReport
from newsevents.web import create_app
from test_hostile_web import Server
from test_watch import Feeds
from test_watch import pipeline as pipeline  # a fixture

READS = ["/api/stats", "/api/articles?limit=50", "/api/events?limit=20", "/", "/articles"]


def _json(server: Server, path: str) -> Any:
    status, body = server.get(path)
    assert status == 200, body[:300]
    return json.loads(body)


def _wait_for(server: Server, articles: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while _json(server, "/api/articles?limit=1")["meta"]["total"] < articles:
        assert time.monotonic() < deadline, f"{articles} articles never appeared"
        time.sleep(0.1)


def test_serve_and_watch_at_once(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    pipeline: Language,
) -> None:
    monkeypatch.setenv("NEWSEVENTS_HTTP_HOST_DELAY", "0")
    monkeypatch.setenv("NEWSEVENTS_ISOLATE_HTML", "false")
    monkeypatch.setenv("NEWSEVENTS_BATCH_SIZE", "1")  # a commit per item: many writes to race
    feeds = Feeds()
    threading.Thread(target=feeds.serve_forever, daemon=True).start()
    db = tmp_path / "served.duckdb"  # does not exist yet: the watching server creates it
    cycles: list[CycleReport] = []
    app = create_app(db, watch=[f"{feeds.base}/feed.rss"], every=0.2, on_cycle=cycles.append)
    errors: list[str] = []
    reads: list[str] = []
    stop = threading.Event()

    def reader(server: Server) -> None:  # reads without pause while the watcher writes
        while not stop.is_set():
            for path in READS:
                status, body = server.get(path)
                reads.append(path)
                if status != 200:
                    errors.append(f"{path}: {status} {body[:200]!r}")

    try:
        with Server(app) as server:
            _wait_for(server, 3)
            assert _json(server, "/api/stats")["data"]["counts"]["articles"] == 3
            readers = [threading.Thread(target=reader, args=(server,)) for _ in range(3)]
            for thread in readers:
                thread.start()
            feeds.items += [4, 5, 6]
            _wait_for(server, 6)
            stop.set()
            for thread in readers:
                thread.join(timeout=30)
            # The cached facts follow the writes (ServedQueries keys them on the data version).
            assert _json(server, "/api/stats")["data"]["counts"]["articles"] == 6
            titles = {a["title"] for a in _json(server, "/api/articles?limit=50")["data"]}
            assert {f"Talks, round {n}" for n in range(1, 7)} == titles
            assert app.state.watch_error is None
    finally:
        stop.set()
        feeds.shutdown()
        feeds.server_close()
    assert errors == [] and len(reads) >= len(READS)
    assert all(not c.failed for c in cycles) and sum(c.stored for c in cycles) == 6
    assert any(c.not_modified for c in cycles)  # between the two additions: 304s
    assert check_database(db).ok  # the file the server read while written is sound
