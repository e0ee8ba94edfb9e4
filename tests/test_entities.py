"""Document-level entity consistency: one entity per referent, with all its mentions."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsevents.extract.entities import extract_entities

# (text, person's full name, mention texts the person must have)
CASES = [
    (
        "Minister Ulf Berglund arrived on Monday. Berglund said the border would stay open.",
        "Ulf Berglund",
        ["Ulf Berglund", "Berglund"],
    ),
    (
        "Katrin Holm met voters in Bergen. Later, Holm spoke to the press about Holm's plan.",
        "Katrin Holm",
        ["Katrin Holm", "Holm"],
    ),
]


@pytest.mark.parametrize(("text", "name", "mentions"), CASES)
def test_person_merged(nlp: Language, text: str, name: str, mentions: list[str]) -> None:
    """Surnames join the full name, and the entity is a person."""
    entities = extract_entities(nlp(text))
    person = next(e for e in entities if e.name == name)
    assert person.label == "PERSON"
    found = {m.text for m in person.mentions}
    assert set(mentions) <= found
    for m in person.mentions:
        assert text[m.start : m.end] == m.text


def test_title_makes_person(nlp: Language) -> None:
    """A name right after a title is a person even when the model tags it otherwise."""
    entities = extract_entities(
        nlp("Foreign Minister Ulf Berglund said the border would stay open.")
    )
    assert any(e.name == "Ulf Berglund" and e.label == "PERSON" for e in entities)


def test_ids_stable(nlp: Language) -> None:
    """Entity ids depend on content only."""
    text = "Katrin Holm met voters in Bergen."
    assert [e.id for e in extract_entities(nlp(text))] == [
        e.id for e in extract_entities(nlp(text))
    ]
