"""One identity per speaker across articles (issue 18): the pure assignment, the store, the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from newsevents import extract, process
from newsevents.cli import main
from newsevents.errors import ConfigError
from newsevents.identities import Known, assign, identity_of, name_key, read_known
from newsevents.store import Store
from newsevents.web import create_app
from test_hostile_web import Server

# (name, label, key)
KEYS = [
    ("Donald Trump", "PERSON", "p:donald|trump|"),
    ("Donald J. Trump", "PERSON", "p:donald|trump|"),
    ("President Trump", "PERSON", "s:trump"),
    ("Trump", "PERSON", "s:trump"),
    ("Donald Trump Jr.", "PERSON", "p:donald|trump|jr"),
    ("José Núñez", "PERSON", "p:jose|nunez|"),
    ("the Harbour Board", "ORG", "b:harbour board"),
    ("Harbour Board's", "ORG", "b:harbour board"),
]


@pytest.mark.parametrize(("name", "label", "key"), KEYS)
def test_name_key(name: str, label: str, key: str) -> None:
    """Titles and middle names do not change who it is; a suffix does."""
    assert name_key(name, label) == key


def _ids(rows: list[tuple[str, str, str]], known: tuple[Known, ...] = ()) -> dict[str, str]:
    mapping, _ = assign(rows, known)
    return {f"{a}/{n}": i for (a, n), i in mapping.items()}


def test_surname_joins_the_one_full_name() -> None:
    """ "Trump" in one article and "Donald J. Trump" in another are one identity."""
    ids = _ids(
        [("a1", "Donald Trump", "PERSON"), ("a2", "Trump", "PERSON"), ("a3", "Donald J. Trump", "")]
    )
    assert len(set(ids.values())) == 1
    _, identities = assign([("a1", "Donald Trump", "PERSON"), ("a2", "Trump", "PERSON")])
    assert identities[0].name == "Donald Trump"
    assert identities[0].variants == ("Donald Trump", "Trump")


def test_same_surname_stays_apart() -> None:
    """Two "Johnson"s in two articles, or a surname two full names share, stay apart."""
    ids = _ids([("a1", "Johnson", "PERSON"), ("a2", "Johnson", "PERSON")])
    assert ids["a1/Johnson"] != ids["a2/Johnson"]
    ids = _ids(
        [("a1", "Ada Clarke", "PERSON"), ("a2", "Ben Clarke", "PERSON"), ("a3", "Clarke", "PERSON")]
    )
    assert len(set(ids.values())) == 3


def test_order_does_not_matter() -> None:
    """The assignment depends on the set of speakers, not the order they came in."""
    rows = [("a1", "Trump", "PERSON"), ("a2", "Donald Trump", "PERSON"), ("a3", "Kremlin", "ORG")]
    assert assign(rows) == assign(list(reversed(rows)))


def test_kind_does_not_depend_on_order() -> None:
    """A known identity named as a person in one article and as a body in another is a person,
    whichever came first (regression: the last row read used to decide)."""
    known = (Known("K1", "Dana Reyes", None, ("Dana Reyes", "Reyes Group")),)
    rows = [("a1", "Dana Reyes", "PERSON"), ("a2", "Reyes Group", "ORG")]
    kinds = {assign(order, known)[1][0].kind for order in (rows, rows[::-1])}
    assert kinds == {"person"}


def test_known_identities(tmp_path: Path) -> None:
    """A user's CSV names the identity, its canonical name and Wikidata id."""
    path = tmp_path / "known.csv"
    path.write_text(
        "id,name,wikidata\nQ22686,Donald Trump,Q22686\nQ22686,The Donald,\n", encoding="utf-8"
    )
    known = read_known(path)
    assert known == (Known("Q22686", "Donald Trump", "Q22686", ("Donald Trump", "The Donald")),)
    mapping, identities = assign([("a1", "Donald J. Trump", "PERSON")], known)
    assert mapping[("a1", "Donald J. Trump")] == "Q22686"
    assert (identities[0].name, identities[0].wikidata) == ("Donald Trump", "Q22686")
    bad = tmp_path / "bad.csv"
    bad.write_text("who,what\nx,y\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        read_known(bad)


def test_identity_of_no_name() -> None:
    """A speaker without a name has no identity."""
    assert identity_of(None, "PERSON") is None
    assert identity_of("Donald Trump", "PERSON") == identity_of("Donald J. Trump", "PERSON")


ARTICLES = {
    "tariffs.txt": "Donald Trump said on Monday that the tariffs on steel would stay in place.",
    "talks.txt": "Trump said on Tuesday that the talks with the union had gone well.",
    "bridge-1.txt": "Johnson said on Monday that the old bridge would reopen in May.",
    "bridge-2.txt": "Johnson said on Friday that the ferry would stop running in winter.",
}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of four short articles written for this test."""
    root = tmp_path_factory.mktemp("identities")
    texts = root / "texts"
    texts.mkdir()
    for name, text in ARTICLES.items():
        (texts / name).write_text(text + "\n", encoding="utf-8")
    db = root / "ids.duckdb"
    report = process([texts], db=db, clean=False, workers=1)
    assert report.stored == 4, report
    return db


@pytest.fixture(scope="module")
def server(db_path: Path) -> Iterator[Server]:
    """The web app over the test database, served over real HTTP on 127.0.0.1."""
    with Server(create_app(db_path)) as running:
        yield running


def _json(server: Server, path: str) -> list[dict[str, object]]:
    status, body = server.get(path)
    assert status == 200, body
    data: list[dict[str, object]] = json.loads(body)["data"]
    return data


def _identities(db: Path) -> list[tuple[str, str, list[str]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT id, name, variants FROM identities ORDER BY id").fetchall()
    return [(str(i), str(n), list(v)) for i, n, v in rows]


def test_api_gives_one_speaker_for_trump_and_donald_trump(server: Server) -> None:
    """/api/speakers aggregates by identity and shows the name variants."""
    speakers = _json(server, "/api/speakers")
    trump = [s for s in speakers if s["name"] == "Donald Trump"]
    assert len(trump) == 1 and trump[0]["n_statements"] == 2
    assert trump[0]["variants"] == ["Donald Trump", "Trump"]
    assert not [s for s in speakers if s["name"] == "Trump"]
    johnsons = [s for s in speakers if s["name"] == "Johnson"]
    assert len(johnsons) == 2  # two articles, nothing joins them
    said = _json(server, "/api/speakers/Trump")
    assert len(said) == 2 and {s["speaker_name"] for s in said} == {"Donald Trump"}
    assert len({s["speaker_identity"] for s in said}) == 1


def test_statement_filter_by_variant(server: Server) -> None:
    """A speaker filter finds the identity by any of its names."""
    rows = _json(server, "/api/statements?speaker=Donald")
    assert len(rows) == 2


def test_reprocessing_is_idempotent(tmp_path: Path) -> None:
    """Storing the same articles again, or in another order, gives the same identities."""
    articles = [extract(text, source_path=name) for name, text in ARTICLES.items()]
    with Store(tmp_path / "forward.duckdb") as store:
        store.write(articles)
    with Store(tmp_path / "backward.duckdb") as store:
        for article in reversed(articles):
            store.write([article])
        store.write(articles)
        store.set_identities(())
    forward = _identities(tmp_path / "forward.duckdb")
    assert len(forward) == 3
    assert _identities(tmp_path / "backward.duckdb") == forward


def test_cli_known_identities_and_speaker_filter(tmp_path: Path) -> None:
    """`process --identities FILE` names the identity; `statements --speaker` finds it."""
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(ARTICLES["talks.txt"] + "\n", encoding="utf-8")
    known = tmp_path / "known.csv"
    known.write_text("id,name,wikidata\nQ1,Donald Trump,Q22686\nQ1,Trump,\n", encoding="utf-8")
    db = str(tmp_path / "cli.duckdb")
    runner = CliRunner()
    done = runner.invoke(
        main,
        ["process", str(texts), "--db", db, "--no-clean", "-w", "1", "--identities", str(known)],
    )
    assert done.exit_code == 0, done.output
    shown = runner.invoke(
        main, ["statements", "--db", db, "--speaker", "Donald", "--format", "json"]
    )
    assert shown.exit_code == 0, shown.output
    rows = json.loads(shown.output)
    assert [(r["speaker_name"], r["speaker_identity"]) for r in rows] == [("Donald Trump", "Q1")]
    bad = runner.invoke(
        main, ["process", str(texts), "--db", db, "--identities", str(texts / "a.txt")]
    )
    assert bad.exit_code == 2


def test_speakers_page_shows_one_row_with_variants(server: Server) -> None:
    """The speakers page lists Donald Trump once, with "Trump" as another name."""
    status, body = server.get("/speakers")
    assert status == 200
    page = body.decode("utf-8")
    assert page.count(">Donald Trump</a>") == 1
    assert "<td>Trump</td>" in page


def _known_csv(tmp_path: Path) -> Path:
    known = tmp_path / "known.csv"
    known.write_text("id,name,wikidata\nQ1,Donald Trump,Q22686\nQ1,Trump,\n", encoding="utf-8")
    return known


def _stored_identities(db: Path) -> set[tuple[str, str]]:
    """(canonical name, identity id) of every named speaker stored."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT i.name, s.speaker_identity FROM statements s "
            "JOIN identities i ON i.id = s.speaker_identity"
        ).fetchall()
    return {(str(n), str(i)) for n, i in rows}


