"""The one wiring of the extractors: a parsed Doc in, its entities, statements and events out.

``newsevents extract``/``process`` (through ``pipeline``) and the spaCy components (``nlp``)
both call ``annotate``, so a Doc gives the same records whichever way it went. What a document
needs beyond its text travels in a ``Context``: its publication date (statement and event
dates, date-dependent actor codes), the user's actor dictionary and the statement threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from ..model import Entity, Event, Statement
from .actors import ActorDictionary, code_speakers
from .entities import extract_entities
from .events import extract_events
from .statements import extract_statements


@dataclass(frozen=True, slots=True)
class Context:
    """What the extractors need to know about a document besides its text."""

    published: date | None = None
    dictionary: ActorDictionary | None = None  # the user's actors, consulted first
    min_confidence: float | None = None  # statement threshold (None: the scorer's own)


@dataclass(frozen=True, slots=True)
class Records:
    """Everything extracted from one document."""

    entities: tuple[Entity, ...]
    statements: tuple[Statement, ...]
    events: tuple[Event, ...]


def annotate_statements(
    doc: Doc, context: Context
) -> tuple[tuple[Entity, ...], tuple[Statement, ...]]:
    """Return the document's entities and its statements, speakers coded as actors."""
    entities = extract_entities(doc)
    found = extract_statements(
        doc, entities=entities, published=context.published, min_confidence=context.min_confidence
    )
    statements = code_speakers(
        doc, found, entities=entities, published=context.published, dictionary=context.dictionary
    )
    return entities, statements


def annotate_events(
    doc: Doc, context: Context, entities: tuple[Entity, ...], statements: tuple[Statement, ...]
) -> tuple[Event, ...]:
    """Return the document's events; a reported one is linked to the statement carrying it."""
    return extract_events(
        doc,
        entities=entities,
        statements=statements,
        published=context.published,
        dictionary=context.dictionary,
    )


def annotate(doc: Doc, context: Context | None = None) -> Records:
    """Run every extractor over a parsed Doc and return its records."""
    context = context or Context()
    entities, statements = annotate_statements(doc, context)
    return Records(entities, statements, annotate_events(doc, context, entities, statements))
