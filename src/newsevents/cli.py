"""The command line: a thin layer over the Python API (``newsevents.api`` and ``Store``)."""

from __future__ import annotations

import errno
import json
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
import duckdb
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from . import __version__
from .api import export, extract_document, load, process, process_on_ray, watch
from .config import get_settings
from .csv_safe import to_csv
from .engines.local import RunReport
from .errors import ConfigError, NewsEventsError, NothingToLoadError, QueryError
from .exports import FORMATS as EXPORT_FORMATS
from .filters import FILTERS, Filters, day, event_code, parse
from .ingest import read_inputs
from .model import Article, Failure, Stage
from .ontology import cameo
from .store import DEFAULT_DB, RESTORE, CheckReport, Store, check_database, store_error
from .store_queries import Page, Queries
from .watcher import CycleReport, parse_interval

FORMATS = click.Choice(["table", "csv", "json"])
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
# The exit status of every command (README, "Exit status").
EXIT_OK = 0  # everything went well
EXIT_SOME_FAILED = 1  # some inputs failed: each is listed and recorded, the rest went on
EXIT_USAGE = 2  # a bad option, argument or setting, or no database where one is needed
EXIT_RUN_FAILED = 3  # the run failed: damaged database, full disk, lock held, no model, a bug
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


class RunFailed(click.ClickException):
    """The command could not do its work (a store, model or internal error): exit 3."""

    exit_code = EXIT_RUN_FAILED


class BadSetting(click.ClickException):
    """A setting or option value newsevents cannot use: exit 2, like other usage errors."""

    exit_code = EXIT_USAGE


# Exceptions click itself turns into an exit status, or that must pass untouched.
_PASS_THROUGH = (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError)
_DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


class _Main(click.Group):
    """The command group: a newsevents error or a crash becomes one line and its exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        argv = [*ctx.args]  # the command's own arguments, before click consumes them
        try:
            return super().invoke(ctx)
        except (ConfigError, QueryError, NothingToLoadError) as exc:
            raise BadSetting(str(exc)) from exc
        except NewsEventsError as exc:
            raise RunFailed(str(exc)) from exc
        except duckdb.Error as exc:  # a safety net: a DuckDB error the store did not wrap
            db = _db_argument(argv)
            error = store_error(
                db, exc, "cannot use the database", f"run `newsevents check --db {db}`"
            )
            raise RunFailed(str(error)) from exc
        except _PASS_THROUGH:
            raise
        except OSError as exc:
            if exc.errno not in _DISK_FULL:
                raise _crash(exc) from exc
            raise RunFailed(
                f"the disk is full ({exc}); free some space and run the same command again"
            ) from exc
        except Exception as exc:
            raise _crash(exc) from exc
        except KeyboardInterrupt:
            click.echo(
                "newsevents: interrupted; what was stored stays stored, and running the same "
                "command again finishes the work",
                err=True,
            )
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


def _db_argument(args: list[str]) -> str:
    """Return the --db among a command's arguments (or the default)."""
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--db="):
            return arg.split("=", 1)[1]
    return DEFAULT_DB


def _crash(exc: Exception) -> RunFailed:
    """A bug: print the traceback for the report, and fail the run."""
    traceback.print_exc()
    return RunFailed(
        f"internal error ({type(exc).__name__}: {exc}); this is a bug in newsevents: please "
        "report it with the traceback above"
    )


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
identities_option = click.option(
    "--identities",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Known speaker identities: CSV id,name[,wikidata], one row per name variant "
    "(becomes the database's before the run).",
)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsevents")
def main() -> None:
    """newsevents: news in, statements and coded political events out, each with its evidence.

    Exit status: 0 all went well; 1 some inputs failed (listed; the rest was processed); 2 usage
    error; 3 the run failed (damaged database, full disk, database locked, no spaCy model).
    """


