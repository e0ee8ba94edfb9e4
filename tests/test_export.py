"""Exports: GDELT 2.0 events and mentions read back with the codebook, PLOVER against its schema,
CSV / JSON Lines / Parquet with the JSON API's columns, filters, streaming and the command."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from newsevents import api
from newsevents.cli import main
from newsevents.exports import (
    FORMATS,
    GDELT_EVENT_COLUMNS,
    GDELT_MENTION_COLUMNS,
    actor_parts,
    fips,
    fraction_date,
)
from newsevents.filters import Filters
from newsevents.model import make_id
from newsevents.resources import data_path
from newsevents.store import Store
from newsevents.store_export import export_query, stream
from newsevents.store_queries import Queries
from synthetic_events import HAPPENING, OTHERS, Report, articles

# The GDELT 2.0 Event codebook's 61 columns, in its order, written out here independently.
CODEBOOK_EVENT = [
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]
CODEBOOK_MENTIONS = [
    "GlobalEventID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
]


def _ymd(value: str) -> date:
    assert re.fullmatch(r"\d{8}", value), value
    return datetime.strptime(value, "%Y%m%d").date()


def _stamp(value: str) -> datetime:
    assert re.fullmatch(r"\d{14}", value), value
    return datetime.strptime(value, "%Y%m%d%H%M%S")


def _digits(n: int, most: int | None = None) -> Callable[[str], str]:
    def check(value: str) -> str:
        assert re.fullmatch(rf"\d{{{n},{most or n}}}", value), value
        return value

    return check


def _in(*allowed: int) -> Callable[[str], int]:
    def check(value: str) -> int:
        assert int(value) in allowed, value
        return int(value)

    return check


# The codebook's type of each column; a column not named is text. Values may be empty, except
# those in REQUIRED.
EVENT_TYPES: dict[str, Callable[[str], Any]] = {
    "GlobalEventID": int,
    "Day": _ymd,
    "MonthYear": _digits(6),
    "Year": _digits(4),
    "FractionDate": float,
    "IsRootEvent": _in(0, 1),
    "EventCode": _digits(3, 4),
    "EventBaseCode": _digits(3),
    "EventRootCode": _digits(2),
    "QuadClass": _in(1, 2, 3, 4),
    "GoldsteinScale": float,
    "NumMentions": int,
    "NumSources": int,
    "NumArticles": int,
    "AvgTone": float,
    **{f"{g}Geo_Type": _in(1, 2, 3, 4, 5) for g in ("Actor1", "Actor2", "Action")},
    **{f"{g}Geo_{c}": float for g in ("Actor1", "Actor2", "Action") for c in ("Lat", "Long")},
    "DATEADDED": _stamp,
}
MENTION_TYPES: dict[str, Callable[[str], Any]] = {
    "GlobalEventID": int,
    "EventTimeDate": _stamp,
    "MentionTimeDate": _stamp,
    "MentionType": _in(1, 2, 3, 4, 5, 6),
    "SentenceID": int,
    "Actor1CharOffset": int,
    "Actor2CharOffset": int,
    "ActionCharOffset": int,
    "InRawText": _in(0, 1),
    "Confidence": int,
    "MentionDocLen": int,
    "MentionDocTone": float,
}
REQUIRED_EVENT = ("GlobalEventID", "Day", "EventCode", "EventRootCode", "NumMentions", "DATEADDED")
REQUIRED_MENTION = ("GlobalEventID", "MentionType", "MentionIdentifier", "ActionCharOffset")


def read_gdelt(
    text: str, columns: list[str], types: dict[str, Callable[[str], Any]], required: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Read a GDELT export as the codebook says: tab-separated, no header, typed columns."""
    rows = []
    for line in text.splitlines():
        fields = line.split("\t")
        assert len(fields) == len(columns), (len(fields), line)
        row: dict[str, Any] = {}
        for name, value in zip(columns, fields, strict=True):
            assert value or name not in required, name
            row[name] = types.get(name, str)(value) if value else None
        rows.append(row)
    return rows


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Path]:
    """A database file of the synthetic reports (one happening reported five times, and others)."""
    path = tmp_path / "events.duckdb"
    with Store(path) as store:
        store.write_batch(articles())
    yield path


def _export(db: Path, fmt: str, **kw: Any) -> str:
    out = io.StringIO()
    api.export(fmt, db=db, out=out, **kw)
    return out.getvalue()


