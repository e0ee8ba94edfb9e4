"""Query parameters shared by the API and the HTML pages: parsed, validated, capped.

Every parameter arrives as an optional string, so FastAPI never answers with its own 422; the
checks here raise ``BadRequest`` with a message a person can act on (the app turns it into a 400
in the one error shape). Unknown parameters are refused too, so a typo never silently returns
everything.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Annotated, Any

from fastapi import Query, Request

from ..config import data_path
from ..ontology import PLOVER_TYPES, cameo_table
from ..store_queries import Filters

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000
MAX_TEXT = 200
ID_RE = re.compile(r"[0-9a-f]{8,64}")
CODE_RE = re.compile(r"[A-Z0-9]{2,24}")
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


class BadRequest(Exception):
    """An invalid request parameter; becomes a 400 response."""

    def __init__(self, message: str) -> None:
        """Keep the message shown to the user."""
        super().__init__(message)
        self.message = message


@cache
def countries() -> frozenset[str]:
    """Return the ISO 3166 alpha-3 codes the actor coder knows (plus XKX, Kosovo)."""
    text = data_path("actors", "countries.csv").read_text(encoding="utf-8")
    return frozenset(row["iso3"] for row in csv.DictReader(io.StringIO(text))) | {"XKX"}


def text(name: str, value: str | None, max_len: int = MAX_TEXT) -> str | None:
    """Return a stripped free-text parameter or None; refuse control characters and long text."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > max_len:
        raise BadRequest(f"{name} is too long ({len(value)} characters; at most {max_len})")
    if any(ord(c) < 32 for c in value):
        raise BadRequest(f"{name} contains control characters")
    return value


def code(name: str, value: str | None) -> str | None:
    """Return an actor code prefix (letters and digits, upper-cased) or None."""
    value = text(name, value, 24)
    if value is None:
        return None
    value = value.upper()
    if not CODE_RE.fullmatch(value):
        raise BadRequest(
            f"{name} {value!r} is not an actor code; use letters and digits, e.g. RUSGOV or USA"
        )
    return value


def parse_country(value: str | None) -> str | None:
    """Return a known ISO alpha-3 country code or None."""
    value = text("country", value, 8)
    if value is None:
        return None
    value = value.upper()
    if value not in countries():
        raise BadRequest(f"unknown country code {value!r}; use ISO 3166 alpha-3, e.g. RUS or UKR")
    return value


def parse_cameo(value: str | None) -> str | None:
    """Return a known CAMEO code or root (e.g. 19, 112) or None."""
    value = text("cameo", value, 8)
    if value is None:
        return None
    if value not in cameo_table():
        raise BadRequest(f"unknown CAMEO code {value!r}; use a root such as 19 or a code like 112")
    return value


def parse_plover(value: str | None) -> str | None:
    """Return a PLOVER event type (upper-cased) or None."""
    value = text("plover", value, 16)
    if value is None:
        return None
    if value.upper() not in PLOVER_TYPES:
        raise BadRequest(f"unknown PLOVER type {value!r}; use one of {', '.join(PLOVER_TYPES)}")
    return value.upper()


def parse_quad(value: str | None) -> int | None:
    """Return a CAMEO quad class 1..4 or None."""
    value = text("quad", value, 4)
    if value is None:
        return None
    if value not in {"1", "2", "3", "4"}:
        raise BadRequest(f"quad {value!r} must be 1, 2, 3 or 4 ({', '.join(QUAD_NAMES.values())})")
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
        raise BadRequest(f"min_confidence {value!r} must be a number from 0 to 1 (e.g. 0.5)")
    return number


def day(name: str, value: str | None) -> date | None:
    """Return a YYYY-MM-DD date or None."""
    value = text(name, value, 10)
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name} {value!r} is not a date; use YYYY-MM-DD") from None


def article_id(value: str | None) -> str | None:
    """Return an article id (lower-case hex) or None."""
    value = text("article", value, 64)
    if value is None:
        return None
    if not ID_RE.fullmatch(value):
        raise BadRequest(f"article {value!r} is not an article id (hexadecimal)")
    return value


