"""CSV for the command line and the web API: one writer, spreadsheet formulas defused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return a value as a CSV cell: dates in ISO form, lists joined with "; ", and text that a
    spreadsheet would take for a formula prefixed with ``'``."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # no formulas when the CSV is opened in a spreadsheet
    return value


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str] = ()) -> str:
    """Return rows as CSV text (header first); text that looks like a formula is quoted."""
    rows = list(rows)
    names = list(columns) or (list(rows[0]) if rows else [])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(row.get(k)) for k in names})
    return out.getvalue()
