"""PETRARCH verb knowledge: a verb's most specific pattern satisfied by the dependency parse.

Data (``newsevents/data/events``, built by ``scripts/build_verbs.py`` from PETRARCH2's CAMEO
verb dictionary, MIT, Open Event Data Alliance; see ``NOTICE.md``): ``verbs.csv`` (``lemma,
before, after, block, code``: a verb of a synonym block, the other words of a multi-word verb,
"blow *up*", and the bare verb's code, ``---`` for none); ``verb_patterns.csv`` (``block, verbs,
require, code``: ``require`` is ``;``-separated slots, ``subj:PHRASE``, ``obj:PHRASE`` (dobj,
nsubjpass, dative, attr, oprd, acomp, xcomp), ``prep:for`` or ``prep:for>PHRASE`` (of the verb
or its object), ``prt:up``; a PHRASE is lemmas or ``&SYNSET`` names (``verb_synsets.csv``), head
last, the others its modifiers; ``verbs`` are those the pattern was written for).

A second layer, ``verbs_extra.csv``, ``verb_patterns_extra.csv`` and ``verb_synsets_extra.csv``
(same format, built by ``scripts/build_verbs_extra.py`` from PETRARCH's older and larger
dictionary), is consulted only where CAMEO.2.0 codes nothing: its patterns for any verb, and
its bare codes only for verbs CAMEO.2.0 does not list.

The most specific satisfied pattern wins (most words, then one written for this verb, then the
later one, as in PETRARCH). Without one the bare verb codes its default, unless that is ``---``,
a statement (CAMEO 01, no PLOVER type), only a root's cue category ("040", "190": a loose sense),
or the verb is in several blocks ("take") or carries its object's event (``rules.toml`` light
verbs). Reporting verbs never code here: a reported event is coded on its own verb.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Token

from ...errors import ConfigError
from ...ontology import cameo, is_cameo
from ...resources import read_csv
from .rules import light_verbs, words
from .syntax import subject_of
from .tree import children
from .triggers import Constraint, LexEntry

NULL = "---"
# File suffixes of the verb knowledge layers, in order: CAMEO.2.0, then the older dictionary.
LAYERS = ("", "_extra")
KINDS = frozenset({"subj", "obj", "prep", "prt"})
OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "dative", "attr", "oprd", "acomp", "xcomp"})
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "nummod", "npadvmod", "poss", "advmod"})
PARTICLE_DEPS = frozenset({"prt", "advmod", "acomp"})
# Words that are particles after a verb ("gave *in*", "set *up*"), not prepositions with objects.
PARTICLES = frozenset(
    {"up", "down", "out", "off", "back", "over", "away", "in", "on", "around", "about", "along"}
    | {"through", "together", "apart", "aside", "forward", "ahead", "behind"}
)
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "parataxis", "conj", "csubj"})
# A verb in these relations is a modifier or a preposition ("*according* to", "French-*governed*").
NOT_PREDICATE_DEPS = frozenset({"prep", "amod", "compound", "advmod", "npadvmod", "nmod", "det"})

Alternative = tuple[frozenset[str], tuple[frozenset[str], ...]]  # head forms, modifier forms


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase to find: any of its alternatives (a head and modifiers each must have)."""

    text: str
    heads: frozenset[str]  # heads of the alternatives without modifiers
    complex: tuple[Alternative, ...]


@dataclass(frozen=True, slots=True)
class Slot:
    """One requirement of a pattern: a subject, object, prepositional phrase or particle."""

    kind: str
    word: str  # the preposition or particle
    phrase: Phrase | None


@dataclass(frozen=True, slots=True)
class VerbPattern:
    """A pattern of a synonym block and the code it gives."""

    slots: tuple[Slot, ...]
    code: str
    verbs: frozenset[str]
    weight: int
    order: int
    verbal: bool  # names no noun ("headed *to*"): it holds for the verbs it was written for
    anchor: frozenset[str]  # words one of which the parse must have (a quick filter)


@dataclass(frozen=True, slots=True)
class VerbRow:
    """A verb of a synonym block, with the other words of a multi-word verb."""

    lemma: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    block: str
    code: str
    layer: str = ""


