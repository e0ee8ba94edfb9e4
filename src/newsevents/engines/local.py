"""The local engine: stream inputs through worker processes into one store writer.

The parent reads inputs and cuts them into batches; ``workers`` processes (forked, so the loaded
spaCy pipeline is shared copy-on-write) clean, parse and extract each batch and send back
immutable records; the parent links syndicated copies and writes each batch in one
transaction. At most ``2 × workers`` batches are in flight, so memory stays flat however large
the input. A worker that dies on an article costs that article only: its batch is retried one
article at a time and the article that kills a worker again is recorded as a failure.

No worker outlives the run: on SIGTERM the parent kills its workers and exits (status 143), and
each worker asks the kernel to kill it when the parent dies, even by SIGKILL.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from types import FrameType

from ..config import Settings
from ..ingest import list_inputs, read_inputs
from ..ingest.isolate import die_with_parent
from ..model import Article, Failure, RawDocument, Stage
from ..nlp import load_pipeline
from ..pipeline import DEFAULTS, RunOptions, Skipped, process_batch
from ..sanitize import sanitized
from ..store import Store

Result = Article | Failure | Skipped


@dataclass
class RunReport:
    """What a run did: articles stored and skipped, and every failure with its reason.

    While the run goes on, ``inputs_done`` of the ``inputs`` found (files, directories walked,
    feed URLs, stdin) are finished: every document read from them is stored, skipped or failed.
    A non-English article is stored (without extraction): it counts in ``stored`` and
    ``not_english``, never in ``failed``.
    """

    read: int = 0
    stored: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    inputs: int = 0
    inputs_done: int = 0

    @property
    def failed(self) -> list[Failure]:
        """Inputs that could not be processed (not articles merely outside the languages read)."""
        return [f for f in self.failures if f.stage != Stage.LANGUAGE]

    @property
    def not_english(self) -> int:
        """Articles stored without extraction because their language is not one read."""
        return sum(1 for f in self.failures if f.stage == Stage.LANGUAGE)

    @property
    def ok(self) -> bool:
        """Whether every input was processed."""
        return not self.failed


def default_workers() -> int:
    """The number of worker processes used when none is given: the machine's cores."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


# -- worker side -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Job:
    """What every worker process of a run is given once, when it starts."""

    settings: Settings
    options: RunOptions
    skip: frozenset[str]  # ids of articles already stored
    parent_pid: int  # the run's process: workers exit when it dies


_job: list[_Job] = []  # set in each worker by its initializer (a process pool's only channel)


def _init_worker(job: _Job) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, copied by fork
    die_with_parent(job.parent_pid)
    _job[:] = [job]


def _work(raws: list[RawDocument]) -> list[Result]:
    job = _job[0]
    nlp = load_pipeline(job.settings.model)
    return process_batch(nlp, raws, job.settings, job.options, job.skip)


# -- parent side -------------------------------------------------------------------------------


def _batches(
    items: Iterable[RawDocument | Failure], size: int
) -> Iterator[tuple[list[RawDocument], list[Failure]]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        raws = [i for i in chunk if isinstance(i, RawDocument)]
        yield raws, [i for i in chunk if isinstance(i, Failure)]


class _Pool:
    """A bounded window of batches over a process pool, recovering from dead workers."""

    def __init__(self, workers: int, job: _Job) -> None:
        self.workers = workers
        self.job = job
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_init_worker,
            initargs=(self.job,),
        )

    def map(self, batches: Iterable[list[RawDocument]]) -> Iterator[list[Result]]:
        window: deque[tuple[list[RawDocument], Future[list[Result]]]] = deque()
        for batch in batches:
            window.append((batch, self.executor.submit(_work, batch)))
            if len(window) >= 2 * self.workers:
                yield self._collect(window)
        while window:
            yield self._collect(window)

    def _collect(
        self, window: deque[tuple[list[RawDocument], Future[list[Result]]]]
    ) -> list[Result]:
        batch, future = window.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            # A worker died: every batch in flight is lost. Start afresh and redo them one
            # article at a time, so only the article that kills a worker is lost.
            lost = [batch, *(b for b, _ in window)]
            window.clear()
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._start()
            results: list[Result] = []
            for raw in (r for b in lost for r in b):
                results.extend(self._alone(raw))
            return results

    def _alone(self, raw: RawDocument) -> list[Result]:
        try:
            return self.executor.submit(_work, [raw]).result()
        except BrokenProcessPool:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._start()
            return [
                Failure(raw.source_path, Stage.WORKER, "the worker process died on this article")
            ]

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def terminate(self) -> None:
        """Kill the workers at once (the run is being stopped) and release the pool."""
        processes = dict(getattr(self.executor, "_processes", None) or {})
        for process in processes.values():
            if process.is_alive():
                process.kill()
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes.values():
            process.join(timeout=5)


