"""Whole kinds of non-events on real news: irrealis infinitives, obligations, prospects in
quotations, the generic present, wishes of private people, persons taken for states, admissions
read as concessions, efforts, private persons' cooperation and aid. Real acts in the same shapes
still code.

Every sentence here was written for this test. Each row is (text, expected): the PLOVER type of
an event the text must yield, or ``-`` when it must yield none.
"""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from newsevents.extract.entities import extract_entities
from newsevents.extract.events import extract_events
from newsevents.extract.events.rules import gates, words
from newsevents.model import Event

PUB = date(2016, 5, 2)
NONE = "-"
# Two sentences without events: what follows them is past the headline and the lead.
LEAD = "The weather was mild in Ohio on Monday. Voters lined up early at the schools. "

CASES = [
    # an infinitive under a noun or adjective of plan, need or evaluation is a possibility
    ("The senator said it was important to support Israel.", NONE),
    ("The governor unveiled a plan to sanction Venezuela.", NONE),
    # an obligation ("had to", "must") is not yet an act
    ("The senator felt he had to criticize the Mexican government.", NONE),
    ('"We must punish Iran," the senator said.', NONE),
    # a prospect inside a quotation is no act, but a threat is conditional by nature
    ('The senator said: "We will sanction Russia."', "THREATEN"),
    # the simple present past the lead is a habit; the past, or a headline, is an act
    (LEAD + "Republican senators often criticize the Chinese government.", NONE),
    (LEAD + "Republican senators criticized the Chinese government.", "ACCUSE"),
    ("Senators criticize Chinese government over trade.", "ACCUSE"),
    # a private person's wish is a state; a state's is news
    ("The teachers wanted to endorse Bernie Sanders.", NONE),
    ("Iran wants talks with the United States.", "AGREE"),
    # a named person coded by a bare country is no state: no meeting
    ("Marta Kowalczyk met her brother for dinner in Queens.", NONE),
    ("The foreign minister of Chile met his Peruvian counterpart in Lima.", "CONSULT"),
    # admitting a fact is a statement, not a concession
    ("The senator conceded that the situation in Libya was regrettable.", NONE),
    # efforts are not yet acts
    ("The senator worked to overturn the Cuban government's decision.", NONE),
    ("The governor attempted to block the Mexican delegation.", NONE),
    # cooperation and aid are acts of states, officials, international bodies and aid groups
    ("A retired teacher helped the Mexican family.", NONE),
    ("The Red Cross delivered food aid to Syria.", "AID"),
    ("Germany funded a new hospital in Kenya.", "COOPERATE"),
    # a demand to do an everyday verb's bare sense is no demand, whoever the speaker is
    ("Hillary Clinton said young voters must come back next year.", NONE),
    # an official meeting another state's leader abroad is a meeting
    ("Barack Obama met Angela Merkel in Berlin.", "CONSULT"),
]


def _events(nlp: Language, text: str) -> tuple[Event, ...]:
    doc = nlp(text)
    return extract_events(doc, entities=extract_entities(doc), published=PUB)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_real_kinds(nlp: Language, text: str, expected: str) -> None:
    """Each sentence yields an event of the expected type, or none."""
    types = {e.plover_type for e in _events(nlp, text)}
    if expected == NONE:
        assert not types, text
    else:
        assert expected in types, text


def test_word_lists_are_data() -> None:
    """The new word lists come from rules.toml."""
    w, g = words(), gates()
    assert "strategy" in w.irrealis_heads and "have" in w.obligation_heads
    assert {"VBP", "VBZ"} == w.generic_tags and w.headline_sentences >= 1
    assert '"' in w.quote_marks and "VB" in w.quoted_prospect_tags
    assert "want" in g.desire_verbs and "PERSON" in g.person_labels
    assert "CONCEDE" in g.clausal_statement_types
    assert "AID" in g.political_types and "NGO" in g.political_sectors
    assert "generic" in g.drop_modalities