def _fail(name: str, line: int, reason: str) -> ConfigError:
    return ConfigError(f"data file events/{name} line {line}: {reason}")


@cache
def synsets(layer: str = "") -> dict[str, tuple[tuple[str, ...], ...]]:
    """Return PETRARCH's synonym sets of a layer: name -> member phrases (words, head last)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    name = f"verb_synsets{layer}.csv"
    for n, row in enumerate(read_csv("events", name), start=2):
        words_ = tuple((row.get("phrase") or "").split())
        if not row.get("synset") or not words_:
            raise _fail(name, n, "a row needs a synset name and a phrase")
        out.setdefault(row["synset"], []).append(words_)
    return {k: tuple(v) for k, v in out.items()}


Where = tuple[str, int, str]  # file name, line, layer


def _forms(word: str, where: Where) -> frozenset[str]:
    """Return the words a phrase word stands for: itself, or a synset's heads."""
    if not word.startswith("&"):
        return frozenset({word})
    members = synsets(where[2]).get(word[1:])
    if members is None:
        raise _fail(where[0], where[1], f"unknown synset {word}")
    return frozenset(m[-1] for m in members)


def _phrase(text: str, where: Where) -> Phrase:
    """Compile a phrase ("humanitarian aid", "&WEAPON", "&MILITARY aid") into alternatives."""
    words_ = text.split()
    mods = tuple(_forms(w, where) for w in words_[:-1])
    head = words_[-1]
    members = synsets(where[2]).get(head[1:], ()) if head.startswith("&") else ((head,),)
    if head.startswith("&") and not members:
        raise _fail(where[0], where[1], f"unknown synset {head}")
    simple: set[str] = set()
    complex_: list[Alternative] = []
    for member in members:
        extra = tuple(frozenset({w}) for w in member[:-1])
        if mods or extra:
            complex_.append((frozenset({member[-1]}), mods + extra))
        else:
            simple.add(member[-1])
    return Phrase(text, frozenset(simple), tuple(complex_))


def _slot(part: str, where: Where) -> Slot:
    kind, sep, rest = part.partition(":")
    if kind not in KINDS or not sep or not rest:
        raise _fail(where[0], where[1], f"cannot read slot {part!r} (subj:, obj:, prep:, prt:)")
    if kind == "prep":
        prep, _, obj = rest.partition(">")
        return Slot(kind, prep, _phrase(obj, where) if obj else None)
    if kind == "prt":
        return Slot(kind, rest, None)
    return Slot(kind, "", _phrase(rest, where))


def _weight(slots: tuple[Slot, ...]) -> int:
    """Return how specific a pattern is: the words it names."""
    return sum(
        (1 if s.kind in ("prep", "prt") else 0)
        + (len(s.phrase.text.split()) if s.phrase is not None else 0)
        for s in slots
    )


def _anchor(slot: Slot) -> frozenset[str]:
    """Return the words of which a parse must have one to meet a slot."""
    if slot.kind in ("prep", "prt") or slot.phrase is None:
        return frozenset({slot.word})
    return slot.phrase.heads.union(*(heads for heads, _ in slot.phrase.complex))


def _code(raw: str, where: tuple[str, int] | Where) -> str:
    if raw != NULL and not is_cameo(raw):
        raise _fail(where[0], where[1], f"unknown CAMEO code {raw!r}")
    return raw


@cache
def patterns(layer: str = "") -> dict[str, tuple[VerbPattern, ...]]:
    """Return each block's patterns in a layer, most specific first."""
    out: dict[str, list[VerbPattern]] = {}
    name = f"verb_patterns{layer}.csv"
    for n, row in enumerate(read_csv("events", name), start=2):
        where = (name, n, layer)
        if not row.get("block") or not row.get("require"):
            raise _fail(name, n, "a row needs a block and at least one slot")
        slots = tuple(_slot(p, where) for p in row["require"].split(";") if p)
        verbs_ = frozenset(v for v in (row.get("verbs") or "").split("|") if v)
        code = _code(row.get("code") or "", where)
        verbal = all(s.phrase is None for s in slots)
        pat = VerbPattern(slots, code, verbs_, _weight(slots), n, verbal, _anchor(slots[0]))
        out.setdefault(row["block"], []).append(pat)
    return {k: tuple(sorted(v, key=lambda p: -p.weight)) for k, v in out.items()}


