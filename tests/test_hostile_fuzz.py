"""Fuzz tests (issue 20): generated text, HTML, JSON Lines and feeds thrown at ``extract``.

No exception may escape, every input yields an article or a failure, and every span's offsets
point at its text. Two generators: a seeded ``random`` corpus read as one directory, and a
property-based test (``hypothesis``) that builds one document per example and shrinks a
failing one to a minimal input. Both are bounded (the hypothesis test: a fixed number of
examples, derandomized so that CI sees the same inputs every run, about 10 s).
"""

from __future__ import annotations

import json
import random
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsevents.api import extract_document
from newsevents.config import get_settings
from newsevents.ingest import read_inputs
from newsevents.model import Failure, RawDocument

SEED = 20
_VOCABULARY = (
    "the minister said talks in Geneva would resume , . ; : ! ? - — – \" ' “ ” ‘ ’ « » ( ) "
    "Lavrov Putin NATO Kremlin 2025 on Monday police arrested 40 protesters accused warned "
    "denied according to told reporters Washington Ankara sanctions cease-fire Dr. U.S. "
    "é ñ ü 東京 Москва القاهرة 🙂 \t \n \n\n &amp; &lt; &#0; &#xD800; \\u0000"
)
WORDS = _VOCABULARY.split(" ")
ODD = ["\x00", "\x07", "\x1b", "\u200b", "\u202e", "\ufeff", "\ud800", "\udfff", "\x85", "\u2028"]
TAGS = ["p", "div", "span", "b", "i", "a", "script", "style", "table", "td", "li", "h1", "nav"]


def _text(rng: random.Random, n: int, odd: int = 0) -> str:
    """``n`` random words, and ``odd`` or more odd characters (NUL, lone surrogates…)."""
    words = [rng.choice(WORDS) for _ in range(n)]
    for _ in range(rng.randint(odd, odd + 3)):
        words.insert(rng.randrange(len(words) + 1), rng.choice(ODD))
    return " ".join(words)


def _html(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        if depth < 6 and rng.random() < 0.5:
            tag = rng.choice(TAGS)
            attrs = " ".join(f'{rng.choice("abcxyz")}="{_text(rng, 2)}"' for _ in range(3))
            close = f"</{tag}>" if rng.random() < 0.8 else ""
            parts.append(f"<{tag} {attrs}>{_html(rng, depth + 1)}{close}")
        else:
            parts.append(_text(rng, rng.randint(1, 40)))
    return "".join(parts)


def _json_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(6 if depth < 4 else 3)
    if kind == 0:
        return _text(rng, rng.randint(0, 30))
    if kind == 1:
        return rng.choice([None, True, 3, -1.5, 10**30])
    if kind == 2:
        return _text(rng, 3)
    if kind == 3:
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {k: _json_value(rng, depth + 1) for k in rng.sample(["text", "html", "url", "x"], 2)}


def _inputs(root: Path, rng: random.Random) -> list[Path]:
    paths = []
    for i in range(4):
        path = root / f"t{i}.txt"
        path.write_bytes(_text(rng, rng.randint(0, 120)).encode("utf-8", "surrogatepass"))
        paths.append(path)
    for i in range(4):
        path = root / f"h{i}.html"
        page = f"<html><head><title>{_text(rng, 5)}</title></head><body>{_html(rng)}</body>"
        path.write_bytes(page.encode("utf-8", "surrogatepass"))
        paths.append(path)
    lines = []
    for _ in range(6):
        record = {
            "text": _text(rng, rng.randint(0, 60), odd=1),
            "title": _text(rng, 4, odd=1),
            "published": rng.choice(["2025-01-02", "yesterday", 5, None, "9999-99-99"]),
            "url": rng.choice(["https://x.test/a", "file:///etc/passwd", 7, None]),
        }
        if rng.random() < 0.3:
            record = {"html": _html(rng), "extra": _json_value(rng)}
        line = json.dumps(record)
        lines.append(line if rng.random() < 0.8 else line[: rng.randrange(len(line))])
    (root / "lines.jsonl").write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    paths.append(root / "lines.jsonl")
    items = "".join(
        f"<item><title>{_text(rng, 4).replace('<', '')}</title><pubDate>{_text(rng, 2)}"
        f"</pubDate><content:encoded><![CDATA[{_html(rng)}]]></content:encoded></item>"
        for _ in range(3)
    )
    items += "<item><title>local</title><link>file:///etc/passwd</link></item>"
    namespace = 'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    feed = f'<?xml version="1.0"?><rss version="2.0" {namespace}><channel>{items}</channel></rss>'
    (root / "feed.rss").write_bytes(feed.encode("utf-8", "surrogatepass"))
    paths.append(root / "feed.rss")
    return paths


def _spans(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        own = [value] if {"start", "end", "text"} <= value.keys() else []
        return own + [s for v in value.values() for s in _spans(v)]
    if isinstance(value, list):
        return [s for v in value for s in _spans(v)]
    return []


def test_generated_inputs_never_escape(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    paths = _inputs(tmp_path, rng)
    items = list(read_inputs([str(tmp_path)], get_settings().read_limits))
    sources = {i.input if isinstance(i, Failure) else i.source_path for i in items}
    for path in paths:  # each input gave a document or a failure
        assert any(s.startswith(str(path)) for s in sources), path
    documents = [i for i in items if isinstance(i, RawDocument)]
    assert documents
    for raw in documents:
        for clean in (True, False):
            article = extract_document(raw, clean=clean)
            record = article.to_dict()
            json.dumps(record, ensure_ascii=False).encode("utf-8")  # storable, printable
            if article.failure is not None:
                continue
            text = article.text
            assert "\x00" not in text
            for span in _spans(record):
                assert text[span["start"] : span["end"]] == span["text"], (raw.source_path, span)


# -- property-based: one generated document per example -----------------------------------------

_word = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(ODD),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=8),  # surrogates too
)
_words = st.lists(_word, max_size=80).map(" ".join)


@st.composite
def _html_strategy(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(
                st.lists(st.tuples(st.sampled_from("abcxyz"), _words), max_size=3).map(
                    lambda pairs: "".join(f' {k}="{v}"' for k, v in pairs)
                )
            )
            inner = draw(_html_strategy(depth + 1))
            close = f"</{tag}>" if draw(st.booleans()) else ""
            parts.append(f"<{tag}{attrs}>{inner}{close}")
        else:
            parts.append(draw(_words))
    return "".join(parts)


_json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), _words)
_json_values = st.recursive(
    _json_scalar,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["text", "html", "url", "x"]), inner, max_size=3)
    ),
    max_leaves=8,
)
_record = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(_words, _json_values),
        "html": _html_strategy(),
        "title": st.one_of(_words, _json_values),
        "url": st.sampled_from(["https://x.test/a", "file:///etc/passwd", "", "javascript:x"]),
        "published": st.one_of(
            st.sampled_from(["2025-01-02", "9999-99-99", "yesterday"]), _json_values
        ),
        "source": _json_values,
    },
)