@main.command("process")
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to write.")
@click.option("--no-clean", is_flag=True, help="Take texts as article bodies, without cleaning.")
@click.option(
    "--published", callback=_date, help="Publication date (YYYY-MM-DD) for inputs without one."
)
@model_option
@actors_option
@identities_option
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
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def process_cmd(
    paths: tuple[str, ...],
    db: str,
    no_clean: bool,
    published: date | None,
    model: str | None,
    actors: str | None,
    identities: str | None,
    workers: int | None,
    engine: str,
    address: str | None,
    out: str | None,
    quiet: bool,
) -> None:
    """Process files, directories (recursively), feed URLs or - (stdin) into the database.

    Exit status: 0 when every input was processed, 1 when some failed (they are listed), 2 on
    usage errors, 3 when the run failed (damaged database, full disk, database locked).
    """
    if engine == "ray":
        if not out:
            raise click.UsageError("--engine ray writes Parquet: give --out DIR")
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
        click.echo(f"wrote {rows} rows (articles and failures) to {out}")
        click.echo(f"load them with: newsevents load {out} --db {db}")
        return
    with RunProgress(_progress_console(quiet)) as progress:

        def on_article(item: Article | Failure) -> None:
            if isinstance(item, Failure) and item.stage != Stage.LANGUAGE:
                progress.echo(_fail_line(item))  # a non-English article is stored: no failure

        report = process(
            paths,
            db=db,
            clean=not no_clean,
            published=published,
            model=model,
            actors=actors,
            identities=identities,
            workers=workers,
            on_article=on_article,
            on_progress=progress.update,
        )
    with Store(db) as store:
        counts = store.counts()
    click.echo(f"{report.inputs} inputs, {report.read} articles read: {run_counts(report)}")
    click.echo(
        f"{db}: {counts['articles']} articles, {counts['entities']} entities, "
        f"{counts['statements']} statements, {counts['events']} events, "
        f"{counts['failures']} failures recorded"
    )
    if report.not_english:
        click.echo(
            f"{report.not_english} articles stored without extraction (not English; not "
            "failures); see the failures table",
            err=True,
        )
    if not report.ok:
        click.echo("failed inputs:", err=True)
        for failure in report.failed:
            click.echo(f"  {failure.input} [{failure.stage}]: {failure.reason}", err=True)
        sys.exit(EXIT_SOME_FAILED)


def run_counts(report: RunReport) -> str:
    """Say what became of a run's articles, the same way in the progress bar and the summary: a
    non-English article is stored without extraction, and is not a failure."""
    return (
        f"{report.stored} stored ({report.not_english} not English), {report.skipped} already "
        f"stored, {len(report.failed)} failed"
    )


def _progress_console(quiet: bool) -> Console | None:
    """Return the terminal to draw the progress bar on: stderr when it is one (not --quiet)."""
    if quiet or not sys.stderr.isatty():
        return None
    return Console(stderr=True)


class RunProgress:
    """The progress bar of `process`: inputs finished of those found, percentage, ETA, and what
    became of the articles read (``run_counts``). With no console, lines go to stderr."""

    def __init__(self, console: Console | None) -> None:
        """Draw on ``console``, or draw nothing (None)."""
        self.console = console
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        if console is not None:
            self.bar = Progress(
                TextColumn("processing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("inputs"),
                TaskProgressColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[counts]}"),
                console=console,
            )
            self.task = self.bar.add_task("process", total=None, counts="")

    def __enter__(self) -> RunProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def update(self, report: RunReport) -> None:
        """Show how far the run is."""
        if self.bar is not None and self.task is not None:
            self.bar.update(
                self.task,
                total=report.inputs,
                completed=report.inputs_done,
                counts=run_counts(report),
            )

    def echo(self, line: str) -> None:
        """Print a line above the bar (or on stderr)."""
        if self.console is not None:
            self.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line, err=True)


