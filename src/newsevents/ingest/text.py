"""Reader for plain text: scraped page text or an article body, one article per file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..config import ReadLimits
from ..dates import date_from_name
from ..model import Failure, RawDocument
from .files import decode_text


def read(source: str, data: bytes, limits: ReadLimits) -> Iterator[RawDocument | Failure]:
    """Yield the file's text as one scraped document (the cleaner removes page furniture)."""
    content = decode_text(data)
    yield RawDocument(
        source_path=source,
        content=content,
        format="scraped",
        published=date_from_name(Path(source).name),
    )
