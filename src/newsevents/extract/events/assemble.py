"""Events from a parsed document: candidates to scored events with date and place, then merged.

For each sentence, :func:`~.candidates.find_candidates` matches and composes triggers,
:mod:`.participants` attaches and codes source and target, :mod:`.literal` keeps material
conflict only when it reads literally (and drops off-topic sentences and stories),
:mod:`.modality` reads the modality and :mod:`.gates` decides whether the candidate is an event
at all; the event is scored from the ``[confidence]`` table of
``data/events/rules.toml``, dated from its clause (its own time modifiers first, never a
deadline, never after publication unless future or hypothetical; words in
``data/events/dating.toml``; else the publication date) and placed by the most specific place
its clause names. Mentions of one event across the document are merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import TypeVar, cast

import numpy as np
from spacy.tokens import Doc, Span, Token

from ...dates import YEAR_RE, resolve_words, vocabulary
from ...errors import ConfigError
from ...model import Actor, Entity, Event, Statement, make_id
from ...model import Span as SpanRecord
from ...ontology import cameo
from ...resources import read_toml
from ..actors import ActorCoder, ActorDictionary
from ..places import Place
from .candidates import Candidate, find_candidates, known_words
from .classifier import rescore
from .gates import passes, refusal
from .literal import literal, off_topic_sentence, off_topic_story
from .location import dateline_place, locate
from .modality import free_dates, modality
from .participants import infer_country, participants, resident, scope_target
from .rules import confidence
from .syntax import (
    main_depth,
    own_clause,
    reporter_of,
)
from .tree import children
from .triggers import compose, lemma_forms, trigger_pos

T = TypeVar("T")
MEMORY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# What a token is to ``sentence_events``, by its attributes (bit flags, see ``token_roles``).
KIND_ATTRS: list[int | str] = ["POS", "DEP", "ENT_TYPE"]  # decide all but WORD
WORD_ATTRS: list[int | str] = ["LEMMA", "LOWER", "POS"]  # decide whether a WORD is known
SEEN, PHRASE, REMEMBERED = 1, 2, 4  # candidate search uses it; heads a noun phrase; memory needs it
WORD = 8  # a possible trigger but no verb: SEEN when a dictionary lists its word
_KINDS: dict[bytes, int] = {}  # attribute values -> role bits, shared by documents
_WORDS: dict[bytes, bool] = {}  # attribute values -> whether a dictionary lists the word
MAX_KEYS = 50_000  # a table is emptied when it grows past this (new vocabulary)


@dataclass(frozen=True, slots=True)
class DocContext:
    """What every sentence of one document shares: its actor coder, statements and date."""

    coder: ActorCoder
    statements: Sequence[Statement]
    published: date | None
    dateline: Place | None  # where the article was filed from, if its dateline says
    roles: Sequence[int] = ()  # per token, its role bits (``token_roles``); empty: read them here


def _kind(tok: Token) -> int:
    """Return a token's role bits from its part of speech, label and entity type alone."""
    role = SEEN if tok.pos_ == "VERB" else WORD if trigger_pos(tok) is not None else 0
    if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.dep_ not in ("compound", "poss"):
        role |= PHRASE
    if tok.ent_type_ in MEMORY_LABELS or tok.dep_ == "nsubj":
        role |= REMEMBERED
    return role


def _role(tok: Token) -> int:
    """Return a token's role bits, one token at a time (what ``token_roles`` caches): SEEN (a verb,
    or a possible trigger a dictionary lists: ``find_candidates`` needs it), PHRASE, REMEMBERED."""
    kind = _kind(tok)
    if kind & WORD:
        kind = kind & ~WORD | (SEEN if _known(tok) else 0)
    return kind


def _known(tok: Token) -> bool:
    return not known_words().isdisjoint(lemma_forms(tok))


def _keys(doc: Doc, attrs: list[int | str]) -> list[bytes]:
    """Return each token's values of some attributes as one bytes key (cheaper than tuples)."""
    values = np.ascontiguousarray(doc.to_array(attrs)).reshape(len(doc), len(attrs))
    row = np.dtype((np.void, values.dtype.itemsize * len(attrs)))
    return cast(list[bytes], values.view(row).ravel().tolist())


def _remember(table: dict[bytes, T], key: bytes, value: T) -> T:
    if len(table) >= MAX_KEYS:
        table.clear()
    table[key] = value
    return value


