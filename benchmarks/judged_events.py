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
      their sentences, to judge (on the terminal only; never commit it)
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


def score(events: list[tuple[Found, str]], which: str = "dev") -> None:
    """Compare today's events with the judged table and print the precision figures."""
    with TABLES[which].open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    judged = {(r["article"], int(r["start"]), int(r["end"])): r for r in rows}
    current = {found.key: found for found, _ in events}
    matched = [judged[k] for k in current if k in judged]
    same = [
        r
        for r in matched
        if (r["cameo"], r["source_code"], r["target_code"])
        == (
            current[(r["article"], int(r["start"]), int(r["end"]))].event.cameo,
            _code(current[(r["article"], int(r["start"]), int(r["end"]))].event.source),
            _code(current[(r["article"], int(r["start"]), int(r["end"]))].event.target),
        )
    ]
    n_articles = {"heldout": HELDOUT_ARTICLES, "fresh": FRESH_ARTICLES}.get(which, ARTICLES)
    _score_today(events, same, which)
    print(f"set {which}: {n_articles} articles (PolNeAR train, seed {SEED}); judged {len(rows)}")
    print(f"events today {len(current)}: {len(same)} coded as judged, ")
    print(f"  {len(matched) - len(same)} judged but coded differently today, ")
    print(f"  {len(current) - len(matched)} not judged (new since judging)")
    print(f"  {len(judged) - len(matched)} judged events no longer found")
    if same:
        real_today = sum(r["real"] == "1" for r in same)
        print(f"  today's events judged as coded: {real_today} / {len(same)} real")
    n = len(rows)
    for question in QUESTIONS:
        ok = sum(r[question] == "1" for r in rows)
        print(f"  {question:7s} {ok:4d} / {n}  {ok / n:.2f}" if n else f"  {question}: n/a")
    all_four = sum(all(r[q] == "1" for q in QUESTIONS) for r in rows)
    if n:
        print(f"  all four {all_four:4d} / {n}  {all_four / n:.2f}")
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
    if "--list" in args:
        show(events)
    else:
        score(events, which)


if __name__ == "__main__":
    main()
