"""Train the sentence PLOVER type model (``data/events/types.npz``) and its calibration.

Data: ``../shared/train/ngec_synthetic/gpt_synthetic_events_2023-10-19.csv.gz``, 4,500 synthetic
news stories a language model wrote from headlines, each with a PLOVER type for the story
(Halterman 2023, arXiv:2303.16028; NGEC, MIT). Only the TRAINING part is read: the story indices
shuffled with ``random.Random(20261203)``, all but the last 1,500, which
``benchmarks/events.py`` (``synthetic_measure_rows``, ``SPLIT_SEED``, ``SYNTHETIC_MEASURE``) keeps
for measuring. The constants are repeated here, not imported, so that training never loads the
benchmark; keep the two in step. Also read: the PLOVER codebook's definitions
(``../shared/reference/PLOVER_structured_codebook_updated.csv``, CC BY-SA 4.0) and the CAMEO
descriptions of ``CAMEO2PLOVER-2021.txt`` (CC BY-SA 4.0), each labelled with its PLOVER type.

Examples: the first sentence of each story with the story's label; the second sentence with the
label at a lower weight (``--second-weight``); with ``--none-weight`` > 0, two sentences from the
fourth on of each story as ``NONE``, pseudo-negatives (the story's event is told in its first
sentences, later ones are mostly background, quotes and reactions, but not all of them); with
``--codebook-weight`` > 0, the codebook texts. Classes are weighted to equal totals, so the
model's prior is flat over the PLOVER types (NONE gets ``--none-weight`` times a type's share).

Model: multinomial logistic regression with an L2 penalty (``--l2``) over the binary features of
:func:`newsevents.extract.events.classifier.sentence_features`, fitted by full-batch Adam in
numpy. Features seen in fewer than ``--min-count`` training examples are left out. The file
keeps feature names (lemmas, dependency labels) and weights (float16), never the stories.

Usage (from the repository root)::

    python scripts/train_event_types.py --validate   # figures on a held-out slice, no file
    python scripts/train_event_types.py              # fit on the whole training part, write
    python scripts/train_event_types.py --calibrate  # fit classifier.toml on PLOVER half A

``--validate`` holds out 15% of the training stories, chosen by headline template (stories
written from one headline share wording, so a random slice flatters the model: 0.47 against
0.33), and reports the accuracy of the most probable type on their first and second sentences
and, with a NONE class, how often a held-out late sentence is rated NONE. ``--parsed FILE``
keeps the parses in a DocBin between runs (outside the repository: it holds the stories' text).

``--calibrate`` runs event extraction with the written model on PLOVER dev half A (the
``benchmarks/events.py`` split: decisions are made there, half B is held out), combines each
event's rule score with its type's probability (``--type-weight``, chosen on half A and on
out-of-fold predictions for the synthetic training part), and fits a logistic map from the
combined score to "the event has the sentence's gold type" (Platt), written as a table of knots.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spacy.tokens import Doc, DocBin  # noqa: E402

from newsevents.extract.events import classifier  # noqa: E402
from newsevents.extract.events.classifier import (  # noqa: E402
    BIAS,
    NONE,
    Calibration,
    load_type_model,
    sentence_features,
)
from newsevents.nlp import load_pipeline  # noqa: E402
from newsevents.ontology import PLOVER_TYPES  # noqa: E402

SHARED = ROOT.parent / "shared"
SYNTHETIC = Path("train") / "ngec_synthetic" / "gpt_synthetic_events_2023-10-19.csv.gz"
SPLIT_SEED = 20261203  # as benchmarks/events.py SPLIT_SEED
SYNTHETIC_MEASURE = 1500  # as benchmarks/events.py SYNTHETIC_MEASURE: never read here
SENTENCE = re.compile(r"(?<=[.!?])\s+")  # the benchmark's first-sentence split
FIRST_LATE = 3  # index of the first sentence taken as a NONE example
LATE_PER_STORY = 2
OUT = ROOT / "src" / "newsevents" / "data" / "events" / "types.npz"
CALIBRATION_OUT = OUT.with_name("classifier.toml")
PLOVER_DEV = Path("eval") / "plover_gsr" / "dev.jsonl"
CODEBOOK = Path("reference") / "PLOVER_structured_codebook_updated.csv"
CAMEO2PLOVER = Path("reference") / "CAMEO2PLOVER-2021.txt"
KNOTS = [round(0.025 * k, 3) for k in range(41)]  # the raw scores the calibration table lists


@dataclass(frozen=True, slots=True)
class Example:
    """One training text: its story, role (0 first, 1 second, 2 late, 3 codebook), class."""

    story: int
    title: str  # the headline template the story was written from
    role: int
    label: str
    text: str


def training_stories(shared: Path) -> list[dict[str, str]]:
    """Return the stories of the training part (index, title, label, text), in file order."""
    with gzip.open(shared / SYNTHETIC, "rt", encoding="utf-8") as f:
        stories = list(csv.DictReader(f))
    order = list(range(len(stories)))
    random.Random(SPLIT_SEED).shuffle(order)
    keep = sorted(order[:-SYNTHETIC_MEASURE])
    return [
        {
            "index": str(i),
            "title": stories[i]["title"],
            "label": stories[i]["label"].upper(),
            "text": stories[i]["text"],
        }
        for i in keep
    ]


def examples(stories: Sequence[dict[str, str]]) -> list[Example]:
    """Return first, second and late sentences of every story (late ones labelled NONE)."""
    out: list[Example] = []
    for s in stories:
        sents = [x for x in SENTENCE.split(s["text"].strip()) if x.strip()]
        story, title = int(s["index"]), s["title"]
        if sents:
            out.append(Example(story, title, 0, s["label"], sents[0]))
        if len(sents) > 1:
            out.append(Example(story, title, 1, s["label"], sents[1]))
        late = sents[FIRST_LATE:]
        rng = random.Random(story)
        for text in rng.sample(late, min(LATE_PER_STORY, len(late))):
            out.append(Example(story, title, 2, NONE, text))
    return out


def codebook_examples(shared: Path) -> list[Example]:
    """Return the PLOVER codebook's definitions and the CAMEO descriptions, by PLOVER type."""
    out: list[Example] = []
    seen: set[str] = set()
    with (shared / CODEBOOK).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for text in (row["event_def"], row["mode_def"]):
                if text.strip() and text not in seen:
                    seen.add(text)
                    out.append(Example(-1, "codebook", 3, row["event"].upper(), text.strip()))
    for line in (shared / CAMEO2PLOVER).read_text(encoding="utf-8").splitlines():
        head, _, name = line.partition("#")
        code, _, rest = head.partition(":")
        ptype = rest.split(",")[0].strip().upper()
        if code.strip().isdigit() and ptype in PLOVER_TYPES and name.strip():
            out.append(Example(-1, "codebook", 3, ptype, name.strip()))
    return out


