"""Hostile inputs (issue 20, findings 1-5): each is a failure row, never a crash, hang or leak.

Every input is generated here, bounded in size; each batch keeps its good articles.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newsevents
from newsevents.cli import main
from newsevents.config import get_settings
from newsevents.errors import InputTooLargeError
from newsevents.ingest import read_inputs
from newsevents.model import Failure, RawDocument
from newsevents.pipeline import prepare
from newsevents.store import Store

GOOD = [
    "Envoys from the two neighbouring states met in Geneva on Monday to discuss a truce. "
    "The foreign minister said the talks had been useful.\n",
    "Police in Nairobi detained several protesters outside parliament on Tuesday, officials "
    "said. The interior minister promised an inquiry.\n",
    "The central bank of Peru raised its interest rate on Wednesday. Its governor said "
    "inflation was still too high.\n",
]
PAGE = (
    "<html><head><title>Envoys meet in Geneva</title></head><body><article><h1>Envoys meet</h1>"
    f"<p>{GOOD[0]}</p><p>{GOOD[1]}</p></article></body></html>"
)


def _read(paths: list[str]) -> list[RawDocument | Failure]:
    return list(read_inputs(paths, get_settings().read_limits))


def _failures(items: list[RawDocument | Failure]) -> list[Failure]:
    return [i for i in items if isinstance(i, Failure)]


def _docs(items: list[RawDocument | Failure]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def _good(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(GOOD):
        (root / f"good-{i}.txt").write_text(text)
    return root


def _bomb(total: int, member: int = 10_000_000) -> bytes:
    """A gzip file of ``total`` zero bytes in repeated members: about 1 KB per 1 MB."""
    one = gzip.compress(b"\0" * member, compresslevel=9)
    return one * (total // member)


# -- finding 1: inputs that crashed the whole run -----------------------------------------------


@pytest.mark.parametrize("name", ["bomb.txt.gz", "bomb.jsonl.gz", "bomb.html.gz"])
def test_gzip_bomb_is_a_failure_and_stops_at_the_cap(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_bomb(2_000_000_000))  # 2 GB of zeros in about 2 MB
    limits = get_settings().read_limits
    cap = limits.max_container_bytes if ".jsonl" in name else limits.max_input_bytes
    started = time.monotonic()
    tracemalloc.start()
    try:
        [failure] = _read([str(path)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 10
    assert peak < 3 * cap  # inflated no further than the cap (the whole bomb is 2 GB)
    assert isinstance(failure, Failure)
    assert "decompression bomb" in failure.reason and "limit" in failure.reason


def test_deeply_nested_json_line_is_a_failure(tmp_path: Path) -> None:
    lines = ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000]
    lines += ['{"text": 1' + "0" * 5_000 + "}", json.dumps({"text": GOOD[0]})]
    (tmp_path / "deep.jsonl").write_text("\n".join(lines))
    items = _read([str(tmp_path / "deep.jsonl")])
    assert [d.content for d in _docs(items)] == [GOOD[0]]
    failures = _failures(items)
    assert [f.input.rsplit(":", 1)[1] for f in failures] == ["1", "2", "3"]
    assert all("nested too deeply" in f.reason for f in failures[:2])
    assert "4300 digits" in failures[2].reason  # a ValueError, not a JSONDecodeError


def test_lone_surrogates_are_replaced() -> None:
    from newsevents.sanitize import clean_string

    assert clean_string("a\ud800b\udfffc") == "a\ufffdb\ufffdc"
    assert clean_string("\ud83d\ude00") == "\U0001f600"  # a split pair is joined
    assert clean_string("x\x00y\x07z\tq\n") == "xyz\tq\n"


def _hostile_corpus(root: Path) -> Path:
    _good(root)
    (root / "bomb.txt.gz").write_bytes(_bomb(200_000_000))
    (root / "deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    records = [
        {"text": "Lone \ud800 surrogate: " + GOOD[2].replace("Peru", "Chile"), "title": "\udfff"},
        {"text": "Nul\u0000 bytes: " + GOOD[1].replace("Nairobi", "Lima")},
    ]
    (root / "odd.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    return root


def test_process_keeps_the_good_articles_beside_hostile_inputs(tmp_path: Path) -> None:
    corpus = _hostile_corpus(tmp_path / "in")
    db = tmp_path / "n.duckdb"
    report = newsevents.process([corpus], db=db, workers=1)
    assert report.stored == 5
    assert sorted(Path(f.input).name for f in report.failed) == ["bomb.txt.gz", "deep.jsonl:1"]
    with Store(db, read_only=True) as store:
        texts = [r[0] for r in store.con.execute("SELECT text FROM articles").fetchall()]
        titles = [r[0] for r in store.con.execute("SELECT title FROM articles").fetchall()]
        assert store.counts()["failures"] == 2
    assert not any("\x00" in t or "\ud800" in t for t in texts)
    assert any("Lone \ufffd surrogate" in t for t in texts) and "\ufffd" in titles


def test_extract_survives_hostile_inputs(tmp_path: Path) -> None:
    corpus = _hostile_corpus(tmp_path / "in")
    result = CliRunner().invoke(main, ["extract", str(corpus)])
    assert result.exit_code == 1, result.output
    articles = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(articles) == 5 and all(a["failure"] is None for a in articles)
    assert "bomb.txt.gz" in result.stderr and "deep.jsonl:1" in result.stderr


# -- finding 2: a page that hung lxml past every limit -------------------------------------------


def _attribute_page(n: int, value: str = "x") -> str:
    attributes = " ".join(f'a{i}="{value}"' for i in range(n))
    return f"<html><body><div {attributes}>hello</div><p>{GOOD[0]}</p></body></html>"


def test_element_with_400000_attributes_is_refused_before_parsing(tmp_path: Path) -> None:
    _good(tmp_path)
    (tmp_path / "attrs.html").write_text(_attribute_page(400_000))  # 5 MB; lxml: > 300 s
    started = time.monotonic()
    items = _read([str(tmp_path)])
    assert time.monotonic() - started < 10
    assert len(_docs(items)) == 3
    [failure] = _failures(items)
    assert failure.input.endswith("attrs.html") and "attributes" in failure.reason


def test_page_past_the_time_limit_is_stopped_inside_lxml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'>' inside quoted values hides the attributes from the pre-check: the kill stops it."""
    monkeypatch.setenv("NEWSEVENTS_MAX_SECONDS_PER_DOCUMENT", "2")
    _good(tmp_path)
    (tmp_path / "a-attrs.html").write_text(_attribute_page(80_000, ">"))  # lxml: about 30 s
    (tmp_path / "b-page.html").write_text(PAGE)
    started = time.monotonic()
    items = _read([str(tmp_path)])
    assert time.monotonic() - started < 15
    assert len(_docs(items)) == 4  # the page after the hung one is read by a fresh helper
    [failure] = _failures(items)
    assert failure.input.endswith("a-attrs.html") and "took longer than 2 s" in failure.reason


