"""Reader for RSS and Atom feeds (files or URLs): each item's full text, or its page fetched."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import feedparser

from ..config import ReadLimits
from ..errors import InputError
from ..model import Failure, RawDocument, Stage
from .files import decode_text
from .html import from_html
from .http import fetch


def read(source: str, data: bytes, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    """Yield one document per feed item; an item that fails becomes a failure."""
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = "it holds no items"
        if feed.bozo:
            reason = f"it is not a valid RSS/Atom feed ({feed.bozo_exception})"
        # A .xml file that is not a feed is reported, not silently skipped.
        decode_text(data, what="the feed")
        yield Failure(source, Stage.READ, f"no articles read from the feed: {reason}")
        return
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{source}#{entry.get('id') or entry.get('link') or number}"
        try:
            yield _entry(where, entry, limits)
        except InputError as exc:
            yield Failure(where, Stage.READ, exc.reason)


def read_url(url: str, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    """Fetch a feed URL and yield its items."""
    try:
        data = fetch(url, limits)
    except InputError as exc:
        yield Failure(url, Stage.READ, exc.reason)
        return
    yield from read(url, data, limits)


def _entry_date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)


def _entry(where: str, entry: Any, limits: ReadLimits) -> RawDocument:
    link = entry.get("link")
    title = entry.get("title")
    authors = tuple(a.get("name") for a in entry.get("authors", ()) if a.get("name"))
    published = _entry_date(entry)
    contents = [c.get("value", "") for c in entry.get("content", ()) if c.get("value")]
    if contents:
        page = "<html><body><article>" + max(contents, key=len) + "</article></body></html>"
    elif link:
        page = decode_text(fetch(link, limits), what=f"the page {link}")
    else:
        raise InputError("the feed item has neither full content nor a link to fetch")
    return from_html(
        where, page, limits, url=link, published=published, title=title, authors=authors
    )
