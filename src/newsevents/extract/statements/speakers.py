"""Speaker resolution: a speaker mention ("He", "the minister", "Lavrov") to a document entity.

Document-level rules, no model: a mention inside an entity's mention is that entity (or a name
in apposition to it); a third-person pronoun is the last speaker of this or the previous
sentence, else its link in the document's pronoun chain: every third-person pronoun is linked
left to right to the best-scored person (or body, for "it"/"they") of the last few sentences —
subjects weigh more, more again for a subject pronoun (parallelism), recency by sentence, how
often named; a pronoun linked before counts as a mention of its entity and marks its gender;
never one the text marks with the other gender, nor a "person" the text treats as a place; a
reflexive is its clause's subject or the noun it stresses. A description followed by the name
it introduces ("the Russian painter Ilya Volkov") is that name; "the <title>" or a description
("the lawmaker", "the Church", "the painter") the person or body last introduced with a fitting
title, the same noun (as title, apposition or "X was a painter") or name; else a person's noun
("the boy", "the cellist", or one WordNet's first sense makes a person: "the blacksmith") the
most salient person, scored like a pronoun, and an organisation's noun ("the college", or
WordNet's "the brokerage") a body named earlier with the noun that the tagger missed ("the Vale
family"), else the most salient body of a compatible kind (a school, not a bank; "the
government" or "the court" only a body named as one), one whose name has the noun first;
"the latter"/"the former" the last/second-last named; a relative pronoun the noun its clause
modifies. "You", a plural or generic description ("the people", "the public"), one after an
unnamed "a farmer" (unless a name with the noun followed it), and any pronoun or description
left over, is unresolved: no name, its text kept.
Names are the name alone (:mod:`.names`); roles and affiliations come from the words the text
puts before a name ("Russian Foreign Minister Sergei Lavrov") or in apposition to it.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ...identities import identity_of
from ...model import Entity, Mention, Speaker, make_id
from .lexicon import Lexicon
from .names import NameParts, clean_body, country_of, speaker_name, split_person
from .speaker_words import (
    body_like,
    body_of,
    compatible_body,
    describes,
    genders,
    human,
    named_before,
    noun_kind,
    person_noun,
    predicated,
    proper_text,
    untagged_people,
    word_lists,
)

_ROLE_DEPS = ("compound", "amod", "nmod", "poss", "case")
_AFFILIATION_LABELS = ("NORP", "GPE", "ORG")
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$", "WDT"})
_SUBJECTS = ("nsubj", "nsubjpass")
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
Accept = Callable[[Entity], bool]  # which entities a description's noun may refer to


class SpeakerResolver:
    """Resolves speaker token ranges of one document; build once per document."""

    def __init__(self, doc: Doc, entities: Sequence[Entity], lex: Lexicon) -> None:
        """Index the document's entity mentions and salient subjects."""
        self.doc = doc
        self.lex = lex
        extra = untagged_people(doc, entities)
        self.unlisted = {e.id for e in extra}  # people the article's entities do not hold
        entities = [*entities, *extra]
        self.by_id = {e.id: e for e in entities}
        mentions = sorted(
            (m.start, m.end, e.id)
            for e in entities
            if e.label in lex.speaker_labels
            for m in e.mentions
        )
        self.starts = [m[0] for m in mentions]
        self.mentions = mentions
        self.sent_starts = [s.start_char for s in doc.sents]
        # Salient subjects: (char offset, entity id) of entity mentions that are subjects.
        self.salient: list[tuple[int, str]] = []
        for start, end, eid in mentions:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            if any(t.dep_ in ("nsubj", "nsubjpass") for t in span) or (
                span.root.dep_ == "pobj" and (span.root.head.dep_ == "agent")
            ):
                self.salient.append((start, eid))
        self.salient_starts = [s for s, _ in self.salient]
        self._salient_set = frozenset(self.salient_starts)
        self._pronoun_links: dict[int, str | None] | None = None
        self._placelike: frozenset[str] | None = None
        # pronouns linked so far, in text order: (offset, entity id, subject), their offsets,
        # and each entity's; each entity's own mention offsets
        self._chain: list[tuple[int, str, bool]] = []
        self._chain_starts: list[int] = []
        self._chain_of: dict[str, list[int]] = {}
        self._starts_of: dict[str, list[int]] = {}
        for start, _, eid in mentions:
            self._starts_of.setdefault(eid, []).append(start)
        self.gender = genders(doc, mentions, self.by_id, lex.person_label)
        self.persons: set[str] = set()  # entities tagged otherwise that the text shows are people
        self._indefinite: dict[str, int] | None = None  # noun -> first "a/an <noun>" offset
        self._roles: dict[str, tuple[str | None, str | None]] = {}
        self._longer: dict[str, str] = {}  # entity id -> a fuller name a speaker span gave it
        self.spoken: list[tuple[int, str]] = []

    def _entity_in(self, start: int, end: int, head: int) -> Entity | None:
        """Return the speaking entity mentioned inside [start, end), preferring the head's."""
        i = bisect_left(self.starts, start)
        found: list[tuple[int, int, str]] = []
        while i < len(self.mentions) and self.mentions[i][0] < end:
            if self.mentions[i][1] <= end:
                found.append(self.mentions[i])
            i += 1
        if not found:
            return None
        for m in found:
            if m[0] <= head < m[1]:
                return self.by_id[m[2]]
        return None

    def _apposed(self, head: Token, end: int) -> Entity | None:
        """Return the person named in apposition to a role noun ("the deputy director, X")."""
        for child in head.children:
            if child.dep_ != "appos" or child.idx + len(child.text) > end:
                continue
            if child.i > 0 and self.doc[child.i - 1].text == "(":
                continue  # "the Agency for Rivers and Lakes (ARL)": an acronym, not another
            entity = self._entity_in(child.left_edge.idx, end, child.idx)
            if entity is not None and entity.label in (self.lex.person_label, "ORG"):
                if entity.label == "ORG" and human(head, entity.name):
                    self.persons.add(entity.id)  # "Kosovo's chief negotiator, Arben Krasniqi"
                return entity  # "the deputy director, X"; "the peacekeeping force, KFOR"
        return None

    def _introduced(self, head: Token, end: int) -> Entity | None:
        """Return the person or body a description introduces by name right after it ("the
        Russian painter Ilya Volkov", "for the appellant, Harbour Shipping Ltd.")."""
        doc = self.doc
        i = end + 1 if end < len(doc) and doc[end].text == "," else end
        if i >= len(doc):
            return None
        named = doc[i]
        j = bisect_left(self.starts, named.idx)
        if j == len(self.mentions) or self.mentions[j][0] != named.idx:
            return None
        entity = self.by_id[self.mentions[j][2]]
        name = doc.char_span(named.idx, self.mentions[j][1], alignment_mode="expand")
        if entity.label not in (self.lex.person_label, "ORG") or name is None:
            return None
        root = name.root
        if root in head.ancestors or head in root.ancestors:
            return entity  # the name is the description's apposition or it the name's title
        return None

    def _introduced_as(self, noun: str, offset: int) -> Entity | None:
        """Return the person or body last named before the offset with the noun as its title
        or apposition ("the painter Ilya Volkov", "Ilya Volkov, a painter" … "the painter")."""
        doc = self.doc
        i = bisect_left(self.starts, offset) - 1
        while i >= 0:
            start, end, eid = self.mentions[i]
            i -= 1
            entity = self.by_id[eid]
            if entity.label not in (self.lex.person_label, "ORG"):
                continue
            name = doc.char_span(start, end, alignment_mode="expand")
            if name is None:
                continue
            root = name.root
            near = [c for c in root.children if c.dep_ in ("appos", "compound")]
            k = name.start - 1
            if k > 0 and doc[k].text == ",":
                k -= 1
            if k >= 0 and (root in doc[k].ancestors or doc[k] in root.ancestors):
                near.append(doc[k])  # "the painter Ilya Volkov", "the appellant, Acme Ltd."
            near.extend(predicated(root))  # "Ilya Volkov was a painter"
            if any(t.pos_ == "NOUN" and t.lemma_.lower() == noun for t in near):
                return entity
        return None

    def note(self, offset: int, speaker: Speaker) -> None:
        """Record a resolved speaker at a cue offset: the preferred antecedent of pronouns."""
        if speaker.entity_id is not None:
            self.spoken.append((offset, speaker.entity_id))

    def _fits(
        self, entity: Entity, person: bool, gender: str | None, accept: Accept | None = None
    ) -> bool:
        """Whether the entity can be what a pronoun of this kind and gender refers to (and,
        with ``accept``, a description with its noun)."""
        if (entity.label == self.lex.person_label or entity.id in self.persons) != person:
            return False
        if accept is not None and not accept(entity):
            return False
        return gender is None or self.gender.get(entity.id, gender) == gender

    def _last_speaker(self, offset: int, person: bool, gender: str | None = None) -> Entity | None:
        """Return the last resolved speaker in this or the previous sentence, if any."""
        sent_i = bisect_right(self.sent_starts, offset) - 1
        floor = self.sent_starts[max(0, sent_i - 1)] if self.sent_starts else 0
        for at, eid in reversed(self.spoken):
            if at >= offset:
                continue
            if at < floor:
                break
            entity = self.by_id[eid]
            if self._fits(entity, person, gender):
                return entity
        return None

    def _antecedent(
        self, offset: int, person: bool, gender: str | None = None, far: bool = True
    ) -> Entity | None:
        """Return the best antecedent (person or not) within range, or with ``far`` the nearest
        fitting mention before it."""
        last = self._last_speaker(offset, person, gender)
        if last is not None:
            return last
        sent_i = bisect_right(self.sent_starts, offset) - 1
        floor_i = max(0, sent_i - self.lex.antecedent_sentences)
        floor = self.sent_starts[floor_i] if self.sent_starts else 0
        best = self._scored(offset, floor, sent_i, person, gender)
        if best is not None or not far:
            return best
        i = bisect_left(self.starts, offset) - 1
        while i >= 0:
            entity = self.by_id[self.mentions[i][2]]
            if self._fits(entity, person, gender):
                return entity
            i -= 1
        return None

    def _third_person(self) -> frozenset[str]:
        lex = self.lex
        return (lex.person_pronouns | lex.group_pronouns) - lex.first_person

    def _links(self) -> dict[int, str | None]:
        """Return the antecedent entity of every third-person pronoun of the document, by token.

        Pronouns are linked left to right; a linked pronoun counts as a mention of its entity
        for the pronouns after it (a chain: "Ana Ruiz … She … her … she"), and a gendered one
        marks the entity's gender when the text had not.
        """
        if self._pronoun_links is not None:
            return self._pronoun_links
        words = word_lists()
        third = self._third_person()
        links: dict[int, str | None] = {}
        covered = {i for start, end, _ in self.mentions for i in range(start, end)}
        for tok in self.doc:
            lower = tok.lower_
            if lower not in third or tok.tag_ not in _PRONOUN_TAGS or tok.idx in covered:
                continue
            person = lower in self.lex.person_pronouns
            gender = words.pronoun_gender.get(lower)
            eid: str | None = None
            if lower in words.reflexive:
                eid = self._binder(tok, links)
            if eid is None:
                entity = self._antecedent_at(tok, person, gender)
                eid = entity.id if entity is not None else None
            links[tok.i] = eid
            if eid is not None:
                self._chain.append((tok.idx, eid, tok.dep_ in _SUBJECTS))
                self._chain_starts.append(tok.idx)
                self._chain_of.setdefault(eid, []).append(tok.idx)
                if gender is not None and words.propagate_gender:
                    self.gender.setdefault(eid, gender)
        self._pronoun_links = links
        return links

    def _binder(self, tok: Token, links: dict[int, str | None]) -> str | None:
        """Return what a reflexive refers to: the noun it stresses ("Galois himself") or its
        clause's subject ("he taught himself")."""
        head = tok.head
        if tok.dep_ in ("appos", "npadvmod") and head.pos_ in ("PROPN", "NOUN", "PRON"):
            subject: Token | None = head
        else:
            subject = None
            verb = head
            for _ in range(4):
                subject = next(
                    (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c != tok),
                    None,
                )
                if subject is not None or verb.head == verb:
                    break
                verb = verb.head
        if subject is None:
            return None
        if subject.i in links:
            return links[subject.i]
        entity = self._entity_in(
            subject.left_edge.idx, subject.idx + len(subject.text), subject.idx
        )
        return entity.id if entity is not None else None

    def _places(self) -> frozenset[str]:
        """Return the people (by the tagger) the text treats as places: never a subject, and
        named after a preposition of place ("studied at Harrow", "born in Tiberias")."""
        if self._placelike is None:
            preps = word_lists().place_preps
            subjects = {eid for _, eid in self.salient}
            found = set()
            for start, end, eid in self.mentions:
                if eid in subjects or self.by_id[eid].label != self.lex.person_label:
                    continue
                span = self.doc.char_span(start, end, alignment_mode="expand")
                root = span.root if span is not None else None
                if root is not None and root.dep_ == "pobj" and root.head.lower_ in preps:
                    found.add(eid)
            self._placelike = frozenset(found)
        return self._placelike

    def _antecedent_at(
        self,
        tok: Token,
        person: bool,
        gender: str | None,
        far: bool = True,
        accept: Accept | None = None,
        prefer: frozenset[str] = frozenset(),
    ) -> Entity | None:
        """Return the best-scored fitting entity for the pronoun token among the entity
        mentions and linked pronouns of the last few sentences, else (with ``far``) the
        nearest fitting one before it."""
        offset = tok.idx
        sent_i = bisect_right(self.sent_starts, offset) - 1
        floor_i = max(0, sent_i - self.lex.antecedent_sentences)
        floor = self.sent_starts[floor_i] if self.sent_starts else 0
        salient = self._salient_set
        end = bisect_left(self.starts, offset)
        c_end = bisect_left(self._chain_starts, offset)
        found = [
            (start, eid, start in salient)
            for start, _, eid in self.mentions[bisect_left(self.starts, floor) : end]
        ]
        found += self._chain[bisect_left(self._chain_starts, floor) : c_end]
        subject = tok.dep_ in _SUBJECTS
        best = self._score(found, offset, sent_i, person, gender, subject, accept, prefer)
        if best is not None or not far:
            return best
        i, c = end - 1, c_end - 1
        while i >= 0 and not self._fits(self.by_id[self.mentions[i][2]], person, gender, accept):
            i -= 1
        while c >= 0 and not self._fits(self.by_id[self._chain[c][1]], person, gender, accept):
            c -= 1
        if i < 0 and c < 0:
            return None
        if c < 0 or (i >= 0 and self.mentions[i][0] > self._chain[c][0]):
            return self.by_id[self.mentions[i][2]]
        return self.by_id[self._chain[c][1]]

    def _score(
        self,
        found: list[tuple[int, str, bool]],
        offset: int,
        sent_i: int,
        person: bool,
        gender: str | None,
        subject: bool,
        accept: Accept | None = None,
        prefer: frozenset[str] = frozenset(),
    ) -> Entity | None:
        """Return the best-scored fitting entity of the mentions (offset, id, subject) in the
        window: subjects weigh more (more again for a subject pronoun: parallelism), each
        sentence back weighs less, and how often the document named an entity before adds."""
        words = word_lists()
        scores: dict[str, float] = {}
        for start, eid, is_subject in found:
            if not self._fits(self.by_id[eid], person, gender, accept):
                continue
            if person and eid in self._places():
                continue
            back = sent_i - (bisect_right(self.sent_starts, start) - 1)
            weight = words.subject_weight if is_subject else 1.0
            if is_subject and subject:
                weight *= words.parallel_weight
            scores[eid] = scores.get(eid, 0.0) + weight * words.decay**back
        if not scores:
            return None
        for eid in scores:
            seen = bisect_left(self._starts_of[eid], offset)
            seen += bisect_left(self._chain_of.get(eid, []), offset)
            scores[eid] += words.frequency_weight * math.log1p(seen)
            if eid in prefer:
                scores[eid] += words.noun_bonus  # "the party": the Green Party
        return self.by_id[max(scores, key=scores.__getitem__)]

    def _scored(
        self, offset: int, floor: int, sent_i: int, person: bool, gender: str | None
    ) -> Entity | None:
        """Return the best-scored fitting entity mentioned in [floor, offset), if any."""
        words = word_lists()
        salient = set(self.salient_starts)
        scores: dict[str, float] = {}
        seen: Counter[str] = Counter()
        end = bisect_left(self.starts, offset)
        for start, _, eid in self.mentions[:end]:
            seen[eid] += 1
            if start < floor or not self._fits(self.by_id[eid], person, gender):
                continue
            back = sent_i - (bisect_right(self.sent_starts, start) - 1)
            weight = words.subject_weight if start in salient else 1.0
            scores[eid] = scores.get(eid, 0.0) + weight * words.decay**back
        if not scores:
            return None
        for eid in scores:
            scores[eid] += words.frequency_weight * math.log1p(seen[eid])
        return self.by_id[max(scores, key=scores.__getitem__)]

    def _titled(self, titles: frozenset[str], offset: int) -> Entity | None:
        """Return the entity last introduced before the offset with a role word in titles."""
        i = bisect_left(self.starts, offset) - 1
        while i >= 0:
            entity = self.by_id[self.mentions[i][2]]
            role, _ = self.role(entity)
            if role is not None and titles & set(role.lower().split()):
                return entity
            i -= 1
        return None

    def _body(self, noun: str, offset: int) -> Entity | None:
        """Return the organisation "the <noun>" refers to: the last named before the offset
        whose name has the noun, else (a generic noun such as "company") the last named."""
        words = word_lists()
        nearest: Entity | None = None
        i = bisect_left(self.starts, offset) - 1
        while i >= 0:
            entity = self.by_id[self.mentions[i][2]]
            if entity.label == "ORG":
                if noun in entity.name.lower().split():
                    return entity
                nearest = nearest or entity
            i -= 1
        return nearest if noun in words.generic_orgs else None

    def _described(self, head: Token, offset: int) -> Entity | None:
        """Resolve a description ("the minister", "the lawmaker", "the Church") or None."""
        if not any(c.lower_ in ("the", "this", "that") for c in head.children):
            return None
        lower = head.lower_
        words = word_lists()
        if lower in words.ordinal_refs:
            return self._ordinal(words.ordinal_refs[lower], offset)
        found = None
        if lower in words.described:
            found = self._titled(words.described[lower] | {lower}, offset)
        elif lower in self.lex.titles:
            found = self._titled(frozenset({lower}), offset)
        if found is None:
            found = self._introduced_as(head.lemma_.lower(), offset)
        if found is not None or head.tag_ in _PLURAL_TAGS or self._unnamed(head):
            return found  # "the people", "the defendants": no one person
        if lower in words.org_nouns and not _named_body(head, words.org_nouns):
            return self._described_body(head, offset)  # not "the Hart campaign": a name
        if person_noun(lower):
            # like a pronoun: among the named people and the pronouns linked to them
            self._links()
            gender = words.noun_gender.get(lower)
            return self._antecedent_at(head, True, gender, far=words.person_nearest)
        if noun_kind(lower) == "organisation" and not _named_body(head, frozenset({lower})):
            return self._described_body(head, offset)  # "the brokerage": WordNet's body
        return None

    def _ordinal(self, back: int, offset: int) -> Entity | None:
        """Return "the latter" (back 1: the last person or body named before the offset) or
        "the former" (back 2: the one named before it)."""
        seen: list[str] = []
        i = bisect_left(self.starts, offset) - 1
        while i >= 0 and len(seen) < back:
            eid = self.mentions[i][2]
            entity = self.by_id[eid]
            if eid not in seen and (entity.label == self.lex.person_label or entity.label == "ORG"):
                seen.append(eid)
            i -= 1
        return self.by_id[seen[-1]] if len(seen) == back else None

    def _described_body(self, head: Token, offset: int) -> Entity | None:
        """Resolve "the <organisation noun>": the body an earlier phrase named with the noun
        that the tagger left untagged ("the Vale family"); else the most salient body of a
        compatible kind in the last few sentences ("the college": a school, not a bank; "the
        government": only a body named as one), one whose name has the noun weighing more;
        else the last named with the noun ("the party": the Green Party); else (a generic noun
        such as "company") the last body named; else the nearest compatible one."""
        lower = head.lower_
        words = word_lists()
        self._links()

        def fits(entity: Entity) -> bool:
            names = [entity.name, *(m.text for m in entity.mentions)]
            return body_like(entity.label, entity.name) and compatible_body(lower, names)

        named = frozenset(eid for eid, e in self.by_id.items() if lower in e.name.lower().split())
        found = self._untagged_body(head)
        if found is None:
            found = self._antecedent_at(head, False, None, far=False, accept=fits, prefer=named)
        if found is None:
            found = self._body(lower, offset)
        if found is None and words.body_nearest:
            found = self._antecedent_at(head, False, None, far=True, accept=fits)
        return found

    def _untagged_body(self, head: Token) -> Entity | None:
        """Return the body an earlier phrase named with the head's noun that no entity holds
        ("the Vale family" … "the family"), as an entity of its own (no article entity)."""
        phrase = named_before(head)
        if phrase is None or self._entity_in(phrase.start_char, phrase.end_char, phrase.root.idx):
            return None
        name = phrase.text
        entity = Entity(
            make_id("entity", "ORG", name),
            name,
            "ORG",
            (Mention(phrase.start_char, phrase.end_char, name),),
        )
        self.by_id.setdefault(entity.id, entity)
        self.unlisted.add(entity.id)
        return entity

    def _bare(self, name: str) -> bool:
        """Whether a name is a title or person's noun alone ("Judge", "Lawmaker"), or a common
        noun of a person or body in lower case ("blacksmith", as the tagger may give it):
        nobody's."""
        words = word_lists()
        lower = name.lower()
        return " " not in lower and (
            lower in self.lex.titles
            or lower in words.person_nouns
            or lower in words.anonymous
            or (name.islower() and noun_kind(lower) is not None)
        )

    def _unnamed(self, head: Token) -> bool:
        """Whether the text introduced an unnamed one before ("a farmer", "an official") and
        named none with the noun since ("a family" … "the Vale family" … "the family")."""
        noun, offset = head.lower_, head.idx
        if self._indefinite is None:
            self._indefinite = {}
            for tok in self.doc:
                if tok.dep_ == "det" and tok.lower_ in ("a", "an") and not describes(tok.head):
                    self._indefinite.setdefault(tok.head.lower_, tok.head.idx)
        first = self._indefinite.get(noun)
        if first is None or first >= offset:
            return False
        named = named_before(head)
        return named is None or named.start_char < first

    def _name(self, entity: Entity, span: Span) -> str:
        """Return the name a reader writes for the entity, as the speaker span gives it."""
        name = speaker_name(entity.name, entity.label, self.lex.person_label).name
        longer = body_of(span, entity.name)
        if longer is not None:
            self._longer[entity.id] = longer  # "The Order of the Silver Lamp": the name
        if entity.id in self._longer:
            return self._longer[entity.id]
        if entity.label != self.lex.person_label:
            # "Saudi Arabia's Civil Defense Authority": the owner stays part of the body's name.
            first = self.doc.char_span(*self._mention_at(entity, span), alignment_mode="expand")
            if first is not None and first.start >= span.start + 2:
                case, owner = self.doc[first.start - 1], self.doc[first.start - 2]
                if case.dep_ == "case" and owner.ent_type_ in ("GPE", "ORG"):
                    ent = next((e for e in self.doc.ents if e.start <= owner.i < e.end), None)
                    if ent is not None and ent.start >= span.start:
                        name = f"{clean_body(ent.text)}{case.text} {name}"
        return name

    def _final_name(self, span: Span) -> Entity | None:
        """Return the person or body whose mention ends the span ("Acme co-founder Priya
        Ramaswamy", where the parse gave the span a head outside the name), if any."""
        last = span[-1]
        i = bisect_left(self.starts, span.start_char)
        while i < len(self.mentions) and self.mentions[i][0] < span.end_char:
            _, m_end, eid = self.mentions[i]
            if m_end == last.idx + len(last.text) and self.by_id[eid].label == "PERSON":
                return self.by_id[eid]
            i += 1
        return None

    def _mention_at(self, entity: Entity, span: Span) -> tuple[int, int]:
        for m in entity.mentions:
            if span.start_char <= m.start and m.end <= span.end_char:
                return m.start, m.end
        return span.start_char, span.end_char

    def role(self, entity: Entity) -> tuple[str | None, str | None]:
        """Return (role, affiliation) the text gives for the entity, if any."""
        if entity.id in self._roles:
            return self._roles[entity.id]
        result: tuple[str | None, str | None] = (None, None)
        if entity.label in (self.lex.person_label, "ORG"):
            for m in entity.mentions:
                found = self._role_at(m.start, m.end)
                if found[0] is not None:
                    result = found
                    break
        if result[0] is None and entity.label == self.lex.person_label:
            parts = split_person(entity.name)
            result = (parts.role, parts.affiliation)
        if result[1] is not None:
            affiliation = country_of(clean_body(result[1].strip(" ,;")))
            words = word_lists()
            result = (result[0], None if affiliation.lower() in words.never else affiliation)
        self._roles[entity.id] = result
        return result

    def _role_at(self, start: int, end: int) -> tuple[str | None, str | None]:
        doc = self.doc
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None, None
        i = span.start
        while i > 0:
            tok = doc[i - 1]
            poss = doc[i - 2] if i >= 2 else None
            if (
                tok.dep_ == "case"
                and poss is not None
                and poss.dep_ == "poss"
                and (i <= poss.head.i < span.end)
            ):
                i -= 2
                continue
            if tok.dep_ in _ROLE_DEPS and i <= tok.head.i < span.end:
                i -= 1
                continue
            break
        words = [t for t in doc[i : span.start] if t.lower_ not in self.lex.role_stopwords]
        appos = next((c for c in span.root.children if c.dep_ == "appos"), None)
        if not words and appos is not None and appos.i >= span.end:
            words = [
                t
                for t in doc[appos.left_edge.i : appos.right_edge.i + 1]
                if t.lower_ not in self.lex.role_stopwords and not t.is_punct
            ]
        owner = span.root.head
        if not words and span.root.dep_ == "appos" and owner.i < span.start:
            # "NATO's deputy secretary general, Helena Kask": the role is the noun the name
            # is in apposition to.
            words = [
                t
                for t in doc[owner.left_edge.i : owner.i + 1]
                if t.lower_ not in self.lex.role_stopwords and not t.is_punct
            ]
        affiliation = None
        cases = [k for k, t in enumerate(words) if t.dep_ == "case"]
        if cases and cases[-1] > 0:
            # A possessive before the role is the affiliation: "NATO's deputy secretary general".
            for ent in doc[words[0].i : words[cases[-1]].i].ents:
                if ent.label_ in _AFFILIATION_LABELS:
                    affiliation = ent.text
                    words = words[cases[-1] + 1 :]
                    break
        if not any(t.lower_ in self.lex.titles for t in words):
            return None, None
        role = doc[words[0].i : words[-1].i + 1].text
        if affiliation is None:
            for ent in doc[words[0].i : words[-1].i + 1].ents:
                if ent.label_ in _AFFILIATION_LABELS:
                    affiliation = ent.text
                    break
        return role, affiliation

    def resolve(self, start: int, end: int) -> Speaker:
        """Return the Speaker for the token range [start, end) of the document."""
        doc = self.doc
        if end < len(doc) and doc[end].text == ")" and "(" in doc[start:end].text:
            end += 1  # "the Agency for Rivers and Lakes (ARL)": no unclosed bracket
        span = doc[start:end]
        head = span.root
        char_start, char_end = span.start_char, span.end_char
        words = word_lists()
        lower = head.lower_
        pronoun = lower in words.never or head.tag_ in _PRONOUN_TAGS
        entity = (
            None if pronoun and len(span) == 1 else self._entity_in(char_start, char_end, head.idx)
        )
        if entity is None and not pronoun:
            entity = self._final_name(span)
        if entity is None and not pronoun:
            entity = self._apposed(head, char_end)
        if entity is None and not pronoun and head.pos_ == "NOUN":
            entity = self._introduced(head, end)
        if entity is None and lower in self.lex.relative and head.head.dep_ == "relcl":
            noun = head.head.head
            entity = self._entity_in(noun.left_edge.idx, noun.idx + len(noun.text), noun.idx)
            if entity is None and noun.left_edge.i <= noun.i < start:
                # "a farmer who said …": the noun phrase the clause modifies is the speaker
                found = self.resolve(noun.left_edge.i, noun.i + 1)
                return replace(found, text=span.text, start=char_start, end=char_end)
        if entity is None and lower in words.second:
            pass  # "you" is never resolved to anybody
        elif entity is None and len(span) == 1 and lower in self._third_person():
            person = lower in self.lex.person_pronouns
            entity = self._last_speaker(char_start, person, words.pronoun_gender.get(lower))
            if entity is None:
                eid = self._links().get(head.i)
                entity = self.by_id[eid] if eid is not None else None
        elif entity is None and lower in self.lex.person_pronouns:
            entity = self._antecedent(char_start, True, words.pronoun_gender.get(lower))
        elif entity is None and lower in self.lex.group_pronouns:
            entity = self._antecedent(char_start, person=False)
        elif entity is None and not pronoun:
            entity = self._described(head, char_start)
        appos = next(
            (
                c
                for c in head.children
                if c.dep_ == "appos"
                and c.pos_ == "PROPN"
                and c.i < end
                and c.idx > head.idx
                and doc[c.i - 1].text != "("
            ),
            None,
        )
        if entity is None and appos is not None and not pronoun:
            span = doc[start:end]  # "An Israeli military spokesman, Lt. Col. Avi Shalev"
            head = appos
        if entity is None and _named_body(head, words.org_nouns):
            # "the Clinton campaign", "the Obama administration": a body the text names
            name = clean_body(proper_text(span))
            return Speaker(
                text=span.text,
                start=char_start,
                end=char_end,
                name=name,
                identity=identity_of(name, "ORG"),
            )
        if (
            entity is not None
            and self._bare(entity.name)
            and self._bare(proper_text(span))
            and any(c.dep_ == "det" for c in head.children)
        ):
            # the tagger took a title for a name ("the Lawmaker"): a description, or nobody
            titled = self._described(head, char_start)
            entity = None if titled is None or self._bare(titled.name) else titled
            pronoun = pronoun or entity is None
        if entity is None:
            if pronoun or self._bare(proper_text(span)) or head.pos_ != "PROPN":
                return Speaker(
                    text=span.text, start=char_start, end=char_end, name=None, resolved=False
                )
            proper = proper_text(span)
            parts = split_person(proper)
            if parts.role is None and any(
                t.lower_ in words.org_nouns or t.is_lower for t in span if t.i > span.start
            ):
                parts = NameParts(clean_body(proper))  # "the Agency for Rivers and Lakes"
            return Speaker(
                text=span.text,
                start=char_start,
                end=char_end,
                name=parts.name,
                role=parts.role,
                affiliation=parts.affiliation,
                identity=identity_of(parts.name, None),
            )
        if entity.label == "ORG" and entity.name.lower() in words.org_nouns:
            entity = self._body(entity.name.lower(), char_start) or entity  # "the Church"
        role, affiliation = self.role(entity)
        if (
            entity.label == self.lex.person_label
            and entity.id not in self._longer
            and self._mention_at(entity, span)[1] == char_end
        ):
            # "Facebook co-founder Mark Zuckerberg": the title before the name in this mention
            given = split_person(proper_text(span))
            if given.role is not None and given.role.lower() not in self.lex.role_stopwords:
                role, affiliation = given.role, given.affiliation or affiliation
        name = self._name(entity, span)
        return Speaker(
            text=span.text,
            start=char_start,
            end=char_end,
            name=name,
            entity_id=None if entity.id in self.unlisted else entity.id,
            role=role,
            affiliation=affiliation,
            identity=identity_of(name, entity.label),
        )


def _named_body(head: Token, org_nouns: frozenset[str]) -> bool:
    """Whether the head is an organisation's noun with a proper name before it."""
    return head.lower_ in org_nouns and any(
        c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < head.i for c in head.children
    )
