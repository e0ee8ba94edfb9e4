"""The package's public surface: every name in ``__all__`` resolves, and importing is cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

import newsevents

HEAVY = ("spacy", "duckdb", "trafilatura", "fastapi")


@pytest.mark.parametrize("name", newsevents.__all__)
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(newsevents, name)
    assert value is not None
    if name != "__version__":
        assert getattr(value, "__module__", "").startswith("newsevents."), name
    assert name in dir(newsevents)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = newsevents.nothing_here  # type: ignore[attr-defined]


@pytest.mark.parametrize("module", ["newsevents", "newsevents.errors", "newsevents.model"])
def test_light_imports_do_not_load_the_heavy_libraries(module: str) -> None:
    code = f"import sys, {module}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"importing {module} loaded {out}"


def test_a_public_name_loads_its_module_on_first_use() -> None:
    code = (
        "import sys, newsevents; assert 'duckdb' not in sys.modules; "
        "newsevents.Store; print('duckdb' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_extract_is_the_function_even_after_the_extract_subpackage_loads() -> None:
    # regression: with a lazy __init__, importing newsevents.extract.* bound the subpackage to
    # the name newsevents.extract and hid the function
    code = (
        "import newsevents, newsevents.extract.annotate; "
        "from newsevents.extract.statements import extract_statements; "
        "print(callable(newsevents.extract), newsevents.extract.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True newsevents.api"