def test_column_lists_follow_the_codebook() -> None:
    assert list(GDELT_EVENT_COLUMNS) == CODEBOOK_EVENT
    assert len(GDELT_EVENT_COLUMNS) == 61
    assert list(GDELT_MENTION_COLUMNS) == CODEBOOK_MENTIONS


def test_gdelt_events_one_row_per_cluster(db: Path) -> None:
    rows = read_gdelt(_export(db, "gdelt"), CODEBOOK_EVENT, EVENT_TYPES, REQUIRED_EVENT)
    assert len(rows) == 1 + len(OTHERS)
    top = max(rows, key=lambda r: r["NumMentions"])
    assert (top["NumMentions"], top["NumSources"], top["NumArticles"]) == (5, 4, 4)
    assert top["Day"] == date(2025, 3, 3)
    assert (top["MonthYear"], top["Year"], top["FractionDate"]) == ("202503", "2025", 2025.2548)
    assert (top["Actor1Code"], top["Actor1Name"], top["Actor1CountryCode"]) == (
        "RUSMIL",
        "RUSSIA",
        "RUS",
    )
    assert top["Actor1Type1Code"] == "MIL" and top["Actor2Code"] == "UKR"
    assert (top["EventCode"], top["EventBaseCode"], top["EventRootCode"]) == ("190", "190", "19")
    assert (top["QuadClass"], top["GoldsteinScale"], top["IsRootEvent"]) == (4, -10.0, 1)
    assert top["SOURCEURL"] == "https://daily.test/daily"  # the representative's article
    assert (top["ActionGeo_Type"], top["ActionGeo_FullName"]) == (4, "Kharkiv")
    assert (top["ActionGeo_CountryCode"], top["ActionGeo_Lat"]) == ("UP", 49.99)  # FIPS 10-4
    # what newsevents does not know stays empty, never invented
    for empty in ("AvgTone", "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Geo_Type"):
        assert all(r[empty] is None for r in rows), empty


def test_gdelt_mentions_pair_with_the_events(db: Path) -> None:
    events = read_gdelt(_export(db, "gdelt"), CODEBOOK_EVENT, EVENT_TYPES, REQUIRED_EVENT)
    mentions = read_gdelt(
        _export(db, "gdelt-mentions"), CODEBOOK_MENTIONS, MENTION_TYPES, REQUIRED_MENTION
    )
    assert len(mentions) == len(HAPPENING) + len(OTHERS)
    counts: dict[int, int] = {}
    for m in mentions:
        counts[m["GlobalEventID"]] = counts.get(m["GlobalEventID"], 0) + 1
        assert m["MentionType"] == 1 and m["MentionIdentifier"].startswith("https://")
        assert 0 <= m["Confidence"] <= 100 and m["InRawText"] == 1
        assert m["SentenceID"] is None and m["MentionDocTone"] is None
    assert counts == {e["GlobalEventID"]: e["NumMentions"] for e in events}
    nobody = [m for m in mentions if m["MentionIdentifier"].endswith("/nobody")]
    assert nobody[0]["Actor1CharOffset"] == -1 == nobody[0]["Actor2CharOffset"]


def test_gdelt_filters_keep_whole_clusters(db: Path) -> None:
    found = read_gdelt(
        _export(db, "gdelt", filters=Filters(domain="herald.test")),
        CODEBOOK_EVENT,
        EVENT_TYPES,
        REQUIRED_EVENT,
    )
    assert [r["NumMentions"] for r in found] == [5]
    polish = _export(db, "gdelt", filters=Filters(target="POL"))
    assert len(polish.splitlines()) == 1


