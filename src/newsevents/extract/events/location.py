"""Where an event happened: the place its clause names, else its sentence, else the dateline.

In order of trust: a place in a locative phrase of the event's own clause ("in Astana", "near
Mosul"); a place the trigger acts on ("shelled Kharkiv"); a city, region or facility the
sentence names outside the event's actors ("… after talks in Doha"); then the article's
dateline ("KYIV, March 3 (Newswire) —"); then a country in a locative phrase of the sentence,
outside the actors and the trigger's arguments ("rioted at a jail in northern Chile, setting
fire to ..."); last, the one country of all the event's actors when
the sentence names it ("Nigerian troops killed twelve militants in the north of Nigeria",
"Serbia's parliament approved the law": a domestic event happens in its country). Otherwise a
country named in the sentence is not taken for the place: countries in news sentences are
mostly actors ("Germany expelled Russian diplomats" happened in neither for all we know). A
word inside a date ("last March") is never a place.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice

from spacy.tokens import Doc, Span, Token

from ...model import Actor, Location
from ...resources import read_toml
from ..places import Place, entity_name, lookup_place, to_location
from .syntax import MAX_PLACE_DEPTH, PLACE_PREPS, clause_top, depth_to

PLACE_RANK = {"city": 0, "capital": 1, "region": 2, "country": 3}
NOT_PLACE_DEPS = frozenset({"appos", "poss", "npadvmod", "compound"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entity labels whose words are never places ("riots last *March*", "March" a town in England).
NOT_PLACE_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL"})
NO_COUNTRY = frozenset({"IGO"})  # an organisation's code in the country slot
OBJECT_DEPS = frozenset({"dobj", "pobj", "nsubjpass"})
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "attr"})
DATELINE_SENTENCES = 8  # a dateline opens one of the article's first paragraphs
DATELINE_WORDS = 12  # and its dash comes within this many words


def _better(place: Place | None, best: Place | None) -> bool:
    return place is not None and (best is None or PLACE_RANK[place.kind] < PLACE_RANK[best.kind])


def clause_place(clause: Sequence[Token]) -> Place | None:
    """Return the most specific place (city, capital, country) a locative phrase names."""
    best = None
    in_clause = {t.i for t in clause}
    top = clause_top(list(clause))
    for tok in clause:
        if tok.dep_ != "prep" or tok.lower_ not in PLACE_PREPS:
            continue
        if depth_to(tok, top) > MAX_PLACE_DEPTH:
            continue
        for t in tok.subtree:
            if t.i not in in_clause and t.dep_ not in NOT_PLACE_DEPS:
                continue
            if t.pos_ != "PROPN" or t.ent_type_ in NOT_PLACE_LABELS:
                continue
            place = lookup_place(entity_name(t)) or lookup_place(t.text)
            if _better(place, best):
                best = place
    return best


def _outside(ent: Span, actors: Sequence[Actor | None]) -> bool:
    return all(a is None or not (a.start <= ent.start_char < a.end) for a in actors)


def sentence_place(
    sent: Span, trigger: Token, actors: Sequence[Actor | None], places: Sequence[Span]
) -> Place | None:
    """Return a city the trigger acts on, else one the sentence names outside the actors.

    ``places`` are the document's place entities (read once per document: ``Span.ents`` is
    costly).
    """
    for child in trigger.children:
        if child.dep_ not in OBJECT_DEPS or child.pos_ != "PROPN":
            continue
        # a place by its entity label, or an object the actor coder coded as a bare country
        # ("shelled Kharkiv" with Kharkiv mistagged as a person)
        as_place = child.ent_type_ in PLACE_LABELS or any(
            a is not None and a.start == child.idx and a.code and a.code == a.country
            for a in actors
        )
        place = lookup_place(entity_name(child)) if as_place else None
        if place is not None and place.kind != "country":
            return place
    # a place inside an argument's phrase says where the argument is, not the event
    # ("criticized the envoy who lives in Paris")
    inside = _arguments(trigger)
    best = None
    for ent in places:
        if not sent.start <= ent.start < sent.end or ent.label_ not in PLACE_LABELS:
            continue
        if not _outside(ent, actors) or ent.root.i in inside:
            continue
        place = lookup_place(ent.text)
        if place is not None and place.kind != "country" and _better(place, best):
            best = place
    return best


def _arguments(trigger: Token) -> set[int]:
    """Return the token indices of the trigger's argument phrases."""
    return {t.i for c in trigger.children if c.dep_ in ARGUMENT_DEPS for t in c.subtree}


def locative_country(
    sent: Span, trigger: Token, actors: Sequence[Actor | None], places: Sequence[Span]
) -> Place | None:
    """Return a country the sentence names in a locative phrase ("in northern Chile"),
    outside the event's actors and its arguments' phrases."""
    inside = _arguments(trigger)
    for ent in places:
        if not sent.start <= ent.start < sent.end or ent.label_ not in PLACE_LABELS:
            continue
        root = ent.root
        if root.dep_ != "pobj" or root.head.lower_ not in PLACE_PREPS:
            continue
        if not _outside(ent, actors) or root.i in inside:
            continue
        place = lookup_place(ent.text)
        if place is not None:
            return place
    return None


def actors_country(
    sent: Span, actors: Sequence[Actor | None], places: Sequence[Span]
) -> Place | None:
    """Return the country the sentence names when it is the one country of all the actors."""
    countries = {a.country for a in actors if a is not None and a.country}
    if len(countries) != 1 or countries & NO_COUNTRY:
        return None
    for ent in places:
        if not sent.start <= ent.start < sent.end or ent.label_ not in PLACE_LABELS:
            continue
        place = lookup_place(ent.text)
        if place is not None and place.kind == "country" and place.country in countries:
            return place
    return None


def dateline_place(doc: Doc) -> Place | None:
    """Return the place of the article's dateline ("KYIV, March 3 —", "Geneva (AP) —"), if any.

    A dateline opens one of the first paragraphs: a place in capitals (or a capitalised GPE)
    first, then a date or agency, then a dash, within its first few words.
    """
    dashes = frozenset(read_toml("sentences.toml")["dateline_dashes"])
    for sent in islice(doc.sents, DATELINE_SENTENCES):
        words = [t for t in sent if not t.is_space][:DATELINE_WORDS]
        if not any(t.text in dashes for t in words):
            continue
        lead: list[Token] = []
        for tok in words:
            if (tok.is_alpha and tok.is_upper) or (tok.ent_type_ == "GPE" and tok.is_title):
                lead.append(tok)
            else:
                break
        if lead and (place := lookup_place(" ".join(t.text for t in lead))) is not None:
            return place
    return None


def locate(
    clause: Sequence[Token],
    sent: Span,
    trigger: Token,
    actors: Sequence[Actor | None],
    dateline: Place | None,
    places: Sequence[Span],
) -> Location | None:
    """Return where the event happened, by the order of trust in the module docstring."""
    place = (
        clause_place(clause)
        or sentence_place(sent, trigger, actors, places)
        or dateline
        or locative_country(sent, trigger, actors, places)
        or actors_country(sent, actors, places)
    )
    return None if place is None else to_location(place)
