"""Speed shortcuts of round 18 (issues 17, 18) give the same answers as the plain computations."""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsevents.extract.events import syntax, verbs
from newsevents.extract.events.tree import children
from newsevents.extract.statements.quotes import find_quotes
from newsevents.extract.statements.roles import context_codes

SENTENCES = [
    "The governor said the state would not lift the curfew before Friday.",
    "Rebels blew up a bridge, and the army called off its offensive near the border.",
    "“We must talk now,” the envoy told reporters, “or the truce will fail.”",
    "Farmers who had blocked the highway were fined by the court.",
    "",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_children_are_token_children(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for tok in doc:
        assert [c.i for c in children(tok)] == [c.i for c in tok.children]


def test_children_follow_the_document(nlp: Language) -> None:
    first, second = nlp(SENTENCES[0]), nlp(SENTENCES[1])
    for doc in (first, second, first):
        assert [[c.i for c in children(t)] for t in doc] == [[c.i for c in t.children] for t in doc]


@pytest.mark.parametrize(
    ("text", "obliged"),
    [
        ("The council must approve the budget and can publish it.", {"approve"}),
        ("Nobody must leave.", {"leave"}),
        ("They left early.", set()),
    ],
)
def test_obliged_from_arrays(nlp: Language, text: str, obliged: set[str]) -> None:
    doc = nlp(text)
    assert {doc[i].text for i in syntax._obliged(doc)} == obliged


@pytest.mark.parametrize("layer", verbs.LAYERS)
def test_pattern_index_keeps_every_pattern_that_can_match(layer: str) -> None:
    vocab = frozenset({"up", "off", "with", "aid", "troops", "talks", "to", "against"})
    for block, pats in verbs.patterns(layer).items():
        indexed = verbs.pattern_index(layer)[block]
        assert indexed.patterns == pats
        plain = [p for p in pats if not p.anchor.isdisjoint(vocab)]
        assert indexed.candidates(vocab) == plain
        assert indexed.candidates(frozenset()) == []


@pytest.mark.parametrize("text", SENTENCES)
def test_match_verb_unchanged_by_the_index(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for tok in doc:
        lemmas = (tok.lemma_.lower(), tok.lower_)
        assert verbs.match_verb(tok, lemmas) == _plain_match(tok, lemmas)


def _plain_match(tok, lemmas):  # type: ignore[no-untyped-def]
    """match_verb with every pattern tried one by one (the code before the index)."""
    index = verbs.pattern_index
    try:
        verbs.pattern_index = _unindexed  # type: ignore[assignment]
        return verbs.match_verb(tok, lemmas)
    finally:
        verbs.pattern_index = index  # type: ignore[assignment]


class _AllPatterns:
    def __init__(self, pats: tuple[verbs.VerbPattern, ...]) -> None:
        self.patterns = pats

    def candidates(self, vocab: frozenset[str]) -> list[verbs.VerbPattern]:
        return [p for p in self.patterns if not p.anchor.isdisjoint(vocab)]


def _unindexed(layer: str = "") -> dict[str, _AllPatterns]:
    return {block: _AllPatterns(pats) for block, pats in verbs.patterns(layer).items()}


@pytest.mark.parametrize("text", SENTENCES)
def test_context_codes_match_token_reading(nlp: Language, text: str) -> None:
    doc = nlp(text)
    cues = frozenset({"say", "tell"})
    quotes = find_quotes(doc.text)
    plain = []
    for tok in doc:
        up = [a for a in tok.ancestors]
        rel = (
            1
            if tok.lemma_.lower() in cues
            else 2
            if any(a.lemma_.lower() in cues for a in up)
            else 3
        )
        plain.append(rel + (3 if quotes.containing(tok.idx) is not None else 0))
    assert context_codes(doc, cues) == plain
