"""Speaker resolution: a speaker mention ("He", "the minister", "Lavrov") to a document entity.

Document-level rules, no model: a mention inside an entity's mention is that entity; a personal
pronoun is the nearest preceding person who is the main subject of a sentence; a group pronoun
the nearest such organisation; "the <title>" the entity last introduced with that title; a
relative pronoun the noun its clause modifies. Roles and affiliations come from the words the
text puts before a name ("Russian Foreign Minister Sergei Lavrov") or in apposition to it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from ...model import Entity, Speaker
from .lexicon import Lexicon

_ROLE_DEPS = ("compound", "amod", "nmod", "poss", "case")
_AFFILIATION_LABELS = ("NORP", "GPE", "ORG")


class SpeakerResolver:
    """Resolves speaker token ranges of one document; build once per document."""

    def __init__(self, doc: Doc, entities: Sequence[Entity], lex: Lexicon) -> None:
        """Index the document's entity mentions and salient subjects."""
        self.doc = doc
        self.lex = lex
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
        self._roles: dict[str, tuple[str | None, str | None]] = {}
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
            entity = self._entity_in(child.left_edge.idx, end, child.idx)
            if entity is not None and entity.label == self.lex.person_label:
                return entity
        return None

    def note(self, offset: int, speaker: Speaker) -> None:
        """Record a resolved speaker at a cue offset: the preferred antecedent of pronouns."""
        if speaker.entity_id is not None:
            self.spoken.append((offset, speaker.entity_id))

    def _last_speaker(self, offset: int, person: bool) -> Entity | None:
        """Return the last resolved speaker in this or the previous sentence, if any."""
        sent_i = bisect_right(self.sent_starts, offset) - 1
        floor = self.sent_starts[max(0, sent_i - 1)] if self.sent_starts else 0
        for at, eid in reversed(self.spoken):
            if at >= offset:
                continue
            if at < floor:
                break
            entity = self.by_id[eid]
            if (entity.label == self.lex.person_label) == person:
                return entity
        return None

    def _antecedent(self, offset: int, person: bool) -> Entity | None:
        """Return the nearest preceding salient subject (person or not) within range."""
        last = self._last_speaker(offset, person)
        if last is not None:
            return last
        sent_i = bisect_right(self.sent_starts, offset) - 1
        floor_i = max(0, sent_i - self.lex.antecedent_sentences)
        floor = self.sent_starts[floor_i] if self.sent_starts else 0
        i = bisect_left(self.salient_starts, offset) - 1
        while i >= 0 and self.salient[i][0] >= floor:
            entity = self.by_id[self.salient[i][1]]
            if (entity.label == self.lex.person_label) == person:
                return entity
            i -= 1
        i = bisect_left(self.starts, offset) - 1
        while i >= 0:
            entity = self.by_id[self.mentions[i][2]]
            if (entity.label == self.lex.person_label) == person:
                return entity
            i -= 1
        return None

    def _titled(self, title: str, offset: int) -> Entity | None:
        """Return the entity last introduced before the offset with a role containing title."""
        i = bisect_left(self.starts, offset) - 1
        while i >= 0:
            entity = self.by_id[self.mentions[i][2]]
            role, _ = self.role(entity)
            if role is not None and title in role.lower().split():
                return entity
            i -= 1
        return None

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
        span = doc[start:end]
        head = span.root
        char_start, char_end = span.start_char, span.end_char
        entity = self._entity_in(char_start, char_end, head.idx)
        if entity is None:
            entity = self._apposed(head, char_end)
        lower = head.lower_
        if entity is None and lower in self.lex.relative and head.head.dep_ == "relcl":
            noun = head.head.head
            entity = self._entity_in(noun.left_edge.idx, noun.idx + len(noun.text), noun.idx)
        if entity is None and lower in self.lex.person_pronouns:
            entity = self._antecedent(char_start, person=True)
        elif entity is None and lower in self.lex.group_pronouns:
            entity = self._antecedent(char_start, person=False)
        elif entity is None and _is_title(head, self.lex):
            entity = self._titled(lower, char_start)
        if entity is None:
            return Speaker(text=span.text, start=char_start, end=char_end, name=span.text)
        role, affiliation = self.role(entity)
        return Speaker(
            text=span.text,
            start=char_start,
            end=char_end,
            name=entity.name,
            entity_id=entity.id,
            role=role,
            affiliation=affiliation,
        )


def _is_title(head: Token, lex: Lexicon) -> bool:
    return head.lower_ in lex.titles and any(c.lower_ in ("the", "this") for c in head.children)
