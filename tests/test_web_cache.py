"""The server's answer cache: valid exactly while the data version holds (web/cache.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsevents.web import create_app
from newsevents.web.cache import CachedAnswer, ResponseCache
from test_hostile_faults import build
from test_hostile_web import Server


def _answer(body: bytes = b"{}") -> CachedAnswer:
    return CachedAnswer(200, (("content-type", "application/json"),), body)


def test_an_answer_is_kept_for_its_version_only() -> None:
    cache = ResponseCache(entries=4, max_bytes=100)
    assert cache.get(0, "/api/stats", "") is None
    cache.put(0, "/api/stats", "", _answer(b"a"))
    assert cache.get(0, "/api/stats", "") == _answer(b"a")
    assert cache.get(0, "/api/stats", "format=csv") is None  # the query is part of the key
    assert cache.get(1, "/api/stats", "") is None  # new data: everything kept is stale
    assert cache.get(1, "/api/stats", "") is None
    cache.put(0, "/api/stats", "", _answer(b"old"))  # computed before the change: not kept
    assert cache.get(1, "/api/stats", "") is None


def test_the_cache_is_bounded() -> None:
    cache = ResponseCache(entries=2, max_bytes=3)
    cache.get(0, "/", "")
    for path in ("/a", "/b", "/c"):
        cache.put(0, path, "", _answer(b"x"))
    assert cache.get(0, "/a", "") is None  # the least recently used went first
    assert cache.get(0, "/c", "") is not None
    cache.put(0, "/big", "", _answer(b"four"))  # larger than max_bytes: never kept
    assert cache.get(0, "/big", "") is None
    off = ResponseCache(entries=0, max_bytes=100)
    off.get(0, "/", "")
    off.put(0, "/", "", _answer())
    assert not off.enabled and off.get(0, "/", "") is None


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of 20 generated articles."""
    return build(tmp_path_factory.mktemp("cache") / "cache.duckdb", n=20, batch=20)


def test_a_repeated_get_does_not_query_again(db: Path) -> None:
    app = create_app(db)
    calls: list[Any] = []
    events = app.state.queries.events

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return events(*args, **kwargs)

    app.state.queries.events = counted
    with Server(app) as server:
        first = server.get("/api/events?limit=5")
        second = server.get("/api/events?limit=5")
        other = server.get("/api/events?limit=6")
    assert first == second and first[0] == 200
    assert other[0] == 200 and other[1] != first[1]
    assert len(calls) == 2  # limit=5 once, limit=6 once


def test_the_cache_can_be_turned_off(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_WEB_CACHE_ENTRIES", "0")
    app = create_app(db)
    calls: list[Any] = []
    events = app.state.queries.events

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return events(*args, **kwargs)

    app.state.queries.events = counted
    with Server(app) as server:
        server.get("/api/events?limit=5")
        server.get("/api/events?limit=5")
    assert len(calls) == 2