def test_plover_records_validate_against_the_schema(db: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(data_path("plover.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    records = [json.loads(line) for line in _export(db, "plover").splitlines()]
    assert len(records) == len(HAPPENING) + len(OTHERS)
    for record in records:
        errors = [e.message for e in validator.iter_errors(record)]
        assert not errors, (record["id"], errors)
    daily = next(r for r in records if r["id"] == make_id("event", "daily"))
    assert daily["event"] == ["ASSAULT"] and daily["context"] == ["military"]
    assert daily["source"][0]["code"] == "RUS" and daily["source"][0]["sector"] == "MIL"
    assert daily["recipient"][0]["identifier_text"] == "Ukraine"
    assert daily["event_loc"]["cc3"] == "UKR" and daily["event_loc"]["country code"] == "UA"
    assert daily["text"].startswith("Russian forces shelled Kharkiv")
    assert daily["cite_info"]["url"] == "https://daily.test/daily"
    wire = next(r for r in records if r["id"] == make_id("event", "wire"))
    assert wire["link"] == daily["link"]  # the same happening


def test_csv_and_jsonl_have_every_column_of_the_api(db: Path) -> None:
    with Store(db, read_only=True) as store:
        api_rows = Queries(store).events(Filters(), limit=100).rows
    columns = list(api_rows[0])
    table = list(csv.DictReader(io.StringIO(_export(db, "csv"))))
    assert list(table[0]) == columns and len(table) == len(api_rows)
    lines = [json.loads(line) for line in _export(db, "jsonl").splitlines()]
    assert list(lines[0]) == columns and len(lines) == len(api_rows)
    assert {r["id"] for r in lines} == {r["id"] for r in api_rows}
    clusters = list(csv.DictReader(io.StringIO(_export(db, "csv", clusters=True))))
    assert len(clusters) == 1 + len(OTHERS) and "n_sources" in clusters[0]


def test_csv_defuses_formulas(tmp_path: Path) -> None:
    path = tmp_path / "formula.duckdb"
    with Store(path) as store:
        store.write_batch(articles((Report("evil", "evil.test", HAPPENING[0].published,
                                           source_text="=HYPERLINK(1)"),)))  # fmt: skip
    table = list(csv.DictReader(io.StringIO(_export(path, "csv"))))
    assert table[0]["source_text"] == "'=HYPERLINK(1)"


def test_parquet_through_duckdb(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    report = api.export("parquet", db=db, out=out)
    assert report.rows == len(HAPPENING) + len(OTHERS)
    with duckdb.connect() as con:
        rows = con.execute(f"SELECT * FROM '{out}'").fetchall()
        names = [d[0] for d in con.description or ()]
    assert len(rows) == report.rows and "cluster_id" in names and "sentence" in names
    assert not list(tmp_path.glob("*.part"))


def test_rows_are_streamed_in_batches(db: Path) -> None:
    with Store(db, read_only=True) as store:
        sql, params = export_query("mentions", Filters())
        rows = stream(store, sql, params, batch_rows=2)
        assert isinstance(rows, Iterator)
        assert len(list(rows)) == len(HAPPENING) + len(OTHERS)


def test_field_helpers() -> None:
    assert fraction_date(date(2025, 3, 3)) == "2025.2548"
    assert fips("UKR") == "UP" and fips("DEU") == "GM" and fips(None) is None
    assert actor_parts("RUSGOVMIL", "RUS") == (None, ["GOV", "MIL"])
    assert actor_parts("IGOUNO", None) == ("UNO", ["IGO"])
    assert actor_parts(None, None) == (None, [])


def test_export_command(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(main, ["export", "--db", str(db), "--format", "gdelt", "--actor", "RUS"])
    assert done.exit_code == 0, done.output
    read_gdelt(done.stdout, CODEBOOK_EVENT, EVENT_TYPES, REQUIRED_EVENT)
    out = tmp_path / "m.tsv"
    done = runner.invoke(
        main, ["export", "--db", str(db), "--format", "gdelt-mentions", "--out", str(out)]
    )
    assert done.exit_code == 0 and "wrote 11 rows" in done.stderr
    for bad in (["--format", "parquet"], ["--format", "xml"], ["--format", "csv", "--code", "XYZ"]):
        done = runner.invoke(main, ["export", "--db", str(db), *bad])
        assert done.exit_code == 2, (bad, done.output)
    done = runner.invoke(main, ["events", "--db", str(db), "--clusters", "--format", "json"])
    assert done.exit_code == 0, done.output
    assert max(r["n_mentions"] for r in json.loads(done.stdout)) == 5


@pytest.mark.slow
def test_sample_corpus_exports(tmp_path: Path, sample_corpus: Path) -> None:
    db = tmp_path / "sample.duckdb"
    api.process([sample_corpus], db=db, workers=1)
    rows = read_gdelt(_export(db, "gdelt"), CODEBOOK_EVENT, EVENT_TYPES, REQUIRED_EVENT)
    with Store(db, read_only=True) as store:
        counts = store.query("SELECT count(*) AS n, sum(n_mentions) AS m FROM event_clusters")
        events = store.counts()["events"]
    assert len(rows) == counts[0]["n"] > 0 and counts[0]["m"] == events
    mentions = _export(db, "gdelt-mentions").splitlines()
    assert len(mentions) == events
    assert all(len(m.split("\t")) == 16 for m in mentions)
    for fmt in FORMATS:
        assert api.export(fmt, db=db, out=tmp_path / f"sample.{fmt}").rows > 0
