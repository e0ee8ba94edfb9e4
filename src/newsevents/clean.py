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

from .clean_blocks import (
    FEATURES,
    BlockParams,
    content_words,
    line_features,
    line_logits,
    line_score,
    main_block,
    params_from,
)
from .resources import has_data, read_toml


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
    lead_min_words: int
    lead_title_words: int
    lead_lookback: int
    anchor_min_words: int
    anchor_title_share: float
    lines: _LineModel


@dataclass(frozen=True, slots=True)
class _LineModel:
    """The line classifier (``[lines]`` of ``clean.toml``, weights in ``clean_lines.toml``)."""

    enabled: bool
    boiler: frozenset[str]
    weights: tuple[float, ...]
    block_weight: float
    drop_below: float
    drop_max_chars: int
    edge_below: float


def _line_model(table: dict[str, object]) -> _LineModel:
    weights: tuple[float, ...] = ()
    if has_data("clean_lines.toml"):
        learned = read_toml("clean_lines.toml")
        if tuple(learned["features"]) == FEATURES:
            weights = tuple(float(w) for w in learned["weights"])
    words = table["boilerplate_words"]
    assert isinstance(words, list)
    return _LineModel(
        enabled=bool(table["enabled"]) and bool(weights),
        boiler=frozenset(str(w).lower() for w in words),
        weights=weights,
        block_weight=float(str(table["block_weight"])),
        drop_below=float(str(table["drop_below"])),
        drop_max_chars=int(str(table["drop_max_chars"])),
        edge_below=float(str(table["edge_below"])),
    )


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
        lead_min_words=int(raw["lead_min_words"]),
        lead_title_words=int(raw["lead_title_words"]),
        lead_lookback=int(raw["lead_lookback"]),
        anchor_min_words=int(raw["anchor_min_words"]),
        anchor_title_share=float(raw["anchor_title_share"]),
        lines=_line_model(raw["lines"]),
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


def _lead_like(text: str, title_words: set[str], rules: _Rules) -> bool:
    """Whether a line reads as a lead sentence: it ends like one, has words from the title."""
    return (
        len(rules.word.findall(text)) >= rules.lead_min_words
        and rules.blocks.sentence_end.search(text[-8:]) is not None
        and len(content_words(text) & title_words) >= rules.lead_title_words
    )


def drop_repeated(lines: list[Line], rules: _Rules) -> list[Line]:
    """Drop every copy of short lines that occur more than once (photo captions, teasers).

    A repeated line that reads as a lead sentence (see :func:`_lead_like`: the page shows its
    standfirst twice, as summary and as first paragraph) keeps its last copy.
    """
    counts = Counter(ln.text for ln in lines if len(ln.text) <= rules.repeated_max)
    title_words = content_words(lines[0].text) if lines else set()
    last = {ln.text: i for i, ln in enumerate(lines)}
    return [
        ln
        for i, ln in enumerate(lines)
        if counts.get(ln.text, 0) < 2
        or (
            ln.text != lines[0].text
            and last[ln.text] == i
            and _lead_like(ln.text, title_words, rules)
        )
    ]


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


def _words(text: str, rules: _Rules) -> str:
    return " " + " ".join(rules.word.findall(text.lower())) + " "


def headline_anchors(all_lines: list[Line], rules: _Rules) -> list[int]:
    """Return the raw starts of the lines that repeat the page's headline.

    The first line of scraped page text is its ``<title>`` ("Headline | Site"); a later line
    of ``anchor_min_words`` words or more whose words are a run of the title's words, and
    at least ``anchor_title_share`` of them, is the headline over the article.
    """
    if not all_lines:
        return []
    title = _words(all_lines[0].text, rules)
    n_title = len(title.split())
    # a run of the title's words is never much longer than the title (a cheap test first)
    longest = min(rules.headline_max, 2 * len(all_lines[0].text) + 20)
    found = []
    for line in all_lines[1:]:
        if len(line.text) > longest:
            continue
        words = _words(line.text, rules)
        n = len(words.split())
        enough = n >= rules.anchor_min_words and n >= rules.anchor_title_share * n_title
        if enough and words in title:
            found.append(line.raw_start)
    return found


def page_logits(lines: list[Line], title: str, rules: _Rules) -> list[float] | None:
    """Return the line classifier's log-odds (article text) per line, None when it is off."""
    model = rules.lines
    if not model.enabled:
        return None
    rows = line_features([ln.text for ln in lines], title, model.boiler, rules.blocks)
    return line_logits(rows, model.weights)


