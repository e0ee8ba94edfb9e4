"""The command line: exit codes, bad input, idempotent processing, loading, queries."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import click
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from newsevents import Actor, Article, Entity, Event, Failure, Mention, Span, Stage, Statement
from newsevents.cli import main
from newsevents.engines.ray_engine import OUTPUT_SCHEMA, UNDATED
from newsevents.model import Speaker, make_id
from newsevents.store import Store

ARTICLE = (
    "Foreign ministers of the two countries met in Vienna on Tuesday. The minister said the "
    "sides had agreed to reopen a border crossing, and police said the protest was peaceful.\n"
)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_help_for_every_command(runner: CliRunner) -> None:
    top = runner.invoke(main, ["--help"])
    assert top.exit_code == 0, top.output
    assert {"process", "load", "extract", "statements", "events", "stats", "serve"} <= set(
        main.commands
    )
    for name, command in main.commands.items():
        assert name in top.output
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert f"Usage: main {name}" in result.output
        options = [o for p in command.params if isinstance(p, click.Option) for o in p.opts]
        assert options, name
        for option in options:
            assert option in result.output, (name, option)


def test_process_sample_corpus_twice_same_counts(
    runner: CliRunner, tmp_path: Path, sample_corpus: Path
) -> None:
    db = str(tmp_path / "n.duckdb")
    first = runner.invoke(main, ["process", str(sample_corpus), "--db", db])
    assert first.exit_code == 0, first.output
    with Store(db, read_only=True) as store:
        counts = store.counts()
    second = runner.invoke(main, ["process", str(sample_corpus), "--db", db])
    assert second.exit_code == 0
    assert "already stored" in second.output
    with Store(db, read_only=True) as store:
        assert store.counts() == counts
    assert counts["articles"] >= 10
    assert counts["entities"] > 0 and counts["mentions"] >= counts["entities"]
    assert counts["failures"] == 0


def test_bad_inputs_exit_1_and_keep_the_rest(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ARTICLE)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\xff\x00")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9")
    (tmp_path / "huge.txt").write_bytes(b"word " * 1_200_000)
    db = str(tmp_path / "n.duckdb")
    result = runner.invoke(
        main, ["process", str(tmp_path), str(tmp_path / "missing.txt"), "--db", db]
    )
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr and "binary" in result.stderr
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 1
        failures = {Path(f["input"]).name: f["reason"] for f in store.failures()}
    assert set(failures) == {"empty.txt", "binary.txt", "bad.txt", "huge.txt", "missing.txt"}


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(main, ["process"]).exit_code == 2
    assert runner.invoke(main, ["statements", "--min-confidence", "2"]).exit_code == 2
    assert runner.invoke(main, ["process", "x.txt", "--published", "17/01/2017"]).exit_code == 2
    assert runner.invoke(main, ["nonsense"]).exit_code == 2
    missing_db = str(tmp_path / "none.duckdb")
    assert runner.invoke(main, ["stats", "--db", missing_db]).exit_code == 2


def test_stdin(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "n.duckdb")
    result = runner.invoke(main, ["process", "-", "--db", db], input=ARTICLE)
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 1


def test_extract_json_contract(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "2025-03-04-vienna.txt"
    path.write_text("Skip to main content\n\n" + ARTICLE)
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    article = json.loads(result.stdout)
    for key in (
        "id",
        "source_path",
        "url",
        "title",
        "published",
        "language",
        "text",
        "credits",
        "failure",
        "entities",
        "statements",
        "events",
    ):
        assert key in article
    assert article["published"] == "2025-03-04"
    assert "Skip to main content" not in article["text"]
    assert {e["name"] for e in article["entities"]} >= {"Vienna"}


def test_extract_no_clean_offsets_point_into_file(runner: CliRunner, tmp_path: Path) -> None:
    raw = "Skip to main content\n\n" + ARTICLE
    path = tmp_path / "a.txt"
    path.write_text(raw)
    result = runner.invoke(main, ["extract", "--no-clean", "--published", "2025-03-04", str(path)])
    article = json.loads(result.stdout)
    assert article["text"] == raw
    for entity in article["entities"]:
        for m in entity["mentions"]:
            assert raw[m["start"] : m["end"]] == m["text"]


def test_extract_failure_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(main, ["extract", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert "empty" in result.stderr


@pytest.fixture(scope="module")
def wire_db(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> str:
    """A database of the sample corpus's JSON Lines articles."""
    db = str(tmp_path_factory.mktemp("cli") / "wire.duckdb")
    result = CliRunner().invoke(main, ["process", str(sample_corpus / "jsonl"), "--db", db])
    assert result.exit_code == 0, result.output
    return db


