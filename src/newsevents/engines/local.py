"""The local engine: stream inputs through the pipeline in batches into one store writer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from ..config import Settings
from ..dedup import link_copies
from ..errors import InputError
from ..ingest import read_inputs
from ..model import Article, Failure, RawDocument
from ..nlp import load_pipeline
from ..pipeline import Prepared, prepare, run
from ..store import Store


@dataclass
class RunReport:
    """What a run did: articles stored and skipped, and every failure with its reason."""

    read: int = 0
    stored: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every input was processed."""
        return not self.failures


def _batched(
    items: Iterable[RawDocument | Failure], size: int
) -> Iterator[list[RawDocument | Failure]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def process_local(
    paths: Iterable[str],
    store: Store,
    settings: Settings,
    *,
    clean: bool = True,
    published: date | None = None,
    stdin: bytes | None = None,
    on_article: Callable[[Article | Failure], None] | None = None,
) -> RunReport:
    """Read, clean, parse and extract every input, writing each batch to the store."""
    report = RunReport()
    nlp = load_pipeline(settings.model)
    for batch in _batched(read_inputs(paths, settings, stdin=stdin), settings.batch_size):
        failures: list[Failure] = []
        prepared: list[Prepared] = []
        for item in batch:
            if isinstance(item, Failure):
                failures.append(item)
                continue
            report.read += 1
            try:
                prepared.append(prepare(item, clean=clean, published=published, settings=settings))
            except InputError as exc:
                failures.append(Failure(item.source_path, "clean", exc.reason))
        existing = store.existing_ids(p.article.id for p in prepared)
        report.skipped += sum(1 for p in prepared if p.article.id in existing)
        fresh_articles = [p.article for p in prepared if p.article.id not in existing]
        owners = store.fingerprint_owners(k for a in fresh_articles for k in a.fingerprint)
        fresh = [Prepared(a) for a in link_copies(fresh_articles, owners)]
        articles: list[Article] = []
        for result in run(nlp, fresh, batch_size=settings.batch_size):
            if isinstance(result, Failure):
                failures.append(result)
            else:
                articles.append(result)
            if on_article:
                on_article(result)
        for failure in failures:
            if on_article and failure.stage in {"read", "clean"}:
                on_article(failure)
        report.stored += store.write(articles)
        store.record_failures(failures)
        report.failures.extend(failures)
    return report