# -- finding 3: what one document may cost ------------------------------------------------------


def test_a_hundred_thousand_sentences_are_refused_before_parsing() -> None:
    raw = RawDocument("ran.txt", "I ran.\n" * 100_000, "scraped")
    with pytest.raises(InputTooLargeError, match="tokens, over the 30,000-token limit"):
        prepare(raw, clean=False)
    article = newsevents.extract("I ran.\n" * 100_000, clean=False)
    assert article.failure is not None and "NEWSEVENTS_MAX_TOKENS" in article.failure.reason


def test_sentence_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_MAX_SENTENCES", "100")
    with pytest.raises(InputTooLargeError, match="sentences"):
        prepare(RawDocument("x", "Yes. " * 101, "scraped"), clean=False)
    prepare(RawDocument("x", "Yes. " * 99, "scraped"), clean=False)


def test_parser_batches_are_bounded_in_tokens() -> None:
    from newsevents.budget import token_batches  # (imported here: the rest runs on old code)

    texts = ["word " * 400, "word " * 400, "word " * 900, "word " * 200, "word " * 2_000]
    groups = list(token_batches(texts, str, 1_000, 16))
    assert [len(g) for g in groups] == [2, 1, 1, 1]  # one over the budget is parsed alone
    assert [len(g) for g in token_batches(["a"] * 5, str, 1_000, 2)] == [2, 2, 1]


# -- finding 4: silent acceptance ---------------------------------------------------------------


