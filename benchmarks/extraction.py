"""Benchmark article-body extraction on ../shared/eval/article_extraction (dev half by default).

Usage: ``python benchmarks/extraction.py [--split dev] [--limit N] [--per-doc] [--only a|b|c]``

The dev pages are split into two halves with ``random.Random(20261203)`` (ids sorted, shuffled,
first half A, the rest B): the plain-text cleaner's features and weights are learned on half A
only (``scripts/train_clean_lines.py``), so half B is the figure that says how it generalises.
Every row is printed for A, B and all pages, each with the yardstick
(``../shared/eval/score.py extraction``) beside the benchmark's own F1.

Rows, all scored against the same ground-truth bodies:

* (a) HTML page -> body: ``newsevents.ingest.html.from_html`` beside ``trafilatura.extract``.
  ``from_html`` removes trafilatura's repeated headline line from the body (the headline goes
  to ``title``). The benchmark's ground-truth bodies do not hold the headline, so the body is
  scored as it is, without the title prepended; trafilatura's ``extract`` default output has
  no headline either, so both rows are scored on the same footing.
* (b) whole-page plain text -> body: ``newsevents.clean.clean_text`` beside the uncleaned text
  (the baseline). The headline that ``clean_text`` recognises is likewise not prepended.
* (c) a safety check, not a benchmark row: the ground-truth bodies themselves (already clean
  article text) through ``clean_text``; recall below 1 is article text the cleaner drops.

Metric (the benchmark's ``evaluate.py``, re-implemented here): ``\\w+`` tokens, shingles of 4
consecutive tokens as a multiset (a text of 1-3 tokens gives one shorter shingle), per-document
TP/FP/FN normalised by their sum, corpus precision and recall as means over the documents
where they are defined, F1 from the two means. Only aggregate figures are printed (with
``--per-doc``, per-page scores by id); no page text is written anywhere.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import logging
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval" / "article_extraction"
SCORE_PY = ROOT.parent / "shared" / "eval" / "score.py"
HALF_SEED = 20261203
_WORD = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Return the multiset of n-token shingles of a text (one short shingle if it is short)."""
    tokens = _WORD.findall(text)
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


@dataclass(frozen=True)
class DocScore:
    """Normalised counts of one document and its precision and recall (None if undefined)."""

    tp: float
    fp: float
    fn: float
    precision: float | None
    recall: float | None


def score_doc(truth: str, pred: str) -> DocScore:
    """Score one predicted body against the ground truth, as the benchmark's metric does."""
    t, p = shingles(truth), shingles(pred)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    if fp == 0 and fn == 0:
        precision: float | None = 1.0
        recall: float | None = 1.0
    else:
        precision = 0.0 if tp == 0 and fp == 0 else (tp / (tp + fp))
        recall = 0.0 if tp == 0 and fn == 0 else (tp / (tp + fn))
    # corpus means only count documents where the prediction (truth) has shingles
    return DocScore(tp, fp, fn, precision if tp + fp > 0 else None, recall if tp + fn > 0 else None)


def corpus_scores(scores: list[DocScore]) -> tuple[float, float, float]:
    """Return corpus precision, recall (means over defined documents) and F1 from them."""
    ps = [s.precision for s in scores if s.precision is not None]
    rs = [s.recall for s in scores if s.recall is not None]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def halves(ids: list[str], seed: int = HALF_SEED) -> tuple[list[str], list[str]]:
    """Split page ids into halves A and B: sorted, shuffled with ``random.Random(seed)``."""
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    cut = len(order) // 2
    return sorted(order[:cut]), sorted(order[cut:])


def yardstick(preds: dict[str, str], truth: dict[str, str]) -> float | None:
    """Return ``score.py extraction``'s F1 for these predictions (None without score.py).

    Predictions and the ground truth of the same ids go to a temporary directory only.
    """
    if not SCORE_PY.exists():
        return None
    spec = importlib.util.spec_from_file_location("shared_score", SCORE_PY)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as tmp:
        pred_path, truth_path = Path(tmp) / "pred.jsonl", Path(tmp) / "truth.json"
        with pred_path.open("w", encoding="utf-8") as fh:
            for i, text in preds.items():
                fh.write(json.dumps({"source_path": f"{i}.txt", "text": text}) + "\n")
        truth_path.write_text(
            json.dumps({i: {"articleBody": truth[i]} for i in preds}), encoding="utf-8"
        )
        return float(module.score_extraction(pred_path, truth_path)["f1"])


