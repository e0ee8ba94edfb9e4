"""A learned candidate scorer: logistic regression over symbolic candidate features.

The weights (``data/statements/scorer.json``) were fitted by ``scripts/train_statements.py``
on the PolNeAR train split (Newell, Margolin and Ruths, LREC 2018); the file holds feature
names (pattern names, cue lemmas, dependency labels) and numbers only. Scoring is a sum of
weights over a candidate's features, so it needs no machine-learning library at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import repeat
from pathlib import Path

from spacy.tokens import Doc

from ...errors import ConfigError
from ...resources import has_data, read_text
from .base import Candidate, Layout, within
from .lexicon import Lexicon
from .quotes import Quotes
from .roles import ROLE_PREFIX, role_values

_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP"})
LEMMA = "l="  # prefix of the cue-lemma feature
UNKNOWN_LEMMA = "l=<unknown>"  # stands in for lemmas too rare in training to have a weight


@dataclass(frozen=True, slots=True)
class Scorer:
    """Weights of the candidate scorer and the probability a candidate needs to be kept."""

    bias: float
    weights: dict[str, float]
    threshold: float
    # derived from ``weights``: the cue-lemma features that have a weight, and whether the
    # scorer was fitted on the role tagger's probabilities
    lemmas: frozenset[str] = field(init=False, repr=False, compare=False)
    uses_roles: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        known = frozenset(f for f in self.weights if f.startswith(LEMMA))
        object.__setattr__(self, "lemmas", known)
        roles = any(name.startswith(ROLE_PREFIX) for name in self.weights)
        object.__setattr__(self, "uses_roles", roles)

    def probability(self, feats: list[str], values: dict[str, float] | None = None) -> float:
        """Return the modelled probability that a candidate with these features is a statement.

        ``feats`` are present-or-absent features; ``values`` numeric ones (name to value).
        """
        weight = self.weights.get
        z = self.bias + sum(map(weight, feats, repeat(0.0)))
        if values:
            z += sum(weight(name, 0.0) * v for name, v in values.items())
        if self.lemmas.isdisjoint(feats):
            z += weight(UNKNOWN_LEMMA, 0.0)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _unreadable(source: object, exc: Exception) -> ConfigError:
    return ConfigError(
        f"cannot read statements scorer {source}: {exc!r}; write it again with "
        "scripts/train_statements.py --out (or reinstall for the bundled one)"
    )


def _parsed(text: str, source: object) -> Scorer:
    """Return the scorer in the JSON text of ``source`` (a file the training script wrote)."""
    try:
        raw = json.loads(text)
        return Scorer(
            bias=float(raw["bias"]),
            weights={str(k): float(v) for k, v in raw["weights"].items()},
            threshold=float(raw["threshold"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _unreadable(source, exc) from exc


def load_scorer(path: Path) -> Scorer:
    """Read a scorer from a JSON file written by ``scripts/train_statements.py``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    return _parsed(text, path)


@cache
def scorer() -> Scorer | None:
    """Return the bundled scorer, or None when the data file is absent."""
    if not has_data("statements", "scorer.json"):
        return None
    return _parsed(read_text("statements", "scorer.json"), "data/statements/scorer.json")


def _bucket(n: int) -> str:
    return str(min(6, n.bit_length()))


def _speaker_kind(doc: Doc, rng: tuple[int, int] | None) -> str:
    if rng is None or rng[1] <= rng[0]:
        return "none"
    span = doc[rng[0] : rng[1]]
    root = span.root
    if root.tag_ in _PRONOUN_TAGS:
        return "pron"
    if root.ent_type_:
        return root.ent_type_
    return root.pos_


