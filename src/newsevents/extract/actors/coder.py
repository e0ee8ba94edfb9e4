"""Actor coding: noun phrases to CAMEO-style codes (country ISO3 + sector), with document memory.

Phrases are coded against the bundled tables (:mod:`.tables`), then the user's actor dictionary
and the bundled lists of people and office holders (:mod:`.dictionary`). An :class:`ActorCoder`
codes a document's named entities once each: the most specific coding any mention gets (with an
apposition, "X is a senator" or "X, who is a pastor") applies to all its mentions, earlier ones
too; a pronoun takes the coding of the entity the document's pronoun chain links it to
(:mod:`.coref`), else of the last person or group coded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from ...model import Actor, Entity
from ..doctext import doc_text
from ..places import entity_name, lookup_place
from .coref import Referents, predicate_heads
from .dictionary import ActorDictionary, default_dictionary, people_dictionary
from .tables import actor_rules, actor_tables

MAX_NGRAM = 4
PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
NAME_LABELS = frozenset({"PERSON", "ORG"})
PRONOUNS_GROUP = frozenset({"they", "them"})
PLACE_LABELS = frozenset({"GPE", "NORP"})
# The document's home country: named in at least this many place mentions, and this share of them.
HOME_MIN_MENTIONS = 2
HOME_MIN_SHARE = 0.5
# The sector of a candidacy in the dated lists (CAMEO codes presidential candidates as parties):
# a title the text gives ("Sen. X", "President X") names the office held meanwhile.
CANDIDACY = "PTY"
NP_DEPS = frozenset({"compound", "amod", "det", "poss", "nmod", "flat", "case", "nummod", "punct"})


@dataclass(frozen=True, slots=True)
class Coding:
    """The result of coding a phrase: country, sector, IGO code and whether a person was named."""

    country: str | None = None  # ISO 3166 alpha-3
    sector: str | None = None  # CAMEO sector ("GOV", "MIL", ...)
    igo: str | None = None  # IGO code ("IGOUNO"): the whole code when set
    person: str | None = None  # the person named in the phrase

    @property
    def code(self) -> str | None:
        """Return the CAMEO-style code (ISO3 + sector, or an IGO code), or None."""
        if self.igo:
            return self.igo
        if self.country:
            return self.country + (self.sector or "")
        return None


def _place_country(tokens: Sequence[Token]) -> str | None:
    """Return the country of the first place a phrase names ("of Iowa", "San Francisco ...")."""
    for tok in tokens:
        if tok.ent_type_ == "GPE" and tok.ent_iob_ == "B":
            place = lookup_place(entity_name(tok))
            if place is not None:
                return place.country
    return None


def _attitude(tok: Token) -> bool:
    """Whether a country word follows "pro-" or "anti-": a stance, not a nationality."""
    doc = tok.doc
    return (
        tok.i >= 2
        and doc[tok.i - 1].text == "-"
        and doc[tok.i - 2].lower_ in actor_rules().attitude_prefixes
    )


def phrase_tokens(head: Token) -> list[Token]:
    """Return the noun phrase of a head token: its modifiers, possessors and "of" complements."""
    out: list[Token] = [head]
    for child in head.children:
        if child.dep_ in NP_DEPS:
            out.extend(child.subtree)
        elif child.dep_ == "appos":
            out.extend(t for t in child.subtree if t.dep_ != "relcl")
        elif child.dep_ == "prep" and child.lower_ == "of":
            out.extend(child.subtree)
    return sorted(set(out), key=lambda t: t.i)


def _ngrams(size: int, starts: Sequence[int]) -> list[tuple[int, int]]:
    """Return the spans of up to ``MAX_NGRAM`` of ``size`` tokens that begin at ``starts``.

    Longest first, then from left to right: the order the coder tries phrases in.
    """
    return [(i, i + n) for n in range(min(MAX_NGRAM, size), 0, -1) for i in starts if i + n <= size]


def code_tokens(tokens: Sequence[Token], head: Token | None = None) -> Coding:
    """Code a list of contiguous-or-not tokens: country, sector (nearest the head), IGO."""
    t = actor_tables()
    country = igo = None
    sector: str | None = None
    sector_dist = 10**6
    gov_metonym = False
    pending = False
    texts = [tok.text for tok in tokens]
    lemmas = [tok.lemma_.lower() for tok in tokens]
    lowers = [tok.lower_ for tok in tokens]
    used: set[int] = set()
    weak = actor_rules().weak_sectors
    person_name = head is not None and head.ent_type_ == "PERSON"
    # only the n-grams that start with a word that starts a key (most phrases hold none)
    size = len(tokens)
    named = [i for i in range(size) if texts[i] in t.named_first]
    roles = [i for i in range(size) if lowers[i] in t.role_first or lemmas[i] in t.role_first]
    for i, j in _ngrams(size, named) if named else ():
        if used and not used.isdisjoint(range(i, j)):
            continue
        if person_name and all(tokens[k].ent_type_ == "PERSON" for k in range(i, j)):
            continue  # "Valeska Paris" is a person, not the French government
        surface = " ".join(texts[i:j])
        if surface in t.igo and igo is None:
            igo = t.igo[surface]
            used.update(range(i, j))
        elif surface in t.country and country is None:
            used.update(range(i, j))
            if not _attitude(tokens[i]):  # "pro-Turkish militias" are not Turkish
                country = t.country[surface]
        elif surface in t.government and country is None:
            # "Washington said": the government; "The Washington Post": only the country
            country = t.government[surface]
            gov_metonym = head is None or any(tok.i == head.i for tok in tokens[i:j])
            used.update(range(i, j))
    for i, j in _ngrams(size, roles) if roles else ():
        if used and not used.isdisjoint(range(i, j)):
            continue
        for key in (" ".join(lowers[i:j]), " ".join(lemmas[i:j])):
            hit = t.title.get(key)
            sec = hit[0] if hit else t.sector.get(key)
            if sec is None:
                continue
            dist = 0 if head is None else min(abs(tok.i - head.i) for tok in tokens[i:j])
            if sec in weak:
                dist += 1000  # "opposition groups": the specific modifier wins over "group"
            if dist < sector_dist or (dist == sector_dist and hit):
                sector, sector_dist, pending = sec, dist, bool(hit and hit[1])
            used.update(range(i, j))
            break
    if igo and country and head is not None and t.country.get(head.text) == country:
        igo = None  # "NATO-member Norway": the head names the actor, the IGO only modifies it
    if sector is None and head is not None and head.ent_type_ == "ORG":
        sector = t.org_heads.get(head.text)  # "The Washington Post": media
    if sector is None and gov_metonym:
        sector = "GOV"
    if pending and sector == "GOV":
        sector = "ELI"
    person = None
    if head is not None and head.ent_type_ == "PERSON":
        person = head.text
    return Coding(country=country, sector=sector, igo=igo, person=person)


@dataclass
class ActorMemory:
    """Per-document memory: how each named person or organisation was coded, for later mentions."""

    by_entity: dict[str, Coding] = field(default_factory=dict)
    by_name: dict[str, Coding] = field(default_factory=dict)
    last_person: Coding | None = None
    last_group: Coding | None = None


def _remember(table: dict[str, Coding], key: str, coding: Coding) -> None:
    """Keep the first coding of a name, unless a later mention says more ("Sen. Ted Cruz").

    A name first met bare ("Ted Cruz": the country only) takes the sector of a later titled
    mention of the same country, so that every mention after that is coded alike.
    """
    old = table.get(key)
    if old is None or (old.sector is None and coding.sector and old.country == coding.country):
        table[key] = coding


class ActorCoder:
    """Codes actors across one document, propagating codings to later mentions and pronouns."""

    def __init__(
        self,
        doc: Doc,
        entities: Sequence[Entity] = (),
        when: date | None = None,
        dictionary: ActorDictionary | None = None,
    ) -> None:
        """Index the document's entity mentions and keep the date and the user dictionary."""
        self.doc = doc
        self.text = doc_text(doc)
        self.when = when
        self.dictionary = dictionary
        self.memory = ActorMemory()
        self._cache: dict[int, Actor | None] = {}
        self._looked_up: dict[tuple[tuple[str, ...], bool, Coding, bool], Coding] = {}
        self._entity_at: dict[int, str] = {}
        self._names: dict[str, str] = {}
        self._referents = Referents(doc, entities)
        self._entity_codings: dict[str, Coding | None] = {}
        self._by_id = {e.id: e for e in entities}
        for ent in entities:
            for m in ent.mentions:
                self._entity_at[m.start] = ent.id
                self._names[m.text] = ent.id
            if ent.label == "PERSON":
                for part in ent.name.split():
                    self._names.setdefault(part, ent.id)

    @cached_property
    def places(self) -> tuple[Span, ...]:
        """The document's place and nationality entities (GPE, NORP), read once."""
        return tuple(e for e in self.doc.ents if e.label_ in PLACE_LABELS)

    @cached_property
    def home(self) -> str | None:
        """The country the document is about: most of its place mentions name it, else None."""
        counts: Counter[str] = Counter()
        for ent in self.places:
            country = code_tokens(list(ent)).country
            if country is None and ent.label_ == "GPE":
                place = lookup_place(ent.text)
                country = place.country if place is not None else None
            if country is not None:
                counts[country] += 1
        if not counts:
            return None
        country, n = counts.most_common(1)[0]
        share = n / sum(counts.values())
        return country if n >= HOME_MIN_MENTIONS and share >= HOME_MIN_SHARE else None

    def _name_tokens(self, head: Token) -> list[Token]:
        if head.pos_ != "PROPN":
            return []
        parts = [c for c in head.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"]
        return [*parts, head]

    def _entity_id(self, tokens: Sequence[Token], head: Token) -> str | None:
        for tok in self._name_tokens(head):
            if tok.idx in self._entity_at:
                return self._entity_at[tok.idx]
        return self._names.get(head.text) if head.pos_ == "PROPN" else None

    def _name_key(self, tokens: Sequence[Token]) -> str | None:
        names = [t.text for t in tokens if t.pos_ == "PROPN" and t.ent_type_ in NAME_LABELS]
        return names[-1] if names else None

    def code(self, head: Token) -> Actor | None:
        """Return the Actor for the noun phrase headed by a token (first answer is kept)."""
        if head.i not in self._cache:
            self._cache[head.i] = self._code(head)
        return self._cache[head.i]

    def _code(self, head: Token) -> Actor | None:
        tokens = phrase_tokens(head)
        if head.pos_ == "PRON":
            coding = self._pronoun(head)
            if coding is None or coding.code is None:
                return None
            return self._actor(head.idx, head.idx + len(head.text), coding)
        coding = self._phrase_coding(tokens, head)
        ent_id = self._entity_id(tokens, head)
        name = self._name_key(tokens)
        if ent_id and coding.igo is None and coding.sector is None:
            # one coding per entity: the most specific any of its mentions gets
            coding = _filled(coding, self._entity_coding(ent_id))
        if coding.code is None or (coding.sector is None and coding.person is not None):
            remembered = (self.memory.by_entity.get(ent_id) if ent_id else None) or (
                self.memory.by_name.get(name) if name else None
            )
            if remembered is not None:
                coding = Coding(
                    country=coding.country or remembered.country,
                    sector=coding.sector or remembered.sector,
                    igo=coding.igo or remembered.igo,
                    person=coding.person,
                )
        if coding.code is None and self._domestic(coding, head):
            # "Sen. Ted Cruz" in a U.S. story
            coding = Coding(self.home, coding.sector, coding.igo, coding.person)
        if coding.code is None:
            return None
        if ent_id:
            _remember(self.memory.by_entity, ent_id, coding)
        if name:
            _remember(self.memory.by_name, name, coding)
        if coding.person or head.ent_type_ == "PERSON":
            if (head.dep_.startswith("nsubj") and head.head.dep_ == "ROOT") or (
                self.memory.last_person is None
            ):
                self.memory.last_person = coding
        elif head.tag_ in ("NNS", "NNPS") or coding.igo or coding.sector:
            self.memory.last_group = coding
        start = min(t.idx for t in tokens)
        end = max(t.idx + len(t.text) for t in tokens)
        return self._actor(start, end, coding)

    def _phrase_coding(self, tokens: Sequence[Token], head: Token) -> Coding:
        """Code a noun phrase by itself: tables, dictionaries, a place it names or is "in"."""
        coding = code_tokens(tokens, head)
        coding = self._with_dictionary(tokens, coding, head)
        if coding.country is None and coding.igo is None:
            country = _place_country(tokens)  # "Gov. X of Iowa"
            if country is not None:
                coding = Coding(country, coding.sector, coding.igo, coding.person)
        agent = coding.sector and coding.country is None and coding.igo is None
        if agent and (
            head.tag_ in ("NNS", "NNPS") or coding.sector in actor_rules().located_sectors
        ):
            coding = _located(head, coding)
        return coding

    def _pronoun(self, head: Token) -> Coding | None:
        """Code a pronoun as the entity the document's pronoun chain links it to."""
        lower = head.lower_
        if lower not in PRONOUNS_PERSON and lower not in PRONOUNS_GROUP:
            return None
        entity = self._referents.pronoun(head)
        mem = self.memory
        fallback = mem.last_person if lower in PRONOUNS_PERSON else mem.last_group
        if entity is not None and entity.label in PLACE_LABELS and fallback is not None:
            return fallback  # "the Fijian rebels ... they": the group, not its nationality word
        if entity is not None:
            coding = self._entity_coding(entity.id, entity)
            if coding is None and entity.label == "PERSON" and self.home is not None:
                coding = Coding(country=self.home, person=entity.name)  # a private person
            elif coding is not None and coding.code is None and self.home is not None:
                coding = Coding(self.home, coding.sector, None, coding.person)  # "X, a senator"
            if coding is not None:
                return coding
        return fallback

    def _entity_coding(self, ent_id: str, entity: Entity | None = None) -> Coding | None:
        """The most specific coding of an entity's mentions (with their descriptions), cached."""
        if ent_id in self._entity_codings:
            return self._entity_codings[ent_id]
        self._entity_codings[ent_id] = None  # no recursion through the entity's own mentions
        entity = entity or self._by_id.get(ent_id)
        codings: list[Coding] = []
        for m in entity.mentions if entity is not None else ():
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span) or span.root.pos_ == "PRON":
                continue
            head = span.root
            tokens = phrase_tokens(head)
            for pred in predicate_heads(head):
                tokens = [*tokens, *phrase_tokens(pred)]
            coding = self._phrase_coding(sorted(set(tokens), key=lambda t: t.i), head)
            if coding.code is not None or coding.sector is not None:
                codings.append(coding)
        best = _most_specific(codings)
        self._entity_codings[ent_id] = best
        return best

    def _domestic(self, coding: Coding, head: Token) -> bool:
        """Whether a phrase with no country takes the document's: a titled or named actor."""
        named = head.ent_type_ in NAME_LABELS and head.pos_ == "PROPN"
        return coding.igo is None and (bool(coding.sector) or named) and self.home is not None

    def uncoded(self, head: Token) -> Actor:
        """Return an Actor for a noun phrase that names no country: sector only, no code."""
        tokens = phrase_tokens(head)
        coding = code_tokens(tokens, head)
        start = min(t.idx for t in tokens)
        end = max(t.idx + len(t.text) for t in tokens)
        text = self.text[start:end]
        return Actor(text=text, start=start, end=end, name=text, sector=coding.sector)

    def _with_dictionary(self, tokens: Sequence[Token], coding: Coding, head: Token) -> Coding:
        names = [t for t in tokens if t.pos_ == "PROPN"]
        if not names:
            return coding
        person = head.ent_type_ == "PERSON" or all(t.ent_type_ == "PERSON" for t in names)
        # the answer depends only on these (the dictionaries and the date are the document's)
        key = (tuple(t.text for t in names), person, coding, head.pos_ == "PROPN")
        found = self._looked_up.get(key)
        if found is None:
            found = self._looked_up[key] = self._lookup_names(*key)
        return found

    def _lookup_names(
        self, names: tuple[str, ...], person: bool, coding: Coding, propn_head: bool
    ) -> Coding:
        """Return a phrase's coding given by the dictionaries for its proper nouns' words."""
        undated: tuple[str, str] | None = None
        floor = 0  # a person known by a fuller name is not its surname's namesake
        for dictionary in (self.dictionary, default_dictionary(), people_dictionary()):
            if dictionary is None or (dictionary is people_dictionary() and not person):
                continue
            for n in range(len(names), 0, -1):
                if n <= floor:
                    break
                for i in range(len(names) - n + 1):
                    if person and i + n != len(names):
                        continue  # a person is known by a surname, not a given name ("Jordan")
                    words = " ".join(names[i : i + n])
                    code = dictionary.lookup(words, self.when)
                    if not code and person and n > 1 and dictionary.knows(words):
                        floor = max(floor, n - 1)  # "Bill Clinton" is not "Clinton" the candidate
                    if not code and undated is None and coding.country is None:
                        country = dictionary.country_of(words)
                        undated = (country, words) if country else None
                    if code:
                        found = split_code(code)
                        if coding.country and found.country and found.country != coding.country:
                            continue  # a king "of Morocco" is not a namesake of Jordan
                        titled = coding.sector not in (None, *actor_rules().weak_sectors)
                        own = titled and (
                            (not propn_head and found.sector != "ELI")
                            or dictionary is people_dictionary()  # the text's title is newer
                            or found.sector == CANDIDACY  # "Sen. X" while running: the office
                        )
                        return Coding(
                            country=found.country,
                            sector=coding.sector if own else found.sector,
                            igo=found.igo,
                            person=words,
                        )
        if undated is not None:  # a known person out of office: nationality, role from the text
            country, words = undated
            if country.startswith("IGO"):
                return Coding(igo=country, sector=coding.sector, person=words)
            return Coding(country=country, sector=coding.sector, person=words)
        return coding

    def _actor(self, start: int, end: int, coding: Coding) -> Actor:
        text = self.text[start:end]
        t = actor_tables()
        name = t.country_names.get(coding.country or "", coding.igo or text)
        return Actor(
            text=text,
            start=start,
            end=end,
            name=name,
            code=coding.code,
            # an IGO's CAMEO code puts "IGO" where a state's country goes (IGOUNO, IGOEU)
            country="IGO" if coding.igo else coding.country,
            sector="IGO" if coding.igo else coding.sector,
        )


