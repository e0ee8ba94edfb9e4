"""From raw documents to articles: clean, detect language, parse with spaCy, extract records."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

import py3langid
from spacy.language import Language
from spacy.tokens import Doc

from .budget import check_article, token_batches
from .clean import clean_text, keep_text, take_credits
from .config import Settings, get_settings
from .dedup import fingerprint
from .errors import (
    EmptyInputError,
    ExtractionError,
    InputError,
    InputTooLargeError,
    NewsEventsError,
    ParseError,
)
from .extract.annotate import Context, annotate
from .metadata import publication_date, source_domain, title_of
from .model import Article, Failure, RawDocument, Stage, make_id
from .nlp import extraction_context
from .sanitize import sanitized_document

SUPPORTED_LANGUAGES = frozenset({"en"})


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article ready for the parser: clean text and metadata, no records yet."""

    article: Article

    @property
    def parse(self) -> bool:
        """Whether the article goes through the English parser and extractors."""
        return self.article.language in SUPPORTED_LANGUAGES


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language (offline, py3langid)."""
    lang, _score = py3langid.classify(text[:5000])
    return str(lang)


def prepare(
    raw: RawDocument,
    *,
    clean: bool = True,
    published: date | None = None,
    settings: Settings | None = None,
) -> Prepared:
    """Clean a raw document and fill in its metadata; raise InputError if no article is left.

    The publication date, source domain and title come from the metadata step (``metadata``),
    with ``published`` as the date of last resort.
    """
    settings = settings or get_settings()
    raw = sanitized_document(raw)  # no lone surrogate or control character gets stored
    if not clean:
        cleaned = keep_text(raw.content)
    elif raw.format == "scraped":
        cleaned = clean_text(raw.content)
    else:  # a body already extracted from its page: only its credit lines move out
        cleaned = take_credits(raw.content)
    text = cleaned.text
    if len(text.strip()) < settings.min_text_chars:
        raise EmptyInputError("no article text is left once page furniture is removed")
    if len(text) > settings.max_text_chars:
        raise InputTooLargeError(
            f"the article text has {len(text):,} characters, over the {settings.max_text_chars:,} "
            "limit; split it, or raise NEWSEVENTS_MAX_TEXT_CHARS"
        )
    check_article(text, settings)  # tokens and sentences: what parsing it would cost
    credits = cleaned.credits + tuple(f"({a})" for a in cleaned.agencies)
    article = Article(
        id=make_id("article", raw.url or "", text),
        source_path=raw.source_path,
        text=text,
        url=raw.url,
        title=title_of(raw, cleaned.title, text),
        published=publication_date(raw, published),
        language=detect_language(text),
        source_domain=source_domain(raw),
        authors=raw.authors,
        credits=credits,
        fingerprint=fingerprint(text),
    )
    return Prepared(article)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article already in the store: recognised by its content id and not processed again."""

    article_id: str
    source_path: str


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How one run treats its inputs, beside the settings (the same for every article)."""

    clean: bool = True  # False: each input is the article body exactly as given
    published: date | None = None  # the date of inputs that carry none


DEFAULTS = RunOptions()


def process_batch(
    nlp: Language,
    raws: Sequence[RawDocument],
    settings: Settings | None = None,
    options: RunOptions = DEFAULTS,
    skip: Container[str] = frozenset(),
) -> list[Article | Failure | Skipped]:
    """Prepare, parse and extract a batch of raw documents; ids in ``skip`` are not parsed."""
    settings = settings or get_settings()
    out: list[Article | Failure | Skipped] = []
    fresh: list[Prepared] = []
    for raw in map(sanitized_document, raws):
        try:
            p = prepare(raw, clean=options.clean, published=options.published, settings=settings)
        except InputError as exc:
            out.append(Failure(raw.source_path, Stage.CLEAN, exc.reason))
            continue
        if p.article.id in skip:
            out.append(Skipped(p.article.id, raw.source_path))
        else:
            fresh.append(p)
    context = extraction_context(settings)
    with nlp.memory_zone():
        for group in token_batches(
            fresh, lambda p: p.article.text, settings.max_batch_tokens, settings.batch_size
        ):  # one nlp.pipe call holds at most max_batch_tokens (memory grows with them)
            out.extend(run(nlp, group, context, batch_size=settings.batch_size))
    return out


def annotate_article(article: Article, doc: Doc, context: Context) -> Article:
    """Run the extractors over the parsed article and return the article with its records."""
    records = annotate(doc, replace(context, published=article.published))
    return _namespaced(
        replace(
            article,
            entities=records.entities,
            statements=records.statements,
            events=records.events,
        )
    )


def _namespaced(article: Article) -> Article:
    """Prefix statement and event ids with the article's id, so they are unique in the store.

    Extractors give ids that are unique within one document; two articles with the same text
    (syndicated copies under different URLs) must still have distinct rows.
    """
    ids = {s.id: make_id(article.id, s.id) for s in article.statements}
    statements = tuple(replace(s, id=ids[s.id]) for s in article.statements)
    events = tuple(
        replace(
            e,
            id=make_id(article.id, e.id),
            attributed_to=ids.get(e.attributed_to, e.attributed_to) if e.attributed_to else None,
        )
        for e in article.events
    )
    return replace(article, statements=statements, events=events)


def language_failure(article: Article) -> Failure:
    """The failure row that records why a non-English article has no extracted records."""
    return Failure(
        article.source_path,
        Stage.LANGUAGE,
        f"the article's language is {article.language!r}; it is stored without statements or "
        "events, since the extractors read English only",
    )


def run(
    nlp: Language, prepared: Sequence[Prepared], context: Context, *, batch_size: int = 64
) -> Iterator[Article | Failure]:
    """Parse the prepared articles in one ``nlp.pipe`` stream and yield articles or failures."""
    to_parse = [p for p in prepared if p.parse]
    for p in prepared:
        if not p.parse:
            yield p.article
            yield language_failure(p.article)
    try:
        docs: Iterable[Doc] = list(
            nlp.pipe((p.article.text for p in to_parse), batch_size=batch_size)
        )
    except Exception:  # one bad text must not sink the batch: parse one by one to find it
        yield from _one_by_one(nlp, to_parse, context)
        return
    for p, doc in zip(to_parse, docs, strict=True):
        yield _annotate_safely(p.article, doc, context)


def _one_by_one(
    nlp: Language, prepared: Sequence[Prepared], context: Context
) -> Iterator[Article | Failure]:
    for p in prepared:
        try:
            doc = nlp(p.article.text)
        except Exception as exc:
            reason = ParseError(f"spaCy failed on the article: {exc!r}").reason
            yield Failure(p.article.source_path, Stage.PARSE, reason)
            continue
        yield _annotate_safely(p.article, doc, context)


def _annotate_safely(article: Article, doc: Doc, context: Context) -> Article | Failure:
    try:
        return annotate_article(article, doc, context)
    except NewsEventsError as exc:
        return Failure(article.source_path, Stage.EXTRACT, exc.reason)
    except Exception as exc:  # an extractor bug costs this article only, and is recorded
        reason = ExtractionError(f"extraction failed: {exc!r}").reason
        return Failure(article.source_path, Stage.EXTRACT, reason)
