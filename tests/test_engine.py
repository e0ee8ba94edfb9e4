"""The local engine: workers, crash isolation, kill-and-rerun."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsevents
import newsevents.pipeline
from newsevents.store import Store

TOPICS = ["Geneva", "Vienna", "Ankara", "Nairobi", "Jakarta", "Lima", "Oslo", "Hanoi"]


def _corpus(root: Path, n: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        city = TOPICS[i % len(TOPICS)]
        (root / f"2025-01-{i % 28 + 1:02d}-story-{i}.txt").write_text(
            f"Envoys met in {city} on Monday for round {i} of talks on a truce. "
            f"Minister Anna Berg said the round {i} talks were useful. Police in {city} "
            f"detained {i + 2} protesters outside the venue, officials said.\n"
        )
    return root


def _rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store(db, read_only=True) as store:
        return {
            "articles": store.con.execute("SELECT id FROM articles ORDER BY id").fetchall(),
            "entities": store.con.execute(
                "SELECT article_id, id FROM entities ORDER BY ALL"
            ).fetchall(),
            "mentions": store.con.execute(
                'SELECT article_id, "start", "end" FROM mentions ORDER BY ALL'
            ).fetchall(),
            "failures": store.con.execute("SELECT input FROM failures ORDER BY ALL").fetchall(),
        }


def test_two_workers_equal_one(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 12)
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    r1 = newsevents.process([corpus], db=one, workers=1)
    r2 = newsevents.process([corpus], db=two, workers=2)
    assert r1.stored == r2.stored == 12
    assert _rows(one) == _rows(two)


def _crash_on_marker(article: newsevents.Article, *args: object) -> newsevents.Article:
    if "CRASH-ME" in article.text:
        os._exit(3)  # a worker dying hard, as on a segfault
    return _real_annotate(article, *args)  # type: ignore[arg-type]


_real_annotate = newsevents.pipeline.annotate_article


def test_worker_crash_costs_one_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "in", 8)
    (corpus / "bad.txt").write_text("This article makes the worker die: CRASH-ME. It is long.\n")
    monkeypatch.setattr(newsevents.pipeline, "annotate_article", _crash_on_marker)
    db = tmp_path / "n.duckdb"
    report = newsevents.process([corpus], db=db, workers=2)
    assert report.stored == 8
    assert [(Path(f.input).name, f.stage) for f in report.failures] == [("bad.txt", "worker")]
    assert len(_rows(db)["failures"]) == 1


def _cli(corpus: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NEWSEVENTS_BATCH_SIZE": "2"}
    return subprocess.Popen(
        [sys.executable, "-m", "newsevents", "process", str(corpus), "--db", str(db), "-w", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_kill_and_rerun_equals_uninterrupted_run(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "in", 60)
    whole = tmp_path / "whole.duckdb"
    started = time.monotonic()
    assert _cli(corpus, whole).wait(timeout=300) == 0
    duration = time.monotonic() - started

    killed = tmp_path / "killed.duckdb"
    for fraction in (0.6, 0.8):
        proc = _cli(corpus, killed)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert _cli(corpus, killed).wait(timeout=300) == 0
    assert _rows(killed) == _rows(whole)
