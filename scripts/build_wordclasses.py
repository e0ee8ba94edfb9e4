"""Build the violent-context word class from PETRARCH2's synonym sets (output is committed).

Usage: ``python scripts/build_wordclasses.py [PETRARCH_DIR]`` (default
``../shared/reference/petrarch``). Reads the synonym sets ``&WEAPON``, ``&WMD``, ``&MILITARY``
and ``&AIRCRAFT`` at the top of ``CAMEO.2.0.txt`` (MIT, Copyright (c) 2015 Open Event Data
Alliance; see ``src/newsevents/data/events/NOTICE.md``) and writes
``src/newsevents/data/events/violence.csv`` (phrase, synset): one member a row, lower case,
words separated by spaces. ``newsevents.extract.events.literal`` matches a phrase against the
lemmas of a clause's nouns (its last word against the lemma, so "missiles" matches "missile").

Members that are not violent on their own are left out, each with its reason (``SKIP``):
civilian aircraft ("plane", "jet", "helicopter") and "reserves" (currency reserves).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "reference" / "petrarch"
OUT = ROOT / "src" / "newsevents" / "data" / "events" / "violence.csv"
SYNSETS = ("WEAPON", "WMD", "MILITARY", "AIRCRAFT")
# member -> why it does not mark a violent context by itself
SKIP = {
    "aircraft": "civilian as often as military",
    "plane": "civilian aircraft",
    "airplane": "civilian aircraft",
    "airliner": "civilian aircraft",
    "jet": "civilian aircraft",
    "jetliner": "civilian aircraft",
    "jumbojet": "civilian aircraft",
    "jumbo jet": "civilian aircraft",
    "turbojet": "civilian aircraft",
    "airship": "civilian aircraft",
    "dirigible": "civilian aircraft",
    "glider": "civilian aircraft",
    "skyhook": "civilian aircraft",
    "helicopter": "civilian aircraft (attack helicopters are listed under &WEAPON)",
    "chopper": "civilian aircraft",
    "reserves": "currency reserves",
}
_SET = re.compile(r"^&([A-Z_]+)\s*$")
_MEMBER = re.compile(r"^\+\s*([^#]+?)\s*(?:#.*)?$")


def read_synsets(path: Path) -> dict[str, list[str]]:
    """Return PETRARCH's synonym sets: name -> member phrases (lower case, spaces)."""
    sets: dict[str, list[str]] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("####### VERB PATTERNS"):
            break
        if m := _SET.match(line):
            current = m[1]
            sets[current] = []
        elif current and (m := _MEMBER.match(line)):
            phrase = m[1].rstrip("_").replace("_", " ").lower().strip()
            if phrase and phrase not in sets[current]:
                sets[current].append(phrase)
        elif not line.strip():
            current = None
    return sets


def main(argv: list[str]) -> int:
    """Write violence.csv and report how many members were kept and skipped."""
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    sets = read_synsets(src / "CAMEO.2.0.txt")
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    skipped = 0
    for name in SYNSETS:
        if name not in sets:
            print(f"synset &{name} not found in {src}", file=sys.stderr)
            return 1
        for phrase in sets[name]:
            if phrase in SKIP:
                skipped += 1
                continue
            if phrase not in seen:
                seen.add(phrase)
                rows.append((phrase, name))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["phrase", "synset"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} phrases to {OUT.relative_to(ROOT)} ({skipped} skipped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
