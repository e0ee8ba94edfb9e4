"""Build ``src/newsevents/data/actors/phoenix.csv`` from the Phoenix actor dictionaries.

Reads, from ``../shared/reference/petrarch/`` (MIT, Open Event Data Alliance; the country file
from the Computational Event Data System Project's CountryInfo), the country actors (heads of
state, ministers, officials with dated codes), international actors and militant non-state
actors, and writes one row per name and dated code: ``name,code,start,end``. newsevents
consults this list after its own people and office holders (which cover after 2016).

Kept: codes that name a country newsevents knows (ISO 3166 alpha-3) or an IGO, with a valid
date range. Dropped, and counted: codes with no country (``[ELI]``, ``[---]``), country codes
outside ISO 3166 (legacy or invented), impossible dates, and names of one short word (too
ambiguous to code by). Run: ``python scripts/build_phoenix_actors.py [SHARED_DIR]``.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

from newsevents.extract.actors.dictionary import CODE_RE, DatedCode, petrarch_code
from newsevents.ontology import country_codes

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCES = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
)
OUT = ROOT / "src" / "newsevents" / "data" / "actors" / "phoenix.csv"
MIN_SINGLE_WORD = 5  # a one-word name shorter than this ("LI", "KIM") codes nobody for sure
_NAME = re.compile(r"^[A-Z0-9][A-Z0-9 .'&/-]*$")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _name(text: str) -> str | None:
    name = " ".join(text.replace("_", " ").replace("+", " ").split())
    name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
    if not name or not _NAME.match(name):
        return None
    if " " not in name and len(name) < MIN_SINGLE_WORD:
        return None
    return name


def entries(text: str, dropped: Counter[str]) -> list[tuple[list[str], list[DatedCode]]]:
    """Return the dictionary's entries: their names and their valid dated codes."""
    known = country_codes()
    out: list[tuple[list[str], list[DatedCode]]] = []
    names: list[str] = []
    codes: list[DatedCode] = []

    def take(line: str) -> None:
        for match in CODE_RE.finditer(line):
            try:
                code = petrarch_code(match)
            except ValueError:
                dropped["impossible date"] += 1
                continue
            if code.code.startswith("IGO") or code.code[:3] in known:
                codes.append(code)
            elif len(code.code) <= 3 and not code.code[:3].isalpha():
                dropped["no code"] += 1
            else:
                dropped[f"country {code.code[:3]} not in ISO 3166"] += 1

    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("+"):
            if (name := _name(stripped[1:].split("[", 1)[0])) is not None:
                names.append(name)
            take(stripped)
        elif stripped.startswith("["):
            take(stripped)
        else:
            if names and codes:
                out.append((names, codes))
            names, codes = [], []
            if (name := _name(stripped.split("[", 1)[0])) is not None:
                names.append(name)
            take(stripped)
    if names and codes:
        out.append((names, codes))
    return out


def main() -> None:
    """Convert the three dictionaries and write the CSV; print what was kept and dropped."""
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED
    dropped: Counter[str] = Counter()
    rows: dict[tuple[str, str, str, str], None] = {}
    for source in SOURCES:
        text = _decode((shared / "reference" / "petrarch" / source).read_bytes())
        found = entries(text, dropped)
        for names, codes in found:
            for name in names:
                for c in codes:
                    start = c.start.isoformat() if c.start else ""
                    end = c.end.isoformat() if c.end else ""
                    rows[(name, c.code, start, end)] = None
        print(f"{source}: {len(found)} entries")
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write(
            "# Converted by scripts/build_phoenix_actors.py from the Phoenix actor dictionaries\n"
            "# (openeventdata/UniversalPetrarch). MIT Licence, Copyright (c) 2014-2016 Open Event\n"
            "# Data Alliance; country actors from CountryInfo by the Computational Event Data\n"
            "# System Project (Parus Analytics). See data/actors/README.md.\n"
        )
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["name", "code", "start", "end"])
        writer.writerows(sorted(rows))
    print(f"wrote {len(rows)} rows to {OUT.relative_to(ROOT)}")
    for reason, n in dropped.most_common(12):
        print(f"  dropped {n:6d}  {reason}")


if __name__ == "__main__":
    main()
