"""Events from a parsed document: candidates to scored events with date and place, then merged.

For each sentence, :func:`~.candidates.find_candidates` matches and composes triggers,
:mod:`.participants` attaches and codes source and target, :mod:`.modality` reads the
modality; the event is scored from the ``[confidence]`` table of ``data/events/rules.toml``,
dated from its clause (else the publication date) and placed by the most specific place its
clause names. Mentions of one event across the document are merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from ...dates import resolve_tokens
from ...model import Actor, Entity, Event, Location, Statement, make_id
from ...model import Span as SpanRecord
from ...ontology import cameo
from ..actors import ActorCoder, ActorDictionary
from ..places import lookup_place, to_location
from .candidates import Candidate, find_candidates
from .modality import modality
from .participants import infer_country, participants, resident, scope_target
from .rules import confidence
from .syntax import (
    MAX_PLACE_DEPTH,
    PLACE_PREPS,
    clause_top,
    depth_to,
    main_depth,
    own_clause,
    reporter_of,
)

PLACE_RANK = {"city": 0, "capital": 1, "country": 2}
NOT_PLACE_DEPS = frozenset({"appos", "poss", "npadvmod", "compound"})


@dataclass(frozen=True, slots=True)
class DocContext:
    """What every sentence of one document shares: its actor coder, statements and date."""

    coder: ActorCoder
    statements: Sequence[Statement]
    published: date | None


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


def _date(clause: list[Token], tok: Token, published: date | None) -> date | None:
    """Return the date the clause names, else the reporting clause's, else publication."""
    found = resolve_tokens(clause, published)
    if found is None:
        reporter = reporter_of(tok)
        if reporter is not None:
            found = resolve_tokens(own_clause(reporter), published)
    return found or published


def _location(clause: list[Token]) -> Location | None:
    """Return the most specific place (city, capital, country) the clause puts the event in."""
    best = None
    in_clause = {t.i for t in clause}
    for tok in clause:
        if tok.dep_ != "prep" or tok.lower_ not in PLACE_PREPS:
            continue
        if depth_to(tok, clause_top(clause)) > MAX_PLACE_DEPTH:
            continue
        for t in tok.subtree:
            if t.i not in in_clause and t.dep_ not in NOT_PLACE_DEPS:
                continue
            if t.pos_ != "PROPN":
                continue
            name = t.text
            if t.ent_type_ and t.ent_iob_ == "B":
                ent = next((e for e in t.sent.ents if e.start == t.i), None)
                name = ent.text if ent is not None else name
            place = lookup_place(name) or lookup_place(t.text)
            if place is not None and (
                best is None or PLACE_RANK[place.kind] < PLACE_RANK[best.kind]
            ):
                best = place
    return None if best is None else to_location(best)


def _trigger(tok: Token) -> SpanRecord:
    return SpanRecord(tok.idx, tok.idx + len(tok.text), tok.text)


def sentence_events(ctx: DocContext, sent: Span) -> list[Event]:
    """Return a sentence's events, most confident first, at most ``max_per_sentence``."""
    for tok in sent:  # code every noun phrase in order, so later mentions can inherit codes
        if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.dep_ not in ("compound", "poss"):
            ctx.coder.code(tok)
    events: list[Event] = []
    for cand in find_candidates(sent):
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
        clause = own_clause(cand.top)
        mode, attributed = modality(cand, clause, ctx.statements, ctx.published)
        score = _score(cand, source, target, mode)
        if score is None:
            continue
        # Depth below the main clause only ranks events; it never drops one.
        score += max(confidence().depth * main_depth(cand.top), confidence().depth_cap)
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
                date=_date(clause, trig, ctx.published),
                location=_location(clause),
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
    ctx = DocContext(ActorCoder(doc, entities, published, dictionary), statements, published)
    found: list[Event] = []
    for sent in doc.sents:
        found.extend(sentence_events(ctx, sent))
    return merge_events(found)
