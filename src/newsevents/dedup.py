"""Syndicated copies: MinHash fingerprints over word shingles, matched by LSH band keys.

The same wire story published by many outlets differs only in furniture, headline and a few
edits. Each article gets a fingerprint of band keys; an article sharing enough band keys with
an earlier one is a copy of it (``Article.duplicate_of``), so counts don't double-count it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

from datasketch import MinHash

from .model import Article
from .resources import read_toml

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class DedupRules:
    """Shingle size, banding and threshold of copy detection."""

    shingle_words: int
    bands: int
    rows_per_band: int
    min_shared_bands: int
    min_shingles: int
    seed: int


@cache
def rules() -> DedupRules:
    """Return the copy-detection settings from ``data/dedup.toml``."""
    raw = read_toml("dedup.toml")
    return DedupRules(**{k: int(v) for k, v in raw.items()})


def fingerprint(text: str) -> tuple[int, ...]:
    """Return the text's LSH band keys (one signed 64-bit key a band), or () if it is too short."""
    r = rules()
    words = _WORD.findall(text.lower())
    n = r.shingle_words
    shingles = {" ".join(words[i : i + n]).encode() for i in range(len(words) - n + 1)}
    if len(shingles) < r.min_shingles:
        return ()
    mh = MinHash(num_perm=r.bands * r.rows_per_band, seed=r.seed)
    mh.update_batch(list(shingles))
    values = mh.hashvalues
    keys = []
    for band in range(r.bands):
        chunk = values[band * r.rows_per_band : (band + 1) * r.rows_per_band].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return tuple(keys)


def link_copies(articles: Sequence[Article], stored: Mapping[int, Iterable[str]]) -> list[Article]:
    """Set ``duplicate_of`` on each article that copies a stored or earlier article of the batch."""
    owners: dict[int, list[str]] = {k: list(v) for k, v in stored.items()}
    linked = []
    for article in articles:
        original = first_copy(article.fingerprint, owners, exclude=article.id)
        if original is not None:
            article = replace(article, duplicate_of=original)
        for key in article.fingerprint:
            owners.setdefault(key, []).append(article.id)
        linked.append(article)
    return linked


def first_copy(
    keys: Iterable[int], owners: Mapping[int, Iterable[str]], *, exclude: str | None = None
) -> str | None:
    """Return the article that shares the most band keys (at least the threshold), if any."""
    shared: dict[str, int] = {}
    for key in keys:
        for article_id in owners.get(key, ()):
            if article_id != exclude:
                shared[article_id] = shared.get(article_id, 0) + 1
    best = max(shared.items(), key=lambda kv: (kv[1], kv[0]), default=None)
    if best is None or best[1] < rules().min_shared_bands:
        return None
    return best[0]