def parse(texts: list[str], cache: Path | None) -> list[Doc]:
    """Parse the texts (each a document), reading and writing the DocBin cache if given."""
    nlp = load_pipeline()
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=64))
    if cache is not None:
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
    return docs


@dataclass
class Sparse:
    """Rows of binary features in CSR form."""

    indptr: np.ndarray
    indices: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1


def vectorise(feats: Sequence[Sequence[str]], index: dict[str, int]) -> Sparse:
    ptr, idx = [0], []
    for fs in feats:
        idx.extend(index[f] for f in fs if f in index)
        ptr.append(len(idx))
    return Sparse(np.asarray(ptr, dtype=np.int64), np.asarray(idx, dtype=np.int64))


def vocabulary(feats: Sequence[Sequence[str]], min_count: int) -> dict[str, int]:
    counts = Counter(f for fs in feats for f in set(fs))
    names = sorted(f for f, n in counts.items() if n >= min_count or f == BIAS)
    return {f: i for i, f in enumerate(names)}


def logits(x: Sparse, w: np.ndarray) -> np.ndarray:
    return np.add.reduceat(w[x.indices], x.indptr[:-1], axis=0)  # every row has the bias


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return np.asarray(p / p.sum(axis=1, keepdims=True))


def fit(
    x: Sparse,
    y: np.ndarray,
    weight: np.ndarray,
    n_features: int,
    n_classes: int,
    l2: float,
    epochs: int,
    bias_row: int,
) -> np.ndarray:
    """Fit softmax regression by full-batch Adam: weighted mean log loss + l2/2 * |w|^2."""
    w = np.zeros((n_features, n_classes), dtype=np.float64)
    m, v = np.zeros_like(w), np.zeros_like(w)
    onehot = np.eye(n_classes)[y]
    row_of = np.repeat(np.arange(x.rows), np.diff(x.indptr))
    perm = np.argsort(x.indices, kind="stable")
    sorted_feats = x.indices[perm]
    starts = np.flatnonzero(np.r_[True, sorted_feats[1:] != sorted_feats[:-1]])
    present = sorted_feats[starts]
    total = weight.sum()
    lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
    penalty = np.full((n_features, 1), l2)
    penalty[bias_row] = 0.0
    for t in range(1, epochs + 1):
        p = softmax(logits(x, w))
        g_rows = (p - onehot) * (weight / total)[:, None]
        grad = penalty * w
        grad[present] += np.add.reduceat(g_rows[row_of[perm]], starts, axis=0)
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad * grad
        w -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    return w


