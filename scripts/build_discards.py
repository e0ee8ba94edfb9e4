"""Build newsevents' off-topic discard list from Phoenix's (output is committed).

Usage: ``python scripts/build_discards.py [PETRARCH_DIR]`` (default
``../shared/reference/petrarch``). Reads ``Phoenix.discards.txt`` (MIT, Copyright (c) 2014
Open Event Data Alliance; see ``src/newsevents/data/events/NOTICE.md``) and writes
``src/newsevents/data/events/discards.csv`` (phrase, scope, exact):

* ``phrase``: lower-case words ("world cup", "semi final": punctuation splits words);
* ``scope``: ``story`` for a line marked ``+`` (the whole document yields no event), else
  ``sentence`` (that sentence yields no event);
* ``exact``: ``1`` when the Phoenix line ends with ``_`` (its last word must match whole),
  else ``0`` (the last word is a stem: "goalkeeper" also matches "goalkeepers").

Phoenix discards were tuned for wire stories of the 2000s, for a coder without modality or
dates. Entries that would discard political news here are left out or demoted, each with its
reason (``DROP``, ``DEMOTE``): years and "years ago" (newsevents dates such events and marks
them historical), wars and historical figures, politicians and political phrases, diseases and
disasters that governments act on, and idioms of political news ("marathon talks", "third
round of talks", "political football", "a political heavyweight", "won by a landslide").
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "reference" / "petrarch"
OUT = ROOT / "src" / "newsevents" / "data" / "events" / "discards.csv"
WORD = re.compile(r"[a-z0-9]+")
YEARS_AND_SPANS = re.compile(r"^(1[89]\d\d|20\d\d)$|^(months|years|weeks|fifty years) (later|ago)$")

_HISTORY = "history: newsevents dates it and marks it historical"
_POLITICS = "political news"
_ACTED_ON = "governments act on it (aid, bans, quarantines, border closures)"
_IDIOM = "an idiom of political news"
DROP = {
    "world war one": _HISTORY,
    "world war i": _HISTORY,
    "world war 1": _HISTORY,
    "world war two": _HISTORY,
    "world war ii": _HISTORY,
    "world war 2": _HISTORY,
    "second world war": _HISTORY,
    "post world war ii": _HISTORY,
    "napoleonic wars": _HISTORY,
    "attack on pearl harbor": _HISTORY,
    "british empire": _HISTORY,
    "angels of bataan": _HISTORY,
    "april 1942": _HISTORY,
    "abdul karim qasim": _HISTORY,
    "millennium": "Millennium Development Goals, Millennium Challenge Corporation",
    "world trade center": _POLITICS,
    "presidential debate": _POLITICS,
    "presidential vote recount": _POLITICS,
    "poll published": _POLITICS,
    "kimjongilism": _POLITICS,
    "anita hill": _POLITICS,
    "oliver north": _POLITICS,
    "rick lazio": _POLITICS,
    "salman rushdie": _POLITICS,
    "jane fonda": "an activist arrested at protests",
    "manny pacquiao": "a senator and presidential candidate",
    "nobel prize": "Nobel Peace Prize laureates are political actors",
    "natore": "a district of Bangladesh",
    "osaka district court": "court rulings are events",
    "medical tests": "inspections after chemical attacks",
    "pollution": "protests against pollution are events",
    "ebola": _ACTED_ON,
    "bird flu": _ACTED_ON,
    "avian flu": _ACTED_ON,
    "avian influenza": _ACTED_ON,
    "h5n1": _ACTED_ON,
    "polio": "attacks on polio vaccinators are events",
    "typhoon": _ACTED_ON,
    "tsunami": _ACTED_ON,
    "landslide": "won by a landslide",
    "marathon": "marathon talks",
    "third round": "third round of talks",
    "football": "a political football",
    "heavyweight": "a political heavyweight",
    "lightweight": "a political lightweight",
    "big brother": "an Orwellian Big Brother",
    "baseball": "attackers armed with baseball bats",
    "champion": "championed the reform",
    "champions": "champions of democracy",
    **{f"group {c}": "also reads 'the group, a day later'" for c in "abcdefgh"},
}
_GAMES_POLITICS = "sentence only: boycotts, hosting costs, bans and deportations make news"
DEMOTE = {
    name: _GAMES_POLITICS
    for name in (
        "world cup",
        "confederation cup",
        "champions league",
        "commonwealth games",
        "grand prix",
        "fifa",
        "uefa",
        "super bowl",
        "wimbledon",
        "australian open",
        "french open",
    )
}


def parse(line: str) -> tuple[str, str, bool] | None:
    """Return (phrase, scope, exact) for a Phoenix discard line, or None for a comment."""
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    story = text.startswith("+")
    text = text.lstrip("+").strip()
    exact = text.endswith("_")
    words = WORD.findall(text.rstrip("_").lower())
    if not words:
        return None
    return " ".join(words), "story" if story else "sentence", exact


def main(argv: list[str]) -> int:
    """Write discards.csv and report what was kept, demoted and dropped."""
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    lines = (src / "Phoenix.discards.txt").read_text(encoding="utf-8", errors="replace")
    rows: dict[str, tuple[str, str, bool]] = {}
    dropped = demoted = 0
    for line in lines.splitlines():
        parsed = parse(line)
        if parsed is None:
            continue
        phrase, scope, exact = parsed
        if YEARS_AND_SPANS.match(phrase) or phrase in DROP:
            dropped += 1
            continue
        if scope == "story" and phrase in DEMOTE:
            scope, demoted = "sentence", demoted + 1
        old = rows.get(phrase)
        if old is None or (scope == "story" and old[1] == "sentence"):
            rows[phrase] = (phrase, scope, exact)  # a phrase listed twice keeps its widest scope
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["phrase", "scope", "exact"])
        for phrase, scope, exact in sorted(rows.values()):
            writer.writerow([phrase, scope, int(exact)])
    stories = sum(1 for r in rows.values() if r[1] == "story")
    print(
        f"wrote {len(rows)} phrases ({stories} story-level) to {OUT.relative_to(ROOT)}; "
        f"{dropped} dropped, {demoted} demoted to sentence level"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