def test_nul_bytes_after_the_first_8_kb_are_refused(tmp_path: Path) -> None:
    (tmp_path / "nul.txt").write_bytes(GOOD[0].encode() * 100 + b"\x00tail")
    [failure] = _read([str(tmp_path / "nul.txt")])
    assert isinstance(failure, Failure) and "NUL byte at byte" in failure.reason


def _warc(pages: list[tuple[str, str]], compress: bool = False) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for i, (ctype, body) in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://example-news.test/{i}",
            "response",
            payload=io.BytesIO(body.encode()),
            http_headers=headers,
        )
        writer.write_record(record)
    return buffer.getvalue()


def test_truncated_warc_record_is_a_failure(tmp_path: Path) -> None:
    data = _warc([("text/html", PAGE)] * 3)
    (tmp_path / "cut.warc").write_bytes(data[: len(data) - len(PAGE) + 85])
    items = _read([str(tmp_path / "cut.warc")])
    assert [d.url for d in _docs(items)] == [f"https://example-news.test/{i}" for i in (0, 1)]
    [failure] = _failures(items)
    assert failure.input.endswith("#https://example-news.test/2") and "truncated" in failure.reason


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_warc([("image/png", "x"), ("text/plain", "y")]), "no HTTP response with an HTML page"),
        (b"two lines\nof junk\n", "not a valid WARC"),
        (b"WARC/1.0\r\njunk\r\n\r\n", "no HTTP response with an HTML page"),
    ],
)
def test_warc_without_html_is_a_failure(tmp_path: Path, data: bytes, reason: str) -> None:
    (tmp_path / "x.warc").write_bytes(data)
    [failure] = _read([str(tmp_path / "x.warc")])
    assert isinstance(failure, Failure) and reason in failure.reason


def test_unsupported_files_in_a_directory_are_reported(tmp_path: Path) -> None:
    _good(tmp_path)
    (tmp_path / "memo.doc").write_bytes(b"\xd0\xcf\x11\xe0 a word file")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden").write_text("skipped")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")  # plainly no article: skipped
    (tmp_path / "n.duckdb").write_bytes(b"DUCK")  # the run's own database: skipped
    items = _read([str(tmp_path)])
    assert len(_docs(items)) == 3
    assert sorted(Path(f.input).name for f in _failures(items)) == ["memo.doc", "report.pdf"]
    assert all("unsupported file type" in f.reason for f in _failures(items))


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
{levels}
]>
<rss version="2.0"><channel><title>t</title>
<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&xxe;</title><description>&xxe;</description>
</item></channel></rss>"""


def _laughs() -> str:
    levels = "\n".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    return LAUGHS.format(levels=levels)


@pytest.mark.parametrize(
    "data",
    [_laughs().encode(), XXE.encode(), _laughs().encode("utf-16")],
    ids=["billion-laughs", "xxe", "utf-16"],
)
def test_feeds_declaring_entities_are_refused(tmp_path: Path, data: bytes) -> None:
    from newsevents.errors import UnsafeInputError
    from newsevents.ingest.feeds import refuse_entities

    (tmp_path / "feed.rss").write_bytes(data)
    [failure] = _read([str(tmp_path / "feed.rss")])
    assert isinstance(failure, Failure) and "declares XML entities" in failure.reason
    with pytest.raises(UnsafeInputError):
        refuse_entities(data)


def test_feed_quoting_an_entity_in_its_content_is_read() -> None:
    from newsevents.ingest.feeds import refuse_entities

    feed = b'<rss><channel><item><description><![CDATA[<!ENTITY x "y">]]></description>'
    refuse_entities(feed + b"</item></channel></rss>")  # after the root: not a declaration


def test_feed_with_impossible_character_references_is_read(tmp_path: Path) -> None:
    """feedparser's lenient parser raised on '&#xD800;', which cost every item of the feed."""
    body = f"<p>{GOOD[0]}</p>"
    item = f"<item><title>A &#xD800; B &#1114112; C</title><description>{body}</description>"
    feed = f"<rss><channel>{item}<content:encoded><![CDATA[{body}]]></content:encoded></item>"
    (tmp_path / "feed.rss").write_text(feed + "</channel></rss>")  # not well-formed: lenient
    [doc] = _read([str(tmp_path / "feed.rss")])
    assert isinstance(doc, RawDocument) and doc.title == "A \ufffd B \ufffd C"