@dataclass(frozen=True, slots=True)
class BlockPatterns:
    """A block's patterns, most specific first, indexed by their anchor words."""

    patterns: tuple[VerbPattern, ...]
    by_word: dict[str, tuple[int, ...]]  # anchor word -> positions in ``patterns``

    def candidates(self, vocab: frozenset[str]) -> list[VerbPattern]:
        """Return, in order, the patterns whose anchor meets a parse's words (the others fail)."""
        index = self.by_word
        found = [index[w] for w in vocab if w in index]
        if not found:
            return []
        positions = found[0] if len(found) == 1 else sorted(set().union(*found))
        return [self.patterns[i] for i in positions]


# layer -> (the ``patterns`` table it was built from, its index): rebuilt when that is reloaded
_INDEXES: dict[str, tuple[dict[str, tuple[VerbPattern, ...]], dict[str, BlockPatterns]]] = {}


def pattern_index(layer: str = "") -> dict[str, BlockPatterns]:
    """Return each block's patterns in a layer (as ``patterns``), indexed by anchor word."""
    source = patterns(layer)
    built = _INDEXES.get(layer)
    if built is None or built[0] is not source:
        built = _INDEXES[layer] = (source, _index(source))
    return built[1]


def _index(table: dict[str, tuple[VerbPattern, ...]]) -> dict[str, BlockPatterns]:
    out: dict[str, BlockPatterns] = {}
    for block, pats in table.items():
        by_word: dict[str, list[int]] = {}
        for i, pat in enumerate(pats):
            for word in pat.anchor:
                by_word.setdefault(word, []).append(i)
        out[block] = BlockPatterns(pats, {w: tuple(v) for w, v in by_word.items()})
    return out


@cache
def verb_index() -> dict[str, tuple[VerbRow, ...]]:
    """Return the verbs of every layer by lemma, layer by layer, multi-word verbs first."""
    out: dict[str, list[VerbRow]] = {}
    for layer in LAYERS:
        name = f"verbs{layer}.csv"
        rows: dict[str, list[VerbRow]] = {}
        for n, row in enumerate(read_csv("events", name), start=2):
            if not row.get("lemma") or not row.get("block"):
                raise _fail(name, n, "a row needs a lemma and a block")
            entry = VerbRow(
                row["lemma"],
                tuple((row.get("before") or "").split()),
                tuple((row.get("after") or "").split()),
                row["block"],
                _code(row.get("code") or "", (name, n)),
                layer,
            )
            rows.setdefault(entry.lemma, []).append(entry)
        for k, v in rows.items():
            out.setdefault(k, []).extend(sorted(v, key=lambda r: -(len(r.before) + len(r.after))))
    return {k: tuple(v) for k, v in out.items()}


def _first_layer(rows: tuple[VerbRow, ...]) -> tuple[VerbRow, ...]:
    """Return the rows of the first layer that lists a verb."""
    return tuple(r for r in rows if r.layer == rows[0].layer) if rows else ()


@cache
def bare_code(lemma: str) -> str | None:
    """Return the code a verb codes on its own, or None (see the module docstring)."""
    if lemma in light_verbs():
        return None
    rows = _first_layer(verb_index().get(lemma, ()))
    if len({r.block for r in rows}) != 1 or rows[0].before or rows[0].after:
        return None  # listed in several blocks ("take", "pull"): the bare verb is ambiguous
    code = rows[0].code
    if code == NULL or cameo(code).plover_type is None or _cue_category(code):
        return None
    return code


def _cue_category(code: str) -> bool:
    """Return whether a code is only a root's cue category ("040", "190"): a verb's loose sense."""
    return len(code) == 3 and code.endswith("0")


def _forms_of(tok: Token) -> set[str]:
    return {tok.lemma_.lower(), tok.lower_}


@dataclass(frozen=True, slots=True)
class _Noun:
    """A noun the verb governs, as patterns see it."""

    forms: frozenset[str]  # its lemma and word
    loose: frozenset[str]  # and its compounds ("aid convoy"), its "of" object ("shipment of arms")
    mods: frozenset[str]  # its modifiers' lemmas and words


