"""The Ray engine on a local 2-CPU Ray instance gives the same records as the local engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import newsevents
from newsevents.store import Store

ray = pytest.importorskip("ray", reason="the Ray path needs `pip install newsevents[ray]`")

STORIES = [
    "Foreign Minister Anna Berg said on Monday that talks with Norway would resume in Oslo. "
    '"We are ready," she told reporters.',
    "Police in Nairobi arrested 40 protesters on Tuesday, officials said. The government "
    "accused the opposition of inciting violence.",
    "The European Union imposed sanctions on Iran on Wednesday over drone deliveries, "
    "according to a statement from Brussels.",
    "Turkey and Greece agreed on Thursday to set up a military hotline, Turkish Defence "
    "Minister Kemal Ozturk said.",
]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _records(db: Path) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "articles": "SELECT id, published, title, text, language FROM articles",
        "entities": "SELECT article_id, id, name, label, n_mentions FROM entities",
        "mentions": 'SELECT article_id, entity_id, "start", "end" FROM mentions',
        "statements": "SELECT id, speaker_name, cue_text, content_text, date FROM statements",
        "events": "SELECT id, cameo, source_code, target_code, trigger_text, date FROM events",
        "failures": "SELECT input, stage FROM failures",
    }
    with Store(db, read_only=True) as store:
        return {k: sorted(store.con.execute(q).fetchall(), key=repr) for k, q in queries.items()}


@pytest.mark.slow
def test_ray_output_equals_local(tmp_path: Path, local_ray: None) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i, story in enumerate(STORIES):
        (corpus / f"2025-02-{i + 1:02d}-story.txt").write_text(story + "\n")
    (corpus / "empty.txt").write_text("")
    local_db, ray_db, out = tmp_path / "local.duckdb", tmp_path / "ray.duckdb", tmp_path / "out"
    newsevents.process([corpus], db=local_db, workers=1)
    rows = newsevents.process_on_ray([corpus], out, workers=2)
    assert rows == len(STORIES) + 1
    assert any(p.name.startswith("published=2025-02-") for p in out.iterdir())
    report = newsevents.load(out, db=ray_db)
    assert report.stored == len(STORIES)
    assert _records(ray_db) == _records(local_db)
    assert _records(ray_db)["statements"]
    # loading again changes nothing
    newsevents.load(out, db=ray_db)
    assert _records(ray_db) == _records(local_db)
    # known identities given to load name the speakers of what it loads
    speaker = next(r[1] for r in _records(ray_db)["statements"] if r[1])
    known = tmp_path / "known.csv"
    known.write_text(f"id,name\nK1,{speaker}\n", encoding="utf-8")
    named_db = tmp_path / "named.duckdb"
    newsevents.load(out, db=named_db, identities=known)
    with Store(named_db, read_only=True) as store:
        ids = store.con.execute(
            "SELECT DISTINCT speaker_identity FROM statements WHERE speaker_name = ?", [speaker]
        ).fetchall()
    assert ids == [("K1",)]
