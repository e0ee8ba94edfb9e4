"""Literal before figurative: material-conflict events need a literal reading; off-topic text none.

A material-conflict candidate (CAMEO roots 15, 17-20, threats of force, physical expulsions;
PLOVER ASSAULT, COERCE, MOBILIZE) keeps its code when its clause is violent (weapons, troops,
casualties, an armed actor taking part). Otherwise its participants decide, by word class
(``data/events/literal.toml``): a natural force or condition acting ("the storm hit"), an idea
assaulting ("the scandal hit the minister") or a condition as target ("fighting dirty air") is
no event; an idea as target ("attacked the plan") is criticism (CAMEO 111) when an actor
attacks, fights or slams it, else no event; a person or organisation attacking another, or a
state over a topic, is criticism ("Trump attacked Clinton"); a contest verb without violence
("Brazil beat Germany 7-1", "beat her rival by twelve points") or any force in an electoral clause
("carried the province by 30,000 votes") is no event. Everything else keeps its code. Sentences and
stories with an off-topic phrase (``data/events/discards.csv``, from Phoenix's list) yield no event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from ...errors import ConfigError
from ...model import Actor
from ...ontology import cameo, is_cameo
from ...resources import read_csv, read_text, read_toml
from ..actors import actor_tables
from .candidates import Candidate
from .syntax import own_clause, subject_of, target_heads
from .triggers import match

_FILE = "events/literal.toml"
_WORDS = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")
_JOINERS = re.compile(r"[-'’/]")
STEM_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers")


@dataclass(frozen=True, slots=True)
class Classes:
    """The word classes of ``data/events/literal.toml`` and ``violence.csv``."""

    roots: frozenset[str]
    prefixes: tuple[str, ...]
    plover: frozenset[str]
    physical: frozenset[str]
    physical_prefixes: tuple[str, ...]
    verbal_code: str
    speaker_labels: frozenset[str]
    group_labels: frozenset[str]
    place_labels: frozenset[str]
    armed_sectors: frozenset[str]
    civilian_sectors: frozenset[str]
    not_actor_sectors: frozenset[str]
    speaker_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    political_sectors: frozenset[str]
    verbal: frozenset[str]
    contest: frozenset[str]
    electoral: frozenset[str]
    advocacy_preps: frozenset[str]
    topic_preps: frozenset[str]
    violent_nouns: frozenset[tuple[str, ...]]  # phrases, words in order
    violent_adjectives: frozenset[str]
    violent_verbs: frozenset[str]
    ideas: frozenset[str]
    idea_suffixes: tuple[str, ...]
    conditions: frozenset[str]
    people: frozenset[str]
    speakers: frozenset[str]  # classes of who may attack in words
    unarmed_targets: frozenset[str]  # classes of what a speaker's verbal attack may target


def _line_of(table: str, key: str) -> int:
    """Return the line of ``key =`` in a table of literal.toml (0 when it is missing)."""
    lines = read_text("events", "literal.toml").splitlines()
    top = next((n for n, line in enumerate(lines) if line.strip() == f"[{table}]"), 0)
    found = (n for n, line in enumerate(lines[top:], top + 1) if line.startswith(f"{key} "))
    return next(found, 0)


def _list(raw: dict[str, Any], table: str, key: str) -> list[str]:
    """Return a list of lower-case strings from a table of literal.toml, or fail with its line."""
    value = raw.get(table, {}).get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        where = _line_of(table, key)
        at = f" line {where}" if where else ""
        raise ConfigError(f"data file {_FILE}{at}: [{table}] {key} must be a list of words")
    return [v.lower() for v in value]


def _violence() -> list[str]:
    """Return the phrases of violence.csv (PETRARCH's weapon and military synonym sets)."""
    out = []
    for n, row in enumerate(read_csv("events", "violence.csv"), start=2):
        if not (row.get("phrase") or "").strip() or not row.get("synset"):
            raise ConfigError(f"data file events/violence.csv line {n}: needs phrase and synset")
        out.append(row["phrase"].strip().lower())
    return out


@cache
def classes() -> Classes:
    """Return the literal-reading word classes (loaded and checked once)."""
    raw = read_toml("events", "literal.toml")
    verbal_code = raw.get("codes", {}).get("verbal")
    if not isinstance(verbal_code, str) or not is_cameo(verbal_code):
        where = _line_of("codes", "verbal")
        raise ConfigError(f"data file {_FILE} line {where}: [codes] verbal must be a CAMEO code")

    def words(table: str, key: str) -> frozenset[str]:
        return frozenset(_list(raw, table, key))

    def upper(table: str, key: str) -> frozenset[str]:
        return frozenset(v.upper() for v in _list(raw, table, key))

    return Classes(
        roots=words("codes", "roots"),
        prefixes=tuple(_list(raw, "codes", "prefixes")),
        plover=upper("codes", "plover"),
        physical=upper("codes", "physical"),
        physical_prefixes=tuple(_list(raw, "codes", "physical_prefixes")),
        verbal_code=verbal_code,
        speaker_labels=upper("actors", "speaker_labels"),
        group_labels=upper("actors", "group_labels"),
        place_labels=upper("actors", "place_labels"),
        armed_sectors=upper("actors", "armed_sectors"),
        civilian_sectors=upper("actors", "civilian_sectors"),
        not_actor_sectors=upper("actors", "not_actor_sectors"),
        speaker_pronouns=words("actors", "speaker_pronouns"),
        group_pronouns=words("actors", "group_pronouns"),
        political_sectors=upper("actors", "political_sectors"),
        verbal=words("verbs", "verbal"),
        contest=words("verbs", "contest"),
        electoral=words("context", "electoral"),
        advocacy_preps=words("verbs", "advocacy_preps"),
        topic_preps=words("verbs", "topic_preps"),
        violent_nouns=frozenset(
            tuple(p.split()) for p in [*_list(raw, "context", "nouns"), *_violence()]
        ),
        violent_adjectives=words("context", "adjectives"),
        violent_verbs=words("context", "verbs"),
        ideas=words("nouns", "ideas"),
        idea_suffixes=tuple(_list(raw, "nouns", "idea_suffixes")),
        conditions=words("nouns", "conditions"),
        people=words("nouns", "people"),
        speakers=words("figurative", "speakers"),
        unarmed_targets=words("figurative", "unarmed_targets"),
    )


def is_material(code: str) -> bool:
    """Return whether a CAMEO code is material conflict that needs a literal reading."""
    c = classes()
    if code[:2] in c.roots or code.startswith(c.prefixes):
        return True
    return (cameo(code).plover_type or "") in c.plover


def kind(tok: Token | None) -> str | None:
    """Return a head noun's class: person, group, place, armed, civilian, idea, condition, …

    ``nonactor`` for things the agent tables list as no actor (storms, weekdays), ``unknown``
    for nouns no class knows (they are given the benefit of the doubt), None for no token.
    """
    if tok is None:
        return None
    c = classes()
    if tok.pos_ == "PRON":
        if tok.lower_ in c.group_pronouns:
            return "group"
        return "person" if tok.lower_ in c.speaker_pronouns else "unknown"
    label = tok.ent_type_
    if label in c.speaker_labels:
        return "person"
    if label in c.place_labels:
        return "place"
    if label in c.group_labels:
        return "group"
    lemma = tok.lemma_.lower()
    if lemma in c.conditions or tok.lower_ in c.conditions:
        return "condition"
    if lemma in c.ideas or tok.lower_ in c.ideas or lemma.endswith(c.idea_suffixes):
        return "idea"
    sectors = actor_tables().sector
    sector = sectors.get(tok.lower_) or sectors.get(lemma)
    if sector is None and lemma in c.people:
        return "person"
    return _sector_kind(sector)


def _sector_kind(sector: str | None) -> str:
    """Return the class of an agent sector (``unknown`` for none)."""
    c = classes()
    for name, sectors in (("armed", c.armed_sectors), ("nonactor", c.not_actor_sectors)):
        if sector in sectors:
            return name
    return "unknown" if sector is None else "civilian" if sector in c.civilian_sectors else "person"


def actor_kind(tok: Token | None, actor: Actor | None) -> str | None:
    """Return a head's class, falling back on how the actor coder coded it ("Merkel": GOV).

    A name coded with a country only is an ``actor``: it may attack an idea, but is not known
    to be a person.
    """
    found = kind(tok)
    if found == "unknown" and actor is not None and tok is not None and tok.pos_ == "PROPN":
        found = _sector_kind(actor.sector)
        return "actor" if found == "unknown" and actor.code else found
    return found


def _root(doc: Doc, actor: Actor | None) -> Token | None:
    """Return the head token of an actor's phrase."""
    span = None if actor is None else doc.char_span(actor.start, actor.end, "expand")
    return None if span is None else span.root


def _agent(cand: Candidate, pred: Token, source: Actor | None) -> tuple[Token | None, Actor | None]:
    """Return who does the act: the predicate's subject (and the source when it is that subject).

    Not the reporter a source may come from ("a statement says 70 people were killed").
    """
    root = _root(cand.token.doc, source)
    head = pred if pred.pos_ in ("VERB", "AUX") else cand.top
    if head.pos_ not in ("VERB", "AUX"):
        return root, source  # an event noun: its possessor or the clause's subject
    if head.dep_ == "relcl" and not any(c.dep_.startswith("nsubj") for c in head.children):
        return None, None  # "the first time to oust the president": no subject in the text
    subj = subject_of(head)[0]
    same = subj is not None and root is not None and subj.i == root.i
    return subj, source if same else None


def _inner(cand: Candidate) -> Token:
    """Return the material predicate: a frame's complement ("vowed to *fight*") or the trigger."""
    tok = cand.token
    if not cand.composed or not cand.entry.frame:
        named = {v for c in cand.entry.require if c.kind == "obj" for v in c.values}
        for child in tok.children:
            act = child.dep_ in ("xcomp", "dobj") and child.pos_ == "VERB"
            if act and child.lemma_.lower() in named:
                return child  # "began attacking": the pattern's object is the act itself
        return tok  # "could attack": a modal composes the trigger itself
    for child in tok.children:
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
        if child.dep_ in ("xcomp", "ccomp") or (child.dep_ == "advcl" and infinitive):
            return child
    return tok


def _vetted(pred: Token, cand: Candidate) -> bool:
    """Return whether the lexicon restricts the predicate's object ("imposed *sanctions*")."""
    entry = cand.entry if pred.i == cand.token.i else match(pred)
    if entry is None:
        return False
    return any(c.kind == "obj" and not c.values & {"*", "*PERSON"} for c in entry.require)


def _object(pred: Token, subj: Token | None) -> Token | None:
    """Return the head of what the predicate acts on: its object, else its first target."""
    return next((h for h in target_heads(pred) if subj is None or h.i != subj.i), None)


def _topics(pred: Token) -> list[Token]:
    """Return the predicate's topic phrases ("attacked Germany *over the law*")."""
    if not any(c.dep_ == "dobj" for c in pred.children):
        return []
    preps = classes().topic_preps
    return [
        c
        for c in pred.children
        if c.dep_ == "prep"
        and c.lower_ in preps
        and not any(t.ent_type_ in ("DATE", "TIME") for t in c.subtree)
    ]


def _violent_words(tokens: Sequence[Token]) -> bool:
    """Return whether the tokens name weapons, forces, casualties or violent acts."""
    c = classes()
    for i, tok in enumerate(tokens):
        lemma = tok.lemma_.lower()
        if (tok.pos_ == "VERB" and lemma in c.violent_verbs) or (
            tok.pos_ == "ADJ" and lemma in c.violent_adjectives
        ):
            return True
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ"):
            continue
        for n in range(4):  # phrases ending here, head last: "tear gas", "cruise missiles"
            before = tuple(t.lower_ for t in tokens[max(i - n, 0) : i])
            if len(before) == n and {(*before, tok.lower_), (*before, lemma)} & c.violent_nouns:
                return True
    return False


def _violent(
    cand: Candidate, pred: Token, obj: Token | None, source: Actor | None, target: Actor | None
) -> bool:
    """Return whether the event's clause or participants are violent."""
    c = classes()
    if any(a is not None and a.sector in c.armed_sectors for a in (source, target)):
        return True
    doc = cand.token.doc
    skip = {cand.token.i, pred.i}
    for topic in _topics(pred):
        skip.update(t.i for t in topic.subtree)
    if obj is not None and kind(obj) in ("idea", "condition"):
        skip.update(t.i for t in obj.subtree)  # "attacked the military budget"
    tokens = {t.i: t for t in own_clause(cand.top)}
    if pred.i != cand.top.i:
        tokens.update((t.i, t) for t in own_clause(pred))
    for actor in (source, target):
        span = None if actor is None else doc.char_span(actor.start, actor.end, "expand")
        tokens.update((t.i, t) for t in span or ())
    return _violent_words([tokens[i] for i in sorted(tokens) if i not in skip])


def _advocacy(tok: Token, c: Classes) -> bool:
    """Whether a fighting word means working for something ("fight for the family"): no event."""
    if tok.lemma_.lower() not in c.verbal or any(ch.dep_ == "dobj" for ch in tok.children):
        return False
    return any(ch.dep_ == "prep" and ch.lower_ in c.advocacy_preps for ch in tok.children)


def literal(cand: Candidate, source: Actor | None, target: Actor | None) -> Candidate | None:
    """Return the candidate as it reads literally: unchanged, recoded as criticism, or None."""
    c = classes()
    armed = any(a is not None and a.sector in c.armed_sectors for a in (source, target))
    if _advocacy(cand.token, c) and not armed:
        return None  # "fought for cheaper rents", "will fight for her workers"
    if not is_material(cand.code):
        return cand
    pred = _inner(cand)
    src, agent = _agent(cand, pred, source)
    vetted = _vetted(pred, cand)  # the lexicon chose the object: "opened *fire*"
    obj = None if vetted else _object(pred, src)
    if _violent(cand, pred, obj, source, target):
        return cand
    verbal = replace(cand, code=c.verbal_code)
    lemma = pred.lemma_.lower()
    who = actor_kind(src, agent)
    what = kind(obj) if obj is not None or vetted else actor_kind(_root(pred.doc, target), target)
    physical = cameo(cand.code).plover_type in c.physical or cand.code.startswith(
        c.physical_prefixes
    )
    if who in ("condition", "nonactor") or (physical and who == "idea"):
        return None  # "the storm hit the coast", "the scandal hit the minister"
    if physical and what == "condition":
        return None  # "London is fighting dirty air"
    if physical and what == "idea":  # "attacked the plan" (but "banned the book")
        actor = who not in (None, "unknown")
        return verbal if actor and lemma in c.verbal else None
    if lemma in c.contest or any(t.lemma_.lower() in c.electoral for t in own_clause(pred)):
        return None  # "Brazil beat Germany 7-1", "the mayor captured the district by 900 votes"
    people = what in ("person", "group", "civilian") or (what == "place" and bool(_topics(pred)))
    if lemma in c.verbal and who == "person" and people:
        return verbal  # "Trump attacked Clinton", "Merkel attacked Poland over the law"
    if lemma in c.verbal and who in c.speakers and what in c.unarmed_targets:
        return verbal  # "Trump attacked the party establishment": no weapon, no armed side
    return cand


# --- off-topic sentences and stories ---------------------------------------------------------


Table = dict[str, tuple[tuple[tuple[str, ...], bool], ...]]  # first word -> (words, exact)


def words_of(text: str) -> list[str]:
    """Return lower-case words and punctuation marks ("semi-final" → semi, final)."""
    return _WORDS.findall(_JOINERS.sub(" ", text.lower()))


@cache
def discards() -> dict[str, Table]:
    """Return the off-topic phrases of ``data/events/discards.csv`` by scope (sentence, story)."""
    scopes: dict[str, dict[str, list[tuple[tuple[str, ...], bool]]]] = {"sentence": {}, "story": {}}
    for n, row in enumerate(read_csv("events", "discards.csv"), start=2):
        words = tuple(words_of(row.get("phrase") or ""))
        scope, exact = row.get("scope") or "", row.get("exact")
        if not words or scope not in scopes or exact not in ("0", "1"):
            raise ConfigError(
                f"data file events/discards.csv line {n}: needs a phrase, scope sentence|story"
                " and exact 0|1"
            )
        scopes[scope].setdefault(words[0], []).append((words, exact == "1"))
    return {s: {k: tuple(v) for k, v in table.items()} for s, table in scopes.items()}


def _matches(words: Sequence[str], phrase: tuple[str, ...], exact: bool) -> bool:
    """Return whether a phrase starts the words; its last word is a stem unless ``exact``."""
    if len(words) < len(phrase) or tuple(words[: len(phrase) - 1]) != phrase[:-1]:
        return False
    last, word = phrase[-1], words[len(phrase) - 1]
    if word == last:
        return True
    return not exact and word.startswith(last) and word[len(last) :] in STEM_SUFFIXES


def _stems(word: str) -> set[str]:
    """Return a word and the stems it may extend ("goalkeepers" → goalkeeper, goalkeep)."""
    return {word, *(word[: -len(s)] for s in STEM_SUFFIXES if word.endswith(s))}


def _discarded(text: str, table: Table) -> bool:
    words = words_of(text)
    first = {w for w in set(words) if not table.keys().isdisjoint(_stems(w))}
    if not first:  # most texts: no word starts a phrase of the table
        return False
    return any(
        _matches(words[i:], phrase, exact)
        for i, w in enumerate(words)
        if w in first
        for stem in _stems(w)
        for phrase, exact in table.get(stem, ())
    )


@lru_cache(maxsize=256)
def _sentence_discarded(text: str) -> bool:
    """Whether a sentence holds an off-topic phrase (cached: asked once per candidate)."""
    return _discarded(text, discards()["sentence"])


def off_topic_story(text: str) -> bool:
    """Return whether a story holds a phrase that discards it whole ("goalkeeper", "inning")."""
    return _discarded(text, discards()["story"])


def off_topic_sentence(text: str, *actors: Actor | None) -> bool:
    """Return whether a sentence holds an off-topic phrase ("semi-final", "box office").

    An event with a political actor (government, forces, parties, rebels) stands all the same.
    """
    political = classes().political_sectors
    if any(a is not None and (a.sector or "") in political for a in actors):
        return False
    return _sentence_discarded(text)
