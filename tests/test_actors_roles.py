"""Actor roles across a document: dated candidacies, one coding per entity, pronouns, groups."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from newsevents.extract.actors import ActorCoder, default_dictionary
from newsevents.extract.entities import extract_entities

SPRING_2016 = date(2016, 3, 1)

# (text, publication date, the codes of the subjects and objects in text order)
CANDIDACIES = [
    # a major-party presidential candidate is a party actor while running (CAMEO PTY) ...
    ("Ted Cruz criticized the plan.", SPRING_2016, ["USAPTY"]),
    ("Donald Trump criticized the plan.", SPRING_2016, ["USAPTY"]),
    # ... not before or after, when the role comes from the office or the text
    ("Ted Cruz criticized the plan.", date(2017, 6, 1), ["USA"]),
    ("Donald Trump criticized the plan.", date(2018, 3, 1), ["USAGOV"]),
    # the text's title names the office held while running
    ("Sen. Ted Cruz criticized the plan.", SPRING_2016, ["USALEG"]),
    # a vice president, and the chair of a national party committee
    ("Joe Biden praised the plan.", SPRING_2016, ["USAGOV"]),
    ("Reince Priebus praised the plan.", SPRING_2016, ["USAPTY"]),
    # a fuller name the lists know is not its surname's namesake
    ("Bill Clinton praised the plan.", SPRING_2016, ["USAELI"]),
    ("Clinton praised the plan.", SPRING_2016, ["USAPTY"]),
]

# (text, the codes of the subjects and objects in text order): a U.S. story, spring 2016
IN_DOCUMENT = [
    # a description anywhere in the text codes every mention, the earlier ones too
    (
        "Mr. Lane criticized the plan in Denver, Colorado. Jim Lane, a pastor in Boulder, "
        "Colorado, spoke later.",
        ["USAREL", "USA", "USAREL", "USA"],
    ),
    # a predicate nominal: "X is a senator"
    (
        "Maria Lopez is a senator from Ohio. Lopez criticized the plan in Columbus, Ohio.",
        ["USALEG", "USA", "USALEG", "USA"],
    ),
    # a pronoun is the entity the document's pronoun chain links it to
    (
        "Jim Lane, a pastor in Denver, Colorado, visited Boulder, Colorado. He criticized the "
        "plan.",
        ["USAREL", "USA", "USA", "USAREL"],
    ),
    # organisations by the head of their name: a news network, an association
    (
        "CNN criticized the senator in Denver, Colorado and Boulder, Colorado.",
        ["USAMED", "USALEG", "USA"],
    ),
    (
        "The National Rifle Association criticized the senator in Denver, Colorado and "
        "Boulder, Colorado.",
        ["USANGO", "USALEG", "USA"],
    ),
    # a celebrity is a civilian, a pastor a religious actor
    (
        "The pastor thanked the celebrities in Denver, Colorado and Boulder, Colorado.",
        ["USAREL", "USACVL", "USA"],
    ),
]

# (text, publication date, expected codes): groups, parties and armed movements
GROUPS = [
    # a pronoun linked to a nationality word is the group the word describes
    ("The Chilean rebels said they would free the mayor.", SPRING_2016, ["CHLREB", "CHLREB"]),
    ("In Iraq, Islamic State attacked the town.", SPRING_2016, ["IRQ", "IRQREB"]),
    (
        "The Rev. Jim Lane visited Denver, Colorado. He criticized the plan in Boulder, Colorado.",
        SPRING_2016,
        ["USAREL", "USA", "USAREL", "USA"],
    ),
]

ARGUMENT_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj")


def _codes(nlp: Language, text: str, published: date) -> list[str | None]:
    doc = nlp(text)
    coder = ActorCoder(doc, extract_entities(doc), published)
    out: list[str | None] = []
    for tok in doc:
        if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.dep_ in ARGUMENT_DEPS:
            actor = coder.code(tok)
            out.append(None if actor is None else actor.code)
    return [c for c in out if c is not None]


@pytest.mark.parametrize(("text", "published", "expected"), CANDIDACIES)
def test_dated_candidacies_and_party_roles(
    nlp: Language, text: str, published: date, expected: list[str]
) -> None:
    assert _codes(nlp, text, published) == expected


@pytest.mark.parametrize(("text", "expected"), IN_DOCUMENT)
def test_one_coding_per_entity(nlp: Language, text: str, expected: list[str]) -> None:
    assert _codes(nlp, text, SPRING_2016) == expected


@pytest.mark.parametrize(("text", "published", "expected"), GROUPS)
def test_groups_parties_and_movements(
    nlp: Language, text: str, published: date, expected: list[str]
) -> None:
    assert _codes(nlp, text, published) == expected


def test_candidacies_cover_several_cycles() -> None:
    found = default_dictionary()
    assert found.lookup("Mitt Romney", date(2012, 9, 1)) == "USAPTY"
    assert found.lookup("John McCain", date(2008, 9, 1)) == "USAPTY"
    assert found.lookup("Elizabeth Warren", date(2019, 9, 1)) == "USAPTY"
    assert found.lookup("Nikki Haley", date(2023, 9, 1)) == "USAPTY"
    assert found.lookup("Mitt Romney", date(2014, 9, 1)) is None
