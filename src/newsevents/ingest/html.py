"""Reader for HTML pages: the article body (trafilatura), dates (htmldate) and page metadata."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import trafilatura
from htmldate import find_date

from ..config import ReadLimits
from ..dates import date_from_name, iso_date
from ..errors import BinaryInputError, EmptyInputError
from ..metadata import domain_of
from ..model import Failure, RawDocument
from .files import decode_text, time_limit

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
        if match is None or b"\x00" in data[:8192]:
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
    """Extract the article body and metadata from an HTML page; metadata given wins over found."""
    with time_limit(limits.max_seconds_per_document, "extracting the article from the HTML page"):
        doc = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            as_dict=False,
        )
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not body:
        raise EmptyInputError("no article text found in the HTML page")
    found_title = getattr(doc, "title", None)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if found_title and lines and is_headline(lines[0], found_title):
        lines = lines[1:]  # trafilatura repeats the headline as the body's first line
    if not lines:
        raise EmptyInputError("the HTML page holds a headline but no article text")
    page_date = iso_date(getattr(doc, "date", None))
    if page_date is None and published is None:
        page_date = iso_date(find_date(page, original_date=True, extensive_search=False))
    page_url = url or getattr(doc, "url", None)
    return RawDocument(
        source_path=source,
        content="\n\n".join(lines),
        format="extracted",
        url=page_url,
        title=title or found_title,
        published=page_date or published,
        source=getattr(doc, "sitename", None) or domain_of(page_url),
        authors=authors or _split_authors(getattr(doc, "author", None)),
    )
