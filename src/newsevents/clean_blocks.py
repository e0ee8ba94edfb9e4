"""Content-block selection for the plain-text cleaner, in the spirit of jusText and boilerpipe.

Every line gets a score from language-neutral features: its length (CJK characters weigh
more, as one carries about a word), whether it ends like a sentence, and whether it is mostly
digits and punctuation. Long sentence lines score positive, short lines (menus, labels, link
lists) negative. The article is the contiguous run of lines with the highest total score
(found in one linear pass): short lines inside it (section headings) stay, short-line runs at
its edges and the blocks beyond them go. All thresholds come from ``data/clean.toml``.
"""

from __future__ import annotations

import math
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
    extend: bool
    extend_gap: int
    list_item: re.Pattern[str]
    data_digits: int
    trim_ratio: float
    trim_min_gain: float
    trim_keep: float
    anchor_window: int
    anchor_ratio: float


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
        extend=bool(table["extend"]),
        extend_gap=int(str(table["extend_gap"])),
        list_item=re.compile(str(table["list_item"])),
        data_digits=int(str(table["data_digits"])),
        trim_ratio=float(str(table["trim_ratio"])),
        trim_min_gain=float(str(table["trim_min_gain"])),
        trim_keep=float(str(table["trim_keep"])),
        anchor_window=int(str(table["anchor_window"])),
        anchor_ratio=float(str(table["anchor_ratio"])),
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


_DIGITS = re.compile(r"\d+")


def _lead_digit(text: str) -> bool:
    """Whether one of the line's first two tokens holds a digit ("3 cups", "June 9 --")."""
    return any(c.isdigit() for c in "".join(text[:60].split()[:2]))


def body_like(texts: Sequence[str], scores: Sequence[float], params: BlockParams) -> list[bool]:
    """Mark the lines that may continue an article past its scored end.

    A line is body-like if it scores positive, starts like a list item (``list_item``: a
    number, bullet or bare URL), holds ``data_digits`` numbers or more (a table row, a score),
    or starts with a number as a neighbouring line also does (a run of dated or counted rows).
    """
    lead = [_lead_digit(t) for t in texts]
    out = []
    for i, text in enumerate(texts):
        head = text[:200]
        out.append(
            scores[i] > 0
            or params.list_item.match(head) is not None
            or len(_DIGITS.findall(head)) >= params.data_digits
            or (lead[i] and ((i > 0 and lead[i - 1]) or (i + 1 < len(lead) and lead[i + 1])))
        )
    return out


def extend_end(
    texts: Sequence[str],
    scores: Sequence[float],
    end: int,
    boundaries: Sequence[bool],
    params: BlockParams,
) -> int:
    """Extend the block's end over the body-like lines that follow it (lists, tables).

    The block score cuts short lines at the article's end (a list, a table of results, a run
    of dates) as readily as a menu. Here the block goes on over body-like lines (see
    :func:`body_like`), with at most ``extend_gap`` other lines (a heading) in a row between
    them, and stops before the next line that follows removed page furniture or matches a
    footer (``boundaries[i]``). Other lines at the new end are not taken.
    """
    if not params.extend:
        return end
    window = len(texts)
    for i in range(end, len(texts)):
        if boundaries[i]:
            window = i
            break
    like = body_like(
        texts[max(0, end - 1) : window + 1], scores[max(0, end - 1) : window + 1], params
    )
    offset = max(0, end - 1)
    new_end = end
    gap = 0
    for i in range(end, window):
        if like[i - offset]:
            new_end = i + 1
            gap = 0
        else:
            gap += 1
            if gap > params.extend_gap:
                break
    return new_end


def trim_tail(scores: Sequence[float], start: int, end: int, params: BlockParams) -> int:
    """Return the block's end with a trailing teaser list cut off (``end`` if there is none).

    Teasers after an article (related stories, more from the section: headline, date and
    summary, again and again) hold short lines far more often than the body does, so their
    summaries carry the block on. The cut is the start of the block's suffix with the largest
    excess of short (negative) lines over ``trim_ratio`` per line; it is made if that excess
    reaches ``trim_min_gain`` and at least ``trim_keep`` of the block stays before it.
    """
    floor = start + max(1, int((end - start) * params.trim_keep))
    best, best_at, total = 0.0, end, 0.0
    for i in range(end - 1, floor - 1, -1):
        total += (1.0 if scores[i] < 0 else 0.0) - params.trim_ratio
        if total > best and scores[i] < 0:
            best, best_at = total, i
    return best_at if best >= params.trim_min_gain else end


def anchored_run(
    scores: Sequence[float], anchors: Sequence[int], params: BlockParams
) -> tuple[int, int]:
    """Return the best run of (escalated) ``scores``, preferring one that follows a headline.

    ``anchors`` are the indices of the first lines after a repeat of the page's headline.
    The best run of the lines from an anchor on that starts within ``anchor_window`` lines
    of it wins over the page's best run when its total reaches ``anchor_ratio`` of that
    run's: an article starts under its headline, teaser lists and menus elsewhere do not.
    """
    start, end = best_run(scores)
    best = sum(scores[start:end])
    chosen, chosen_total = (start, end), -1.0
    for anchor in anchors:
        s, e = best_run(scores[anchor:])
        total = sum(scores[anchor + s : anchor + e])
        if e > s and s <= params.anchor_window and total > chosen_total:
            chosen, chosen_total = (anchor + s, anchor + e), total
    if chosen_total >= params.anchor_ratio * best:
        return chosen
    return start, end


