"""The command line: exit codes, bad input, idempotent processing, queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsevents.cli import main
from newsevents.store import Store

ARTICLE = (
    "Foreign ministers of the two countries met in Vienna on Tuesday. The minister said the "
    "sides had agreed to reopen a border crossing, and police said the protest was peaceful.\n"
)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_help_for_every_command(runner: CliRunner) -> None:
    for command in ([], ["process"], ["extract"], ["statements"], ["events"], ["stats"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output


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


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_commands(runner: CliRunner, tmp_path: Path, sample_corpus: Path, fmt: str) -> None:
    db = str(tmp_path / "n.duckdb")
    runner.invoke(main, ["process", str(sample_corpus / "jsonl"), "--db", db])
    for command in (
        ["statements"],
        ["events"],
        ["statements", "--speaker", "x"],
        ["events", "--actor", "RUS", "--code", "19", "--since", "2024-01-01"],
        ["events", "--code", "assault", "--until", "2030-01-01"],
        ["statements", "--min-confidence", "0.5"],
        ["events", "--min-confidence", "0.5"],
    ):
        result = runner.invoke(main, [*command, "--db", db, "--format", fmt])
        assert result.exit_code == 0, result.output
        if fmt == "json":
            assert isinstance(json.loads(result.stdout), list)
    stats = runner.invoke(main, ["stats", "--db", db])
    assert stats.exit_code == 0 and "articles" in stats.output


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
