"""Reader for HTML pages: the article body (trafilatura), dates (htmldate) and page metadata."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import trafilatura
from htmldate import find_date

from ..config import ReadLimits
from ..dates import date_from_name, iso_date
from ..errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    NewsEventsError,
)
from ..metadata import domain_of
from ..model import Failure, RawDocument
from . import isolate
from .files import decode_text

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def read(source: str, data: bytes, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    """Yield the article found in one HTML page."""
    page = decode_html(data)
    yield from_html(source, page, limits, published=date_from_name(Path(source).name))


_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes) -> str:
    """Decode an HTML page as UTF-8, or with the charset its ``<meta>`` declares (e.g. cp1251)."""
    try:
        return decode_text(data, what="the HTML page")
    except BinaryInputError:
        match = _CHARSET.search(data[:4096])
        if match is None or b"\x00" in data:
            raise
        try:
            return data.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError) as exc:
            raise BinaryInputError(
                f"the HTML page is neither UTF-8 nor valid in its declared charset "
                f"{match.group(1).decode('ascii', 'replace')!r}"
            ) from exc


def _split_authors(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    parts = [p.strip() for p in value.replace(" and ", ";").split(";")]
    return tuple(p for p in parts if p)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def is_headline(line: str, title: str) -> bool:
    """Whether a body line is the page's headline again (same words, or one starts the other)."""
    a, b = _words(line), _words(title)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return long[: len(short)] == short and (len(short) >= 4 or len(short) == len(long))


@dataclass(frozen=True, slots=True)
class _Found:
    """What extraction found in a page: plain values, so they cross process boundaries."""

    text: str
    title: str | None
    date: str | None
    url: str | None
    sitename: str | None
    author: str | None


def _extract(page: str, url: str | None, need_date: bool) -> _Found:
    """Run trafilatura (and htmldate when the page gives no date) on one page."""
    try:
        doc = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            as_dict=False,
        )
        body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
        found_date = getattr(doc, "date", None) if doc is not None else None
        if body and iso_date(found_date) is None and need_date:
            found_date = find_date(page, original_date=True, extensive_search=False)
    except NewsEventsError:
        raise
    except Exception as exc:  # a library bug on one page costs that page only
        raise InputError(f"the HTML page could not be parsed ({exc!r:.200})") from exc
    return _Found(
        text=body,
        title=getattr(doc, "title", None),
        date=str(found_date) if found_date else None,
        url=getattr(doc, "url", None),
        sitename=getattr(doc, "sitename", None),
        author=getattr(doc, "author", None),
    )


@cache
def _long_run(min_chars: int) -> re.Pattern[str]:
    return re.compile(f"[^>]{{{min_chars},}}")


_TAG_START = re.compile(r"<[A-Za-z]")


def check_markup(page: str, max_attributes: int) -> None:
    """Refuse a page with an element of more than ``max_attributes`` attributes (0: no check).

    lxml's time grows with the square of one element's attributes. The check is cheap: only
    stretches without a ``>`` long enough to hold that many attributes are looked at, and their
    whitespace-separated words counted. A page that slips past it is still stopped by the time
    limit (:mod:`~newsevents.ingest.isolate`).
    """
    if max_attributes <= 0:
        return
    for match in _long_run(2 * max_attributes).finditer(page):
        tag = _TAG_START.search(match.group())
        if tag is None:
            continue
        count = len(match.group()[tag.start() :].split()) - 1
        if count > max_attributes:
            raise InputTooLargeError(
                f"an HTML element has about {count:,} attributes, over the {max_attributes:,} "
                "limit (parsing it would take minutes); the page was skipped. Raise "
                "NEWSEVENTS_MAX_HTML_ATTRIBUTES if the page is genuine"
            )


def from_html(
    source: str,
    page: str,
    limits: ReadLimits,
    *,
    url: str | None = None,
    published: date | None = None,
    title: str | None = None,
    authors: tuple[str, ...] = (),
) -> RawDocument:
    """Extract the article body and metadata from an HTML page; metadata given wins over found.

    The page is checked for pathological markup first, then extracted under the per-document
    time limit (in a helper process that is killed at the limit, within a reading session).
    """
    check_markup(page, limits.max_html_attributes)
    found = isolate.run(
        _extract,
        (page, url, published is None),
        limits.max_seconds_per_document,
        "extracting the article from the HTML page",
    )
    if not found.text:
        raise EmptyInputError("no article text found in the HTML page")
    lines = [line.strip() for line in found.text.splitlines() if line.strip()]
    if found.title and lines and is_headline(lines[0], found.title):
        lines = lines[1:]  # trafilatura repeats the headline as the body's first line
    if not lines:
        raise EmptyInputError("the HTML page holds a headline but no article text")
    page_url = url or found.url
    return RawDocument(
        source_path=source,
        content="\n\n".join(lines),
        format="extracted",
        url=page_url,
        title=title or found.title,
        published=iso_date(found.date) or published,
        source=found.sitename or domain_of(page_url),
        authors=authors or _split_authors(found.author),
    )
