"""Gates: what a candidate needs before it is an event at all (``[gates]`` of rules.toml).

CAMEO and PLOVER code what happened: a negated or hypothetical act is no event (threats
excepted), a negated promise of cooperation is a refusal (CAMEO 12), verbs of motion are visits
only for official travellers, and the PLOVER types whose definition is an act towards someone
need an actor as target, a second actor under the predicate, or (for commitments) the act they
commit to. This is PETRARCH's ``require_dyad``, kept only where the definition names a target.
Everyday verbs in their bare sense, states of preference, declining to comment, opinions a
poll reports, and meetings, wishes or willingness of people who act for no state are no events;
a named person coded by a bare country is no state; cooperation and aid need a political
source; an admission ("conceded that ...") is no concession.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ...model import Actor
from ...ontology import cameo
from .candidates import Candidate
from .rules import gates, words
from .syntax import subject_of


def _is_actor(actor: Actor | None, doc: Doc) -> bool:
    """Whether a participant is an actor: coded, given a sector, or a named person or body."""
    if actor is None:
        return False
    if actor.code or actor.sector:
        return True
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ in gates().actor_labels for t in span)


def _complements(top: Token) -> list[Token]:
    """The predicate's tokens with its complements, without adverbial or relative clauses."""
    out, todo = [], [top]
    while todo:
        tok = todo.pop()
        out.append(tok)
        todo.extend(
            c
            for c in tok.children
            if c.dep_ not in gates().not_complements
            and not (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))  # another predicate
        )
    return out


def _partner(cand: Candidate, source: Actor | None) -> bool:
    """Whether the predicate names a second actor besides its source, outside the object.

    "Chile and Peru signed a treaty" (coordinated sources), "pressed their demand that the
    Nepalese government release ..." (an actor under the predicate).
    """
    labels = gates().actor_labels
    subject = subject_of(cand.top)[0]
    listed = (
        [] if subject is None else [subject, *(c for c in subject.children if c.dep_ == "appos")]
    )
    if any(c.dep_ == "conj" for t in listed for c in t.children):
        return True  # "The US, Russia and Switzerland met"
    inside = range(source.start, source.end) if source is not None else range(0)
    for tok in _complements(cand.top):
        if tok.ent_type_ in labels and tok.idx not in inside:
            return True
        if tok.dep_ == "conj" and tok.head.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "PROPN":
            return True
    return False


def _official(actor: Actor | None) -> bool:
    """Whether an actor acts for a state or an international body (its visits are news)."""
    if actor is None or actor.code is None:
        return False
    return actor.code.startswith("IGO") or (actor.sector or "") in gates().official_sectors


def _official_or_state(actor: Actor | None, doc: Doc | None = None) -> bool:
    """Whether an actor is a state (a bare country code), an international body or an official.

    A named person with a bare country code is no state ("Trump met his brother" is no
    meeting of the United States): the code says where the person is from, not whom they act
    for.
    """
    if actor is None or actor.code is None:
        return False
    if _official(actor):
        return True
    return not actor.sector and len(actor.code) == 3 and not _person(actor, doc)


def _person(actor: Actor, doc: Doc | None) -> bool:
    """Whether an actor's phrase is a named person (its entity label is in ``person_labels``)."""
    if doc is None:
        return False
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ in gates().person_labels for t in span)


def _political(actor: Actor | None, doc: Doc) -> bool:
    """Whether an actor is a state, an official, an international body or an aid organisation."""
    if actor is not None and (actor.sector or "") in gates().political_sectors:
        return True
    return _official_or_state(actor, doc)


def _polled(top: Token) -> bool:
    """Whether a poll reports the act: a poll noun in its clause or on a clause above it."""
    above = {a.i for a in top.ancestors} | {top.i}
    return any(
        t.pos_ == "NOUN" and t.lemma_.lower() in gates().poll_words and t.head.i in above
        for t in top.sent
    )


def refusal(cand: Candidate) -> bool:
    """Whether a negated candidate is a refusal: cooperation promised not to happen.

    "will not attend", "would not provide support" (CAMEO 12); "has not endorsed a candidate"
    only says what did not happen, and is no event.
    """
    w = words()
    auxes = {c.lower_ for c in cand.token.children if c.dep_ in ("aux", "auxpass")}
    promised = bool(auxes & (w.future_aux | w.backshift_aux))
    return cand.code[:2] in gates().refusal_roots and promised


def _bare(cand: Candidate) -> bool:
    """Whether a verb trigger was coded by its bare sense: no object, phrase or frame named.

    An obligation composed onto the verb itself ("must take back control") does not make its
    bare sense an act: the demand is of nothing an annotator would code.
    """
    if cand.composed and cand.frame_modality != "demand":
        return False
    if cand.token.pos_ not in ("VERB", "AUX") or cand.top.i != cand.token.i:
        return False
    return all(c.kind == "obj" and c.values <= {"*"} and not c.objects for c in cand.entry.require)


def _no_comment(tok: Token) -> bool:
    """Whether a trigger declines to speak ("declined to comment"): CAMEO 011, no event."""
    g = gates()
    if tok.lemma_.lower() not in g.refusal_verbs:
        return False
    return any(c.dep_ == "xcomp" and c.lemma_.lower() in g.no_comment_verbs for c in tok.children)


def everyday(cand: Candidate) -> bool:
    """Whether a candidate is an everyday verb, a state or a silence rather than an event."""
    g = gates()
    lemma = cand.token.lemma_.lower()
    if lemma in g.stative_verbs and cand.token.pos_ in ("VERB", "AUX"):
        return True  # "voters favored the senator", "is favored to win"
    if lemma in g.everyday_verbs and _bare(cand):
        return True  # "offered another address", "had to take back control"
    return _no_comment(cand.token)


def passes(cand: Candidate, mode: str, source: Actor | None, target: Actor | None) -> bool:
    """Whether a candidate is an event at all: asserted enough, and dyadic where it must be."""
    g = gates()
    plover = cameo(cand.code).plover_type
    if mode in g.drop_modalities and not (mode == "hypothetical" and plover in g.conditional):
        return False
    if everyday(cand):
        return False
    lemma = cand.token.lemma_.lower()
    if lemma in g.motion_verbs and plover in g.visits and not _official(source):
        return False  # "the tourist went to Rome", "as it comes to pass": no visit
    doc = cand.token.doc
    if lemma in g.contact_verbs and plover in g.visits and not _official_or_state(source, doc):
        return False  # "he and the commentator still speak often": no meeting
    if not _official_or_state(source, doc) and _polled(cand.top):
        return False  # "a poll shows voters rejecting the candidate": an opinion, not an act
    if plover in g.political_types and not _political(source, doc):
        return False  # "the gun owner is selling his rifle": no economic cooperation
    if lemma in g.desire_verbs and not _official_or_state(source, doc):
        return False  # "teachers wanted to endorse him": a wish, not an appeal or an intent
    if lemma in g.willingness and not _official_or_state(source, doc):
        return False  # "voters are willing to look the other way": no commitment
    if plover in g.clausal_statement_types and any(c.dep_ == "ccomp" for c in cand.token.children):
        return False  # "conceded the situation is regrettable": a statement, not a concession
    if plover not in g.dyadic:
        return True
    if plover in g.commitments and (cand.composed or mode == "future"):
        return True  # "will send a team" (intent), "would not provide support" (refusal)
    if plover in g.commitments and any(
        c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") for c in cand.token.children
    ):
        return True  # "agreed to host talks", "refused to attend"
    return _is_actor(target, cand.token.doc) or _partner(cand, source)