def token_roles(doc: Doc) -> list[int]:
    """Return every token's role bits, read from the Doc's arrays, not from Token objects."""
    out: list[int] = []
    keys = zip(_keys(doc, KIND_ATTRS), _keys(doc, WORD_ATTRS), strict=True)
    for i, (kind_key, word_key) in enumerate(keys):
        role = _KINDS.get(kind_key)
        if role is None:
            role = _remember(_KINDS, kind_key, _kind(doc[i]))
        if role & WORD:
            known = _WORDS.get(word_key)
            if known is None:
                known = _remember(_WORDS, word_key, _known(doc[i]))
            role = role & ~WORD | (SEEN if known else 0)
        out.append(role)
    return out


def _score(
    cand: Candidate, source: Actor | None, target: Actor | None, modality: str
) -> float | None:
    """Return a candidate's confidence before depth ranking, or None when it is too low."""
    conf = confidence()
    pos = "LIGHT" if cand.top.i != cand.token.i else cand.entry.pos
    score = conf.composed if cand.composed else conf.base(pos)
    if source is None:
        score += conf.no_source
    if not any(a is not None and a.code for a in (source, target)):
        score += conf.uncoded
    if target is None:
        score += conf.no_target
    score += {"negated": conf.negated, "hypothetical": conf.hypothetical}.get(modality, 0.0)
    if modality == "reported":
        score += conf.reported
    return None if score < conf.minimum else score


