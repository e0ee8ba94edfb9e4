"""The statement role tagger: its bundled weights, the scorer's numeric features, widening."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsevents.errors import ConfigError
from newsevents.extract.statements.base import Candidate, Layout
from newsevents.extract.statements.candidates import all_candidates
from newsevents.extract.statements.lexicon import lexicon
from newsevents.extract.statements.quotes import find_quotes
from newsevents.extract.statements.roles import (
    CONTENT,
    CUE,
    SOURCE,
    load_role_model,
    role_candidates,
    role_values,
    token_roles,
    widened,
)
from newsevents.extract.statements.scorer import Scorer


def _roles(n: int, content: list[int], cue: tuple[int, ...] = (), source: tuple[int, ...] = ()):
    """Return role probabilities: listed tokens content, cue or source (0.9), others none."""
    roles = np.full((n, 4), 0.1 / 3, dtype="float32")
    roles[:, 0] = 0.9
    for role, rows in ((CONTENT, content), (CUE, cue), (SOURCE, source)):
        for i in rows:
            roles[i] = 0.1 / 3
            roles[i, role] = 0.9
    return roles


def _layout(nlp: Language, text: str, content: list[int]) -> tuple[Doc, Layout]:
    doc = nlp(text)
    return doc, Layout.of(doc, frozenset(lexicon().cue_class), _roles(len(doc), content))


# (text, candidate pattern, cue, content, speaker, tokens read as content, widened content)
WIDEN = [
    # the clause after the object is read as content: the content grows to the sentence's end
    (
        "Ms. Ortiz urged a recount after the scanners failed. Then she left.",
        "dobj",
        (2, 3),
        (3, 5),
        (0, 2),
        [3, 4, 5, 6, 7, 8],
        (3, 9),
    ),
    # growth stops at the sentence's edge even when the next sentence reads as content
    (
        "Ms. Ortiz urged a recount today. Then she left.",
        "dobj",
        (2, 3),
        (3, 5),
        (0, 2),
        [3, 4, 5, 6, 7, 8],
        (3, 6),
    ),
    # growth stops at the speaker (content before the cue does not swallow it), and the comma
    # it took last is trimmed
    (
        "The rules are unfair, Ortiz argued.",
        "ccomp",
        (6, 7),
        (0, 3),
        (5, 6),
        [0, 1, 2, 3, 4, 5],
        (0, 4),
    ),
    # a quotation keeps the bounds of its marks
    ('"We will win," Ortiz said.', "quote", (7, 8), (1, 4), (6, 7), [0, 1, 2, 3, 4, 5], (1, 4)),
]


@pytest.mark.parametrize(("text", "pattern", "cue", "content", "speaker", "read", "want"), WIDEN)
def test_widened_grows_content_over_tokens_read_as_content(
    nlp: Language,
    text: str,
    pattern: str,
    cue: tuple[int, int],
    content: tuple[int, int],
    speaker: tuple[int, int],
    read: list[int],
    want: tuple[int, int],
) -> None:
    """Content grows over neighbours the tagger reads as content, within its sentence."""
    doc, layout = _layout(nlp, text, read)
    cand = Candidate("urge", pattern, cue, content, speaker)
    assert widened(doc, cand, layout, 0.5, frozenset()).content == want


def test_widened_stops_at_another_statements_cue(nlp: Language) -> None:
    """Regression: "said that X and insisted that Y" grew the first content over the second cue."""
    text = "Ms. Ortiz said the mill would close and insisted that the staff were paid."
    doc, layout = _layout(nlp, text, list(range(3, 14)))
    cand = Candidate("say", "ccomp", (2, 3), (3, 7), (0, 2))
    assert widened(doc, cand, layout, 0.5, frozenset({2, 8})).content == (3, 7)  # not "and"
    assert widened(doc, cand, layout, 0.5, frozenset()).content == (3, 14)


def test_widened_without_roles_keeps_the_candidate(nlp: Language) -> None:
    """No tagger output, no change."""
    doc = nlp("Ms. Ortiz urged a recount after the scanners failed.")
    layout = Layout.of(doc, frozenset(lexicon().cue_class))
    cand = Candidate("urge", "dobj", (2, 3), (3, 5), (0, 2))
    assert widened(doc, cand, layout, 0.5, frozenset()) is cand


def test_role_values_and_the_scorer_that_reads_them(nlp: Language) -> None:
    """Numeric features describe the candidate's tokens; the scorer weighs them by value."""
    doc, layout = _layout(nlp, "Ms. Ortiz urged a recount after the scanners failed.", [3, 4])
    values = role_values(doc, Candidate("urge", "dobj", (2, 3), (3, 5), (0, 2)), layout)
    assert values["roles.content"] == pytest.approx(0.9)
    assert values["roles.after"] == pytest.approx(0.1 / 3)
    assert "roles.no_source" not in values
    bare = role_values(doc, Candidate("urge", "dobj", (2, 3), (3, 5), None), layout)
    assert bare["roles.no_source"] == 1.0
    plain = Scorer(bias=0.0, weights={"p=dobj": 1.0}, threshold=0.2)
    assert not plain.uses_roles
    stacked = Scorer(bias=0.0, weights={"p=dobj": 1.0, "roles.content": 2.0}, threshold=0.2)
    assert stacked.uses_roles
    assert stacked.probability(["p=dobj"], values) > plain.probability(["p=dobj"], values)