def _noun(tok: Token) -> _Noun:
    forms, loose, mods = _forms_of(tok), _forms_of(tok), set()
    for c in children(tok):
        if c.dep_ in MODIFIER_DEPS:
            mods |= _forms_of(c)
        if c.dep_ == "compound":
            loose |= _forms_of(c)
        elif c.dep_ == "prep" and c.lower_ == "of":
            loose |= {f for p in children(c) if p.dep_ == "pobj" for f in _forms_of(p)}
    return _Noun(frozenset(forms), frozenset(loose), frozenset(mods))


def _noun_ok(noun: _Noun, phrase: Phrase) -> bool:
    """Return whether a noun heads the phrase (its head word, with the modifiers it names)."""
    if not phrase.heads.isdisjoint(noun.loose):
        return True
    return any(
        not heads.isdisjoint(noun.forms) and all(not m.isdisjoint(noun.mods) for m in needed)
        for heads, needed in phrase.complex
    )


@dataclass(frozen=True, slots=True)
class _Frame:
    """What a verb token governs, read once per token."""

    subjects: tuple[_Noun, ...]
    objects: tuple[_Noun, ...]
    preps: tuple[tuple[str, _Noun | None], ...]  # (preposition, its object)
    particles: frozenset[str]
    words: frozenset[str]  # all of the above, to skip patterns quickly


def _with_conj(toks: list[Token]) -> list[Token]:
    return toks + [c for t in toks for c in children(t) if c.dep_ == "conj"]


def _frame(tok: Token) -> _Frame:
    objs = [c for c in children(tok) if c.dep_ in OBJECT_DEPS]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        objs.append(tok.head)  # "the aid *delivered* by ..."
    objects = _with_conj(objs)
    preps: list[tuple[str, _Noun | None]] = []
    for holder in (tok, *objects):
        for c in children(holder):
            if c.dep_ not in ("prep", "agent", "dative"):
                continue
            preps.append((c.lower_, None))
            for p in _with_conj([p for p in children(c) if p.dep_ in ("pobj", "pcomp")]):
                preps.append((c.lower_, _noun(p)))
                preps.extend(  # "(on state) (of alert)": a preposition of the object
                    (g.lower_, _noun(q))
                    for g in children(p)
                    if g.dep_ == "prep"
                    for q in children(g)
                    if q.dep_ == "pobj"
                )
    subj = subject_of(tok)[0]
    subjects = _with_conj([subj]) if subj is not None and subj.i != tok.i else []
    nouns = [*map(_noun, subjects), *map(_noun, objects)]
    particles = _particles(tok)
    vocab = particles.union(
        (p for p, _ in preps), *(n.loose for n in nouns), *(n.loose for _, n in preps if n)
    )
    n_subj = len(subjects)
    return _Frame(tuple(nouns[:n_subj]), tuple(nouns[n_subj:]), tuple(preps), particles, vocab)


def _slot_ok(frame: _Frame, slot: Slot) -> bool:
    phrase = slot.phrase
    if slot.kind == "prt":
        return slot.word in frame.particles
    if slot.kind == "prep":
        return any(
            p == slot.word and (phrase is None or (obj is not None and _noun_ok(obj, phrase)))
            for p, obj in frame.preps
        )
    nouns = frame.subjects if slot.kind == "subj" else frame.objects
    return phrase is not None and any(_noun_ok(n, phrase) for n in nouns)


def _particles(tok: Token) -> frozenset[str]:
    """Return a verb's particles: prt or adverb children, and prepositions without an object."""
    return frozenset(
        c.lower_
        for c in children(tok)
        if c.dep_ in PARTICLE_DEPS
        or (c.dep_ == "prep" and not any(g.dep_ in ("pobj", "pcomp") for g in children(c)))
    )


def _near_words(tok: Token) -> tuple[frozenset[str], frozenset[str]]:
    """Return the word forms depending on a verb (two levels, no clauses) and its particles."""
    near = frozenset(
        f
        for c in children(tok)
        if c.dep_ not in CLAUSE_DEPS
        for t in (c, *(g for g in children(c) if g.dep_ not in CLAUSE_DEPS))
        for f in _forms_of(t)
    )
    return near, _particles(tok)


