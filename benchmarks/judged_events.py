"""Precision of events on real articles, judged by hand: is each event real, and coded right?

The articles are PolNeAR train articles (U.S. political news, 2016) set aside before the event
work of this round began and never looked at while building: the file names of
``../shared/eval/polnear/train/text`` sorted, shuffled with ``random.Random(SEED)``, the first
``ARTICLES``. Every event newsevents finds in them is judged on four questions, as a
CAMEO/PLOVER annotator would: is it a real event of the coded category (``real``), is its PLOVER
type right (``type``), its source code (country and sector: ``source``), its target code
(``target``; "-" is right only when the text names no target). An event that is not real is
wrong on all four. A person needs a sector as well as a country ("Donald Trump" is USAPTY or
USAELI in 2016, not USA). ``benchmarks/judged_events.csv`` keeps the verdicts with article ids,
offsets, the coding and confidence judged (the articles belong to their publishers: no text).

Three sets of articles, all from that shuffle, each judged once on the final code of a round by
a reader who did not write its rules, then open to the next round's rule writers:
``dev`` (the first ``ARTICLES``: ``benchmarks/judged_events.csv``, round 16), ``heldout``
(the next ``HELDOUT_ARTICLES``: ``benchmarks/judged_events_heldout.csv``, round 17, decision data
since round 18) and ``fresh`` (the next ``FRESH_ARTICLES``, never read while building round 18:
``benchmarks/judged_events_fresh.csv``).

Usage:
  ``python benchmarks/judged_events.py [--set dev|heldout|fresh]``         score today's events
  ``python benchmarks/judged_events.py [--set dev|heldout|fresh] --list``  print today's events with
      their sentences, to judge (on the terminal only; never commit it); ``--unjudged`` prints
      only those with no verdict for their coding yet
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from newsevents.api import extract
from newsevents.dates import date_from_name
from newsevents.model import Event

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT.parent / "shared" / "eval" / "polnear" / "train" / "text"
TABLES = {
    "dev": Path(__file__).with_name("judged_events.csv"),
    "heldout": Path(__file__).with_name("judged_events_heldout.csv"),
    "fresh": Path(__file__).with_name("judged_events_fresh.csv"),
}
# Verdicts (real event of the coded category or not) on the dev events as coded by later rounds,
# keyed by article, trigger offsets and CAMEO code: judged by the rule writer on the terminal, so
# they measure decisions, not generalisation. No text.
RECODED = {"dev": Path(__file__).with_name("judged_events_dev_recoded.csv")}
SEED = 20261203
ARTICLES = 25
HELDOUT_ARTICLES = 22
FRESH_ARTICLES = 32
QUESTIONS = ("real", "type", "source", "target")
Coding = tuple[
    str, int, int, str, str, str
]  # article, trigger start and end, CAMEO, source, target


@dataclass(frozen=True)
class Found:
    """One event found today, keyed as in the table."""

    article: str
    event: Event

    @property
    def key(self) -> tuple[str, int, int]:
        """Article id and trigger offsets."""
        return self.article, self.event.trigger.start, self.event.trigger.end


def set_aside(which: str = "dev") -> list[Path]:
    """The articles judged: fixed by the seed, whatever the code does."""
    files = sorted(TEXTS.glob("*.txt"))
    random.Random(SEED).shuffle(files)
    if which == "heldout":
        return files[ARTICLES : ARTICLES + HELDOUT_ARTICLES]
    if which == "fresh":
        start = ARTICLES + HELDOUT_ARTICLES
        return files[start : start + FRESH_ARTICLES]
    return files[:ARTICLES]


def found_events(which: str = "dev") -> list[tuple[Found, str]]:
    """Run the pipeline on the set-aside articles; each event with its sentence."""
    out = []
    for path in set_aside(which):
        text = path.read_text(encoding="utf-8")
        article = extract(
            text, clean=False, published=date_from_name(path.name), source_path=str(path)
        )
        for event in article.events:
            sentence = text[event.sentence_start : event.sentence_end]
            out.append((Found(path.stem, event), sentence))
    return out


def _code(actor: object) -> str:
    return getattr(actor, "code", None) or "-"


def show(events: list[tuple[Found, str]]) -> None:
    """Print events for judging: key, coding, sentence (terminal only)."""
    for found, sentence in events:
        e = found.event
        print(
            f"{found.article}\t{e.trigger.start}\t{e.trigger.end}\t{e.cameo}\t{e.plover_type}"
            f"\t{_code(e.source)}\t{_code(e.target)}\t{e.confidence}\t{e.trigger.text!r}"
        )
        print(f"    {' '.join(sentence.split())}")


def _coding(article: str, start: int, end: int, cameo: str, source: str, target: str) -> Coding:
    return article, start, end, cameo, source, target


def _row_coding(r: dict[str, str]) -> Coding:
    return _coding(
        r["article"], int(r["start"]), int(r["end"]), r["cameo"], r["source_code"], r["target_code"]
    )


def _found_coding(found: Found) -> Coding:
    e = found.event
    return _coding(*found.key, e.cameo, _code(e.source), _code(e.target))


def _shares(label: str, rows: list[dict[str, str]]) -> None:
    """Print how many of some judged rows are right on each question, and on all four."""
    n = len(rows)
    print(f"{label}: {n}")
    if not n:
        return
    for question in QUESTIONS:
        ok = sum(r[question] == "1" for r in rows)
        print(f"  {question:8s} {ok:4d} / {n}  {ok / n:.2f}")
    all_four = sum(all(r[q] == "1" for q in QUESTIONS) for r in rows)
    print(f"  all four {all_four:4d} / {n}  {all_four / n:.2f}")


def unjudged(events: list[tuple[Found, str]], which: str) -> list[tuple[Found, str]]:
    """Today's events with no verdict for their coding in the table (to judge next)."""
    path = TABLES[which]
    if not path.exists():
        return events
    with path.open(encoding="utf-8") as f:
        judged = {_row_coding(r) for r in csv.DictReader(f)}
    return [(found, s) for found, s in events if _found_coding(found) not in judged]


