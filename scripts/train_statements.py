"""Build the statement extractor's learned data files from PolNeAR train.

PolNeAR (Newell, Margolin and Ruths, "An Attribution Relations Corpus for Political News",
LREC 2018), train split, read from ../shared/eval/polnear/train. Never reads dev or test.

Commands (run from the repository root, in this order; each reads the ones before):

    python scripts/train_statements.py --learned   # writes data/statements/learned.csv
    python scripts/train_statement_roles.py --docs train.spacy    # data/statements/roles.bin
    python scripts/train_statement_roles.py --docs train.spacy --folds 2 --oof roles.npz
    python scripts/train_statements.py --docs train.spacy --roles roles.npz  # scorer.json

Options: ``--docs train.spacy`` (train articles already parsed, a DocBin in corpus order),
``--limit N``, ``--C 0.1``, ``--min-count 10``, ``--threshold 0.2``, ``--fit-docs N``,
``--out PATH``, ``--roles FILE`` (the role tagger's out-of-fold probabilities; without it the
scorer is fitted on rule features only). Model selection: ``--fit-docs 600 --heldout 600:840
--thresholds 0.2,0.25`` fits on the first 600 train articles and prints end-to-end content P/R/F1
on train articles 600-839 (needs ``--docs``) for each keep threshold instead of writing a file;
its roles file must come from taggers that did not see those articles either
(``train_statement_roles.py --train-docs 600 --folds 2 --oof FILE``).

``learned.csv``: every possible cue (verb, noun, "according to", dash, headline) proposes all
its candidate contents; for each (cue lemma, pattern) pair it holds the number of candidates
(support) and the share whose content matches a gold attribution with an overlapping cue
(token F1 >= 0.5; precision). ``Lexicon.accepts`` keeps or drops pairs by these figures.

``scorer.json``: a candidate is positive when its content matches a gold attribution (token
F1 >= 0.5) whose cue overlaps its cue, and no other candidate of the same cue matches better;
the content is judged as it comes out when kept, grown over the tagger's content
(``statements.roles.widened``; with no ``--roles``, as proposed).
A logistic regression (scikit-learn) over the candidates' symbolic features and, with
``--roles``, numeric features from the role tagger's probabilities (``statements.roles``) is
fitted and only its feature names and weights are written. Neither file holds corpus text.
The keep threshold (``--threshold``, 0.2) was chosen by end-to-end content F1 on train articles
held out from the fit (``--fit-docs 600``), then the model was refitted on all of train.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.statements import Tokens, articles, f1  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402

from newsevents.extract.statements.base import Layout  # noqa: E402
from newsevents.extract.statements.candidates import all_candidates  # noqa: E402
from newsevents.extract.statements.extractor import _chars, _snap  # noqa: E402
from newsevents.extract.statements.lexicon import lexicon  # noqa: E402
from newsevents.extract.statements.quotes import find_quotes  # noqa: E402
from newsevents.extract.statements.roles import (  # noqa: E402
    Roles,
    role_shape,
    role_values,
    widened,
)
from newsevents.extract.statements.scorer import (  # noqa: E402
    LEMMA,
    UNKNOWN_LEMMA,
    Scorer,
    features,
)
from newsevents.nlp import load_pipeline  # noqa: E402

DATA = ROOT / "src" / "newsevents" / "data" / "statements"
OUT = DATA / "scorer.json"
LEARNED = DATA / "learned.csv"

# (doc index, group index, features, numeric features, label, lemma, pattern,
#  content matches a gold statement)
Example = tuple[int, int, list[str], dict[str, float], int, str, str, int]


def read_roles(path: Path | None) -> dict[int, Roles]:
    """Return role probabilities by train article index (``train_statement_roles.py --oof``)."""
    if path is None:
        return {}
    with np.load(path) as arrays:
        return {int(k): arrays[k] for k in arrays.files}


def examples(limit: int | None, docs_path: Path | None, roles: dict[int, Roles]) -> list[Example]:
    """Return one row per candidate of the train split (see ``Example``)."""
    data = articles("train", limit)
    nlp = load_pipeline()
    lex = lexicon()
    if docs_path is not None:
        docs = list(DocBin().from_disk(docs_path).get_docs(nlp.vocab))[: len(data)]
    else:
        docs = list(nlp.pipe([d[1] for d in data], batch_size=16))
    rows: list[Example] = []
    for d, (doc, (_, text, gold, _)) in enumerate(zip(docs, data, strict=True)):
        tokens = Tokens(text)
        g_content = [tokens.ids(g.content) for g in gold]
        g_cue = [tokens.ids(g.cue) for g in gold]
        quotes = find_quotes(text)
        layout = Layout.of(doc, frozenset(lex.cue_class), roles.get(d))
        others = frozenset(layout.cue_verbs)  # stands in for the other kept statements' cues
        for gi, group in enumerate(all_candidates(doc, quotes, lex, layout)):
            scored = []
            for cand in group:
                cue = _chars(doc, cand.cue)
                # Labelled as it will come out: a kept content grows over tagger content.
                grown = widened(doc, cand, layout, role_shape().widen, others)
                start, end = cand.char_content or _chars(doc, grown.content)
                start, end = _snap(quotes, start, end, cue)
                extra = (
                    [_chars(doc, cand.extra)]
                    if cand.extra and cand.extra[1] > cand.extra[0]
                    else []
                )
                c_ids = tokens.ids([(start, end), *extra])
                q_ids = tokens.ids([cue])
                best = max(
                    (
                        f1(gc, c_ids)
                        for gc, gq in zip(g_content, g_cue, strict=True)
                        if not gq or gq & q_ids
                    ),
                    default=0.0,
                )
                scored.append((cand, best))
            top = max(b for _, b in scored)
            for cand, best in scored:
                # Positive: matches a gold statement, and no other reading of this cue matches
                # it better (so the model learns which content boundary to prefer).
                label = best >= 0.5 and best >= top - 1e-9
                feats = features(doc, cand, quotes, lex, layout)
                values = role_values(doc, cand, layout)
                matched = int(best >= 0.5)
                rows.append((d, gi, feats, values, int(label), cand.lemma, cand.pattern, matched))
    return rows


def write_learned(rows: list[Example]) -> int:
    """Write each (lemma, pattern) pair's candidate count and matching share to learned.csv."""
    support: dict[tuple[str, str], int] = {}
    hits: dict[tuple[str, str], int] = {}
    for *_, lemma, pattern, matched in rows:
        key = (lemma, pattern)
        support[key] = support.get(key, 0) + 1
        hits[key] = hits.get(key, 0) + matched
    lines = ["lemma,pattern,precision,support"]
    kept = 0
    for key in sorted(support, key=lambda k: (-support[k], k)):
        if support[key] < 3 or "," in key[0] or '"' in key[0]:
            continue
        kept += 1
        lines.append(f"{key[0]},{key[1]},{hits[key] / support[key]:.3f},{support[key]}")
    LEARNED.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} candidates; wrote {kept} (lemma, pattern) pairs to {LEARNED}")
    return 0