TERMINATED_STATUS = 128 + signal.SIGTERM  # the shell's status for a process ended by SIGTERM


@contextmanager
def _sigterm_exits() -> Iterator[None]:
    """Within the block, SIGTERM raises SystemExit(143), so the run stops its workers first."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(TERMINATED_STATUS)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def process_local(
    paths: Iterable[str],
    store: Store,
    settings: Settings,
    options: RunOptions = DEFAULTS,
    *,
    stdin: bytes | None = None,
    workers: int | None = None,
    on_article: Callable[[Article | Failure], None] | None = None,
    on_progress: Callable[[RunReport], None] | None = None,
) -> RunReport:
    """Read, clean, parse and extract every input, writing each batch to the store.

    ``on_progress`` is called with the report once the inputs are counted and after each batch.
    """
    workers = workers or default_workers()
    paths = list(paths)
    report = RunReport(inputs=sum(1 for _ in list_inputs(paths)))  # a walk, nothing read
    stored = frozenset(store.all_ids())
    seen: set[str] = set()
    nlp = load_pipeline(settings.model)  # loaded before forking: shared by the workers
    read_failures: list[Failure] = []
    tracker = _InputTracker()

    def listed() -> Iterator[str]:
        for item in list_inputs(paths):
            tracker.reading += 1
            if isinstance(item, Failure):  # a directory not listed, a type with no reader
                failure = sanitized(item)
                assert isinstance(failure, Failure)
                read_failures.append(failure)
            else:
                yield item

    def documents() -> Iterator[RawDocument | Failure]:
        for item in read_inputs(listed(), settings.read_limits, stdin=stdin):
            if isinstance(item, RawDocument):
                tracker.pending.append(tracker.reading)
            yield item

    def raw_batches() -> Iterator[list[RawDocument]]:
        for raws, failures in _batches(documents(), settings.batch_size):
            read_failures.extend(failures)
            report.read += len(raws)
            yield raws

    def committed(results: Sequence[Result]) -> None:
        report.inputs_done = tracker.done(results)
        if on_progress:
            on_progress(report)

    if on_progress:
        on_progress(report)

    pool: _Pool | None = None
    with _sigterm_exits():
        if workers > 1:
            pool = _Pool(workers, _Job(settings, options, stored, os.getpid()))
            results: Iterator[list[Result]] = pool.map(raw_batches())
        else:
            results = (process_batch(nlp, b, settings, options, stored) for b in raw_batches())
        try:
            for batch_results in results:
                failures = read_failures[:]
                read_failures.clear()
                _commit(batch_results, failures, store, report, seen, on_article)
                committed(batch_results)
            if read_failures:
                _commit([], read_failures, store, report, seen, on_article)
            report.inputs_done = report.inputs
            if on_progress:
                on_progress(report)
        except BaseException:  # SIGTERM, Ctrl-C or an error: no worker is left running
            if pool is not None:
                pool.terminate()
            raise
        if pool is not None:
            pool.close()
    return report


class _InputTracker:
    """Which input each document in flight came from, to tell how many inputs are finished."""

    def __init__(self) -> None:
        self.reading = 0  # inputs handed to the readers so far: the last one is being read
        self.pending: deque[int] = deque()  # the input of each document read, not yet committed

    def done(self, results: Sequence[Result]) -> int:
        """Forget the documents ``results`` settle; return how many inputs are finished."""
        # one result per document, beside the language failure of a stored non-English article
        settled = sum(
            1 for r in results if not (isinstance(r, Failure) and r.stage == Stage.LANGUAGE)
        )
        for _ in range(min(settled, len(self.pending))):
            self.pending.popleft()
        oldest = self.pending[0] if self.pending else self.reading
        return max(0, oldest - 1)


def _commit(
    results: Sequence[Result],
    failures: list[Failure],
    store: Store,
    report: RunReport,
    seen: set[str],
    on_article: Callable[[Article | Failure], None] | None,
) -> None:
    articles: list[Article] = []
    for result in results:
        if isinstance(result, Skipped) or (isinstance(result, Article) and result.id in seen):
            report.skipped += 1
        elif isinstance(result, Failure):
            failures.append(result)
        else:
            seen.add(result.id)
            articles.append(result)
            if on_article:
                on_article(result)
    report.stored += store.write_batch(articles, failures)
    report.failures.extend(failures)
    if on_article:
        for failure in failures:
            on_article(failure)
