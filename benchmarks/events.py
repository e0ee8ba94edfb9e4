"""Benchmark event coding on ../shared/eval/plover_gsr/dev.jsonl and petr2_gsr/validation.jsonl.

Prints, for newsevents and for a naive anchor ("first lexicon trigger in the sentence, no
composition, source = first coded actor, target = second"), the measures the eval READMEs
recommend: PLOVER type accuracy of the most confident event, recall of the gold type among all
events, source/target country and sector accuracy on matched events, events per sentence,
precision on no-event sentences, and CAMEO root accuracy (PETR2).

PLOVER dev is split in two halves with ``random.Random(20261203)`` (the sentence order of the
file shuffled, the first half is A): decisions are made on half A; half B is reported as held
out. The yardstick, ``../shared/eval/score.py``, is run on the output of the real pipeline
(``--no-clean``, one sentence a document) for half A, half B and PETR2, and a reliability table
shows how often events are right at each confidence, on half B and PETR2. Located events: of
the events whose sentence names a place (a GPE, LOC or FAC entity, or an entity the gazetteer
knows), the share that carry a location, over PLOVER dev and PETR2 (target: at least half).

Usage: ``python benchmarks/events.py [SHARED_DIR]``.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from newsevents.config import get_settings
from newsevents.extract.actors import ActorCoder
from newsevents.extract.entities import extract_entities
from newsevents.extract.events import extract_events
from newsevents.extract.events.triggers import match
from newsevents.extract.places import lookup_place
from newsevents.model import Article, RawDocument
from newsevents.nlp import load_pipeline
from newsevents.ontology import cameo
from newsevents.pipeline import RunOptions, process_batch

Coded = tuple[str | None, str, str | None, str | None]  # plover, cameo, source code, target code
SHARED = Path(__file__).resolve().parents[2] / "shared"
SPLIT_SEED = 20261203
BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NOT_PLACE_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL"})
SYNTHETIC = Path("train") / "ngec_synthetic" / "gpt_synthetic_events_2023-10-19.csv.gz"
SYNTHETIC_MEASURE = 1500  # stories set aside for measuring: never read by a training script


def run_newsevents(doc: Doc, published: date | None) -> list[Coded]:
    """newsevents' events, most confident first."""
    events = extract_events(doc, entities=extract_entities(doc), published=published)
    events_sorted = sorted(events, key=lambda e: -e.confidence)
    return [
        (
            e.plover_type,
            e.cameo,
            e.source.code if e.source else None,
            e.target.code if e.target else None,
        )
        for e in events_sorted
    ]


def run_anchor(doc: Doc, published: date | None) -> list[Coded]:
    """Naive anchor: first token with a lexicon entry; first two coded noun phrases as actors."""
    coder = ActorCoder(doc, (), published)
    actors = [
        a.code
        for t in doc
        if t.pos_ in ("PROPN", "NOUN") and t.dep_ not in ("compound", "poss")
        for a in [coder.code(t)]
        if a is not None
    ]
    for tok in doc:
        entry = match(tok)
        if entry is not None:
            info = cameo(entry.code)
            src = actors[0] if actors else None
            tgt = actors[1] if len(actors) > 1 else None
            return [(info.plover_type, entry.code, src, tgt)]
    return []


# The PLOVER gold set writes a few countries with legacy CAMEO codes; compare them as ISO3.
LEGACY = {"JAP": "JPN", "ITL": "ITA", "ROM": "ROU", "GER": "DEU"}


def _country(code: str | None) -> str | None:
    if not code:
        return None
    return "IGO" if code.startswith("IGO") else LEGACY.get(code[:3], code[:3])


def _sector(code: str | None) -> str | None:
    if not code or code.startswith("IGO"):
        return None
    return code[3:6] or None


def _ratio(num: float, den: float) -> str:
    return "n/a" if den == 0 else f"{num / den:.3f}"


def plover_eval(
    nlp: Any, rows: Sequence[dict[str, Any]], system: Callable[..., list[Coded]]
) -> dict[str, str]:
    """Score one system on the PLOVER gold sentences."""
    top = found = n_events = 0
    sc = sc_n = ss = ss_n = tc = tc_n = 0
    for row, doc in zip(rows, nlp.pipe([r["text"] for r in rows]), strict=True):
        events = system(doc, date(2000, 1, 1))
        n_events += len(events)
        gold = row["event"]
        if events and events[0][0] == gold:
            top += 1
        hit = next((e for e in events if e[0] == gold), None)
        if hit is None:
            continue
        found += 1
        srcs = [a for a in row["source"] if a.get("country")]
        tgts = [a for a in row["target"] if a.get("country")]
        if srcs:
            sc_n += 1
            sc += _country(hit[2]) in {_country(a["country"]) for a in srcs}
            gold_sectors = {
                a["sector"][:3] for a in srcs if a.get("sector") and a["sector"] != "***"
            }
            if gold_sectors:
                ss_n += 1
                ss += _sector(hit[2]) in gold_sectors
        if tgts:
            tc_n += 1
            tc += _country(hit[3]) in {_country(a["country"]) for a in tgts}
    n = len(rows)
    return {
        "type_acc_top": _ratio(top, n),
        "type_recall_all": _ratio(found, n),
        "src_country_acc": _ratio(sc, sc_n),
        "src_sector_acc": _ratio(ss, ss_n),
        "tgt_country_acc": _ratio(tc, tc_n),
        "events_per_sent": _ratio(n_events, n),
    }