@st.composite
def _jsonl_strategy(draw: st.DrawFn) -> str:
    lines = []
    for record in draw(st.lists(st.one_of(_record, _json_values), min_size=1, max_size=4)):
        line = json.dumps(record)
        if draw(st.integers(0, 9)) == 0:  # now and then a line cut short
            line = line[: draw(st.integers(0, len(line)))]
        lines.append(line)
    return "\n".join(lines)


@st.composite
def _feed_strategy(draw: st.DrawFn) -> str:
    items = []
    for _ in range(draw(st.integers(0, 3))):
        title = draw(_words).replace("<", "").replace("&", "")
        link = draw(
            st.sampled_from(["", "<link>file:///etc/passwd</link>", "<link>ftp://x</link>"])
        )
        body = draw(_html_strategy()).replace("]]>", "")
        items.append(
            f"<item><title>{title}</title>{link}<pubDate>{draw(_words)}</pubDate>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    namespace = 'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    channel = f'<rss version="2.0" {namespace}><channel>{"".join(items)}</channel></rss>'
    return draw(st.sampled_from(['<?xml version="1.0"?>', ""])) + channel


_documents = st.one_of(
    st.tuples(st.just(".txt"), _words),
    st.tuples(st.just(".html"), _html_strategy().map(lambda b: f"<html><body>{b}</body></html>")),
    st.tuples(st.just(".jsonl"), _jsonl_strategy()),
    st.tuples(st.just(".rss"), _feed_strategy()),
)


# In-process HTML extraction: a helper process per example would cost more than the example.
LIMITS = get_settings(isolate_html=False).read_limits


@settings(
    max_examples=300,
    deadline=timedelta(seconds=20),  # one example parses a few short articles: well under 1 s
    derandomize=True,  # the same examples every run: CI stays stable, a failure reproduces
    database=None,  # nothing written to .hypothesis/
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(document=_documents, clean=st.booleans())
def test_any_generated_document_gives_articles_or_failures(
    document: tuple[str, str], clean: bool
) -> None:
    suffix, content = document
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_bytes(content.encode("utf-8", "surrogatepass"))
        items = list(read_inputs([str(path)], LIMITS))
    assert items, "an input gave neither an article nor a failure"
    for item in items:
        source = item.input if isinstance(item, Failure) else item.source_path
        assert source.startswith(str(path)), source
        if isinstance(item, Failure):
            assert item.reason
            json.dumps([item.input, item.reason], ensure_ascii=False).encode("utf-8")
            continue
        article = extract_document(item, clean=clean)
        record = article.to_dict()
        json.dumps(record, ensure_ascii=False).encode("utf-8")  # storable, printable
        if article.failure is not None:
            assert article.failure.reason
            continue
        text = article.text
        assert "\x00" not in text
        for span in _spans(record):
            assert text[span["start"] : span["end"]] == span["text"], (item.source_path, span)
