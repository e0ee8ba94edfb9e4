"""The command line: a thin layer over the Python API (``newsevents.api`` and ``Store``)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from . import __version__
from .api import extract_document, load, process, process_on_ray
from .config import get_settings
from .errors import NewsEventsError, QueryError
from .filters import FILTERS, Filters, day, event_code, parse
from .ingest import read_inputs
from .model import Article, Failure
from .ontology import cameo
from .store import DEFAULT_DB, Store
from .store_queries import Page, Queries

FORMATS = click.Choice(["table", "csv", "json"])
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    try:
        return day(param.name or "date", value)
    except QueryError as exc:
        raise click.BadParameter(exc.reason) from exc


def _fail_line(failure: Failure) -> str:
    return f"newsevents: failed {failure.input} [{failure.stage}]: {failure.reason}"


model_option = click.option(
    "--model", default=None, help="spaCy pipeline name (default: en_core_web_sm)."
)
actors_option = click.option(
    "--actors",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="User actor dictionary (YAML, CSV or PETRARCH/TABARI) for event actor codes.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsevents")
def main() -> None:
    """newsevents: news in, statements and coded political events out, each with its evidence."""


@main.command("process")
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to write.")
@click.option("--no-clean", is_flag=True, help="Take texts as article bodies, without cleaning.")
@click.option(
    "--published", callback=_date, help="Publication date (YYYY-MM-DD) for inputs without one."
)
@model_option
@actors_option
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 256),
    default=None,
    help="Worker processes (default: the machine's cores).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: this machine, into --db; ray: Ray Data, Parquet into --out.",
)
@click.option("--address", default=None, help="Ray cluster address (engine ray; default: local).")
@click.option("--out", default=None, help="Parquet output directory (engine ray).")
@click.option("--quiet", "-q", is_flag=True, help="No progress line.")
def process_cmd(
    paths: tuple[str, ...],
    db: str,
    no_clean: bool,
    published: date | None,
    model: str | None,
    actors: str | None,
    workers: int | None,
    engine: str,
    address: str | None,
    out: str | None,
    quiet: bool,
) -> None:
    """Process files, directories (recursively), feed URLs or - (stdin) into the database.

    Exit status: 0 when every input was processed, 1 when some failed (they are listed), 2 on
    usage errors.
    """
    if engine == "ray":
        if not out:
            raise click.UsageError("--engine ray writes Parquet: give --out DIR")
        try:
            rows = process_on_ray(
                paths,
                out,
                address=address,
                workers=workers,
                clean=not no_clean,
                published=published,
                model=model,
                actors=actors,
            )
        except NewsEventsError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"wrote {rows} rows (articles and failures) to {out}")
        click.echo(f"load them with: newsevents load {out} --db {db}")
        return
    show_progress = not quiet and sys.stderr.isatty()
    seen = {"articles": 0, "failures": 0}

    def on_article(item: Article | Failure) -> None:
        if isinstance(item, Failure):
            seen["failures"] += 1
            click.echo(("\r" if show_progress else "") + _fail_line(item), err=True)
        else:
            seen["articles"] += 1
        if show_progress:
            click.echo(
                f"\rprocessing: {seen['articles']} articles, {seen['failures']} failures",
                err=True,
                nl=False,
            )

    try:
        report = process(
            paths,
            db=db,
            clean=not no_clean,
            published=published,
            model=model,
            actors=actors,
            workers=workers,
            on_article=on_article,
        )
    except NewsEventsError as exc:
        raise click.ClickException(str(exc)) from exc
    if show_progress:
        click.echo("", err=True)
    with Store(db) as store:
        counts = store.counts()
    click.echo(
        f"read {report.read} articles: {report.stored} stored, {report.skipped} already stored, "
        f"{len(report.failed)} failures"
    )
    click.echo(
        f"{db}: {counts['articles']} articles, {counts['entities']} entities, "
        f"{counts['statements']} statements, {counts['events']} events, "
        f"{counts['failures']} failures recorded"
    )
    skipped_languages = [f for f in report.failures if f not in report.failed]
    if skipped_languages:
        click.echo(
            f"{len(skipped_languages)} articles stored without extraction (not English); "
            "see the failures table",
            err=True,
        )
    if not report.ok:
        click.echo("failed inputs:", err=True)
        for failure in report.failed:
            click.echo(f"  {failure.input} [{failure.stage}]: {failure.reason}", err=True)
        sys.exit(1)


@main.command("load")
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to write.")
def load_cmd(out: str, db: str) -> None:
    """Load the Parquet output of `process --engine ray` into the database (idempotent)."""
    try:
        report = load(out, db=db)
    except NewsEventsError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"loaded {report.stored} articles and {len(report.failures)} failures into {db}")


@main.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--no-clean",
    is_flag=True,
    help="Treat each input as the article body exactly as given (offsets point into it).",
)
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD).")
@model_option
@actors_option
def extract_cmd(
    paths: tuple[str, ...],
    no_clean: bool,
    published: date | None,
    model: str | None,
    actors: str | None,
) -> None:
    """Extract without a database: one JSON object per article on stdout (JSON Lines).

    Exit status: 0 when every input was processed, 1 when some failed.
    """
    settings = get_settings(model=model)
    failed = False
    try:
        for item in read_inputs(paths, settings.read_limits):
            if isinstance(item, Failure):
                failed = True
                click.echo(_fail_line(item), err=True)
                continue
            article = extract_document(
                item, published=published, clean=not no_clean, model=model, actors=actors
            )
            if article.failure is not None:
                failed = True
                click.echo(_fail_line(article.failure), err=True)
            click.echo(json.dumps(article.to_dict(), ensure_ascii=False))
    except NewsEventsError as exc:
        raise click.ClickException(str(exc)) from exc
    if failed:
        sys.exit(1)


def _emit(rows: Sequence[dict[str, Any]], fmt: str, widths: dict[str, int]) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, default=_json_default, indent=1))
        return
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else list(widths))
        writer.writeheader()
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
        return
    columns = list(widths)
    click.echo("  ".join(c.ljust(widths[c])[: widths[c]] for c in columns))
    for row in rows:
        cells = []
        for c in columns:
            value = "" if row.get(c) is None else " ".join(str(row[c]).split())
            if len(value) > widths[c]:
                value = value[: widths[c] - 1] + "…"
            cells.append(value.ljust(widths[c]))
        click.echo("  ".join(cells).rstrip())
    click.echo(f"({len(rows)} rows)")


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _read(db: str) -> Store:
    """Open an existing database read-only; a missing one is a usage error."""
    if not Path(db).is_file():
        raise click.BadParameter(
            f"no database at {db}; run `newsevents process` first", param_hint="--db"
        )
    try:
        return Store(db, read_only=True)
    except NewsEventsError as exc:
        raise click.ClickException(str(exc)) from exc


db_option = click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to read.")
code_option = click.option(
    "--code", help="CAMEO code or root (e.g. 19, 112) or PLOVER type (e.g. ASSAULT)."
)
limit_option = click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="Most rows to show.",
)
format_option = click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
# The table format's columns and their widths.
STATEMENT_COLUMNS = {"date": 10, "speaker_name": 22, "kind": 8, "cue_text": 10, "content_text": 70}
EVENT_COLUMNS = {
    "date": 10,
    "source_code": 9,
    "cameo": 5,
    "plover_type": 10,
    "trigger_text": 14,
    "target_code": 9,
    "modality": 9,
}


def _query_options(*names: str) -> Decorator:
    """Add --db, the options of the filters named (``code``: an event code), --limit, --format."""
    filters = [
        code_option
        if name == "code"
        else click.option(f"--{name.replace('_', '-')}", help=FILTERS[name].help)
        for name in names
    ]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed([db_option, *filters, limit_option, format_option]):
            command = option(command)
        return command

    return decorate


def _list(
    fetch: Callable[[Queries, Filters, int], Page],
    columns: dict[str, int],
    db: str,
    raw: dict[str, str | None],
    limit: int,
    fmt: str,
) -> None:
    """Print the stored records ``fetch`` finds with the filters given as strings."""
    try:
        filters = parse(raw)
    except QueryError as exc:
        raise click.UsageError(exc.reason) from exc
    with _read(db) as store:
        rows = fetch(Queries(store), filters, limit).rows
    _emit(rows, fmt, columns)


@main.command("statements")
@_query_options("speaker", "since", "until", "min_confidence")
def statements_cmd(db: str, limit: int, fmt: str, **raw: str | None) -> None:
    """List stored statements: who said what, when."""
    _list(Queries.statements, STATEMENT_COLUMNS, db, raw, limit, fmt)


@main.command("events")
@_query_options("actor", "code", "since", "until", "min_confidence")
def events_cmd(db: str, limit: int, fmt: str, code: str | None, **raw: str | None) -> None:
    """List stored events: who did what to whom, when."""
    _list(Queries.events, EVENT_COLUMNS, db, {**raw, **event_code(code)}, limit, fmt)


@main.command("stats")
@db_option
def stats_cmd(db: str) -> None:
    """Summarise the database: row counts, top speakers, top event types, date range."""
    with _read(db) as store:
        stats = store.stats()
        failures = store.failures(limit=20)
    first, last = stats.date_range
    click.echo(f"database: {db}")
    for table, n in stats.counts.items():
        if table != "fingerprints":  # internal: copy detection
            click.echo(f"  {table:<11} {n:>8,}")
    click.echo(f"  published   {first or '-'} .. {last or '-'}")
    click.echo("top speakers:" if stats.top_speakers else "top speakers: none yet")
    for name, n in stats.top_speakers:
        click.echo(f"  {n:>5}  {name}")
    click.echo("top event roots (CAMEO):" if stats.top_event_roots else "events: none yet")
    for root, n in stats.top_event_roots:
        click.echo(f"  {n:>5}  {root} {cameo(root).name}")
    if failures:
        click.echo("recent failures:")
        for f in failures:
            click.echo(f"  {f['input']} [{f['stage']}]: {f['reason']}")


@main.command("serve")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file (read-only).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve_cmd(db: str, host: str, port: int) -> None:
    """Serve the web UI and the JSON API (/api/) over the database, read-only."""
    import uvicorn

    from .web import create_app

    try:
        app = create_app(db)
    except NewsEventsError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"newsevents: serving {db} read-only at http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