def _verb_words_ok(row: VerbRow, near: tuple[frozenset[str], frozenset[str]] | None) -> bool:
    """Return whether a multi-word verb's other words depend on the verb ("blew *up*")."""
    if not row.before and not row.after:
        return True
    if near is None:
        return False
    words_, particles = near
    return all(w in particles if w in PARTICLES else w in words_ for w in (*row.before, *row.after))


def _constraint(slot: Slot) -> Constraint:
    """Express a matched slot in the lexicon's constraint type (for display and tests)."""
    text = frozenset({slot.phrase.text}) if slot.phrase is not None else frozenset()
    if slot.kind in ("prep", "prt"):
        return Constraint(slot.kind, frozenset({slot.word}), text)
    return Constraint(slot.kind, text, frozenset())


@cache
def _entry(lemma: str, words_: tuple[str, ...], slots: tuple[Slot, ...], code: str) -> LexEntry:
    """Return the entry of a match: a multi-word verb's words ("call off") are a ``verb``
    constraint, the pattern's slots follow in the lexicon's constraint kinds."""
    verb = (Constraint("verb", frozenset({" ".join(words_)}), frozenset()),) if words_ else ()
    require = verb + tuple(map(_constraint, slots))
    return LexEntry(lemma, "VERB", require, code, None, origin="petrarch")


def match_verb(tok: Token, lemmas: tuple[str, ...], *, bare: bool = True) -> LexEntry | None:
    """Return a verb token's PETRARCH entry: its most specific satisfied pattern, else its code.

    ``lemmas`` are the token's candidate lemmas, best first. A multi-word verb ("called *off*")
    counts as a pattern of its extra words; with ``bare`` false, the verb alone codes nothing.
    None when the verb is unknown or codes nothing here.
    """
    index = verb_index()
    lemma = next((lem for lem in lemmas if lem in index), None)
    if lemma is None or tok.dep_ in NOT_PREDICATE_DEPS or lemma in words().reporting_verbs:
        return None
    has_words = any(r.before or r.after for r in index[lemma])
    near = _near_words(tok) if has_words else None
    rows = [r for r in index[lemma] if _verb_words_ok(r, near)]
    if not rows:
        return None
    frame: list[_Frame] = []  # built on the first pattern that needs it
    listed = {r.layer for r in index[lemma]}
    for layer in LAYERS:
        found = _match_layer(tok, lemma, [r for r in rows if r.layer == layer], layer, frame)
        if found is None and bare and layer in listed:
            bare_ = bare_code(lemma)
            found = None if bare_ is None else (bare_, (), ())
        if found is None:
            continue
        code, slots, words_ = found
        if code == NULL or cameo(code).plover_type is None:
            return None
        return _entry(lemma, words_, slots, code)
    return None


def _match_layer(
    tok: Token, lemma: str, rows: list[VerbRow], layer: str, frame: list[_Frame]
) -> tuple[str, tuple[Slot, ...], tuple[str, ...]] | None:
    """Return (code, slots, verb words) of a layer's most specific satisfied pattern or
    multi-word verb, or None; ``frame`` caches the token's frame across layers."""
    best: tuple[int, int, bool, int] = (0, 0, False, 0)
    slots: tuple[Slot, ...] = ()
    words_: tuple[str, ...] = ()
    code: str | None = None
    indexed = pattern_index(layer)
    for row in rows:
        extra = len(row.before) + len(row.after)
        multi = (*row.before, lemma, *row.after) if extra else ()
        if extra and (extra, 0, False, 0) > best:  # a multi-word verb's own code
            best, slots, words_, code = (extra, 0, False, 0), (), multi, row.code
        block = indexed.get(row.block)
        if block is None or extra + block.patterns[0].weight < best[0]:
            continue  # no pattern, or none specific enough to win
        if not frame:
            frame.append(_frame(tok))
        for pat in block.candidates(frame[0].words):
            weight = extra + pat.weight
            if weight < best[0]:
                break
            named = lemma in pat.verbs
            if pat.verbal and pat.verbs and not named:
                continue
            key = (weight, 1, named, pat.order)
            if key > best and all(_slot_ok(frame[0], s) for s in pat.slots):
                best, slots, words_, code = key, pat.slots, multi, pat.code
    return None if code is None else (code, slots, words_)
