"""Pronouns and descriptions resolved through the document (issue 18), one case per rule.

Every sentence is written for these tests. A mention is resolved as a statement's speaker would
be (``SpeakerResolver.resolve`` on its tokens); the expected name is the person's or body's.
"""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newsevents.extract.entities import extract_entities
from newsevents.extract.statements.lexicon import lexicon
from newsevents.extract.statements.speakers import SpeakerResolver
from newsevents.model import Speaker


def _resolve(doc: Doc, mention: str, nth: int = -1) -> Speaker:
    """Resolve the nth occurrence (by default the last) of the mention in the document."""
    text = doc.text
    starts = [i for i in range(len(text)) if text.startswith(mention, i)]
    at = starts[nth]
    span = doc.char_span(at, at + len(mention))
    assert span is not None, mention
    resolver = SpeakerResolver(doc, extract_entities(doc), lexicon())
    return resolver.resolve(span.start, span.end)


# (text, mention, which occurrence, expected name or None for unresolved)
CASES = [
    # a pronoun linked before counts as a mention of its person for the next pronoun: the
    # subject "she" of each clause stays with the architect, not the queen named in between
    (
        "Marta Kowalski opened her studio in Leeds in 1994. Her buildings won prizes in Spain "
        "and Japan. In 2012 she was made a dame by Queen Elena, and in 2015 she won the gold "
        "medal. She died in 2016.",
        "She",
        -1,
        "Marta Kowalski",
    ),
    # a gendered pronoun marks its person's gender: later "she" skips the man
    (
        "Tomas Berg met Clara Diaz in 1990. He was a painter. Tomas Berg and Clara Diaz "
        "travelled to Peru. Berg wrote a book there. Later she taught in Lima.",
        "she",
        -1,
        "Clara Diaz",
    ),
    # parallelism: a subject pronoun goes to the previous subject, not the nearer object
    (
        "Maria Lopez thanked Clara Diaz on Monday. She said the money would arrive soon.",
        "She",
        -1,
        "Maria Lopez",
    ),
    # reflexives: the clause's subject, or the noun the pronoun stresses
    ("Omar Haddad taught himself Japanese in the army.", "himself", -1, "Omar Haddad"),
    ("Helen Parker herself wrote to the court.", "herself", -1, "Helen Parker"),
    # "its" is an organisation's
    (
        "The Harbour Board met on Monday. The Harbour Board said its budget would fall.",
        "its",
        -1,
        "Harbour Board",
    ),
    # a description followed by the name it introduces is that name
    (
        "Her project was inspired by the works of the Russian painter Ilya Volkov.",
        "the Russian painter",
        -1,
        "Ilya Volkov",
    ),
    (
        "For the appellant, Harbour Shipping Corporation: Jane Doe and Tom Price.",
        "the appellant",
        -1,
        "Harbour Shipping Corporation",
    ),
    # a description repeating the noun a name was introduced with is that name
    (
        "The exhibition opened with works by the painter Ilya Volkov. Critics praised the "
        "colours. The painter said he had worked on them for ten years.",
        "The painter",
        -1,
        "Ilya Volkov",
    ),
    # nothing introduced with the noun and no person or body fits: left unresolved
    (
        "Critics praised the colours of the exhibition. The painter said the work took years.",
        "The painter",
        -1,
        None,
    ),
]


@pytest.mark.parametrize(("text", "mention", "nth", "name"), CASES)
def test_resolution(nlp: Language, text: str, mention: str, nth: int, name: str | None) -> None:
    """Pronouns and descriptions resolve to the person or body they refer to, or to nobody."""
    speaker = _resolve(nlp(text), mention, nth)
    assert speaker.name == name
    assert speaker.resolved == (name is not None)
    assert speaker.text == mention


def test_a_place_the_tagger_calls_a_person_is_no_antecedent(nlp: Language) -> None:
    """A 'person' the text never makes a subject and names after 'at' is a place ("at
    Kestwick"): a personal pronoun skips it."""
    doc = nlp(
        "Pedro Alves wrote poems as a child. In 1801 the family moved. The boy was at "
        "Kestwick for four years, and there he learned Greek."
    )
    place = next(t.i for t in doc if t.text == "Kestwick")
    doc.ents = [
        SpacySpan(doc, 0, 2, label="PERSON"),
        SpacySpan(doc, place, place + 1, label="PERSON"),  # as if the tagger erred
    ]
    assert _resolve(doc, "he").name == "Pedro Alves"
