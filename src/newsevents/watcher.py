"""Watching feeds: poll RSS/Atom feeds every interval and store only what is new.

Each cycle asks every feed URL with a conditional GET (``If-None-Match`` with the ETag and
``If-Modified-Since`` with the Last-Modified its last complete fetch gave; 304 is "nothing new"),
through the same polite, guarded fetcher as ``process`` (:mod:`newsevents.ingest.http`: User-Agent,
timeout, per-host delay, fetch policy). Only items whose key (guid, else link) is not in the
store's ``feed_items`` are fetched and processed, ``batch_size`` at a time; each batch's articles,
failure rows and items marked seen are one transaction, so a run killed at any point (even by
kill -9) loses nothing and doubles nothing: the next cycle takes up the items not yet marked.
A feed's validators are stored only once all of its new items are done, and not while an item's
page could not be fetched (it is tried again next cycle, up to ``watch_max_attempts`` attempts in
all, then given up: a dead page is not asked for every cycle for ever). A feed that fails (HTTP
500, not a feed) is one failure row; the other sources go on.

A local feed file is read in full each cycle (its items are tracked the same way); any other path
(a file or directory of articles) has its files read when they are new or changed (path, size and
modification time, kept in ``feed_items`` once the file's articles are stored: a crash before
that reads the file again, its articles already stored skipped by id, as ``process`` does).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from spacy.language import Language

from .config import Settings
from .errors import ConfigError, InputError, StoreError
from .ingest import feeds, isolate, list_inputs, read_inputs
from .ingest.files import is_url, read_bytes, strip_gz_suffix
from .ingest.http import fetch_if_changed
from .model import Article, Failure, RawDocument, Stage
from .nlp import load_pipeline
from .pipeline import DEFAULTS, RunOptions, Skipped, process_batch
from .sanitize import sanitized
from .store import SeenItem, Store

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_INTERVAL = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", re.IGNORECASE)
Item = tuple[
    str | None, RawDocument | Failure
]  # an item's key (None: not tracked) and what it gave


def parse_interval(text: str) -> float:
    """Return the seconds of an interval such as ``15m``, ``90s``, ``1h``, ``1d`` or ``600``."""
    match = _INTERVAL.fullmatch(text)
    seconds = float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()] if match else 0.0
    if seconds <= 0:
        raise ConfigError(
            f"interval {text!r}: give a positive number of seconds, or minutes, hours or days "
            "with s, m, h or d (15m, 90s, 1h)"
        )
    return seconds


@dataclass
class CycleReport:
    """What one polling cycle did: sources polled, feed items listed and new, what came of them."""

    sources: int = 0
    not_modified: int = 0  # feeds that answered 304
    items: int = 0  # feed items listed (new or seen before), and documents read from other paths
    new: int = 0  # of those, not processed before
    stored: int = 0  # articles written
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Failure]:
        """Failures other than articles merely outside the languages read."""
        return [f for f in self.failures if f.stage != Stage.LANGUAGE]

    def line(self) -> str:
        """The one log line of the cycle."""
        return (
            f"watch: {self.sources} sources ({self.not_modified} unchanged), {self.items} items "
            f"seen, {self.new} new, {self.stored} stored, {len(self.failed)} failed, "
            f"{self.seconds:.1f} s"
        )


class _Seen:
    """The keys of a feed's items processed before, counting how many the feed still lists."""

    def __init__(self, keys: set[str]) -> None:
        self.keys = keys
        self.hits = 0

    def __contains__(self, key: object) -> bool:
        found = key in self.keys
        self.hits += found
        return found


