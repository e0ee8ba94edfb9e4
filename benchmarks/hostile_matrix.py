"""The hostile-input matrix of issue 20: each bad input in a batch with 3 good articles.

For every case of ``tests/hostile_inputs.py`` this builds a batch (the hostile input beside
three good articles) in a temporary directory, runs ``newsevents process`` and ``newsevents
extract`` on it as child processes under a time limit, and prints one row per case: exit codes,
crash (a traceback, or an exit status other than 0 and 1), hang (killed at the time limit),
good articles kept (3 expected), and whether a failure row was written (required when the
input is refused). The closing summary counts crashes, hangs, good articles lost and missing
failure rows: all four must be 0.

    .venv/bin/python benchmarks/hostile_matrix.py              # all cases, a few minutes
    .venv/bin/python benchmarks/hostile_matrix.py --cases gzip-bomb-txt,json-deep-array
    .venv/bin/python benchmarks/hostile_matrix.py --json       # one JSON object per case
    .venv/bin/python benchmarks/hostile_matrix.py --fresh      # a new interpreter per run

By default each run is a child forked from this process after it has imported newsevents and
loaded the spaCy model (a fork server): the child runs the real command-line entry point, with
its own standard streams, process group and time limit, and its workers fork from it as they
would in a fresh process. This makes a run about 1 s instead of 7. ``--fresh`` starts
``python -m newsevents`` for every run instead (slower, no shared state at all).

Settings for the run (environment, overridable): ``NEWSEVENTS_MAX_SECONDS_PER_DOCUMENT=5`` so a
page stuck in lxml is stopped quickly, ``NEWSEVENTS_HTTP_HOST_DELAY=0`` and
``NEWSEVENTS_HTTP_TIMEOUT=5``. No input is fetched from the internet (a dead-link case uses a
closed port on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_inputs import GOOD, GOOD_NAMES, MARKERS, Case, build_case, cases  # noqa: E402

ENV_DEFAULTS = {
    "NEWSEVENTS_MAX_SECONDS_PER_DOCUMENT": "5",
    "NEWSEVENTS_HTTP_HOST_DELAY": "0",
    "NEWSEVENTS_HTTP_TIMEOUT": "5",
}
FAIL_PREFIX = "newsevents: failed "


@dataclass
class Run:
    """What one command did on one batch."""

    exit: int | None  # None: killed at the time limit
    seconds: float
    max_rss_mb: float
    crash: str | None  # the traceback's last line (or the odd exit status), if any
    hang: bool
    good: int  # good articles stored (process) or printed without a failure (extract)
    failures: list[str]  # failure rows (process) or lines (extract) for the hostile input
    left_behind: int = 0  # processes of the run still alive after it ended
    stderr_tail: str = ""  # the end of its standard error, when it crashed


@dataclass
class Row:
    case: str
    what: str
    expect: str
    process: Run | None = None
    extract: Run | None = None
    skip: str | None = None
    problems: list[str] = field(default_factory=list)


# -- running one command --------------------------------------------------------------------------


def _preload() -> None:
    """Import newsevents and warm it up once, before forking the children that run commands."""
    import newsevents

    newsevents.extract(GOOD[0])  # loads the model and every table extraction reads lazily


def _child(args: list[str], out: Path, err: Path, cwd: Path) -> None:
    """In a forked child: run the command-line entry point and exit with its status."""
    code = 1
    try:
        os.setpgid(0, 0)
        os.chdir(cwd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
        os.dup2(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
        os.environ.update({k: os.environ.get(k, v) for k, v in ENV_DEFAULTS.items()})
        from newsevents.cli import main

        try:
            main.main(args=args, prog_name="newsevents", standalone_mode=True)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # what the interpreter would print for an uncaught exception
            traceback.print_exc()
            code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _start(args: list[str], out: Path, err: Path, cwd: Path, fresh: bool) -> int:
    if fresh:
        env = {**ENV_DEFAULTS, **os.environ}
        with out.open("wb") as stdout, err.open("wb") as stderr:
            proc = subprocess.Popen(
                [sys.executable, "-m", "newsevents", *args],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
            )
        return proc.pid
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _child(args, out, err, cwd)
    return pid


def _group_alive(pgid: int) -> int:
    """How many processes of the process group are alive (not zombies)."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[2]) == pgid and stat[0] != "Z":
            count += 1
    return count


