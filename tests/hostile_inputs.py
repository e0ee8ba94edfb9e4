"""Generators of hostile inputs (issue 20's matrix), shared by the matrix benchmark and its test.

Each :class:`Case` writes one bad input (or a few of one kind) into a batch directory that also
holds the three :data:`GOOD` articles; ``benchmarks/hostile_matrix.py`` runs ``process`` and
``extract`` on each batch and checks that nothing crashes or hangs, that the good articles are
stored, and that a rejected input leaves a failure row. Every input is generated, bounded in
size (the largest file written is about 10 MB; bombs are small files that expand hugely).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GOOD = [
    "Envoys from Zelvania and its neighbour met in Geneva on Monday to discuss a truce. "
    "The foreign minister said the talks had been useful.\n",
    "Police in Korvath detained several protesters outside parliament on Tuesday, officials "
    "said. The interior minister promised an inquiry.\n",
    "The central bank of Tumbria raised its interest rate on Wednesday. Its governor said "
    "inflation was still too high.\n",
]
MARKERS = ["Zelvania", "Korvath", "Tumbria"]  # one per good article, in no hostile input
GOOD_NAMES = [f"good-{i}.txt" for i in range(len(GOOD))]
BODY = (
    "Officials in the capital said on Thursday that the talks would resume next week. "
    "The minister told reporters the country wanted a lasting peace.\n"
)
STORY = BODY + (
    "Rebels shelled the northern town overnight, the army said. Two soldiers were wounded, "
    "according to a statement.\n"
    "The opposition leader called for new elections on Friday. She accused the government of "
    "fraud.\n"
)
PAGE = (
    "<html><head><title>Talks to resume</title></head><body><article><h1>Talks to resume</h1>"
    f"<p>{BODY}</p><p>{BODY}</p></article></body></html>"
)

MB = 1_000_000

Builder = Callable[[Path], list[str]]


@dataclass(frozen=True)
class Case:
    """One hostile input: ``build`` writes it into the batch directory.

    ``expect`` is "fail" (refused: a failure row and exit 1), "ok" (read: no failure row, exit
    0) or "any" (either, as long as nothing crashes or hangs). ``build`` returns paths to name
    on the command line besides the batch directory (usually none). ``skip`` gives a reason the
    case cannot run here (e.g. a permission test run as root).
    """

    name: str
    what: str
    expect: str
    build: Builder
    skip: str | None = None


def write_good(root: Path) -> None:
    """Write the three good articles into ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in zip(GOOD_NAMES, GOOD, strict=True):
        (root / name).write_text(text)


# -- building blocks ----------------------------------------------------------------------------