class Watcher:
    """Polls its sources into a store, one cycle at a time (see the module's doc)."""

    def __init__(
        self,
        sources: Sequence[str],
        store: Store,
        settings: Settings,
        options: RunOptions = DEFAULTS,
    ) -> None:
        """Watch ``sources`` (feed URLs, feed files, other paths) into ``store``."""
        self.sources = list(sources)
        self.store = store
        self.settings = settings
        self.options = options
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded at the first article."""
        if self._nlp is None:
            self._nlp = load_pipeline(self.settings.model)
        return self._nlp

    def run(
        self,
        every: float,
        *,
        once: bool = False,
        stop: threading.Event | None = None,
        on_cycle: Callable[[CycleReport], None] | None = None,
    ) -> CycleReport:
        """Run a cycle every ``every`` seconds (from start to start) until ``stop`` is set, or
        once; return the last cycle's report."""
        stop = stop or threading.Event()
        while True:
            started = time.monotonic()
            report = self.cycle(stop)
            if on_cycle is not None:
                on_cycle(report)
            if once or stop.wait(max(0.0, every - (time.monotonic() - started))):
                return report

    def cycle(self, stop: threading.Event | None = None) -> CycleReport:
        """Poll every source once; stop between batches when ``stop`` is set."""
        started = time.monotonic()
        report = CycleReport()
        stored = set(self.store.all_ids())
        with isolate.session(self.settings.read_limits.isolate_html):
            for source in self.sources:
                if stop is not None and stop.is_set():
                    break
                report.sources += 1
                try:
                    self._source(source, report, stored, stop)
                except StoreError:
                    raise  # a damaged or full database stops the run (exit 3)
                except Exception as exc:  # one source's failure costs that source only
                    reason = (
                        exc.reason
                        if isinstance(exc, InputError)
                        else f"watching failed: {exc!r:.200} (a bug in newsevents: report it)"
                    )
                    failure = Failure(source, Stage.READ, reason)
                    self._commit(source, [(None, failure)], report, stored)
        report.seconds = time.monotonic() - started
        return report

    def _source(
        self, source: str, report: CycleReport, stored: set[str], stop: threading.Event | None
    ) -> None:
        limits = self.settings.read_limits
        etag = modified = None
        done: list[SeenItem] = []  # marked once every batch of the source is stored
        if is_url(source):
            old_etag, old_modified = self.store.feed_validators(source)
            page = fetch_if_changed(source, limits, etag=old_etag, last_modified=old_modified)
            if page is None:
                report.not_modified += 1
                return
            seen = _Seen(self.store.seen_items(source, self.settings.watch_max_attempts))
            items: Iterator[Item] = feeds.read_items(
                source, page.body, limits, private_origin=page.private, seen=seen
            )
            etag, modified = page.etag, page.last_modified
        elif Path(strip_gz_suffix(Path(source).name)).suffix.lower() in FEED_SUFFIXES:
            data, problem = read_bytes(Path(source), limits, container=True)
            if problem:
                raise InputError(problem)
            seen = _Seen(self.store.seen_items(source, self.settings.watch_max_attempts))
            items = feeds.read_items(source, data, limits, private_origin=True, seen=seen)
        else:  # files of articles: only those new or changed since they were last read
            seen = _Seen(self.store.seen_items(source, self.settings.watch_max_attempts))
            listed = [
                (_version(f if isinstance(f, str) else f.input), f) for f in list_inputs([source])
            ]
            fresh = [(v, f) for v, f in listed if v is None or v not in seen]
            failed: list[Item] = [(None, f) for _, f in fresh if isinstance(f, Failure)]
            changed = [f for _, f in fresh if isinstance(f, str)]
            done = [SeenItem(source, v) for v, _ in fresh if v is not None]
            items = chain(failed, ((None, i) for i in read_inputs(changed, limits)))
        complete = True
        for chunk in _chunks(items, self.settings.batch_size):
            complete = self._commit(source, chunk, report, stored) and complete
            if stop is not None and stop.is_set():
                return
        report.items += seen.hits
        if done:  # after the files' articles: a crash before this reads them again (skipped by id)
            self.store.write_batch([], seen=done)
        if complete and is_url(source):
            self.store.set_feed_validators(source, etag, modified)

    def _commit(self, feed: str, chunk: list[Item], report: CycleReport, stored: set[str]) -> bool:
        """Process a batch of items and store it in one transaction with the items marked seen;
        return whether every item was done with (none to fetch again)."""
        chunk = [(key, sanitized(item)) for key, item in chunk]
        keys = {i.source_path: k for k, i in chunk if k is not None and isinstance(i, RawDocument)}
        raws = [i for _, i in chunk if isinstance(i, RawDocument)]
        failures = [i for _, i in chunk if isinstance(i, Failure)]
        documents = [(k, i) for k, i in chunk if k is not None or isinstance(i, RawDocument)]
        report.items += len(documents)
        report.new += len(documents)
        complete = not any(k is not None for k, i in chunk if isinstance(i, Failure))
        articles: list[Article] = []
        seen: dict[str, SeenItem] = {}
        # an item whose page could not be fetched: one more failed attempt (given up at the cap)
        tried = [SeenItem(feed, k, failed=True) for k, i in chunk if k and isinstance(i, Failure)]
        results = process_batch(self.nlp, raws, self.settings, self.options, stored) if raws else []
        for result in results:
            if isinstance(result, Skipped):
                report.new -= 1  # stored before (read again from a path, or another feed's)
                key, article_id = keys.get(result.source_path), result.article_id
            elif isinstance(result, Article):
                key, article_id = keys.get(result.source_path), result.id
                if result.id not in stored:
                    stored.add(result.id)
                    articles.append(result)
            else:
                failures.append(result)
                key, article_id = keys.get(result.input), None
            if key is not None and (key not in seen or article_id is not None):
                seen[key] = SeenItem(feed, key, article_id)
        report.stored += self.store.write_batch(articles, failures, seen=[*seen.values(), *tried])
        report.failures.extend(failures)
        return complete


def _version(path: str) -> str | None:
    """A file's key in ``feed_items``: its path, size and modification time (None: not a file)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return f"{path}|{info.st_size}|{info.st_mtime_ns}"


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, max(1, size))):
        yield chunk
