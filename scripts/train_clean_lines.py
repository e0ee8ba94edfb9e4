"""Train the plain-text cleaner's line classifier on half A of the extraction dev pages.

Usage: ``python scripts/train_clean_lines.py [--tune] [--scope block|all]``

Reads ``../shared/eval/article_extraction/dev`` (pages' plain text and true bodies), keeps half
A only (``benchmarks/extraction.py``'s split: ``random.Random(20261203)``), and labels every
line of the main block the rules find (``--scope all``: every line that reaches the block step)
as article text when more than half of its word 4-grams occur in the true body. A logistic
regression (numpy, L2, Newton steps; lines weighted by the log of their word count) is fitted
to the line features of ``newsevents.clean_blocks.line_features``. Only the feature names and
weights are written, to ``src/newsevents/data/clean_lines.toml``: no page text leaves
``../shared/``. With ``--tune``, half A's F1 is printed for a grid of ``block_weight``,
``drop_below`` and ``edge_below``, with 2-fold cross-validation inside half A (the values and
the on/off switch in ``clean.toml``'s ``[lines]`` were chosen from it). Half B is never read.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "article_extraction" / "dev"
OUT = ROOT / "src" / "newsevents" / "data" / "clean_lines.toml"
sys.path.insert(0, str(ROOT / "benchmarks"))

from extraction import corpus_scores, halves, score_doc, shingles  # noqa: E402
from newsevents import clean  # noqa: E402
from newsevents.clean_blocks import FEATURES, line_features  # noqa: E402

L2 = 1.0
# Which lines train the classifier: "block" (the lines of the main block the rules find) or
# "all" (every line that reaches the block step).
SCOPE = "block"


def _pages() -> tuple[dict[str, str], dict[str, str], list[str]]:
    truth_all = json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8"))
    half_a, _ = halves(list(truth_all))
    truth = {i: truth_all[i].get("articleBody") or "" for i in half_a}
    texts = {i: (DEV / "text" / f"{i}.txt").read_text(encoding="utf-8") for i in half_a}
    return truth, texts, half_a


def dataset(truth: dict[str, str], texts: dict[str, str], ids: list[str]) -> tuple[np.ndarray, ...]:
    """Return features, labels and sample weights of every candidate line of the pages."""
    rules = clean._rules()
    xs, ys, ws = [], [], []
    for i in ids:
        all_lines, lines, marks, _, title = clean.candidate_lines(texts[i])
        truth_sh = shingles(truth[i])
        rows = line_features([ln.text for ln in lines], title, rules.lines.boiler, rules.blocks)
        anchors = clean.headline_anchors(all_lines, rules)
        before, block, _ = clean.select_block(lines, rules, marks, None, anchors)
        before, block, _ = clean.keep_lead(before, block, None, title, rules)
        in_block = {ln.raw_start for ln in block}
        for line, row in zip(lines, rows, strict=True):
            if SCOPE == "block" and line.raw_start not in in_block:
                continue
            sh = shingles(line.text)
            inside = sum(1 for s in sh if s in truth_sh) / max(1, len(sh))
            xs.append(row)
            ys.append(1.0 if inside > 0.5 else 0.0)
            ws.append(math.log1p(sum(sh.values())))
    return np.array(xs), np.array(ys), np.array(ws)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2) -> np.ndarray:
    """Fit a weighted L2 logistic regression by Newton's method (the bias is not penalised)."""
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        grad = x.T @ (w * (p - y)) + penalty * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


GRID: list[tuple[float, float, float]] = [
    *((w, -99.0, -99.0) for w in (0.0, 1.0, 2.5, 5.0, 10.0, 20.0)),
    *((2.5, d, -99.0) for d in (-3.0, -2.0)),
    *((2.5, -99.0, e) for e in (-1.5, -1.0)),
]


def tune(truth: dict[str, str], texts: dict[str, str], half_a: list[str]) -> None:
    """Print half A's F1 for every grid point, each page cleaned by weights fitted without it.

    Half A is cut into two folds (alternate ids); the weights fitted on one fold clean the
    other, so the figures are out-of-sample for the weights, and half B stays untouched.
    """
    folds = [half_a[0::2], half_a[1::2]]
    base = clean._rules()
    original = clean._rules
    per_fold = []
    for k in (0, 1):
        x, y, w = dataset(truth, texts, folds[1 - k])
        per_fold.append(tuple(float(b) for b in fit(x, y, w)))
    try:
        for block_weight, drop_below, edge_below in GRID:
            scores = []
            for k in (0, 1):
                model = dataclasses.replace(
                    base.lines,
                    enabled=True,
                    weights=per_fold[k],
                    block_weight=block_weight,
                    drop_below=drop_below,
                    edge_below=edge_below,
                )
                rules = dataclasses.replace(base, lines=model)
                clean._rules = lambda rules=rules: rules  # type: ignore[assignment]
                scores += [score_doc(truth[i], clean.clean_text(texts[i]).text) for i in folds[k]]
            f1 = corpus_scores(scores)[2]
            print(f"block_weight={block_weight:5.1f} drop_below={drop_below:6.1f}", end=" ")
            print(f"edge_below={edge_below:6.1f} A F1 (2-fold)={f1:.4f}")
    finally:
        clean._rules = original


def main() -> int:
    """Fit the weights on half A and write them; with --tune, print a grid of F1 on half A."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--scope", choices=["block", "all"], default=SCOPE)
    args = parser.parse_args()
    globals()["SCOPE"] = args.scope
    if not (DEV / "ground-truth.json").exists():
        print(f"no benchmark data at {DEV}", file=sys.stderr)
        return 2
    truth, texts, half_a = _pages()
    x, y, w = dataset(truth, texts, half_a)
    beta = fit(x, y, w)
    p = 1.0 / (1.0 + np.exp(-(x @ beta)))
    accuracy = float(np.average((p > 0.5) == (y > 0.5), weights=w))
    print(f"half A: {len(half_a)} pages, {len(y)} lines, {int(y.sum())} article lines")
    print(f"weighted training accuracy {accuracy:.3f}")
    lines = [
        "# Line classifier weights for newsevents.clean (written by scripts/train_clean_lines.py).",
        f"# Learned on half A ({len(half_a)} pages, {len(y)} lines) of the extraction dev pages.",
        "# Feature names and weights only: no page text.",
        "features = [" + ", ".join(f'"{f}"' for f in FEATURES) + "]",
        "weights = [" + ", ".join(f"{b:.4f}" for b in beta) + "]",
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, b in zip(FEATURES, beta, strict=True):
        print(f"  {name:20} {b:8.3f}")
    if args.tune:
        tune(truth, texts, half_a)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
