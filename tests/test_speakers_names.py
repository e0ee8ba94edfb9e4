"""Who is speaking: names as readers write them, pronouns and descriptions resolved (issue 18).

Every sentence is written for these tests; one case per error kind the issue lists.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsevents.extract.entities import extract_entities
from newsevents.extract.statements import extract_statements
from newsevents.extract.statements.extractor import _first_person
from newsevents.extract.statements.lexicon import lexicon
from newsevents.extract.statements.names import clean_body, split_person
from newsevents.extract.statements.speaker_words import untagged_people
from newsevents.model import Span, Speaker, Statement


def _speakers(nlp: Language, text: str) -> list[Speaker]:
    doc = nlp(text)
    found = extract_statements(doc, entities=extract_entities(doc))
    speakers = [s.speaker for s in found if s.speaker is not None]
    for sp in speakers:
        assert text[sp.start : sp.end] == sp.text
    return speakers


# (name as the text gives it, name, role, affiliation)
SPLITS = [
    (
        "Chilean Ambassador to the United Kingdom Rosa Valdivia",
        "Rosa Valdivia",
        "Ambassador to the United Kingdom",
        "Chile",
    ),
    ("Governor of Oregon Dana Whitfield", "Dana Whitfield", "Governor of Oregon", "Oregon"),
    ("Acme co-founder Priya Ramaswamy", "Priya Ramaswamy", "co-founder", "Acme"),
    ("Kenyan Foreign Minister Otieno Mwangi", "Otieno Mwangi", "Foreign Minister", "Kenya"),
    ("President Maria J. Alvarez", "Maria J. Alvarez", "President", None),
    ("Rep. Lena Hart of Vermont", "Lena Hart", "Rep.", "Vermont"),
    ("Judge Pavel Novak", "Pavel Novak", "Judge", None),
    ("Dean Lowell", "Dean Lowell", None, None),  # a given name, not a title
    ("Omar al-Rashid", "Omar al-Rashid", None, None),
    ("Ines van der Berg", "Ines van der Berg", None, None),
    ("Tomas Berg", "Tomas Berg", None, None),
    (
        "Norway's envoy to the United Nations, Kari Dahl",
        "Kari Dahl",
        "envoy to the United Nations",
        "Norway",
    ),
]


@pytest.mark.parametrize(("given", "name", "role", "affiliation"), SPLITS)
def test_split_person(given: str, name: str, role: str | None, affiliation: str | None) -> None:
    """The title goes to the role, the country or body to the affiliation; the name stays whole."""
    parts = split_person(given)
    assert (parts.name, parts.role, parts.affiliation) == (name, role, affiliation)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Office of Water and Forests (OWF", "Office of Water and Forests"),
        ("Office of Water and Forests (OWF)", "Office of Water and Forests (OWF)"),
        ("Harbour Board's", "Harbour Board"),
    ],
)
def test_clean_body(given: str, expected: str) -> None:
    """No unclosed bracket and no possessive ending in a body's name."""
    assert clean_body(given) == expected


# (text, speaker mention, expected speaker name)
NAMED = [
    (
        "Chilean Ambassador to the United Kingdom Rosa Valdivia said the visa rules would change.",
        "Chilean Ambassador to the United Kingdom Rosa Valdivia",
        "Rosa Valdivia",
    ),
    (
        "Acme co-founder Priya Ramaswamy said the firm would open two new plants.",
        "Acme co-founder Priya Ramaswamy",
        "Priya Ramaswamy",
    ),
    (
        "Norway's Coastal Safety Authority said two boats were missing after the storm.",
        "Norway's Coastal Safety Authority",
        "Norway's Coastal Safety Authority",
    ),
    (
        "The Agency for Rivers and Lakes (ARL) said water levels were falling.",
        None,
        "Agency for Rivers and Lakes",
    ),
    (
        "Valeska Morrow said she had been kept on the island. Morrow said she wanted to leave.",
        "Morrow",
        "Valeska Morrow",
    ),
    (
        "The Order of the Silver Lamp denied the reports on Monday. "
        "The Order said the claims were false.",
        "The Order",
        "Order of the Silver Lamp",
    ),
    (
        "Finland's chief negotiator, Aarne Koskinen, said the deal was close. "
        "He said the talks would resume on Friday.",
        "He",
        "Aarne Koskinen",
    ),
    (
        "Sen. Lena Hart spoke in Ohio on Monday. The senator said the plant would stay open.",
        "The senator",
        "Lena Hart",
    ),
    (
        "The Hart campaign said it would respond to the advertisement on Monday.",
        "The Hart campaign",
        "Hart campaign",
    ),
    (
        "An army spokesman, Maj. Ilkka Rautio, said the drills had ended.",
        None,
        "Ilkka Rautio",
    ),
    (
        "Senator Lena Hart voted against the bill on Tuesday. "
        "The lawmaker said the budget would hurt farmers.",
        "The lawmaker",
        "Lena Hart",
    ),
]


