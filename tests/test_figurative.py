"""Literal before figurative: metaphors and off-topic stories yield no violence; real violence does.

Every sentence here was written for this test. ``FIGURATIVE`` holds politics-style metaphors,
sports, business, weather and disaster sentences whose actors the coder can place in a country
(so that, before :mod:`newsevents.extract.events.literal`, most of them coded an assault): none
may yield an event in CAMEO roots 18-20 or of PLOVER type ASSAULT or COERCE, and where the
reading is clear the expectation is sharper (no event at all, or criticism: ACCUSE). ``LITERAL``
holds violence and coercion that must keep their type.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from spacy.language import Language

from newsevents.errors import ConfigError
from newsevents.extract.entities import extract_entities
from newsevents.extract.events import extract_events
from newsevents.extract.events import literal as lit
from newsevents.model import Event

PUB = date(2024, 3, 14)
NONE, ACCUSE, CALM = "none", "accuse", "calm"  # no event; an ACCUSE event; no violence

FIGURATIVE = [
    # an idea as target: criticism when a person or an organisation attacks it
    ("The French senator attacked the budget plan.", ACCUSE),
    ("Johnson and Corbyn attacked each other's Brexit policies.", CALM),
    ("British critics attacked the minister's record on housing.", ACCUSE),
    ("Canadian investors attacked the merger plan.", ACCUSE),
    ("The Venezuelan opposition attacked the government's decision to raise taxes.", ACCUSE),
    ("Merkel attacked the plan as unfair.", ACCUSE),
    ("Macron's campaign attacked Le Pen's voting record.", ACCUSE),
    ("The Chinese president attacked American protectionism.", ACCUSE),
    ("The Ugandan government fought the court ruling.", ACCUSE),
    ("The Democrats fought the bill in the U.S. Senate.", ACCUSE),
    ("The Kenyan governor vowed to fight the new tax rules.", CALM),
    ("The Greek union vowed to fight the pension reform.", CALM),
    ("The Japanese company killed the project after two years.", NONE),
    # a person or organisation attacking another without violence: criticism
    ("Trump attacked Clinton on Tuesday.", ACCUSE),
    ("Obama attacked Romney over his tax plan.", ACCUSE),
    ("The British prime minister attacked the opposition leader in parliament.", ACCUSE),
    # a target no word class knows, with no weapon or armed side: criticism
    ("Donald Trump attacked the Republican establishment in a speech on Monday.", ACCUSE),
    ("The Canadian minister blasted the old guard of her own party.", ACCUSE),
    ("The voter said he recoiled when Mr. Trump began attacking the wife of a rival.", CALM),
    # a condition as target, or a non-actor as the one who acts: no event
    ("London is fighting dirty air with a new low-emission zone.", NONE),
    ("Nairobi is fighting poverty and crime.", NONE),
    ("The mayor of Paris vowed to fight the housing crisis.", NONE),
    ("Turkey's central bank attacked inflation with a rate rise.", NONE),
    ("The video was expected to kill Trump's candidacy.", NONE),
    ("Rising prices are killing small businesses in Egypt.", NONE),
    ("The new law will kill jobs, Indian critics said.", CALM),
    ("Inflation hit Argentine consumers hard last year.", NONE),
    ("The scandal destroyed the Italian minister's career.", NONE),
    # weather, disasters and disease
    ("The storm hit the Philippine coast.", NONE),
    ("The earthquake destroyed hundreds of homes in Turkey.", NONE),
    ("The virus killed thousands of people in Italy.", NONE),
    ("The hurricane battered Florida and killed three people.", NONE),
    ("Floods destroyed crops across Bangladesh.", NONE),
    ("The drought killed most of the crops in Kenya.", NONE),
    ("The fire destroyed the Brazilian museum.", NONE),
    # sports and business
    ("Brazilian club Flamengo beat Argentina's River Plate 3-1.", NONE),
    ("Brazil beat Germany 7-1 in the semi-final.", NONE),
    ("Spain crushed Italy in the final.", NONE),
    ("Chelsea beat Arsenal on Sunday.", NONE),
    ("Pakistan thrashed India by eight wickets.", NONE),
    ("Portugal beat Serbia in a World Cup qualifier in Lisbon.", NONE),
    ("Spain's Rafael Nadal crushed Argentina's Juan Martin del Potro at the French Open.", NONE),
    ("Shares of the German carmaker fell sharply.", NONE),
]

LITERAL = [
    ("Rebels attacked a police station in northern Mali.", "ASSAULT"),
    ("Nigerian troops shelled the village.", "ASSAULT"),
    ("Kenyan police arrested twelve protesters.", "COERCE"),
    ("Gunmen kidnapped three aid workers in Darfur.", "ASSAULT"),
    ("Russian forces attacked Kharkiv with missiles.", "ASSAULT"),
    ("Israeli aircraft bombed a camp in Gaza.", "ASSAULT"),
    ("Somali militants killed four soldiers in an ambush.", "ASSAULT"),
    ("A suicide bomber killed 20 people at a market in Kabul.", "ASSAULT"),
    ("The Sudanese army fought rebels near the border.", "ASSAULT"),
    ("Iran threatened to attack Saudi Arabia.", "THREATEN"),
    ("Police fired tear gas at demonstrators in Nairobi.", "ASSAULT"),
    ("Turkey mobilized troops along the Syrian border.", "MOBILIZE"),
    ("Chinese authorities detained a Japanese businessman.", "COERCE"),
    ("Armed men attacked a bus carrying pilgrims in Pakistan.", "ASSAULT"),
    ("A man attacked the Brazilian senator with a knife.", "ASSAULT"),
    ("Protesters attacked the Iraqi governor's residence.", "ASSAULT"),
    ("The Taliban attacked the governor of Kandahar.", "ASSAULT"),
    ("Ethiopian troops occupied the town.", "COERCE"),
    ("Russia attacked Ukraine.", "ASSAULT"),
    ("Egyptian soldiers beat the detainees.", "ASSAULT"),
    ("Pakistan arrested the opposition leader.", "COERCE"),
    ("Indian police beat protesters with batons in Delhi.", "ASSAULT"),
    ("Russian troops attacked Ukrainian positions.", "ASSAULT"),
    ("An Israeli airstrike killed a Hamas commander.", "ASSAULT"),
    ("Myanmar's military killed dozens of civilians.", "ASSAULT"),
    ("Gunmen attacked a police convoy near Kandahar on Sunday.", "ASSAULT"),
    ("Pakistan attacked Indian posts along the border.", "ASSAULT"),
]

VIOLENT_TYPES = frozenset({"ASSAULT", "COERCE"})


def _events(nlp: Language, text: str) -> tuple[Event, ...]:
    doc = nlp(text)
    return extract_events(doc, entities=extract_entities(doc), published=PUB)


def _violent(event: Event) -> bool:
    return event.cameo[:2] in ("18", "19", "20") or event.plover_type in VIOLENT_TYPES


@pytest.mark.parametrize(("text", "expect"), FIGURATIVE)
def test_figurative_uses_are_not_violence(nlp: Language, text: str, expect: str) -> None:
    events = _events(nlp, text)
    found = [(e.cameo, e.plover_type, e.trigger.text) for e in events]
    assert not any(_violent(e) for e in events), (text, found)
    if expect == NONE:
        assert events == (), (text, found)
    if expect == ACCUSE:
        assert any(e.plover_type == "ACCUSE" for e in events), (text, found)


@pytest.mark.parametrize(("text", "plover"), LITERAL)
def test_literal_violence_keeps_its_type(nlp: Language, text: str, plover: str) -> None:
    events = _events(nlp, text)
    found = [(e.cameo, e.plover_type, e.trigger.text) for e in events]
    assert any(e.plover_type == plover for e in events), (text, found)


def test_an_off_topic_phrase_discards_the_whole_story(nlp: Language) -> None:
    text = "Kenyan police arrested twelve fans in Nairobi. The goalkeeper was sent off."
    assert _events(nlp, text) == ()
    assert _events(nlp, text.split(". ")[0] + ".")  # the arrest alone is an event


# Phoenix phrases newsevents does not take: years, idioms of political news, disasters acted on.
KEPT_NEWS = [
    "Serbia and Kosovo agreed to search for people missing since the 1998 war.",
    "Iran and Oman held a third round of talks in Muscat.",
    "Japan sent humanitarian aid to the Philippines after the typhoon.",
    "Germany accused Hungary of turning refugees into a political football.",
]


@pytest.mark.parametrize("text", KEPT_NEWS)
def test_political_news_is_not_discarded(nlp: Language, text: str) -> None:
    assert not lit.off_topic_sentence(text) and not lit.off_topic_story(text)
    assert _events(nlp, text), text


@pytest.mark.parametrize(
    ("text", "discarded"),
    [
        ("The goalkeepers were praised.", True),  # a stem takes inflections
        ("Two goalkeeping coaches left.", True),
        ("He scored the winner in a penalty shoot-out at the semi-final.", True),
        ("The talks were set for a semiconductor plant.", False),  # "semi" alone is no phrase
        ("Officials set winter deadlines.", False),  # "set win" is a phrase, "set winter" not
    ],
)
def test_discard_phrases(text: str, discarded: bool) -> None:
    assert (lit.off_topic_sentence(text) or lit.off_topic_story(text)) is discarded


def test_material_codes() -> None:
    assert lit.is_material("190") and lit.is_material("1384") and lit.is_material("173")
    assert lit.is_material("154") and lit.is_material("1662")
    assert not lit.is_material("111") and not lit.is_material("161")
    assert not lit.is_material("140")


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("The senator attacked the budget plan.", "plan", "idea"),
        ("Populism attacked the press.", "Populism", "idea"),
        ("London is fighting dirty air.", "air", "condition"),
        ("The storm hit the coast.", "storm", "condition"),
        ("The blizzard hit the coast.", "blizzard", "nonactor"),  # the agent tables: JNK
        ("Troops shelled the village.", "Troops", "armed"),
        ("Protesters attacked the station.", "Protesters", "civilian"),
        ("Critics attacked the minister.", "Critics", "person"),
        ("Critics attacked the minister.", "minister", "person"),
    ],
)
def test_noun_classes(nlp: Language, text: str, word: str, expected: str) -> None:
    tok = next(t for t in nlp(text) if t.text == word)
    assert lit.kind(tok) == expected


def _broken(monkeypatch: pytest.MonkeyPatch, name: str, value: Callable[..., Any]) -> None:
    monkeypatch.setattr(lit, name, value)
    lit.classes.cache_clear()
    lit.discards.cache_clear()


def test_malformed_word_classes_name_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    real = lit.read_toml("events", "literal.toml")
    bad = {**real, "verbs": {**real["verbs"], "contest": "beat"}}
    try:
        _broken(monkeypatch, "read_toml", lambda *_: bad)
        with pytest.raises(ConfigError, match=r"literal\.toml line \d+: \[verbs\] contest"):
            lit.classes()
    finally:
        monkeypatch.undo()
        lit.classes.cache_clear()


def test_malformed_discards_name_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = ({"phrase": "world cup", "scope": "story", "exact": "0"}, {"phrase": "x", "scope": "?"})
    try:
        _broken(monkeypatch, "read_csv", lambda *_: rows)
        with pytest.raises(ConfigError, match=r"discards\.csv line 3"):
            lit.discards()
    finally:
        monkeypatch.undo()
        lit.discards.cache_clear()