def run_command(args: list[str], workdir: Path, timeout: float, fresh: bool) -> tuple[Run, str]:
    """Run ``newsevents ARGS`` in ``workdir``; return the run (good/failures unset) and stdout."""
    name = args[0]
    out, err = workdir / f"{name}.out", workdir / f"{name}.err"
    started = time.monotonic()
    pid = _start(args, out, err, workdir, fresh)
    status = rusage = None
    hang = False
    while True:
        done, status, rusage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - started > timeout:
            hang = True
            os.killpg(pid, signal.SIGKILL)
            _, status, rusage = os.wait4(pid, 0)
            break
        time.sleep(0.05)
    seconds = time.monotonic() - started
    time.sleep(0.2)
    left = 0 if not Path("/proc").exists() else _group_alive(pid)
    if left:
        os.killpg(pid, signal.SIGKILL)
    code = None if hang else os.waitstatus_to_exitcode(status)
    stderr = err.read_text(errors="replace")
    crash = None
    if "Traceback (most recent call last)" in stderr:
        after = stderr.rsplit("Traceback (most recent call last):", 1)[1].splitlines()
        last = [line for line in after if line.strip() and not line.startswith(" ")]
        crash = (last or ["a traceback"])[-1][:200]  # the exception and its message
    elif code not in (0, 1, None):
        crash = f"exit status {code}: " + (stderr.strip().splitlines() or [""])[-1][:160]
    run = Run(
        exit=code,
        seconds=round(seconds, 1),
        max_rss_mb=round(rusage.ru_maxrss / 1024, 0) if rusage else 0.0,
        crash=crash,
        hang=hang,
        good=0,
        failures=[],
        left_behind=left,
        stderr_tail="\n".join(stderr.splitlines()[-12:]) if crash else "",
    )
    return run, out.read_text(errors="replace")


def _is_good(source: str) -> bool:
    return any(source.endswith(name) for name in GOOD_NAMES)


def _count_good(texts: list[str]) -> int:
    return sum(any(marker in text for text in texts) for marker in MARKERS)


def run_process(paths: list[str], workdir: Path, timeout: float, fresh: bool, workers: int) -> Run:
    db = workdir / "n.duckdb"
    args = ["process", *paths, "--db", str(db), "-q", "-w", str(workers)]
    run, _ = run_command(args, workdir, timeout, fresh)
    if db.exists():
        import duckdb

        try:
            con = duckdb.connect(str(db), read_only=True)
            try:
                texts = [r[0] for r in con.execute("SELECT text FROM articles").fetchall()]
                rows = con.execute("SELECT input, reason FROM failures").fetchall()
            finally:
                con.close()
        except duckdb.Error as exc:
            run.crash = run.crash or f"database unreadable: {exc}"[:200]
            return run
        run.good = _count_good(texts)
        run.failures = [f"{i}: {r}" for i, r in rows if not _is_good(i)]
    return run


def run_extract(paths: list[str], workdir: Path, timeout: float, fresh: bool) -> Run:
    run, stdout = run_command(["extract", *paths], workdir, timeout, fresh)
    texts = []
    for line in stdout.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            run.crash = run.crash or f"stdout line is not JSON: {line[:80]!r}"
            continue
        if record.get("failure") is None:
            texts.append(str(record.get("text", "")))
    run.good = _count_good(texts)
    stderr = (workdir / "extract.err").read_text(errors="replace")
    run.failures = [
        line[len(FAIL_PREFIX) :]
        for line in stderr.splitlines()
        if line.startswith(FAIL_PREFIX) and not _is_good(line[len(FAIL_PREFIX) :].split(" [")[0])
    ]
    return run


# -- the matrix ---------------------------------------------------------------------------------


def judge(row: Row) -> None:
    """Fill ``row.problems``: crashes, hangs, lost good articles, missing or unexpected failures."""
    for name in ("process", "extract"):
        run: Run | None = getattr(row, name)
        if run is None:
            continue
        if run.crash:
            row.problems.append(f"{name}: crash ({run.crash})")
        if run.hang:
            row.problems.append(f"{name}: hang (killed after {run.seconds:g} s)")
        if run.left_behind:
            row.problems.append(f"{name}: {run.left_behind} processes left behind")
        if run.good < len(MARKERS):
            row.problems.append(f"{name}: {len(MARKERS) - run.good} good articles lost")
        if row.expect == "fail" and not run.failures and not run.hang:
            row.problems.append(f"{name}: no failure row for a refused input")
        if row.expect == "fail" and run.failures and run.exit not in (1, None):
            row.problems.append(f"{name}: exit {run.exit} with failures (expected 1)")
        if row.expect == "ok" and run.failures:
            row.problems.append(f"{name}: unexpected failure ({run.failures[0][:120]})")


