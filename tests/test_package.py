"""The package's public surface: every name in ``__all__`` resolves, and importing is cheap."""

from __future__ import annotations

from collections.abc import Callable

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
def test_light_imports_do_not_load_the_heavy_libraries(
    module: str, fresh_python: Callable[[str], str]
) -> None:
    code = f"import sys, {module}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = fresh_python(code)
    assert out == "", f"importing {module} loaded {out}"


def test_a_public_name_loads_its_module_on_first_use(fresh_python: Callable[[str], str]) -> None:
    code = (
        "import sys, newsevents; assert 'duckdb' not in sys.modules; "
        "newsevents.Store; print('duckdb' in sys.modules)"
    )
    assert fresh_python(code) == "True"


def test_extract_is_the_function_even_after_the_extract_subpackage_loads(
    fresh_python: Callable[[str], str],
) -> None:
    # regression: with a lazy __init__, importing newsevents.extract.* bound the subpackage to
    # the name newsevents.extract and hid the function
    code = (
        "import newsevents, newsevents.extract.annotate; "
        "from newsevents.extract.statements import extract_statements; "
        "print(callable(newsevents.extract), newsevents.extract.__module__)"
    )
    assert fresh_python(code) == "True newsevents.api"
