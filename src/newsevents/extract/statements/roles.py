"""Token roles in attributions — cue, source, content — from a small trained tagger.

A convolutional tagger (hashed word, affix, shape, tag and dependency embeddings; a few
window layers; softmax) reads each token in context and gives the probability that it is an
attribution's cue, its source, its content or none of these. The candidate scorer takes these
probabilities as features, and a kept content is widened over the neighbouring tokens the
tagger reads as content. Its weights (``data/statements/roles.bin``) were fitted by
``scripts/train_statement_roles.py`` on the PolNeAR train split (Newell, Margolin and Ruths,
LREC 2018); the file holds numbers only. Shapes and thresholds are in ``roles.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray
from spacy.attrs import DEP, NORM, PREFIX, SHAPE, SUFFIX, TAG
from spacy.ml.models.tok2vec import MaxoutWindowEncoder, build_Tok2Vec_model
from spacy.tokens import Doc
from thinc.api import (
    HashEmbed,
    Maxout,
    Model,
    Softmax,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    with_array,
)
from thinc.types import Floats2d, Ints2d

from ...errors import ConfigError
from ...resources import data_path, read_toml
from ..doctext import doc_text
from .base import ROLE_CONTENT, ROLE_CUE, ROLE_SOURCE, Candidate, Layout, trim
from .lexicon import lexicon
from .quotes import find_quotes

ROLES = ("none", "cue", "source", "content")
CUE, SOURCE, CONTENT = ROLE_CUE, ROLE_SOURCE, ROLE_CONTENT
ROLE_PREFIX = "roles."  # names of the scorer's numeric features from this tagger
_ATTRS = (NORM, PREFIX, SUFFIX, SHAPE, TAG, DEP)
_FIXED = frozenset({"quote", "quotepre", "headline", "title"})  # patterns whose bounds stay
_GAP = 1  # tokens read otherwise that a content or source run bridges

Roles = NDArray[np.float32]  # one row per token, one column per ROLES entry


@dataclass(frozen=True, slots=True)
class RoleShape:
    """The tagger's sizes and the content probability that widens a kept content."""

    width: int
    depth: int
    window: int
    rows: tuple[int, ...]  # hash-embedding rows: the attributes in _ATTRS, then the context
    widen: float


@cache
def role_shape() -> RoleShape:
    """Return the tagger's shape from ``data/statements/roles.toml``."""
    raw = read_toml("statements", "roles.toml")
    shape = RoleShape(
        width=int(raw["width"]),
        depth=int(raw["depth"]),
        window=int(raw["window"]),
        rows=tuple(int(r) for r in raw["rows"]),
        widen=float(raw["widen"]),
    )
    if len(shape.rows) != len(_ATTRS) + 1:
        raise ConfigError(f"roles.toml: rows needs {len(_ATTRS) + 1} numbers, got {shape.rows}")
    return shape


def context_codes(doc: Doc, cues: frozenset[str]) -> list[int]:
    """Return each token's context code: inside a quotation or not x cue, under a cue, other."""
    quotes = find_quotes(doc_text(doc))
    # Read from the Doc's arrays, not Token objects: each distinct lemma is looked up once.
    strings = doc.vocab.strings
    lemmas, inverse = np.unique(doc.to_array("LEMMA"), return_inverse=True)
    cue_of = [strings[int(lemma)].lower() in cues for lemma in lemmas.tolist()]
    is_cue = [cue_of[k] for k in inverse.reshape(-1).tolist()]
    offsets = doc.to_array("HEAD").astype(np.int64)  # signed offsets stored as uint64
    heads = (offsets + np.arange(len(doc), dtype=np.int64)).tolist()
    under: list[bool | None] = [None] * len(heads)  # some ancestor is a cue (memoised)
    for i in range(len(heads)):
        chain = []
        j = i
        while under[j] is None and heads[j] != j:
            chain.append(j)
            j = heads[j]
        known = bool(under[j])  # j is a root (no ancestor) or already settled
        for k in reversed(chain):  # from the top down: k's ancestors are its head and above
            known = known or is_cue[heads[k]]
            under[k] = known
        if under[j] is None:
            under[j] = False
    codes = []
    for i, idx in enumerate(doc.to_array("IDX").tolist()):
        rel = 1 if is_cue[i] else 2 if under[i] else 3
        codes.append(rel + (3 if quotes.containing(idx) is not None else 0))
    return codes


def _featurizer(cues: frozenset[str]) -> Model[list[Doc], list[Ints2d]]:
    def forward(model: Model[list[Doc], list[Ints2d]], docs: list[Doc], is_train: bool) -> Any:
        out = []
        for doc in docs:
            ids = doc.to_array(list(_ATTRS)).astype("uint64").reshape((len(doc), len(_ATTRS)))
            codes = np.asarray(context_codes(doc, cues), dtype="uint64").reshape((len(doc), 1))
            out.append(cast(Ints2d, model.ops.xp.asarray(np.hstack([ids, codes]))))
        return out, lambda d_out: []

    return Model("statement_role_features", forward)