def score(events: list[tuple[Found, str]], which: str = "dev") -> None:
    """Compare today's events with the judged table and print the precision figures.

    A table may hold several codings of one trigger (judged on different code): a verdict
    counts for today's event only when its CAMEO code, source and target codes are today's.
    """
    with TABLES[which].open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_coding = {_row_coding(r): r for r in rows}
    triggers = {(r["article"], int(r["start"]), int(r["end"])) for r in rows}
    today = [found for found, _ in events]
    same = [by_coding[c] for c in map(_found_coding, today) if c in by_coding]
    recoded = [f for f in today if f.key in triggers and _found_coding(f) not in by_coding]
    new = [f for f in today if f.key not in triggers]
    gone = triggers - {f.key for f in today}
    n_articles = {"heldout": HELDOUT_ARTICLES, "fresh": FRESH_ARTICLES}.get(which, ARTICLES)
    _score_today(events, same, which)
    print(f"set {which}: {n_articles} articles (PolNeAR train, seed {SEED}); judged {len(rows)}")
    print(f"events today {len(today)}: {len(same)} with a verdict for their coding,")
    print(f"  {len(recoded)} judged only as coded otherwise, {len(new)} not judged (new triggers)")
    print(f"  {len(gone)} judged triggers no longer found")
    _shares("today's events with a verdict for their coding", same)
    _shares("every judged coding in the table", rows)
    print("by confidence (the judged coding's): events, share real, share right on all four")
    for least in (0.0, 0.5, 0.7):
        kept = [r for r in rows if float(r["confidence"]) >= least]
        real = sum(r["real"] == "1" for r in kept)
        four = sum(all(r[q] == "1" for q in QUESTIONS) for r in kept)
        if kept:
            print(
                f"  >= {least:.1f}  {len(kept):4d}  {real / len(kept):.2f}  {four / len(kept):.2f}"
            )


def _score_today(events: list[tuple[Found, str]], same: list[dict[str, str]], which: str) -> None:
    """Print the share of today's events judged real: the table where today codes as judged,
    else the recoded verdicts (keyed by CAMEO code as well)."""
    verdict = {(r["article"], r["start"], r["end"], r["cameo"]): r["real"] for r in same}
    path = RECODED.get(which)
    if path is not None and path.exists():
        with path.open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                verdict.setdefault((r["article"], r["start"], r["end"], r["cameo"]), r["real"])
    keys = [
        (f.article, str(f.event.trigger.start), str(f.event.trigger.end), f.event.cameo)
        for f, _ in events
    ]
    judged = [verdict[k] for k in keys if k in verdict]
    real = sum(v == "1" for v in judged)
    share = f"{real / len(judged):.2f}" if judged else "n/a"
    print(
        f"today's events: {len(keys)}, with a verdict for their coding {len(judged)}, "
        f"real {real} ({share})"
    )


def main() -> None:
    """List events for judging, or score against the judged table."""
    args = sys.argv[1:]
    which = args[args.index("--set") + 1] if "--set" in args else "dev"
    if which not in TABLES:
        sys.exit(f"--set must be one of {sorted(TABLES)}")
    events = found_events(which)
    if "--unjudged" in args:
        show(unjudged(events, which))
    elif "--list" in args:
        show(events)
    else:
        score(events, which)


if __name__ == "__main__":
    main()
