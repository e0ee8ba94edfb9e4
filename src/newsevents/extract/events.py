"""Political events from a parsed document: who did what to whom, when and where (CAMEO/PLOVER).

For each sentence, triggers (verbs, a few nominals and adjectives) are matched against the
reviewed lexicon in ``data/events/lexicon.csv``; frames ("agreed to", "threatened to", "will")
compose with their complement through ``data/events/compose.csv``. Source and target come from
the dependency parse and are coded by :class:`~newsevents.extract.actors.ActorCoder`. There is no
fallback code: a sentence without a confident match yields no event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..dates import resolve_tokens, years_in
from ..model import Actor, Entity, Event, Location, Statement, make_id
from ..model import Span as SpanRecord
from ..ontology import cameo
from .actors import ActorCoder, actor_rules, code_tokens, phrase_tokens
from .events_dictionary import ActorDictionary
from .events_lexicon import LexEntry, compose, match, rules
from .events_syntax import (
    MAX_PLACE_DEPTH,
    PLACE_PREPS,
    clause_top,
    depth_to,
    main_depth,
    mod_list,
    own_clause,
    reporter_of,
    scope,
    subject_of,
    target_heads,
)
from .places import lookup_place, to_location


@dataclass(frozen=True, slots=True)
class _Cand:
    """A matched trigger before actors are attached."""

    token: Token
    entry: LexEntry
    code: str
    top: Token
    composed: bool
    frame_modality: str | None


SKIP_TARGET_DEPS = frozenset({"compound", "poss", "amod", "nmod", "npadvmod", "appos"})
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


def _is_light(tok: Token, entry: LexEntry) -> bool:
    """Return whether a nominal trigger carries its event through a light verb."""
    return entry.pos == "NOUN" and any(c.kind == "light" for c in entry.require)


def _infinitive(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _conf(key: str) -> float:
    return float(rules()["confidence"][key])


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
            if child.dep_ == "advcl" and child.i in found and _infinitive(child):
                return child  # "swore to fight" parsed as an adverbial clause
            if child.dep_ in ("xcomp", "ccomp"):
                for g in child.children:
                    if g.i in found and (_is_light(g, found[g.i]) or g.dep_ == "xcomp"):
                        return g  # "decided to stage a strike", "prepared to resume shelling"
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
        for tok in sent:
            if tok.i not in found and tok.pos_ == "VERB" and self._obligation(tok) is not None:
                found[tok.i] = MUST
        consumed: set[int] = set()
        cands: list[_Cand] = []
        for i in sorted(found):
            tok, entry = self.doc[i], found[i]
            if _is_light(tok, entry):
                if tok.head.i in found:
                    consumed.add(i)  # the light verb's own entry ("launched an attack") wins
                else:
                    cands.append(_Cand(tok, entry, entry.code, tok.head, False, None))
            elif entry.frame == "claim":
                claimed = self._claimed(tok, found)
                if claimed is not None:
                    cands.append(_Cand(tok, entry, claimed, tok, True, None))
            elif entry.frame in FRAMES:
                inner = self._complement(tok, found)
                if inner is None and entry.lemma in mod_list("frames_need_inner"):
                    continue
                inner_code = found[inner.i].code if inner is not None else None
                code = compose(_frame(entry.frame, inner_code), inner_code) or entry.code
                if inner is not None:
                    consumed.add(inner.i)
                cands.append(_Cand(tok, entry, code, tok, inner is not None, None))
            else:
                cands.append(self._modal(tok, entry))
        return [c for c in cands if c.token.i not in consumed]

    def _claimed(self, tok: Token, found: dict[int, LexEntry]) -> str | None:
        """Return the code of "X claimed that Y did Z": 112, 015 for "they" (X), else None."""
        conf = rules()["modality"]
        comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        if comp is None:
            return None
        inner = [comp, *(c for c in comp.children if c.dep_ == "conj")]
        if not any(t.i in found and found[t.i].code[:2] >= conf["claim_min_root"] for t in inner):
            return None
        subj = subject_of(comp)[0]
        if subj is not None and subj.lower_ in conf["claim_self_pronouns"]:
            return str(conf["claim_self_code"])
        return "112"

    def _modal(self, tok: Token, entry: LexEntry) -> _Cand:
        """Compose "will X" / "would X" into intent or threat, "must X" into a demand."""
        auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
        root = entry.code[:2]
        future = auxes & set(mod_list("future_aux")) or auxes & {"would"}
        if future and root in ("04", "05", "06", "07", "08"):
            code = compose("intent", entry.code) or entry.code
            return _Cand(tok, entry, code, tok, True, "future")
        if future and root >= "14":
            code = compose("threat", entry.code) or entry.code
            return _Cand(tok, entry, code, tok, True, None)
        if root >= "16" and auxes & set(mod_list("conditional_threat_aux")):
            code = compose("threat", entry.code) or entry.code
            return _Cand(tok, entry, code, tok, True, None)
        if self._obligation(tok) is not None:
            code = compose("demand", entry.code) or entry.code
            return _Cand(tok, entry, code, tok, True, "demand")
        return _Cand(tok, entry, entry.code, tok, False, None)

    def _obligation(self, tok: Token) -> Token | None:
        """Return the speaker's predicate of "X said (that) Y must Z", or None."""
        auxes = {c.lower_ for c in tok.children if c.dep_ == "aux"}
        if not auxes & set(mod_list("obligation_aux")):
            return None
        rep = reporter_of(tok)
        if rep is not None:
            return rep
        head = tok.head
        if tok.dep_ in ("ccomp", "acl") and head.lemma_.lower() in mod_list("demand_nouns"):
            return head.head if head.head.i != head.i else None
        return None

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
        if (
            actor is None
            and head.pos_ in ("NOUN", "PROPN")
            and head.ent_type_ not in actor_rules()["not_actor_labels"]
        ):
            actor = self.coder.uncoded(head)
        return actor

    def _actors(self, cand: _Cand) -> tuple[Actor | None, Actor | None]:
        tok = cand.token
        if cand.entry.frame == "evaluate":
            return self._evaluate(tok)
        subj, passive = subject_of(tok)
        reporter = reporter_of(tok)
        if cand.frame_modality == "demand":
            reporter = self._obligation(tok) or reporter
        if cand.frame_modality == "demand" and reporter is not None:
            speaker, _ = subject_of(reporter)
            return self._actor(speaker), self._actor(subj)
        if cand.entry.frame == "converse":  # "X received weapons from Y": Y gave them to X
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
            return self._actor(giver), self._actor(subj)
        if cand.entry.frame == "claim":
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            src = self._actor(subj)
            if comp is None:
                return src, None
            if cand.code == "112":
                return src, self._actor(subject_of(comp)[0])
            return src, next((a for h in target_heads(comp) for a in [self._actor(h)] if a), None)
        if cand.entry.frame in ("appeal", "demand") and cand.composed:
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            addressee = (
                next((c for c in comp.children if c.dep_ == "nsubj"), None) if comp else None
            )
            if addressee is not None:  # "Obama wants Putin to attack": an appeal to Putin
                return self._actor(subj), self._actor(addressee)
        if cand.entry.frame == "accuse":
            src = self._actor(subject_of(tok)[0])
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            tgt = self._actor(subject_of(comp)[0]) if comp is not None else None
            if tgt is not None and src is not None and tgt.country == src.country:
                tgt = None
            return src, tgt
        if tok.pos_ == "NOUN" and cand.top.i == tok.i:
            return self._noun_actors(tok)
        if cand.top.i != tok.i:  # light verb: "X staged a protest against Y"
            subj, passive = subject_of(cand.top)
            reporter = reporter_of(cand.top)
        source = self._actor(subj) if not passive or subj is not None else None
        if source is None and (subj is None or subj.pos_ == "PRON") and reporter is not None:
            source = self._actor(subject_of(reporter)[0])
        target = None
        inner = tok
        if cand.composed:
            inner = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp")), tok)
        fallback = None
        heads = [*target_heads(inner), *(target_heads(tok) if inner is not tok else [])]
        if cand.top.i != tok.i:
            heads += [h for h in target_heads(cand.top) if h.i != tok.i]
        for head in heads:
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
        subj, _ = subject_of(cur)
        reporter = reporter_of(tok)
        speaker = subject_of(reporter)[0] if reporter is not None else None
        return self._actor(speaker), self._actor(subj)

    def _noun_actors(self, tok: Token) -> tuple[Actor | None, Actor | None]:
        source = target = None
        for child in tok.children:
            if child.dep_ in ("acl", "relcl"):
                s, _ = subject_of(child)
                if s is not None and s.i != tok.i:
                    source = self._actor(s)
                for t in target_heads(child):
                    if t.i != tok.i and target is None:
                        target = self._actor(t)
        if source is None:
            for child in tok.children:
                if child.dep_ in ("poss", "compound", "amod"):
                    source = self._actor(child)
                    if source is not None:
                        break
        if target is None:
            for head in target_heads(tok):
                target = self._actor(head)
                if target is not None:
                    break
        return source, target

    def _infer_country(
        self, actor: Actor, sent: Span, trigger: Token, other: Actor | None
    ) -> Actor:
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
            if country is None and tok.ent_type_ == "GPE":
                place = lookup_place(tok.text)  # a city names its country ("police in Lagos")
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

    def _resident(self, actor: Actor | None, pred: Token, sent: Span) -> Actor | None:
        """Code an ethnic group by the country it lives in ("ethnic Albanians in Serbia")."""
        if actor is None or actor.country is None:
            return actor
        span = self.doc.char_span(actor.start, actor.end, alignment_mode="expand")
        if span is None or not any(t.lower_ in mod_list("ethnic_markers") for t in span):
            return actor
        heads = [span.root, pred]
        for head in heads:
            for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "in"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    country = code_tokens(phrase_tokens(pobj)).country
                    if country and country != actor.country:
                        sector = actor.sector or "CVL"
                        return replace(actor, country=country, sector=sector, code=country + sector)
        # No "in Y": the first other country the sentence names is where the group lives
        # ("ethnic Turks ... protest against Sweden's decision").
        for tok in sent:
            if tok.pos_ != "PROPN" or span.start <= tok.i < span.end:
                continue
            country = code_tokens([tok]).country
            if country and country != actor.country:
                sector = actor.sector or "CVL"
                return replace(actor, country=country, sector=sector, code=country + sector)
        return actor

    def _scope_target(self, cand: _Cand, source: Actor | None) -> Actor | None:
        """A coded noun phrase elsewhere in the predicate's own scope ("arrived in Amman")."""
        subj = subject_of(cand.top)[0]
        for tok in scope(cand.top):
            if tok.pos_ not in ("PROPN", "NOUN") or tok.dep_ in SKIP_TARGET_DEPS:
                continue
            if subj is not None and tok.i in {t.i for t in subj.subtree}:
                continue
            if any(a.lower_ in actor_rules()["source_phrases"] for a in tok.ancestors):
                continue  # "…, according to the ministry": who reports it, not who takes part
            actor = self.coder.code(tok)
            if actor is None or not actor.code:
                continue
            if source is not None and (source.start <= actor.start < source.end):
                continue
            if source is not None and actor.code == source.code:
                continue
            return actor
        return None

    # -- modality, date, place --------------------------------------------------------------
    def _modality(self, cand: _Cand, clause: list[Token]) -> tuple[str, str | None]:
        tok = cand.token
        chain = [tok, *(a for a in tok.ancestors if a.i < tok.i + 40)][:4]
        negs = set(mod_list("negations"))
        attributed = None
        for st in self.statements:
            if st.content.start <= tok.idx < st.content.end:
                attributed = st.id
                break
        if any(c.dep_ == "neg" or (c.lower_ in negs and c.dep_ == "neg") for c in tok.children):
            return "negated", attributed
        auxes = {c.lower_ for t in chain[:2] for c in t.children if c.dep_ == "aux"}
        marks = {c.lower_ for t in chain for c in t.children if c.dep_ == "mark"}
        hypo_verbs = set(mod_list("hypothetical_verbs"))
        if (
            marks & set(mod_list("hypothetical_marks"))
            or auxes & set(mod_list("hypothetical_aux"))
            or any(a.lemma_.lower() in hypo_verbs for a in chain[1:])
        ):
            return "hypothetical", attributed
        if cand.frame_modality == "future" or auxes & set(mod_list("future_aux")):
            return "future", attributed
        years = years_in(clause)
        limit = int(rules()["modality"]["historical_years"])
        if self.published and years and max(years) <= self.published.year - limit:
            return "historical", attributed
        if attributed is not None or reporter_of(tok) is not None:
            return "reported", attributed
        return "asserted", attributed

    def _date(self, clause: list[Token], tok: Token) -> date | None:
        found = resolve_tokens(clause, self.published)
        if found is None:
            reporter = reporter_of(tok)
            if reporter is not None:
                found = resolve_tokens(own_clause(reporter), self.published)
        return found or self.published

    def _location(self, clause: list[Token]) -> Location | None:
        best = None
        rank = {"city": 0, "capital": 1, "country": 2}
        in_clause = {t.i for t in clause}
        for tok in clause:
            if tok.dep_ != "prep" or tok.lower_ not in PLACE_PREPS:
                continue
            if depth_to(tok, clause_top(clause)) > MAX_PLACE_DEPTH:
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
            source = self._resident(source, cand.top, sent)
            if target is None or not target.code:
                target = self._scope_target(cand, source) or target
            pos = "LIGHT" if cand.top.i != cand.token.i else cand.entry.pos
            conf = (
                _conf("composed")
                if cand.composed
                else _conf({"VERB": "verb", "NOUN": "noun", "LIGHT": "light"}.get(pos, "adjective"))
            )
            if source is None:
                conf += _conf("no_source")
            if not any(a is not None and a.code for a in (source, target)):
                conf += _conf("uncoded")
            if target is None:
                conf += _conf("no_target")
            clause = own_clause(cand.top)
            modality, attributed = self._modality(cand, clause)
            conf += {"negated": _conf("negated"), "hypothetical": _conf("hypothetical")}.get(
                modality, 0.0
            )
            if modality == "reported":
                conf += _conf("reported")
            if conf < _conf("minimum"):
                continue
            # Depth below the main clause only ranks events; it never drops one.
            conf += max(_conf("depth") * main_depth(cand.top), _conf("depth_cap"))
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