@pytest.mark.parametrize(("text", "mention", "name"), NAMED)
def test_speaker_names(nlp: Language, text: str, mention: str | None, name: str) -> None:
    """Speakers carry the name alone, whole, resolved through the document."""
    speakers = _speakers(nlp, text)
    chosen = [sp for sp in speakers if mention is None or sp.text == mention]
    assert chosen, [sp.text for sp in speakers]
    assert chosen[-1].name == name
    assert chosen[-1].resolved
    assert chosen[-1].identity is not None
    assert "(" not in name or ")" in name


def test_role_and_affiliation_from_the_name(nlp: Language) -> None:
    """The words before the name become the role and the affiliation (a country, not a demonym)."""
    (speaker,) = _speakers(
        nlp, "Chilean Ambassador to the United Kingdom Rosa Valdivia said the visa rules changed."
    )
    assert speaker.role == "Ambassador to the United Kingdom"
    assert speaker.affiliation == "Chile"


PRONOUN_TEXTS = [
    '"You never listen," you said to the manager.',
    "I said that the vote had been rigged.",
    "We said that the results were wrong.",
    "Someone said the gate had been left open.",
    "They said that the roads were closed.",
]


@pytest.mark.parametrize("text", PRONOUN_TEXTS)
def test_no_pronoun_is_a_name(nlp: Language, text: str) -> None:
    """A pronoun the document does not resolve is unresolved: no name, its text kept."""
    never = {"i", "you", "we", "who", "that", "he", "she", "they", "someone", "it"}
    for sp in _speakers(nlp, text):
        assert sp.name is None or sp.name.lower() not in never
        if sp.name is None:
            assert not sp.resolved and sp.text and sp.identity is None


def test_pronoun_resolves_to_the_person(nlp: Language) -> None:
    """ "He" goes to the man named before; "you" to nobody."""
    text = (
        "Farid Osman, the port director, met the union on Monday. He said the cranes would be "
        'repaired. "You will be paid," you told the workers.'
    )
    speakers = _speakers(nlp, text)
    he = [sp for sp in speakers if sp.text == "He"]
    assert he and he[0].name == "Farid Osman"
    assert all(sp.name is None for sp in speakers if sp.text == "you")


@pytest.mark.parametrize(
    "text",
    [
        "Mirela Dragan: Court drops fraud case\n\nThe case was closed on Friday.",
        "Harbour Board: Ferry service ends\n\nThe last ferry left on Sunday.",
    ],
)
def test_news_headline_is_not_a_statement(nlp: Language, text: str) -> None:
    """'Name: Someone does something' is a headline about the name, not words it said."""
    doc = nlp(text)
    found = extract_statements(doc, entities=extract_entities(doc))
    assert not [s for s in found if s.cue.text == ":"]


def _statement(speaker: Speaker, content: tuple[int, int], cue: int) -> Statement:
    return Statement(
        id=f"s{cue}",
        kind="direct",
        speaker=speaker,
        cue=Span(cue, cue + 4, "said"),
        content=Span(content[0], content[1], "x" * (content[1] - content[0])),
        date=None,
    )


def test_first_person_inside_a_quote_is_the_quotes_speaker() -> None:
    """An "I" speaker inside another statement's quoted words is that statement's speaker."""
    outer = Speaker("Nadia Rahman", 60, 72, "Nadia Rahman", entity_id="e1", identity="id1")
    inner = Speaker("I", 10, 11, None, resolved=False)
    found = _first_person(
        [_statement(outer, (0, 55), 73), _statement(inner, (17, 40), 12)], lexicon()
    )
    resolved = found[1].speaker
    assert resolved is not None
    assert (resolved.name, resolved.text, resolved.start, resolved.identity) == (
        "Nadia Rahman",
        "I",
        10,
        "id1",
    )


def test_untagged_subject_is_a_person(nlp: Language) -> None:
    """A name the tagger missed but the text keeps as a subject is a pronoun's antecedent."""
    doc = nlp(
        "Lindqvist left the valley in 1820. Lindqvist wrote poems every winter. "
        "Lindqvist married in 1825. He said the valley had made him a poet."
    )
    doc.ents = ()  # as if the tagger had missed the name
    entities = extract_entities(doc)
    people = untagged_people(doc, entities)
    assert [(p.name, len(p.mentions)) for p in people] == [("Lindqvist", 3)]
    speakers = [s.speaker for s in extract_statements(doc, entities=entities) if s.speaker]
    he = [sp for sp in speakers if sp.text == "He"]
    assert he and he[0].name == "Lindqvist" and he[0].entity_id is None and he[0].resolved
