"""Quotation spans in raw text: curly, straight, guillemet and ``TeX'' marks, tolerant of errors.

A quotation is a pair of character offsets covering the opening and the closing mark. An
unbalanced mark never raises: a quotation left open runs to the end of its paragraph (the
news convention for quotes spanning paragraphs reopens the mark on the next paragraph), and a
stray closing mark is ignored.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

_OPEN = {"“": "”", "«": "»", "„": "“", "``": "''"}
_CLOSE = {"”", "»", "''"}
_STRAIGHT = '"'
_OPENING_CONTEXT = " \t\n\r([{—–-/:;"
# Every quotation mark, the two-character TeX/wire marks first (as a left-to-right scan reads).
_MARK = re.compile("``|''|[“«„”»\"]")


@dataclass(frozen=True, slots=True)
class Quotes:
    """The document's quotation spans, sorted, with O(log n) containment lookups."""

    spans: tuple[tuple[int, int], ...]
    starts: tuple[int, ...] = ()

    def containing(self, offset: int) -> tuple[int, int] | None:
        """Return the quotation whose marks enclose the offset (exclusive of its end), if any."""
        i = bisect_right(self.starts, offset) - 1
        if i >= 0:
            start, end = self.spans[i]
            if start <= offset < end:
                return start, end
        return None

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """Return the quotations that overlap the character range [start, end)."""
        first = max(0, bisect_right(self.starts, start) - 1)  # spans are sorted and disjoint
        last = bisect_left(self.starts, end)
        return [q for q in self.spans[first:last] if q[0] < end and start < q[1]]


def _marks(text: str) -> list[tuple[int, str, str]]:
    """Return (offset, mark, role) for each quotation mark; role is 'open', 'close' or '?'."""
    marks: list[tuple[int, str, str]] = []
    n = len(text)
    for found in _MARK.finditer(text):  # ``, '' and single marks, left to right
        i, mark = found.start(), found.group()
        before = text[i - 1] if i else " "
        if mark == "``":
            marks.append((i, mark, "open"))
        elif mark == "''":
            # Some wires print both marks as '': after a space and before a word it opens.
            after = text[i + 2] if i + 2 < n else " "
            opens = before in _OPENING_CONTEXT and not after.isspace() and after not in ".,;:!?"
            marks.append((i, mark, "open" if opens else "close"))
        elif mark in ("“", "«", "„"):
            marks.append((i, mark, "open"))
        elif mark in ("”", "»"):
            # A right mark where a quotation can only open ('\n”Enough. …”') is a typo for “.
            after = text[i + 1] if i + 1 < n else " "
            opens = mark == "”" and before in _OPENING_CONTEXT and after.isalnum()
            marks.append((i, mark, "open" if opens else "close"))
        else:  # the straight mark
            after = text[i + 1] if i + 1 < n else " "
            if before in _OPENING_CONTEXT and not after.isspace():
                role = "open"
            elif after.isspace() or after in ".,;:!?)]—–-" or not before.isspace():
                role = "close"
            else:
                role = "?"
            marks.append((i, mark, role))
    return marks


@lru_cache(maxsize=4)  # the extractor and the role tagger ask for the same text's quotations
def find_quotes(text: str) -> Quotes:
    """Return the quotations in the text; never raises on unbalanced marks."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for offset, mark, role in _marks(text):
        if open_at is None:
            if role in ("open", "?"):
                open_at = offset
            continue
        paragraph_end = text.find("\n", open_at)
        if paragraph_end != -1 and paragraph_end < offset:
            # The open quotation ran over a paragraph break without closing there.
            spans.append((open_at, paragraph_end))
            open_at = offset if role in ("open", "?") else None
            continue
        if role == "open" and mark != _STRAIGHT and mark in _OPEN:
            # A second opening mark before any close: close the first one at this point.
            spans.append((open_at, offset))
            open_at = offset
            continue
        spans.append((open_at, offset + len(mark)))
        open_at = None
    if open_at is not None:
        paragraph_end = text.find("\n", open_at)
        spans.append((open_at, len(text) if paragraph_end == -1 else paragraph_end))
    kept = tuple(s for s in spans if s[1] > s[0] + 1)
    return Quotes(spans=kept, starts=tuple(s for s, _ in kept))


def has_quote_mark(text: str) -> bool:
    """Return whether the text contains any double quotation mark."""
    return any(m in text for m in ('"', "“", "”", "«", "»", "``", "''", "„"))
