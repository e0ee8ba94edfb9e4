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


# (text, country of the first event): countries carry no coordinates in the gazetteer
COUNTRY_CASES = [
    # the one country of all the event's actors, named in the sentence
    ("Nigerian soldiers killed twelve militants, Nigeria's army said.", "NGA"),
    # a month in a date is no place ("March" is also a town in England)
    ("Students marched on Friday in Peru, where riots killed three people last March.", "PER"),
]


@pytest.mark.parametrize(("text", "country"), COUNTRY_CASES)
def test_event_located_in_country(nlp: Language, text: str, country: str) -> None:
    doc = nlp(text)
    events = extract_events(doc, entities=extract_entities(doc), published=date(2025, 3, 4))
    assert events and events[0].location is not None
    assert events[0].location.country == country


# (text, trigger, place of that event): a country in a locative phrase of the sentence, outside
# the event's own clause, locates the event
BY_TRIGGER = [
    (
        "Inmates rioted on Sunday at a prison in southern Chile, setting fire to their beds.",
        "setting",
        "Chile",
    ),
]


@pytest.mark.parametrize(("text", "trigger", "place"), BY_TRIGGER)
def test_event_location_by_trigger(nlp: Language, text: str, trigger: str, place: str) -> None:
    doc = nlp(text)
    events = extract_events(doc, entities=extract_entities(doc), published=date(2025, 3, 4))
    found = [e for e in events if text[e.trigger.start : e.trigger.end] == trigger]
    assert found, f"no event on {trigger!r}"
    assert found[0].location is not None and found[0].location.name == place
