"""Plain-text cleaner for scraped pages: small steps that drop page furniture, keep the article.

Each step takes the list of lines still kept and returns the lines to keep, so the chain is
easy to read and to extend. Lines keep their offsets in the raw input: the cleaned text comes
with an :class:`OffsetMap` from clean-text offsets back to the raw input, so every extracted
span can be shown in the original document.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from .clean_blocks import BlockParams, main_block, params_from
from .resources import read_toml


@dataclass(frozen=True, slots=True)
class Line:
    """One stripped line of the raw input and where it starts there."""

    raw_start: int
    text: str


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in the clean text back to offsets in the raw input."""

    clean_starts: tuple[int, ...]
    raw_starts: tuple[int, ...]

    def to_raw(self, offset: int) -> int:
        """Return the raw-input offset of a clean-text offset."""
        i = bisect.bisect_right(self.clean_starts, offset) - 1
        if i < 0:
            return offset
        return self.raw_starts[i] + (offset - self.clean_starts[i])


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The cleaner's result: article text, headline, credit lines and the offset map."""

    text: str
    title: str | None
    credits: tuple[str, ...]
    agencies: tuple[str, ...]
    offsets: OffsetMap


@dataclass(frozen=True, slots=True)
class _Rules:
    interface: re.Pattern[str]
    media: re.Pattern[str]
    prompts: re.Pattern[str]
    footer: re.Pattern[str]
    comments: re.Pattern[str]
    footer_zone: float
    credits: re.Pattern[str]
    credit_zone: float
    dateline_agency: re.Pattern[str]
    furniture_max: int
    repeated_max: int
    headline_max: int
    headline_before: int
    not_headline: re.Pattern[str]
    blocks: BlockParams
    word: re.Pattern[str]
    dup_min_tokens: int
    dup_containment: float
    dup_max_chars: int


def _alternation(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + r")[.:!]?", re.IGNORECASE)


@cache
def _rules() -> _Rules:
    raw = read_toml("clean.toml")
    return _Rules(
        interface=_alternation(raw["interface_lines"]),
        media=_alternation(raw["media_lines"]),
        prompts=_alternation(raw["prompt_lines"]),
        footer=_alternation(raw["footer_lines"]),
        comments=_alternation(raw["comment_lines"]),
        footer_zone=float(raw["footer_zone"]),
        credits=_alternation(raw["credit_lines"]),
        credit_zone=float(raw["credit_ends_body_zone"]),
        dateline_agency=re.compile(raw["dateline_agency"]),
        furniture_max=int(raw["furniture_max_chars"]),
        repeated_max=int(raw["repeated_line_max_chars"]),
        headline_max=int(raw["headline_max_chars"]),
        headline_before=int(raw["headline_before_lines"]),
        not_headline=re.compile(raw["not_headline"]),
        blocks=params_from(raw["blocks"]),
        word=re.compile(raw["word"]),
        dup_min_tokens=int(raw["duplicate_min_tokens"]),
        dup_containment=float(raw["duplicate_containment"]),
        dup_max_chars=int(raw["duplicate_max_chars"]),
    )


def split_lines(raw: str) -> list[Line]:
    """Split raw text into stripped, non-empty lines with their raw offsets."""
    lines = []
    for match in re.finditer(r"[^\r\n]+", raw):
        text = match.group()
        stripped = text.strip()
        if stripped:
            lines.append(Line(match.start() + (len(text) - len(text.lstrip())), stripped))
    return lines


def _is(pattern: re.Pattern[str], line: Line, rules: _Rules) -> bool:
    """Whether a short line is wholly matched by a furniture pattern (long lines never are)."""
    return len(line.text) <= rules.furniture_max and pattern.fullmatch(line.text) is not None


def drop_interface(lines: list[Line], rules: _Rules) -> list[Line]:
    """Drop navigation and interface lines (menus, buttons, labels)."""
    return [ln for ln in lines if not _is(rules.interface, ln, rules)]


def drop_media(lines: list[Line], rules: _Rules) -> list[Line]:
    """Drop media placeholders ("• 16x9 Image", "[Video]")."""
    return [ln for ln in lines if not _is(rules.media, ln, rules)]


def drop_prompts(lines: list[Line], rules: _Rules) -> list[Line]:
    """Drop share, subscribe and follow prompts."""
    return [ln for ln in lines if not _is(rules.prompts, ln, rules)]


def drop_repeated(lines: list[Line], rules: _Rules) -> list[Line]:
    """Drop every copy of short lines that occur more than once (photo captions, teasers)."""
    counts = Counter(ln.text for ln in lines if len(ln.text) <= rules.repeated_max)
    return [ln for ln in lines if counts.get(ln.text, 0) < 2]


def drop_near_duplicates(lines: list[Line], rules: _Rules) -> list[Line]:
    """Drop later copies of longer lines whose word 4-grams mostly occurred already."""
    seen: set[int] = set()
    kept: list[Line] = []
    for line in lines:
        tokens = rules.word.findall(line.text[: rules.dup_max_chars])
        if len(tokens) < rules.dup_min_tokens:
            kept.append(line)
            continue
        grams = {hash(tuple(tokens[i : i + 4])) for i in range(len(tokens) - 3)}
        if len(grams & seen) >= rules.dup_containment * len(grams):
            continue
        seen |= grams
        kept.append(line)
    return kept


