"""Typed views of ``data/events/rules.toml``: event word lists, thresholds and confidences.

The file is parsed once (by :mod:`newsevents.resources`); each table is turned into a frozen
record here, once. Its ``[actors]`` table belongs to :mod:`newsevents.extract.actors.tables`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from ...resources import read_toml

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_View = TypeVar("_View", bound="DataclassInstance")


# A field's annotation, a string under postponed evaluation -> how to build it from TOML.
_CONVERT: dict[str, Callable[[Any], Any]] = {
    "frozenset[str]": frozenset,
    "str": str,
    "int": int,
    "float": float,
}


def _view(kind: type[_View], table: str) -> _View:
    """Build a record from a table of ``rules.toml``, one field per key, converted to its type."""
    raw = read_toml("events", "rules.toml")[table]
    return kind(**{f.name: _CONVERT[str(f.type)](raw[f.name]) for f in fields(kind)})


@dataclass(frozen=True, slots=True)
class Words:
    """The ``[modality]`` table: the words that mark modality, reporting and clause scope."""

    negations: frozenset[str]
    future_aux: frozenset[str]
    obligation_aux: frozenset[str]
    conditional_threat_aux: frozenset[str]
    ethnic_markers: frozenset[str]
    demand_nouns: frozenset[str]
    hypothetical_marks: frozenset[str]
    hypothetical_aux: frozenset[str]
    backshift_aux: frozenset[str]
    hypothetical_verbs: frozenset[str]
    obligation_heads: frozenset[str]
    reporting_verbs: frozenset[str]
    stative_participles: frozenset[str]
    claim_self_pronouns: frozenset[str]
    frames_need_inner: frozenset[str]
    scheduling_verbs: frozenset[str]
    purpose_aux: frozenset[str]
    purpose_journeys: frozenset[str]
    question_words: frozenset[str]
    irrealis_heads: frozenset[str]
    generic_tags: frozenset[str]
    quote_marks: frozenset[str]
    quoted_prospect_tags: frozenset[str]
    headline_sentences: int  # the first sentences, where the present tells past events
    claim_min_root: str  # "X claimed that Y did Z" is an accusation from this CAMEO root on
    claim_self_code: str  # ... and a claim of responsibility when Y is X itself
    historical_years: int  # an event this many years before publication is historical


@cache
def words() -> Words:
    """Return the event word lists (built once)."""
    return _view(Words, "modality")


@dataclass(frozen=True, slots=True)
class Confidence:
    """The ``[confidence]`` table: an event's base confidence, its adjustments and limits."""

    verb: float
    noun: float
    adjective: float
    composed: float
    light: float
    depth: float
    depth_cap: float
    no_source: float
    no_target: float
    uncoded: float
    negated: float
    hypothetical: float
    reported: float
    minimum: float
    max_per_sentence: int

    def base(self, pos: str) -> float:
        """Return the base confidence of a trigger by its kind (VERB, NOUN, LIGHT, else ADJ)."""
        return {"VERB": self.verb, "NOUN": self.noun, "LIGHT": self.light}.get(pos, self.adjective)


@cache
def confidence() -> Confidence:
    """Return the confidence settings (built once)."""
    return _view(Confidence, "confidence")


@dataclass(frozen=True, slots=True)
class Gates:
    """The ``[gates]`` table: what an event needs before it is an event at all."""

    drop_modalities: frozenset[str]
    refusal_roots: frozenset[str]
    conditional: frozenset[str]
    dyadic: frozenset[str]
    commitments: frozenset[str]
    not_complements: frozenset[str]
    motion_verbs: frozenset[str]
    contact_verbs: frozenset[str]
    everyday_verbs: frozenset[str]
    stative_verbs: frozenset[str]
    clausal_statement_types: frozenset[str]
    willingness: frozenset[str]
    desire_verbs: frozenset[str]
    political_types: frozenset[str]
    political_sectors: frozenset[str]
    poll_words: frozenset[str]
    refusal_verbs: frozenset[str]
    no_comment_verbs: frozenset[str]
    visits: frozenset[str]
    official_sectors: frozenset[str]
    actor_labels: frozenset[str]
    person_labels: frozenset[str]


@cache
def gates() -> Gates:
    """Return the event gates (built once)."""
    return _view(Gates, "gates")


@cache
def light_verbs() -> frozenset[str]:
    """Return the verbs whose object noun carries the event ("staged a protest")."""
    return frozenset(read_toml("events", "rules.toml")["lexicon"]["light_verbs"])


@cache
def periphrastic_verbs() -> frozenset[str]:
    """Return the verbs that before "to" + verb mark tense or obligation ("going to win")."""
    return frozenset(read_toml("events", "rules.toml")["lexicon"]["periphrastic_verbs"])
