"""The metadata step: an article's publication date, source domain and title, from all it carries.

Readers record what their format says (HTML metadata, a feed item's date, a JSON Lines field);
this step fills in what is missing, in one documented order, so no other module decides it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from .dates import date_from_name, date_in_text
from .model import RawDocument


def domain_of(url: str | None) -> str | None:
    """Return the host of a URL without a leading ``www.``."""
    if not url:
        return None
    host = urlparse(url).hostname
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def publication_date(raw: RawDocument, fallback: date | None = None) -> date | None:
    """Return the article's publication date, in order of trust.

    The reader's metadata (HTML, feed, JSON Lines, WARC, or the file name for text files), a
    date written near the top of the text, a date in the file name or the URL, then
    ``fallback`` (the user's ``--published``).
    """
    return (
        raw.published
        or date_in_text(raw.content)
        or date_from_name(Path(raw.source_path).name)
        or (date_from_name(raw.url) if raw.url else None)
        or fallback
    )


def source_domain(raw: RawDocument) -> str | None:
    """Return the publisher the reader named, else the domain of the article's URL."""
    return raw.source or domain_of(raw.url)


# A headline ending with a full stop ("Germany expels two Russian diplomats."), which the cleaner
# never takes for one: the first paragraph of both the input and the article text, one short
# sentence alone on its line, then a blank line and a body at least as long.
HEADLINE_MAX_CHARS = 120
HEADLINE_WORDS = range(3, 21)
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s+[\"“‘(]?[A-Z]")  # a second sentence starts
_DATELINE = re.compile(r"[A-Z]{2,}[A-Z .'’-]*\s*[,(—–]")  # "BERLIN, Feb. 27 (AP) —": a lead
_TIME = re.compile(r"\d{1,2}:\d{2}")
_BLANK_LINE = re.compile(r"[ \t\r\f\v]*\n")


def headline_with_full_stop(content: str, text: str) -> str | None:
    """Return the headline ending with "." that opens ``content`` (the input) and ``text`` (the
    article text after cleaning), or None: short, first, and followed by a blank line and the body.
    """
    first, newline, rest = content.lstrip().partition("\n")
    line = first.strip()
    if not (newline and _BLANK_LINE.match(rest) and text.lstrip().startswith(line)):
        return None
    body = text.lstrip()[len(line) :].strip()
    if (
        len(line) > HEADLINE_MAX_CHARS
        or len(line.split()) not in HEADLINE_WORDS
        or not line.endswith(".")
        or line.endswith("..")
        or not (line[:1].isupper() or line[:1].isdigit())
        or _SENTENCE_BREAK.search(line[:-1])
        or _DATELINE.match(line)
        or _TIME.search(line)
        or len(body) < len(line)
    ):
        return None
    return line


def title_of(raw: RawDocument, found: str | None, text: str) -> str | None:
    """Return the article's title: the reader's (HTML, feed, JSON Lines), the headline the
    cleaner found, else a first line that is a headline ending with a full stop."""
    return raw.title or found or headline_with_full_stop(raw.content, text)
