"""Throughput: newsevents end to end beside spaCy alone, the Ray engine, workers and memory.

Reads the texts of ../shared/eval/polnear/train/text/ (840 real articles, about 630,000
words; not copied into the repository). In one run it measures, with the same number of
processes:

  (a) spaCy alone: ``nlp.pipe`` over the texts (the floor),
  (b) newsevents end to end (read, clean, parse, extract, store) into a fresh DuckDB file,
  (c) the Ray engine (Parquet out, then ``load`` into DuckDB),

and prints articles/s, words/s, (b)/(a), (c)/(a), the ratio of 2 workers to 1 for (b), and
peak memory (the whole process tree's resident memory, sampled) for 1x and 4x the corpus (the
copies made distinct, so they are not skipped as already stored).

    .venv/bin/python benchmarks/throughput.py [--workers 2] [--limit N] [--skip-ray]
    .venv/bin/python benchmarks/throughput.py --ratio-only 3   # (a) and (b) only, 3 times each
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "eval" / "polnear" / "train" / "text"
PY = sys.executable

# One process: parse the texts once, then time each stage over the same Docs (seconds each).
STAGES = """
import sys, time
from pathlib import Path
from newsevents.dates import date_from_name
from newsevents.extract.annotate import Context, annotate_events, annotate_statements
from newsevents.extract.entities import extract_entities
from newsevents.nlp import extraction_context, load_pipeline
from newsevents.config import get_settings
paths = sorted(Path(sys.argv[1]).glob("*.txt"))[: int(sys.argv[2])]
texts = [p.read_text(encoding="utf-8") for p in paths]
nlp = load_pipeline()
t = time.perf_counter()
docs = list(nlp.pipe(texts, batch_size=16))
parse = time.perf_counter() - t
base = extraction_context(get_settings())
contexts = [Context(date_from_name(p.name), base.dictionary, base.min_confidence) for p in paths]
annotate_events(docs[0], contexts[0], (), ())  # load the event tables before timing
t = time.perf_counter(); [extract_entities(d) for d in docs]; entities = time.perf_counter() - t
t = time.perf_counter()
found = [annotate_statements(d, c) for d, c in zip(docs, contexts)]
statements = time.perf_counter() - t - entities
t = time.perf_counter()
for d, c, (ents, sts) in zip(docs, contexts, found):
    annotate_events(d, c, ents, sts)
events = time.perf_counter() - t
print(parse, entities, statements, events)
"""

SPACY_ALONE = """
import sys, spacy
from pathlib import Path
from newsevents.config import get_settings
from newsevents.nlp import load_pipeline
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
nlp = load_pipeline()
n = int(sys.argv[2])
# the same batch size as newsevents uses (settings.toml), so both sides are scheduled alike
for doc in nlp.pipe(texts, batch_size=get_settings().batch_size, n_process=n):
    pass
