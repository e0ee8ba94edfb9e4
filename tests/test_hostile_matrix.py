"""Issue 20's hostile matrix, a representative subset, and the gzip ratio limit.

The matrix itself is ``benchmarks/hostile_matrix.py`` (all cases, a few minutes; its table is
in the README); here a subset of the same generated cases (``tests/hostile_inputs.py``) runs
through the same script: 0 crashes, 0 hangs, 0 good articles lost, a failure row for every
refused input.
"""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from hostile_inputs import BODY, MB, bomb, cases, warc
from newsevents.config import get_settings
from newsevents.ingest import read_inputs
from newsevents.model import Failure, RawDocument

ROOT = Path(__file__).resolve().parent.parent
SUBSET = [
    "gzip-bomb-txt",
    "ratio-bomb-jsonl",
    "json-deep-array",
    "json-surrogate-title",
    "text-many-sentences",
    "html-attributes",
    "warc-truncated",
    "rss-billion-laughs",
    "dir-symlink-loop",
]


def test_the_subset_names_real_cases() -> None:
    names = {c.name for c in cases()}
    assert set(SUBSET) <= names
    assert len(names) >= 60  # issue 20's matrix had 63


@pytest.mark.slow
def test_hostile_matrix_subset() -> None:
    script = ROOT / "benchmarks" / "hostile_matrix.py"
    command = [sys.executable, str(script), "--json", "--timeout", "60", "--cases"]
    result = subprocess.run(
        [*command, ",".join(SUBSET)], capture_output=True, text=True, timeout=240, cwd=ROOT
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines, result.stderr[-3000:]
    rows, summary = lines[:-1], lines[-1]["summary"]
    assert sorted(r["case"] for r in rows) == sorted(SUBSET), result.stderr[-2000:]
    problems = {r["case"]: r["problems"] for r in rows if r["problems"]}
    tails = [run["stderr_tail"] for r in rows for run in (r["process"], r["extract"]) if run]
    assert not problems, (problems, [t for t in tails if t])
    assert summary["crashes"] == summary["hangs"] == 0
    assert summary["good_articles_lost"] == summary["missing_failure_rows"] == 0
    assert summary["processes_left_behind"] == 0
    assert result.returncode == 0
    for row in rows:  # each command refused each refused input with a failure and exit 1
        if row["expect"] == "fail":
            assert row["process"]["failures"] and row["extract"]["failures"], row["case"]
            assert row["process"]["exit"] == row["extract"]["exit"] == 1, row["case"]


# -- the ratio limit ---------------------------------------------------------------------------


def _read(path: Path, **overrides: object) -> list[RawDocument | Failure]:
    return list(read_inputs([str(path)], get_settings(**overrides).read_limits))


def test_gzip_over_the_ratio_limit_is_a_failure_under_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "ratio.txt.gz"
    path.write_bytes(bomb(4 * MB, b"Yes. ", 4 * MB))  # under the 5 MB cap, 1,000-fold
    assert len(path.read_bytes()) < 20_000
    [failure] = _read(path)
    assert isinstance(failure, Failure)
    assert "200-fold, over the ratio limit" in failure.reason
    assert "decompression bomb" in failure.reason and "NEWSEVENTS_MAX_GZIP_RATIO" in failure.reason
    [doc] = _read(path, max_gzip_ratio=0.0)  # 0: no ratio check (the size cap still holds)
    assert isinstance(doc, RawDocument) and len(doc.content) == 4 * MB
    [doc] = _read(path, max_gzip_ratio=2_000.0)
    assert isinstance(doc, RawDocument)


def test_gzip_ratio_stops_inflating_early(tmp_path: Path) -> None:
    """A 60 MB bomb (under the 100 MB container cap) is refused after about 1 MB of content."""
    path = tmp_path / "ratio.jsonl.gz"
    path.write_bytes(bomb(60 * MB, b'{"text": "x"}\n', 6 * MB))
    [failure] = _read(path)
    assert isinstance(failure, Failure) and "ratio limit" in failure.reason
    gave = int(failure.reason.split(" gave ")[1].split(";")[0].replace(",", ""))
    assert gave < 3 * MB


def test_ordinary_gzip_text_passes_the_ratio_limit(tmp_path: Path) -> None:
    rng = random.Random(20)
    words = BODY.split()
    text = " ".join(rng.choice(words) for _ in range(400_000))  # 2.5 MB, compresses ~4-fold
    path = tmp_path / "long.txt.gz"
    path.write_bytes(gzip.compress(text.encode()))
    [doc] = _read(path)
    assert isinstance(doc, RawDocument) and doc.content == text
    small = tmp_path / "small.txt.gz"  # under 1 MB of content the ratio is not checked
    small.write_bytes(gzip.compress(b"Yes. " * 150_000))
    [doc] = _read(small)
    assert isinstance(doc, RawDocument)


def test_warc_of_gzip_members_is_read_under_the_same_limits(tmp_path: Path) -> None:
    page = f"<html><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>".encode()
    archive = warc([("text/html", page)] * 2, compress=True)
    (tmp_path / "plain.warc").write_bytes(archive)  # gzip members, not named .gz
    assert [type(i) for i in _read(tmp_path / "plain.warc")] == [RawDocument] * 2
    (tmp_path / "cut.warc").write_bytes(archive[:-40])  # the last member cut short
    items = _read(tmp_path / "cut.warc")
    assert isinstance(items[0], RawDocument) and isinstance(items[-1], Failure)
    bombed = archive + warc([("text/plain", b" " * 20 * MB)], compress=True, kind="resource")
    (tmp_path / "bomb.warc").write_bytes(bombed)
    [failure] = _read(tmp_path / "bomb.warc")
    assert isinstance(failure, Failure) and "ratio limit" in failure.reason
