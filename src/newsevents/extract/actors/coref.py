"""Who a pronoun stands for, and the words that describe a named entity anywhere in a document.

Pronouns are resolved by the statements' :class:`~newsevents.extract.statements.speakers.
SpeakerResolver` (one pronoun chain per document: subjects, recency, gender, parallelism), built
once per document and only when an event actor is a pronoun. A named entity's descriptions are
the phrases the text attaches to any of its mentions: an apposition, a predicate nominal ("X is a
senator") or a relative clause ("X, who is a pastor"), so that every mention can be coded alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from ...model import Entity

if TYPE_CHECKING:
    from ..statements.speakers import SpeakerResolver

COPULA = "be"
PREDICATE_DEPS = frozenset({"attr"})
SUBJECT_DEPS = frozenset({"nsubj"})


class Referents:
    """The entities a document's pronouns refer to (the resolver is built on first use)."""

    def __init__(self, doc: Doc, entities: Sequence[Entity]) -> None:
        """Keep the document and its entities; nothing is resolved yet."""
        self.doc = doc
        self.entities = tuple(entities)
        self._resolver: SpeakerResolver | None = None

    @property
    def resolver(self) -> SpeakerResolver:
        """The document's speaker resolver (built once)."""
        if self._resolver is None:
            from ..statements.lexicon import lexicon
            from ..statements.speakers import SpeakerResolver

            self._resolver = SpeakerResolver(self.doc, self.entities, lexicon())
        return self._resolver

    def pronoun(self, tok: Token) -> Entity | None:
        """Return the entity a third-person pronoun refers to, or None when unresolved."""
        speaker = self.resolver.resolve(tok.i, tok.i + 1)
        if speaker.entity_id is None:
            return None
        return self.resolver.by_id.get(speaker.entity_id)


def predicate_heads(head: Token) -> list[Token]:
    """Return the nouns a clause predicates of a name: "X is a senator", "X, who is a pastor"."""
    out: list[Token] = []
    verb = head.head
    if head.dep_ in SUBJECT_DEPS and verb.lemma_ == COPULA and verb.i != head.i:
        out.extend(c for c in verb.children if c.dep_ in PREDICATE_DEPS)
    for clause in head.children:
        if clause.dep_ != "relcl" or clause.lemma_ != COPULA:
            continue
        if any(c.dep_ in SUBJECT_DEPS and c.tag_ in ("WP", "WDT") for c in clause.children):
            out.extend(c for c in clause.children if c.dep_ in PREDICATE_DEPS)
    return [t for t in out if t.pos_ in ("NOUN", "PROPN")]
