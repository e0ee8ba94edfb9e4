"""Document-level entity consistency: one entity per referent, with all its mentions."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsevents.extract.entities import extract_entities
from newsevents.extract.statements import extract_statements

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


def _retag(doc: Doc, tags: list[tuple[str, int, str]]) -> Doc:
    """Set the document's entities to (surface, occurrence, label), as a model might tag them."""
    spans = []
    for surface, nth, label in tags:
        start = -1
        for _ in range(nth + 1):
            start = doc.text.index(surface, start + 1)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None
        spans.append(span)
    doc.ents = spans
    return doc


APPOSED = (
    "The Harbour Authority's deputy director general, Mirela Voss, told reporters on Monday "
    'that the northern pier would reopen. "We are ready for the winter," Voss said.'
)


def test_surname_tagged_person_makes_full_name_person(nlp: Language) -> None:
    """A full name tagged ORG whose surname is tagged PERSON elsewhere is one person."""
    doc = _retag(
        nlp(APPOSED),
        [("Harbour Authority", 0, "ORG"), ("Mirela Voss", 0, "ORG"), ("Voss", 1, "PERSON")],
    )
    entities = extract_entities(doc)
    person = next(e for e in entities if e.name == "Mirela Voss")
    assert person.label == "PERSON"
    assert {m.text for m in person.mentions} == {"Mirela Voss", "Voss"}
    assert not any(e.name == "Voss" for e in entities)


def test_apposed_speaker_resolves_to_person(nlp: Language) -> None:
    """The speaker of a role-noun apposition is named by the person, with role and affiliation."""
    doc = _retag(
        nlp(APPOSED),
        [("Harbour Authority", 0, "ORG"), ("Mirela Voss", 0, "ORG"), ("Voss", 1, "PERSON")],
    )
    entities = extract_entities(doc)
    statements = extract_statements(doc, entities=entities)
    speakers = [s.speaker for s in statements]
    assert len(speakers) == 2
    assert {s.name for s in speakers} == {"Mirela Voss"}
    assert len({s.entity_id for s in speakers}) == 1
    assert speakers[0].role == "deputy director general"
    assert speakers[0].affiliation == "Harbour Authority"


def test_org_with_person_word_not_merged(nlp: Language) -> None:
    """A name whose last word is not a tagged person stays what the model said."""
    doc = _retag(
        nlp("Ilse Brandt met the Brandt Foundation in Oslo. Brandt said the grant was approved."),
        [("Ilse Brandt", 0, "PERSON"), ("Brandt Foundation", 0, "ORG"), ("Brandt", 2, "PERSON")],
    )
    labels = {e.name: e.label for e in extract_entities(doc)}
    assert labels["Brandt Foundation"] == "ORG"
    assert labels["Ilse Brandt"] == "PERSON"