"""

RAY_RUN = """
import sys, newsevents
newsevents.process_on_ray([sys.argv[1]], sys.argv[2], workers=int(sys.argv[3]))
newsevents.load(sys.argv[2], db=sys.argv[4])
"""


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a command; return its wall time and the peak resident memory of its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return elapsed, peak


def make_corpus(target: Path, copies: int, limit: int | None) -> tuple[int, int]:
    """Write ``copies`` distinct copies of the corpus texts; return (articles, words)."""
    target.mkdir(parents=True)
    files = sorted(CORPUS.glob("*.txt"))[:limit]
    articles = words = 0
    for c in range(copies):
        for path in files:
            text = path.read_text(encoding="utf-8")
            if c:
                text += f"\n\n(Copy {c}.)\n"
            (target / f"{c}-{path.name}").write_text(text, encoding="utf-8")
            articles += 1
            words += len(text.split())
    return articles, words


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument(
        "--ratio-only",
        type=int,
        default=0,
        metavar="K",
        help="only (a) and (b) with --workers, K times each, alternating; print each ratio",
    )
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found: {CORPUS} (the benchmark reads ../shared/)")
    n = args.workers
    tmp = Path(tempfile.mkdtemp(prefix="newsevents-throughput-"))
    try:
        one = tmp / "x1"
        articles, words = make_corpus(one, 1, args.limit)
        four = tmp / "x4"
        articles4, words4 = make_corpus(four, 4, args.limit)
        cli = [PY, "-m", "newsevents", "process", "-q"]
        if args.ratio_only:
            ratios = []
            for k in range(args.ratio_only):
                floor, _ = run([PY, "-c", SPACY_ALONE, str(one), str(n)])
                t, _ = run([*cli, str(one), "--db", str(tmp / f"r{k}.duckdb"), "-w", str(n)])
                ratios.append(floor / t)
                print(f"run {k + 1}: (a) {floor:.1f} s, (b) {t:.1f} s, (b)/(a) {floor / t:.3f}")
            print(f"(b)/(a) median of {len(ratios)}: {statistics.median(ratios):.3f}")
            return
        rows: list[tuple[str, float, int, int, int]] = []

        t, mem = run([PY, "-c", SPACY_ALONE, str(one), str(n)])
        rows.append((f"(a) spaCy alone, nlp.pipe n_process={n}", t, mem, articles, words))
        floor = t
        t, mem = run([*cli, str(one), "--db", str(tmp / "b.duckdb"), "-w", str(n)])
        rows.append((f"(b) newsevents end to end, {n} workers", t, mem, articles, words))
        end_to_end = t
        t1, mem1 = run([*cli, str(one), "--db", str(tmp / "b1.duckdb"), "-w", "1"])
        rows.append(("(b) newsevents end to end, 1 worker", t1, mem1, articles, words))
        ray_time = None
        if not args.skip_ray:
            out, db = tmp / "ray-out", tmp / "c.duckdb"
            ray_time, mem = run([PY, "-c", RAY_RUN, str(one), str(out), str(n), str(db)])
            rows.append((f"(c) Ray engine + load, {n} actors", ray_time, mem, articles, words))
        t4, mem4 = run([*cli, str(four), "--db", str(tmp / "b4.duckdb"), "-w", str(n)])
        rows.append((f"(b) newsevents 4x corpus, {n} workers", t4, mem4, articles4, words4))

        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {platform.platform()}"
        )
        print(f"corpus: {articles} articles, {words:,} words (PolNeAR train texts)\n")
        print(f"{'run':<44} {'seconds':>8} {'articles/s':>11} {'words/s':>9} {'peak MB':>8}")
        for name, secs, mem, arts, wrds in rows:
            print(
                f"{name:<44} {secs:>8.1f} {arts / secs:>11.1f} {wrds / secs:>9.0f} "
                f"{mem / 1e6:>8.0f}"
            )
        print()
        print(f"(b)/(a) speed ratio: {floor / end_to_end:.2f}  (target >= 0.9)")
        if ray_time is not None:
            print(f"(c)/(a) speed ratio: {floor / ray_time:.2f}")
        print(f"{n} workers / 1 worker: {t1 / end_to_end:.2f}x  (target >= 1.7 with 2)")
        print(f"peak memory 1x -> 4x corpus: {rows[1][2] / 1e6:.0f} MB -> {mem4 / 1e6:.0f} MB")
        sample = min(articles, 200)
        done = subprocess.run(
            [PY, "-c", STAGES, str(one), str(sample)], capture_output=True, text=True, check=True
        )
        parse, entities, statements, events = map(float, done.stdout.split())
        total = parse + entities + statements + events
        print(f"\nstages on {sample} articles, one process (seconds; share of parse + extract):")
        for name, secs in (
            ("spaCy parse", parse),
            ("entities", entities),
            ("statements", statements),
            ("events", events),
        ):
            print(f"  {name:<12} {secs:7.2f}  {secs / total:6.1%}")
        print(f"event coder: {events / total:.1%} of parse + extract  (target <= 5%)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
