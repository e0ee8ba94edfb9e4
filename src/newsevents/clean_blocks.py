"""Content-block selection for the plain-text cleaner, in the spirit of jusText and boilerpipe.

Every line gets a score from language-neutral features: its length (CJK characters weigh
more, as one carries about a word), whether it ends like a sentence, and whether it is mostly
digits and punctuation. Long sentence lines score positive, short lines (menus, labels, link
lists) negative. The article is the contiguous run of lines with the highest total score
(found in one linear pass): short lines inside it (section headings) stay, short-line runs at
its edges and the blocks beyond them go. All thresholds come from ``data/clean.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class BlockParams:
    """Thresholds of the block step (the ``[blocks]`` table of ``clean.toml``)."""

    enabled: bool
    base: float
    no_sentence_factor: float
    wide_char_weight: float
    sentence_end: re.Pattern[str]
    wide_chars: re.Pattern[str]
    word: re.Pattern[str]
    min_words_sentence: int
    sentence_floor: float
    symbol_ratio: float
    max_weight: float
    sentence_base: float
    run_first: float
    run_growth: float
    run_cap: int


def params_from(table: dict[str, object]) -> BlockParams:
    """Build the block parameters from the ``[blocks]`` table of ``clean.toml``."""
    return BlockParams(
        enabled=bool(table["enabled"]),
        base=float(str(table["base"])),
        no_sentence_factor=float(str(table["no_sentence_factor"])),
        wide_char_weight=float(str(table["wide_char_weight"])),
        sentence_end=re.compile(str(table["sentence_end"])),
        wide_chars=re.compile(str(table["wide_chars"])),
        word=re.compile(str(table["word"])),
        min_words_sentence=int(str(table["min_words_sentence"])),
        sentence_floor=float(str(table["sentence_floor"])),
        symbol_ratio=float(str(table["symbol_ratio"])),
        max_weight=float(str(table["max_weight"])),
        sentence_base=float(str(table["sentence_base"])),
        run_first=float(str(table["run_first"])),
        run_growth=float(str(table["run_growth"])),
        run_cap=int(str(table["run_cap"])),
    )


def line_score(text: str, params: BlockParams) -> float:
    """Score one line: positive for article-like text, negative for page furniture."""
    head = text[: int(params.max_weight) * 2]
    wide = len(params.wide_chars.findall(head))
    weight = min(len(head) + wide * (params.wide_char_weight - 1), params.max_weight)
    letters = len(_LETTER.findall(head))
    if letters < len(head) * params.symbol_ratio:
        return -params.base  # dates, times, counters, scores: mostly digits and symbols
    sentence = params.sentence_end.search(text[-8:]) is not None
    if not sentence:
        score = weight * params.no_sentence_factor - params.base
    else:
        score = weight - params.sentence_base
    if sentence and len(params.word.findall(head)) >= params.min_words_sentence:
        score = max(score, params.sentence_floor)
    return score


def best_run(scores: Sequence[float]) -> tuple[int, int]:
    """Return the [start, end) of the contiguous run with the highest total score."""
    best, best_start, best_end = 0.0, 0, 0
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = score, i
        else:
            total += score
        if total > best:
            best, best_start, best_end = total, start, i + 1
    return best_start, best_end


def _escalate(scores: list[float], params: BlockParams) -> list[float]:
    """Make each negative line in a run of them cost more than the one before (up to a cap).

    One short line between paragraphs (a heading) costs little; a run of them (a menu, a list
    of links or tags) separates blocks firmly.
    """
    out = []
    run = 0
    for score in scores:
        if score < 0:
            score *= params.run_first + params.run_growth * min(run, params.run_cap)
            run += 1
        else:
            run = 0
        out.append(score)
    return out


def main_block(texts: Sequence[str], params: BlockParams) -> tuple[int, int]:
    """Return the [start, end) line range of the article's main block (all lines if none)."""
    if not params.enabled or not texts:
        return 0, len(texts)
    raw = [line_score(t, params) for t in texts]
    start, end = best_run(_escalate(raw, params))
    if end <= start:
        return 0, len(texts)
    # bridge single short lines (headings) to sentence lines that close the article
    while end + 1 < len(raw) and raw[end] < 0 < raw[end + 1]:
        end += 2
        while end < len(raw) and raw[end] > 0:
            end += 1
    return start, end
