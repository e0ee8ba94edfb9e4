"""Speaker actor codes: who said it, as a CAMEO-style actor code ("Sergei Lavrov" -> RUSGOV).

A statement's speaker is coded by the same :class:`~.coder.ActorCoder` that codes event
actors: the speaker's resolved entity is coded from its mentions in text order (the first that
yields a code wins: "Russian Foreign Minister Sergei Lavrov" gives RUSGOV, and "He" or "Lavrov"
later in the text inherit it); a speaker that resolves to no entity ("the ministry", "police")
is coded from its own noun phrase.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Token

from ...model import Entity, Statement
from .coder import ActorCoder
from .dictionary import ActorDictionary

_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WDT"})


def _head(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return None if span is None or not len(span) else span.root


def code_speakers(
    doc: Doc,
    statements: Sequence[Statement],
    *,
    entities: Sequence[Entity] = (),
    published: date | None = None,
    dictionary: ActorDictionary | None = None,
) -> tuple[Statement, ...]:
    """Return the statements with each speaker's actor code set where the text gives one."""
    if not any(s.speaker is not None for s in statements):
        return tuple(statements)
    coder = ActorCoder(doc, entities, published, dictionary)
    by_id = {e.id: e for e in entities}
    entity_codes: dict[str, str | None] = {}
    out: list[Statement] = []
    for st in statements:
        sp = st.speaker
        if sp is None:
            out.append(st)
            continue
        code: str | None = None
        entity = by_id.get(sp.entity_id) if sp.entity_id else None
        if entity is not None:
            if entity.id not in entity_codes:
                entity_codes[entity.id] = _entity_code(doc, coder, entity)
            code = entity_codes[entity.id]
        else:
            head = _head(doc, sp.start, sp.end)
            if head is not None and head.tag_ not in _PRONOUN_TAGS:
                actor = coder.code(head)
                code = actor.code if actor is not None else None
        out.append(st if code is None else replace(st, speaker=replace(sp, code=code)))
    return tuple(out)


def _entity_code(doc: Doc, coder: ActorCoder, entity: Entity) -> str | None:
    """Return the code of the first of the entity's mentions (text order) that has one."""
    for mention in sorted(entity.mentions, key=lambda m: m.start):
        head = _head(doc, mention.start, mention.end)
        if head is None:
            continue
        actor = coder.code(head)
        if actor is not None and actor.code is not None:
            return actor.code
    return None