def petr_eval(
    nlp: Any, rows: Sequence[dict[str, Any]], system: Callable[..., list[Coded]]
) -> dict[str, str]:
    """Score one system on the PETR-2 validation records."""
    root_ok = root_n = noev_ok = noev_n = n_events = src_ok = src_n = 0
    for row, doc in zip(rows, nlp.pipe([r["text"] for r in rows]), strict=True):
        d = row["date"]
        pub = date(int(d[:4]), int(d[4:6]), int(d[6:8])) if len(d) == 8 else None
        events = system(doc, pub)
        n_events += len(events)
        if row["noevents"]:
            noev_n += 1
            noev_ok += not events
            continue
        roots = {e["cameo"][:2] for e in row["events"]}
        root_n += 1
        if events and events[0][1][:2] in roots:
            root_ok += 1
            gold_src = {
                e["source"][:3] for e in row["events"] if e["cameo"][:2] == events[0][1][:2]
            }
            gold_src.discard("---")
            if gold_src:
                src_n += 1
                src_ok += _country(events[0][2]) in gold_src
    return {
        "cameo_root_acc_top": _ratio(root_ok, root_n),
        "src_country_acc": _ratio(src_ok, src_n),
        "no_event_precision": _ratio(noev_ok, noev_n),
        "events_per_sent": _ratio(n_events, len(rows)),
    }


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def synthetic_measure_rows(shared: Path) -> list[dict[str, Any]]:
    """The first sentences of the synthetic stories set aside for measuring, as gold rows.

    The stories are shuffled with the split seed; the last ``SYNTHETIC_MEASURE`` are the
    measuring part (training scripts take only the others). The label is a language model's
    for the story, which its first sentence usually carries.
    """
    with gzip.open(shared / SYNTHETIC, "rt", encoding="utf-8") as f:
        stories = list(csv.DictReader(f))
    order = list(range(len(stories)))
    random.Random(SPLIT_SEED).shuffle(order)
    rows = []
    for i in sorted(order[-SYNTHETIC_MEASURE:]):
        first = re.split(r"(?<=[.!?])\s+", stories[i]["text"].strip(), maxsplit=1)[0]
        event = stories[i]["label"].upper()
        rows.append({"id": f"synthetic-{i}", "text": first, "event": event})
    return rows


