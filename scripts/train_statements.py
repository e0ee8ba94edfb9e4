"""Learn per-(cue lemma, pattern) precision on PolNeAR train; writes data/statements/learned.csv.

Usage: ``python scripts/train_statements.py [--limit N]`` (reads ../shared/eval/polnear/train).

Every verb with a clausal, infinitival, object or prepositional complement is proposed as a
cue; a proposal is correct when its content matches a gold attribution (token F1 >= 0.5) and
its cue overlaps the gold cue. The output holds only lemmas, pattern names and counts: no text
from the corpus is stored.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.statements import Tokens, articles, f1  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402

from newsevents.extract.quotes import find_quotes  # noqa: E402
from newsevents.extract.statements import _chars, _snap  # noqa: E402
from newsevents.extract.statements_rules import find_candidates  # noqa: E402
from newsevents.nlp import load_pipeline  # noqa: E402

OUT = ROOT / "src" / "newsevents" / "data" / "statements" / "learned.csv"


def main(argv: list[str] | None = None) -> int:
    """Count proposals and correct proposals per (lemma, pattern) and write the CSV."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--min-support", type=int, default=3)
    parser.add_argument("--misses", action="store_true", help="print missed gold cue words")
    parser.add_argument(
        "--docs", type=Path, default=None, help="parsed train docs (spaCy DocBin) to skip parsing"
    )
    args = parser.parse_args(argv)
    data = articles("train", args.limit)
    nlp = load_pipeline()
    total: Counter[tuple[str, str]] = Counter()
    good: Counter[tuple[str, str]] = Counter()
    missed: Counter[str] = Counter()
    texts = [d[1] for d in data]
    if args.docs is not None:
        docs = list(DocBin().from_disk(args.docs).get_docs(nlp.vocab))[: len(data)]
    else:
        docs = list(nlp.pipe(texts, batch_size=16))
    for doc, (_, text, gold, _) in zip(docs, data, strict=True):
        tokens = Tokens(text)
        g_content = [tokens.ids(g.content) for g in gold]
        g_cue = [tokens.ids(g.cue) for g in gold]
        quotes = find_quotes(text)
        hit = set()
        for cand in find_candidates(doc, quotes, None):
            cue = _chars(doc, cand.cue)
            if quotes.containing(cue[0]) is not None:
                continue  # a cue inside a quotation belongs to the quote's own statement
            start, end = cand.char_content or _chars(doc, cand.content)
            start, end = _snap(quotes, start, end, cue)
            c_ids = tokens.ids([(start, end)])
            q_ids = tokens.ids([cue])
            key = (cand.lemma, cand.pattern)
            total[key] += 1
            for gi, (gc, gq) in enumerate(zip(g_content, g_cue, strict=True)):
                if f1(gc, c_ids) >= 0.5 and (not gq or gq & q_ids):
                    good[key] += 1
                    hit.add(gi)
                    break
        if args.misses:
            for gi, g in enumerate(gold):
                if gi not in hit and g.cue:
                    s, e = g.cue[0]
                    missed[text[s:e].lower()] += 1
    rows = sorted(
        (k for k, n in total.items() if n >= args.min_support), key=lambda k: (-total[k], k)
    )
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["lemma", "pattern", "precision", "support"])
        for key in rows:
            writer.writerow([key[0], key[1], f"{good[key] / total[key]:.3f}", total[key]])
    print(f"wrote {len(rows)} rows to {OUT}")
    if args.misses:
        print("most missed gold cues:", missed.most_common(80))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
