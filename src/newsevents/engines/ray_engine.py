"""The Ray engine: the same pipeline on Ray Data, results as Parquet partitioned by date.

Inputs are read in parallel tasks (one per file, WARC or feed); a pool of actors, each holding
one loaded spaCy pipeline, cleans, parses and extracts batches; every article (or failure)
becomes one Parquet row, partitioned by publication date. ``load_parquet`` brings the rows into
a DuckDB store, and DuckDB can query the Parquet directly::

    SELECT published, title, json_array_length(record -> 'statements') FROM 'out/**/*.parquet'

Ray is an optional dependency: ``pip install newsevents[ray]``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads

from ..config import ReadLimits, Settings
from ..errors import ConfigError, NothingToLoadError, StoreError
from ..ingest import list_inputs, read_inputs
from ..model import Article, Failure, RawDocument, Stage, article_from_dict
from ..pipeline import DEFAULTS, RunOptions, process_batch
from ..store import Store

UNDATED = "undated"
READ_CPUS = 0.1
OUTPUT_SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("id", pa.string()),
        ("published", pa.string()),
        ("record", pa.string()),
    ]
)
RAW_FIELDS = ("source_path", "content", "format", "url", "title", "published", "source")


@dataclass
class LoadReport:
    """What loading a Parquet directory into a store did."""

    stored: int = 0
    failures: list[Failure] = field(default_factory=list)


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ConfigError(
            "the Ray engine needs Ray: install it with `pip install newsevents[ray]`"
        ) from exc
    return ray


def _raw_row(item: RawDocument | Failure) -> dict[str, Any]:
    if isinstance(item, Failure):
        return {"source_path": item.input, "failure": json.dumps([item.stage, item.reason])}
    row = {name: getattr(item, name) for name in RAW_FIELDS}
    row["published"] = item.published.isoformat() if item.published else None
    row["authors"] = json.dumps(list(item.authors))
    row["failure"] = None
    return row


def _input_row(item: str | Failure) -> dict[str, Any]:
    if isinstance(item, Failure):
        return {"path": item.input, "failure": json.dumps([item.stage, item.reason])}
    return {"path": item, "failure": None}


def _read_path(row: dict[str, Any], limits: ReadLimits) -> Iterator[dict[str, Any]]:
    if row["failure"]:  # a directory that could not be listed
        yield {"source_path": row["path"], "failure": row["failure"]}
        return
    for item in read_inputs([row["path"]], limits):
        yield _raw_row(item)


def _raw_from_row(row: dict[str, Any]) -> RawDocument:
    published = row.get("published")
    return RawDocument(
        source_path=row["source_path"],
        content=row["content"],
        format=row["format"],
        url=row.get("url"),
        title=row.get("title"),
        published=date.fromisoformat(published) if published else None,
        source=row.get("source"),
        authors=tuple(json.loads(row.get("authors") or "[]")),
    )


def _output_row(result: Article | Failure) -> dict[str, Any]:
    record: dict[str, Any]
    if isinstance(result, Failure):
        record = {"input": result.input, "stage": result.stage, "reason": result.reason}
        return {
            "kind": "failure",
            "id": result.id,
            "published": UNDATED,
            "record": json.dumps(record, ensure_ascii=False),
        }
    record = result.to_dict()
    record["fingerprint"] = list(result.fingerprint)
    return {
        "kind": "article",
        "id": result.id,
        "published": result.published.isoformat() if result.published else UNDATED,
        "record": json.dumps(record, ensure_ascii=False),
    }


class ExtractActor:
    """A Ray actor holding one loaded pipeline; turns batches of raw rows into output rows."""

    def __init__(self, settings: Settings, options: RunOptions) -> None:
        from ..nlp import load_pipeline

        self.settings = settings
        self.options = options
        self.nlp = load_pipeline(settings.model)

    def __call__(self, batch: pa.Table) -> pa.Table:
        """Process one batch of raw-document rows into output rows."""
        rows = batch.to_pylist()
        results: list[Article | Failure] = []
        raws = []
        for row in rows:
            if row.get("failure"):
                stage, reason = json.loads(row["failure"])
                results.append(Failure(row["source_path"], Stage(stage), reason))
            else:
                raws.append(_raw_from_row(row))
        for result in process_batch(self.nlp, raws, self.settings, self.options):
            if isinstance(result, Article | Failure):
                results.append(result)
        out = [_output_row(r) for r in results]
        return pa.Table.from_pylist(out, schema=OUTPUT_SCHEMA)


def process_ray(
    paths: Iterable[str],
    out_dir: str | Path,
    settings: Settings,
    *,
    address: str | None = None,
    workers: int | None = None,
    options: RunOptions = DEFAULTS,
) -> int:
    """Run the pipeline on Ray Data and write Parquet under ``out_dir``; return rows written."""
    ray = _import_ray()
    inputs = [_input_row(item) for item in list_inputs(paths)]
    if not ray.is_initialized():
        ray.init(
            address=address,
            num_cpus=None if address else workers,
            include_dashboard=False,
            log_to_driver=False,
            ignore_reinit_error=True,
        )
    pool = workers or max(1, int(ray.available_resources().get("CPU", 1)))
    ds = ray.data.from_items(inputs, override_num_blocks=max(1, len(inputs)))
    # Reading is light: a small CPU share, so it runs beside actors that hold every core.
    ds = ds.flat_map(_read_path, fn_kwargs={"limits": settings.read_limits}, num_cpus=READ_CPUS)
    ds = ds.map_batches(
        ExtractActor,
        fn_constructor_kwargs={"settings": settings, "options": options},
        batch_size=settings.batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=pool),
        num_cpus=1 - READ_CPUS,
    )
    ds = ds.materialize()
    count = int(ds.count())
    if count:
        ds.write_parquet(str(out_dir), partition_cols=["published"])
    return count


def open_output(out_dir: str | Path) -> pads.Dataset:
    """Open a Parquet directory the Ray engine wrote; refuse one with no such output in it."""
    hint = "give the --out directory of `newsevents process --engine ray`"
    if not any(Path(out_dir).rglob("*.parquet")):
        raise NothingToLoadError(f"no Parquet files in {out_dir}; {hint}")
    try:
        dataset = pads.dataset(str(out_dir), format="parquet", partitioning="hive")
    except (pa.ArrowException, OSError) as exc:
        raise NothingToLoadError(
            f"cannot read the Parquet files in {out_dir} ({exc}); {hint}"
        ) from exc
    missing = {"kind", "record"} - set(dataset.schema.names)
    if missing:
        raise NothingToLoadError(
            f"the Parquet files in {out_dir} have no {', '.join(sorted(missing))} column: they "
            f"are not the output of the Ray engine; {hint}"
        )
    return dataset


def read_parquet(out_dir: str | Path) -> Iterator[Article | Failure]:
    """Yield the articles and failures stored in a Parquet directory the Ray engine wrote."""
    dataset = open_output(out_dir)
    for batch in dataset.to_batches(columns=["kind", "record"]):
        kinds = batch.column("kind").to_pylist()
        records = batch.column("record").to_pylist()
        for kind, record in zip(kinds, records, strict=True):
            data = json.loads(str(record))
            if kind == "failure":
                yield Failure(data["input"], Stage(data["stage"]), data["reason"])
            else:
                yield article_from_dict(data)


def load_parquet(out_dir: str | Path, store: Store, *, batch_size: int = 256) -> LoadReport:
    """Load a Parquet directory written by the Ray engine into the store (idempotent).

    Rows are streamed in batches, so memory stays flat; syndicated copies are linked in the
    order the rows are read.
    """
    if not Path(out_dir).is_dir():
        raise StoreError(
            f"no Parquet directory at {out_dir}; run `newsevents process --engine ray`"
        )
    report = LoadReport()
    chunk: list[Article | Failure] = []
    for item in read_parquet(out_dir):
        chunk.append(item)
        if len(chunk) >= batch_size:
            _load_chunk(chunk, store, report)
            chunk = []
    _load_chunk(chunk, store, report)
    return report


def _load_chunk(chunk: list[Article | Failure], store: Store, report: LoadReport) -> None:
    articles = [a for a in chunk if isinstance(a, Article)]
    failures = [f for f in chunk if isinstance(f, Failure)]
    report.stored += store.write_batch(articles, failures)
    report.failures.extend(failures)