def _located(head: Token, coding: Coding) -> Coding:
    """Give an agent without a country the country it is "in" ("rebels in the Ivory Coast")."""
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ != "in":
            continue
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            where = code_tokens(phrase_tokens(pobj), pobj)
            if where.country and where.igo is None:
                return Coding(country=where.country, sector=coding.sector, person=coding.person)
    return coding


def split_code(code: str) -> Coding:
    """Split a CAMEO actor code ("RUSGOV", "IGOUNO", "USA") into a Coding."""
    if code.startswith("IGO"):
        return Coding(igo=code)
    if len(code) >= 3 and code[:3] in actor_tables().country_names:
        return Coding(country=code[:3], sector=code[3:6] or None)
    return Coding(sector=code[:3] or None)


def _filled(coding: Coding, best: Coding | None) -> Coding:
    """Fill a mention's missing country or sector from its entity's coding (same country)."""
    if best is None or (coding.country and best.country and coding.country != best.country):
        return coding
    if coding.country and best.igo:
        return coding
    return Coding(
        country=coding.country or best.country,
        sector=coding.sector or best.sector,
        igo=coding.igo or best.igo,
        person=coding.person or best.person,
    )


def _most_specific(codings: Sequence[Coding]) -> Coding | None:
    """Return the coding with a sector (or IGO) most mentions share, earliest first; else the
    commonest country with the commonest sector the mentions give ("X is a senator")."""
    full = [c for c in codings if c.igo or (c.country and c.sector)]
    if full:
        counts = Counter(c.code for c in full)
        return max(full, key=lambda c: counts[c.code])
    countries = Counter(c.country for c in codings if c.country)
    sectors = Counter(c.sector for c in codings if c.sector)
    if not countries and not sectors:
        return None
    country = countries.most_common(1)[0][0] if countries else None
    sector = sectors.most_common(1)[0][0] if sectors else None
    person = next((c.person for c in codings if c.person), None)
    return Coding(country=country, sector=sector, person=person)
