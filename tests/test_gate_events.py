"""Quality gate for event coding: a small golden set of news sentences, scored as a whole.

Each line of ``GOLD`` gives the PLOVER type a reader would code for the sentence's main event
(``-`` for none), the source and target countries where the sentence makes them clear (``-``
when it does not, or when the actor is not a country), then the sentence. The sentences were
written for this test. The system's answer for a sentence is its most confident event. The
floors sit a little below what the extractor scores today (type accuracy 0.92, type F1 0.952,
actor countries 0.973), so that one lost sentence passes and a real regression fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pytest
from spacy.language import Language

from newsevents.extract.entities import extract_entities
from newsevents.extract.events import extract_events
from newsevents.model import Actor

PUBLISHED = date(2024, 5, 15)

GOLD = """
CONSULT   JPN  KOR  Japan's foreign minister held talks with his South Korean counterpart in Seoul.
CONSULT   GHA  NGA  Ghana's president visited Nigeria to discuss regional security.
CONSULT   CAN  MEX  The prime minister of Canada met with the Mexican president in Ottawa.
SUPPORT   SWE  FIN  Sweden praised Finland's handling of the border crisis.
RETREAT   ETH  ERI  Ethiopia released 200 Eritrean prisoners on Friday.
RETREAT   TUR  IRQ  Turkish troops pulled out of northern Iraq.
AID       JPN  TUR  Japan sent humanitarian aid to Turkey after the earthquake.
AID       NOR  MDA  Norway donated medical supplies to Moldova.
REQUEST   LBN  FRA  Lebanon appealed to France for emergency financial assistance.
REQUEST   VEN  GUY  Venezuela demanded that Guyana halt oil exploration in the disputed region.
ACCUSE    AZE  ARM  Azerbaijan accused Armenia of violating the ceasefire.
REJECT    HUN  -    Hungary rejected the European Commission's migration plan.
AGREE     CHL  -    Chile and Peru agreed to reopen their border crossings.
COOPERATE COL  USA  Colombia extradited a suspected drug trafficker to the United States.
THREATEN  PRK  KOR  North Korea threatened to strike South Korean military bases.
PROTEST   GEO  GEO  Thousands of Georgian protesters rallied against the government in Tbilisi.
SANCTION  LTU  BLR  Lithuania cut diplomatic ties with Belarus.
MOBILIZE  CHN  TWN  China deployed warships near Taiwan on Saturday.
COERCE    IDN  MYS  Indonesian police detained five Malaysian fishermen.
ASSAULT   ISR  -    Israeli aircraft bombed targets in Gaza.
ASSAULT   UKR  RUS  Ukraine shot down three Russian drones overnight.
-         -    -    The museum in Lisbon reopened after renovations.
-         -    -    Heavy rain is expected across northern Italy this weekend.
-         -    -    Shares of the Dutch chipmaker rose four percent on Tuesday.
-         -    -    Portugal's football team beat France in the semi-final.
"""

MIN_TYPE_ACCURACY = 0.88
MIN_TYPE_F1 = 0.90
MIN_COUNTRY_ACCURACY = 0.94


@dataclass(frozen=True, slots=True)
class Case:
    """One golden sentence: the expected PLOVER type and actor countries (None: no claim)."""

    text: str
    plover: str | None
    source: str | None
    target: str | None


@dataclass(frozen=True, slots=True)
class Answer:
    """The system's answer for one sentence: its most confident event, reduced."""

    plover: str | None
    source: str | None
    target: str | None


def _field(value: str) -> str | None:
    return None if value == "-" else value


def _cases() -> list[Case]:
    cases = []
    for line in GOLD.strip().splitlines():
        plover, source, target, text = line.split(maxsplit=3)
        cases.append(Case(text, _field(plover), _field(source), _field(target)))
    return cases


CASES = _cases()


def _country(actor: Actor | None) -> str | None:
    return None if actor is None else actor.country


def _answer(nlp: Language, text: str) -> Answer:
    doc = nlp(text)
    events = extract_events(doc, entities=extract_entities(doc), published=PUBLISHED)
    if not events:
        return Answer(None, None, None)
    best = max(events, key=lambda e: e.confidence)
    return Answer(best.plover_type, _country(best.source), _country(best.target))


def score(cases: Sequence[Case], answers: Sequence[Answer]) -> dict[str, float]:
    """Return type accuracy, type precision/recall/F1 and actor-country accuracy over the set."""
    right = tp = fp = fn = countries = countries_right = 0
    for case, ans in zip(cases, answers, strict=True):
        right += ans.plover == case.plover
        if ans.plover is not None and ans.plover == case.plover:
            tp += 1
            for want, got in ((case.source, ans.source), (case.target, ans.target)):
                if want is not None:
                    countries += 1
                    countries_right += got == want
            continue
        fp += ans.plover is not None
        fn += case.plover is not None
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "type_accuracy": right / len(cases),
        "type_precision": precision,
        "type_recall": recall,
        "type_f1": f1,
        "country_accuracy": countries_right / countries if countries else 0.0,
    }


def _passes(figures: dict[str, float]) -> bool:
    return (
        figures["type_accuracy"] >= MIN_TYPE_ACCURACY
        and figures["type_f1"] >= MIN_TYPE_F1
        and figures["country_accuracy"] >= MIN_COUNTRY_ACCURACY
    )


def _report(figures: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:.3f}" for k, v in figures.items())


@pytest.fixture(scope="module")
def answers(nlp: Language) -> list[Answer]:
    """The extractor's answers for the golden sentences (parsed once)."""
    return [_answer(nlp, case.text) for case in CASES]


def test_golden_set_is_well_formed() -> None:
    assert 15 <= len(CASES) <= 25
    assert sum(case.plover is None for case in CASES) >= 3


def test_event_gate(answers: list[Answer]) -> None:
    figures = score(CASES, answers)
    misses = [
        f"{case.text!r}: want {case.plover}, got {ans.plover}"
        for case, ans in zip(CASES, answers, strict=True)
        if ans.plover != case.plover
    ]
    assert _passes(figures), f"event gate below floor: {_report(figures)}; misses: {misses}"


def test_gate_fails_a_weak_system() -> None:
    silent = [Answer(None, None, None)] * len(CASES)
    wrong_actors = [Answer(c.plover, "XXX", "XXX") for c in CASES]
    assert not _passes(score(CASES, silent)), _report(score(CASES, silent))
    assert not _passes(score(CASES, wrong_actors)), _report(score(CASES, wrong_actors))
