"""Reader for WARC archives (e.g. Common Crawl CC-NEWS): HTTP responses holding HTML pages."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..config import ReadLimits
from ..dates import iso_date
from ..errors import InputError
from ..model import Failure, RawDocument, Stage
from .html import from_html


def read(source: str, data: bytes, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    """Yield one document per HTML response record; other records are passed over."""
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
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source}#{url}"
            body = record.content_stream().read(limits.max_input_bytes + 1)
            try:
                if len(body) > limits.max_input_bytes:
                    raise InputError(
                        f"the page is over the {limits.max_input_bytes:,}-byte limit "
                        "for one article"
                    )
                page = body.decode("utf-8", errors="replace")
                yield from_html(where, page, limits, url=url, published=_warc_date(record))
            except InputError as exc:
                yield Failure(where, Stage.READ, exc.reason)
    except (ArchiveLoadFailed, EOFError, ValueError, OSError) as exc:
        yield Failure(source, Stage.READ, f"not a valid WARC archive from here on: {exc}")


def _warc_date(record: object) -> date | None:
    value = record.rec_headers.get_header("WARC-Date")  # type: ignore[attr-defined]
    return iso_date(str(value)) if value else None