def _expected(db: str, table: str, where: str, params: list[Any]) -> list[str]:
    with Store(db, read_only=True) as store:
        rows = store.query(
            f"SELECT t.id FROM {table} t JOIN articles a ON a.id = t.article_id WHERE {where}",
            params,
        )
    return sorted(str(r["id"]) for r in rows)


def _query_cases(db: str) -> list[tuple[list[str], str, str, list[Any]]]:
    """Query commands with the SQL of the rows each must show, on values from the database."""
    with Store(db, read_only=True) as store:
        speaker = store.query("SELECT speaker_name FROM statements WHERE speaker_name NOTNULL")
        event = store.query(
            "SELECT source_code, cameo_root, plover_type FROM events "
            "WHERE source_code NOTNULL AND plover_type NOTNULL ORDER BY id LIMIT 1"
        )
    assert speaker and event, "the sample corpus gives statements and coded events"
    name = str(speaker[0]["speaker_name"]).split()[-1]
    actor, root, plover = (str(event[0][k]) for k in ("source_code", "cameo_root", "plover_type"))
    day = "coalesce(t.date, a.published)"
    return [
        (["statements"], "statements", "TRUE", []),
        (["events"], "events", "TRUE", []),
        (
            ["statements", "--speaker", name.lower()],
            "statements",
            "(t.speaker_name ILIKE ? OR t.speaker_text ILIKE ?)",
            [f"%{name}%"] * 2,
        ),
        (
            ["events", "--actor", actor[:3], "--code", root, "--since", "2000-01-01"],
            "events",
            f"(t.source_code LIKE ? OR t.target_code LIKE ?) AND t.cameo LIKE ? AND {day} >= ?",
            [f"{actor[:3]}%", f"{actor[:3]}%", f"{root}%", date(2000, 1, 1)],
        ),
        (
            ["events", "--code", plover.lower(), "--until", "2000-01-01"],
            "events",
            f"t.plover_type = ? AND {day} <= ?",
            [plover, date(2000, 1, 1)],
        ),
        (["events", "--code", plover.lower()], "events", "t.plover_type = ?", [plover]),
        (["statements", "--min-confidence", "0.5"], "statements", "t.confidence >= 0.5", []),
        (["events", "--min-confidence", "0.5"], "events", "t.confidence >= 0.5", []),
    ]


def test_query_commands_show_the_matching_rows(runner: CliRunner, wire_db: str) -> None:
    nonempty = 0
    for command, table, where, params in _query_cases(wire_db):
        expected = _expected(wire_db, table, where, params)
        nonempty += bool(expected)
        args = [*command, "--db", wire_db, "--limit", "500"]
        as_json = runner.invoke(main, [*args, "--format", "json"])
        assert as_json.exit_code == 0, (command, as_json.output)
        rows = json.loads(as_json.stdout)
        assert sorted(r["id"] for r in rows) == expected, command
        dates = [r["date"] for r in rows if r["date"]]
        assert dates == sorted(dates, reverse=True), command  # newest first
        as_csv = runner.invoke(main, [*args, "--format", "csv"])
        assert as_csv.exit_code == 0, (command, as_csv.output)
        csv_rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
        assert [r["id"] for r in csv_rows] == [r["id"] for r in rows], command
        if rows:
            assert csv_rows[0]["date"] == (rows[0]["date"] or "")
        table_out = runner.invoke(main, [*args, "--format", "table"])
        assert table_out.exit_code == 0, (command, table_out.output)
        lines = table_out.stdout.splitlines()
        assert lines[0].split()[0] == "date" and lines[-1] == f"({len(rows)} rows)", command
        assert len(lines) == len(rows) + 2
        for line, row in zip(lines[1:-1], rows, strict=True):
            assert line.startswith(row["date"] or " "), (command, line)
    assert nonempty >= 5  # the cases select rows, so a filter that drops all of them fails