def heldout(
    model: Scorer, docs_path: Path, span: str, thresholds: list[float], roles: dict[int, Roles]
) -> None:
    """Print end-to-end content P/R/F1 on train articles lo:hi for each keep threshold."""
    from benchmarks.statements import Scores, _prf, from_statement, score

    from newsevents.extract.entities import extract_entities
    from newsevents.extract.statements import extract_statements

    lo, hi = (int(n) for n in span.split(":"))
    data = articles("train", hi)[lo:]
    nlp = load_pipeline()
    docs = list(DocBin().from_disk(docs_path).get_docs(nlp.vocab))[lo:hi]
    ents = [extract_entities(doc) for doc in docs]
    for threshold in thresholds:
        sc = Scores()
        for d, (doc, entities, (_, text, gold, published)) in enumerate(
            zip(docs, ents, data, strict=True), start=lo
        ):
            found = extract_statements(
                doc,
                entities=entities,
                published=published,
                min_confidence=threshold,
                model=model,
                roles=roles.get(d),
            )
            pred = [from_statement(s) for s in found]
            score(sc, text, gold, pred)
        p, r, f = _prf(sc.matched, sc.pred, sc.gold)
        unq = 100 * sc.matched_unquoted / max(1, sc.gold_unquoted)
        spk = 100 * sc.speaker_ok / max(1, sc.matched)
        print(f"threshold {threshold}: P {p} R {r} F1 {f} unquoted R {unq:.1f} speaker {spk:.1f}")


def main(argv: list[str] | None = None) -> int:
    """Fit the scorer and write its weights."""
    from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    parser = argparse.ArgumentParser()
    parser.add_argument("--learned", action="store_true", help="write learned.csv instead")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--docs", type=Path, default=None, help="parsed train docs (DocBin)")
    parser.add_argument("--cache", type=Path, default=None, help="pickle of extracted examples")
    parser.add_argument("--C", type=float, default=0.1)
    parser.add_argument("--min-count", type=int, default=10)
    parser.add_argument("--threshold", type=float, default=0.2)
    parser.add_argument("--fit-docs", type=int, default=None, help="fit on the first N docs only")
    parser.add_argument("--out", type=Path, default=None, help="write here instead")
    parser.add_argument("--heldout", default=None, help="LO:HI train articles to evaluate on")
    parser.add_argument("--thresholds", default="0.2", help="keep thresholds to evaluate")
    parser.add_argument("--roles", type=Path, default=None, help="out-of-fold role probabilities")
    args = parser.parse_args(argv)
    roles = read_roles(args.roles)
    if args.cache is not None and args.cache.is_file():
        rows: list[Example] = pickle.loads(args.cache.read_bytes())
    else:
        rows = examples(args.limit, args.docs, roles)
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(rows))
    if args.fit_docs is not None:
        rows = [r for r in rows if r[0] < args.fit_docs]
    if args.learned:
        return write_learned(rows)
    counts: dict[str, int] = {}
    for _, _, feats, *_ in rows:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1

    def row(feats: list[str], values: dict[str, float]) -> dict[str, float]:
        kept: dict[str, float] = {f: 1.0 for f in feats if counts[f] >= args.min_count}
        if not any(f.startswith(LEMMA) for f in kept):
            kept[UNKNOWN_LEMMA] = 1.0  # a lemma too rare to have its own weight
        return kept | values

    vec = DictVectorizer()
    x = vec.fit_transform([row(r[2], r[3]) for r in rows])
    y = [r[4] for r in rows]
    model = LogisticRegression(C=args.C, max_iter=2000)
    model.fit(x, y)
    weights = {
        name: round(float(w), 3)
        for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= 0.01 or name.startswith(LEMMA)
    }
    out = {
        "source": "fitted on PolNeAR train (Newell et al., LREC 2018) by train_statements.py",
        "bias": round(float(model.intercept_[0]), 4),
        "threshold": args.threshold,
        "weights": dict(sorted(weights.items())),
    }
    if args.heldout is not None:
        thresholds = [float(t) for t in args.thresholds.split(",")]
        linear = Scorer(bias=out["bias"], weights=out["weights"], threshold=args.threshold)
        heldout(linear, args.docs, args.heldout, thresholds, roles)
        return 0
    path = args.out or OUT
    path.write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(rows)} candidates, {sum(y)} positive; wrote {len(weights)} weights to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
