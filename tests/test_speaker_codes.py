"""Speaker actor codes: the speaker of a statement as a CAMEO-style actor code."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from newsevents.extract.actors import code_speakers
from newsevents.extract.entities import extract_entities
from newsevents.extract.statements import extract_statements

LAVROV = (
    "Russian Foreign Minister Sergei Lavrov said on Tuesday that talks would resume. "
    "He said Moscow hoped for a dialogue. "
    '"We are ready," Lavrov told reporters. '
    "Analysts said the move was risky."
)


def _codes(nlp: Language, text: str) -> list[tuple[str, str | None]]:
    doc = nlp(text)
    entities = extract_entities(doc)
    found = extract_statements(doc, entities=entities)
    coded = code_speakers(doc, found, entities=entities, published=date(2017, 1, 17))
    assert [s.id for s in coded] == [s.id for s in found]  # same statements, same order
    return [(s.speaker.text, s.speaker.code) for s in coded if s.speaker is not None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the entity's first mention carries the title; "He" and "Lavrov" inherit its code
        (
            LAVROV,
            [
                ("Russian Foreign Minister Sergei Lavrov", "RUSGOV"),
                ("He", "RUSGOV"),
                ("Lavrov", "RUSGOV"),
                ("Analysts", None),  # no country, no code
            ],
        ),
        # a speaker that is no named entity is coded from its own noun phrase
        ("The French police said the protest was peaceful.", [("The French police", "FRACOP")]),
        ("Nobody said anything about the plan, she said.", [("she", None)]),
    ],
)
def test_speaker_codes(nlp: Language, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert _codes(nlp, text) == expected


def test_no_speakers_no_work(nlp: Language) -> None:
    doc = nlp("The weather was mild.")
    assert code_speakers(doc, ()) == ()
