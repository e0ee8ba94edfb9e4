"""The event stage's shortcuts (issue 17) give the same answers as the plain computations."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Token

from newsevents.extract.actors import ActorCoder, code_tokens, phrase_tokens
from newsevents.extract.actors.coder import _ngrams
from newsevents.extract.events import assemble, candidates, syntax, triggers
from newsevents.extract.events.rules import words

SENTENCES = [
    "The rebels must release the hostages, the minister said on Monday.",
    "Police arrested three protesters who had staged a sit-in outside the embassy.",
    "Germany will send aid to the flooded villages, and France should follow.",
    "Prime Minister Jane Doe met the Chinese envoy in Beijing to discuss trade.",
    "They were going to sign the accord, but the talks collapsed.",
    "",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_roles_match_each_token(nlp: Language, text: str) -> None:
    doc = nlp(text)
    assert assemble.token_roles(doc) == [assemble._role(tok) for tok in doc]


@pytest.mark.parametrize("text", SENTENCES)
def test_candidates_same_from_the_tokens_that_matter(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for sent in doc.sents:
        kept = [tok for tok in sent if assemble._role(tok) & assemble.SEEN]
        assert candidates.find_candidates(sent, kept) == candidates.find_candidates(sent)


def _plain_obligation(tok: Token) -> bool:
    auxes = {c.lower_ for c in tok.children if c.dep_ == "aux"}
    return bool(auxes & words().obligation_aux)


@pytest.mark.parametrize("text", SENTENCES)
def test_obligation_read_once_per_document(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for tok in doc:
        if not _plain_obligation(tok):
            assert syntax.obligation_of(tok) is None


@pytest.mark.parametrize(
    ("text", "obliged"),
    [("Both sides must stop the shelling.", {"stop"}), ("They stopped the shelling.", set())],
)
def test_obliged_words(nlp: Language, text: str, obliged: set[str]) -> None:
    doc = nlp(text)
    assert {doc[i].text for i in syntax._obliged(doc)} == obliged


@pytest.mark.parametrize("text", SENTENCES)
def test_lemma_forms_kept_per_word(nlp: Language, text: str) -> None:
    for tok in nlp(text):
        assert triggers.lemma_forms(tok) == triggers._lemma_forms(tok)


@pytest.mark.parametrize(
    ("size", "starts", "expected"),
    [
        (3, [0, 1, 2], [(0, 3), (0, 2), (1, 3), (0, 1), (1, 2), (2, 3)]),
        (5, [3], [(3, 5), (3, 4)]),
        (2, [], []),
    ],
)
def test_ngrams_longest_first(
    size: int, starts: list[int], expected: list[tuple[int, int]]
) -> None:
    assert _ngrams(size, starts) == expected


@pytest.mark.parametrize("text", SENTENCES[:4])
def test_dictionary_answers_kept_per_document(nlp: Language, text: str) -> None:
    doc = nlp(text)
    coder = ActorCoder(doc)
    for head in (t for t in doc if t.pos_ == "PROPN"):
        tokens = phrase_tokens(head)
        coding = code_tokens(tokens, head)
        first = coder._with_dictionary(tokens, coding, head)
        assert coder._with_dictionary(tokens, coding, head) == first  # the second from its table
        assert ActorCoder(doc)._with_dictionary(tokens, coding, head) == first