def test_query_limit(runner: CliRunner, wire_db: str) -> None:
    result = runner.invoke(
        main, ["statements", "--db", wire_db, "--limit", "1", "--format", "json"]
    )
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "--code", "NOPE"], "unknown PLOVER type 'NOPE'"),
        (["events", "--code", "999"], "unknown CAMEO code '999'"),
        (["events", "--actor", "RUS GOV"], "not an actor code"),
        (["statements", "--since", "2025-13-01"], "is not a date"),
        (["statements", "--since", "2025-05-01", "--until", "2025-01-01"], "is after until"),
        (["statements", "--min-confidence", "2"], "from 0 to 1"),
    ],
)
def test_bad_query_filters_are_usage_errors(
    runner: CliRunner, wire_db: str, args: list[str], message: str
) -> None:
    result = runner.invoke(main, [*args, "--db", wire_db])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_stats_command(runner: CliRunner, wire_db: str) -> None:
    result = runner.invoke(main, ["stats", "--db", wire_db])
    assert result.exit_code == 0, result.output
    with Store(wire_db, read_only=True) as store:
        counts = store.counts()
    assert f"  articles    {counts['articles']:>8,}" in result.output
    assert f"  statements  {counts['statements']:>8,}" in result.output
    assert "fingerprints" not in result.output
    assert "top speakers:" in result.output and "top event roots (CAMEO):" in result.output


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


def _actor(text: str, part: str, code: str) -> Actor:
    span = _span(text, part)
    return Actor(part, span.start, span.end, part, code=code)


def _parquet_article(n: int) -> Article:
    """An article with an entity, a statement and an event, as the Ray engine's rows hold it."""
    text = f"Jane Roe said the talks would go on. Police arrested {n} protesters."
    name = _span(text, "Jane Roe")
    entity = Entity(
        make_id("entity", "PERSON", "Jane Roe"),
        "Jane Roe",
        "PERSON",
        (Mention(name.start, name.end, name.text),),
    )
    statement = Statement(
        id=make_id("statement", n),
        kind="indirect",
        speaker=Speaker(name.text, name.start, name.end, "Jane Roe", entity_id=entity.id),
        cue=_span(text, "said"),
        content=_span(text, "the talks would go on."),
        date=date(2025, 1, n),
        confidence=0.9,
    )
    sentence = _span(text, f"Police arrested {n} protesters.")
    event = Event(
        id=make_id("event", n),
        cameo="173",
        plover_type="COERCE",
        plover_mode=None,
        quad_class=4,
        goldstein=-5.0,
        source=_actor(text, "Police", "COP"),
        target=_actor(text, "protesters", "CVL"),
        trigger=_span(text, "arrested"),
        sentence_start=sentence.start,
        sentence_end=sentence.end,
        date=date(2025, 1, n),
        location=None,
        modality="asserted",
        attributed_to=None,
        confidence=0.8,
    )
    return Article(
        id=make_id("article", n),
        source_path=f"story-{n}.txt",
        text=text,
        published=date(2025, 1, n),
        language="en",
        entities=(entity,),
        statements=(statement,),
        events=(event,),
        fingerprint=(n, 1000 + n),
    )


def _write_parquet(out: Path, items: list[Article | Failure]) -> None:
    """Write rows the way the Ray engine does: OUTPUT_SCHEMA, partitioned by publication date."""
    rows = []
    for item in items:
        if isinstance(item, Failure):
            record = {"input": item.input, "stage": item.stage, "reason": item.reason}
            published = UNDATED
        else:
            record = {**item.to_dict(), "fingerprint": list(item.fingerprint)}
            published = item.published.isoformat() if item.published else UNDATED
        rows.append(
            {
                "kind": "failure" if isinstance(item, Failure) else "article",
                "id": item.id,
                "published": published,
                "record": json.dumps(record),
            }
        )
    table = pa.Table.from_pylist(rows, schema=OUTPUT_SCHEMA)
    pq.write_to_dataset(table, str(out), partition_cols=["published"])


