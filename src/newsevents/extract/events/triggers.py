"""Event triggers: the lexicon, its constraints, matching tokens to it, and frame composition.

Data: ``newsevents/data/events``.

``lexicon.csv`` rows: ``lemma, pos, require, code, frame, notes``. ``require`` is a ``;``-separated
list of constraints on the trigger's dependents: ``obj:a|b`` (direct object lemma; ``*`` any,
``*PERSON`` a named person), ``prep:in`` or ``prep:in>dialogue|talk`` (preposition, optionally
with its object), ``prt:down``, ``acl:schedule|hold`` (for nominal triggers), ``subj:claim``
(subject of an adjective), ``light`` (an event noun that is the object of a light verb such as
"staged a *protest*", "launched an *investigation*"; the verbs are listed in ``rules.toml``),
``compound:hunger`` (a noun modifier), ``of:link|tie`` (the object of an "of" complement), or a
bare dependency label (``ccomp``, ``xcomp``, ``oprd``).
``compose.csv`` maps a frame (intent, threat, demand, appeal, reject) and the CAMEO code of the
complement ("agreed to *meet*") to the composed code (036).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.symbols import AUX, VERB
from spacy.tokens import Token

from ...errors import ConfigError
from ...ontology import is_cameo
from ...resources import read_csv
from ..actors import actor_tables
from .rules import light_verbs
from .tree import children


@dataclass(frozen=True, slots=True)
class Constraint:
    """One requirement on a trigger's dependents."""

    kind: str
    values: frozenset[str]
    objects: frozenset[str]


@dataclass(frozen=True, slots=True)
class LexEntry:
    """A lexicon row: a trigger lemma, its constraints and its CAMEO code or frame.

    ``origin`` says where it comes from: the reviewed ``lexicon`` or ``petrarch`` verb knowledge.
    """

    lemma: str
    pos: str
    require: tuple[Constraint, ...]
    code: str
    frame: str | None
    origin: str = "lexicon"


def _parse_require(text: str) -> tuple[Constraint, ...]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        kind, _, rest = part.partition(":")
        values, _, objects = rest.partition(">")
        out.append(
            Constraint(
                kind,
                frozenset(v for v in values.split("|") if v),
                frozenset(o for o in objects.split("|") if o),
            )
        )
    return tuple(out)


@cache
def lexicon() -> dict[tuple[str, str], tuple[LexEntry, ...]]:
    """Return the lexicon keyed by (lemma, pos), most specific entries first."""
    table: dict[tuple[str, str], list[LexEntry]] = {}
    for row in read_csv("events", "lexicon.csv"):
        if not is_cameo(row["code"]):
            raise ConfigError(f"lexicon row {row['lemma']!r} has unknown CAMEO code {row['code']}")
        entry = LexEntry(
            row["lemma"],
            row["pos"],
            _parse_require(row["require"]),
            row["code"],
            row["frame"] or None,
        )
        table.setdefault((entry.lemma, entry.pos), []).append(entry)
    return {k: tuple(sorted(v, key=lambda e: -len(e.require))) for k, v in table.items()}


@cache
def compositions() -> dict[str, dict[str, str]]:
    """Return frame -> {complement code prefix -> composed code}."""
    out: dict[str, dict[str, str]] = {}
    for row in read_csv("events", "compose.csv"):
        if not is_cameo(row["code"]):
            raise ConfigError(f"compose row {row['frame']} has unknown CAMEO code {row['code']}")
        out.setdefault(row["frame"], {})[row["inner"]] = row["code"]
    return out


def compose(frame: str, inner: str | None) -> str | None:
    """Return the code of a frame applied to a complement code (longest prefix), or None."""
    table = compositions().get(frame)
    if table is None:
        return None
    if inner:
        for n in range(len(inner), 0, -1):
            if inner[:n] in table:
                return table[inner[:n]]
    return table.get("")


def _objects(tok: Token) -> list[Token]:
    objs = [c for c in children(tok) if c.dep_ in ("dobj", "nsubjpass", "dative", "attr")]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        objs.append(tok.head)
    return objs


def _obj_ok(obj: Token, values: frozenset[str]) -> bool:
    if "*" in values:
        return True
    if "*PERSON" in values and (
        obj.ent_type_ in ("PERSON", "NORP")
        or obj.pos_ == "PROPN"
        or obj.lemma_.lower() in actor_tables().sector
    ):
        return True
    if obj.lemma_.lower() in values or obj.lower_ in values:
        return True
    if any(c.dep_ == "compound" and c.lemma_.lower() in values for c in children(obj)):
        return True  # "mediation efforts", "aid programme"
    return any(
        p.dep_ == "pobj" and (p.lemma_.lower() in values or p.lower_ in values)
        for c in children(obj)
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in children(c)
    )


