"""Text every later stage can store: no lone surrogates, no control characters.

JSON (``"\\ud800"``), feeds and file names can hand Python strings that are not valid Unicode
text: a lone surrogate cannot be encoded as UTF-8, so it crashes the Arrow and DuckDB writes and
the JSON printed by ``extract``; a NUL or other control character is invisible junk that other
tools cut text at. Readers pass every document and failure through here, and the pipeline does
the same for text given through the Python API.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import Failure, RawDocument

# C0 controls and DEL, except tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SUSPECT = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean_string(value: str) -> str:
    """Return ``value`` with lone surrogates replaced by U+FFFD and control characters dropped.

    A surrogate pair split over two code points is joined into its character.
    """
    if _SUSPECT.search(value) is None:
        return value
    if _SURROGATE.search(value):
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _CONTROL.sub("", value)


def _optional(value: str | None) -> str | None:
    return None if value is None else clean_string(value)


def sanitized(item: RawDocument | Failure) -> RawDocument | Failure:
    """Return the document or failure with every text field made storable (see module doc)."""
    if isinstance(item, Failure):
        return replace(item, input=clean_string(item.input), reason=clean_string(item.reason))
    return replace(
        item,
        source_path=clean_string(item.source_path),
        content=clean_string(item.content),
        url=_optional(item.url),
        title=_optional(item.title),
        source=_optional(item.source),
        authors=tuple(clean_string(a) for a in item.authors),
    )


def sanitized_document(raw: RawDocument) -> RawDocument:
    """Return the raw document with every text field made storable."""
    item = sanitized(raw)
    assert isinstance(item, RawDocument)
    return item