def test_identities_argument_and_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Known identities come from the API argument or the `identities` setting (environment)."""
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(ARTICLES["talks.txt"] + "\n", encoding="utf-8")
    known = _known_csv(tmp_path)
    by_argument = tmp_path / "argument.duckdb"
    process([texts], db=by_argument, clean=False, workers=1, identities=known)
    assert _stored_identities(by_argument) == {("Donald Trump", "Q1")}
    plain = tmp_path / "plain.duckdb"
    process([texts], db=plain, clean=False, workers=1)
    assert [name for name, ident in _stored_identities(plain) if ident != "Q1"] == ["Trump"]
    monkeypatch.setenv("NEWSEVENTS_IDENTITIES", str(known))
    by_setting = tmp_path / "setting.duckdb"
    process([texts], db=by_setting, clean=False, workers=1)
    assert _stored_identities(by_setting) == {("Donald Trump", "Q1")}
    monkeypatch.setenv("NEWSEVENTS_IDENTITIES", str(tmp_path / "missing.csv"))
    with pytest.raises(ConfigError):
        process([texts], db=tmp_path / "never.duckdb", clean=False, workers=1)
    assert not (tmp_path / "never.duckdb").exists()  # refused before a database is created


def test_watch_takes_known_identities(tmp_path: Path) -> None:
    """`watch --identities FILE --once` names the speakers of what it stores."""
    item = tmp_path / "a.txt"
    item.write_text(ARTICLES["tariffs.txt"] + "\n", encoding="utf-8")
    db = tmp_path / "watch.duckdb"
    done = CliRunner().invoke(
        main,
        ["watch", str(item), "--db", str(db), "--once", "--identities", str(_known_csv(tmp_path))],
    )
    assert done.exit_code == 0, done.output
    assert _stored_identities(db) == {("Donald Trump", "Q1")}
