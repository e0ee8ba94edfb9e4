"""A learned PLOVER event-type model of a sentence, and the event confidence it informs.

The model (``data/events/types.npz``, written by ``scripts/train_event_types.py``) is a
multinomial logistic regression over symbolic features of the sentence's parse: content
lemmas, the main predicate and its complements, verb-object and verb-preposition-object pairs,
negation and auxiliaries (:func:`sentence_features`). It was fitted on the first sentences of
synthetic PLOVER-labelled news stories (NGEC, Halterman 2023), later sentences of those stories
as ``NONE`` (pseudo-negatives), and the PLOVER codebook's definitions; it gives, for a sentence,
a probability per PLOVER type and for ``NONE`` (no political event). The file holds feature
names (lemmas and dependency labels) and numbers only, never the stories.

The event assembler uses it through :func:`rescore`: a candidate event keeps its rule-based
score, moved by how probable the model finds its PLOVER type, then mapped to a calibrated
confidence by the table in ``data/events/classifier.toml``. The model never makes an event on
its own: it only ranks and scores the candidates the lexicon found. Without the weights file
:func:`type_model` is None and every score is left as the rules made it.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
from spacy.tokens import Span, Token

from ...errors import ConfigError
from ...ontology import cameo
from ...resources import data_path, has_data, read_toml

NONE = "NONE"  # the class of sentences without a political event
MODEL_FILE = ("events", "types.npz")
CALIBRATION_FILE = ("events", "classifier.toml")
BIAS = "bias"  # the feature every sentence has

_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV"})
_OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd", "dative"})
_MODALS = frozenset({"will", "would", "could", "may", "might", "must", "should", "can", "wo"})
# Reporting verbs whose complement carries the sentence's event ("X said troops attacked Y").
_REPORTING = frozenset(
    {"say", "tell", "state", "announce", "report", "add", "claim", "according", "confirm"}
)


def _lemma(tok: Token) -> str:
    """Return a token's lemma, a named entity's type in place of a proper name."""
    if tok.pos_ == "PROPN":
        return tok.ent_type_ or "PROPN"
    if tok.like_num:
        return "NUM"
    return tok.lemma_.lower()


def _main(root: Token) -> Token:
    """Return the main predicate: the root, or the complement of a reporting root."""
    seen = 0
    while root.lemma_.lower() in _REPORTING and seen < 3:
        comp = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp")), None)
        if comp is None:
            break
        root, seen = comp, seen + 1
    return root


def _predicate(tok: Token, lem: str, feats: set[str]) -> None:
    """Add a verb's features: its objects, prepositions, particles, complements, negation."""
    feats.add(f"v={lem}")
    for c in tok.children:
        dep = c.dep_
        if dep in _OBJECT_DEPS:
            feats.add(f"vo={lem}>{_lemma(c)}")
        elif dep in ("prep", "agent"):
            feats.add(f"vp={lem}>{c.lower_}")
            for p in c.children:
                if p.dep_ == "pobj":
                    feats.add(f"vpo={lem}>{c.lower_}>{_lemma(p)}")
        elif dep == "neg":
            feats.add(f"neg={lem}")
        elif dep in ("xcomp", "ccomp"):
            feats.add(f"vc={lem}>{c.lemma_.lower()}")
        elif dep == "prt":
            feats.add(f"vt={lem}>{c.lower_}")
        elif dep == "aux" and c.lower_ in _MODALS:
            feats.add(f"aux={c.lower_}")


def sentence_features(sents: Iterable[Span]) -> list[str]:
    """Return the model's features of one sentence (or of several read as one example)."""
    feats: set[str] = {BIAS}
    for sent in sents:
        main = _main(sent.root)
        feats.add(f"root={sent.root.lemma_.lower()}")
        feats.add(f"main={main.lemma_.lower()}")
        for tok in sent:
            if tok.is_punct or tok.is_space or tok.like_num:
                continue
            lem = tok.lemma_.lower()
            if tok.pos_ in _CONTENT_POS and not tok.is_stop:
                feats.add(f"w={lem}")
            if tok.pos_ == "VERB":
                _predicate(tok, lem, feats)
            elif tok.pos_ == "NOUN":
                for c in tok.children:
                    if c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "ADJ"):
                        feats.add(f"nm={c.lemma_.lower()}>{lem}")
    return sorted(feats)


@dataclass(frozen=True, slots=True)
class TypeModel:
    """Weights of the sentence type model: one row per feature, one column per class."""

    classes: tuple[str, ...]
    index: dict[str, int]
    weights: np.ndarray  # (features, classes) float32

    def probabilities(self, feats: Iterable[str]) -> np.ndarray:
        """Return the class probabilities (in ``classes`` order) of a feature list."""
        rows = [self.index[f] for f in feats if f in self.index]
        z = self.weights[rows].sum(axis=0, dtype=np.float64)
        z -= z.max()
        p = np.exp(z)
        return np.asarray(p / p.sum())

    def scores(self, sent: Span) -> dict[str, float]:
        """Return class -> probability for one sentence (``NONE`` included when trained)."""
        p = self.probabilities(sentence_features([sent]))
        return {c: float(v) for c, v in zip(self.classes, p, strict=True)}


