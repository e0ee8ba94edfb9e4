"""The data model: immutable, typed records for everything newsevents reads and extracts.

Flow: a reader yields :class:`RawDocument`; the pipeline turns it into an :class:`Article`
holding :class:`Entity` (with :class:`Mention`), :class:`Statement` and :class:`Event`
(with :class:`Actor`) records. Every span is a pair of character offsets into
``Article.text``, so ``text[start:end] == span.text`` always holds.

Ids are derived from content (:func:`make_id`): processing the same input again yields
the same ids, which is what makes the store idempotent.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Literal

StatementKind = Literal["direct", "indirect", "mixed"]


def make_id(*parts: object) -> str:
    """Return a stable 20-hex-digit id from the parts' text (sha256, unit-separator joined)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader yields: one article's raw content and whatever metadata came with it.

    ``format`` is ``"scraped"`` for text that may still hold page furniture (it goes through the
    cleaner) and ``"extracted"`` for an article body already taken out of its page.
    """

    source_path: str
    content: str
    format: Literal["scraped", "extracted"]
    url: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    authors: tuple[str, ...] = ()


class Stage(StrEnum):
    """Where in the flow an input failed: the ``stage`` of a failure row."""

    READ = "read"  # a reader could not turn the input into a document
    CLEAN = "clean"  # no article text was left, or too much of it
    LANGUAGE = "language"  # stored, but not in a language the extractors read
    PARSE = "parse"  # spaCy failed on the text
    EXTRACT = "extract"  # an extractor failed on the parsed article
    WORKER = "worker"  # the worker process died on the article


@dataclass(frozen=True, slots=True)
class Failure:
    """Why an input or article could not be processed, and at which stage."""

    input: str
    stage: Stage
    reason: str

    @property
    def id(self) -> str:
        """Content id: the same failure recorded twice is one row."""
        return make_id("failure", self.input, self.stage, self.reason)


@dataclass(frozen=True, slots=True)
class Mention:
    """One place in the text where an entity is named."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A named person, organisation or place, with every mention of it in the article."""

    id: str
    name: str
    label: str
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a statement is attributed to: the mention in the text and the entity it resolves to.

    ``name`` is the name alone as a reader writes it ("Hamdullah Mohib"; the title is in
    ``role``, the country or body in ``affiliation``), or None when the speaker is a pronoun or
    description the document does not resolve (``resolved`` False; ``text`` keeps what it said).
    ``identity`` is the speaker's identity id: the same person or body in any article gets it.
    """

    text: str
    start: int
    end: int
    name: str | None
    entity_id: str | None = None
    role: str | None = None
    affiliation: str | None = None
    code: str | None = None  # CAMEO-style actor code of who spoke (RUSGOV), when the text gives it
    resolved: bool = True
    identity: str | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """Who said what: a speaker, the cue that attributes it, and the content said."""

    id: str
    kind: StatementKind
    speaker: Speaker | None
    cue: Span
    content: Span
    date: date | None
    cue_class: str | None = None
    about: str | None = None
    # Quoted text that continues the content after the attribution ("…," he said. "…"); the
    # content then runs from its first word over the attribution to the continuation's end.
    continuation: Span | None = None
    # The scorer's probability that this is a statement (None: found by the scorer-free rules).
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """An event participant with its CAMEO-style code (country ISO3 + sector)."""

    text: str
    start: int
    end: int
    name: str
    code: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """Where an event happened."""

    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom: a coded action with its actors and its evidence sentence."""

    id: str
    cameo: str
    plover_type: str | None
    plover_mode: str | None
    quad_class: int | None
    goldstein: float | None
    source: Actor | None
    target: Actor | None
    trigger: Span
    sentence_start: int
    sentence_end: int
    date: date | None
    location: Location | None
    modality: str
    attributed_to: str | None
    confidence: float


