"""The web server over real HTTP on 127.0.0.1: bodies refused, concurrent reads (issue 20, #8).

A uvicorn server runs in a thread over a database of 100 generated articles. Concurrency is
tested by what it must allow, not by timings: a request held open on purpose must not stop
another from being answered, and 20 clients at once must get exactly the answers one gets.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from newsevents.filters import Filters
from newsevents.web import create_app
from test_hostile_faults import build

PATHS = [
    "/api/stats",
    "/api/events?limit=20",
    "/api/events?actor=COP&limit=5",
    "/api/statements?limit=20",
    "/api/statements?speaker=Roe&limit=5",
    "/api/articles?limit=10",
    "/api/speakers",
    "/api/actors",
    "/api/entities?label=PERSON",
    "/api/search?q=talks",
    "/api/timeline",
    "/",
    "/events",
]


class Server:
    """A real uvicorn server on 127.0.0.1 in a thread, on a free port."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        sockets = self.server.servers[0].sockets
        self.port = int(sockets[0].getsockname()[1])
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def get(self, path: str, timeout: float = 30) -> tuple[int, bytes]:
        """GET a path on a new connection; return the status and the body."""
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            con.request("GET", path)
            response = con.getresponse()
            return response.status, response.read()
        finally:
            con.close()

    def raw(self, request: bytes) -> bytes:
        """Send raw bytes and return everything the server answers before closing (5 s)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(request)
            chunks = []
            try:
                while chunk := sock.recv(65536):
                    chunks.append(chunk)
                    if b"\r\n\r\n" in b"".join(chunks) and len(chunks) > 1:
                        break
            except TimeoutError:
                pass
            return b"".join(chunks)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of 100 generated articles."""
    return build(tmp_path_factory.mktemp("web") / "web.duckdb", n=100)


@pytest.fixture()
def server(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A fresh app over the database, served over real HTTP, its answer cache off (these tests
    are about concurrent reads of the database, which the cache would mostly spare)."""
    monkeypatch.setenv("NEWSEVENTS_WEB_CACHE_ENTRIES", "0")
    with Server(create_app(db)) as running:
        yield running


def _body(raw: bytes) -> Any:
    return json.loads(raw) if raw.startswith(b"{") else raw


def test_get_with_a_chunked_body_is_refused(server: Server) -> None:
    answer = server.raw(
        b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n0\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"must not have a body" in answer
    plain = server.raw(b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert plain.startswith(b"HTTP/1.1 200"), plain[:200]


def test_get_with_a_content_length_body_is_refused(server: Server) -> None:
    answer = server.raw(
        b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello"
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_concurrent_clients_get_the_answers_one_client_gets(server: Server) -> None:
    expected = {path: server.get(path) for path in PATHS}
    assert all(status == 200 for status, _ in expected.values()), {
        p: s for p, (s, _) in expected.items() if s != 200
    }
    jobs = PATHS * 8  # 104 requests from 20 clients at once
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(server.get, jobs))
    for path, (status, body) in zip(jobs, answers, strict=True):
        assert status == 200, (path, body[:300])
        if path.startswith("/api"):
            assert _body(body) == _body(expected[path][1]), path


def test_a_slow_request_does_not_block_a_fast_one(server: Server) -> None:
    """While one request is held inside a query, others are still answered."""
    queries = server.app.state.queries
    entered, release = threading.Event(), threading.Event()
    articles = queries.articles

    def held(f: Filters, limit: int = 50, offset: int = 0) -> Any:
        if f.q == "hold":
            entered.set()
            release.wait(timeout=20)
        return articles(f, limit, offset)

    queries.articles = held
    try:
        with ThreadPoolExecutor(1) as pool:
            slow = pool.submit(server.get, "/api/articles?q=hold")
            assert entered.wait(timeout=20), "the held request never arrived"
            for path in ("/api/stats", "/api/events?limit=5", "/events"):
                status, _ = server.get(path, timeout=10)  # blocked: times out after 10 s
                assert status == 200, path
            assert not slow.done()
            release.set()
            assert slow.result(timeout=20)[0] == 200
    finally:
        release.set()
        queries.articles = articles