def test_load_parquet_output(runner: CliRunner, tmp_path: Path) -> None:
    articles = [_parquet_article(n) for n in (1, 2)]
    failure = Failure("broken.txt", Stage.READ, "the input is empty")
    out, db = tmp_path / "out", str(tmp_path / "n.duckdb")
    _write_parquet(out, [*articles, failure])
    assert {p.name for p in out.iterdir()} == {
        "published=2025-01-01",
        "published=2025-01-02",
        f"published={UNDATED}",
    }
    result = runner.invoke(main, ["load", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"loaded 2 articles and 1 failures into {db}"
    with Store(db, read_only=True) as store:
        counts = store.counts()
        stored = store.query("SELECT id, published, text FROM articles ORDER BY published")
        said = store.query("SELECT article_id, speaker_name, content_text FROM statements")
        done = store.query("SELECT article_id, cameo, source_code, target_code FROM events")
        failed = store.failures()
    assert [(r["id"], r["published"], r["text"]) for r in stored] == [
        (a.id, a.published, a.text) for a in articles
    ]
    assert sorted((r["article_id"], r["speaker_name"], r["content_text"]) for r in said) == sorted(
        (a.id, "Jane Roe", "the talks would go on.") for a in articles
    )
    assert sorted(
        (r["article_id"], r["cameo"], r["source_code"], r["target_code"]) for r in done
    ) == sorted((a.id, "173", "COP", "CVL") for a in articles)
    assert [(f["input"], f["stage"], f["reason"]) for f in failed] == [
        ("broken.txt", "read", "the input is empty")
    ]
    assert counts["entities"] == counts["mentions"] == 2 and counts["fingerprints"] == 4
    again = runner.invoke(main, ["load", str(out), "--db", db])
    assert again.exit_code == 0, again.output
    with Store(db, read_only=True) as store:
        assert store.counts() == counts


def test_load_needs_a_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["load", str(tmp_path / "none"), "--db", str(tmp_path / "n.duckdb")]
    )
    assert result.exit_code == 2


def test_user_actor_dictionary(runner: CliRunner, tmp_path: Path) -> None:
    actors = tmp_path / "actors.yaml"
    actors.write_text(
        "actors:\n  - names: [Marta Quill, Quill]\n"
        "    codes:\n      - {code: FRAOPP, start: 2020-01-01}\n"
    )
    text = tmp_path / "a.txt"
    text.write_text(
        "Marta Quill condemned the government of Germany on Monday over border rules.\n"
    )
    args = ["extract", "--no-clean", "--published", "2025-03-04", str(text)]
    plain = json.loads(runner.invoke(main, args).stdout)
    coded = json.loads(runner.invoke(main, [*args, "--actors", str(actors)]).stdout)
    assert [e["source"]["code"] for e in coded["events"]] == ["FRAOPP"]
    assert [e["source"]["code"] for e in plain["events"]] != ["FRAOPP"]


def test_non_english_article_is_stored_and_exit_is_0(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "de.txt").write_text(
        "Der Außenminister traf am Montag in Ankara seinen türkischen Amtskollegen. Die beiden "
        "Seiten wollen die Gespräche fortsetzen, sagte er vor Journalisten in der Hauptstadt.\n"
    )
    db = str(tmp_path / "n.duckdb")
    result = runner.invoke(main, ["process", str(tmp_path), "--db", db])
    assert result.exit_code == 0, result.output
    assert "not English" in result.stderr
    with Store(db, read_only=True) as store:
        rows = store.query("SELECT language FROM articles")
        assert rows == [{"language": "de"}]
        assert [f["stage"] for f in store.failures()] == ["language"]
    # `extract` agrees (regression: it exited 1): the article is output, not a failure
    extracted = runner.invoke(main, ["extract", str(tmp_path / "de.txt")])
    assert extracted.exit_code == 0, extracted.output
    assert json.loads(extracted.stdout)["language"] == "de"
    assert "not English" in extracted.stderr
