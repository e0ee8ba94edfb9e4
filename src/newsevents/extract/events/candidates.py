"""Candidate events of a sentence: matched triggers, composed with their frames and auxiliaries.

Triggers come from the reviewed lexicon first, else from PETRARCH's verb knowledge
(:mod:`.verbs`). A frame verb ("agreed to", "threatened to", "claimed that") takes the code of
its complement through ``compose.csv`` and consumes it; a modal auxiliary turns "will X" into
intent or threat and "must X" into a demand; an event noun carried by a light verb ("staged a
*protest*") takes the light verb as its predicate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from .rules import periphrastic_verbs, words
from .syntax import obligation_of, subject_of
from .tree import children
from .triggers import (
    LexEntry,
    compose,
    has_entries,
    is_verb,
    lemma_forms,
    lexicon,
    match,
    trigger_pos,
)
from .verbs import match_verb, verb_index


@dataclass(frozen=True, slots=True)
class Candidate:
    """A matched trigger before actors are attached."""

    token: Token
    entry: LexEntry
    code: str
    top: Token  # the predicate: the trigger, or the light verb carrying an event noun
    composed: bool
    frame_modality: str | None  # "future" or "demand" when a frame or auxiliary set it


MUST = LexEntry("must", "VERB", (), "100", None)
FRAMES = frozenset({"intent", "threat", "demand", "appeal", "reject", "posture"})


def _frame(frame: str, inner: str | None) -> str:
    """Promises of force are threats ("vowed to fight"); preparations for force are posture."""
    violent = inner is not None and inner[:2] >= "14"
    if frame == "posture":
        return "posture" if violent and inner is not None and inner[:2] >= "18" else "intent"
    if frame == "intent" and violent:
        return "threat"
    return frame


def _is_light(entry: LexEntry) -> bool:
    """Return whether a nominal trigger carries its event through a light verb."""
    return entry.pos == "NOUN" and any(c.kind == "light" for c in entry.require)


def _more_specific(noun: LexEntry, verb: LexEntry) -> bool:
    """Return whether a reviewed event noun with its own constraints ("a *hunger* strike")
    says more than a PETRARCH verb pattern naming only that object ("staged a strike"), unlike
    one with a particle, preposition or modifier ("called *off* talks")."""
    return (
        verb.origin != "lexicon"
        and any(c.kind != "light" for c in noun.require)
        and all(c.kind == "obj" and all(" " not in v for v in c.values) for c in verb.require)
    )


def _infinitive(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in children(tok))


def _complement(tok: Token, found: dict[int, LexEntry]) -> Token | None:
    """Return the matched complement a frame verb applies to ("agreed to *meet*"), if any."""
    for child in children(tok):
        if child.dep_ in ("xcomp", "ccomp") and child.i in found:
            return child
    for child in children(tok):
        if child.dep_ == "advcl" and child.i in found and _infinitive(child):
            return child  # "swore to fight" parsed as an adverbial clause
        if child.dep_ in ("xcomp", "ccomp"):
            for g in children(child):
                if g.i in found and (_is_light(found[g.i]) or g.dep_ == "xcomp"):
                    return g  # "decided to stage a strike", "prepared to resume shelling"
    for child in children(tok):
        if child.dep_ == "prep" and child.lower_ in ("to", "for", "on"):
            for p in children(child):
                if p.i in found:
                    return p
    for child in children(tok):
        if child.dep_ == "dobj":
            for g in children(child):
                if g.dep_ in ("xcomp", "acl", "relcl") and g.i in found:
                    return g
    return None


@cache
def known_words() -> frozenset[str]:
    """Every word the reviewed lexicon or PETRARCH's verb dictionary lists."""
    return frozenset({lemma for lemma, _ in lexicon()} | set(verb_index()))


def trigger(tok: Token) -> LexEntry | None:
    """Return a token's trigger entry: the reviewed lexicon's, else PETRARCH's verb patterns.

    A verb the lexicon lists but whose constraints are not met here takes only a PETRARCH
    pattern (never its bare code): the lexicon's constraints say when the bare verb is news.
    """
    if trigger_pos(tok) is None or known_words().isdisjoint(lemma_forms(tok)):
        return None  # most tokens: no word of either dictionary (the same answer, sooner)
    if _periphrastic(tok):
        return None
    entry = match(tok)
    if entry is not None or not is_verb(tok):
        return entry
    return match_verb(tok, lemma_forms(tok), bare=not has_entries(tok))