@dataclass(frozen=True, slots=True)
class Article:
    """One processed article: clean text, metadata and everything extracted from it."""

    id: str
    source_path: str
    text: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    language: str | None = None
    source_domain: str | None = None
    authors: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    duplicate_of: str | None = None
    failure: Failure | None = None
    entities: tuple[Entity, ...] = field(default=())
    statements: tuple[Statement, ...] = field(default=())
    events: tuple[Event, ...] = field(default=())
    fingerprint: tuple[int, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the article in the JSON output contract of ``newsevents extract``."""
        return {
            "id": self.id,
            "source_path": self.source_path,
            "url": self.url,
            "title": self.title,
            "published": _iso(self.published),
            "language": self.language,
            "source_domain": self.source_domain,
            "authors": list(self.authors),
            "duplicate_of": self.duplicate_of,
            "text": self.text,
            "credits": list(self.credits),
            "failure": (
                None
                if self.failure is None
                else {"stage": self.failure.stage, "reason": self.failure.reason}
            ),
            "entities": [
                {
                    "id": e.id,
                    "name": e.name,
                    "label": e.label,
                    "mentions": [asdict(m) for m in e.mentions],
                }
                for e in self.entities
            ],
            "statements": [_statement_dict(s) for s in self.statements],
            "events": [_event_dict(e) for e in self.events],
        }


def article_from_dict(d: dict[str, Any]) -> Article:
    """Rebuild an Article from ``Article.to_dict()`` output (plus an optional ``fingerprint``)."""
    failure = d.get("failure")
    return Article(
        id=d["id"],
        source_path=d["source_path"],
        text=d["text"],
        url=d.get("url"),
        title=d.get("title"),
        published=_date(d.get("published")),
        language=d.get("language"),
        source_domain=d.get("source_domain"),
        authors=tuple(d.get("authors") or ()),
        credits=tuple(d.get("credits") or ()),
        duplicate_of=d.get("duplicate_of"),
        failure=None
        if not failure
        else Failure(d["source_path"], failure["stage"], failure["reason"]),
        entities=tuple(
            Entity(e["id"], e["name"], e["label"], tuple(Mention(**m) for m in e["mentions"]))
            for e in d.get("entities", ())
        ),
        statements=tuple(_statement_from(s) for s in d.get("statements", ())),
        events=tuple(_event_from(e) for e in d.get("events", ())),
        fingerprint=tuple(d.get("fingerprint") or ()),
    )


def _date(value: str | None) -> date | None:
    return None if not value else date.fromisoformat(value)


def _statement_from(s: dict[str, Any]) -> Statement:
    return Statement(
        id=s["id"],
        kind=s["kind"],
        speaker=None if s.get("speaker") is None else Speaker(**s["speaker"]),
        cue=Span(**s["cue"]),
        content=Span(**s["content"]),
        date=_date(s.get("date")),
        cue_class=s.get("cue_class"),
        about=s.get("about"),
        continuation=None if s.get("continuation") is None else Span(**s["continuation"]),
        confidence=s.get("confidence"),
    )


def _event_from(e: dict[str, Any]) -> Event:
    plover = e.get("plover") or {}
    return Event(
        id=e["id"],
        cameo=e["cameo"],
        plover_type=plover.get("type"),
        plover_mode=plover.get("mode"),
        quad_class=e.get("quad_class"),
        goldstein=e.get("goldstein"),
        source=None if e.get("source") is None else Actor(**e["source"]),
        target=None if e.get("target") is None else Actor(**e["target"]),
        trigger=Span(**e["trigger"]),
        sentence_start=e["sentence"]["start"],
        sentence_end=e["sentence"]["end"],
        date=_date(e.get("date")),
        location=None if e.get("location") is None else Location(**e["location"]),
        modality=e["modality"],
        attributed_to=e.get("attributed_to"),
        confidence=e["confidence"],
    )


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _statement_dict(s: Statement) -> dict[str, Any]:
    return {
        "id": s.id,
        "kind": s.kind,
        "speaker": None if s.speaker is None else asdict(s.speaker),
        "cue": asdict(s.cue),
        "content": asdict(s.content),
        "date": _iso(s.date),
        "cue_class": s.cue_class,
        "about": s.about,
        "continuation": None if s.continuation is None else asdict(s.continuation),
        "confidence": s.confidence,
    }


def _event_dict(e: Event) -> dict[str, Any]:
    return {
        "id": e.id,
        "cameo": e.cameo,
        "plover": {"type": e.plover_type, "mode": e.plover_mode},
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "source": None if e.source is None else asdict(e.source),
        "target": None if e.target is None else asdict(e.target),
        "trigger": asdict(e.trigger),
        "sentence": {"start": e.sentence_start, "end": e.sentence_end},
        "date": _iso(e.date),
        "location": None if e.location is None else asdict(e.location),
        "modality": e.modality,
        "attributed_to": e.attributed_to,
        "confidence": e.confidence,
    }