def load_type_model(path: Path) -> TypeModel:
    """Read a model written by ``scripts/train_event_types.py``."""
    try:
        with np.load(path, allow_pickle=False) as raw:
            features = [str(f) for f in raw["features"]]
            classes = tuple(str(c) for c in raw["classes"])
            weights = np.asarray(raw["weights"], dtype=np.float32)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(
            f"cannot read the event type model {path}: {exc!r}; write it again with "
            "scripts/train_event_types.py (or reinstall for the bundled one)"
        ) from exc
    if weights.shape != (len(features), len(classes)):
        raise ConfigError(f"event type model {path}: weights do not match features and classes")
    return TypeModel(classes, {f: i for i, f in enumerate(features)}, weights)


@cache
def type_model() -> TypeModel | None:
    """Return the bundled type model, or None when its weights are absent."""
    if not has_data(*MODEL_FILE):
        return None
    return load_type_model(Path(str(data_path(*MODEL_FILE))))


def type_scores(sent: Span) -> dict[str, float]:
    """Return PLOVER type (and ``NONE``) -> probability for a sentence; {} without a model."""
    model = type_model()
    return {} if model is None else model.scores(sent)


@dataclass(frozen=True, slots=True)
class Calibration:
    """How a candidate's rule score and its type's probability become its confidence.

    ``raw = score + weight * log(max(p_type, floor) * n_types) - none_weight * p_none``, where
    ``n_types * p_type`` is 1 when the model is indifferent among the types; then ``raw`` below
    ``drop_below`` drops the candidate, and the confidence is ``raw`` mapped through the
    increasing piecewise-linear table ``(knots, values)`` (held at its ends beyond them).
    """

    weight: float
    floor: float
    none_weight: float
    drop_below: float
    knots: tuple[float, ...]
    values: tuple[float, ...]

    def raw(self, score: float, plover_type: str | None, probs: dict[str, float]) -> float:
        """Return the combined, uncalibrated score of a candidate.

        A code without a PLOVER type (CAMEO 01, public statements) is not moved by the type
        term: the model has no class for it.
        """
        n = sum(1 for c in probs if c != NONE)
        if plover_type in probs:
            score += self.weight * math.log(max(probs[plover_type], self.floor) * n)
        return score - self.none_weight * probs.get(NONE, 0.0)

    def confidence(self, raw: float) -> float:
        """Return the calibrated confidence of a combined score."""
        if not self.knots:
            return raw
        return float(np.interp(raw, self.knots, self.values))


IDENTITY = Calibration(0.0, 1e-3, 0.0, -math.inf, (), ())


@cache
def calibration() -> Calibration:
    """Return the bundled combination and calibration table (identity when absent)."""
    if not has_data(*CALIBRATION_FILE):
        return IDENTITY
    return parse_calibration(read_toml(*CALIBRATION_FILE), "/".join(CALIBRATION_FILE))


def parse_calibration(raw: dict[str, object], source: str) -> Calibration:
    """Return the calibration in a parsed ``classifier.toml`` table."""
    try:
        table = raw["calibration"]
        assert isinstance(table, dict)
        knots = tuple(float(k) for k in table["knots"])
        values = tuple(float(v) for v in table["values"])
        cal = Calibration(
            weight=float(table["type_weight"]),
            floor=float(table["type_floor"]),
            none_weight=float(table["none_weight"]),
            drop_below=float(table["drop_below"]),
            knots=knots,
            values=values,
        )
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        raise ConfigError(f"data file {source} has no valid [calibration] table: {exc!r}") from exc
    if len(knots) != len(values) or any(b < a for a, b in pairwise(knots)):
        raise ConfigError(f"data file {source}: knots and values must pair, knots increasing")
    return cal


def read_calibration(path: Path) -> Calibration:
    """Read a calibration file (for the training script and tests)."""
    try:
        return parse_calibration(tomllib.loads(path.read_text(encoding="utf-8")), str(path))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc


# The last sentence scored, with its model and scores: a sentence's candidates come in a row.
_memo: list[tuple[TypeModel, Span, dict[str, float]] | None] = [None]


def sentence_scores(model: TypeModel, sent: Span) -> dict[str, float]:
    """Return ``model``'s scores of a sentence, computed once for its candidates in a row."""
    memo = _memo[0]
    if memo is not None:
        prev_model, prev, probs = memo
        same = prev.doc is sent.doc and (prev.start, prev.end) == (sent.start, sent.end)
        if prev_model is model and same:
            return probs
    probs = model.scores(sent)
    _memo[0] = (model, sent, probs)
    return probs


def rescore(score: float, code: str, sent: Span) -> float | None:
    """Return a candidate's confidence given its sentence's type probabilities.

    ``score`` is the rule-based score (depth included), ``code`` the candidate's CAMEO code.
    Without a model the score is returned unchanged; None means the model finds the type too
    improbable to keep the event.
    """
    model = type_model()
    if model is None:
        return score
    cal = calibration()
    raw = cal.raw(score, cameo(code).plover_type, sentence_scores(model, sent))
    if raw < cal.drop_below:
        return None
    return cal.confidence(raw)