def run_case(case: Case, root: Path, timeout: float, fresh: bool, workers: int) -> Row:
    row = Row(case.name, case.what, case.expect, skip=case.skip)
    if case.skip:
        return row
    workdir = root / f"{case.name}.run"
    workdir.mkdir()
    paths = build_case(case, root)
    try:
        row.process = run_process(paths, workdir, timeout, fresh, workers)
        row.extract = run_extract(paths, workdir, timeout, fresh)
    finally:
        for path in root.rglob("*"):  # free the space: bombs and big files
            if path.is_file() and not path.is_symlink() and path.stat().st_size > 1_000_000:
                path.unlink()
    judge(row)
    return row


def _pair(row: Row, cell: Any) -> str:
    return " / ".join("–" if run is None else cell(run) for run in (row.process, row.extract))


def table(rows: list[Row]) -> str:
    """A Markdown table; each cell is "process / extract"."""
    lines = [
        "| case | input | expected | exit | crash | hang | good kept | failure row | s | verdict |",
        "|---|---|---|---|---|---|---|---|---:|---|",
    ]
    for row in rows:
        what = row.what.replace("|", "\\|")
        if row.skip:
            lines.append(
                f"| {row.case} | {what} | {row.expect} |" + " |" * 6 + f" skipped: {row.skip} |"
            )
            continue
        seconds = sum(run.seconds for run in (row.process, row.extract) if run is not None)
        verdict = "ok" if not row.problems else "**" + "; ".join(row.problems) + "**"
        cells = [
            _pair(row, lambda r: "killed" if r.exit is None else str(r.exit)),
            _pair(row, lambda r: "**yes**" if r.crash else "no"),
            _pair(row, lambda r: "**yes**" if r.hang else "no"),
            _pair(row, lambda r: str(r.good)),
            _pair(row, lambda r: "yes" if r.failures else "no"),
        ]
        lines.append(
            f"| {row.case} | {what} | {row.expect} | {' | '.join(cells)} | {seconds:.1f} "
            f"| {verdict} |"
        )
    return "\n".join(lines)


def summary(rows: list[Row]) -> dict[str, int]:
    ran = [r for r in rows if not r.skip]
    runs = [run for r in ran for run in (r.process, r.extract) if run is not None]
    return {
        "cases": len(ran),
        "skipped": len(rows) - len(ran),
        "runs": len(runs),
        "crashes": sum(1 for run in runs if run.crash),
        "hangs": sum(1 for run in runs if run.hang),
        "good_articles_lost": sum(len(MARKERS) - run.good for run in runs),
        "missing_failure_rows": sum(
            1
            for r in ran
            for run in (r.process, r.extract)
            if run is not None and r.expect == "fail" and not run.failures and not run.hang
        ),
        "processes_left_behind": sum(run.left_behind for run in runs),
        "cases_with_problems": sum(1 for r in ran if r.problems),
    }


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GB, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release().split('-')[0]}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    parser.add_argument("--workers", type=int, default=2, help="process --workers")
    parser.add_argument("--fresh", action="store_true", help="a new interpreter per run")
    parser.add_argument("--json", action="store_true", help="JSON lines, then the summary")
    args = parser.parse_args(argv)
    selected = cases()
    if args.list:
        for case in selected:
            print(f"{case.name:28} {case.expect:5} {case.what}")
        return 0
    if args.cases:
        wanted = args.cases.split(",")
        unknown = set(wanted) - {c.name for c in selected}
        if unknown:
            parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
        selected = [c for c in selected if c.name in wanted]
    if not args.fresh:
        _preload()
    started = time.monotonic()
    rows = []
    with tempfile.TemporaryDirectory(prefix="hostile-matrix-") as tmp:
        for case in selected:
            row = run_case(case, Path(tmp), args.timeout, args.fresh, args.workers)
            rows.append(row)
            if args.json:
                print(json.dumps(asdict(row), ensure_ascii=False), flush=True)
            else:
                status = "skipped" if row.skip else ("ok" if not row.problems else "PROBLEM")
                seconds = (row.process.seconds if row.process else 0) + (
                    row.extract.seconds if row.extract else 0
                )
                print(f"{case.name:28} {status:8} {seconds:6.1f} s", file=sys.stderr, flush=True)
    totals: dict[str, Any] = summary(rows)
    totals["seconds"] = round(time.monotonic() - started)
    totals["machine"] = machine()
    if args.json:
        print(json.dumps({"summary": totals}))
    else:
        print(table(rows))
        print()
        print(", ".join(f"{k}: {v}" for k, v in totals.items()))
    return 0 if totals["cases_with_problems"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