def _dates(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    first, last = day("since", since), day("until", until)
    if first and last and first > last:
        raise BadRequest(f"since ({first}) is after until ({last})")
    return first, last


Q = Annotated[str | None, Query(description="Text to search for (case-insensitive).")]
SPEAKER = Annotated[str | None, Query(description="Speaker name (substring).")]
ACTOR = Annotated[str | None, Query(description="Actor code prefix, source or target (RUSGOV).")]
SOURCE = Annotated[str | None, Query(description="Source actor code prefix.")]
TARGET = Annotated[str | None, Query(description="Target actor code prefix.")]
COUNTRY = Annotated[str | None, Query(description="ISO alpha-3 country of source/target/place.")]
CAMEO = Annotated[str | None, Query(description="CAMEO code or root (19, 112).")]
PLOVER = Annotated[str | None, Query(description="PLOVER event type (ASSAULT).")]
QUAD = Annotated[str | None, Query(description="Quad class: 1..4.")]
SINCE = Annotated[str | None, Query(description="Earliest date, YYYY-MM-DD.")]
UNTIL = Annotated[str | None, Query(description="Latest date, YYYY-MM-DD.")]
DOMAIN = Annotated[str | None, Query(description="Source domain (exact, case-insensitive).")]
ARTICLE = Annotated[str | None, Query(description="Article id.")]
CONFIDENCE = Annotated[str | None, Query(description="Least confidence, 0 to 1 (e.g. 0.5).")]


def event_filters(
    q: Q = None,
    speaker: SPEAKER = None,
    actor: ACTOR = None,
    source: SOURCE = None,
    target: TARGET = None,
    country: COUNTRY = None,
    cameo: CAMEO = None,
    plover: PLOVER = None,
    quad: QUAD = None,
    since: SINCE = None,
    until: UNTIL = None,
    domain: DOMAIN = None,
    article: ARTICLE = None,
    min_confidence: CONFIDENCE = None,
) -> Filters:
    """Parse the event filters."""
    first, last = _dates(since, until)
    return Filters(
        q=text("q", q),
        speaker=text("speaker", speaker),
        actor=code("actor", actor),
        source=code("source", source),
        target=code("target", target),
        country=parse_country(country),
        cameo=parse_cameo(cameo),
        plover=parse_plover(plover),
        quad=parse_quad(quad),
        since=first,
        until=last,
        domain=text("domain", domain),
        article=article_id(article),
        min_confidence=confidence(min_confidence),
    )


def statement_filters(
    q: Q = None,
    speaker: SPEAKER = None,
    actor: ACTOR = None,
    since: SINCE = None,
    until: UNTIL = None,
    domain: DOMAIN = None,
    article: ARTICLE = None,
    min_confidence: CONFIDENCE = None,
) -> Filters:
    """Parse the statement filters (actor: statements coded as events of that source)."""
    first, last = _dates(since, until)
    return Filters(
        q=text("q", q),
        speaker=text("speaker", speaker),
        actor=code("actor", actor),
        since=first,
        until=last,
        domain=text("domain", domain),
        article=article_id(article),
        min_confidence=confidence(min_confidence),
    )


def article_filters(
    q: Q = None,
    speaker: SPEAKER = None,
    actor: ACTOR = None,
    since: SINCE = None,
    until: UNTIL = None,
    domain: DOMAIN = None,
) -> Filters:
    """Parse the article filters (dates are publication dates)."""
    first, last = _dates(since, until)
    return Filters(
        q=text("q", q),
        speaker=text("speaker", speaker),
        actor=code("actor", actor),
        since=first,
        until=last,
        domain=text("domain", domain),
    )


@dataclass(frozen=True, slots=True)
class Paging:
    """Validated limit, offset and output format."""

    limit: int
    offset: int
    format: str


def _int(name: str, value: str | None, default: int, low: int, high: int) -> int:
    value = text(name, value, 12)
    if value is None:
        return default
    if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
        raise BadRequest(f"{name} {value!r} must be a whole number from {low} to {high}")
    return int(value)


def paging(
    limit: Annotated[str | None, Query(description=f"Rows per page, 1..{MAX_LIMIT}.")] = None,
    offset: Annotated[str | None, Query(description="Rows to skip.")] = None,
    format: Annotated[str | None, Query(description="json (default) or csv.")] = None,
) -> Paging:
    """Parse limit, offset and format."""
    fmt = (text("format", format, 8) or "json").lower()
    if fmt not in {"json", "csv"}:
        raise BadRequest(f"format {fmt!r} must be json or csv")
    return Paging(
        limit=_int("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_int("offset", offset, 0, 0, MAX_OFFSET),
        format=fmt,
    )


def choice(name: str, value: str | None, options: tuple[str, ...]) -> str:
    """Return one of ``options`` (the first when the value is missing)."""
    value = text(name, value, 16)
    if value is None:
        return options[0]
    if value.lower() not in options:
        raise BadRequest(f"{name} {value!r} must be one of {', '.join(options)}")
    return value.lower()


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def reject_unknown(request: Request) -> None:
    """Refuse query parameters the matched route does not declare."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = _query_names(dependant)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise BadRequest(
            f"unknown parameter {unknown[0]!r}; this route takes: {', '.join(sorted(allowed))}"
        )
