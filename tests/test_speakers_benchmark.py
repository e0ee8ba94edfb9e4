"""The speaker benchmark's name match and mention kinds (benchmarks/speakers.py), on made-up
names and tokens: no corpus text."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "speakers_bench", ROOT / "benchmarks" / "speakers.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()

# (predicted name, gold name, gold is a person, whether they name the same entity)
NAMES = [
    ("Lindqvist", "Anna Lindqvist", True, True),  # a person's surname
    ("Erik Lindqvist", "Anna Lindqvist", True, True),  # the surname rule, people only
    ("OSU", "Oslo State University", False, True),  # an acronym
    ("Oslo State University", "OSU", False, True),
    ("Harbour Grammar School", "Kestwick School", False, False),  # a kind, not a surname
    ("Kestwick", "Kestwick School", False, True),  # word containment
    ("State of Ruritania", "Supreme Court of Ruritania", False, False),
    (None, "Anna Lindqvist", True, False),
]


@pytest.mark.parametrize(("pred", "gold", "person", "expected"), NAMES)
def test_same_name(pred: str | None, gold: str, person: bool, expected: bool) -> None:
    """A resolved name is right by surname (people), containment or acronym."""
    assert BENCH.same_name(pred, gold, person) is expected


def _doc(words: list[str]) -> object:
    return BENCH.Document("made-up", " ".join(words), [], words, [])


# (mention tokens, the chain's name, the expected kind)
KINDS = [
    (["the", "school"], "Kestwick School", "description"),  # a common noun the name has
    (["the", "Vale", "family"], "Vale family", None),  # part of the name
    (["the", "Secretary", "'s"], "Anna Lindqvist", None),  # a capitalised title: not counted
    (["the", "minister", "'s"], "Anna Lindqvist", "description"),  # the possessive aside
    (["the", "company"], "Kessler Partners", "description"),
    (["she"], "Anna Lindqvist", "pronoun"),
    (["Lindqvist"], "Anna Lindqvist", "surname"),
]


@pytest.mark.parametrize(("words", "name", "kind"), KINDS)
def test_kind_of(words: list[str], name: str, kind: str | None) -> None:
    """A description is a determiner and a common noun; a trailing possessive does not count."""
    mention = BENCH.Mention(0, len(words), "1", "person", None)
    assert BENCH.kind_of(_doc(words), mention, name) == kind
