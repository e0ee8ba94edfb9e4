"""What one article and one parser call may cost, estimated from the text before parsing.

spaCy's tok2vec holds a whole document (and a whole ``nlp.pipe`` batch) at once, 15-20 KB of
memory per token: a 700 KB text of 100,000 one-line sentences peaked at 4.96 GB. So an
article over ``max_tokens`` or ``max_sentences`` is refused with a failure row (not cut short:
a truncated article would silently lose its later statements), and the articles parsed in one
call hold at most ``max_batch_tokens`` between them. The counts are estimates (words plus
punctuation marks; sentence-ending punctuation before a space or line break), cheap enough for
every article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from .config import Settings
from .errors import InputTooLargeError

T = TypeVar("T")

_PUNCTUATION = re.compile(r"[^\w\s]")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?:\s|$)")


def estimate_tokens(text: str) -> int:
    """Estimate spaCy's token count: whitespace-separated words plus punctuation marks."""
    return len(text.split()) + len(_PUNCTUATION.findall(text))


def estimate_sentences(text: str) -> int:
    """Estimate the sentence count: sentence-ending punctuation before a space or line break."""
    return len(_SENTENCE_END.findall(text))


def check_article(text: str, settings: Settings) -> None:
    """Raise InputTooLargeError if the article is over the token or sentence limit."""
    tokens = estimate_tokens(text)
    if tokens > settings.max_tokens:
        raise InputTooLargeError(
            f"the article has about {tokens:,} tokens, over the {settings.max_tokens:,}-token "
            "limit for one article (parsing costs 15-20 KB of memory per token); split it, "
            "or raise NEWSEVENTS_MAX_TOKENS"
        )
    sentences = estimate_sentences(text)
    if sentences > settings.max_sentences:
        raise InputTooLargeError(
            f"the article has about {sentences:,} sentences, over the {settings.max_sentences:,}"
            "-sentence limit for one article; split it, or raise NEWSEVENTS_MAX_SENTENCES"
        )


def token_batches(
    items: Iterable[T], text_of: Callable[[T], str], max_tokens: int, max_items: int
) -> Iterator[list[T]]:
    """Group items in order, at most ``max_tokens`` (estimated) and ``max_items`` a group.

    An item over the token budget on its own makes a group of one.
    """
    batch: list[T] = []
    tokens = 0
    for item in items:
        count = estimate_tokens(text_of(item))
        if batch and (tokens + count > max_tokens or len(batch) >= max_items):
            yield batch
            batch, tokens = [], 0
        batch.append(item)
        tokens += count
    if batch:
        yield batch