# (text, cue word, a speaker word, content words)
TAGGED = [
    (
        "The harbour master said the ferry would resume sailing on Monday.",
        "said",
        "master",
        ["ferry", "resume", "Monday"],
    ),
    (
        '"Prices will keep falling," the baker warned on Tuesday.',
        "warned",
        "baker",
        ["Prices", "falling"],
    ),
]


@pytest.mark.parametrize(("text", "cue", "speaker", "content"), TAGGED)
def test_bundled_tagger_reads_cue_source_and_content(
    nlp: Language, text: str, cue: str, speaker: str, content: list[str]
) -> None:
    """The trained tagger gives each token a distribution over roles that reads the sentence."""
    doc = nlp(text)
    roles = token_roles(doc)
    assert roles is not None and roles.shape == (len(doc), 4)
    assert np.allclose(roles.sum(axis=1), 1.0, atol=1e-4)
    best = {t.text: int(roles[t.i].argmax()) for t in doc}
    assert best[cue] == CUE
    assert best[speaker] == SOURCE
    assert all(best[w] == CONTENT for w in content)


def test_load_role_model_rejects_a_broken_file(tmp_path: Path) -> None:
    """A file that is not the tagger's weights is a ConfigError that says how to fix it."""
    path = tmp_path / "roles.bin"
    path.write_bytes(b"not weights")
    with pytest.raises(ConfigError, match=r"train_statement_roles\.py"):
        load_role_model(path)


SENTENCE = "Officials in the port town hinted the ferry would return soon. It did."
# (tokens read as cue, as source, as content, cue tokens already taken, expected candidates)
ROLE_CANDIDATES = [
    ((5,), (0, 1, 2, 3, 4), [6, 7, 8, 9, 10], set(), [((5, 6), (6, 11), (0, 5))]),
    # a cue some rule already proposes gets no second reading from the tagger
    ((5,), (0, 1, 2, 3, 4), [6, 7, 8, 9, 10], {5}, []),
    # no token read as content: no candidate
    ((5,), (0, 1), [], set(), []),
    # the content run nearest the cue, within its sentence; no source: no speaker
    ((5,), (), [1, 2, 7, 8, 9, 13], set(), [((5, 6), (7, 10), None)]),
    # one token read otherwise inside a content run is bridged
    ((5,), (), [6, 7, 9, 10], set(), [((5, 6), (6, 11), None)]),
]


@pytest.mark.parametrize(("cue", "source", "content", "taken", "want"), ROLE_CANDIDATES)
def test_role_candidates_propose_cues_only_the_tagger_reads(
    nlp: Language,
    cue: tuple[int, ...],
    source: tuple[int, ...],
    content: list[int],
    taken: set[int],
    want: list[tuple[tuple[int, int], tuple[int, int], tuple[int, int] | None]],
) -> None:
    """Tagger cues no rule proposes become candidates with the nearest content and source."""
    doc = nlp(SENTENCE)
    layout = Layout.of(doc, frozenset(lexicon().cue_class), _roles(len(doc), content, cue, source))
    found = role_candidates(doc, layout, taken)
    assert [(c.cue, c.content, c.speaker) for c in found] == want
    assert all(c.pattern == "roles" and c.lemma == "hint" for c in found)


# (text, tokens read as cue, tokens read as content, index of the rule cue the reading joins)
ADJACENT_CUES = [
    # 'also | sketched': a run read as a cue just before a rule cue is another reading of it
    ("The mayor also sketched her budget and then left town.", (2,), [4, 5], 3),
    # '… told | reporters': just after it, too
    ("The mayor told reporters the budget was balanced.", (3,), [4, 5, 6, 7], 2),
]


@pytest.mark.parametrize(("text", "cue", "content", "rule_cue"), ADJACENT_CUES)
def test_a_tagger_cue_beside_a_rule_cue_competes_with_its_readings(
    nlp: Language, text: str, cue: tuple[int, ...], content: list[int], rule_cue: int
) -> None:
    """The scorer keeps one reading per cue, so both cues' readings share one group."""
    doc = nlp(text)
    layout = Layout.of(doc, frozenset(lexicon().cue_class), _roles(len(doc), content, cue))
    groups = all_candidates(doc, find_quotes(text), lexicon(), layout)
    (group,) = [g for g in groups if any(c.pattern == "roles" for c in g)]
    assert any(c.cue[0] == rule_cue and c.pattern != "roles" for c in group)
    assert sum(1 for g in groups for c in g if c.cue[0] == rule_cue) == len(
        [c for c in group if c.cue[0] == rule_cue]
    )
