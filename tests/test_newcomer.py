"""What a newcomer tripped over (issue 19, item 5): one regression test (or table) per point.

The web is served over real HTTP on 127.0.0.1 (``test_hostile_web.Server``) from a database
written here through the Store API: speakers whose names hold "/" and spaces, events over
seven years with named actors, so no spaCy run is needed but for the progress and title cases.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from itertools import product
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from rich.console import Console

from newsevents import cli
from newsevents.cli import EXIT_USAGE, RunProgress, main
from newsevents.engines.local import RunReport
from newsevents.errors import InputError, NothingToLoadError
from newsevents.model import (
    Actor,
    Article,
    Event,
    Failure,
    RawDocument,
    Span,
    Speaker,
    Stage,
    Statement,
    make_id,
)
from newsevents.pipeline import prepare
from newsevents.store import Store
from newsevents.web import create_app
from newsevents.web.render import axis_ticks, pick_bucket, rebin, timeline_svg
from test_hostile_web import Server

SPEAKERS = ("AC/DC Spokesperson", "Jane Q Public")
ENGLISH = (
    "Foreign ministers of the two countries met in Vienna on Tuesday. The minister said the "
    "sides had agreed to reopen a border crossing, and police said the protest was peaceful.\n"
)
GERMAN = (
    "Der Außenminister traf am Montag in Ankara seinen türkischen Amtskollegen. Die beiden "
    "Seiten wollen die Gespräche fortsetzen, sagte er vor Journalisten in der Hauptstadt.\n"
)


def _article(n: int, day: date, speaker: str) -> Article:
    """An article with one statement by ``speaker`` and one event between two named actors."""
    text = (
        f"{speaker} said the talks would go on ({n}). Police arrested protesters in Vienna. "
        + "More words of the story follow here. " * 10
    )
    content = f"the talks would go on ({n})"
    start = text.index(content)
    s0 = text.index("Police")
    t0 = text.index("protesters")
    statement = Statement(
        id=make_id("statement", n),
        kind="indirect",
        speaker=Speaker(speaker, 0, len(speaker), speaker),
        cue=Span(len(speaker) + 1, len(speaker) + 5, "said"),
        content=Span(start, start + len(content), content),
        date=day,
        confidence=0.9,
    )
    event = Event(
        id=make_id("event", n),
        cameo="173",
        plover_type="COERCE",
        plover_mode=None,
        quad_class=4,
        goldstein=-5.0,
        source=Actor("Police", s0, s0 + 6, "Austrian police", code="AUTCOP"),
        target=Actor("protesters", t0, t0 + 10, "Protesters", code="AUTOPP"),
        trigger=Span(s0 + 7, s0 + 15, "arrested"),
        sentence_start=s0,
        sentence_end=text.index(".", s0) + 1,
        date=day,
        location=None,
        modality="asserted",
        attributed_to=None,
        confidence=0.8,
    )
    return Article(
        id=make_id("article", n),
        source_path=f"story-{n}.txt",
        text=text,
        title=f"Story {n}",
        url=f"https://news{n % 3}.example.com/story-{n}",
        published=day,
        language="en",
        source_domain=f"news{n % 3}.example.com",
        statements=(statement,),
        events=(event,),
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve articles from 2019 to 2025, their statements by the two awkward speaker names."""
    path = tmp_path_factory.mktemp("newcomer") / "n.duckdb"
    days = [date(2019 + i // 2, 1 + (i % 2) * 6, 10) for i in range(12)]
    with Store(path) as store:
        store.write([_article(i, d, SPEAKERS[i % 2]) for i, d in enumerate(days)])
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[Server]:
    """The web app over the database, on 127.0.0.1."""
    with Server(create_app(db)) as running:
        yield running


def _get(server: Server, path: str) -> tuple[int, str]:
    status, body = server.get(path)
    return status, body.decode("utf-8")


def _hrefs(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', page)]


# -- 1. the progress bar and the closing summary -----------------------------------------------


def test_progress_bar_shows_total_percentage_and_eta() -> None:
    out = io.StringIO()
    report = RunReport(read=3, stored=2, inputs=4, inputs_done=2)
    report.failures.append(Failure("de.txt", Stage.LANGUAGE, "the article's language is 'de'"))
    with RunProgress(Console(file=out, force_terminal=True, width=200)) as progress:
        progress.update(report)
    shown = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.getvalue())
    assert "2/4 inputs" in shown and "50%" in shown and "ETA" in shown
    assert "2 stored (1 not English), 0 already stored, 0 failed" in shown


def test_progress_and_summary_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A non-English article is stored without extraction: no failure in either."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "en.txt").write_text(ENGLISH)
    (inputs / "de.txt").write_text(GERMAN)
    (inputs / "empty.txt").write_text("")
    out = io.StringIO()
    monkeypatch.setattr(
        cli, "_progress_console", lambda quiet: Console(file=out, force_terminal=True, width=200)
    )
    result = CliRunner().invoke(
        main, ["process", str(inputs), "--db", str(tmp_path / "p.duckdb"), "-w", "1"]
    )
    assert result.exit_code == 1, result.output  # the empty file failed
    bar = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.getvalue()).splitlines()
    last = [line for line in bar if "inputs" in line][-1]
    assert "3/3 inputs" in last and "100%" in last and "ETA" in last
    counts = "2 stored (1 not English), 0 already stored, 1 failed"
    assert counts in last
    assert f"3 inputs, 2 articles read: {counts}" in result.stdout
    assert "1 articles stored without extraction (not English; not failures)" in result.stderr
    failed = [line for line in bar + result.stderr.splitlines() if "failed " in line]
    assert not any("de.txt" in line for line in failed)  # never listed as a failure
    assert any("empty.txt" in line for line in failed)


def test_inputs_done_grows_to_the_total(tmp_path: Path) -> None:
    from newsevents import process

    for i in range(5):
        (tmp_path / f"a{i}.txt").write_text(ENGLISH.replace("Vienna", f"Vienna ({i})"))
    seen: list[tuple[int, int]] = []
    report = process(
        [tmp_path],
        db=tmp_path / "p.duckdb",
        workers=1,
        on_progress=lambda r: seen.append((r.inputs, r.inputs_done)),
    )
    assert seen[-1] == (5, 5) and report.stored == 5
    assert all(total == 5 for total, _ in seen)
    done = [d for _, d in seen]
    assert done == sorted(done)


# -- 2. a headline ending with a full stop is the title ----------------------------------------

SUBJECTS = ("Germany", "The UN Security Council", "Kenya's president", "Police in Lima", "NATO")
VERBS = ("expels two diplomats", "condemns strikes on", "agrees new talks with", "warns")
OBJECTS = ("over spying case.", "Sudan's army.", "its neighbours on trade.")
BODY = (
    "BERLIN, March 3 (Newswire) — Officials said on Monday that the decision followed weeks of "
    "talks between the two governments and several rounds of consultations with allies.\n\n"
    "A spokesman said the government would continue to monitor the situation closely and "
    "that further measures had not been ruled out.\n"
)
HEADLINES = [" ".join(parts) for parts in product(SUBJECTS, VERBS, OBJECTS)][:50]


@pytest.mark.parametrize("headline", HEADLINES)
def test_headline_with_a_full_stop_is_the_title(headline: str) -> None:
    raw = RawDocument(source_path="a.txt", content=f"{headline}\n\n{BODY}", format="scraped")
    assert prepare(raw).article.title == headline
    plain = RawDocument(source_path="a.txt", content=f"{headline}\n\n{BODY}", format="scraped")
    assert prepare(plain, clean=False).article.title == headline


LEAD = "Germany ordered two Russian diplomats to leave the country within seven days."


@pytest.mark.parametrize(
    ("content", "title"),
    [
        (f"{LEAD}\n{BODY}", None),  # no blank line: the first line of a paragraph
        (f"{LEAD[:-1]}\n\n{BODY}", LEAD[:-1]),  # no full stop: the cleaner's headline
        (f"BERLIN (AP) — Germany expels two diplomats.\n\n{BODY}", None),  # a dateline lead
        (f"Germany acts. Russia answers in kind.\n\n{BODY}", None),  # two sentences
        (f"Germany expels diplomats...\n\n{BODY}", None),  # an ellipsis
        (f"Updated 09:42.\n\n{BODY}", None),  # a time
        ("Germany expels two diplomats.\n\nShort.\n", None),  # no body after it
        (f"{'Germany expels a diplomat and ' * 5}leaves.\n\n{BODY}", None),  # too long
    ],
)
def test_what_is_no_headline(content: str, title: str | None) -> None:
    raw = RawDocument(source_path="a.txt", content=content, format="scraped")
    assert prepare(raw).article.title == title


def test_a_title_the_reader_found_wins() -> None:
    content = f"{HEADLINES[0]}\n\n{BODY}"
    raw = RawDocument(source_path="a", content=content, format="scraped", title="From the feed")
    assert prepare(raw).article.title == "From the feed"


# -- 3. load on an empty directory -------------------------------------------------------------


def test_load_with_nothing_to_load_is_a_usage_error(tmp_path: Path) -> None:
    empty, bad, db = tmp_path / "empty", tmp_path / "bad", tmp_path / "l.duckdb"
    empty.mkdir()
    bad.mkdir()
    (bad / "part-0.parquet").write_text("not parquet")
    assert issubclass(NothingToLoadError, InputError) and NothingToLoadError.code == "E108"
    for folder, reason in ((empty, "no Parquet files in"), (bad, "cannot read the Parquet")):
        result = CliRunner().invoke(main, ["load", str(folder), "--db", str(db)])
        assert result.exit_code == EXIT_USAGE, result.output
        assert "[E108]" in result.output and reason in result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert not db.exists()  # nothing was done


# -- 4. the command line validates filters like the API ----------------------------------------


@pytest.mark.parametrize(
    ("args", "url"),
    [
        (["events", "--code", "XYZ"], "/api/events?plover=XYZ"),
        (["events", "--code", "999"], "/api/events?cameo=999"),
        (["events", "--actor", "RUS GOV"], "/api/events?actor=RUS%20GOV"),
        (["events", "--country", "XXX"], "/api/events?country=XXX"),
        (["events", "--quad", "5"], "/api/events?quad=5"),
        (["events", "--since", "2025-02-30"], "/api/events?since=2025-02-30"),
        (["events", "--min-confidence", "1.5"], "/api/events?min_confidence=1.5"),
        (["events", "--clusters", "--code", "XYZ"], "/api/events?view=clusters&plover=XYZ"),
        (["statements", "--until", "yesterday"], "/api/statements?until=yesterday"),
        (["statements", "--q", "a\x01b"], "/api/statements?q=a%01b"),
    ],
)
def test_command_line_refuses_what_the_api_refuses(
    db: Path, server: Server, args: list[str], url: str
) -> None:
    status, body = _get(server, url)
    assert status == 400
    message = json.loads(body)["error"]
    result = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert result.exit_code == EXIT_USAGE, result.output
    assert message in " ".join(result.output.split()), (message, result.output)


# -- 5. the events table shows actor names and the trigger -------------------------------------


def test_events_table_shows_names_trigger_and_whole_headers(db: Path) -> None:
    for args, headers in (
        (["events"], ["date", "source", "event", "trigger", "target", "modality"]),
        (
            ["events", "--clusters"],
            ["first_day", "mentions", "articles", "outlets", "source", "event", "trigger",
             "target", "modality"],
        ),
    ):  # fmt: skip
        result = CliRunner().invoke(main, [*args, "--db", str(db), "--limit", "3"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[0].split() == headers
        for line in lines[1:-1]:
            assert "Austrian police (AUTCOP)" in line and "Protesters (AUTOPP)" in line
            assert "arrested" in line and "173 COERCE" in line


# -- 6. CSV carries every column of the JSON -----------------------------------------------------


def _csv_header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("args", "url"),
    [
        (["events"], "/api/events"),
        (["events", "--clusters"], "/api/events?view=clusters"),
        (["statements"], "/api/statements"),
        (["events", "--since", "2030-01-01"], "/api/events?since=2030-01-01"),  # no rows
    ],
)
def test_csv_twins_carry_every_json_column(
    db: Path, server: Server, args: list[str], url: str
) -> None:
    runner = CliRunner()
    as_json = json.loads(runner.invoke(main, [*args, "--db", str(db), "--format", "json"]).stdout)
    as_csv = runner.invoke(main, [*args, "--db", str(db), "--format", "csv"]).stdout
    _, body = _get(server, url)
    api_rows = json.loads(body)["data"]
    sep = "&" if "?" in url else "?"
    status, api_csv = _get(server, f"{url}{sep}format=csv")
    assert status == 200
    assert [r["id"] for r in as_json] == [r["id"] for r in api_rows]
    if api_rows:
        assert set(as_json[0]) == set(api_rows[0]) == set(_csv_header(as_csv))
        assert set(_csv_header(api_csv)) == set(api_rows[0])
        assert len(set(api_rows[0])) >= 26
    assert _csv_header(as_csv) == _csv_header(api_csv)


def test_speaker_csv_carries_every_json_column(server: Server) -> None:
    name = quote(SPEAKERS[1], safe="")
    _, body = _get(server, f"/api/speakers/{name}")
    _, text = _get(server, f"/api/speakers/{name}?format=csv")
    assert set(_csv_header(text)) == set(json.loads(body)["data"][0])


# -- 7. every page's CSV twin link answers ------------------------------------------------------


def test_every_pages_twin_links_answer(server: Server) -> None:
    pages = ["/", "/events", "/statements", "/articles", "/actors", "/actors/AUTCOP",
             "/speakers", f"/speakers/{quote(SPEAKERS[0], safe='')}", "/entities",
             "/search?q=talks"]  # fmt: skip
    for page in pages:
        status, text = _get(server, page)
        assert status == 200, page
        twins = [h for h in _hrefs(text) if h.startswith("/api/")]
        assert len(twins) >= 2, page
        for twin in twins:
            status, body = _get(server, twin)
            assert status == 200, (page, twin, body[:200])
    status, text = _get(server, "/api/stats?format=csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert status == 200 and rows[0]["articles"] == "12" and rows[0]["first"] == "2019-01-10"


# -- 8. speaker names with "/" and spaces in links -----------------------------------------------


@pytest.mark.parametrize("name", SPEAKERS)
def test_speaker_links_are_encoded_and_answer(server: Server, name: str) -> None:
    _, listing = _get(server, "/speakers")
    link = f"/speakers/{quote(name, safe='')}"
    assert f'href="{link}"' in listing
    status, page = _get(server, link)
    assert status == 200 and html.escape(name) in page
    for href in _hrefs(page):
        assert " " not in href, href  # spaces are encoded, in twins and pager links too
    twins = [h for h in _hrefs(page) if h.startswith("/api/speakers/")]
    assert twins
    for twin in twins:
        status, body = _get(server, twin)
        assert status == 200, twin
    _, body = _get(server, f"/api{link}")
    rows = json.loads(body)["data"]
    assert rows and {r["speaker_name"] for r in rows} == {name}


# -- 9. the timeline's bin and its axis ----------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "bucket"),
    [
        (date(2025, 1, 1), date(2025, 1, 1), "day"),
        (date(2025, 1, 1), date(2025, 3, 31), "day"),
        (date(2025, 1, 1), date(2025, 6, 30), "week"),
        (date(2024, 1, 1), date(2025, 12, 31), "week"),
        (date(2023, 1, 1), date(2025, 12, 31), "month"),
        (date(2012, 1, 1), date(2025, 12, 31), "month"),
        (date(1990, 1, 1), date(2025, 12, 31), "year"),
    ],
)
def test_timeline_bin_suits_the_date_range(first: date, last: date, bucket: str) -> None:
    assert pick_bucket(first, last) == bucket


def test_rebin_and_axis_ticks() -> None:
    rows = [{"day": date(2019, m, 1), "key": "4", "n": 1} for m in (1, 5, 9)]
    rows += [{"day": date(2025, 2, 1), "key": "4", "n": 2}]
    assert rebin(rows, "year") == [
        {"day": date(2019, 1, 1), "key": "4", "n": 3},
        {"day": date(2025, 1, 1), "key": "4", "n": 2},
    ]
    ticks = axis_ticks(date(2019, 1, 1), date(2025, 1, 1), "year")
    assert ticks[0] == date(2019, 1, 1) and 4 <= len(ticks) <= 8
    assert len(axis_ticks(date(2019, 1, 1), date(2025, 12, 1), "month")) <= 8
    svg = str(timeline_svg(rebin(rows, "year"), "quad", "year", {}))
    labels = re.findall(r'class="axis tick-label"[^>]*>([^<]+)<', svg)
    assert labels[:2] == ["2019", "2020"] and len(labels) >= 4


def test_events_page_picks_the_bin_from_the_range(server: Server) -> None:
    _, body = _get(server, "/api/events")
    timeline = json.loads(body)["meta"]["timeline"]
    assert timeline["bucket"] == "month"  # 2019 to 2024: months, not days
    assert sum(r["n"] for r in timeline["rows"]) == 12
    _, body = _get(server, "/api/timeline?bucket=year")
    years = json.loads(body)
    assert years["meta"]["bucket"] == "year" and len(years["data"]) == 6
    _, page = _get(server, "/events")
    labels = re.findall(r'class="axis tick-label"[^>]*>([^<]+)<', page)
    assert len(labels) >= 4 and all(re.fullmatch(r"\d{4}-\d{2}", x) for x in labels)


# -- 10. one name per filter ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/events", "/statements", "/articles"])
def test_filter_labels_are_distinct(server: Server, page: str) -> None:
    _, text = _get(server, page)
    form = text[text.index('<form class="filters"') : text.index("</form>", text.index("filters"))]
    labels = [x.strip() for x in re.findall(r"<label>([^<]+)<", form)]
    assert len(labels) == len(set(labels)), labels
    assert "Source" not in labels and "Outlet" in labels
    if page == "/events":
        assert {"Source actor", "Target actor"} <= set(labels)
