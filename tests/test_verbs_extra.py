"""The second verb knowledge layer (PETRARCH's older dictionary) and its build script."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language

from newsevents.errors import ConfigError
from newsevents.extract.events import verbs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import build_verbs
import build_verbs_extra

# (words before the verb, words after it, constraints; None: not readable by the parse matcher)
SEQUENCES = [
    ([], ["OUTPOST", "IN", "+"], [("obj", "", ("OUTPOST",)), ("prep", "in", ())]),
    (["$"], ["UP", "SANCTIONS"], [("prt", "up", ()), ("obj", "", ("SANCTIONS",))]),
    ([], ["FOOD", "CONVOY", "TO", "+"], [("obj", "", ("FOOD", "CONVOY")), ("prep", "to", ())]),
    ([], ["+", "WITH", "&WEAPON"], [("prep", "with", ("&WEAPON",))]),
    (["POLICE"], ["RIOTERS"], [("subj", "", ("POLICE",)), ("obj", "", ("RIOTERS",))]),
    # a clause after the verb, or a noun phrase too long for an object
    ([], ["TO", "RENEW", "TALKS", "WITH", "+", "SOON"], None),
    ([], ["LONG", "AWAITED", "NEW", "PEACE", "PLAN"], None),
    # before the verb: a preposition is no subject
    (["IN"], ["TALKS"], None),
]


@pytest.mark.parametrize(("pre", "post", "expected"), SEQUENCES)
def test_sequence_grammar(pre: list[str], post: list[str], expected: object) -> None:
    assert build_verbs_extra._read(pre, post) == expected


@pytest.fixture(scope="module")
def parser(nlp: Language) -> build_verbs_extra.SequenceParser:
    return build_verbs_extra.SequenceParser(build_verbs.Lemmas(nlp))


# (pattern line of the older dictionary, written here, the constraints kept; None: dropped)
PATTERN_LINES = [
    ("- * FOOD CONVOY TO + [073]", (("obj", "", ("FOOD", "CONVOY")), ("prep", "to", ()))),
    ("- * + TROOPS [0874]", (("obj", "", ("TROOPS",)),)),
    # words that are verbs make a clause, which the matcher cannot check
    ("- * TO RESUME TALKS [036]", None),
    # the subject alone, or a preposition and an actor alone, do not choose the verb's sense
    ("- &MILITARY * [173]", None),
    ("- * IN + [046]", None),
    # tense and negation are modality's
    ("- WILL * TALKS [036]", None),
    # no code, or a code only for the reversed event
    ("- * TALKS", None),
    ("- * TALKS [:036]", None),
]


@pytest.mark.parametrize(("line", "expected"), PATTERN_LINES)
def test_pattern_lines(
    parser: build_verbs_extra.SequenceParser, line: str, expected: object
) -> None:
    stats = build_verbs.Stats()
    found = parser(line, "WITHDRAW", "WITHDRAW", {"MILITARY": [["TROOPS"]]}, stats)
    assert (found.require if found is not None else None) == expected


def test_malformed_block_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "dict.txt"
    path.write_text("&SET\n+WORD\n####### VERB PATTERNS #######\n--- [070] oops\nSEND\n")
    with pytest.raises(ConfigError, match=r"dict\.txt line 4: cannot read block line"):
        build_verbs.read_dictionary(path, build_verbs.Stats())


def test_block_line_without_code_has_no_default(tmp_path: Path) -> None:
    path = tmp_path / "dict.txt"
    path.write_text("####### VERB PATTERNS #######\n--- GUARD  ###\nGUARD\n")
    _, found, _ = build_verbs.read_dictionary(path, build_verbs.Stats())
    assert [(v.block, v.code) for v in found] == [("GUARD", "---")]


# Two small layers: CAMEO.2.0 knows "reach" with one pattern, the older layer adds another
# pattern and a verb CAMEO.2.0 lacks.
LAYER_ROWS = {
    "verbs.csv": [{"lemma": "reach", "before": "", "after": "", "block": "REACH", "code": "---"}],
    "verb_patterns.csv": [
        {"block": "REACH", "verbs": "reach", "require": "obj:agreement", "code": "057"}
    ],
    "verb_synsets.csv": [{"synset": "PACT", "phrase": "accord"}],
    "verbs_extra.csv": [
        {"lemma": "reach", "before": "", "after": "", "block": "REACH", "code": "---"},
        {"lemma": "bombard", "before": "", "after": "", "block": "SHELL", "code": "195"},
    ],
    "verb_patterns_extra.csv": [
        {"block": "REACH", "verbs": "reach", "require": "obj:&PACT", "code": "030"},
        {"block": "REACH", "verbs": "reach", "require": "obj:agreement", "code": "030"},
    ],
    "verb_synsets_extra.csv": [{"synset": "PACT", "phrase": "accord"}],
}


def _clear() -> None:
    for fn in (verbs.synsets, verbs.patterns, verbs.verb_index, verbs.bare_code, verbs._entry):
        fn.cache_clear()


@pytest.fixture
def layers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(verbs, "read_csv", lambda *parts: tuple(LAYER_ROWS[parts[-1]]))
    _clear()
    yield
    _clear()


# (sentence, index of the verb, code; None: no event)
LAYERED = [
    # CAMEO.2.0's pattern wins over the older layer's
    ("The two parties reached an agreement on Monday.", 3, "057"),
    # where CAMEO.2.0 codes nothing, the older layer's pattern codes
    ("The two parties reached an accord on Monday.", 3, "030"),
    # a verb CAMEO.2.0 lacks takes the older layer's bare code
    ("Artillery bombarded the town overnight.", 1, "195"),
    # neither layer codes the bare verb
    ("The two parties reached the coast on Monday.", 3, None),
]


@pytest.mark.parametrize(("text", "index", "code"), LAYERED)
def test_layers(nlp: Language, layers: None, text: str, index: int, code: str | None) -> None:
    tok = nlp(text)[index]
    entry = verbs.match_verb(tok, (tok.lemma_,))
    assert (entry.code if entry is not None else None) == code


def test_malformed_extra_layer_names_its_file(
    monkeypatch: pytest.MonkeyPatch, layers: None
) -> None:
    rows = dict(LAYER_ROWS)
    rows["verb_patterns_extra.csv"] = [
        {"block": "REACH", "verbs": "", "require": "obj:&NOSUCHSET", "code": "030"}
    ]
    monkeypatch.setattr(verbs, "read_csv", lambda *parts: tuple(rows[parts[-1]]))
    with pytest.raises(ConfigError, match=r"verb_patterns_extra\.csv line 2: unknown synset"):
        verbs.patterns("_extra")


def test_shipped_layers_load() -> None:
    """The shipped files read without error, and the older layer has verbs of its own."""
    index = verbs.verb_index()
    assert any(r.layer == "_extra" for rows in index.values() for r in rows)
    assert verbs.patterns("_extra")