def build_role_model(shape: RoleShape, cues: frozenset[str]) -> Model[list[Doc], list[Floats2d]]:
    """Return the (untrained) role tagger: embeddings, window encoder, softmax over ROLES."""
    width = shape.width
    embeds: list[Model[Ints2d, Floats2d]] = [
        HashEmbed(width, rows, column=i, seed=7 + i, dropout=0.0)
        for i, rows in enumerate(shape.rows)
    ]
    embed: Model[list[Doc], list[Floats2d]] = chain(
        _featurizer(cues),
        list2ragged(),
        with_array(concatenate(*embeds)),
        with_array(Maxout(width, width * len(embeds), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
    encode = MaxoutWindowEncoder(
        width=width, window_size=shape.window, maxout_pieces=3, depth=shape.depth
    )
    tok2vec = build_Tok2Vec_model(embed, encode)
    return chain(tok2vec, with_array(Softmax(len(ROLES), width)))


def load_role_model(path: Path) -> Model[list[Doc], list[Floats2d]]:
    """Read a tagger written by ``scripts/train_statement_roles.py``."""
    model = build_role_model(role_shape(), frozenset(lexicon().cue_class))
    try:
        model.initialize()
        model.from_bytes(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"cannot read the statement role tagger {path}: {exc!r}; write it again with "
            "scripts/train_statement_roles.py (or reinstall for the bundled one)"
        ) from exc
    return model


@cache
def role_model() -> Model[list[Doc], list[Floats2d]] | None:
    """Return the bundled trained tagger, or None when its weights are absent."""
    path = data_path("statements", "roles.bin")
    return load_role_model(Path(str(path))) if path.is_file() else None


def token_roles(doc: Doc) -> Roles | None:
    """Return the role probabilities of the doc's tokens (None without a bundled tagger)."""
    model = role_model()
    if model is None or len(doc) == 0:
        return None
    return np.asarray(model.predict([doc])[0], dtype="float32")


def widened(doc: Doc, cand: Candidate, layout: Layout, p: float, cues: frozenset[int]) -> Candidate:
    """Return the candidate with its token content grown over neighbours read as content.

    A neighbour joins when its content probability exceeds ``p``; growth stops at the
    sentence's edge, at the cue, the speaker or a second content part, and at ``cues`` (the
    tokens of the other statements' cues). What growth adds loses trailing punctuation and
    conjunctions. Quotations and headlines keep their bounds.
    """
    roles = layout.roles
    start, end = cand.content
    if roles is None or cand.char_content is not None or end <= start or cand.pattern in _FIXED:
        return cand
    blocked = set(cues)
    blocked.update(range(*cand.cue))
    for rng in (cand.speaker, cand.extra):
        if rng is not None:
            blocked.update(range(*rng))
    last, first = layout.sent_end[end - 1], layout.sent_start[start]
    while end < last and end not in blocked and roles[end, CONTENT] > p:
        end += 1
    while start > first and start - 1 not in blocked and roles[start - 1, CONTENT] > p:
        start -= 1
    if (start, end) == cand.content:
        return cand
    new_start, new_end = trim(doc, start, end)
    start, end = min(new_start, cand.content[0]), max(new_end, cand.content[1])
    return replace(cand, content=(start, end))


def role_values(doc: Doc, cand: Candidate, layout: Layout) -> dict[str, float]:
    """Return the scorer's numeric features of a candidate from its tokens' role probabilities."""
    roles, sums = layout.roles, layout.role_sums
    if roles is None or sums is None:
        return {}
    content, best, source = sums
    start, end = cand.content
    if cand.char_content is not None:
        span = doc.char_span(*cand.char_content, alignment_mode="expand")
        if span is not None:
            start, end = span.start, span.end
    ranges = [(start, end)] if end > start else []
    if cand.extra is not None and cand.extra[1] > cand.extra[0]:
        ranges.append(cand.extra)
    n = sum(b - a for a, b in ranges)
    after = min(end + 3, len(roles))
    values = {
        "roles.content": sum(content[b] - content[a] for a, b in ranges) / n if n else 0.0,
        "roles.content_share": sum(best[b] - best[a] for a, b in ranges) / n if n else 0.0,
        "roles.after": (content[after] - content[end]) / (after - end) if after > end else 0.0,
        "roles.before": (content[start] - content[max(0, start - 3)]) / min(3, start)
        if start
        else 0.0,
        "roles.cue": float(roles[cand.cue[0], CUE]),
    }
    s_start, s_end = cand.speaker or (0, 0)
    if s_end > s_start:
        values["roles.source"] = (source[s_end] - source[s_start]) / (s_end - s_start)
    else:
        values["roles.no_source"] = 1.0
    return values


def _runs(best: Roles, role: int, start: int, end: int, gap: int) -> list[tuple[int, int]]:
    """Return the token ranges in [start, end) read as ``role``, bridging ``gap`` others."""
    runs: list[tuple[int, int]] = []
    for i in range(start, end):
        if best[i] != role:
            continue
        if runs and i - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def _nearest(runs: list[tuple[int, int]], cue: tuple[int, int]) -> tuple[int, int] | None:
    outside = [r for r in runs if r[1] <= cue[0] or r[0] >= cue[1]]
    return min(outside, key=lambda r: max(cue[0] - r[1], r[0] - cue[1]), default=None)


def role_candidates(doc: Doc, layout: Layout, taken: set[int]) -> list[Candidate]:
    """Return candidates for cues only the tagger reads as cues (tokens not in ``taken``).

    The content is the run of tokens read as content nearest the cue in its sentence, the
    speaker the nearest run read as source; the scorer decides whether to keep them.
    """
    roles = layout.roles
    if roles is None:
        return []
    best = roles.argmax(axis=1)
    found: list[Candidate] = []
    i = 0
    while i < len(doc):
        if best[i] != CUE or i in taken:
            i += 1
            continue
        j = i + 1
        while j < layout.sent_end[i] and best[j] == CUE and j not in taken:
            j += 1
        bounds = layout.sent_start[i], layout.sent_end[i]
        content = _nearest(_runs(best, CONTENT, *bounds, _GAP), (i, j))
        if content is not None:
            speaker = _nearest(_runs(best, SOURCE, *bounds, _GAP), (i, j))
            lemma = " ".join(t.lemma_.lower() for t in doc[i:j])
            found.append(Candidate(lemma, "roles", (i, j), content, speaker))
        i = j
    return found
