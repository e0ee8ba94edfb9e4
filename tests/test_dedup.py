"""Syndicated copies are linked to their first copy; different stories are not."""

from __future__ import annotations

import json
from pathlib import Path

import newsevents
from newsevents.dedup import fingerprint, link_copies
from newsevents.model import Article
from newsevents.store import Store

STORY = " ".join(
    f"Sentence {i} of the wire story says that envoys met in Geneva to discuss item {i} today."
    for i in range(30)
)
OTHER = " ".join(
    f"Line {i}: farmers blocked roads near Lyon on Friday over fuel taxes and import rules {i}."
    for i in range(30)
)


def _article(id_: str, text: str) -> Article:
    return Article(id=id_, source_path=id_, text=text, fingerprint=fingerprint(text))


def test_copy_with_different_furniture_is_linked() -> None:
    copy = "Example Wire headline\n\n" + STORY.replace("today", "today", 1) + " Editing by X."
    a, b, c = link_copies([_article("a", STORY), _article("b", copy), _article("c", OTHER)], {})
    assert a.duplicate_of is None
    assert b.duplicate_of == "a"
    assert c.duplicate_of is None


def test_short_texts_have_no_fingerprint() -> None:
    assert fingerprint("Too short to compare.") == ()


def test_copy_is_linked_across_runs(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(STORY)
    (tmp_path / "two.txt").write_text("Breaking News\n\n" + STORY + "\n\nExtra closing line here.")
    db = Store(tmp_path / "n.duckdb")
    newsevents.process([tmp_path / "one.txt"], db=db)
    newsevents.process([tmp_path / "two.txt"], db=db)
    rows = db.query("SELECT source_path, duplicate_of FROM articles ORDER BY source_path")
    ids = db.query("SELECT id FROM articles WHERE source_path LIKE '%one.txt'")
    assert rows[0]["duplicate_of"] is None
    assert rows[1]["duplicate_of"] == ids[0]["id"]
    db.close()


def test_same_text_under_two_urls_keeps_both_records(tmp_path: Path) -> None:
    """Regression: statement ids of syndicated copies collided in the store."""
    body = (
        'Foreign Minister Anna Berg said that the border crossing would reopen. "Soon," she said.'
    )
    lines = [json.dumps({"text": body, "url": f"https://outlet{i}.test/story"}) for i in range(2)]
    (tmp_path / "copies.jsonl").write_text("\n".join(lines))
    with Store(tmp_path / "n.duckdb") as db:
        report = newsevents.process([tmp_path / "copies.jsonl"], db=db)
        assert report.ok and report.stored == 2
        counts = db.counts()
    assert counts["statements"] >= 2 and counts["statements"] % 2 == 0
