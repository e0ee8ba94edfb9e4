"""Political events from a parsed document: who did what to whom, when and where (CAMEO/PLOVER).

For each sentence, triggers (verbs, a few nominals and adjectives) are matched against the
reviewed lexicon in ``data/events/lexicon.csv``; frames ("agreed to", "threatened to", "will")
compose with their complement through ``data/events/compose.csv``. Source and target come from
the dependency parse and are coded by :class:`~newsevents.extract.actors.ActorCoder`. There is no
fallback code: a sentence without a confident match yields no event.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..model import Actor, Entity, Event, Location, Statement, make_id
from ..model import Span as SpanRecord
from .actors import ActorCoder, code_tokens
from .dates import resolve_tokens, years_in
from .events_dictionary import ActorDictionary
from .events_lexicon import LexEntry, compose, match, rules
from .ontology import cameo
from .places import lookup_place, to_location

SUBCLAUSE_DEPS = frozenset({"advcl", "relcl", "ccomp", "conj", "parataxis", "csubj", "xcomp"})
TARGET_PREPS = frozenset(
    {"with", "against", "on", "to", "at", "toward", "towards", "into", "over", "from", "for", "of"}
)
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside"})
SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
MAX_PLACE_DEPTH = 3
RELATIVE = frozenset({"that", "who", "which", "whom"})


@dataclass(frozen=True, slots=True)
class _Cand:
    """A matched trigger before actors are attached."""

    token: Token
    entry: LexEntry
    code: str
    top: Token
    composed: bool
    frame_modality: str | None


def _conf(key: str) -> float:
    return float(rules()["confidence"][key])


def _mod(key: str) -> list[str]:
    return list(rules()["modality"][key])


def _subject(tok: Token, depth: int = 0) -> tuple[Token | None, bool]:
    """Return (subject head, passive?) of a predicate, climbing xcomp/conj/acomp chains."""
    if tok.tag_ == "VBN" and tok.dep_ == "acl":
        for agent in (c for c in tok.children if c.dep_ == "agent"):
            for p in agent.children:
                if p.dep_ == "pobj":
                    return p, True
        return None, True
    for child in tok.children:
        if child.dep_ == "nsubjpass":
            for agent in (c for c in tok.children if c.dep_ == "agent"):
                for p in agent.children:
                    if p.dep_ == "pobj":
                        return p, True
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
        return _subject(tok.head, depth + 1)
    if tok.dep_ == "relcl":
        return tok.head, False
    return None, False


def _reporter(tok: Token) -> Token | None:
    """Return the reporting verb governing a clause ("said that ..."), if any."""
    report = set(_mod("reporting_verbs"))
    cur = tok
    for _ in range(6):
        if cur.head.i == cur.i:
            return None
        if cur.dep_ in ("ccomp", "xcomp", "conj", "advcl") and cur.head.lemma_.lower() in report:
            return cur.head if cur.dep_ == "ccomp" or cur.head.pos_ == "VERB" else None
        cur = cur.head
    return None


def _target_heads(tok: Token) -> Iterator[Token]:
    """Yield candidate target heads of a predicate in order of preference."""
    for child in tok.children:
        if child.dep_ in ("dobj", "dative", "nsubjpass"):
            yield child
    for holder in [tok, *(c for c in tok.children if c.dep_ == "dobj")]:
        for child in holder.children:
            if child.dep_ in ("prep", "dative") and child.lower_ in TARGET_PREPS:
                for p in child.children:
                    if p.dep_ == "pobj":
                        yield p
                        for pp in p.children:
                            if pp.dep_ == "prep" and pp.lower_ in TARGET_PREPS:
                                yield from (q for q in pp.children if q.dep_ == "pobj")
    for child in tok.children:
        if child.dep_ in ("xcomp", "ccomp"):
            for g in child.children:
                if g.dep_ in ("nsubj", "dobj"):
                    yield g


def _clause(top: Token) -> list[Token]:
    """Return the tokens of a predicate's own clause, without subordinate clauses."""
    sched = set(_mod("scheduling_verbs"))
    out: list[Token] = []
    stack = [top]
    while stack:
        cur = stack.pop()
        out.append(cur)
        for child in cur.children:
            if child.dep_ in SUBCLAUSE_DEPS:
                continue
            if child.dep_ == "acl" and (cur.i != top.i or child.lemma_.lower() not in sched):
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _depth(tok: Token, top: Token) -> int:
    """Return how many arcs separate a token from the clause top (large if unrelated)."""
    depth, cur = 0, tok
    while cur.i != top.i and cur.head.i != cur.i and depth < 10:
        cur, depth = cur.head, depth + 1
    return depth if cur.i == top.i else 99