def features(doc: Doc, cand: Candidate, quotes: Quotes, lex: Lexicon, layout: Layout) -> list[str]:
    """Return the candidate's symbolic features (strings; each present feature counts 1)."""
    token = doc[cand.cue[0]]
    sent_start = layout.sent_start[token.i]
    pattern, lemma = cand.pattern, cand.lemma
    cue_class = lex.cue_class
    cls = cue_class.get(lemma) or cue_class.get(token.lemma_.lower()) or "none"
    if cand.char_content is not None:
        c_start, c_end = cand.char_content
        quoted = True
        n_tokens = max(1, (c_end - c_start) // 5)
        first = doc[cand.content[0]] if cand.content[1] > cand.content[0] else token
    else:
        c_start, c_end = cand.content
        quoted = bool(within(layout.quote_marks, c_start, c_end))
        n_tokens = c_end - c_start
        first = doc[c_start]
    if cand.extra is not None:
        n_tokens += cand.extra[1] - cand.extra[0]
    spk = _speaker_kind(doc, cand.speaker)
    # the cue's last character: a dash glued to a closing mark ('”―') is outside the quotation
    in_quote = quotes.containing(token.idx + len(token.text) - 1) is not None
    after = "after" if cand.content[0] > token.i else "before"
    negated = any(c.dep_ == "neg" for c in token.children)
    feats = [
        f"p={pattern}",
        f"l={lemma}",
        f"lp={lemma}|{pattern}",
        f"c={cls}",
        f"cp={cls}|{pattern}",
        f"pos={token.pos_}|{pattern}",
        f"tag={token.tag_}",
        f"dep={token.dep_}|{pattern}",
        f"spk={spk}",
        f"spkp={spk}|{pattern}",
        f"q={quoted}|{pattern}",
        f"len={_bucket(n_tokens)}|{pattern}",
        f"cueq={in_quote}",
        f"side={after}|{pattern}",
        f"neg={negated}",
        f"first={first.lower_ if first.dep_ in ('mark', 'aux') else first.pos_}",
        f"sentpos={_bucket(token.i - sent_start)}",
        f"ls={lemma}|{spk}",
        f"lex={lex.accepts(lemma, pattern) is not None}|{pattern}",
        f"extra={cand.extra is not None}",
        f"ld={lemma}|{token.dep_}",
        f"lq={lemma}|{quoted}",
        f"lside={lemma}|{after}",
        f"ltag={lemma}|{token.tag_}",
        f"csp={cls}|{spk}|{pattern}|{after}",
    ]
    feats.append(f"lpq={lemma}|{pattern}|{quoted}")
    feats.append(f"lpside={lemma}|{pattern}|{after}")
    feats.append(f"lplen={lemma}|{pattern}|{_bucket(n_tokens)}")
    if cand.char_content is None and cand.content[1] > cand.content[0]:
        c_start, c_end = cand.content
        last = doc[c_end - 1]
        feats.append(f"end={last.pos_}|{pattern}")
        nested = ""
        for i in within(layout.cue_verbs, c_start, c_end):
            if i == token.i:
                continue
            nested = "cue"
            dep = doc[i].dep_
            if dep in ("ccomp", "conj", "advcl", "relcl"):
                nested = f"cue|{dep}"
                break
        feats.append(f"nested={nested}|{pattern}")
        trail = next(
            (
                doc[i]
                for i in within(layout.trails, max(token.i + 1, c_start + 1), c_end)
                if doc[i].head.i != token.i
            ),
            None,
        )
        if trail is not None:
            feats.append(f"trail={trail.tag_}|{pattern}")
    if cand.speaker is not None and cand.speaker[1] > cand.speaker[0]:
        feats.append(f"spkw={doc[cand.speaker[0] : cand.speaker[1]].root.lower_}")
    if token.dep_ in ("xcomp", "conj", "ccomp", "advcl", "pcomp") and token.head.i != token.i:
        feats.append(f"head={token.head.lemma_.lower()}|{token.dep_}")
    if pattern in ("ccomp", "noun") and cand.content[1] > cand.content[0]:
        root = doc[cand.content[0] : cand.content[1]].root
        subj = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children)
        feats.append(f"csubj={subj}|{root.tag_}")
    if pattern in ("dobj", "prep", "noun", "nounprep") and cand.content[1] > cand.content[0]:
        root = doc[cand.content[0] : cand.content[1]].root
        feats.append(f"obj={root.ent_type_ or root.pos_}|{pattern}")
        feats.append(f"objl={lemma}|{root.ent_type_ or root.pos_}")
    return feats


def select(
    doc: Doc,
    quotes: Quotes,
    groups: list[list[Candidate]],
    lex: Lexicon,
    model: Scorer,
    layout: Layout,
    threshold: float,
) -> list[Candidate]:
    """Keep each cue's most probable candidate when its probability reaches the threshold.

    A kept reading without a speaker takes the one the quotation-first reading of the same cue
    found without the parse ('"…," said the baker, who …').
    """
    kept: list[Candidate] = []
    for group in groups:
        best, best_p = None, -1.0
        for cand in group:
            p = model.probability(
                features(doc, cand, quotes, lex, layout), role_values(doc, cand, layout)
            )
            if p > best_p:
                best, best_p = cand, p
        if best is None or best_p < threshold:
            continue
        speaker = best.speaker or next(
            (c.speaker for c in group if c.pattern == "quote" and c.speaker is not None), None
        )
        kept.append(replace(best, score=best_p, speaker=speaker))
    return kept