def bomb(total: int, unit: bytes = b"\0", member: int = 10 * MB) -> bytes:
    """A gzip file expanding to ``total`` bytes of ``unit`` repeated (about 1 KB per MB)."""
    one = gzip.compress(unit * (member // len(unit)), compresslevel=9)
    return one * max(1, total // member)


def warc(
    pages: list[tuple[str, bytes]], *, compress: bool = False, kind: str = "response"
) -> bytes:
    """A WARC archive of HTTP response records (content type, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for i, (ctype, body) in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://example-news.test/{i}",
            kind,
            payload=io.BytesIO(body),
            http_headers=headers if kind == "response" else None,
        )
        writer.write_record(record)
    return buffer.getvalue()


def feed(items: list[str], *, doctype: str = "") -> str:
    """An RSS 2.0 document with the given ``<item>`` elements."""
    return (
        f'<?xml version="1.0"?>{doctype}<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
        + "".join(items)
        + "</channel></rss>"
    )


def item(title: str, *, link: str | None = None, body: str | None = None) -> str:
    parts = [f"<title>{title}</title>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if body is not None:
        parts.append(f"<content:encoded><![CDATA[{body}]]></content:encoded>")
    return "<item>" + "".join(parts) + "</item>"


def laughs() -> str:
    levels = "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    doctype = f'<!DOCTYPE rss [<!ENTITY lol "lol">{levels}]>'
    return feed([item("&lol9;", body="&lol9;")], doctype=doctype)


def attribute_page(n: int, value: str = "x") -> str:
    attributes = " ".join(f'a{i}="{value}"' for i in range(n))
    return f"<html><body><div {attributes}>hello</div><p>{BODY}</p></body></html>"


def jsonl(*records: object) -> str:
    return "\n".join(json.dumps(r) for r in records) + "\n"


def _write(name: str, data: bytes | str) -> Builder:
    def build(root: Path) -> list[str]:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        return []

    return build


def _lazy(name: str, make: Callable[[], bytes | str]) -> Builder:
    """Like :func:`_write`, generating the content only when the case is built."""

    def build(root: Path) -> list[str]:
        return _write(name, make())(root)

    return build


def _garbage(n: int, seed: int = 20) -> bytes:
    return random.Random(seed).randbytes(n)


# -- file-system oddities -----------------------------------------------------------------------


def _symlink_loop(root: Path) -> list[str]:
    (root / "loop.txt").symlink_to("loop.txt")  # a link to itself: ELOOP on open
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to("..")  # a directory cycle: never followed
    (root / "sub" / "a.txt").symlink_to("b.txt")
    (root / "sub" / "b.txt").symlink_to("a.txt")
    return []


def _dangling(root: Path) -> list[str]:
    (root / "gone.txt").symlink_to(root / "no-such-file.txt")
    return []


def _unreadable(root: Path) -> list[str]:
    path = root / "secret.txt"
    path.write_text(BODY)
    path.chmod(0)
    return []


def _dir_named_like_a_file(root: Path) -> list[str]:
    (root / "story.txt").mkdir()
    (root / "story.txt" / "inner.html").write_text(PAGE)
    (root / "page.html").mkdir()
    return [str(root / "page.html")]  # named on the command line too


def _fifo(root: Path) -> list[str]:
    os.mkfifo(root / "pipe.txt")  # opening it for reading would block for ever
    return []


def _device(root: Path) -> list[str]:
    (root / "zero.txt").symlink_to("/dev/zero")  # endless: must never be read
    return []


def _named_unknown(root: Path) -> list[str]:
    path = root.parent / f"{root.name}-notes.docx"
    path.write_bytes(b"PK\x03\x04 not really a word file")
    return [str(path)]


def _named_missing(root: Path) -> list[str]:
    return [str(root.parent / f"{root.name}-missing.txt")]


def _hidden(root: Path) -> list[str]:
    (root / ".secret.txt").write_text(BODY)  # hidden: skipped in a directory, by design
    return []


def _many_tiny(root: Path) -> list[str]:
    sub = root / "tiny"
    sub.mkdir()
    for i in range(200):
        (sub / f"t{i:03d}.txt").write_text("" if i % 2 else "\n")
    return []


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _truncated_warc() -> bytes:
    body = PAGE.encode()
    data = warc([("text/html", body)] * 3)
    return data[: len(data) - len(body) + 85]


def _warc_member_bomb() -> bytes:
    """A WARC of gzip members, named .warc: one record expands 1,000-fold to 60 MB."""
    page = warc([("text/html", PAGE.encode())], compress=True)
    return page + warc([("text/plain", b" " * 60 * MB)], compress=True, kind="resource")


# -- the matrix -----------------------------------------------------------------------------------


def cases() -> list[Case]:
    """Every case of the matrix, in a stable order."""
    deep = "[" * 100_000 + "]" * 100_000
    deep_object = '{"a":' * 50_000 + "1" + "}" * 50_000
    rs = [
        # compression
        Case(
            "gzip-bomb-txt",
            ".txt.gz: 4 MB → 4 GB of zeros",
            "fail",
            _lazy("bomb.txt.gz", lambda: bomb(4_000 * MB)),
        ),
        Case(
            "gzip-bomb-jsonl",
            ".jsonl.gz: 1 GB of JSON records",
            "fail",
            _lazy("bomb.jsonl.gz", lambda: bomb(1_000 * MB, b'{"text": "x"}\n')),
        ),
        Case(
            "gzip-bomb-html",
            ".html.gz: 1 GB of spaces",
            "fail",
            _lazy("bomb.html.gz", lambda: bomb(1_000 * MB, b" ")),
        ),
        Case(
            "gzip-bomb-warc",
            ".warc.gz: 1 GB of zeros",
            "fail",
            _lazy("bomb.warc.gz", lambda: bomb(1_000 * MB)),
        ),
        Case(
            "gzip-bomb-rss",
            ".rss.gz: 1 GB of spaces",
            "fail",
            _lazy("bomb.rss.gz", lambda: bomb(1_000 * MB, b" ")),
        ),
        Case(
            "ratio-bomb-jsonl",
            ".jsonl.gz: 60 MB of records (under the size cap) in 60 KB",
            "fail",
            _lazy("ratio.jsonl.gz", lambda: bomb(60 * MB, b'{"text": "x"}\n', 6 * MB)),
        ),
        Case(
            "ratio-bomb-txt",
            ".txt.gz: 4 MB of text (under the size cap) in 10 KB",
            "fail",
            _lazy("ratio.txt.gz", lambda: bomb(4 * MB, b"I ran. ", 4 * MB)),
        ),
        Case(
            "ratio-bomb-warc-member",
            ".warc of gzip members, one expanding to 60 MB",
            "fail",
            _lazy("members.warc", _warc_member_bomb),
        ),
        Case(
            "gzip-truncated",
            ".txt.gz cut in half",
            "fail",
            _lazy("cut.txt.gz", lambda: gzip.compress(BODY.encode() * 50)[:300]),
        ),
        Case("gzip-not-gzip", ".txt.gz holding plain text", "fail", _write("plain.txt.gz", BODY)),
        Case("gzip-empty", ".txt.gz of 0 bytes", "fail", _write("empty.txt.gz", b"")),
        Case(
            "gzip-of-empty",
            ".jsonl.gz of empty content",
            "fail",
            _lazy("nothing.jsonl.gz", lambda: gzip.compress(b"")),
        ),
        Case(
            "gzip-multi-member",
            ".jsonl.gz of two gzip members",
            "ok",
            _lazy(
                "two.jsonl.gz",
                lambda: (
                    gzip.compress(jsonl({"text": BODY}).encode())
                    + gzip.compress(jsonl({"text": BODY + " Again."}).encode())
                ),
            ),
        ),
        # JSON Lines
        Case(
            "json-deep-array",
            "a JSON line nested 100,000 levels (arrays)",
            "fail",
            _write("deep.jsonl", deep + "\n"),
        ),
        Case(
            "json-deep-object",
            "a JSON line nested 50,000 levels (objects)",
            "fail",
            _write("deep-object.jsonl", deep_object + "\n"),
        ),
        Case(
            "json-surrogate-text",
            'text holding lone surrogates "\\ud800", "\\udfff"',
            "ok",
            _write(
                "surrogate.jsonl", '{"text": "Lone \\ud800 and \\udfff: ' + BODY.strip() + '"}\n'
            ),
        ),
        Case(
            "json-surrogate-title",
            "title holding a lone surrogate",
            "ok",
            _write("surrogate-title.jsonl", jsonl({"text": BODY, "title": "\udfff"})),
        ),
        Case(
            "json-nul-escape",
            'text holding "\\u0000" and other controls',
            "ok",
            _write("nul-escape.jsonl", jsonl({"text": "Nul\u0000 bell\u0007 " + BODY})),
        ),
        Case(
            "json-non-object",
            "lines that are JSON but not objects",
            "fail",
            _write("array.jsonl", '[1, 2]\n"text"\n42\nnull\n'),
        ),
        Case("json-zero-bytes", "a 0-byte .jsonl", "fail", _write("empty.jsonl", b"")),
        Case(
            "json-blank-lines",
            "a .jsonl of blank lines only",
            "fail",
            _write("blank.jsonl", "\n \n\t\n"),
        ),
        Case(
            "json-broken-line",
            "a JSON line cut short",
            "fail",
            _write("broken.jsonl", '{"text": "unfinished\n'),
        ),
        Case(
            "json-huge-integer",
            "a 5,000-digit integer",
            "fail",
            _write("int.jsonl", '{"text": 1' + "0" * 5_000 + "}\n"),
        ),
        Case(
            "json-enormous-line",
            "one 6 MB line",
            "fail",
            _lazy("long.jsonl", lambda: json.dumps({"text": "word " * 1_200_000}) + "\n"),
        ),
        Case(
            "json-wrong-types",
            '"text": 5, "url": [], "published": {}',
            "fail",
            _write("types.jsonl", jsonl({"text": 5, "url": [], "published": {}})),
        ),
        Case(
            "json-invalid-utf8",
            "a .jsonl with a byte that is not UTF-8",
            "fail",
            _write("latin.jsonl", b'{"text": "caf\xe9 ' + BODY.encode() + b'"}\n'),
        ),
        Case(
            "json-bom-crlf",
            "a .jsonl with a UTF-8 BOM and CRLF line ends",
            "ok",
            _write(
                "bom.jsonl", b"\xef\xbb\xbf" + jsonl({"text": BODY}).replace("\n", "\r\n").encode()
            ),
        ),
        Case(
            "json-hostile-html",
            '"html": an element of 400,000 attributes',
            "fail",
            _lazy("attrs.jsonl", lambda: jsonl({"html": attribute_page(300_000)})),
        ),
        # plain text
        Case(
            "text-nul-after-8kb",
            "NUL bytes after the first 8 KB",
            "fail",
            _write("nul.txt", BODY.encode() * 60 + b"\x00tail"),
        ),
        Case(
            "text-invalid-utf8",
            "bytes that are not UTF-8",
            "fail",
            _write("latin.txt", ("Caf\xe9 " + BODY).encode("latin-1")),
        ),
        Case("text-utf8-bom", "a UTF-8 BOM", "ok", _write("bom.txt", "\ufeff" + BODY)),
        Case(
            "text-utf16-bom",
            "UTF-16 with its BOM (NUL bytes: refused, convert)",
            "fail",
            _write("utf16.txt", BODY.encode("utf-16")),
        ),
        Case(
            "text-crlf",
            "CRLF line ends",
            "ok",
            _write("crlf.txt", STORY.replace("\n", "\r\n")),
        ),
        Case(
            "text-cr-only",
            "CR-only line ends",
            "ok",
            _write("cr.txt", STORY.replace("\n", "\r")),
        ),
        Case(
            "text-controls",
            "escape, bell, zero-width and bidi characters",
            "ok",
            _write("controls.txt", "\x1b[31m\x07 \u200b\u202e" + BODY),
        ),
        Case(
            "text-enormous-line",
            "one 6 MB line",
            "fail",
            _lazy("long.txt", lambda: "word " * 1_200_000),
        ),
        Case(
            "text-one-word",
            "a 900 KB word with no space",
            "any",
            _lazy("word.txt", lambda: "x" * 900_000),
        ),
        Case(
            "text-many-sentences",
            '100,000 one-line sentences "I ran."',
            "fail",
            _lazy("ran.txt", lambda: "I ran.\n" * 100_000),
        ),
        Case("text-empty", "a 0-byte .txt", "fail", _write("empty.txt", b"")),
        Case(
            "text-whitespace", "a .txt of whitespace only", "fail", _write("space.txt", " \n\t\n")
        ),
        Case("text-binary", "random bytes named .txt", "fail", _write("noise.txt", _garbage(4096))),
        # HTML
        Case(
            "html-attributes",
            "one element with 400,000 attributes",
            "fail",
            _lazy("attrs.html", lambda: attribute_page(400_000)),
        ),
        Case(
            "html-hidden-attributes",
            "80,000 attributes whose values hold '>'",
            "fail",
            _lazy("hidden-attrs.html", lambda: attribute_page(80_000, ">")),
        ),
        Case(
            "html-binary",
            "random bytes named .html",
            "fail",
            _write("noise.html", _garbage(20_000, 7)),
        ),
        Case("html-empty", "a 0-byte .html", "fail", _write("empty.html", b"")),
        Case(
            "html-no-text",
            "a page with no text",
            "fail",
            _write("blank.html", "<html><head></head><body><div></div></body></html>"),
        ),
        Case(
            "html-script-only",
            "a page that is all script",
            "fail",
            _write("script.html", "<html><body><script>var a = 1;</script></body></html>"),
        ),
        Case(
            "html-deep",
            "100,000 nested <div>",
            "any",
            _lazy(
                "deep.html",
                lambda: (
                    "<html><body>"
                    + "<div>" * 100_000
                    + BODY
                    + "</div>" * 100_000
                    + "</body></html>"
                ),
            ),
        ),
        Case(
            "html-latin1",
            "a page in Latin-1 declared so",
            "any",
            _write(
                "latin.html",
                (
                    '<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9. '
                    + BODY
                    + "</p></body></html>"
                ).encode("latin-1"),
            ),
        ),
        Case("html-bom", "a page with a UTF-8 BOM", "ok", _write("bom.html", "\ufeff" + PAGE)),
        # WARC
        Case(
            "warc-truncated",
            "a WARC whose last record is cut short",
            "fail",
            _lazy("cut.warc", _truncated_warc),
        ),
        Case(
            "warc-no-html",
            "a WARC with no HTML response",
            "fail",
            _lazy("images.warc", lambda: warc([("image/png", b"x"), ("text/plain", b"y")])),
        ),
        Case(
            "warc-junk",
            "two lines of junk named .warc",
            "fail",
            _write("junk.warc", b"two lines\nof junk\n"),
        ),
        Case("warc-empty", "a 0-byte .warc", "fail", _write("empty.warc", b"")),
        Case(
            "warc-big-record",
            "a 6 MB HTML record",
            "fail",
            _lazy("big.warc", lambda: warc([("text/html", b"<p>" + b"word " * 1_200_000)])),
        ),
        # feeds
        Case(
            "rss-billion-laughs",
            "an RSS declaring nested entities",
            "fail",
            _write("laughs.rss", laughs()),
        ),
        Case(
            "rss-xxe",
            "an RSS with an external entity (file:///etc/passwd)",
            "fail",
            _write(
                "xxe.rss",
                feed(
                    [item("&xxe;", body="&xxe;")],
                    doctype='<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                ),
            ),
        ),
        Case(
            "rss-file-links",
            "items linking to file://, file:, ftp:, data:",
            "fail",
            _write(
                "local.rss",
                feed(
                    [
                        item(f"L{i}", link=u)
                        for i, u in enumerate(
                            [
                                "file://localhost/etc/passwd",
                                "file:/etc/passwd",
                                "ftp://127.0.0.1/x",
                                "data:text/html,<p>hi</p>",
                            ]
                        )
                    ]
                ),
            ),
        ),
        Case(
            "rss-dead-link",
            "an item linking to a closed port on 127.0.0.1",
            "fail",
            _write("dead.rss", feed([item("Dead", link="http://127.0.0.1:9/story")])),
        ),
        Case("rss-empty", "a 0-byte .rss", "fail", _write("empty.rss", b"")),
        Case(
            "xml-not-a-feed",
            "an .xml that is no feed",
            "fail",
            _write("data.xml", '<?xml version="1.0"?><root><a>1</a></root>'),
        ),
        Case(
            "atom-good",
            "an Atom feed with inline content",
            "ok",
            _write(
                "good.atom",
                '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                "<title>t</title><entry><title>Talks</title><id>urn:x:1</id>"
                f'<content type="html"><![CDATA[<p>{BODY}</p>]]></content></entry></feed>',
            ),
        ),
        # directories and the file system
        Case(
            "dir-pdf-doc",
            ".pdf and .doc files in the directory",
            "fail",
            lambda root: [
                *_write("report.pdf", b"%PDF-1.4")(root),
                *_write("memo.doc", b"\xd0\xcf\x11\xe0")(root),
            ],
        ),
        Case(
            "dir-symlink-loop",
            "symlinks to themselves and a directory cycle",
            "fail",
            _symlink_loop,
        ),
        Case("dir-dangling-link", "a symlink to nothing", "fail", _dangling),
        Case(
            "dir-unreadable",
            "a file with mode 000",
            "fail",
            _unreadable,
            skip="run as root: every file is readable" if _is_root() else None,
        ),
        Case(
            "dir-named-like-a-file",
            "directories named story.txt and page.html",
            "ok",
            _dir_named_like_a_file,
        ),
        Case("dir-fifo", "a named pipe called pipe.txt", "fail", _fifo),
        Case("dir-device", "a symlink to /dev/zero called zero.txt", "fail", _device),
        Case("dir-hidden", "a hidden .secret.txt (skipped by design)", "ok", _hidden),
        Case("dir-many-empty", "200 empty or blank .txt files", "fail", _many_tiny),
        Case("cli-unknown-type", "a .docx named on the command line", "fail", _named_unknown),
        Case(
            "cli-missing",
            "a path that does not exist, named on the command line",
            "fail",
            _named_missing,
        ),
    ]
    names = [c.name for c in rs]
    assert len(names) == len(set(names)), "case names must be unique"
    return rs


def build_case(case: Case, root: Path) -> list[str]:
    """Write the batch for ``case`` under ``root`` (the good articles and the hostile input).

    Returns the command-line paths: the batch directory, then any the case names.
    """
    batch = root / case.name
    write_good(batch)
    return [str(batch), *case.build(batch)]
