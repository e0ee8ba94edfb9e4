"""The metadata step: an article's publication date and source domain, from all it carries.

Readers record what their format says (HTML metadata, a feed item's date, a JSON Lines field);
this step fills in what is missing, in one documented order, so no other module decides it.
"""

from __future__ import annotations

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
