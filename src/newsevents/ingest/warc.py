"""Reader for WARC archives (e.g. Common Crawl CC-NEWS): HTTP responses holding HTML pages."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..config import ReadLimits
from ..dates import iso_date
from ..errors import InputError, InputTooLargeError
from ..model import Failure, RawDocument, Stage
from .files import gunzip_bounded
from .html import from_html

GZIP_MAGIC = b"\x1f\x8b"


def read(source: str, data: bytes, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    """Yield one document per HTML response record; other records are passed over.

    A record cut short (fewer bytes than its Content-Length) is a failure, not a shortened
    article; an archive that holds no HTML response at all is a failure too. An archive of gzip
    members (a ``.warc.gz`` not named so) is decompressed here under the same size and ratio
    limits as any gzip file, never by warcio unbounded.
    """
    problem = None
    if data[:2] == GZIP_MAGIC:
        data, problem = gunzip_bounded(
            data, limits.max_container_bytes, max_ratio=limits.max_gzip_ratio
        )
    yield from _records(source, data, limits)
    if problem:
        yield Failure(
            source,
            Stage.READ,
            f"the WARC's gzip members are truncated or corrupt ({problem}); what follows byte "
            f"{len(data):,} of its content is lost",
        )


def _records(source: str, data: bytes, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    pages = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response":
                continue
            ctype = (
                (record.http_headers.get_header("Content-Type") or "")
                if record.http_headers
                else ""
            )
            if "html" not in ctype.lower():
                continue
            pages += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}#{url}"
            try:
                yield _page(where, record, url, limits)
            except InputError as exc:
                yield Failure(where, Stage.READ, exc.reason)
    except (ArchiveLoadFailed, EOFError, ValueError, OSError) as exc:
        yield Failure(source, Stage.READ, f"not a valid WARC archive from here on: {exc}")
        return
    if not pages:
        yield Failure(
            source,
            Stage.READ,
            "no articles read from the WARC archive: it holds no HTTP response with an HTML page",
        )


def _page(where: str, record: Any, url: str | None, limits: ReadLimits) -> RawDocument:
    body = record.content_stream().read(limits.max_input_bytes + 1)
    if len(body) > limits.max_input_bytes:
        raise InputTooLargeError(
            f"the page is over the {limits.max_input_bytes:,}-byte limit for one article"
        )
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        raise InputError(
            f"the WARC record is truncated: {missing:,} bytes of its Content-Length are missing; "
            "the page was skipped (re-download the archive)"
        )
    page = body.decode("utf-8", errors="replace")
    return from_html(where, page, limits, url=url, published=_warc_date(record))


def _warc_date(record: object) -> date | None:
    value = record.rec_headers.get_header("WARC-Date")  # type: ignore[attr-defined]
    return iso_date(str(value)) if value else None
