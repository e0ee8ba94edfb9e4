"""The DuckDB store: idempotent batch writes, failures, queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from newsevents import Stage
from newsevents.errors import StoreError
from newsevents.filters import Filters
from newsevents.model import Article, Entity, Failure, Mention, Span, Speaker, Statement, make_id
from newsevents.store import Store
from newsevents.store_queries import Queries


def _article(n: int, text: str = "Officials said the talks would go on.") -> Article:
    body = f"{text} ({n})"
    entity = Entity(
        id=make_id("entity", "PERSON", "Jane Roe"),
        name="Jane Roe",
        label="PERSON",
        mentions=(Mention(0, 9, body[0:9]),),
    )
    statement = Statement(
        id=make_id("statement", n),
        kind="indirect",
        speaker=Speaker(
            text=body[0:9],
            start=0,
            end=9,
            name="Jane Roe",
            entity_id=entity.id,
            code="FRAGOV" if n % 2 else None,
        ),
        cue=Span(10, 14, body[10:14]),
        content=Span(15, 20, body[15:20]),
        date=date(2025, 1, n % 28 + 1),
        cue_class="assert",
        confidence=round(0.1 * n, 3),
    )
    return Article(
        id=make_id("article", n),
        source_path=f"a{n}.txt",
        text=body,
        published=date(2025, 1, n % 28 + 1),
        language="en",
        entities=(entity,),
        statements=(statement,),
    )


def test_write_is_idempotent(store: Store) -> None:
    batch = [_article(i) for i in range(5)]
    assert store.write(batch) == 5
    first = store.counts()
    store.write(batch)
    store.write(batch[:2])
    assert store.counts() == first
    assert first["articles"] == 5 and first["statements"] == 5 and first["mentions"] == 5


def test_same_article_twice_in_one_batch_is_one_row(store: Store) -> None:
    store.write([_article(1), _article(1)])
    assert store.counts()["articles"] == 1


def test_rewrite_replaces_records(store: Store) -> None:
    store.write([_article(1)])
    changed = _article(1)
    store.write([replace(changed, statements=())])
    assert store.counts()["statements"] == 0


def test_failed_articles_are_not_stored(store: Store) -> None:
    bad = replace(_article(1), failure=Failure("a1.txt", Stage.EXTRACT, "boom"))
    assert store.write([bad]) == 0
    assert store.counts()["articles"] == 0


def test_failures_are_recorded_once(store: Store) -> None:
    failures = [Failure("x.txt", Stage.READ, "the input is empty")] * 3
    store.record_failures(failures)
    store.record_failures(failures)
    rows = store.failures()
    assert len(rows) == 1
    assert (rows[0]["stage"], rows[0]["reason"]) == ("read", "the input is empty")


@pytest.mark.parametrize(
    ("speaker", "since", "until", "expected"),
    [
        (None, None, None, 5),
        ("jane", None, None, 5),
        ("nobody", None, None, 0),
        (None, date(2025, 1, 3), None, 3),
        (None, None, date(2025, 1, 2), 2),
    ],
)
def test_statement_filters(
    store: Store, speaker: str | None, since: date | None, until: date | None, expected: int
) -> None:
    store.write([_article(i) for i in range(5)])
    page = Queries(store).statements(Filters(speaker=speaker, since=since, until=until))
    assert len(page.rows) == page.total == expected


@pytest.mark.parametrize(
    ("least", "expected"), [(None, 5), (0.0, 5), (0.25, 2), (0.4, 1), (0.9, 0)]
)
def test_confidence_filter(store: Store, least: float | None, expected: int) -> None:
    store.write([_article(i) for i in range(5)])  # confidences 0.0, 0.1, 0.2, 0.3, 0.4
    page = Queries(store).statements(Filters(min_confidence=least))
    assert page.total == expected
    assert all(least is None or r["confidence"] >= least for r in page.rows)


def test_database_from_before_confidence_is_upgraded(tmp_path: Path) -> None:
    """A file whose statements table has no confidence column opens, read-only too."""
    path = tmp_path / "old.duckdb"
    with Store(path) as db:
        db.write([_article(1)])
        db.con.execute("ALTER TABLE statements DROP COLUMN confidence")
        db.con.execute("ALTER TABLE statements DROP COLUMN speaker_code")
    with Store(path, read_only=True) as db:
        rows = Queries(db).statements(Filters()).rows
        assert len(rows) == 1 and rows[0]["confidence"] is rows[0]["speaker_code"] is None
    with Store(path) as db:
        db.write([_article(2)])
        assert Queries(db).statements(Filters(min_confidence=0.2)).total == 1


@pytest.mark.parametrize(
    ("actor", "expected"), [("FRA", 2), ("FRAGOV", 2), ("FRAGOVX", 0), ("USA", 0)]
)
def test_statements_by_speaker_code(store: Store, actor: str, expected: int) -> None:
    store.write([_article(i) for i in range(5)])  # odd ones said by FRAGOV
    page = Queries(store).statements(Filters(actor=actor))
    assert page.total == expected
    assert all(r["speaker_code"] == "FRAGOV" for r in page.rows)


def test_all_ids(store: Store) -> None:
    store.write([_article(1)])
    assert store.all_ids() == {_article(1).id}


def test_stats(store: Store) -> None:
    store.write([_article(i) for i in range(3)])
    stats = store.stats()
    assert stats.counts == store.counts() and stats.counts["statements"] == 3
    assert stats.top_speakers == [("Jane Roe", 3)] and stats.top_event_roots == []
    assert stats.date_range == (date(2025, 1, 1), date(2025, 1, 3))


def test_file_store_persists(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    with Store(path) as db:
        db.write([_article(1)])
    with Store(path, read_only=True) as db:
        assert db.counts()["articles"] == 1


def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(tmp_path / "missing-dir" / "x.duckdb")


def test_ids_are_stable() -> None:
    assert make_id("article", "u", "t") == make_id("article", "u", "t")
    assert make_id("article", "u", "t") != make_id("article", "u", "t2")


def test_failed_write_leaves_the_store_consistent(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails midway (e.g. disk full) stores nothing of its batch."""
    store.write([_article(1)])
    before = store.counts()
    real_insert = store._insert

    def insert(table: str, rows: list[dict[str, object]]) -> None:
        if table == "statements":
            raise duckdb.IOException("No space left on device")
        real_insert(table, rows)

    monkeypatch.setattr(store, "_insert", insert)
    with pytest.raises(StoreError, match="nothing of this batch was stored"):
        store.write([_article(2), replace(_article(1), title="changed")])
    assert store.counts() == before
    assert store.query("SELECT title FROM articles") == [{"title": None}]