@main.command("load")
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to write.")
@identities_option
def load_cmd(out: str, db: str, identities: str | None) -> None:
    """Load the Parquet output of `process --engine ray` into the database (idempotent)."""
    report = load(out, db=db, identities=identities)
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

    Exit status: 0 when every input was processed (a non-English article is output without
    extraction and noted on stderr, as `process` stores it), 1 when some failed, 3 when the
    run failed.
    """
    settings = get_settings(model=model)
    failed = False
    for item in read_inputs(paths, settings.read_limits):
        if isinstance(item, Failure):
            failed = True
            click.echo(_fail_line(item), err=True)
            continue
        article = extract_document(
            item, published=published, clean=not no_clean, model=model, actors=actors
        )
        if article.failure is not None and article.failure.stage == Stage.LANGUAGE:
            # output without extraction, as `process` stores it: not a failure
            click.echo(f"newsevents: not English: {article.failure.input}", err=True)
        elif article.failure is not None:
            failed = True
            click.echo(_fail_line(article.failure), err=True)
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False))
    if failed:
        sys.exit(EXIT_SOME_FAILED)


def _emit(
    rows: Sequence[dict[str, Any]], fmt: str, table: Sequence[Column], columns: Sequence[str]
) -> None:
    """Print rows as JSON, as CSV with every column of the JSON (``columns``), or as a table."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, default=_json_default, indent=1))
        return
    if fmt == "csv":  # the web API's CSV writer, with the same columns: formulas defused
        click.echo(to_csv(rows, columns), nl=False)
        return
    widths = [max(c.width, len(c.header)) for c in table]  # a header is never cut
    click.echo("  ".join(c.header.ljust(w) for c, w in zip(table, widths, strict=True)).rstrip())
    for row in rows:
        cells = []
        for c, width in zip(table, widths, strict=True):
            value = " ".join(c.cell(row).split())
            if len(value) > width:
                value = value[: width - 1] + "…"
            cells.append(value.ljust(width))
        click.echo("  ".join(cells).rstrip())
    click.echo(f"({len(rows)} rows)")


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _need_db(db: str) -> None:
    """A missing database is a usage error."""
    if not Path(db).is_file():
        raise click.BadParameter(
            f"no database at {db}; run `newsevents process` first", param_hint="--db"
        )


def _read(db: str) -> Store:
    """Open an existing database read-only; a missing one is a usage error."""
    _need_db(db)
    return Store(db, read_only=True)


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


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the table format: its header, its width and how a row's cell reads."""

    header: str
    width: int
    cell: Callable[[dict[str, Any]], str]


def _field(key: str) -> Callable[[dict[str, Any]], str]:
    """A cell showing one field of the row as it is."""
    return lambda row: "" if row.get(key) is None else str(row[key])


def actor_cell(side: str) -> Callable[[dict[str, Any]], str]:
    """A cell showing an event's source or target: its name (else its words) and its code."""

    def cell(row: dict[str, Any]) -> str:
        name = row.get(f"{side}_name") or row.get(f"{side}_text") or ""
        code = row.get(f"{side}_code") or ""
        return f"{name} ({code})" if name and code and name != code else name or code

    return cell


def _event_type(row: dict[str, Any]) -> str:
    return " ".join(str(row[k]) for k in ("cameo", "plover_type") if row.get(k))