def select_block(
    lines: list[Line],
    rules: _Rules,
    furniture_before: set[int] | None = None,
    logits: list[float] | None = None,
    anchors: Sequence[int] = (),
) -> tuple[list[Line], list[Line], list[float] | None]:
    """Split off the main content block: return the lines before it, the block and its logits.

    ``furniture_before`` holds the raw starts of lines that follow removed page furniture: the
    block's end is extended up to the next of them. ``logits`` (the line classifier's) are
    added to the block scores, scaled by ``block_weight``. ``anchors`` are the raw starts of
    the headline's repeats (see :func:`headline_anchors`).
    """
    marks = None
    if furniture_before is not None:
        marks = [ln.raw_start in furniture_before or _is(rules.footer, ln, rules) for ln in lines]
    texts = [ln.text for ln in lines]
    scores = None
    if logits is not None:
        weight = rules.lines.block_weight
        scores = [
            line_score(t, rules.blocks) + weight * g for t, g in zip(texts, logits, strict=True)
        ]
    raw_starts = [ln.raw_start for ln in lines]
    positions = sorted({bisect.bisect_right(raw_starts, a) for a in anchors})
    starts = [p for p in positions if p < len(lines)]
    start, end = main_block(texts, rules.blocks, marks, scores, starts)
    kept = logits[start:end] if logits is not None else None
    return lines[:start], lines[start:end], kept


def keep_lead(
    before: list[Line],
    block: list[Line],
    logits: list[float] | None,
    title: str,
    rules: _Rules,
) -> tuple[list[Line], list[Line], list[float] | None]:
    """Move the lead just before the block into it: a sentence sharing words with the title.

    The block step can start the article after its standfirst when short lines (a byline, a
    date, a reading time) separate the two. Walking back from the block over such lines (block
    score below zero, at most ``lead_lookback`` of them), the first sentence line met is the
    article's lead if it is lead-like (:func:`_lead_like`), and joins the block; the lines
    between stay out. Any other sentence line ends the search.
    """
    title_words = content_words(title)
    for back in range(1, min(rules.lead_lookback + 1, len(before)) + 1):
        line = before[-back]
        if line.text != title and _lead_like(line.text, title_words, rules):
            if logits is not None:
                logits = [float("inf"), *logits]
            return before[:-back] + before[len(before) - back + 1 :], [line, *block], logits
        if line_score(line.text, rules.blocks) > 0:
            break
    return before, block, logits


def drop_unlikely(lines: list[Line], logits: list[float] | None, rules: _Rules) -> list[Line]:
    """Trim the block's edges, then drop short lines, that the classifier finds unlikely.

    From each end of the block, lines with log-odds below ``edge_below`` go (an author's note,
    a disclosure, a teaser at the article's edge); inside, lines of up to ``drop_max_chars``
    characters with log-odds below ``drop_below`` (calls to action, cross-links).
    """
    if logits is None:
        return lines
    model = rules.lines
    start, end = 0, len(lines)
    while end > start and logits[end - 1] < model.edge_below:
        end -= 1
    while start < end and logits[start] < model.edge_below:
        start += 1
    return [
        ln
        for ln, g in zip(lines[start:end], logits[start:end], strict=True)
        if g >= model.drop_below or len(ln.text) > model.drop_max_chars
    ]


def candidate_lines(raw: str) -> tuple[list[Line], list[Line], set[int], list[str], str]:
    """Run the line steps: return all lines, those kept, furniture marks, credits and title line."""
    rules = _rules()
    all_lines = split_lines(raw)
    lines = all_lines
    for step in STEPS:
        lines = step(lines, rules)
    furniture_before = after_gaps(all_lines, lines)
    lines, credits = _take_credits(lines, rules)
    title = all_lines[0].text if all_lines else ""
    return all_lines, lines, furniture_before, credits, title


def clean_text(raw: str) -> Cleaned:
    """Clean scraped page text: return the article body, headline, credits and offset map."""
    rules = _rules()
    all_lines, lines, furniture_before, credits, title_line = candidate_lines(raw)
    logits = page_logits(lines, title_line, rules)
    anchors = headline_anchors(all_lines, rules)
    before, lines, block_logits = select_block(lines, rules, furniture_before, logits, anchors)
    before, lines, block_logits = keep_lead(before, lines, block_logits, title_line, rules)
    lines = drop_unlikely(lines, block_logits, rules)
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
