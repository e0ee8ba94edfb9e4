"""Reader for RSS and Atom feeds (files or URLs): each item's full text, or its page fetched.

A feed that declares XML entities is refused whole (entity expansion, "billion laughs", and
external entities are attacks, and no real feed needs them); item links are fetched only
within the fetch policy of :mod:`.http`.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Container, Iterator
from datetime import date
from typing import Any

import feedparser

from ..config import ReadLimits
from ..errors import InputError, UnsafeInputError
from ..model import Failure, RawDocument, Stage
from .files import decode_text
from .html import from_html
from .http import fetch, fetch_page

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<[A-Za-z]")
_REFUSED_ENTITIES = (
    "the feed declares XML entities (<!ENTITY …>), which newsevents refuses: entity expansion "
    '("billion laughs") and external entities are attacks, and no real feed needs them'
)


_CHAR_REF = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


def _char_ref(match: re.Match[bytes]) -> bytes:
    number = match.group(1)
    value = int(number[1:], 16) if number[:1] in b"xX" else int(number)
    return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF else match.group(0)


def repair_char_refs(data: bytes) -> bytes:
    """Replace character references no character has (a surrogate, past U+10FFFF) by U+FFFD.

    feedparser's lenient parser raises on them, which would cost every item of the feed.
    """
    return _CHAR_REF.sub(_char_ref, data)


class _RootReached(Exception):
    """The prolog is over: no entity can be declared after the root element starts."""


def refuse_entities(data: bytes) -> None:
    """Raise UnsafeInputError if the XML declares any entity (checked in its prolog by expat)."""
    first = _ELEMENT_START.search(data)
    if _ENTITY_DECLARATION.search(data, 0, first.start() if first else len(data)):
        raise UnsafeInputError(_REFUSED_ENTITIES)
    parser = xml.parsers.expat.ParserCreate()  # reads UTF-16 and declared encodings too

    def entity(*args: object) -> None:
        raise UnsafeInputError(_REFUSED_ENTITIES)

    def root(*args: object) -> None:
        raise _RootReached

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = root
    try:
        parser.Parse(data, True)
    except (_RootReached, xml.parsers.expat.ExpatError):
        return  # malformed early on: feedparser reads it leniently (the byte check has run)


def read(
    source: str, data: bytes, limits: ReadLimits, *, private_origin: bool = True
) -> Iterator[RawDocument | Failure]:
    """Yield one document per feed item; an item that fails becomes a failure.

    ``private_origin``: the feed came from a local file or a private address, so its item
    links may lead to private addresses (see the fetch policy in :mod:`.http`).
    """
    for _key, item in read_items(source, data, limits, private_origin=private_origin):
        yield item


def read_items(
    source: str,
    data: bytes,
    limits: ReadLimits,
    *,
    private_origin: bool = True,
    seen: Container[str] = frozenset(),
) -> Iterator[tuple[str | None, RawDocument | Failure]]:
    """Yield ``(key, document or failure)`` for each feed item whose key (its guid, else its
    link, else its position) is not in ``seen``: an item seen before is not fetched again. A
    failure of the feed as a whole has the key None."""
    refuse_entities(data)
    try:
        feed = feedparser.parse(repair_char_refs(data))
    except Exception as exc:  # feedparser's lenient mode raises on e.g. "&#xD800;"
        raise InputError(f"the feed could not be parsed ({exc!r:.200})") from exc
    if not feed.entries:
        reason = "it holds no items"
        if feed.bozo:
            reason = f"it is not a valid RSS/Atom feed ({feed.bozo_exception})"
        # A .xml file that is not a feed is reported, not silently skipped.
        decode_text(data, what="the feed")
        yield None, Failure(source, Stage.READ, f"no articles read from the feed: {reason}")
        return
    for number, entry in enumerate(feed.entries, start=1):
        key = str(entry.get("id") or entry.get("link") or number)
        if key in seen:
            continue
        where = f"{source}#{key}"
        try:
            yield key, _entry(where, entry, limits, private_origin)
        except InputError as exc:
            yield key, Failure(where, Stage.READ, exc.reason)


def read_url(url: str, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    """Fetch a feed URL and yield its items."""
    try:
        page = fetch_page(url, limits)
        yield from read(url, page.body, limits, private_origin=page.private)
    except InputError as exc:
        yield Failure(url, Stage.READ, exc.reason)


def _entry_date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    except (ValueError, TypeError, AttributeError):  # a date no calendar has: none
        return None


def _entry(where: str, entry: Any, limits: ReadLimits, private_origin: bool) -> RawDocument:
    link = entry.get("link")
    title = entry.get("title")
    authors = tuple(a.get("name") for a in entry.get("authors", ()) if a.get("name"))
    published = _entry_date(entry)
    contents = [c.get("value", "") for c in entry.get("content", ()) if c.get("value")]
    if contents:
        page = "<html><body><article>" + max(contents, key=len) + "</article></body></html>"
    elif link:
        body = fetch(link, limits, origin_private=private_origin)
        page = decode_text(body, what=f"the page {link}")
    else:
        raise InputError("the feed item has neither full content nor a link to fetch")
    return from_html(
        where, page, limits, url=link, published=published, title=title, authors=authors
    )
