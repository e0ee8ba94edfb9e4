"""The Python API: ``extract`` one text, ``process`` many inputs into a store, ``watch`` feeds."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO

from .config import Settings, get_settings
from .engines.local import RunReport, process_local
from .engines.ray_engine import LoadReport, load_parquet, open_output, process_ray
from .exports import ExportReport, export_store
from .filters import Filters
from .identities import Known, read_known
from .model import Article, Failure, RawDocument
from .nlp import load_pipeline
from .pipeline import RunOptions, process_batch
from .sanitize import sanitized_document
from .store import DEFAULT_DB, Store
from .store_export import bounded_memory
from .watcher import CycleReport, Watcher


def extract(
    text: str,
    *,
    published: date | None = None,
    url: str | None = None,
    title: str | None = None,
    source_path: str = "<text>",
    clean: bool = True,
    model: str | None = None,
    actors: str | None = None,
) -> Article:
    """Extract entities, statements and events from one article's text (no database).

    With ``clean=True`` the text is treated as scraped page text and page furniture is removed;
    with ``clean=False`` it is the article body exactly as given, and offsets point into it.
    A text that cannot be processed comes back with ``failure`` set, never as an exception.
    ``actors`` names a user actor dictionary (YAML, CSV or PETRARCH) for event actor codes.
    """
    raw = RawDocument(
        source_path=source_path,
        content=text,
        format="scraped",
        url=url,
        title=title,
        published=published,
    )
    return extract_document(raw, clean=clean, model=model, actors=actors)


def extract_document(
    raw: RawDocument,
    *,
    published: date | None = None,
    clean: bool = True,
    model: str | None = None,
    actors: str | None = None,
) -> Article:
    """Extract records from one raw document a reader produced (never raises for bad input)."""
    raw = sanitized_document(raw)  # a lone surrogate in any field must not reach the caller
    settings = get_settings(model=model, actors=actors)
    results = process_batch(
        load_pipeline(settings.model), [raw], settings, RunOptions(clean=clean, published=published)
    )
    articles = [r for r in results if isinstance(r, Article)]
    failures = [r for r in results if isinstance(r, Failure)]
    failure = failures[0] if failures else None
    if articles:
        return replace(articles[0], failure=failure)
    return Article(
        id="", source_path=raw.source_path, text="", url=raw.url, title=raw.title, failure=failure
    )


def process(
    paths: Iterable[str | Path],
    *,
    db: str | Path | Store = DEFAULT_DB,
    clean: bool = True,
    published: date | None = None,
    model: str | None = None,
    actors: str | None = None,
    identities: str | Path | None = None,
    stdin: bytes | None = None,
    workers: int | None = None,
    on_article: Callable[[Article | Failure], None] | None = None,
    on_progress: Callable[[RunReport], None] | None = None,
) -> RunReport:
    """Process files, directories, feed URLs or ``-`` (stdin) into the store; return a report.

    ``identities`` (or the ``identities`` setting) names a CSV of known speaker identities
    (``id,name[,wikidata]``) that becomes the store's before the run. ``on_article`` is called
    with each article stored and each failure; ``on_progress`` with the report as it grows
    (inputs finished of those found, articles stored, failures)."""
    settings = _settings(model, actors, identities)
    known = _known(settings)
    with _opened(db) as store:
        _apply_identities(store, known)
        return process_local(
            [str(p) for p in paths],
            store,
            settings,
            RunOptions(clean=clean, published=published),
            stdin=stdin,
            workers=workers,
            on_article=on_article,
            on_progress=on_progress,
        )


def process_on_ray(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    address: str | None = None,
    workers: int | None = None,
    clean: bool = True,
    published: date | None = None,
    model: str | None = None,
    actors: str | None = None,
) -> int:
    """Process inputs on Ray Data into Parquet under ``out``; return the rows written."""
    settings = get_settings(model=model, actors=actors)
    return process_ray(
        [str(p) for p in paths],
        out,
        settings,
        address=address,
        workers=workers,
        options=RunOptions(clean=clean, published=published),
    )


def load(
    out: str | Path,
    *,
    db: str | Path | Store = DEFAULT_DB,
    identities: str | Path | None = None,
) -> LoadReport:
    """Load the Parquet output of the Ray engine into the store (``NothingToLoadError`` when
    ``out`` holds none: then no database is created); ``identities`` as for :func:`process`."""
    known = _known(_settings(None, None, identities))
    if Path(out).is_dir():
        open_output(out)
    with _opened(db) as store:
        _apply_identities(store, known)
        return load_parquet(out, store)


def export(
    fmt: str,
    *,
    db: str | Path | Store = DEFAULT_DB,
    filters: Filters | None = None,
    out: str | Path | IO[str] | None = None,
    clusters: bool = False,
) -> ExportReport:
    """Export the stored events matching ``filters`` as gdelt, gdelt-mentions, plover, csv, jsonl
    or parquet to ``out`` (a path, a text stream, or None: stdout), streamed with no row cap;
    ``clusters``: csv/jsonl/parquet one row per cross-article cluster."""
    if isinstance(db, Store):
        return export_store(db, fmt, filters, out, clusters=clusters)
    with Store(db, read_only=True) as store, bounded_memory(store):
        return export_store(store, fmt, filters, out, clusters=clusters)


def watch(
    sources: Iterable[str | Path],
    *,
    db: str | Path | Store = DEFAULT_DB,
    every: float | None = None,
    once: bool = False,
    clean: bool = True,
    published: date | None = None,
    model: str | None = None,
    actors: str | None = None,
    identities: str | Path | None = None,
    stop: threading.Event | None = None,
    on_cycle: Callable[[CycleReport], None] | None = None,
) -> CycleReport:
    """Poll RSS/Atom feed URLs or files (and other paths) into the store every ``every`` seconds
    (default: the ``watch_interval`` setting) until ``stop`` is set, or ``once``; only unseen
    items are fetched and processed (:mod:`newsevents.watcher`); return the last cycle's report.
    ``identities`` as for :func:`process`."""
    settings = _settings(model, actors, identities)
    known = _known(settings)
    with _opened(db) as store:
        _apply_identities(store, known)
        watcher = Watcher(
            [str(s) for s in sources], store, settings, RunOptions(clean=clean, published=published)
        )
        return watcher.run(
            every or settings.watch_interval, once=once, stop=stop, on_cycle=on_cycle
        )


def _settings(model: str | None, actors: str | None, identities: str | Path | None) -> Settings:
    """The settings with the caller's choices over them (None keeps the setting)."""
    return get_settings(
        model=model, actors=actors, identities=str(identities) if identities else None
    )


def _known(settings: Settings) -> tuple[Known, ...] | None:
    """The known identities of the CSV the settings name (read before any store is opened)."""
    return read_known(settings.identities) if settings.identities else None


def _apply_identities(store: Store, known: tuple[Known, ...] | None) -> None:
    """Make ``known`` (if any) the store's known identities, reassigning every speaker's."""
    if known is not None:
        store.set_identities(known)


@contextmanager
def _opened(db: str | Path | Store) -> Iterator[Store]:
    """The store given, or the one at the path given, opened here and closed after."""
    if isinstance(db, Store):
        yield db
    else:
        with Store(db) as store:
            yield store
