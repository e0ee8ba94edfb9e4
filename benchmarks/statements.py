"""Benchmark statement extraction on PolNeAR (../shared/eval/polnear), newsevents beside textacy.

Usage: ``python benchmarks/statements.py [--split dev] [--limit N] [--range LO:HI]``

Metrics (offsets into the given text, no cleaning; gold = each article's first annotator):

* content P/R/F1: a prediction matches a gold attribution when the token-level F1 of their
  content spans is >= 0.5; matching is one-to-one, best pairs first.
* exact P/R/F1: the same with identical content tokens (punctuation tokens ignored).
* speaker / cue accuracy: over matched pairs, the predicted speaker (cue) span has token F1
  >= 0.5 with the gold source (cue); both absent counts as correct.
* recall split by whether the gold content contains a quotation mark.
* the yardstick, ``../shared/eval/score.py statements``, run on newsevents' output written as
  ``newsevents extract`` writes it (only ``content`` counts there, not ``continuation``), over a
  temporary gold folder of links to the scored articles.

``--split train --range 600:840`` scores the train articles the scorer's model selection holds
out (``scripts/train_statements.py --fit-docs 600 --heldout 600:840``): the decision half for
changes to span rules. The bundled models were refitted on all of train, so train figures are
optimistic for the learned parts.

Only aggregate figures are printed; no corpus text is written anywhere.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from newsevents.model import Statement

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear"
SCORE_PY = ROOT.parent / "shared" / "eval" / "score.py"
_TOKEN = re.compile(r"\w+|[^\w\s]")
_QUOTE_MARKS = ('"', "“", "”", "«", "»", "``", "''")

Segs = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Attribution:
    """One attribution: character segments of content, source and cue (empty when absent)."""

    content: Segs
    source: Segs
    cue: Segs


System = Callable[[list[str], list[date]], list[list[Attribution]]]


@dataclass
class Scores:
    """Counts accumulated over articles for one system."""

    gold: int = 0
    pred: int = 0
    matched: int = 0
    exact: int = 0
    speaker_ok: int = 0
    cue_ok: int = 0
    gold_quoted: int = 0
    gold_unquoted: int = 0
    matched_quoted: int = 0
    matched_unquoted: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def _segs(spec: str) -> Segs:
    return tuple((int(a), int(b)) for a, b in (part.split() for part in spec.split(";")))


def read_ann(path: Path) -> list[Attribution]:
    """Return the attributions of one brat .ann file."""
    spans: dict[str, tuple[str, Segs]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, spec = parts[1].partition(" ")
            spans[parts[0]] = (kind, _segs(spec))
        elif line.startswith("E") and len(parts) >= 2:
            args = dict(a.split(":", 1) for a in parts[1].split() if ":" in a)
            events.append(args)
    out = []
    for args in events:
        content = tuple(
            seg
            for role in ("Content", "Content2")
            if role in args
            for seg in spans.get(args[role], ("", ()))[1]
        )
        if not content:
            continue
        out.append(
            Attribution(
                content=content,
                source=spans.get(args.get("Source", ""), ("", ()))[1],
                cue=spans.get(args.get("Cue", ""), ("", ()))[1],
            )
        )
    return out


def articles(
    split: str, limit: int | None, lo_hi: tuple[int, int] | None = None
) -> list[tuple[str, str, list[Attribution], date]]:
    """Return (name, text, gold attributions, publication date) for the split's articles."""
    rows = []
    with (POLNEAR / "metadata.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["compartment"] == split:
                rows.append(row)
    rows.sort(key=lambda r: r["filename"])
    if lo_hi is not None:
        rows = rows[lo_hi[0] : lo_hi[1]]
    if limit:
        rows = rows[:limit]
    out = []
    for row in rows:
        name, annotator = row["filename"], row["annotators"].split("|")[0]
        ann = POLNEAR / split / "attributions" / f"{name}_{annotator}.ann"
        text = (POLNEAR / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        published = date.fromisoformat(row["publication_date"])
        out.append((name, text, read_ann(ann) if ann.exists() else [], published))
    return out


class Tokens:
    """Word tokens of a text with character offsets, for token-level span comparison."""

    def __init__(self, text: str) -> None:
        """Tokenise the text once."""
        self.spans = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        self.starts = [s for s, _, _ in self.spans]

    def ids(self, segs: Iterable[tuple[int, int]], words_only: bool = False) -> frozenset[int]:
        """Return the indices of tokens overlapping the segments."""
        from bisect import bisect_left, bisect_right

        out: set[int] = set()
        for start, end in segs:
            lo = max(0, bisect_right(self.starts, start) - 1)
            hi = bisect_left(self.starts, end)
            for i in range(lo, hi):
                s, e, word = self.spans[i]
                if s < end and start < e and (not words_only or word[0].isalnum()):
                    out.add(i)
        return frozenset(out)


def f1(a: frozenset[int], b: frozenset[int]) -> float:
    """Return the token-level F1 of two token-index sets."""
    both = len(a & b)
    return 0.0 if both == 0 else 2 * both / (len(a) + len(b))


def _ok(tokens: Tokens, pred: Segs, gold: Segs) -> bool:
    if not pred and not gold:
        return True
    return f1(tokens.ids(pred), tokens.ids(gold)) >= 0.5


def score(scores: Scores, text: str, gold: list[Attribution], pred: list[Attribution]) -> None:
    """Match predictions to gold attributions one-to-one and add the counts."""
    tokens = Tokens(text)
    g_ids = [tokens.ids(g.content) for g in gold]
    p_ids = [tokens.ids(p.content) for p in pred]
    pairs = []
    for gi, g_tok in enumerate(g_ids):
        for pi, p_tok in enumerate(p_ids):
            value = f1(g_tok, p_tok)
            if value >= 0.5:
                pairs.append((value, gi, pi))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched: list[tuple[int, int]] = []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            matched.append((gi, pi))
    scores.gold += len(gold)
    scores.pred += len(pred)
    scores.matched += len(matched)
    for gi, g in enumerate(gold):
        quoted = any(m in text[s:e] for s, e in g.content for m in _QUOTE_MARKS)
        if quoted:
            scores.gold_quoted += 1
            scores.matched_quoted += gi in used_g
        else:
            scores.gold_unquoted += 1
            scores.matched_unquoted += gi in used_g
    # Exact: identical word tokens, matched one-to-one separately.
    exact_g: set[int] = set()
    exact_p: set[int] = set()
    gw = [tokens.ids(g.content, words_only=True) for g in gold]
    for pi, p in enumerate(pred):
        pw = tokens.ids(p.content, words_only=True)
        for gi, g_words in enumerate(gw):
            if gi not in exact_g and pi not in exact_p and g_words == pw and g_words:
                exact_g.add(gi)
                exact_p.add(pi)
    scores.exact += len(exact_g)
    for gi, pi in matched:
        scores.speaker_ok += _ok(tokens, pred[pi].source, gold[gi].source)
        scores.cue_ok += _ok(tokens, pred[pi].cue, gold[gi].cue)


def from_statement(s: Statement) -> Attribution:
    """Our statement as an attribution: content (with its continuation), source and cue spans.

    A content that runs over its attribution to the continuation ('"…," she said, "…"') is
    scored as its two parts: up to the speaker or cue, and the continuation.
    """
    source = () if s.speaker is None else ((s.speaker.start, s.speaker.end),)
    cue = ((s.cue.start, s.cue.end),)
    start, end = s.content.start, s.content.end
    cont = s.continuation
    if cont is None:
        return Attribution(content=((start, end),), source=source, cue=cue)
    if start <= cont.start < end:
        end = min((a for a, _ in source + cue if start < a < cont.start), default=cont.start)
    return Attribution(content=((start, end), (cont.start, cont.end)), source=source, cue=cue)


def newsevents_system(
    keep: list[list[Statement]] | None = None,
) -> Callable[[list[str], list[date]], list[list[Attribution]]]:
    """Return newsevents' extractor as a batch function over texts (statements into ``keep``)."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsevents.extract.entities import extract_entities
    from newsevents.extract.statements import extract_statements
    from newsevents.nlp import load_pipeline

    nlp = load_pipeline()

    def run(texts: list[str], dates: list[date]) -> list[list[Attribution]]:
        out = []
        for doc, published in zip(nlp.pipe(texts, batch_size=16), dates, strict=True):
            statements = extract_statements(
                doc, entities=extract_entities(doc), published=published
            )
            out.append([from_statement(s) for s in statements])
            if keep is not None:
                keep.append(list(statements))
        return out

    return run


def operating_points(
    data: list[tuple[str, str, list[Attribution], date]], thresholds: list[float]
) -> list[tuple[float, Scores]]:
    """Score newsevents at each statement confidence threshold (``min_confidence``)."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsevents.extract.entities import extract_entities
    from newsevents.extract.statements import extract_statements
    from newsevents.nlp import load_pipeline

    nlp = load_pipeline()
    docs = list(nlp.pipe((d[1] for d in data), batch_size=16))
    entities = [extract_entities(doc) for doc in docs]
    out = []
    for threshold in thresholds:
        sc = Scores()
        for doc, ents, (_, text, gold, published) in zip(docs, entities, data, strict=True):
            found = extract_statements(
                doc, entities=ents, published=published, min_confidence=threshold
            )
            score(sc, text, gold, [from_statement(s) for s in found])
        out.append((threshold, sc))
    return out


def yardstick(
    split: str, data: list[tuple[str, str, list[Attribution], date]], found: list[list[Statement]]
) -> dict[str, float] | None:
    """Return ``score.py statements``' figures for these statements (None without score.py)."""
    if not SCORE_PY.exists():
        return None
    from newsevents.model import _statement_dict

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "text").mkdir()
        (folder / "attributions").mkdir()
        lines = []
        skipped = 0
        for (name, text, _, _), statements in zip(data, found, strict=True):
            anns = list((POLNEAR / split / "attributions").glob(f"{name}_*.ann"))
            if not all(_readable(ann) for ann in anns):
                skipped += 1
                continue
            (folder / "text" / f"{name}.txt").symlink_to(POLNEAR / split / "text" / f"{name}.txt")
            for ann in anns:
                (folder / "attributions" / ann.name).symlink_to(ann)
            record = {
                "source_path": f"{name}.txt",
                "text": text,
                "statements": [_statement_dict(s) for s in statements],
            }
            lines.append(json.dumps(record))
        (folder / "pred.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = subprocess.run(
            [sys.executable, str(SCORE_PY), "statements", str(folder / "pred.jsonl"), str(folder)],
            capture_output=True,
            text=True,
            check=True,
        )
    result: dict[str, float] = json.loads(out.stdout)
    result["skipped_articles"] = skipped
    return result


def _readable(ann: Path) -> bool:
    """Whether score.py can read the .ann file (a few train files break a line inside a span)."""
    lines = ann.read_text(encoding="utf-8").splitlines()
    return all(not line.strip() or re.match(r"[TEARN#]\w*\t", line) for line in lines)


def textacy_system() -> Callable[[list[str], list[date]], list[list[Attribution]]] | None:
    """Return textacy's direct_quotations as a batch function, or None if not installed."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    sys.path.insert(0, str(ROOT / "src"))
    from newsevents.nlp import load_pipeline

    nlp = load_pipeline()

    def segs(tokens: list) -> Segs:  # type: ignore[type-arg]
        return tuple((t.idx, t.idx + len(t.text)) for t in tokens)

    def run(texts: list[str], dates: list[date]) -> list[list[Attribution]]:
        out = []
        for doc in nlp.pipe(texts, batch_size=16):
            found = []
            try:
                triples = list(direct_quotations(doc))
            except Exception:  # textacy may fail on odd quotation marks; count as no output
                triples = []
            for speaker, cue, content in triples:
                found.append(
                    Attribution(content=segs(content), source=segs(speaker), cue=segs(cue))
                )
            out.append(found)
        return out

    return run


def _pct(num: int, den: int) -> str:
    return "   -  " if den == 0 else f"{100 * num / den:6.1f}"


def _prf(matched: int, pred: int, gold: int) -> tuple[str, str, str]:
    p = matched / pred if pred else 0.0
    r = matched / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{100 * p:6.1f}", f"{100 * r:6.1f}", f"{100 * f:6.1f}"


def report(results: dict[str, Scores | None]) -> None:
    """Print the side-by-side table."""
    names = list(results)
    rows: list[tuple[str, list[str]]] = []

    def add(label: str, get: Callable[[Scores], str]) -> None:
        cells = []
        for name in names:
            sc = results[name]
            cells.append("textacy not installed" if sc is None else get(sc))
        rows.append((label, cells))

    add("gold / predicted", lambda s: f"{s.gold} / {s.pred}")
    add("content precision", lambda s: _prf(s.matched, s.pred, s.gold)[0])
    add("content recall", lambda s: _prf(s.matched, s.pred, s.gold)[1])
    add("content F1", lambda s: _prf(s.matched, s.pred, s.gold)[2])
    add("exact precision", lambda s: _prf(s.exact, s.pred, s.gold)[0])
    add("exact recall", lambda s: _prf(s.exact, s.pred, s.gold)[1])
    add("exact F1", lambda s: _prf(s.exact, s.pred, s.gold)[2])
    add("speaker accuracy (matched)", lambda s: _pct(s.speaker_ok, s.matched))
    add("cue accuracy (matched)", lambda s: _pct(s.cue_ok, s.matched))
    add("recall, with quotation mark", lambda s: _pct(s.matched_quoted, s.gold_quoted))
    add("recall, without quotation mark", lambda s: _pct(s.matched_unquoted, s.gold_unquoted))
    add("seconds", lambda s: f"{s.seconds:6.1f}")
    width = max(len(r[0]) for r in rows)
    cols = [max(len(n), *(len(r[1][i]) for r in rows)) for i, n in enumerate(names)]
    print(f"{'':<{width}}  " + "  ".join(f"{n:>{c}}" for n, c in zip(names, cols, strict=True)))
    for label, cells in rows:
        print(
            f"{label:<{width}}  " + "  ".join(f"{v:>{c}}" for v, c in zip(cells, cols, strict=True))
        )


def agreement() -> tuple[int, Scores]:
    """Score the other annotators against the first on the articles all six annotated.

    The same metric applied to people: the ceiling a system can expect on this corpus.
    """
    sc = Scores()
    n = 0
    with (POLNEAR / "metadata.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            annotators = row["annotators"].split("|")
            if row["compartment"] not in ("train", "dev") or len(annotators) < 2:
                continue
            folder = POLNEAR / row["compartment"]
            text = (folder / "text" / f"{row['filename']}.txt").read_text(encoding="utf-8")
            ann = [
                read_ann(folder / "attributions" / f"{row['filename']}_{a}.ann") for a in annotators
            ]
            for other in ann[1:]:
                score(sc, text, ann[0], other)
            n += 1
    return n, sc


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--range", default=None, help="LO:HI: the split's articles LO to HI-1")
    parser.add_argument("--only", choices=["newsevents", "textacy"], default=None)
    parser.add_argument(
        "--thresholds",
        default="0.1,0.15,0.2,0.25,0.3,0.5",
        help="statement confidence thresholds for the operating-point table ('' to skip)",
    )
    args = parser.parse_args(argv)
    if not POLNEAR.is_dir():
        print(f"PolNeAR not found at {POLNEAR}", file=sys.stderr)
        return 2
    lo_hi = None if args.range is None else tuple(int(x) for x in args.range.split(":"))
    data = articles(args.split, args.limit, lo_hi)  # type: ignore[arg-type]
    texts = [d[1] for d in data]
    dates = [d[3] for d in data]
    kept: list[list[Statement]] = []
    systems: dict[str, Callable[[], System | None]]
    systems = {"newsevents": lambda: newsevents_system(kept), "textacy": textacy_system}
    results: dict[str, Scores | None] = {}
    for name, factory in systems.items():
        if args.only and name != args.only:
            continue
        run = factory()
        if run is None:
            results[name] = None
            continue
        sc = Scores()
        started = time.perf_counter()
        predictions = run(texts, dates)
        sc.seconds = time.perf_counter() - started
        for (_, text, gold, _), pred in zip(data, predictions, strict=True):
            score(sc, text, gold, pred)
        results[name] = sc
    print(f"PolNeAR {args.split}: {len(data)} articles")
    report(results)
    yard = yardstick(args.split, data, kept) if kept else None
    if yard is not None:
        print(
            f"\nyardstick (score.py statements), newsevents: content P {yard['content_precision']}"
            f" R {yard['content_recall']} F1 {yard['content_f1']}, exact F1 {yard['exact_f1']},"
            f" speaker accuracy {yard['speaker_accuracy']}, cue accuracy {yard['cue_accuracy']},"
            f" recall without quotation mark {yard['recall_without_quote_marks']}"
            + (
                f" ({yard['skipped_articles']} articles left out: score.py cannot read their .ann)"
                if yard["skipped_articles"]
                else ""
            )
        )
    if args.thresholds and args.only != "textacy":
        print("\nnewsevents by min_confidence (the setting statement_min_confidence; default 0.2):")
        print("threshold  content P  content R  content F1  recall without quotation mark")
        for threshold, sc in operating_points(data, [float(t) for t in args.thresholds.split(",")]):
            p, r, f = _prf(sc.matched, sc.pred, sc.gold)
            unquoted = _pct(sc.matched_unquoted, sc.gold_unquoted)
            print(f"{threshold:9.2f}  {p:>9}  {r:>9}  {f:>10}  {unquoted:>29}")
    n, people = agreement()
    p, r, f = _prf(people.matched, people.pred, people.gold)
    print(
        f"\nAnnotator agreement, same metric ({n} train/dev articles annotated by six people; "
        f"the first annotator as gold, the other five scored):\ncontent P {p.strip()} "
        f"R {r.strip()} F1 {f.strip()}, recall without quotation mark "
        f"{_pct(people.matched_unquoted, people.gold_unquoted).strip()}, speaker accuracy "
        f"{_pct(people.speaker_ok, people.matched).strip()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
