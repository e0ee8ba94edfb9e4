"""Where events happened: the clause's place, the place acted on, a named city, the dateline."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from newsevents.extract.entities import extract_entities
from newsevents.extract.events import extract_events

# (text, the place of the first event, its country); None: the event is not located
CASES = [
    ("Congolese rebels attacked a police station in Goma on Monday.", "Goma", "COD"),
    ("Police arrested twelve protesters near Strasbourg on Tuesday.", "Strasbourg", "FRA"),
    ("Russian troops shelled Kharkiv overnight.", "Kharkiv", "UKR"),
    # a city the sentence names outside the actors
    ("Iran and Oman held talks on Sunday, officials in Muscat said.", "Muscat", "OMN"),
    # the dateline, when the sentence names no place
    ("KYIV, March 3 (Newswire) — Russian missiles hit a power plant overnight.", "Kyiv", "UKR"),
    # a country that is an actor is not the event's place
    ("Germany expelled two Russian diplomats on Tuesday.", None, None),
]


@pytest.mark.parametrize(("text", "place", "country"), CASES)
def test_event_location(nlp: Language, text: str, place: str | None, country: str | None) -> None:
    doc = nlp(text)
    events = extract_events(doc, entities=extract_entities(doc), published=date(2025, 3, 4))
    assert events, "the sentence should give an event"
    location = events[0].location
    if place is None:
        assert location is None
    else:
        assert location is not None
        assert (location.name, location.country) == (place, country)
        assert location.lat is not None and location.lon is not None