# -- finding 5: only http(s) is ever fetched ----------------------------------------------------


def _feed(links: list[str]) -> str:
    items = "".join(
        f"<item><title>Item {i}</title><link>{u}</link></item>" for i, u in enumerate(links)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    return f"{head}{items}</channel></rss>"


def test_feed_links_to_local_files_and_other_schemes_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text(PAGE)
    links = [
        f"file://localhost{secret}",
        f"file:{secret}",
        f"file://{secret}",
        "ftp://127.0.0.1/secret.html",
        "data:text/html,<p>hello</p>",
    ]
    (tmp_path / "feed.rss").write_text(_feed(links))
    items = _read([str(tmp_path / "feed.rss")])
    assert _docs(items) == []
    assert len(_failures(items)) == len(links)
    assert all("only http:// and https://" in f.reason for f in _failures(items))


class _Server(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], str]]] = {}

    def do_GET(self) -> None:
        status, headers, body = self.routes.get(self.path, (404, {}, "missing"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    _Server.routes = {
        "/feed.rss": (200, {}, _feed([f"{base}/page", f"{base}/to-file", f"{base}/to-ftp"])),
        "/page": (200, {"Content-Type": "text/html"}, PAGE),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, ""),
        "/to-ftp": (302, {"Location": "ftp://127.0.0.1/x"}, ""),
    }
    yield base
    httpd.shutdown()


def test_redirects_to_other_schemes_are_refused(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSEVENTS_HTTP_HOST_DELAY", "0")
    items = _read([f"{server}/feed.rss"])
    assert [d.title for d in _docs(items)] == ["Item 0"]
    failures = _failures(items)
    assert len(failures) == 2
    assert all("only http:// and https://" in f.reason for f in failures)


def test_private_links_can_be_refused(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_HTTP_HOST_DELAY", "0")
    monkeypatch.setenv("NEWSEVENTS_FETCH_PRIVATE_LINKS", "false")
    items = _read([f"{server}/feed.rss"])  # the feed itself was named: it is fetched
    assert _docs(items) == []
    assert any("private or local address" in f.reason for f in _failures(items))


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.0.1", True),
        ("169.254.169.254", True),
        ("::1", True),
        ("::ffff:10.0.0.1", True),
        ("fe80::1%eth0", True),
        ("0.0.0.0", True),
        ("93.184.216.34", False),
        ("2606:4700::1111", False),
    ],
)
def test_private_addresses(address: str, private: bool) -> None:
    from newsevents.ingest.http import is_private

    assert is_private(address) is private


def test_a_public_host_cannot_redirect_to_a_private_address() -> None:
    from newsevents.errors import UnsafeInputError
    from newsevents.ingest.http import _Guard

    named = _Guard(named=True, may_be_private=False, links_allowed=True)
    named.check("news.test", "93.184.216.34")  # the URL the user named: public
    with pytest.raises(UnsafeInputError, match="private or local address"):
        named.check("internal.test", "10.0.0.5")  # where its redirect leads
    local = _Guard(named=True, may_be_private=False, links_allowed=True)
    local.check("127.0.0.1", "127.0.0.1")  # a feed named on the user's own machine...
    local.check("127.0.0.1", "127.0.0.1")  # ...may redirect there
    link = _Guard(named=False, may_be_private=False, links_allowed=True)  # a public feed's link
    with pytest.raises(UnsafeInputError):
        link.check("metadata", "169.254.169.254")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.test/a", "gopher://x", "http://"])
def test_only_http_urls_pass(url: str) -> None:
    from newsevents.errors import UnsafeInputError
    from newsevents.ingest.http import check_scheme

    with pytest.raises(UnsafeInputError):
        check_scheme(url)
    check_scheme("https://example.test/a")


def test_the_html_helper_exits_on_its_own_when_closed() -> None:
    """Regression: the forked helper kept a copy of the parent's end of its pipe, never saw
    end-of-file, and was killed after a 2 s wait at every close (2 s per HTML file read)."""
    from newsevents.ingest.isolate import Helper

    helper = Helper()
    assert helper.call(len, ("abc",), 10.0, "a test call") == 3
    process = helper._process
    assert process is not None
    helper.close()
    assert process.exitcode == 0  # returned from its loop: not killed (-9)