def _newsevents_html(doc_id: str, page: str) -> str:
    from newsevents.config import get_settings
    from newsevents.errors import EmptyInputError
    from newsevents.ingest.html import from_html

    try:
        return from_html(f"{doc_id}.html", page, get_settings().read_limits).content
    except EmptyInputError:
        return ""


def _trafilatura(doc_id: str, page: str) -> str:
    import trafilatura

    return trafilatura.extract(page) or ""


def _clean(doc_id: str, text: str) -> str:
    from newsevents.clean import clean_text

    return clean_text(text).text


def _uncleaned(doc_id: str, text: str) -> str:
    return text


Method = Callable[[str, str], str]
ROWS: tuple[tuple[str, str, Method], ...] = (
    ("(a) html  newsevents from_html", "html", _newsevents_html),
    ("(a) html  trafilatura.extract", "html", _trafilatura),
    ("(b) text  newsevents clean_text", "text", _clean),
    ("(b) text  uncleaned baseline", "text", _uncleaned),
    ("(c) truth body -> clean_text", "truth", _clean),
)


def _load(split_dir: Path, limit: int | None) -> tuple[dict[str, str], dict[str, str], list[str]]:
    truth_all = json.loads((split_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth_all)[:limit] if limit else sorted(truth_all)
    truth = {i: truth_all[i].get("articleBody") or "" for i in ids}
    pages = {}
    for i in ids:
        with gzip.open(split_dir / "html" / f"{i}.html.gz", "rb") as fh:
            pages[i] = fh.read().decode("utf-8", errors="replace")
    return truth, pages, ids


def main(argv: list[str] | None = None) -> int:
    """Run every row on the split's halves and print P, R, F1, the yardstick F1 and time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--per-doc", action="store_true", help="print per-page F1 by id")
    parser.add_argument("--only", choices=["a", "b", "c"], default=None, help="run one part only")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    split_dir = DATA / args.split
    if not (split_dir / "ground-truth.json").exists():
        print(f"no benchmark data at {split_dir}", file=sys.stderr)
        return 2
    truth, pages, ids = _load(split_dir, args.limit)
    texts = {i: (split_dir / "text" / f"{i}.txt").read_text(encoding="utf-8") for i in ids}
    half_a, half_b = halves(ids)
    groups = (("A", half_a), ("B", half_b), ("all", ids))
    print(f"article extraction, {args.split}: {len(ids)} pages, halves A {len(half_a)} / B", end="")
    print(f" {len(half_b)} by random.Random({HALF_SEED}); 'score.py' is the yardstick's F1")
    print(f"{'method':34} {'half':>4} {'P':>6} {'R':>6} {'F1':>6} {'score.py':>8} {'ms/page':>8}")
    for name, kind, method in ROWS:
        if args.only and not name.startswith(f"({args.only})"):
            continue
        inputs = {"html": pages, "text": texts, "truth": truth}[kind]
        preds: dict[str, str] = {}
        scores: dict[str, DocScore] = {}
        elapsed: dict[str, float] = {}
        for i in ids:
            start = time.perf_counter()
            preds[i] = method(i, inputs[i])
            elapsed[i] = time.perf_counter() - start
            scores[i] = score_doc(truth[i], preds[i])
            if args.per_doc:
                s = scores[i]
                half = "A" if i in half_a else "B"
                print(f"  {name[:8]} {half} {i[:12]} P={s.precision} R={s.recall}")
        for half, members in groups:
            if not members:
                continue
            p, r, f1 = corpus_scores([scores[i] for i in members])
            yard = yardstick({i: preds[i] for i in members}, truth)
            yard_text = f"{yard:8.3f}" if yard is not None else f"{'-':>8}"
            ms = 1000 * sum(elapsed[i] for i in members) / len(members)
            print(f"{name:34} {half:>4} {p:6.3f} {r:6.3f} {f1:6.3f} {yard_text} {ms:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
