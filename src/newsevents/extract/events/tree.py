"""A document's dependency tree read once from its arrays: children without a scan per call.

``Token.children`` scans a token's whole subtree span and builds a Token object per word it
passes; the event passes ask for the children of the same tokens many times. ``children`` reads
the heads of the last document once and answers from a table (the same tokens, in text order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc, Token


@dataclass(frozen=True, slots=True)
class _Tree:
    """One document's children: indices from its heads, Token tuples built on demand."""

    doc: Doc
    size: int
    kids: list[list[int]]
    built: dict[int, tuple[Token, ...]]  # a cache filled as tokens are asked for


_LAST: _Tree | None = None  # the last document's, replaced whole (one reference swap)


def _read(doc: Doc) -> list[list[int]]:
    """Return every token's child indices in text order, from the Doc's head offsets."""
    n = len(doc)
    offsets = doc.to_array("HEAD").astype(np.int64)  # signed offsets stored as uint64
    kids: list[list[int]] = [[] for _ in range(n)]
    for i, h in enumerate((offsets + np.arange(n, dtype=np.int64)).tolist()):
        if h != i:
            kids[h].append(i)
    return kids


def children(tok: Token) -> tuple[Token, ...]:
    """Return a token's syntactic children in text order (what ``Token.children`` yields)."""
    global _LAST
    doc, i = tok.doc, tok.i
    tree = _LAST
    if tree is None or tree.doc is not doc or tree.size != len(doc):
        tree = _LAST = _Tree(doc, len(doc), _read(doc), {})
    found = tree.built.get(i)
    if found is None:
        found = tree.built[i] = tuple(doc[j] for j in tree.kids[i])
    return found