def main_block(
    texts: Sequence[str],
    params: BlockParams,
    boundaries: Sequence[bool] | None = None,
    scores: Sequence[float] | None = None,
    anchors: Sequence[int] = (),
) -> tuple[int, int]:
    """Return the [start, end) line range of the article's main block (all lines if none).

    ``boundaries[i]`` says page furniture was removed just before line ``i`` (see
    :func:`extend_end`); without it, the block is not extended. ``scores`` replace the
    lines' :func:`line_score` (the cleaner adds the line classifier's log-odds to them).
    ``anchors`` (lines just after the headline) are preferred starts (:func:`anchored_run`).
    """
    if not params.enabled or not texts:
        return 0, len(texts)
    raw = list(scores) if scores is not None else [line_score(t, params) for t in texts]
    start, end = anchored_run(_escalate(raw, params), anchors, params)
    if end <= start:
        return 0, len(texts)
    # bridge single short lines (headings) to sentence lines that close the article
    while end + 1 < len(raw) and raw[end] < 0 < raw[end + 1]:
        end += 2
        while end < len(raw) and raw[end] > 0:
            end += 1
    trimmed = trim_tail(raw, start, end, params)
    if trimmed < end:
        return start, trimmed
    if boundaries is not None:
        end = extend_end(texts, raw, end, boundaries, params)
    return start, end


# --- line classifier: language-light features of a line in its page, weights learned -------

FEATURES: tuple[str, ...] = (
    "bias",
    "log_chars",
    "log_words",
    "sentence_end",
    "punct_ratio",
    "digit_ratio",
    "capital_ratio",
    "link_tokens",
    "position",
    "title_share",
    "boiler_share",
    "repeated",
    "glued_words",
    "sentences",
    "question_or_exclaim",
    "block_score",
    "neighbour_score",
    "neighbour_chars",
)

_WORDS = re.compile(r"[^\W\d_]+")
_LINKISH = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk|ru)\b|@\w|#\w|_url\b", re.I)
_GLUED = re.compile(r"[a-z\u00e0-\u00ff][.!?]?[A-Z][a-z]")
_SENTENCE_BREAK = re.compile(r"[.!?…。！？][\"”’»)]*\s+[\"“«(]?[A-Z0-9\u00c0-\u00de]")


def content_words(text: str) -> set[str]:
    """Return the line's lower-cased words of four letters or more (a crude content-word set)."""
    return {w.lower() for w in _WORDS.findall(text[:2000]) if len(w) >= 4}


def line_features(
    texts: Sequence[str], title: str, boiler: frozenset[str], params: BlockParams
) -> list[list[float]]:
    """Return one feature vector (in :data:`FEATURES` order) per line of a page.

    ``title`` is the page's title line (its first line, where a scraper writes ``<title>``);
    ``boiler`` a generic list of words of page furniture (share, subscribe, cookies, …).
    Nothing here names a site: every feature is a property of the line or its neighbours.
    """
    n = len(texts)
    title_words = content_words(title)
    counts: dict[str, int] = {}
    for t in texts:
        counts[t] = counts.get(t, 0) + 1
    raw = [max(-1.0, min(2.0, line_score(t, params) / 100.0)) for t in texts]
    lengths = [math.log1p(len(t)) for t in texts]
    rows = []
    for i, text in enumerate(texts):
        head = text[:2000]
        chars = max(1, len(head))
        words = _WORDS.findall(head)
        lowered = [w.lower() for w in words]
        n_words = max(1, len(words))
        punct = sum(1 for c in head if not c.isalnum() and not c.isspace())
        digits = sum(1 for c in head if c.isdigit())
        capital = sum(1 for w in words if w[:1].isupper())
        cwords = {w for w in lowered if len(w) >= 4}
        share = len(cwords & title_words) / len(cwords) if cwords and i > 0 else 0.0
        near = [j for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < n]
        rows.append(
            [
                1.0,
                math.log1p(len(text)) / 5.0,
                math.log1p(len(words)) / 4.0,
                1.0 if params.sentence_end.search(text[-8:]) else 0.0,
                punct / chars,
                digits / chars,
                capital / n_words,
                min(3, len(_LINKISH.findall(head))) / 3.0,
                i / max(1, n - 1),
                share,
                sum(1 for w in lowered if w in boiler) / n_words,
                1.0 if counts[text] > 1 else 0.0,
                min(3, len(_GLUED.findall(head))) / 3.0,
                min(5, len(_SENTENCE_BREAK.findall(head))) / 5.0,
                1.0 if text.rstrip('"”’»)').endswith(("?", "!")) else 0.0,
                raw[i],
                sum(raw[j] for j in near) / len(near) if near else 0.0,
                sum(lengths[j] for j in near) / (5.0 * len(near)) if near else 0.0,
            ]
        )
    return rows


def line_logits(rows: Sequence[Sequence[float]], weights: Sequence[float]) -> list[float]:
    """Return the classifier's log-odds that each line is article text."""
    return [sum(w * x for w, x in zip(weights, row, strict=True)) for row in rows]
