"""Build the person / organisation noun list from WordNet 3.0 (output is committed).

Usage: ``python scripts/build_noun_kinds.py [WORDNET_DIR]`` (default ``/usr/share/wordnet``,
the Debian/Ubuntu ``wordnet-base`` package: ``index.noun`` and ``data.noun``; WordNet 3.0,
Copyright 2006 Princeton University, licence in
``src/newsevents/data/statements/NOTICE.md``). Writes
``src/newsevents/data/statements/noun_kinds.csv`` (noun, kind): every one-word lower-case
noun whose most frequent sense (WordNet's first) is a person (lexicographer file
``noun.person``: "cellist", "appellant", "lawmaker") or an organisation (a hyponym of
``organization.n.01``: "ministry", "firm", "orchestra"). Speaker resolution
(:mod:`newsevents.extract.statements.speaker_words`) uses it beside the hand-made lists of
``speakers.toml`` to tell a person's description ("the defendant") from a body's ("the
agency"), so that each goes to an antecedent of its own kind.

Only the first sense counts: "star" (a celestial body first) and "head" (a body part) are no
person's noun here; a noun of both kinds keeps its first. Nouns in ``SKIP`` are left out,
each with its reason.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = Path("/usr/share/wordnet")
OUT = ROOT / "src" / "newsevents" / "data" / "statements" / "noun_kinds.csv"
PERSON_FILE = 18  # lexicographer file noun.person
ORGANIZATION = "08008335"  # organization.n.01 in WordNet 3.0
HYPERNYMS = ("@", "@i")  # a hypernym, or the class of an instance
WORD = re.compile(r"[a-z][a-z-]*[a-z]")
# noun -> why its first sense does not make "the <noun>" a description of a person or body
SKIP = {
    "people": "a plural: generic, never one person",
    "public": "generic: nobody in particular",
    "world": "generic: nobody in particular",
    "mankind": "generic: nobody in particular",
    "humanity": "generic: nobody in particular",
    "crowd": "an unnamed gathering",
    "audience": "an unnamed gathering",
    "majority": "a share, not a body",
    "minority": "a share, not a body",
    "rest": "a share, not a body",
}


Synsets = dict[str, tuple[int, list[str], frozenset[str]]]


def _synsets(path: Path) -> Synsets:
    """Return each noun synset's lexicographer file number, hypernym offsets and its words
    as written (a proper name keeps its capital: "Lincoln")."""
    out: Synsets = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("  "):
            continue  # the licence header
        fields = line.split(" | ")[0].split()
        offset, lex_file = fields[0], int(fields[1])
        words = int(fields[3], 16)
        at = 4 + 2 * words
        forms = frozenset(re.sub(r"\(.*\)$", "", w) for w in fields[4:at:2])
        pointers = int(fields[at])
        hypernyms = [
            fields[at + 1 + 4 * k + 1]
            for k in range(pointers)
            if fields[at + 1 + 4 * k] in HYPERNYMS
        ]
        out[offset] = (lex_file, hypernyms, forms)
    return out


def _under(offset: str, target: str, synsets: Synsets) -> bool:
    """Whether the synset is the target or one of its hyponyms (transitively)."""
    seen: set[str] = set()
    todo = [offset]
    while todo:
        cur = todo.pop()
        if cur == target:
            return True
        if cur in seen or cur not in synsets:
            continue
        seen.add(cur)
        todo.extend(synsets[cur][1])
    return False


def build(wordnet: Path) -> list[tuple[str, str]]:
    """Return the (noun, kind) rows: kind "person" or "organisation"."""
    synsets = _synsets(wordnet / "data.noun")
    rows: list[tuple[str, str]] = []
    for line in (wordnet / "index.noun").read_text(encoding="utf-8").splitlines():
        if line.startswith("  "):
            continue
        fields = line.split()
        lemma = fields[0]
        if not WORD.fullmatch(lemma) or lemma in SKIP:
            continue
        senses = int(fields[2])
        first = fields[-senses]
        lex_file, _, forms = synsets[first]
        if lemma not in forms:
            continue  # a proper name first ("lincoln": Abraham Lincoln), not a common noun
        if lex_file == PERSON_FILE:
            rows.append((lemma, "person"))
        elif _under(first, ORGANIZATION, synsets):
            rows.append((lemma, "organisation"))
    return sorted(rows)


def main(argv: list[str]) -> int:
    """Write noun_kinds.csv from the WordNet directory given (or the default)."""
    wordnet = Path(argv[0]) if argv else DEFAULT_DIR
    if not (wordnet / "index.noun").is_file():
        print(f"WordNet index.noun not found under {wordnet}", file=sys.stderr)
        return 2
    rows = build(wordnet)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["noun", "kind"])
        writer.writerows(rows)
    kinds = {kind: sum(k == kind for _, k in rows) for kind in ("person", "organisation")}
    print(f"wrote {OUT.relative_to(ROOT)}: {kinds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
