"""Benchmark event coding on ../shared/eval/plover_gsr/dev.jsonl and petr2_gsr/validation.jsonl.

Prints, for newsevents and for a naive anchor ("first lexicon trigger in the sentence, no
composition, source = first coded actor, target = second"), the measures the eval READMEs
recommend: PLOVER type accuracy of the most confident event, recall of the gold type among all
events, source/target country and sector accuracy on matched events, events per sentence,
precision on no-event sentences, and CAMEO root accuracy (PETR2).

Usage: ``python benchmarks/events.py [SHARED_DIR]``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from newsevents.extract.actors import ActorCoder
from newsevents.extract.entities import extract_entities
from newsevents.extract.events import extract_events
from newsevents.extract.events.triggers import match
from newsevents.nlp import load_pipeline
from newsevents.ontology import cameo

Coded = tuple[str | None, str, str | None, str | None]  # plover, cameo, source code, target code
SHARED = Path(__file__).resolve().parents[2] / "shared"


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
    print(f"elapsed {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
