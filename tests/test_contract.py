"""The output contract of ``newsevents extract`` and the Python API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import newsevents
from newsevents.model import Article, article_from_dict

TEXT = (
    "Russian Foreign Minister Sergei Lavrov met his Turkish counterpart in Ankara on Monday. "
    "Lavrov said the two sides would keep talking. The Kremlin welcomed the meeting.\n\n"
    "Later, Lavrov told reporters that Moscow hoped for progress."
)


def _spans(article: Article) -> list[tuple[int, int, str]]:
    d = article.to_dict()
    spans = [(m["start"], m["end"], m["text"]) for e in d["entities"] for m in e["mentions"]]
    for s in d["statements"]:
        for key in ("cue", "content", "speaker"):
            if s[key]:
                spans.append((s[key]["start"], s[key]["end"], s[key]["text"]))
    for e in d["events"]:
        for key in ("trigger", "source", "target"):
            if e[key]:
                spans.append((e[key]["start"], e[key]["end"], e[key]["text"]))
    return spans


def test_offsets_round_trip() -> None:
    article = newsevents.extract(TEXT, published=date(2025, 3, 3))
    assert article.failure is None
    assert article.published == date(2025, 3, 3)
    spans = _spans(article)
    assert spans
    for start, end, text in spans:
        assert article.text[start:end] == text


def test_same_input_same_ids() -> None:
    a = newsevents.extract(TEXT)
    b = newsevents.extract(TEXT)
    assert a.id == b.id
    assert [e.id for e in a.entities] == [e.id for e in b.entities]
    assert newsevents.extract(TEXT + " More.").id != a.id


def test_surname_joins_the_full_name() -> None:
    article = newsevents.extract(TEXT)
    lavrov = [e for e in article.entities if e.name == "Sergei Lavrov"]
    assert len(lavrov) == 1
    assert lavrov[0].label == "PERSON"
    assert len(lavrov[0].mentions) == 3


def test_empty_text_is_a_failure_not_an_exception() -> None:
    article = newsevents.extract("   ")
    assert article.failure is not None and article.failure.stage == "clean"


def test_non_english_is_kept_with_a_reason() -> None:
    text = (
        "Der Außenminister traf am Montag in Ankara seinen türkischen Amtskollegen. Die beiden "
        "Seiten wollen die Gespräche fortsetzen, sagte er vor Journalisten in der Hauptstadt."
    )
    article = newsevents.extract(text)
    assert article.language == "de"
    assert article.failure is not None and article.failure.stage == "language"
    assert article.statements == () and article.events == ()


def test_seed_article_entities(shared: Path) -> None:
    seed = shared / "seed" / "rferl-lavrov-2017-01-17.txt"
    if not seed.exists():
        pytest.skip("seed article not present")
    article = newsevents.extract(seed.read_text(encoding="utf-8"), source_path=seed.name)
    names = {e.name for e in article.entities if e.label == "PERSON"}
    assert names >= {
        "Sergei Lavrov",
        "Donald Trump",
        "Vladimir Putin",
        "Hillary Clinton",
        "Bashar al-Assad",
    }
    assert article.credits == ("With reporting by Reuters, TASS, AFP, and Interfax",)
    assert "Accessibility links" not in article.text
    assert "16x9 Image" not in article.text
    for start, end, text in _spans(article):
        assert article.text[start:end] == text


def test_statement_record_keys_and_round_trip() -> None:
    """Statements carry the documented keys, confidence and speaker code included."""
    article = newsevents.extract(TEXT, published=date(2025, 3, 3))
    statements = article.to_dict()["statements"]
    assert statements
    for s in statements:
        assert set(s) == {
            "id",
            "kind",
            "speaker",
            "cue",
            "content",
            "date",
            "cue_class",
            "about",
            "continuation",
            "confidence",
        }
        assert 0.0 < s["confidence"] <= 1.0
        assert set(s["speaker"]) == {
            "text",
            "start",
            "end",
            "name",
            "entity_id",
            "role",
            "affiliation",
            "code",
            "resolved",
            "identity",
        }
    assert {s["speaker"]["code"] for s in statements} == {"RUSGOV"}
    assert article_from_dict(article.to_dict()).statements == article.statements
