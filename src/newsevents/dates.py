"""The one date reader: dates in metadata, file names, the top of an article, and its sentences.

Every part of newsevents that reads a date calls this module, and all of them share one
vocabulary (``data/dates.toml``): readers take ISO metadata (``iso_date``), the metadata step a
date in a file name or URL (``date_from_name``) or near the top of the text (``date_in_text``),
and the extractors resolve expressions such as "on Tuesday", "January 15" or "yesterday"
against the publication date (``resolve_words``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

from .resources import read_toml

if TYPE_CHECKING:
    from spacy.tokens import Token

YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d)$")
DAY_RE = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
_DATE_IN_NAME = re.compile(
    r"(?<!\d)(20\d\d|19\d\d)[-_/]?(0[1-9]|1[0-2])[-_/]?(0[1-9]|[12]\d|3[01])(?!\d)"
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Month and weekday names and relative phrases, from ``data/dates.toml``."""

    months: dict[str, int]  # full names and abbreviations, lower case
    weekdays: dict[str, int]  # Monday is 0
    forward: frozenset[str]
    relative: dict[str, int]  # phrase -> days from the publication date
    search_chars: int
    patterns: tuple[re.Pattern[str], ...]  # full dates written in running text


@cache
def vocabulary() -> Vocabulary:
    """Return the date vocabulary (loaded once)."""
    raw = read_toml("dates.toml")
    months = {name: i + 1 for i, name in enumerate(raw["months"])}
    for abbr in raw["month_abbreviations"]:
        months.setdefault(abbr, next(v for k, v in months.items() if k.startswith(abbr[:3])))
    names = "|".join(sorted(months, key=len, reverse=True))
    patterns = (
        re.compile(
            rf"\b(?P<m>{names})\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y>(?:19|20)\d\d)\b", re.I
        ),
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?P<m>{names})\.?,? (?P<y>(?:19|20)\d\d)\b", re.I
        ),
        re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mn>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    )
    return Vocabulary(
        months=months,
        weekdays={d: i for i, d in enumerate(raw["weekdays"])},
        forward=frozenset(raw["forward"]),
        relative=dict(raw["relative"]),
        search_chars=int(raw["date_search_chars"]),
        patterns=patterns,
    )


def calendar_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when the day does not exist (February 30)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def iso_date(value: object) -> date | None:
    """Return the date an ISO 8601 string starts with ("2017-01-17T10:00Z"), else None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_from_name(name: str) -> date | None:
    """Return a date written in a file name or URL (``2017-01-17``, ``20170117``)."""
    match = _DATE_IN_NAME.search(name)
    if not match:
        return None
    return calendar_date(int(match[1]), int(match[2]), int(match[3]))


def date_in_text(text: str) -> date | None:
    """Return the first full date written near the top of the text (dateline, "Published …")."""
    vocab = vocabulary()
    head = text[: vocab.search_chars]
    found: list[tuple[int, date]] = []
    for pattern in vocab.patterns:
        for match in pattern.finditer(head):
            groups = match.groupdict()
            month = int(groups["mn"]) if groups.get("mn") else vocab.months[groups["m"].lower()]
            day = calendar_date(int(groups["y"]), month, int(groups["d"]))
            if day is not None:
                found.append((match.start(), day))
                break
    return min(found)[1] if found else None


def _closest(candidates: Sequence[date], published: date) -> date:
    return min(candidates, key=lambda d: abs((d - published).days))


def resolve_words(
    words: Sequence[str], published: date | None, *, past: bool = False
) -> date | None:
    """Resolve the first date expression in a run of words; None if there is none.

    A month name counts only when capitalised ("May 5", not "may"); a day and month without a
    year, a weekday ("on Tuesday", "next Tuesday") and a relative phrase ("yesterday") are read
    against ``published`` (the nearest such day), and give None without it. With ``past``
    (what was said is reported after it was said) they never resolve after ``published``.
    """
    vocab = vocabulary()
    lower = [w.lower().rstrip(".") for w in words]
    for i, w in enumerate(lower):
        month = vocab.months.get(w) if words[i][:1].isupper() else None
        if month is not None:
            day = year = None
            if i + 1 < len(lower) and (m := DAY_RE.match(lower[i + 1])):
                day = int(m.group(1))
                k = i + 2
                if k < len(lower) and lower[k] == ",":
                    k += 1
                if k < len(lower) and YEAR_RE.match(lower[k]):
                    year = int(lower[k])
            elif i > 0 and (m := DAY_RE.match(lower[i - 1])):
                day = int(m.group(1))
            if day is None:
                continue
            if year is not None:
                return calendar_date(year, month, day)
            if published is None:
                return None
            cands = [
                d
                for y in (published.year - 1, published.year, published.year + 1)
                if (d := calendar_date(y, month, day)) is not None and not (past and d > published)
            ]
            return _closest(cands, published) if cands else None
        if published is None:
            continue
        if w in vocab.weekdays:
            if i > 0 and lower[i - 1] in vocab.forward:
                if past:
                    continue
                ahead = (vocab.weekdays[w] - published.weekday()) % 7 or 7
                return published + timedelta(days=ahead)
            return published - timedelta(days=(published.weekday() - vocab.weekdays[w]) % 7)
        for n in (3, 2, 1):
            phrase = " ".join(lower[i : i + n])
            if len(lower[i : i + n]) == n and phrase in vocab.relative:
                offset = vocab.relative[phrase]
                if not (past and offset > 0):
                    return published + timedelta(days=offset)
    return None


def resolve_tokens(tokens: Sequence[Token], published: date | None) -> date | None:
    """Resolve the first date expression in a sequence of spaCy tokens (see resolve_words)."""
    return resolve_words([t.text for t in tokens], published)


def years_in(words: Sequence[Token] | Sequence[str]) -> list[int]:
    """Return the four-digit years written in the tokens or words."""
    texts = [w if isinstance(w, str) else w.text for w in words]
    return [int(t) for t in texts if YEAR_RE.match(t)]