def satisfied(tok: Token, c: Constraint) -> bool:
    """Return whether a trigger token meets one constraint."""
    if c.kind == "obj":
        return any(_obj_ok(o, c.values) for o in _objects(tok))
    if c.kind == "prep":
        for child in children(tok):
            if child.dep_ in ("prep", "agent") and child.lower_ in c.values:
                if not c.objects:
                    return True
                if any(p.lemma_.lower() in c.objects for p in children(child) if p.dep_ == "pobj"):
                    return True
        return False
    if c.kind == "prt":
        return any(ch.dep_ == "prt" and ch.lower_ in c.values for ch in children(tok))
    if c.kind == "acl":
        return any(
            ch.dep_ in ("acl", "relcl") and ch.lemma_.lower() in c.values for ch in children(tok)
        )
    if c.kind == "light":
        return is_light(tok)
    if c.kind == "compound":
        return any(
            ch.dep_ in ("compound", "amod", "nmod") and ch.lemma_.lower() in c.values
            for ch in children(tok)
        )
    if c.kind == "of":
        return any(
            p.dep_ == "pobj" and p.lemma_.lower() in c.values
            for ch in children(tok)
            if ch.dep_ == "prep" and ch.lower_ == "of"
            for p in children(ch)
        )
    if c.kind == "subj":
        head = tok.head if tok.dep_ in ("acomp", "attr", "oprd") else tok
        return any(
            ch.dep_.startswith("nsubj") and ch.lemma_.lower() in c.values for ch in children(head)
        )
    return any(ch.dep_ == c.kind for ch in children(tok))


VERBAL = (VERB, AUX)  # the parts of speech (ids) whose suffixes lemma_forms strips
_FORMS: dict[tuple[int, int, bool], tuple[str, ...]] = {}  # (lemma, word, verb) -> forms
MAX_FORMS = 50_000  # the table is emptied when it grows past this (new vocabulary)


def lemma_forms(tok: Token) -> tuple[str, ...]:
    """Return the lemma, the surface form and, for verbs, suffix-stripped forms of a token.

    The statistical lemmatiser sometimes errs on news verbs ("staged" -> "stag"); the stripped
    forms ("stage", "staged" -> "stag"+"e") are tried after the lemma. Kept per (lemma, word,
    verb or not): most tokens are looked up several times.
    """
    key = (tok.lemma, tok.lower, tok.pos in VERBAL)
    forms = _FORMS.get(key)
    if forms is None:
        if len(_FORMS) >= MAX_FORMS:
            _FORMS.clear()
        forms = _FORMS[key] = _lemma_forms(tok)
    return forms


def _lemma_forms(tok: Token) -> tuple[str, ...]:
    low = tok.lower_
    forms = [tok.lemma_.lower(), low]
    if tok.pos_ in ("VERB", "AUX"):
        for suffix in ("d", "ed", "s", "es", "ing"):
            if low.endswith(suffix) and len(low) > len(suffix) + 2:
                stem = low[: -len(suffix)]
                forms += [stem, stem + "e"] if suffix in ("ed", "ing") else [stem]
    return tuple(dict.fromkeys(forms))


def is_light(tok: Token) -> bool:
    """Return whether a noun is the object of a light verb ("held *talks*", "began a *strike*")."""
    if tok.dep_ not in ("dobj", "nsubjpass", "attr") or tok.head.i == tok.i:
        return False
    return not light_verbs().isdisjoint(lemma_forms(tok.head))


def trigger_pos(tok: Token) -> str | None:
    """Return the part of speech a token could trigger as (VERB, NOUN, ADJ), or None."""
    if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ != "aux"):
        return "ADJ" if tok.dep_ == "acomp" else "VERB"
    if tok.pos_ in ("NOUN", "ADJ"):
        return str(tok.pos_)
    return None


def _keys(tok: Token) -> list[tuple[str, str]]:
    pos = trigger_pos(tok)
    if pos is None:
        return []
    alt = "ADJ" if pos == "VERB" else pos
    return [k for lemma in lemma_forms(tok) for k in ((lemma, pos), (lemma, alt))]


def match(tok: Token) -> LexEntry | None:
    """Return the most specific lexicon entry whose constraints the token meets, or None."""
    lex = lexicon()
    for key in _keys(tok):
        for entry in lex.get(key, ()):
            if all(satisfied(tok, c) for c in entry.require):
                return entry
    return None


def has_entries(tok: Token) -> bool:
    """Return whether the lexicon lists the token's word at all (met or not)."""
    lex = lexicon()
    return any(key in lex for key in _keys(tok))


def is_verb(tok: Token) -> bool:
    """Return whether a token is a predicate verb (not an auxiliary or an adjective)."""
    return trigger_pos(tok) == "VERB"
