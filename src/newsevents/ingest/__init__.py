"""Readers: every format news arrives in becomes a stream of RawDocument records (or Failures).

``read_inputs`` walks files, directories (recursively) and ``-`` (stdin) and dispatches each
file to the reader for its format. A reader never raises for one bad input: it yields a
:class:`~newsevents.model.Failure` with the reason, and the stream goes on. Every document and
failure leaves here with storable text (:mod:`newsevents.sanitize`), and HTML pages are
extracted in a helper process that the time limit can kill (:mod:`.isolate`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path

from ..config import ReadLimits, get_settings
from ..errors import InputError, UnsupportedFormatError
from ..model import Failure, RawDocument, Stage
from ..resources import read_toml
from ..sanitize import sanitized
from . import feeds, html, isolate, jsonl, text, warc
from .files import is_url, read_bytes, strip_gz_suffix

Reader = Callable[[str, bytes, ReadLimits], Iterator[RawDocument | Failure]]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    ".text": text.read,
    ".html": html.read,
    ".htm": html.read,
    ".jsonl": jsonl.read,
    ".ndjson": jsonl.read,
    ".rss": feeds.read,
    ".atom": feeds.read,
    ".xml": feeds.read,
    ".warc": warc.read,
}


def list_inputs(paths: Iterable[str]) -> Iterator[str | Failure]:
    """Expand directories into the files a run reads; files, feed URLs and ``-`` pass through.

    Directories are walked recursively in a stable (sorted) order; hidden files are skipped; a
    directory that cannot be listed, and a document of a type with no reader (``.pdf``,
    ``.doc``: ``data/ingest.toml``) become failures; other files with no reader are skipped.
    """
    for path in paths:
        if path == "-" or is_url(path) or not os.path.isdir(path):
            yield path
        else:
            yield from _walk(Path(path))


def read_inputs(
    paths: Iterable[str], limits: ReadLimits | None = None, stdin: bytes | None = None
) -> Iterator[RawDocument | Failure]:
    """Yield raw documents (or failures) from files, directories, feed URLs and ``-`` (stdin)."""
    limits = limits or get_settings().read_limits
    with isolate.session(limits.isolate_html):
        for item in list_inputs(paths):
            yield from map(sanitized, _read_item(item, limits, stdin))


def _read_item(
    item: str | Failure, limits: ReadLimits, stdin: bytes | None
) -> Iterator[RawDocument | Failure]:
    if isinstance(item, Failure):
        yield item
    elif item == "-":
        data = stdin if stdin is not None else sys.stdin.buffer.read()
        yield from _read_one("<stdin>", ".txt", data, limits)
    elif is_url(item):
        yield from feeds.read_url(item, limits)
    else:
        yield from _read_file(Path(item), limits)


def _walk(root: Path) -> Iterator[str | Failure]:
    def on_error(exc: OSError) -> None:
        failures.append(
            Failure(str(exc.filename or root), Stage.READ, f"cannot list directory: {exc.strerror}")
        )

    failures: list[Failure] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        dirnames.sort()
        yield from failures
        failures.clear()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith("."):
                continue
            if _suffix(path) in READERS:
                yield str(path)
            elif _suffix(path) in _reported_suffixes():
                yield Failure(str(path), Stage.READ, _unsupported(_suffix(path)).reason)
    yield from failures


@cache
def _reported_suffixes() -> frozenset[str]:
    """Types with no reader that a user may expect to be read: reported, not skipped."""
    return frozenset(s.lower() for s in read_toml("ingest.toml")["report_unsupported"])


def _suffix(path: Path) -> str:
    return Path(strip_gz_suffix(path.name)).suffix.lower()


def _read_file(path: Path, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    suffix = _suffix(path)
    if suffix not in READERS:
        yield Failure(str(path), Stage.READ, _unsupported(suffix).reason)
        return
    try:
        data, problem = read_bytes(
            path,
            limits,
            container=suffix in {".jsonl", ".ndjson", ".warc", ".rss", ".atom", ".xml"},
        )
    except InputError as exc:
        yield Failure(str(path), Stage.READ, exc.reason)
        return
    yield from _read_one(str(path), suffix, data, limits)
    if problem:
        yield Failure(str(path), Stage.READ, problem)


def _read_one(
    source: str, suffix: str, data: bytes, limits: ReadLimits
) -> Iterator[RawDocument | Failure]:
    reader = READERS.get(suffix)
    try:
        if reader is None:
            raise _unsupported(suffix)
        yield from reader(source, data, limits)
    except InputError as exc:
        yield Failure(source, Stage.READ, exc.reason)
    except RecursionError:  # a reader library recursing on pathological nesting
        yield Failure(source, Stage.READ, "the input is nested too deeply to be read")
    except Exception as exc:  # a reader bug on one input costs that input only
        reason = InputError(f"reading failed: {exc!r:.200} (a bug in newsevents: please report it)")
        yield Failure(source, Stage.READ, reason.reason)


def _unsupported(suffix: str) -> UnsupportedFormatError:
    return UnsupportedFormatError(
        f"unsupported file type: no reader for {suffix or 'files without a suffix'!r}; "
        "supported: " + ", ".join(sorted(READERS)) + " (optionally .gz)"
    )
