"""Shared, cheap test fixtures: one loaded spaCy pipeline per session, in-memory stores."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from spacy.language import Language

from newsevents.nlp import load_pipeline
from newsevents.store import Store

ROOT = Path(__file__).parent
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "examples" / "corpus"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The configured spaCy English pipeline, loaded once for the whole session."""
    return load_pipeline()


@pytest.fixture()
def store() -> Iterator[Store]:
    """A fresh in-memory DuckDB store."""
    db = Store(":memory:")
    yield db
    db.close()


@pytest.fixture(scope="session")
def shared() -> Path:
    """Path to ../shared (read-only evaluation data); skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def sample_corpus() -> Path:
    """The bundled sample corpus written for the project."""
    return SAMPLE


@pytest.fixture(scope="session")
def fresh_python() -> Callable[[str], str]:
    """Run Python code in a new interpreter (nothing imported yet); return what it printed."""

    def run(code: str) -> str:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    return run