def clause_top(clause: list[Token]) -> Token:
    """Return the token of a clause whose head lies outside it."""
    ids = {t.i for t in clause}
    return next((t for t in clause if t.head.i not in ids or t.head.i == t.i), clause[0])


class _Extractor:
    """Runs the extraction over one document."""

    def __init__(
        self,
        doc: Doc,
        entities: Sequence[Entity],
        statements: Sequence[Statement],
        published: date | None,
        dictionary: ActorDictionary | None,
    ) -> None:
        self.doc = doc
        self.published = published
        self.statements = statements
        self.coder = ActorCoder(doc, entities, published, dictionary)

    # -- candidates -------------------------------------------------------------------------
    def _complement(self, tok: Token, found: dict[int, LexEntry]) -> Token | None:
        for child in tok.children:
            if child.dep_ in ("xcomp", "ccomp") and child.i in found:
                return child
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in ("to", "for", "on"):
                for p in child.children:
                    if p.i in found:
                        return p
        for child in tok.children:
            if child.dep_ == "dobj":
                for g in child.children:
                    if g.dep_ in ("xcomp", "acl", "relcl") and g.i in found:
                        return g
        return None

    def _candidates(self, sent: Span) -> list[_Cand]:
        found: dict[int, LexEntry] = {}
        for tok in sent:
            entry = match(tok)
            if entry is not None:
                found[tok.i] = entry
        consumed: set[int] = set()
        cands: list[_Cand] = []
        for i in sorted(found):
            tok, entry = self.doc[i], found[i]
            if entry.frame in ("intent", "threat", "demand", "appeal", "reject"):
                inner = self._complement(tok, found)
                inner_code = found[inner.i].code if inner is not None else None
                code = compose(entry.frame, inner_code) or entry.code
                if inner is not None:
                    consumed.add(inner.i)
                cands.append(_Cand(tok, entry, code, tok, inner is not None, None))
            else:
                cands.append(self._modal(tok, entry))
        return [c for c in cands if c.token.i not in consumed]

    def _modal(self, tok: Token, entry: LexEntry) -> _Cand:
        """Compose "will X" / "would X" into intent or threat, "must X" into a demand."""
        auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
        root = entry.code[:2]
        future = auxes & set(_mod("future_aux")) or auxes & {"would"}
        if future and root in ("04", "05", "06", "07", "08"):
            code = compose("intent", entry.code) or entry.code
            return _Cand(tok, entry, code, tok, True, "future")
        if future and root >= "14":
            code = compose("threat", entry.code) or entry.code
            return _Cand(tok, entry, code, tok, True, None)
        if auxes & set(_mod("obligation_aux")) and _reporter(tok) is not None:
            code = compose("demand", entry.code) or entry.code
            return _Cand(tok, entry, code, tok, True, "demand")
        return _Cand(tok, entry, entry.code, tok, False, None)

    # -- actors -----------------------------------------------------------------------------
    def _actor(self, head: Token | None) -> Actor | None:
        if head is None:
            return None
        actor = self.coder.code(head)
        if actor is None:
            for conj in (c for c in head.children if c.dep_ == "conj"):
                actor = self.coder.code(conj)
                if actor is not None:
                    break
        if actor is None and head.pos_ in ("NOUN", "PROPN"):
            actor = self.coder.uncoded(head)
        return actor

    def _actors(self, cand: _Cand) -> tuple[Actor | None, Actor | None]:
        tok = cand.token
        if cand.entry.frame == "evaluate":
            return self._evaluate(tok)
        subj, passive = _subject(tok)
        reporter = _reporter(tok)
        if cand.frame_modality == "demand" and reporter is not None:
            speaker, _ = _subject(reporter)
            return self._actor(speaker), self._actor(subj)
        if cand.entry.frame == "accuse":
            src = self._actor(_subject(tok)[0])
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            tgt = self._actor(_subject(comp)[0]) if comp is not None else None
            if tgt is not None and src is not None and tgt.country == src.country:
                tgt = None
            return src, tgt
        if tok.pos_ == "NOUN":
            return self._noun_actors(tok)
        source = self._actor(subj) if not passive or subj is not None else None
        if source is None and (subj is None or subj.pos_ == "PRON") and reporter is not None:
            source = self._actor(_subject(reporter)[0])
        target = None
        inner = tok
        if cand.composed:
            inner = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp")), tok)
        fallback = None
        for head in [*_target_heads(inner), *(_target_heads(tok) if inner is not tok else [])]:
            if subj is not None and head.i == subj.i:
                continue
            target = self._actor(head)
            if target is not None and target.code:
                break
            fallback = fallback or target
            target = None
        return source, target or fallback

    def _evaluate(self, tok: Token) -> tuple[Actor | None, Actor | None]:
        """An evaluative adjective: the speaker criticises whoever the clause is about."""
        cur = tok.head if tok.dep_ == "amod" else tok
        if cur.dep_ in ("dobj", "attr", "pobj") and cur.head.i != cur.i:
            cur = cur.head
        subj, _ = _subject(cur)
        reporter = _reporter(tok)
        speaker = _subject(reporter)[0] if reporter is not None else None
        return self._actor(speaker), self._actor(subj)

    def _noun_actors(self, tok: Token) -> tuple[Actor | None, Actor | None]:
        source = target = None
        for child in tok.children:
            if child.dep_ in ("acl", "relcl"):
                s, _ = _subject(child)
                if s is not None and s.i != tok.i:
                    source = self._actor(s)
                for t in _target_heads(child):
                    if t.i != tok.i and target is None:
                        target = self._actor(t)
        if source is None:
            for child in tok.children:
                if child.dep_ in ("poss", "compound", "amod"):
                    source = self._actor(child)
                    if source is not None:
                        break
        if target is None:
            for head in _target_heads(tok):
                target = self._actor(head)
                if target is not None:
                    break
        return source, target

    def _infer_country(
        self, actor: Actor, sent: Span, trigger: Token, other: Actor | None
    ) -> Actor:
        """Give an uncoded actor the country named nearest before the trigger in its sentence."""
        best = None
        for tok in sent:
            if tok.i >= trigger.i and best is not None:
                break
            if tok.pos_ not in ("PROPN", "ADJ", "NOUN"):
                continue
            coding = code_tokens([tok])
            if coding.country is None or (other is not None and other.country == coding.country):
                continue
            best = coding.country
        if best is None:
            return actor
        return replace(actor, country=best, code=best + (actor.sector or ""))

    # -- modality, date, place --------------------------------------------------------------
    def _modality(self, cand: _Cand, clause: list[Token]) -> tuple[str, str | None]:
        tok = cand.token
        chain = [tok, *(a for a in tok.ancestors if a.i < tok.i + 40)][:4]
        negs = set(_mod("negations"))
        attributed = None
        for st in self.statements:
            if st.content.start <= tok.idx < st.content.end:
                attributed = st.id
                break
        if any(c.dep_ == "neg" or (c.lower_ in negs and c.dep_ == "neg") for c in tok.children):
            return "negated", attributed
        auxes = {c.lower_ for t in chain[:2] for c in t.children if c.dep_ == "aux"}
        marks = {c.lower_ for t in chain for c in t.children if c.dep_ == "mark"}
        hypo_verbs = set(_mod("hypothetical_verbs"))
        if (
            marks & set(_mod("hypothetical_marks"))
            or auxes & set(_mod("hypothetical_aux"))
            or any(a.lemma_.lower() in hypo_verbs for a in chain[1:])
        ):
            return "hypothetical", attributed
        if cand.frame_modality == "future" or auxes & set(_mod("future_aux")):
            return "future", attributed
        years = years_in(clause)
        limit = int(rules()["modality"]["historical_years"])
        if self.published and years and max(years) <= self.published.year - limit:
            return "historical", attributed
        if attributed is not None or _reporter(tok) is not None:
            return "reported", attributed
        return "asserted", attributed

    def _date(self, clause: list[Token], tok: Token) -> date | None:
        found = resolve_tokens(clause, self.published)
        if found is None:
            reporter = _reporter(tok)
            if reporter is not None:
                found = resolve_tokens(_clause(reporter), self.published)
        return found or self.published

    def _location(self, clause: list[Token]) -> Location | None:
        best = None
        rank = {"city": 0, "capital": 1, "country": 2}
        in_clause = {t.i for t in clause}
        for tok in clause:
            if tok.dep_ != "prep" or tok.lower_ not in PLACE_PREPS:
                continue
            if _depth(tok, clause_top(clause)) > MAX_PLACE_DEPTH:
                continue
            for t in tok.subtree:
                if t.i not in in_clause and t.dep_ not in ("appos", "poss", "npadvmod", "compound"):
                    continue
                if t.pos_ != "PROPN":
                    continue
                name = t.text
                if t.ent_type_ and t.ent_iob_ == "B":
                    ent = next((e for e in t.sent.ents if e.start == t.i), None)
                    name = ent.text if ent is not None else name
                place = lookup_place(name) or lookup_place(t.text)
                if place is not None and (best is None or rank[place.kind] < rank[best.kind]):
                    best = place
        return None if best is None else to_location(best)

    # -- main -------------------------------------------------------------------------------
    def sentence_events(self, sent: Span) -> list[Event]:
        for tok in sent:
            if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.dep_ not in ("compound", "poss"):
                self.coder.code(tok)
        events: list[Event] = []
        for cand in self._candidates(sent):
            source, target = self._actors(cand)
            if source is None and target is None:
                continue
            if source is not None and target is not None and source.start == target.start:
                target = None
            if source is not None and source.code is None:
                source = self._infer_country(source, sent, cand.token, target)
            pos = cand.entry.pos
            conf = (
                _conf("composed")
                if cand.composed
                else _conf({"VERB": "verb", "NOUN": "noun"}.get(pos, "adjective"))
            )
            if source is None:
                conf += _conf("no_source")
            if not any(a is not None and a.code for a in (source, target)):
                conf += _conf("uncoded")
            if target is None:
                conf += _conf("no_target")
            clause = _clause(cand.top)
            modality, attributed = self._modality(cand, clause)
            conf += {"negated": _conf("negated"), "hypothetical": _conf("hypothetical")}.get(
                modality, 0.0
            )
            if modality == "reported":
                conf += _conf("reported")
            if conf < _conf("minimum"):
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
                    trigger=_span(self.doc, trig),
                    sentence_start=sent.start_char,
                    sentence_end=sent.end_char,
                    date=self._date(clause, trig),
                    location=self._location(clause),
                    modality=modality,
                    attributed_to=attributed,
                    confidence=round(min(conf, 0.99), 3),
                )
            )
        events.sort(key=lambda e: -e.confidence)
        return events[: int(rules()["confidence"]["max_per_sentence"])]


def _span(doc: Doc, tok: Token) -> SpanRecord:

    return SpanRecord(tok.idx, tok.idx + len(tok.text), tok.text)


def _merge(events: list[Event]) -> tuple[Event, ...]:
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
    ex = _Extractor(doc, entities, statements, published, dictionary)
    found: list[Event] = []
    for sent in doc.sents:
        found.extend(ex.sentence_events(sent))
    return _merge(found)
