"""Build the ontology and agent tables from ../shared/reference (run once; output is committed).

Usage: ``python scripts/build_ontology.py [REFERENCE_DIR]``. Writes
``src/newsevents/data/ontology/cameo.csv`` (code, name, root, level, quad_class, goldstein),
``src/newsevents/data/ontology/cameo_plover.csv`` (code, plover_type, plover_mode, context) and
``src/newsevents/data/actors/agents.csv`` (phrase, code, sector).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REF = ROOT.parent / "shared" / "reference"
OUT_ONTOLOGY = ROOT / "src" / "newsevents" / "data" / "ontology"
OUT_ACTORS = ROOT / "src" / "newsevents" / "data" / "actors"


def quad_class(root: str) -> int:
    """Return the CAMEO QuadClass (1-4) of a two-digit root."""
    r = int(root)
    if r <= 5:
        return 1
    if r <= 8:
        return 2
    if r <= 13:
        return 3
    return 4


def build_cameo(ref: Path) -> None:
    """Write cameo.csv: every CAMEO code with name, root, level, QuadClass, Goldstein."""
    gold: dict[str, float] = {}
    with (ref / "cameo_goldstein.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            gold[row["code"]] = float(row["goldstein"])
    rows = []
    with (ref / "cameo_event_codes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["code"]
            g = gold.get(code, gold.get(code[:3], gold.get(code[:2])))
            rows.append(
                {
                    "code": code,
                    "name": row["name"].strip(),
                    "root": row["root"],
                    "level": row["level"],
                    "quad_class": quad_class(row["root"]),
                    "goldstein": "" if g is None else f"{g:.1f}",
                }
            )
    with (OUT_ONTOLOGY / "cameo.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


LINE = re.compile(r"^(\d{3,4}):\s*([A-Z]+)\s*,([^,#]*),?([^#]*)#")


def build_plover(ref: Path) -> None:
    """Write cameo_plover.csv from CAMEO2PLOVER-2021.txt (CC BY-SA 4.0)."""
    rows: dict[str, dict[str, str]] = {}
    for line in (ref / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        m = LINE.match(line.strip())
        if not m:
            continue
        code, ptype, mode, context = (g.strip() for g in m.groups())
        rows.setdefault(
            code, {"code": code, "plover_type": ptype, "plover_mode": mode, "context": context}
        )
    with (OUT_ONTOLOGY / "cameo_plover.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["code", "plover_type", "plover_mode", "context"])
        writer.writeheader()
        writer.writerows(sorted(rows.values(), key=lambda r: r["code"]))


ENTRY = re.compile(r"^([^#\[]+?)\s*\[~?([A-Z]*)\]")


def build_agents(ref: Path) -> None:
    """Write agents.csv (agent noun phrase -> sector) from PLOVER_agents.txt (MIT)."""
    subs: dict[str, list[str]] = {}
    out: dict[str, tuple[str, str]] = {}
    for raw in (ref / "PLOVER_agents.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("!") and "=" in line:
            name, values = line.split("=", 1)
            subs[name.strip()] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        m = ENTRY.match(line)
        if not m or not m.group(2):
            continue
        phrase, code = m.group(1).strip(), m.group(2)
        variants = [phrase]
        for key, options in subs.items():
            if key in phrase:
                variants = [v.replace(key, val) for v in variants for val in options]
        for v in variants:
            words = " ".join(v.replace("_", " ").lower().split())
            if words and words not in out:
                out[words] = (code, code[:3])
    with (OUT_ACTORS / "agents.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["phrase", "code", "sector"])
        for phrase in sorted(out):
            writer.writerow([phrase, *out[phrase]])


def main() -> None:
    """Build all tables from the reference directory given on the command line or the default."""
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_REF
    OUT_ONTOLOGY.mkdir(parents=True, exist_ok=True)
    OUT_ACTORS.mkdir(parents=True, exist_ok=True)
    build_cameo(ref)
    build_plover(ref)
    build_agents(ref)


if __name__ == "__main__":
    main()