@cache
def _dating() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Return the deadline words, temporal prepositions and forward modalities (dating.toml)."""
    raw = read_toml("events", "dating.toml").get("dates", {})
    keys = ("deadline", "temporal_preps", "forward_modalities")
    if not all(isinstance(raw.get(k), list) for k in keys):
        raise ConfigError(f"data file events/dating.toml: [dates] needs the lists {keys}")
    deadline, preps, forward = (frozenset(str(w).lower() for w in raw[k]) for k in keys)
    return deadline, preps, forward


def _period(tokens: Sequence[Token], published: date | None, past: bool) -> date | None:
    """Date a month ("in April") or a year ("in 1998") alone by its first day.

    A period that holds the publication date gives the publication date; a month without a year
    is the latest one up to publication (``past``), else the next one from it.
    """
    if published is None:
        return None
    months = vocabulary().months
    for i, tok in enumerate(tokens):
        if tok.ent_type_ != "DATE":
            continue
        month = months.get(tok.lower_.rstrip(".")) if tok.text[:1].isupper() else None
        after = (int(t.text) for t in tokens[i + 1 : i + 3] if YEAR_RE.match(t.text))
        year = next(after, None) if month else int(tok.text) if YEAR_RE.match(tok.text) else None
        if month is None and year is None:
            continue
        if month is None:
            start, end = date(year or 0, 1, 1), date(year or 0, 12, 31)
        else:
            if year is None:
                ahead = (month, 1) > (published.month, published.day)
                year = published.year - 1 if past and ahead else published.year
                year += 1 if not past and month < published.month else 0
            start = date(year, month, 1)
            end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return published if start <= published <= end else start
    return None


def _when(clause: list[Token], top: Token, published: date | None, past: bool) -> date | None:
    """Return the date a clause gives its predicate: its own time modifiers first.

    Deadlines ("before Nov. 8") never date it; a month or a year alone dates it first as one of
    the predicate's modifiers ("arrested in April for the March 21 call": April), and never as
    a noun's modifier ("the 2015 nuclear deal").
    """
    deadline, preps, _ = _dating()
    cut = {
        t.i
        for d in clause
        if (d.lower_ in deadline and d.dep_ != "agent") or d.lemma_.lower() in deadline
        for t in d.subtree
    }
    kept = [t for t in clause if t.i not in cut]
    ids = {t.i for t in kept}
    mods = sorted(
        (
            t
            for c in children(top)
            if (c.dep_ == "prep" and c.lower_ in preps) or c.dep_ in ("npadvmod", "tmod")
            for t in c.subtree
            if t.i in ids
        ),
        key=lambda t: t.i,
    )
    return (
        resolve_words([t.text for t in mods], published, past=past)
        or _period(mods, published, past)
        or resolve_words([t.text for t in kept], published, past=past)
        or _period(free_dates(kept), published, past)
    )


def _date(
    clause: list[Token], cand: Candidate, published: date | None, mode: str
) -> tuple[date | None, str]:
    """Return the date the clause names (else the reporting clause's, else publication) and mode.

    Only future and hypothetical events may lie after publication: for the others a month and
    day without a year are read backwards, and a later date is not the event's. A present-tense
    predicate with a later date is scheduled: future ("ministers meet in December").
    """
    past = mode not in _dating()[2]
    found = _when(clause, cand.top, published, past)
    if past and published is not None and cand.top.tag_ in ("VBP", "VBZ"):
        ahead = _when(clause, cand.top, published, False)
        if ahead is not None and ahead > published:
            return ahead, "future"
    reporter = reporter_of(cand.token)
    if found is None and reporter is not None:
        found = _when(own_clause(reporter), reporter, published, True)
    if found is not None and published is not None and past and found > published:
        found = None
    return found or published, mode


def _trigger(tok: Token) -> SpanRecord:
    return SpanRecord(tok.idx, tok.idx + len(tok.text), tok.text)


def sentence_events(ctx: DocContext, sent: Span) -> list[Event]:
    """Return a sentence's events, most confident first, at most ``max_per_sentence``."""
    doc = sent.doc
    span = range(sent.start, sent.end)
    roles = ctx.roles or token_roles(doc)
    # Token objects are built only for the tokens a step needs (most are neither).
    cands = find_candidates(sent, [doc[i] for i in span if roles[i] & SEEN])
    # Code noun phrases in order, so later mentions and pronouns inherit codes: all of them in a
    # sentence with candidates, else only named actors and subjects (what later mentions need).
    need = PHRASE if cands else PHRASE | REMEMBERED
    for i in span:
        if (roles[i] & need) == need:
            ctx.coder.code(doc[i])
    events: list[Event] = []
    text = ctx.coder.text[sent.start_char : sent.end_char]
    for cand in cands:
        source, target = participants(ctx.coder, cand)
        if source is None and target is None:
            continue
        if source is not None and target is not None and source.start == target.start:
            target = None
        if source is not None and source.code is None:
            source = infer_country(source, sent, cand.token, target)
        source = resident(source, cand.top, sent)
        if target is None or not target.code:
            target = scope_target(ctx.coder, cand, source) or target
        read = literal(cand, source, target)  # "attacked the plan": criticism, not an assault
        if read is None or off_topic_sentence(text, source, target):
            continue
        cand = read
        clause = own_clause(cand.top)
        mode, attributed = modality(cand, clause, ctx.statements, ctx.published)
        if mode == "negated" and refusal(cand):
            # "would not send aid to Hungary": a refusal (CAMEO 12), not a non-event
            inner = None if cand.code.startswith("03") else cand.code
            cand = replace(cand, code=compose("reject", inner) or cand.code, composed=True)
            reported = attributed is not None or reporter_of(cand.token) is not None
            mode = "reported" if reported else "asserted"
        if not passes(cand, mode, source, target):
            continue
        score = _score(cand, source, target, mode)
        when, mode = _date(clause, cand, ctx.published, mode)
        if score is None:
            continue
        # Depth below the main clause only ranks events; it never drops one.
        score += max(confidence().depth * main_depth(cand.top), confidence().depth_cap)
        score = rescore(score, cand.code, sent)  # learned type model (classifier.py)
        if score is None:
            continue
        info = cameo(cand.code)
        trig = cand.token
        events.append(
            Event(
                id=make_id(
                    "event",
                    trig.idx,
                    cand.code,
                    source.code if source else None,
                    target.code if target else None,
                ),
                cameo=cand.code,
                plover_type=info.plover_type,
                plover_mode=info.plover_mode,
                quad_class=info.quad_class,
                goldstein=info.goldstein,
                source=source,
                target=target,
                trigger=_trigger(trig),
                sentence_start=sent.start_char,
                sentence_end=sent.end_char,
                date=when,
                location=locate(
                    clause, sent, trig, (source, target), ctx.dateline, ctx.coder.places
                ),
                modality=mode,
                attributed_to=attributed,
                confidence=round(min(score, 0.99), 3),
            )
        )
    events.sort(key=lambda e: -e.confidence)
    return events[: confidence().max_per_sentence]


def merge_events(events: list[Event]) -> tuple[Event, ...]:
    """One event per (source, code, target, date); repeated mentions raise its confidence."""
    merged: dict[tuple[object, ...], Event] = {}
    for ev in events:
        key = (
            ev.source.code if ev.source else None,
            ev.cameo,
            ev.target.code if ev.target else None,
            ev.date,
            ev.modality,
        )
        if key in merged:
            keep = merged[key]
            merged[key] = replace(keep, confidence=round(min(0.99, keep.confidence + 0.05), 3))
        else:
            merged[key] = ev
    return tuple(sorted(merged.values(), key=lambda e: e.trigger.start))


def extract_events(
    doc: Doc,
    *,
    entities: Sequence[Entity] = (),
    statements: Sequence[Statement] = (),
    published: date | None = None,
    dictionary: ActorDictionary | None = None,
) -> tuple[Event, ...]:
    """Return the document's coded political events, at most a few per sentence."""
    coder = ActorCoder(doc, entities, published, dictionary)
    if off_topic_story(coder.text):
        return ()
    ctx = DocContext(coder, statements, published, dateline_place(doc), token_roles(doc))
    found: list[Event] = []
    for sent in doc.sents:
        found.extend(sentence_events(ctx, sent))
    return merge_events(found)
