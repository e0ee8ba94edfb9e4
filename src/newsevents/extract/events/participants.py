"""An event's participants: its source and target actors, found in the parse and coded.

Subjects and objects come from the dependency parse (:mod:`.syntax`), read per frame ("X
received weapons from Y": Y gave them; "X claimed that Y attacked Z"), and are coded by the
document's :class:`~newsevents.extract.actors.ActorCoder`. An actor the tables cannot code may
still take a country from its sentence, and an ethnic group the country it lives in.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from ...model import Actor
from ..actors import ActorCoder, actor_rules, code_tokens, phrase_tokens
from ..places import entity_name, lookup_place
from .candidates import Candidate
from .rules import words
from .syntax import obligation_of, reporter_of, scope, subject_of, target_heads

Pair = tuple[Actor | None, Actor | None]
SKIP_TARGET_DEPS = frozenset({"compound", "poss", "amod", "nmod", "npadvmod", "appos"})


def _actor(coder: ActorCoder, head: Token | None) -> Actor | None:
    """Code the phrase of a head (or its first codable conjunct); else an uncoded noun actor."""
    if head is None:
        return None
    actor = coder.code(head)
    if actor is None:
        for conj in (c for c in head.children if c.dep_ == "conj"):
            actor = coder.code(conj)
            if actor is not None:
                break
    if (
        actor is None
        and head.pos_ in ("NOUN", "PROPN")
        and head.ent_type_ not in actor_rules().not_actor_labels
    ):
        actor = coder.uncoded(head)
    return actor


def _child(tok: Token | None, dep: str) -> Token | None:
    """Return a token's first child with a dependency label, or None."""
    return None if tok is None else next((c for c in tok.children if c.dep_ == dep), None)


def participants(coder: ActorCoder, cand: Candidate) -> Pair:
    """Return the (source, target) actors of a candidate event."""
    tok = cand.token
    if cand.entry.frame == "evaluate":
        return _evaluate(coder, tok)
    subj, passive = subject_of(tok)
    reporter = reporter_of(tok)
    if cand.frame_modality == "demand":
        reporter = obligation_of(tok) or reporter
        if reporter is not None:
            speaker, _ = subject_of(reporter)
            return _actor(coder, speaker), _actor(coder, subj)
    framed = _framed(coder, cand, subj)
    if framed is not None:
        return framed
    if tok.pos_ == "NOUN" and cand.top.i == tok.i:
        return _noun_actors(coder, tok)
    if cand.top.i != tok.i:  # light verb: "X staged a protest against Y"
        subj, passive = subject_of(cand.top)
        reporter = reporter_of(cand.top)
    source = _actor(coder, subj) if not passive or subj is not None else None
    if source is None and (subj is None or subj.pos_ == "PRON") and reporter is not None:
        source = _actor(coder, subject_of(reporter)[0])
    return source, _target(coder, cand, subj)


def _framed(coder: ActorCoder, cand: Candidate, subj: Token | None) -> Pair | None:
    """Return the actors of a frame that places them itself (converse, claim, appeal, accuse)."""
    tok, frame = cand.token, cand.entry.frame
    if frame == "converse":  # "X received weapons from Y": Y gave them to X
        giver = next(
            (
                p
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "from"
                for p in c.children
                if p.dep_ == "pobj"
            ),
            None,
        )
        return _actor(coder, giver), _actor(coder, subj)
    comp = _child(tok, "ccomp")
    if frame == "claim":
        src = _actor(coder, subj)
        if comp is None:
            return src, None
        if cand.code == "112":
            return src, _actor(coder, subject_of(comp)[0])
        return src, next((a for h in target_heads(comp) for a in [_actor(coder, h)] if a), None)
    if frame in ("appeal", "demand") and cand.composed:
        addressee = _child(comp, "nsubj")
        if addressee is not None:  # "Obama wants Putin to attack": an appeal to Putin
            return _actor(coder, subj), _actor(coder, addressee)
    if frame == "accuse":
        src = _actor(coder, subj)
        tgt = _actor(coder, subject_of(comp)[0]) if comp is not None else None
        if tgt is not None and src is not None and tgt.country == src.country:
            tgt = None
        return src, tgt
    return None


def _target(coder: ActorCoder, cand: Candidate, subj: Token | None) -> Actor | None:
    """Return the first coded target of a predicate (or of its complement), else an uncoded one."""
    tok = cand.token
    inner = tok
    if cand.composed:
        inner = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp")), tok)
    fallback = target = None
    heads = [*target_heads(inner), *(target_heads(tok) if inner is not tok else [])]
    if cand.top.i != tok.i:
        heads += [h for h in target_heads(cand.top) if h.i != tok.i]
    for head in heads:
        if subj is not None and head.i == subj.i:
            continue
        target = _actor(coder, head)
        if target is not None and target.code:
            break
        fallback = fallback or target
        target = None
    return target or fallback