def class_weights(labels: Sequence[str], base: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    """Scale example weights so that every class has the same total weight."""
    out = base.copy()
    for c in classes:
        mask = np.asarray([lab == c for lab in labels])
        if mask.any():
            out[mask] *= base.sum() / len(classes) / base[mask].sum()
    return out


@dataclass(frozen=True, slots=True)
class Options:
    l2: float
    epochs: int
    min_count: int
    second_weight: float
    none_weight: float
    codebook_weight: float = 0.0


def train(
    exs: Sequence[Example], feats: Sequence[Sequence[str]], opts: Options
) -> tuple[list[str], list[str], np.ndarray]:
    """Fit the model on examples; return features, classes and weights."""
    keep = [
        i
        for i, e in enumerate(exs)
        if (e.role == 0)
        or (e.role == 1 and opts.second_weight > 0)
        or (e.role == 2 and opts.none_weight > 0)
        or (e.role == 3 and opts.codebook_weight > 0)
    ]
    classes = [*PLOVER_TYPES, NONE] if opts.none_weight > 0 else list(PLOVER_TYPES)
    labels = [exs[i].label for i in keep]
    base = np.asarray(
        [
            (1.0, opts.second_weight, opts.none_weight, opts.codebook_weight)[exs[i].role]
            for i in keep
        ],
        dtype=np.float64,
    )
    # NONE's share of the weight: none_weight times what one type gets.
    weight = class_weights(labels, base, classes)
    if NONE in classes:
        weight[np.asarray([lab == NONE for lab in labels])] *= opts.none_weight
    index = vocabulary([feats[i] for i in keep], opts.min_count)
    x = vectorise([feats[i] for i in keep], index)
    y = np.asarray([classes.index(lab) for lab in labels])
    w = fit(x, y, weight, len(index), len(classes), opts.l2, opts.epochs, index[BIAS])
    return list(index), classes, w


def predict(
    names: list[str], classes: list[str], w: np.ndarray, feats: Sequence[Sequence[str]]
) -> np.ndarray:
    index = {f: i for i, f in enumerate(names)}
    return softmax(logits(vectorise(feats, index), w))


def validate(exs: Sequence[Example], feats: Sequence[Sequence[str]], opts: Options) -> None:
    """Print accuracy on stories held out by headline template (15% of templates)."""
    templates = sorted({e.title for e in exs if e.role != 3})
    random.Random(1).shuffle(templates)
    held = set(templates[: len(templates) * 15 // 100])
    test = [i for i, e in enumerate(exs) if e.title in held]
    train_ix = [i for i, e in enumerate(exs) if e.title not in held]
    t0 = time.perf_counter()
    names, classes, w = train([exs[i] for i in train_ix], [feats[i] for i in train_ix], opts)
    took = time.perf_counter() - t0
    p = predict(names, classes, w, [feats[i] for i in test])
    types = [c for c in classes if c != NONE]
    tp = np.asarray([[p_row[classes.index(c)] for c in types] for p_row in p])
    first = [k for k, i in enumerate(test) if exs[i].role == 0]
    second = [k for k, i in enumerate(test) if exs[i].role == 1]
    late = [k for k, i in enumerate(test) if exs[i].role == 2]

    def acc(rows: list[int]) -> float:
        if not rows:
            return float("nan")
        ok = sum(types[int(np.argmax(tp[k]))] == exs[test[k]].label for k in rows)
        return ok / len(rows)

    def top3(rows: list[int]) -> float:
        if not rows:
            return float("nan")
        ok = sum(exs[test[k]].label in {types[j] for j in np.argsort(-tp[k])[:3]} for k in rows)
        return ok / len(rows)

    print(
        f"held-out templates {len(held)}/{len(templates)}, first sentences {len(first)}: "
        f"type accuracy {acc(first):.3f} (top-3 {top3(first):.3f}); second sentences "
        f"{len(second)}: {acc(second):.3f}; features {len(names)}; fit {took:.1f}s"
    )
    if NONE in classes:
        j = classes.index(NONE)
        arg = p.argmax(axis=1)
        late_none = float(np.mean(arg[late] == j)) if late else float("nan")
        first_none = float(np.mean(arg[first] == j)) if first else float("nan")
        print(
            f"  NONE most probable: late sentences {late_none:.3f} (n={len(late)}), "
            f"first sentences {first_none:.3f}"
        )


def write(path: Path, names: list[str], classes: list[str], w: np.ndarray) -> None:
    np.savez_compressed(
        path,
        features=np.asarray(names),
        classes=np.asarray(classes),
        weights=w.astype(np.float16),
    )


def half_a(shared: Path) -> list[dict[str, str]]:
    """Return PLOVER dev half A, as ``benchmarks/events.py`` ``split_halves`` cuts it."""
    lines = (shared / PLOVER_DEV).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line]
    order = list(range(len(rows)))
    random.Random(SPLIT_SEED).shuffle(order)
    return [rows[i] for i in sorted(order[: len(order) // 2])]


def scored_events(
    rows: Sequence[dict[str, str]], cal: Calibration
) -> list[tuple[float, bool, bool]]:
    """Run event extraction on the rows with ``cal``: (confidence, right type, sentence top)."""
    from datetime import date

    from newsevents.extract.entities import extract_entities
    from newsevents.extract.events import extract_events

    classifier.calibration = lambda: cal  # type: ignore[assignment]
    nlp = load_pipeline()
    out = []
    for row, doc in zip(rows, nlp.pipe([r["text"] for r in rows]), strict=True):
        events = extract_events(doc, entities=extract_entities(doc), published=date(2000, 1, 1))
        events_sorted = sorted(events, key=lambda e: -e.confidence)
        for k, e in enumerate(events_sorted):
            out.append((e.confidence, e.plover_type == row["event"], k == 0))
    return out


def platt(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Fit P(right) = sigmoid(a * x + b) by Newton's method on Platt's smoothed targets.

    (Chosen on half A by 2-fold cross-validated log loss: 0.581, against 0.573 for isotonic
    regression, whose steps are an artefact of 114 events, and 0.655 for a constant.)
    """
    n_pos, n_neg = float(y.sum()), float(len(y) - y.sum())
    t = np.where(y, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))  # Platt 1999's smoothed labels
    a, b = 1.0, 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([((p - t) * x).sum(), (p - t).sum()])
        r = p * (1 - p)
        h = np.array([[(r * x * x).sum(), (r * x).sum()], [(r * x).sum(), r.sum()]])
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-9:
            break
    return float(a), float(b)


def reliability(events: Sequence[tuple[float, bool, bool]]) -> str:
    bins = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
    parts = []
    for lo, hi in pairwise(bins):
        got = [right for conf, right, _ in events if lo <= conf < hi]
        share = f"{sum(got) / len(got):.2f}" if got else "n/a"
        parts.append(f"{lo:.1f}+: {len(got)} events, {share} right")
    return "; ".join(parts)


def calibrate(args: argparse.Namespace) -> None:
    """Fit the confidence map on PLOVER dev half A and write ``classifier.toml``."""
    model = load_type_model(args.out)
    classifier.type_model = lambda: model  # type: ignore[assignment]
    rows = half_a(args.shared)
    uncalibrated = Calibration(args.type_weight, args.type_floor, 0.0, -math.inf, (), ())
    events = scored_events(rows, uncalibrated)
    x = np.asarray([c for c, _, _ in events])
    y = np.asarray([r for _, r, _ in events])
    a, b = platt(x, y)
    values = [round(1 / (1 + math.exp(-(a * k + b))), 3) for k in KNOTS]
    print(f"half A (n={len(rows)}): {len(events)} events, {y.mean():.3f} of the right type")
    print(f"  uncalibrated: {reliability(events)}")
    cal = Calibration(
        args.type_weight, args.type_floor, 0.0, -math.inf, tuple(KNOTS), tuple(values)
    )
    print(f"  calibrated (in sample): {reliability(scored_events(rows, cal))}")
    args.calibration_out.write_text(
        CALIBRATION_HEADER.format(a=a, b=b, n=len(events))
        + "[calibration]\n"
        + f"type_weight = {args.type_weight}\n"
        + f"type_floor = {args.type_floor}\n"
        + "none_weight = 0.0\n"
        + "drop_below = -1.0\n"
        + f"knots = {json.dumps(KNOTS)}\n"
        + f"values = {json.dumps(values)}\n",
        encoding="utf-8",
    )
    print(f"wrote {args.calibration_out}: confidence = sigmoid({a:.3f} * raw {b:+.3f})")


CALIBRATION_HEADER = """\
# How the sentence type model (types.npz) moves an event's confidence; read by
# newsevents.extract.events.classifier, written by scripts/train_event_types.py --calibrate.
# raw = rule score + type_weight * log(max(p(type), type_floor) * 16) - none_weight * p(NONE);
# an event whose raw score is below drop_below is dropped (none is today: dropping improbable
# types did not help on PLOVER dev half A nor on the synthetic training part);
# confidence = raw mapped through knots -> values (linear between knots, held beyond them):
# a logistic fit (Platt) of "the event has the sentence's gold PLOVER type" on the {n} events
# of PLOVER dev half A (benchmarks/events.py split), a = {a:.4f}, b = {b:.4f}.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--parsed", type=Path, default=None, help="DocBin cache (outside the repo)")
    ap.add_argument("--validate", action="store_true")
    ap.add_argument("--l2", type=float, default=5e-3)
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--second-weight", type=float, default=0.5)
    ap.add_argument("--none-weight", type=float, default=1.0)
    ap.add_argument("--codebook-weight", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--calibrate", action="store_true", help="fit classifier.toml on half A")
    ap.add_argument("--type-weight", type=float, default=0.05)
    ap.add_argument("--type-floor", type=float, default=1e-3)
    ap.add_argument("--calibration-out", type=Path, default=CALIBRATION_OUT)
    args = ap.parse_args(argv)
    if args.calibrate:
        calibrate(args)
        return 0
    opts = Options(
        args.l2,
        args.epochs,
        args.min_count,
        args.second_weight,
        args.none_weight,
        args.codebook_weight,
    )
    t0 = time.perf_counter()
    stories = training_stories(args.shared)
    exs = examples(stories)
    if opts.codebook_weight > 0:
        exs += codebook_examples(args.shared)
    docs = parse([e.text for e in exs], args.parsed)
    feats = [sentence_features(d.sents) for d in docs]
    roles = Counter(e.role for e in exs)
    print(
        f"training stories {len(stories)} (measuring part left out: {SYNTHETIC_MEASURE}); "
        f"sentences: first {roles[0]}, second {roles[1]}, late (NONE) {roles[2]}; "
        f"parsed in {time.perf_counter() - t0:.0f}s"
    )
    if args.validate:
        validate(exs, feats, opts)
        return 0
    t1 = time.perf_counter()
    names, classes, w = train(exs, feats, opts)
    write(args.out, names, classes, w)
    size = args.out.stat().st_size
    print(
        f"wrote {args.out} ({len(names)} features x {len(classes)} classes, {size / 1e6:.2f} MB) "
        f"in {time.perf_counter() - t1:.1f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
