"""Train the statement role tagger (``data/statements/roles.bin``) on PolNeAR train.

PolNeAR (Newell, Margolin and Ruths, "An Attribution Relations Corpus for Political News",
LREC 2018), train split, read from ../shared/eval/polnear/train. Never reads dev or test.
Each token is labelled with its role in the gold attributions — cue, source, content or none
(a token in several takes cue over source over content) — and the tagger described in
``newsevents/extract/statements/roles.py`` is fitted to these labels. The file holds weights
only, no corpus text.

    python scripts/train_statement_roles.py --docs train.spacy      # writes roles.bin
    python scripts/train_statement_roles.py --docs train.spacy --folds 2 --oof roles.npz

The second form writes no model: it trains one tagger per fold and saves, for every train
article, probabilities from a tagger that did not see it (articles past ``--train-docs``:
the folds' mean). ``scripts/train_statements.py --roles roles.npz`` fits the candidate
scorer on these, so the scorer learns how far to trust the tagger on unseen text.
``--docs`` is the train split already parsed by the pipeline (a DocBin in corpus order).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.statements import Attribution, articles  # noqa: E402
from spacy.tokens import Doc, DocBin  # noqa: E402
from thinc.api import Adam, Model, fix_random_seed, set_dropout_rate  # noqa: E402

from newsevents.extract.statements.lexicon import lexicon  # noqa: E402
from newsevents.extract.statements.roles import (  # noqa: E402
    CONTENT,
    CUE,
    SOURCE,
    build_role_model,
    role_shape,
)
from newsevents.nlp import load_pipeline  # noqa: E402

OUT = ROOT / "src" / "newsevents" / "data" / "statements" / "roles.bin"
_PRIORITY = ((CONTENT, "content"), (SOURCE, "source"), (CUE, "cue"))  # later wins


def labels(doc: Doc, gold: list[Attribution]) -> np.ndarray:
    """Return each token's role index in the gold attributions."""
    starts = np.array([t.idx for t in doc])
    ends = starts + np.array([len(t) for t in doc])
    out = np.zeros(len(doc), dtype="int64")
    for role, field in _PRIORITY:
        for g in gold:
            for a, b in getattr(g, field):
                out[(starts < b) & (ends > a)] = role
    return out


def fit(docs: list[Doc], gold: list[np.ndarray], epochs: int, dropout: float, seed: int) -> Model:
    """Train a tagger on the docs with these labels; return it with averaged weights."""
    fix_random_seed(seed)
    model = build_role_model(role_shape(), frozenset(lexicon().cue_class))
    model.initialize()
    set_dropout_rate(model, dropout)
    optimizer = Adam(0.001, L2=0.01, grad_clip=1.0, use_averages=True)
    order = list(range(len(docs)))
    rng = random.Random(seed)
    for epoch in range(epochs):
        started, loss = time.time(), 0.0
        rng.shuffle(order)
        batch: list[int] = []
        for n, k in enumerate(order):
            batch.append(k)
            if sum(len(docs[b]) for b in batch) < 3000 and n < len(order) - 1:
                continue
            scores, backprop = model.begin_update([docs[b] for b in batch])
            grads = []
            for b, probs in zip(batch, scores, strict=True):
                truth = np.zeros_like(probs)
                truth[np.arange(len(probs)), gold[b]] = 1.0
                grads.append(probs - truth)
                loss += float(-np.log(probs[np.arange(len(probs)), gold[b]] + 1e-9).sum())
            backprop(grads)
            model.finish_update(optimizer)
            batch = []
        print(f"epoch {epoch}: loss {loss:.0f} ({time.time() - started:.0f} s)", flush=True)
    for node in model.walk():  # keep the weights averaged over the updates
        for name in node.param_names:
            if (node.id, name) in optimizer.averages:
                node.set_param(name, optimizer.averages[(node.id, name)])
    return model


def predict(model: Model, docs: list[Doc]) -> list[np.ndarray]:
    """Return the tagger's role probabilities for each doc."""
    return [np.asarray(model.predict([doc])[0], dtype="float32") for doc in docs]


def main(argv: list[str] | None = None) -> int:
    """Train the tagger (or out-of-fold probabilities for the scorer) and write it."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=Path, default=None, help="parsed train docs (DocBin)")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--dropout", type=float, default=0.15)
    parser.add_argument("--train-docs", type=int, default=None, help="train on the first N")
    parser.add_argument("--folds", type=int, default=0, help="write out-of-fold probabilities")
    parser.add_argument("--oof", type=Path, default=None, help="where --folds writes (.npz)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = articles("train", args.limit)
    nlp = load_pipeline()
    if args.docs is not None:
        docs = list(DocBin().from_disk(args.docs).get_docs(nlp.vocab))[: len(data)]
    else:
        docs = list(nlp.pipe([d[1] for d in data], batch_size=16))
    gold = [labels(doc, d[2]) for doc, d in zip(docs, data, strict=True)]
    n = args.train_docs or len(docs)
    if not args.folds:
        model = fit(docs[:n], gold[:n], args.epochs, args.dropout, seed=0)
        args.out.write_bytes(model.to_bytes())
        print(f"trained on {n} articles; wrote {args.out}")
        return 0
    if args.oof is None:
        parser.error("--folds needs --oof")
    probs: list[np.ndarray | None] = [None] * len(docs)
    rest = [np.zeros((len(doc), 4), dtype="float32") for doc in docs[n:]]
    for fold in range(args.folds):
        held = set(range(fold * n // args.folds, (fold + 1) * n // args.folds))
        train = [k for k in range(n) if k not in held]
        model = fit(
            [docs[k] for k in train], [gold[k] for k in train], args.epochs, args.dropout, fold
        )
        for k, p in zip(sorted(held), predict(model, [docs[k] for k in sorted(held)]), strict=True):
            probs[k] = p
        for r, p in zip(rest, predict(model, docs[n:]), strict=True):
            r += p / args.folds
    arrays = {str(k): p for k, p in enumerate([*probs[:n], *rest]) if p is not None}
    np.savez_compressed(args.oof, **arrays)  # type: ignore[arg-type]
    print(f"{args.folds} folds over {n} articles; wrote {len(arrays)} articles to {args.oof}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
