"""Everyday verbs, states, silences, polls and wishes are no events; real acts still are.

Every sentence here was written for this test. Each row is (text, expected): the PLOVER type of
an event the sentence must yield, or ``-`` when it must yield none (``[gates]`` and
``[modality]`` of ``data/events/rules.toml``).
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

CASES = [
    # everyday verbs in their bare sense
    ("Hillary Clinton offered another scripted address on crime in Ohio.", NONE),
    ("Bernie Sanders said Democrats must take back control of the state houses.", NONE),
    # preference is a state, not an endorsement
    ("Most union members in Ohio favored Hillary Clinton over Bernie Sanders.", NONE),
    ("The Texas senator is favored to win the primary in Utah.", NONE),
    # declining to speak is CAMEO 011, no PLOVER event
    ("The White House declined to comment on the report.", NONE),
    ("The Pentagon refused to elaborate on the new deployment.", NONE),
    # opinions measured by a poll
    ("A new poll shows voters in Florida rejecting Donald Trump.", NONE),
    # needs, abilities and waiting are not acts
    ("The unions have been waiting to endorse a Democrat.", NONE),
    ("The governor has been able to appeal to voters in Ohio.", NONE),
    # an infinitive of purpose says what an act was for, not that it happened
    ("The newspaper assembled a team of reporters to investigate Donald Trump.", NONE),
    # ... but a journey's purpose is reported as carried out
    ("The Chinese envoy traveled to Moscow to meet Vladimir Putin.", "CONSULT"),
    # a question about who acts asserts no act
    ("Who is demanding that Michael Bloomberg run for president?", NONE),
    # willingness of people who act for no state
    ("A retired teacher in Miami said she was willing to look past the remarks.", NONE),
    # meetings need an official or a state
    ("The foreign minister of Chile met his Peruvian counterpart in Lima.", "CONSULT"),
    # the same verbs with what they act on, or framing an act, are events
    ("Russia offered to mediate between Armenia and Azerbaijan.", "AGREE"),
    ("Japan gave food aid to North Korea.", "AID"),
    ("France held talks with Germany on Tuesday.", "CONSULT"),
    ("Iran refused to allow inspectors into the site.", "REJECT"),
    ("The Israeli army took twelve Palestinian fishermen captive.", "COERCE"),
]


def _events(nlp: Language, text: str) -> tuple[Event, ...]:
    doc = nlp(text)
    return extract_events(doc, entities=extract_entities(doc), published=PUB)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_everyday_verbs_and_states(nlp: Language, text: str, expected: str) -> None:
    events = _events(nlp, text)
    found = [(e.cameo, e.plover_type, e.trigger.text) for e in events]
    if expected == NONE:
        assert events == (), (text, found)
    else:
        assert any(e.plover_type == expected for e in events), (text, found)


@pytest.mark.parametrize(
    ("name", "member"),
    [
        ("everyday_verbs", "offer"),
        ("stative_verbs", "favor"),
        ("contact_verbs", "meet"),
        ("refusal_verbs", "decline"),
        ("no_comment_verbs", "comment"),
        ("willingness", "willing"),
        ("poll_words", "poll"),
    ],
)
def test_gate_word_lists_load(name: str, member: str) -> None:
    assert member in getattr(gates(), name)


def test_modality_word_lists_load() -> None:
    w = words()
    assert {"wait", "able", "require"} <= w.hypothetical_verbs
    assert "to" in w.purpose_aux and "travel" in w.purpose_journeys and "who" in w.question_words
