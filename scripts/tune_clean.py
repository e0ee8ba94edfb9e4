"""Inspect the plain-text cleaner on the extraction benchmark's dev pages (a tuning aid).

Usage: ``python scripts/tune_clean.py [--worst N] [--show ID_PREFIX] [--half A|B|all]``

Prints per-page precision and recall of ``clean_text``, worst first; with ``--show``, the
lines of one page marked kept or dropped, whether they hold ground-truth shingles, and their
block score. Output goes to the terminal only. Only the dev half is read, never the test half;
of it, only half A by default (``benchmarks/extraction.py``'s split): decide on A, report B.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "article_extraction" / "dev"
sys.path.insert(0, str(ROOT / "benchmarks"))

from extraction import halves, score_doc, shingles  # noqa: E402
from newsevents.clean import _rules, clean_text, split_lines  # noqa: E402
from newsevents.clean_blocks import line_score  # noqa: E402


def show(doc_id: str, text: str, truth: str) -> None:
    """Print every line of one page with its fate, truth overlap and block score."""
    kept = clean_text(text).text
    truth_sh = shingles(truth)
    kept_lines = set(kept.split("\n\n"))
    params = _rules().blocks
    for line in split_lines(text):
        sh = shingles(line.text)
        overlap = sum(1 for s in sh if s in truth_sh) / max(1, len(sh))
        mark = "K" if line.text in kept_lines else "-"
        flag = "T" if overlap > 0.5 else " "
        bad = "!!" if (mark == "K") != (flag == "T") else "  "
        score = line_score(line.text, params)
        print(f"{bad}{mark}{flag} {score:7.1f} {line.text[:110]}")


def main() -> int:
    """Print per-page scores, worst first, or one page's lines."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--worst", type=int, default=20)
    parser.add_argument("--show", default=None)
    parser.add_argument("--half", choices=["A", "B", "all"], default="A")
    args = parser.parse_args()
    truth = {
        k: v.get("articleBody") or ""
        for k, v in json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8")).items()
    }
    half_a, half_b = halves(list(truth))
    ids = {"A": half_a, "B": half_b, "all": sorted(truth)}[args.half]
    rows = []
    for doc_id in ids:
        text = (DEV / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
        if args.show and doc_id.startswith(args.show):
            show(doc_id, text, truth[doc_id])
            return 0
        s = score_doc(truth[doc_id], clean_text(text).text)
        p, r = s.precision or 0.0, s.recall or 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        rows.append((f, p, r, doc_id))
    for f, p, r, doc_id in sorted(rows)[: args.worst]:
        print(f"{doc_id[:10]} F={f:.2f} P={p:.2f} R={r:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