def _periphrastic(tok: Token) -> bool:
    """Return whether a verb only marks tense or obligation ("is *going* to win")."""
    return tok.lemma_ in periphrastic_verbs() and any(
        c.dep_ == "xcomp" and _infinitive(c) for c in children(tok)
    )


def find_candidates(sent: Span, tokens: Sequence[Token] | None = None) -> list[Candidate]:
    """Return a sentence's candidate events, complements consumed by their frames.

    ``tokens`` are the sentence's tokens when the caller has them already (each pass over a
    Span builds its Token objects again); those that are neither a verb nor a possible trigger
    a dictionary lists (``assemble.token_roles``: no SEEN bit) may be left out (the same result).
    """
    doc = sent.doc
    found: dict[int, LexEntry] = {}
    verbs: list[Token] = []
    for tok in sent if tokens is None else tokens:
        entry = trigger(tok)
        if entry is not None:
            found[tok.i] = entry
        elif tok.pos_ == "VERB":
            verbs.append(tok)
    for i, entry in list(found.items()):
        head = doc[i].head
        if _is_light(entry) and head.i in found and _more_specific(entry, found[head.i]):
            del found[head.i]  # the reviewed event noun ("a *hunger* strike") says more
            if head.pos_ == "VERB":
                verbs.append(head)
    for tok in sorted(verbs, key=lambda t: t.i):
        if tok.i not in found and obligation_of(tok) is not None:
            found[tok.i] = MUST
    consumed: set[int] = set()
    cands: list[Candidate] = []
    for i in sorted(found):
        tok, entry = doc[i], found[i]
        if _is_light(entry):
            if tok.head.i in found:
                consumed.add(i)  # the light verb's own entry ("launched an attack") wins
            else:
                cands.append(Candidate(tok, entry, entry.code, tok.head, False, None))
        elif entry.frame == "claim":
            claimed = _claimed(tok, found)
            if claimed is not None:
                cands.append(Candidate(tok, entry, claimed, tok, True, None))
        elif entry.frame in FRAMES:
            inner = _complement(tok, found)
            if inner is None and entry.lemma in words().frames_need_inner:
                continue
            inner_code = found[inner.i].code if inner is not None else None
            code = compose(_frame(entry.frame, inner_code), inner_code) or entry.code
            if inner is not None:
                consumed.add(inner.i)
            cands.append(Candidate(tok, entry, code, tok, inner is not None, None))
        else:
            cands.append(_modal(tok, entry))
    return [c for c in cands if c.token.i not in consumed]


def _claimed(tok: Token, found: dict[int, LexEntry]) -> str | None:
    """Return the code of "X claimed that Y did Z": 112, 015 for "they" (X), else None."""
    conf = words()
    comp = next((c for c in children(tok) if c.dep_ == "ccomp"), None)
    if comp is None:
        return None
    inner = [comp, *(c for c in children(comp) if c.dep_ == "conj")]
    if not any(t.i in found and found[t.i].code[:2] >= conf.claim_min_root for t in inner):
        return None
    subj = subject_of(comp)[0]
    if subj is not None and subj.lower_ in conf.claim_self_pronouns:
        return conf.claim_self_code
    return "112"


def _modal(tok: Token, entry: LexEntry) -> Candidate:
    """Compose "will X" / "would X" into intent or threat, "must X" into a demand."""
    auxes = {c.lower_ for c in children(tok) if c.dep_ in ("aux", "auxpass")}
    root = entry.code[:2]
    future = auxes & words().future_aux or auxes & {"would"}
    if future and root in ("04", "05", "06", "07", "08"):
        code = compose("intent", entry.code) or entry.code
        return Candidate(tok, entry, code, tok, True, "future")
    if future and root >= "14":
        code = compose("threat", entry.code) or entry.code
        return Candidate(tok, entry, code, tok, True, None)
    if root >= "16" and auxes & words().conditional_threat_aux:
        code = compose("threat", entry.code) or entry.code
        return Candidate(tok, entry, code, tok, True, None)
    if obligation_of(tok) is not None:
        code = compose("demand", entry.code) or entry.code
        return Candidate(tok, entry, code, tok, True, "demand")
    return Candidate(tok, entry, entry.code, tok, False, None)
