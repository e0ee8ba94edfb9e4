"""Reader for JSON Lines: one article per line with ``text`` or ``html`` and optional metadata."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import replace

from ..config import ReadLimits
from ..dates import iso_date
from ..errors import EmptyInputError, InputError, InputTooLargeError
from ..model import Failure, RawDocument, Stage
from .files import decode_text
from .html import from_html


def read(source: str, data: bytes, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    """Yield one document per line; a bad line becomes a failure and the file goes on."""
    content = decode_text(data, what="the JSON Lines file")
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            yield _record(where, line, limits)
        except InputError as exc:
            yield Failure(where, Stage.READ, exc.reason)


def _record(where: str, line: str, limits: ReadLimits) -> RawDocument:
    if len(line.encode("utf-8")) > limits.max_input_bytes:
        raise InputTooLargeError(
            f"the line is over the {limits.max_input_bytes:,}-byte limit for one article"
        )
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"line is not valid JSON ({exc.msg} at column {exc.colno})") from exc
    except ValueError as exc:  # e.g. an integer over Python's 4,300-digit conversion limit
        raise InputError(f"line is not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise InputTooLargeError(
            "the line's JSON is nested too deeply to read (deeper than Python's recursion limit, "
            f"{sys.getrecursionlimit():,} levels); an article record needs only one level"
        ) from exc
    if not isinstance(obj, dict):
        raise InputError('line is not a JSON object; expected {"text": ...} or {"html": ...}')
    url = obj.get("url") if isinstance(obj.get("url"), str) else None
    title = obj.get("title") if isinstance(obj.get("title"), str) else None
    published = iso_date(obj.get("published"))
    source = obj.get("source") if isinstance(obj.get("source"), str) else None
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and text.strip():
        return RawDocument(
            source_path=where,
            content=text,
            format="scraped",
            url=url,
            title=title,
            published=published,
            source=source,
        )
    if isinstance(html, str) and html.strip():
        doc = from_html(where, html, limits, url=url, published=published, title=title)
        return doc if source is None else replace(doc, source=source)
    raise EmptyInputError('the record has no non-empty "text" or "html" field')