def split_halves(rows: Sequence[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """Split rows in two halves (A, B) by the fixed seed; decide on A, report B."""
    order = list(range(len(rows)))
    random.Random(SPLIT_SEED).shuffle(order)
    cut = len(order) // 2
    return [rows[i] for i in sorted(order[:cut])], [rows[i] for i in sorted(order[cut:])]


def _published(row: dict[str, Any]) -> date | None:
    d = str(row.get("date") or "")
    return date(int(d[:4]), int(d[4:6]), int(d[6:8])) if len(d) == 8 else None


def pipeline_output(nlp: Any, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run the real pipeline on each sentence as a document of its own (``--no-clean``)."""
    raws = [
        RawDocument(
            source_path=f"{row['id']}.txt",
            content=row["text"],
            format="scraped",
            published=_published(row),
        )
        for row in rows
    ]
    results = process_batch(nlp, raws, get_settings(), RunOptions(clean=False))
    return [r.to_dict() for r in results if isinstance(r, Article)]


def yardstick(shared: Path, mode: str, output: list[dict[str, Any]], gold: Path) -> str:
    """Score pipeline output with ../shared/eval/score.py, the measure of accepted figures."""
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        pred.write_text("".join(json.dumps(a) + "\n" for a in output), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(shared / "eval" / "score.py"), mode, str(pred), str(gold)],
            capture_output=True,
            text=True,
            check=True,
        )
    return done.stdout.strip()


def reliability(
    outputs: Sequence[tuple[list[dict[str, Any]], Sequence[dict[str, Any]]]],
) -> list[tuple[str, int, str]]:
    """Per confidence bin: events, and the share whose type the gold sentence has."""
    counts = [[0, 0] for _ in BINS[:-1]]
    for output, rows in outputs:
        by_id = {Path(a["source_path"]).stem: a for a in output}
        for row in rows:
            if "event" in row:  # PLOVER: one gold type
                good = {row["event"].upper()}
                key = "plover"
            else:  # PETR2: gold CAMEO roots
                good = {str(e["cameo"])[:2] for e in row["events"] or []}
                key = "cameo"
            for event in (by_id.get(row["id"]) or {}).get("events") or []:
                value = (event["plover"] or {}).get("type") if key == "plover" else event["cameo"]
                right = (value or "").upper() in good if key == "plover" else value[:2] in good
                conf = float(event.get("confidence") or 0.0)
                i = next(k for k in range(len(BINS) - 1) if BINS[k] <= conf < BINS[k + 1])
                counts[i][0] += 1
                counts[i][1] += right
    return [
        (f"{BINS[i]:.1f}-{min(BINS[i + 1], 1.0):.1f}", n, _ratio(ok, n))
        for i, (n, ok) in enumerate(counts)
    ]


def _names_place(article: dict[str, Any], start: int, end: int) -> bool:
    """Return whether an article's span [start, end) names a place."""
    for ent in article.get("entities") or []:
        label = ent.get("label")
        for m in ent.get("mentions") or []:
            if not start <= m["start"] < end or label in NOT_PLACE_LABELS:
                continue
            if label in PLACE_LABELS or lookup_place(m["text"]) is not None:
                return True
    return False


def located_events(outputs: Sequence[list[dict[str, Any]]]) -> tuple[int, int]:
    """Return (events whose sentence names a place, those of them with a location)."""
    named = located = 0
    for output in outputs:
        for article in output:
            for event in article.get("events") or []:
                sent = event["sentence"]
                if _names_place(article, sent["start"], sent["end"]):
                    named += 1
                    located += event.get("location") is not None
    return named, located


def main() -> None:
    """Run both systems on both sets and print one table."""
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED
    plover = _read(shared / "eval" / "plover_gsr" / "dev.jsonl")
    petr = _read(shared / "eval" / "petr2_gsr" / "validation.jsonl")
    nlp = load_pipeline()
    t0 = time.perf_counter()
    for name, system in (("newsevents", run_newsevents), ("anchor", run_anchor)):
        p = plover_eval(nlp, plover, system)
        q = petr_eval(nlp, petr, system)
        print(f"== {name} ==")
        print(f"  PLOVER GSR dev (n={len(plover)}): " + ", ".join(f"{k}={v}" for k, v in p.items()))
        print(f"  PETR2 validation (n={len(petr)}): " + ", ".join(f"{k}={v}" for k, v in q.items()))
    half_a, half_b = split_halves(plover)
    out_a, out_b = pipeline_output(nlp, half_a), pipeline_output(nlp, half_b)
    out_petr = pipeline_output(nlp, petr)
    with tempfile.TemporaryDirectory() as tmp:
        for name, rows in (("a", half_a), ("b", half_b)):
            gold = Path(tmp) / f"{name}.jsonl"
            gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print("== yardstick: ../shared/eval/score.py on the pipeline's output ==")
        print(f"  PLOVER half A (n={len(half_a)}, decided on): ", end="")
        print(yardstick(shared, "events", out_a, Path(tmp) / "a.jsonl"))
        print(f"  PLOVER half B (n={len(half_b)}, held out):   ", end="")
        print(yardstick(shared, "events", out_b, Path(tmp) / "b.jsonl"))
    petr_gold = shared / "eval" / "petr2_gsr" / "validation.jsonl"
    petr_score = yardstick(shared, "petr2", out_petr, petr_gold)
    print(f"  PETR2 validation (n={len(petr)}):          {petr_score}")
    synthetic = synthetic_measure_rows(shared)
    out_syn = pipeline_output(nlp, synthetic)
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "synthetic.jsonl"
        gold.write_text("".join(json.dumps(r) + "\n" for r in synthetic), encoding="utf-8")
        print(f"  synthetic first sentences (n={len(synthetic)}, measuring part): ", end="")
        print(yardstick(shared, "events", out_syn, gold))
    print("== reliability on PLOVER half B and PETR2: events by confidence, share of right type ==")
    for label, n, share in reliability([(out_b, half_b), (out_petr, petr)]):
        print(f"  {label}  events {n:4d}  right {share}")
    named, located = located_events([out_a, out_b, out_petr])
    print(
        f"== located events (PLOVER dev + PETR2): {located} of {named} events whose sentence "
        f"names a place carry a location: {_ratio(located, named)} (target >= 0.5) =="
    )
    print(f"elapsed {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
