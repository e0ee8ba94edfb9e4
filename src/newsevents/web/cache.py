"""Whole answers to GET requests, kept for the data version they were computed on.

The database a server reads changes only through its own watcher (``serve --watch``), whose
every commit bumps ``Store.version``: an answer is valid exactly while that version holds, so the
cache needs no expiry. It is a bounded LRU shared by the server's threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    """A response as sent: status, headers and body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class ResponseCache:
    """A thread-safe LRU of answers keyed by (data version, path, query string)."""

    def __init__(self, entries: int, max_bytes: int) -> None:
        """Keep at most ``entries`` answers of at most ``max_bytes`` each (0 entries: off)."""
        self.entries = entries
        self.max_bytes = max_bytes
        self._answers: OrderedDict[tuple[int, str, str], CachedAnswer] = OrderedDict()
        self._lock = threading.Lock()
        self._version = -1

    @property
    def enabled(self) -> bool:
        """Whether answers are kept at all."""
        return self.entries > 0

    def get(self, version: int, path: str, query: str) -> CachedAnswer | None:
        """Return the answer computed on this data version, or None."""
        with self._lock:
            if version != self._version:  # new data: every answer kept is stale
                self._answers.clear()
                self._version = version
                return None
            answer = self._answers.get((version, path, query))
            if answer is not None:
                self._answers.move_to_end((version, path, query))
            return answer

    def put(self, version: int, path: str, query: str, answer: CachedAnswer) -> None:
        """Keep an answer (unless too big), forgetting the least recently used beyond the cap."""
        if not self.enabled or len(answer.body) > self.max_bytes:
            return
        with self._lock:
            if version != self._version:
                return  # computed on data that has changed since
            self._answers[(version, path, query)] = answer
            self._answers.move_to_end((version, path, query))
            while len(self._answers) > self.entries:
                self._answers.popitem(last=False)
