"""The bundled data files under ``newsevents/data``: each one read and parsed once per process.

Every word list, table and threshold newsevents uses is a data file; this module is the only
code that opens them. Parsed results are cached and shared, so callers must treat what they get
as read-only (build their own structures from it).
"""

from __future__ import annotations

import csv
import io
import tomllib
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from .errors import ConfigError

_REINSTALL = "reinstall newsevents (`make setup`) to restore the bundled data files"


def data_path(*parts: str) -> Traversable:
    """Return a traversable path to a bundled data file under ``newsevents/data``."""
    return resources.files("newsevents").joinpath("data", *parts)


def has_data(*parts: str) -> bool:
    """Return whether an optional bundled data file (a trained model, say) is installed."""
    return data_path(*parts).is_file()


@cache
def read_text(*parts: str) -> str:
    """Return the text of a bundled data file; raise ConfigError when it cannot be read."""
    try:
        return data_path(*parts).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read data file {'/'.join(parts)}: {exc}; {_REINSTALL}") from exc


@cache
def read_toml(*parts: str) -> dict[str, Any]:
    """Return a bundled TOML file, parsed once (shared: do not mutate)."""
    try:
        return tomllib.loads(read_text(*parts))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"data file {'/'.join(parts)} is not valid TOML: {exc}; {_REINSTALL}"
        ) from exc


@cache
def read_csv(*parts: str) -> tuple[dict[str, str], ...]:
    """Return the rows of a bundled CSV file with a header line, parsed once (do not mutate)."""
    return tuple(csv.DictReader(io.StringIO(read_text(*parts))))