# The table format's columns: who did what to whom (names, not only codes), and the trigger.
EVENT_TABLE = (
    Column("source", 26, actor_cell("source")),
    Column("event", 14, _event_type),
    Column("trigger", 16, _field("trigger_text")),
    Column("target", 26, actor_cell("target")),
    Column("modality", 10, _field("modality")),
)
EVENT_COLUMNS = (Column("date", 10, _field("date")), *EVENT_TABLE)
CLUSTER_COLUMNS = (
    Column("first_day", 10, _field("first_day")),
    Column("mentions", 8, _field("n_mentions")),
    Column("articles", 8, _field("n_articles")),
    Column("outlets", 7, _field("n_sources")),
    *EVENT_TABLE,
)
STATEMENT_COLUMNS = (
    Column("date", 10, _field("date")),
    Column("speaker", 22, _field("speaker_name")),
    Column("kind", 8, _field("kind")),
    Column("cue", 10, _field("cue_text")),
    Column("what was said", 70, _field("content_text")),
)


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
    kind: str,
    fetch: Callable[[Queries, Filters, int], Page],
    table: Sequence[Column],
    db: str,
    raw: dict[str, str | None],
    limit: int,
    fmt: str,
) -> None:
    """Print the stored records ``fetch`` finds with the filters given as strings; ``kind``
    names their columns (those of the JSON API) for CSV."""
    try:
        filters = parse(raw)  # the API's parsers: a value the API answers with 400 is refused
    except QueryError as exc:
        raise click.UsageError(exc.reason) from exc
    with _read(db) as store:
        queries = Queries(store)
        rows = fetch(queries, filters, limit).rows
        columns = queries.columns(kind)
    _emit(rows, fmt, table, columns)


# The filters of `statements` and of `events` (and `export`): those the JSON API takes.
STATEMENT_FILTERS = ("q", "speaker", "actor", "since", "until", "domain", "min_confidence")
EVENT_FILTERS = (
    "q", "actor", "source", "target", "country", "code", "quad", "since", "until", "domain",
    "min_confidence",
)  # fmt: skip


@main.command("statements")
@_query_options(*STATEMENT_FILTERS)
def statements_cmd(db: str, limit: int, fmt: str, **raw: str | None) -> None:
    """List stored statements: who said what, when."""
    _list("statements", Queries.statements, STATEMENT_COLUMNS, db, raw, limit, fmt)


@main.command("events")
@_query_options(*EVENT_FILTERS)
@click.option("--clusters", is_flag=True, help="One row per cross-article cluster, with counts.")
def events_cmd(
    db: str, limit: int, fmt: str, code: str | None, clusters: bool, **raw: str | None
) -> None:
    """List stored events: who did what to whom, when; --clusters merges reports of one
    happening across articles (mentions, articles, outlets)."""
    kind, fetch, table = (
        ("clusters", Queries.clusters, CLUSTER_COLUMNS)
        if clusters
        else ("events", Queries.events, EVENT_COLUMNS)
    )
    _list(kind, fetch, table, db, {**raw, **event_code(code)}, limit, fmt)


# The filters of `export`: those of events.
EXPORT_FILTERS = EVENT_FILTERS