def drop_footer(lines: list[Line], rules: _Rules) -> list[Line]:
    """Cut the promotional or legal footer: from its first line in the text's last part on."""
    first = int(len(lines) * (1 - rules.footer_zone))
    for i in range(max(first, 1), len(lines)):
        if _is(rules.footer, lines[i], rules):
            return lines[:i]
    return lines


def cut_comments(lines: list[Line], rules: _Rules) -> list[Line]:
    """Cut the reader comments: from the first comment header after the block's first line on."""
    for i in range(1, len(lines)):
        if len(lines[i].text) <= 160 and rules.comments.fullmatch(lines[i].text):
            return lines[:i]
    return lines


Step = Callable[[list[Line], _Rules], list[Line]]
STEPS: tuple[Step, ...] = (
    drop_interface,
    drop_media,
    drop_prompts,
    drop_repeated,
    drop_near_duplicates,
)
# Steps run on the main block only, once it is found.
BLOCK_STEPS: tuple[Step, ...] = (drop_footer, cut_comments)


def _take_credits(lines: list[Line], rules: _Rules) -> tuple[list[Line], list[str]]:
    """Move credit lines out of the body; a credit line in the last part ends the body."""
    body: list[Line] = []
    credits: list[str] = []
    for i, line in enumerate(lines):
        if len(line.text) <= 300 and rules.credits.fullmatch(line.text):
            credits.append(line.text)
            if i >= len(lines) * (1 - rules.credit_zone):
                break
            continue
        body.append(line)
    return body, credits


def _headline_like(text: str, rules: _Rules) -> bool:
    return (
        len(text) <= rules.headline_max
        and len(text.split()) >= 3
        and not text.endswith((".", ":", ",", ";"))
        and text[:1].isupper()
        and rules.not_headline.search(text) is None
    )


def _take_headline(
    before: list[Line], lines: list[Line], rules: _Rules
) -> tuple[list[Line], str | None]:
    """Find the headline: the longest headline-like line just before the main block.

    Lines inside the block are never taken: a body line without a final period stays body.
    """
    window = before[-rules.headline_before :]
    candidates = [ln.text for ln in window if _headline_like(ln.text, rules)]
    return lines, max(candidates, key=len) if candidates else None


def after_gaps(before: list[Line], after: list[Line]) -> set[int]:
    """Return the raw starts of the lines of ``after`` that follow a line dropped from ``before``.

    ``after`` must be a subsequence of ``before`` (what a filtering step kept).
    """
    marks: set[int] = set()
    j = 0
    gap = False
    for line in before:
        if j < len(after) and after[j].raw_start == line.raw_start:
            if gap:
                marks.add(line.raw_start)
            gap = False
            j += 1
        else:
            gap = True
    if gap:
        marks.add(-1)  # furniture after the last kept line
    return marks


def select_block(
    lines: list[Line], rules: _Rules, furniture_before: set[int] | None = None
) -> tuple[list[Line], list[Line]]:
    """Split off the main content block: return the lines before it and the block itself.

    ``furniture_before`` holds the raw starts of lines that follow removed page furniture: the
    block's end is extended up to the next of them.
    """
    marks = None
    if furniture_before is not None:
        marks = [ln.raw_start in furniture_before or _is(rules.footer, ln, rules) for ln in lines]
    start, end = main_block([ln.text for ln in lines], rules.blocks, marks)
    return lines[:start], lines[start:end]


def clean_text(raw: str) -> Cleaned:
    """Clean scraped page text: return the article body, headline, credits and offset map."""
    rules = _rules()
    all_lines = split_lines(raw)
    lines = all_lines
    for step in STEPS:
        lines = step(lines, rules)
    furniture_before = after_gaps(all_lines, lines)
    lines, credits = _take_credits(lines, rules)
    before, lines = select_block(lines, rules, furniture_before)
    for step in BLOCK_STEPS:
        lines = step(lines, rules)
    lines, title = _take_headline(before, lines, rules)
    return _assemble(lines, title, credits, rules)


def take_credits(body: str) -> Cleaned:
    """For an article body already extracted from its page: move credit lines to ``credits``."""
    rules = _rules()
    lines, credits = _take_credits(split_lines(body), rules)
    return _assemble(lines, None, credits, rules)


def keep_text(raw: str) -> Cleaned:
    """Return the text exactly as given (``--no-clean``): offsets are the raw offsets."""
    return Cleaned(raw, None, (), (), OffsetMap((0,), (0,)))


def _assemble(lines: list[Line], title: str | None, credits: list[str], rules: _Rules) -> Cleaned:
    parts: list[str] = []
    clean_starts: list[int] = []
    raw_starts: list[int] = []
    position = 0
    for line in lines:
        if parts:
            parts.append("\n\n")
            position += 2
        clean_starts.append(position)
        raw_starts.append(line.raw_start)
        parts.append(line.text)
        position += len(line.text)
    agencies = []
    for line in lines[:3]:
        match = rules.dateline_agency.match(line.text)
        if match:
            agencies.append(match.group(1))
    return Cleaned(
        text="".join(parts),
        title=title,
        credits=tuple(credits),
        agencies=tuple(agencies),
        offsets=OffsetMap(tuple(clean_starts), tuple(raw_starts)),
    )