def _evaluate(coder: ActorCoder, tok: Token) -> Pair:
    """An evaluative adjective: the speaker criticises whoever the clause is about."""
    cur = tok.head if tok.dep_ == "amod" else tok
    if cur.dep_ in ("dobj", "attr", "pobj") and cur.head.i != cur.i:
        cur = cur.head
    subj, _ = subject_of(cur)
    reporter = reporter_of(tok)
    speaker = subject_of(reporter)[0] if reporter is not None else None
    return _actor(coder, speaker), _actor(coder, subj)


def _noun_actors(coder: ActorCoder, tok: Token) -> Pair:
    """The actors of an event noun: its clause's subject and object, its possessor, its object."""
    source = target = None
    for child in tok.children:
        if child.dep_ in ("acl", "relcl"):
            s, _ = subject_of(child)
            if s is not None and s.i != tok.i:
                source = _actor(coder, s)
            for t in target_heads(child):
                if t.i != tok.i and target is None:
                    target = _actor(coder, t)
    if source is None:
        for child in tok.children:
            if child.dep_ in ("poss", "compound", "amod"):
                source = _actor(coder, child)
                if source is not None:
                    break
    if target is None:
        for head in target_heads(tok):
            target = _actor(coder, head)
            if target is not None:
                break
    return source, target


def infer_country(actor: Actor, sent: Span, trigger: Token, other: Actor | None) -> Actor:
    """Give an uncoded actor a country named in its sentence.

    The nearest country before the trigger that differs from the target's wins; failing
    that, any country named in the sentence, and last the target's own (domestic events:
    "President Museveni threatened to ban Ugandan opposition candidates").
    """
    before: str | None = None
    anywhere: list[str] = []
    for tok in sent:
        if tok.pos_ not in ("PROPN", "ADJ", "NOUN"):
            continue
        country = code_tokens([tok]).country
        if country is None and tok.ent_type_ == "GPE" and tok.ent_iob_ == "B":
            place = lookup_place(entity_name(tok))  # a city names its country ("in Lagos")
            country = place.country if place is not None else None
        if country is None:
            continue
        anywhere.append(country)
        if tok.i < trigger.i and (other is None or other.country != country):
            before = country
    other_country = other.country if other is not None else None
    best = before or next((c for c in anywhere if c != other_country), None)
    if best is None and anywhere:
        best = anywhere[0]
    if best is None:
        return actor
    return replace(actor, country=best, code=best + (actor.sector or ""))


def _living_in(actor: Actor, country: str) -> Actor:
    sector = actor.sector or "CVL"
    return replace(actor, country=country, sector=sector, code=country + sector)


def resident(actor: Actor | None, pred: Token, sent: Span) -> Actor | None:
    """Code an ethnic group by the country it lives in ("ethnic Albanians in Serbia")."""
    if actor is None or actor.country is None:
        return actor
    span = sent.doc.char_span(actor.start, actor.end, alignment_mode="expand")
    if span is None or not any(t.lower_ in words().ethnic_markers for t in span):
        return actor
    for head in (span.root, pred):
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "in"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                country = code_tokens(phrase_tokens(pobj)).country
                if country and country != actor.country:
                    return _living_in(actor, country)
    # No "in Y": the first other country the sentence names is where the group lives
    # ("ethnic Turks ... protest against Sweden's decision").
    for tok in sent:
        if tok.pos_ != "PROPN" or span.start <= tok.i < span.end:
            continue
        country = code_tokens([tok]).country
        if country and country != actor.country:
            return _living_in(actor, country)
    return actor


def scope_target(coder: ActorCoder, cand: Candidate, source: Actor | None) -> Actor | None:
    """A coded noun phrase elsewhere in the predicate's own scope ("arrived in Amman")."""
    subj = subject_of(cand.top)[0]
    for tok in scope(cand.top):
        if tok.pos_ not in ("PROPN", "NOUN") or tok.dep_ in SKIP_TARGET_DEPS:
            continue
        if subj is not None and tok.i in {t.i for t in subj.subtree}:
            continue
        if any(a.lower_ in actor_rules().source_phrases for a in tok.ancestors):
            continue  # "…, according to the ministry": who reports it, not who takes part
        actor = coder.code(tok)
        if actor is None or not actor.code:
            continue
        if source is not None and (source.start <= actor.start < source.end):
            continue
        if source is not None and actor.code == source.code:
            continue
        return actor
    return None
