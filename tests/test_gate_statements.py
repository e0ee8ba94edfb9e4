"""Quality gate: statement extraction scored on a small golden set of invented news text.

Like trafilatura's golden corpus: each text below (all written for this test) comes with the
statements a reader finds in it — speaker, content, kind. The extractor's statements are matched
one to one to them (the speaker's words agree and the content's words overlap with token F1 of
at least 0.5; a continuation counts as content) and scored with precision, recall and F1. The
floors sit a little below what the extractor achieves, so a change that loses statements or
invents them fails here.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

import pytest
from spacy.language import Language

from newsevents.extract.entities import extract_entities
from newsevents.extract.statements import extract_statements
from newsevents.model import Statement


class Said(NamedTuple):
    """One statement: who (their name, or their words in the text), what, and its kind."""

    speaker: str
    content: str
    kind: str


# (text, the statements in it)
GOLDEN: list[tuple[str, list[Said]]] = [
    (
        "The city's transport chief, Lena Ortiz, said on Monday that the new tram line would "
        "open in September.",
        [Said("Lena Ortiz", "the new tram line would open in September", "indirect")],
    ),
    (
        '"We have run out of room," said Daniel Mbeki, who runs the shelter on Harbour Street.',
        [Said("Daniel Mbeki", "We have run out of room", "direct")],
    ),
    (
        '"The water is safe to drink," the utility said in a statement. '
        '"Tests show no contamination."',
        [Said("the utility", "The water is safe to drink. Tests show no contamination.", "direct")],
    ),
    (
        "Unemployment fell to 4.1 percent in March, according to figures published by the "
        "statistics office.",
        [Said("the statistics office", "Unemployment fell to 4.1 percent in March", "indirect")],
    ),
    (
        "Opposition leader Marta Kowal accused the government of hiding the true cost of the "
        "bridge.",
        [Said("Marta Kowal", "the government of hiding the true cost of the bridge", "indirect")],
    ),
    (
        'Farmers in the valley are worried. "If it does not rain by June, we lose the harvest," '
        "said Tomasz Nowak, who grows wheat near the river.",
        [Said("Tomasz Nowak", "If it does not rain by June, we lose the harvest", "direct")],
    ),
    (
        'The minister described the proposal as "a step backwards for workers".',
        [Said("The minister", "the proposal as a step backwards for workers", "mixed")],
    ),
    (
        "Health Minister Ines Duarte visited the hospital on Friday. She said the waiting lists "
        "would be cut by half within a year.",
        [Said("Ines Duarte", "the waiting lists would be cut by half within a year", "indirect")],
    ),
    (
        'The mayor wrote on social media: "The bridge will reopen tomorrow morning."',
        [Said("The mayor", "The bridge will reopen tomorrow morning.", "direct")],
    ),
    (
        '"Every library should stay open on Sundays." — Priya Raman',
        [Said("Priya Raman", "Every library should stay open on Sundays.", "direct")],
    ),
    (
        "The central bank warned that inflation could rise again next year if energy prices "
        "keep climbing.",
        [
            Said(
                "The central bank",
                "inflation could rise again next year if energy prices keep climbing",
                "indirect",
            )
        ],
    ),
    (
        "The council met on Tuesday evening. The vote on the budget was postponed until next "
        "month because of the storm.",
        [],
    ),
    (
        "Union leader Karl Weber said the strike would continue. The company said it had "
        "offered a fair deal.",
        [
            Said("Karl Weber", "the strike would continue", "indirect"),
            Said("The company", "it had offered a fair deal", "indirect"),
        ],
    ),
    (
        '"We are not going anywhere," Ahmed Yusuf said, "until the factory pays us."',
        [Said("Ahmed Yusuf", "We are not going anywhere until the factory pays us.", "direct")],
    ),
    (
        "Residents say the new road has made their street unbearably loud, and they want the "
        "speed limit lowered.",
        [Said("Residents", "the new road has made their street unbearably loud", "indirect")],
    ),
    (
        "Prosecutors argued that the former director knew about the fraud. His lawyer, Sofia "
        'Brandt, called the charges "baseless".',
        [
            Said("Prosecutors", "the former director knew about the fraud", "indirect"),
            Said("Sofia Brandt", 'the charges "baseless"', "mixed"),
        ],
    ),
    (
        "The agreement, which both sides signed in Geneva, is expected to take effect in May.",
        [],
    ),
    (
        'Asked whether she would run again, Senator Mae Collins replied: "Not this time."',
        [Said("Mae Collins", "Not this time.", "direct")],
    ),
    (
        "Critics of the plan, including several local business owners, say it will drive "
        "shoppers away from the town centre.",
        [
            Said(
                "Critics of the plan",
                "it will drive shoppers away from the town centre",
                "indirect",
            )
        ],
    ),
    (
        "Water levels in the reservoir have dropped to their lowest point in a decade, the "
        "regional authority said on Wednesday, urging residents to save water.",
        [
            Said(
                "the regional authority",
                "Water levels in the reservoir have dropped to their lowest point in a decade",
                "indirect",
            ),
            Said("the regional authority", "residents to save water", "indirect"),
        ],
    ),
]

# Floors: a little below what the extractor achieves on GOLDEN (P 0.840, R 1.000, F1 0.913;
# every matched statement of the right kind). One lost statement already fails the F1 floor.
F1_FLOOR = 0.88
KIND_FLOOR = 0.95
MIN_CONTENT_F1 = 0.5  # token F1 at which two contents are the same statement


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _token_f1(a: str, b: str) -> float:
    """Return the token F1 of two texts (lowercase words, punctuation and marks ignored)."""
    left, right = Counter(_words(a)), Counter(_words(b))
    common = sum((left & right).values())
    if not common:
        return 0.0
    precision, recall = common / sum(right.values()), common / sum(left.values())
    return 2 * precision * recall / (precision + recall)


def _same_speaker(gold: str, found: Said) -> bool:
    """Return whether the found speaker's words (text or resolved name) hold the gold's."""
    return set(_words(gold)) <= set(_words(found.speaker))


def _said(statement: Statement) -> Said:
    """Return a statement as scored: speaker text and name, content with its continuation."""
    speaker = statement.speaker
    who = "" if speaker is None else f"{speaker.text} {speaker.name}"
    content = statement.content.text
    cont = statement.continuation
    if cont is not None and not statement.content.start <= cont.start < statement.content.end:
        content = f"{content} {cont.text}"
    return Said(who, content, statement.kind)


def matches(gold: list[Said], found: list[Said]) -> list[tuple[Said, Said]]:
    """Pair gold and found statements one to one, the best content overlap first."""
    scored = sorted(
        (
            (-_token_f1(g.content, f.content), i, j)
            for i, g in enumerate(gold)
            for j, f in enumerate(found)
            if _same_speaker(g.speaker, f) and _token_f1(g.content, f.content) >= MIN_CONTENT_F1
        ),
    )
    used_gold: set[int] = set()
    used_found: set[int] = set()
    pairs: list[tuple[Said, Said]] = []
    for _, i, j in scored:
        if i not in used_gold and j not in used_found:
            used_gold.add(i)
            used_found.add(j)
            pairs.append((gold[i], found[j]))
    return pairs


class Scores(NamedTuple):
    """Precision, recall and F1 of matched statements, and the matched share of the right kind."""

    precision: float
    recall: float
    f1: float
    kind: float

    def __str__(self) -> str:
        return (
            f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f} "
            f"kind accuracy {self.kind:.3f}"
        )


def score(cases: list[tuple[list[Said], list[Said]]]) -> Scores:
    """Return the scores of (gold, found) statement lists, pooled over the cases."""
    n_gold = sum(len(g) for g, _ in cases)
    n_found = sum(len(f) for _, f in cases)
    pairs = [pair for gold, found in cases for pair in matches(gold, found)]
    precision = len(pairs) / n_found if n_found else 0.0
    recall = len(pairs) / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if pairs else 0.0
    kind = sum(g.kind == f.kind for g, f in pairs) / len(pairs) if pairs else 0.0
    return Scores(precision, recall, f1, kind)


@pytest.fixture(scope="module")
def extracted(nlp: Language) -> list[tuple[list[Said], list[Said]]]:
    """The golden statements of each text beside the ones the extractor finds."""
    cases = []
    for text, gold in GOLDEN:
        doc = nlp(text)
        found = extract_statements(doc, entities=extract_entities(doc))
        cases.append((gold, [_said(s) for s in found]))
    return cases


def test_statements_reach_the_f1_floor(extracted: list[tuple[list[Said], list[Said]]]) -> None:
    """Statements found in the golden texts match the expected ones at F1 >= the floor."""
    scores = score(extracted)
    assert scores.f1 >= F1_FLOOR, f"{scores} (floor F1 {F1_FLOOR})"


def test_matched_statements_have_the_right_kind(
    extracted: list[tuple[list[Said], list[Said]]],
) -> None:
    """Matched statements are direct, indirect or mixed as a reader would say."""
    scores = score(extracted)
    assert scores.kind >= KIND_FLOOR, f"{scores} (floor kind accuracy {KIND_FLOOR})"


def test_the_gate_fails_what_finds_nothing_or_everything_wrong() -> None:
    """The scoring gives the golden statements 1.0 and nothing, or wrong speakers, 0.0."""
    golden = [gold for _, gold in GOLDEN]
    assert score([(g, g) for g in golden]) == Scores(1.0, 1.0, 1.0, 1.0)
    assert score([(g, []) for g in golden]).f1 == 0.0
    strangers = [[s._replace(speaker="Nobody Known") for s in g] for g in golden]
    assert score(list(zip(golden, strangers, strict=True))).f1 == 0.0
