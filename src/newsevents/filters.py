"""Query filters, each declared once: its parser and its help, for the command line and the web.

Every value arrives as an optional string (a query parameter, a command-line option). A parser
returns it validated and typed, or raises ``QueryError`` with a message a person can act on: the
web app answers it with a 400, the command line with a usage error. ``store_queries`` turns the
resulting ``Filters`` into SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, fields
from datetime import date
from functools import partial
from typing import Any

from .errors import QueryError
from .ontology import PLOVER_TYPES, QUAD_NAMES, cameo_table, country_codes

MAX_TEXT = 200
ID_RE = re.compile(r"[0-9a-f]{8,64}")
CODE_RE = re.compile(r"[A-Z0-9]{2,24}")
DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Filters:
    """Validated filters; each query applies those that concern its table."""

    q: str | None = None
    speaker: str | None = None
    speaker_name: str | None = None
    actor: str | None = None
    source: str | None = None
    target: str | None = None
    country: str | None = None
    cameo: str | None = None
    plover: str | None = None
    quad: int | None = None
    since: date | None = None
    until: date | None = None
    domain: str | None = None
    article: str | None = None
    min_confidence: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the filters that are set, by name (dates as ISO strings)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = value.isoformat() if isinstance(value, date) else value
        return out


def text(name: str, value: str | None, max_len: int = MAX_TEXT) -> str | None:
    """Return a stripped free-text value or None; refuse control characters and long text."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > max_len:
        raise QueryError(f"{name} is too long ({len(value)} characters; at most {max_len})")
    if any(ord(c) < 32 for c in value):
        raise QueryError(f"{name} contains control characters")
    return value


def code(name: str, value: str | None) -> str | None:
    """Return an actor code prefix (letters and digits, upper-cased) or None."""
    value = text(name, value, 24)
    if value is None:
        return None
    value = value.upper()
    if not CODE_RE.fullmatch(value):
        raise QueryError(
            f"{name} {value!r} is not an actor code; use letters and digits, e.g. RUSGOV or USA"
        )
    return value


def _known(
    name: str, value: str | None, max_len: int, known: Collection[str], what: str, hint: str
) -> str | None:
    value = text(name, value, max_len)
    if value is None:
        return None
    if value not in known and value.upper() not in known:
        raise QueryError(f"unknown {what} {value!r}; {hint}")
    return value if value in known else value.upper()


def parse_country(value: str | None) -> str | None:
    """Return a known ISO alpha-3 country code (upper-cased) or None."""
    hint = "use ISO 3166 alpha-3, e.g. RUS or UKR"
    return _known("country", value, 8, country_codes(), "country code", hint)


def parse_cameo(value: str | None) -> str | None:
    """Return a known CAMEO code or root (e.g. 19, 112) or None."""
    hint = "use a root such as 19 or a code like 112"
    return _known("cameo", value, 8, cameo_table(), "CAMEO code", hint)


def parse_plover(value: str | None) -> str | None:
    """Return a PLOVER event type (upper-cased) or None."""
    hint = f"use one of {', '.join(PLOVER_TYPES)}"
    return _known("plover", value, 16, PLOVER_TYPES, "PLOVER type", hint)


def parse_quad(value: str | None) -> int | None:
    """Return a CAMEO quad class 1..4 or None."""
    value = text("quad", value, 4)
    if value is None:
        return None
    if value not in {str(n) for n in QUAD_NAMES}:
        raise QueryError(f"quad {value!r} must be 1, 2, 3 or 4 ({', '.join(QUAD_NAMES.values())})")
    return int(value)


def confidence(value: str | None) -> float | None:
    """Return a minimum confidence between 0 and 1, or None."""
    value = text("min_confidence", value, 8)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise QueryError(f"min_confidence {value!r} must be a number from 0 to 1 (e.g. 0.5)")
    return number


def day(name: str, value: str | None) -> date | None:
    """Return a YYYY-MM-DD date or None."""
    value = text(name, value, 10)
    if value is None:
        return None
    try:
        if not DAY_RE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name} {value!r} is not a date; use YYYY-MM-DD") from None


def article_id(value: str | None) -> str | None:
    """Return an article id (lower-case hex) or None."""
    value = text("article", value, 64)
    if value is None:
        return None
    if not ID_RE.fullmatch(value):
        raise QueryError(f"article {value!r} is not an article id (hexadecimal)")
    return value


@dataclass(frozen=True, slots=True)
class Filter:
    """How one filter's value is read from a string, and what it means."""

    parse: Callable[[str | None], Any]
    help: str


# Every filter a person can set, in the order they are shown. ``speaker_name`` (a speaker's
# exact name) is set by code only, never from a parameter.
FILTERS: dict[str, Filter] = {
    "q": Filter(partial(text, "q"), "Text to search for (case-insensitive)."),
    "speaker": Filter(partial(text, "speaker"), "Speaker name (substring, case-insensitive)."),
    "actor": Filter(partial(code, "actor"), "Actor code prefix, source or target (RUSGOV, USA)."),
    "source": Filter(partial(code, "source"), "Source actor code prefix."),
    "target": Filter(partial(code, "target"), "Target actor code prefix."),
    "country": Filter(parse_country, "ISO alpha-3 country of source/target/place."),
    "cameo": Filter(parse_cameo, "CAMEO code or root (19, 112)."),
    "plover": Filter(parse_plover, "PLOVER event type (ASSAULT)."),
    "quad": Filter(parse_quad, "Quad class: 1..4."),
    "since": Filter(partial(day, "since"), "Earliest date, YYYY-MM-DD."),
    "until": Filter(partial(day, "until"), "Latest date, YYYY-MM-DD."),
    "domain": Filter(partial(text, "domain"), "Outlet: source domain (exact, any case)."),
    "article": Filter(article_id, "Article id."),
    "min_confidence": Filter(
        confidence,
        "Least confidence, 0 to 1 (e.g. 0.5); statements found by rules alone have none.",
    ),
}


def parse(raw: Mapping[str, str | None]) -> Filters:
    """Return validated filters from strings by name; ``since`` may not come after ``until``."""
    filters = Filters(**{name: FILTERS[name].parse(value) for name, value in raw.items()})
    if filters.since and filters.until and filters.since > filters.until:
        raise QueryError(f"since ({filters.since}) is after until ({filters.until})")
    return filters


def event_code(value: str | None) -> dict[str, str | None]:
    """Name the filter an event code sets: digits are a CAMEO code or root, else a PLOVER type."""
    if value is None or not value.strip():
        return {}
    return {"cameo": value} if value.strip().isdigit() else {"plover": value}
