"""Resolve temporal expressions ("on Tuesday", "January 15") against a publication date."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from spacy.tokens import Token

from ..config import data_path


@dataclass(frozen=True, slots=True)
class DateRules:
    """Month and weekday names and relative phrases, from ``data/events/rules.toml``."""

    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]


@cache
def rules() -> DateRules:
    """Return the date word lists (loaded once)."""
    raw = tomllib.loads(data_path("events", "rules.toml").read_text(encoding="utf-8"))["dates"]
    months = {m: i + 1 for i, m in enumerate(raw["months"])}
    months.update({m: i + 1 for i, m in enumerate(raw["month_abbrevs"])})
    weekdays = {d: i for i, d in enumerate(raw["weekdays"])}
    return DateRules(months, weekdays, dict(raw["relative"]))


YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d)$")
DAY_RE = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")


def _closest(candidates: Sequence[date], published: date) -> date:
    return min(candidates, key=lambda d: abs((d - published).days))


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_tokens(tokens: Sequence[Token], published: date | None) -> date | None:
    """Resolve the first date expression in a token sequence; None if there is none."""
    r = rules()
    words = [t.lower_.rstrip(".") for t in tokens]
    for i, w in enumerate(words):
        month = r.months.get(w) if tokens[i].text[:1].isupper() else None
        if month is not None:
            day = year = None
            if i + 1 < len(words) and (m := DAY_RE.match(words[i + 1])):
                day = int(m.group(1))
                k = i + 2
                if k < len(words) and words[k] == ",":
                    k += 1
                if k < len(words) and YEAR_RE.match(words[k]):
                    year = int(words[k])
            elif i > 0 and (m := DAY_RE.match(words[i - 1])):
                day = int(m.group(1))
            if day is None:
                continue
            if year is not None:
                return _safe(year, month, day)
            if published is None:
                return None
            cands = [
                d
                for y in (published.year - 1, published.year, published.year + 1)
                if (d := _safe(y, month, day)) is not None
            ]
            return _closest(cands, published) if cands else None
        if published is None:
            continue
        if w in r.weekdays:
            delta = (published.weekday() - r.weekdays[w]) % 7
            future = i > 0 and words[i - 1] in ("next", "coming")
            if future:
                return published + timedelta(days=(r.weekdays[w] - published.weekday()) % 7 or 7)
            return published - timedelta(days=delta)
        for n in (3, 2, 1):
            phrase = " ".join(words[i : i + n])
            if len(words[i : i + n]) == n and phrase in r.relative:
                return published + timedelta(days=r.relative[phrase])
    return None


def years_in(tokens: Sequence[Token]) -> list[int]:
    """Return the four-digit years written in the tokens."""
    return [int(t.text) for t in tokens if YEAR_RE.match(t.text)]
