"""Dependency-parse helpers for event extraction: subjects, targets, clauses and reporters."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from spacy.tokens import Doc, Token

from .rules import words
from .tree import children

SUBCLAUSE_DEPS = frozenset({"advcl", "relcl", "ccomp", "conj", "parataxis", "csubj", "xcomp"})
TARGET_PREPS = frozenset(
    {"with", "against", "on", "to", "at", "toward", "towards", "into", "over", "from", "for", "of"}
)
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside"})
MAX_PLACE_DEPTH = 3
RELATIVE = frozenset({"that", "who", "which", "whom"})
SCOPE_STOP = frozenset({"advcl", "relcl", "parataxis", "csubj", "ccomp", "acl"})


def _agent(tok: Token) -> Token | None:
    """Return the object of a passive predicate's "by" agent, if any."""
    for agent in (c for c in children(tok) if c.dep_ == "agent"):
        for p in children(agent):
            if p.dep_ == "pobj":
                return p
    return None


def subject_of(tok: Token, depth: int = 0) -> tuple[Token | None, bool]:
    """Return (subject head, passive?) of a predicate, climbing xcomp/conj/acomp chains."""
    if tok.tag_ == "VBN" and tok.dep_ == "acl":
        return _agent(tok), True
    for child in children(tok):
        if child.dep_ == "nsubjpass":
            agent = _agent(tok)
            if agent is not None:
                return agent, True
            if tok.lemma_.lower() in words().stative_participles:
                return child, False  # "Israel is opposed to ...": a state of the subject
            return None, True
        if child.dep_ == "nsubj":
            if child.lower_ in RELATIVE and tok.dep_ == "relcl":
                return tok.head, False
            return child, False
    if (
        depth < 4
        and tok.dep_ in ("xcomp", "conj", "acomp", "advcl", "oprd")
        and tok.head.i != tok.i
    ):
        return subject_of(tok.head, depth + 1)
    if tok.dep_ == "relcl":
        return tok.head, False
    return None, False


def reporter_of(tok: Token) -> Token | None:
    """Return the reporting verb governing a clause ("said that ..."), if any."""
    report = words().reporting_verbs
    cur = tok
    for _ in range(6):
        if cur.head.i == cur.i:
            return None
        if cur.dep_ in ("ccomp", "xcomp", "conj", "advcl") and cur.head.lemma_.lower() in report:
            return cur.head if cur.dep_ == "ccomp" or cur.head.pos_ == "VERB" else None
        cur = cur.head
    return None


def target_heads(tok: Token) -> Iterator[Token]:
    """Yield candidate target heads of a predicate in order of preference."""
    for child in children(tok):
        if child.dep_ in ("dobj", "dative", "nsubjpass"):
            yield child
    for holder in [tok, *(c for c in children(tok) if c.dep_ == "dobj")]:
        for child in children(holder):
            if child.dep_ in ("prep", "dative") and child.lower_ in TARGET_PREPS:
                for p in children(child):
                    if p.dep_ == "pobj":
                        yield p
                        for pp in children(p):
                            if pp.dep_ == "prep" and pp.lower_ in TARGET_PREPS:
                                yield from (q for q in children(pp) if q.dep_ == "pobj")
    for child in children(tok):
        if child.dep_ in ("xcomp", "ccomp"):
            for g in children(child):
                if g.dep_ in ("nsubj", "dobj"):
                    yield g


def _walk(top: Token, skip: Callable[[Token, Token], bool]) -> list[Token]:
    """Return the tokens under a predicate in text order, not entering a child ``skip`` refuses."""
    out: list[Token] = []
    stack = [top]
    while stack:
        cur = stack.pop()
        out.append(cur)
        stack.extend(child for child in children(cur) if not skip(cur, child))
    return sorted(out, key=lambda t: t.i)


def own_clause(top: Token) -> list[Token]:
    """Return the tokens of a predicate's own clause, without subordinate clauses."""
    sched = words().scheduling_verbs

    def skip(cur: Token, child: Token) -> bool:
        if child.dep_ in SUBCLAUSE_DEPS:
            return True
        return child.dep_ == "acl" and (cur.i != top.i or child.lemma_.lower() not in sched)

    return _walk(top, skip)


def scope(top: Token) -> list[Token]:
    """Return the tokens under a predicate, without adverbial, relative or reported clauses."""
    return _walk(
        top,
        lambda _cur, child: (
            child.dep_ in SCOPE_STOP or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"))
        ),
    )


def depth_to(tok: Token, top: Token) -> int:
    """Return how many arcs separate a token from the clause top (large if unrelated)."""
    depth, cur = 0, tok
    while cur.i != top.i and cur.head.i != cur.i and depth < 10:
        cur, depth = cur.head, depth + 1
    return depth if cur.i == top.i else 99


def clause_top(clause: list[Token]) -> Token:
    """Return the token of a clause whose head lies outside it."""
    ids = {t.i for t in clause}
    return next((t for t in clause if t.head.i not in ids or t.head.i == t.i), clause[0])


def main_depth(tok: Token) -> int:
    """Return how far a predicate sits below its sentence's main clause.

    Hops into the complement of a reporting verb ("officials *said* X attacked Y") do not count:
    the reported clause is the sentence's news.
    """
    report = words().reporting_verbs
    hops, cur = 0, tok
    for _ in range(12):
        if cur.head.i == cur.i:
            break
        reported = cur.dep_ in ("ccomp", "parataxis") and cur.head.lemma_.lower() in report
        if not reported and not (cur.dep_ == "conj" and cur.head.dep_ == "ROOT"):
            hops += 1
        cur = cur.head
    return hops


_OBLIGED: tuple[Doc | None, frozenset[int]] = (None, frozenset())  # the last document's


def _obliged(doc: Doc) -> frozenset[int]:
    """Return the indices of a document's tokens with an obligation auxiliary ("must"), once."""
    global _OBLIGED
    last, found = _OBLIGED
    if last is doc:
        return found
    strings = doc.vocab.strings
    lowers = np.array(sorted(strings[w] for w in words().obligation_aux), dtype=np.uint64)
    rows = doc.to_array(["DEP", "LOWER", "HEAD"]).astype(np.uint64)  # HEAD: a signed offset
    hits = np.flatnonzero((rows[:, 0] == strings["aux"]) & np.isin(rows[:, 1], lowers))
    offsets = rows[hits, 2].astype(np.int64)
    found = frozenset((hits + offsets)[offsets != 0].tolist())
    _OBLIGED = (doc, found)
    return found


def obligation_of(tok: Token) -> Token | None:
    """Return the speaker's predicate of "X said (that) Y must Z", or None."""
    if tok.i not in _obliged(tok.doc):  # no "must" among its auxiliaries (most verbs)
        return None
    rep = reporter_of(tok)
    if rep is not None:
        return rep
    head = tok.head
    if tok.dep_ in ("ccomp", "acl") and head.lemma_.lower() in words().demand_nouns:
        return head.head if head.head.i != head.i else None
    return None
