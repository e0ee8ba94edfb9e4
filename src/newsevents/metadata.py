"""Article metadata found in the text itself: the publication date written near the top."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import cache

from .config import data_path


@cache
def _patterns() -> tuple[int, dict[str, int], list[re.Pattern[str]]]:
    raw = tomllib.loads(data_path("metadata.toml").read_text(encoding="utf-8"))
    months = {name: i + 1 for i, name in enumerate(raw["months"])}
    for abbr in raw["month_abbreviations"]:
        months[abbr] = next(v for k, v in months.items() if k.startswith(abbr[:3]))
    names = "|".join(sorted(months, key=len, reverse=True))
    patterns = [
        re.compile(
            rf"\b(?P<m>{names})\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<y>(?:19|20)\d\d)\b", re.I
        ),
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?P<m>{names})\.?,? (?P<y>(?:19|20)\d\d)\b", re.I
        ),
        re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mn>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    ]
    return int(raw["date_search_chars"]), months, patterns


def date_in_text(text: str) -> date | None:
    """Return the first full date written near the top of the text (dateline, "Published …")."""
    window, months, patterns = _patterns()
    head = text[:window]
    found: list[tuple[int, date]] = []
    for pattern in patterns:
        for match in pattern.finditer(head):
            groups = match.groupdict()
            month = int(groups["mn"]) if groups.get("mn") else months[groups["m"].lower()]
            try:
                found.append((match.start(), date(int(groups["y"]), month, int(groups["d"]))))
            except ValueError:
                continue
            break
    return min(found)[1] if found else None