def _filter_options(names: Sequence[str]) -> Decorator:
    """Add an option for each filter named (``code``: an event code)."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for name in reversed(names):
            option = (
                code_option
                if name == "code"
                else click.option(f"--{name.replace('_', '-')}", help=FILTERS[name].help)
            )
            command = option(command)
        return command

    return decorate


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="gdelt: GDELT 2.0 events (one row a cluster); gdelt-mentions: its Mentions table; "
    "plover: PLOVER JSON Lines; csv, jsonl, parquet: the API's event columns.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="File to write (default: standard output; parquet needs a file).",
)
@click.option("--clusters", is_flag=True, help="csv, jsonl, parquet: one row per cluster.")
@db_option
@_filter_options(EXPORT_FILTERS)
def export_cmd(
    fmt: str, out: str | None, clusters: bool, db: str, code: str | None, **raw: str | None
) -> None:
    """Export stored events, streamed with no row cap: GDELT 2.0 events or mentions
    (tab-separated, no header), PLOVER JSON Lines, CSV, JSON Lines or Parquet."""
    try:
        filters = parse({**raw, **event_code(code)})
    except QueryError as exc:
        raise click.UsageError(exc.reason) from exc
    if fmt == "parquet" and not out:
        raise click.UsageError("--format parquet writes a binary file: give --out FILE")
    _need_db(db)
    report = export(fmt, db=db, filters=filters, out=out, clusters=clusters)  # None: stdout
    if out:
        click.echo(f"wrote {report.rows} rows ({fmt}) to {out}", err=True)


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


def _interval(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_interval(value)
    except ConfigError as exc:
        raise click.BadParameter(exc.reason) from exc


every_option = click.option(
    "--every",
    callback=_interval,
    default=None,
    help="Time between two polling cycles: 15m, 90s, 1h (default: the watch_interval setting).",
)


def _cycle_line(report: CycleReport) -> None:
    click.echo(f"{datetime.now().isoformat(timespec='seconds')} {report.line()}", err=True)
    for failure in report.failed:
        click.echo(_fail_line(failure), err=True)


@main.command("serve")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to serve.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--watch",
    "sources",
    multiple=True,
    metavar="FEED_OR_FILE",
    help="Also watch this feed URL, feed file or path (repeatable), in this process.",
)
@every_option
def serve_cmd(db: str, host: str, port: int, sources: tuple[str, ...], every: float | None) -> None:
    """Serve the web UI and the JSON API (/api/) over the database, read-only; with --watch,
    also poll feeds into it, new articles appearing within one cycle."""
    import uvicorn

    from .web import create_app

    if not sources:
        _need_db(db)
    # Reads every table first: a damaged database is refused here.
    app = create_app(db, watch=sources, every=every, on_cycle=_cycle_line)
    mode = f"watching {len(sources)} sources into" if sources else "serving"
    click.echo(f"newsevents: {mode} {db} at http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command("watch")
@click.argument("sources", nargs=-1, required=True, metavar="FEED_OR_FILE...")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to write.")
@every_option
@click.option("--once", is_flag=True, help="One cycle, then exit (for cron and tests).")
@click.option("--published", callback=_date, help="Publication date for items with none.")
@model_option
@actors_option
@identities_option
def watch_cmd(
    sources: tuple[str, ...],
    db: str,
    every: float | None,
    once: bool,
    published: date | None,
    model: str | None,
    actors: str | None,
    identities: str | None,
) -> None:
    """Poll RSS/Atom feeds (URLs or files) every interval; store only items not seen before.

    Conditional GET (ETag, Last-Modified), the fetch policy and per-host delay of `process`; a
    failing feed is a failure row and the others go on; one log line per cycle on stderr. To
    browse while watching, use `serve --watch` (one process may write a DuckDB file).
    Exit status (--once): 0 when all went well, 1 when some feeds or items failed, 3 when the
    run failed (damaged database, full disk, database locked).
    """
    report = watch(
        sources,
        db=db,
        every=every,
        once=once,
        published=published,
        model=model,
        actors=actors,
        identities=identities,
        on_cycle=_cycle_line,
    )
    if report.failed:
        sys.exit(EXIT_SOME_FAILED)


def _check_lines(report: CheckReport) -> list[str]:
    """Return the lines ``check`` prints: one per table, then the verdict and what to do."""
    lines = [f"database: {report.path}"]
    if report.error:
        return [*lines, report.error]
    for t in report.tables:
        if t.error:
            lines.append(f"  {t.table:<12} {'-':>9}  DAMAGED: {t.error}")
            continue
        orphans = f", {t.orphans:,} rows whose article is missing" if t.orphans else ""
        lines.append(f"  {t.table:<12} {t.rows or 0:>9,}  ok{orphans}")
    bad = [t.table for t in report.tables if t.error]
    if bad:
        lines.append(
            f"DAMAGED: {len(bad)} of {len(report.tables)} tables cannot be read "
            f"({', '.join(bad)}); {RESTORE} (tables marked ok can still be exported with duckdb)"
        )
    else:
        lines.append("OK: every table was read in full and every block passed its checksum")
    return lines


@main.command("check")
@db_option
def check_cmd(db: str) -> None:
    """Verify a database: read every table in full (checksums), count rows, find orphans.

    Exit status: 0 when the database is sound, 2 when there is none, 3 when it is damaged.
    """
    _need_db(db)
    report = check_database(db)
    for line in _check_lines(report):
        click.echo(line)
    if not report.ok:
        sys.exit(EXIT_RUN_FAILED)
