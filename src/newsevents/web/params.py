"""Query parameters of the web routes: the filters as FastAPI dependencies, paging, choices.

Every parameter arrives as an optional string, so FastAPI never answers with its own 422; the
parsers (``newsevents.filters``) raise ``QueryError`` with a message a person can act on, which
the app turns into a 400 in the one error shape. Unknown parameters are refused too, so a typo
never silently returns everything.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query, Request

from ..errors import QueryError
from ..filters import FILTERS, Filters, parse, text
from ..store_queries import filter_names

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000


class FilterParams:
    """A FastAPI dependency: the query parameters of the filters of one kind of record."""

    def __init__(self, kind: str) -> None:
        """Take as parameters the filters that apply to ``kind`` and that a person can set."""
        names = [name for name in filter_names(kind) if name in FILTERS]
        self.__signature__ = inspect.Signature(
            [
                inspect.Parameter(
                    name,
                    inspect.Parameter.KEYWORD_ONLY,
                    default=None,
                    annotation=Annotated[str | None, Query(description=FILTERS[name].help)],
                )
                for name in names
            ]
        )

    async def __call__(self, **raw: str | None) -> Filters:
        """Return the parameters parsed and validated (async: no I/O, so no thread hop)."""
        return parse(raw)


event_filters = FilterParams("events")
statement_filters = FilterParams("statements")
article_filters = FilterParams("articles")


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
        raise QueryError(f"{name} {value!r} must be a whole number from {low} to {high}")
    return int(value)


async def paging(
    limit: Annotated[str | None, Query(description=f"Rows per page, 1..{MAX_LIMIT}.")] = None,
    offset: Annotated[str | None, Query(description="Rows to skip.")] = None,
    format: Annotated[str | None, Query(description="json (default) or csv.")] = None,
) -> Paging:
    """Parse limit, offset and format (async: no I/O, so no thread hop)."""
    return Paging(
        limit=_int("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_int("offset", offset, 0, 0, MAX_OFFSET),
        format=choice("format", format, ("json", "csv")),
    )


def choice(name: str, value: str | None, options: tuple[str, ...]) -> str:
    """Return one of ``options`` (the first when the value is missing)."""
    value = text(name, value, 16)
    if value is None:
        return options[0]
    if value.lower() not in options:
        raise QueryError(f"{name} {value!r} must be one of {', '.join(options)}")
    return value.lower()


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown(request: Request) -> None:
    """Refuse query parameters the matched route does not declare (async: no thread hop)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = _query_names(dependant)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise QueryError(
            f"unknown parameter {unknown[0]!r}; this route takes: {', '.join(sorted(allowed))}"
        )
