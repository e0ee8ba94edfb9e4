"""No process outlives ``newsevents process`` (issue 20, finding 6), killed by SIGTERM or -9.

And a run killed with SIGKILL at random points, then run again, holds exactly the rows of an
uninterrupted run: nothing lost, nothing doubled.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PAGE = (
    "<html><head><title>Envoys meet in Geneva</title></head><body><article><p>Envoys met in "
    "Geneva on Monday to discuss a truce. The minister said the talks were useful.</p>"
    "</article></body></html>"
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def _stat(pid: int) -> tuple[str, int] | None:
    """The state and parent id of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            parents[int(entry)] = stat[1]
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


def _corpus(root: Path) -> Path:
    root.mkdir()
    (root / "0-page.html").write_text(PAGE)  # starts the page-extraction helper
    for i in range(300):
        (root / f"story-{i:03d}.txt").write_text(
            f"Envoys met in Geneva on Monday for round {i} of talks on a truce. Minister Anna "
            f"Berg said round {i} was useful. Police detained {i + 2} protesters, officials said.\n"
        )
    return root


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "kill-9"])
def test_no_process_outlives_a_killed_run(tmp_path: Path, sig: signal.Signals) -> None:
    corpus = _corpus(tmp_path / "in")
    command = [sys.executable, "-m", "newsevents", "process", str(corpus), "-w", "2", "-q"]
    proc = subprocess.Popen(
        [*command, "--db", str(tmp_path / "n.duckdb")],
        env={**os.environ, "NEWSEVENTS_BATCH_SIZE": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        children: set[int] = set()
        while len(children) < 2:  # the workers (the page helper, started first, is one more)
            assert proc.poll() is None, "the run ended before its workers started"
            assert time.monotonic() < deadline, f"only {len(children)} child processes started"
            time.sleep(0.2)
            children = {pid for pid in _descendants(proc.pid) if _alive(pid)}
        proc.send_signal(sig)
        status = proc.wait(timeout=30)
        assert status == (128 + signal.SIGTERM if sig == signal.SIGTERM else -signal.SIGKILL)
        deadline = time.monotonic() + 5
        while (left := {pid for pid in children if _alive(pid)}) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, f"processes {sorted(left)} outlived their parent"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# -- kill -9 at random points of a multi-worker run, then rerun (issue 20, fault injection) ------

KILL_SEED = 20
TABLES = ("articles", "entities", "mentions", "statements", "events", "failures")


def _stories(root: Path, n: int = 30) -> Path:
    root.mkdir()
    places = ["Geneva", "Nairobi", "Lima", "Ankara", "Manila", "Oslo"]
    for i in range(n):
        place = places[i % len(places)]
        (root / f"story-{i:02d}.txt").write_text(
            f"Envoys met in {place} on Monday for round {i} of talks on a truce. Minister Anna "
            f'Berg said: "Round {i} was useful." Police detained {i + 2} protesters in {place}, '
            f"officials said. The opposition accused the government of fraud in round {i}.\n"
        )
    return root


def _process(corpus: Path, db: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "newsevents", "process", str(corpus), "-w", "2", "-q"]
    return subprocess.Popen(
        [*command, "--db", str(db)],
        env={**os.environ, "NEWSEVENTS_BATCH_SIZE": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _files(db: Path) -> tuple[tuple[int, int], ...]:
    """Size and modification time of the database and its write-ahead log (changed by a write)."""
    found = []
    for path in (db, db.with_name(db.name + ".wal")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            found.append((-1, -1))
        else:
            found.append((stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _contents(db: Path) -> dict[str, object]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        found: dict[str, object] = {
            table: con.execute(f"SELECT count(*), count(DISTINCT id) FROM {table}").fetchone()
            for table in TABLES
            if table != "mentions"
        }
        found["mentions"] = con.execute("SELECT count(*) FROM mentions").fetchone()
        for table in ("articles", "statements", "events"):
            found[f"{table} ids"] = sorted(
                r[0] for r in con.execute(f"SELECT id FROM {table}").fetchall()
            )
    finally:
        con.close()
    return found


@pytest.mark.slow
def test_kill_9_at_random_points_then_rerun_gives_the_rows_of_an_uninterrupted_run(
    tmp_path: Path,
) -> None:
    """Two runs killed with SIGKILL at seeded random moments, then one to completion."""
    corpus = _stories(tmp_path / "in")
    reference = _process(corpus, tmp_path / "ref.duckdb")
    assert reference.wait(timeout=300) == 0, reference.stderr.read() if reference.stderr else ""
    expected = _contents(tmp_path / "ref.duckdb")
    assert expected["articles"] == (30, 30)

    rng = random.Random(KILL_SEED)
    db = tmp_path / "killed.duckdb"
    killed = 0
    for _ in range(2):
        proc = _process(corpus, db)
        try:
            deadline = time.monotonic() + 120
            children: set[int] = set()
            while len(children) < 2 and proc.poll() is None:  # wait for the workers
                assert time.monotonic() < deadline, "the workers never started"
                time.sleep(0.1)
                children = {pid for pid in _descendants(proc.pid) if _alive(pid)}
            # a random point: after the k-th write to the database (a batch of 2 articles is one
            # transaction; 15 in all), then up to 0.3 s more, so a kill may land mid-transaction
            writes, last = rng.randint(1, 8), _files(db)
            while writes and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
                if (now := _files(db)) != last:
                    writes, last = writes - 1, now
            time.sleep(rng.uniform(0.0, 0.3))
            children |= {pid for pid in _descendants(proc.pid) if _alive(pid)}
            if proc.poll() is None:
                proc.kill()
                killed += 1
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        deadline = time.monotonic() + 5
        while (left := {pid for pid in children if _alive(pid)}) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, f"processes {sorted(left)} outlived their killed parent"
    assert killed, "no run was still going when its kill came: the test tested nothing"

    rerun = _process(corpus, db)
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read() if rerun.stderr else ""
    assert _contents(db) == expected  # the same ids, nothing doubled, the same row counts
