"""Actor dictionaries with date ranges: YAML, CSV, and PETRARCH/TABARI ``.txt`` imports.

Users load their own lists with :func:`load_actor_dictionary`; the bundled lists of people and
office holders (:func:`default_dictionary`) are consulted after them.

Formats (documented in ``newsevents/data/actors/README.md``):

* YAML: ``actors: [{names: [...], codes: [{code: USAGOV, start: 2017-01-20, end: 2021-01-20}]}]``
  (``start``/``end`` optional, ISO dates, inclusive).
* CSV: header ``name,code,start,end``; one row per name and date range.
* PETRARCH/TABARI: an entry line ``NAME_ [CODE]`` or ``NAME_``, synonyms on ``+NAME`` lines,
  dated codes ``[RUSGOV 991231-080507]``, ``[USAELI <170120]``, ``[USAGOV >170120]``;
  ``#`` starts a comment, ``_`` joins words.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from ...errors import InputError
from ...resources import has_data, read_text

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built in: 10x faster
CODE_RE = re.compile(r"\[\s*([A-Z0-9~]+)\s*([<>]?\s*\d{6})?\s*(?:-\s*(\d{6}))?\s*\]")
YEAR_PIVOT = 50
# The bundled dated lists, in the order they are consulted (a dated role first, whichever list).
BUNDLED_LISTS = ("people.yaml", "office_holders.yaml", "us_politics.yaml")


@dataclass(frozen=True, slots=True)
class DatedCode:
    """An actor code valid from ``start`` to ``end`` (inclusive; None = open)."""

    code: str
    start: date | None = None
    end: date | None = None

    def covers(self, when: date | None) -> bool:
        """Return whether the code applies on a date (an undated lookup matches undated codes)."""
        if when is None:
            return self.start is None and self.end is None
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


@dataclass
class ActorDictionary:
    """Names (normalised upper case) mapped to dated codes."""

    entries: dict[str, list[DatedCode]] = field(default_factory=dict)

    def add(self, name: str, code: DatedCode) -> None:
        """Add one dated code for a name."""
        self.entries.setdefault(normalise(name), []).append(code)

    def lookup(self, name: str, when: date | None) -> str | None:
        """Return the code valid for a name on a date, or None.

        A dated code whose range covers the date wins over an undated one (PETRARCH's
        convention: the undated code is the default between dated roles).
        """
        codes = self.entries.get(normalise(name))
        if not codes:
            return None
        dated = [c for c in codes if c.start is not None or c.end is not None]
        for c in (*dated, *(c for c in codes if c not in dated)):  # a dated role first
            if c.covers(when):
                return c.code
        if when is None:
            return codes[-1].code
        return None

    def knows(self, name: str) -> bool:
        """Return whether a name is listed, whatever its dates."""
        return normalise(name) in self.entries

    def country_of(self, name: str) -> str | None:
        """Return a name's country (or IGO) whatever the date, if all its codes agree.

        Nationality outlives an office: "President Bush" in a year when no Bush was in office is
        still American; the role then comes from the text, not from the dictionary.
        """
        codes = self.entries.get(normalise(name))
        if not codes:
            return None
        heads = {c.code if c.code.startswith("IGO") else c.code[:3] for c in codes}
        return heads.pop() if len(heads) == 1 else None

    def merged(self, other: ActorDictionary) -> ActorDictionary:
        """Return a dictionary with this one's entries, then the other's."""
        out = ActorDictionary()
        for source in (self, other):
            for name, codes in source.entries.items():
                out.entries.setdefault(name, []).extend(codes)
        return out

    def __len__(self) -> int:
        """Return the number of names."""
        return len(self.entries)


@lru_cache(maxsize=8192)  # the coder looks the same few names up again and again
def normalise(name: str) -> str:
    """Normalise a name for lookup: underscores to spaces, upper case, single spaces."""
    return " ".join(name.replace("_", " ").upper().split())


def _yymmdd(value: str) -> date:
    yy, mm, dd = int(value[:2]), int(value[2:4]), int(value[4:6])
    return date((2000 if yy < YEAR_PIVOT else 1900) + yy, mm, dd)


def petrarch_code(match: re.Match[str]) -> DatedCode:
    """Read one bracketed PETRARCH code (``[RUSGOV 991231-080507]``); ValueError if impossible."""
    code, first, second = match.group(1), match.group(2), match.group(3)
    code = code.lstrip("~")
    if first is None:
        return DatedCode(code)
    first = first.replace(" ", "")
    if first.startswith("<"):
        return DatedCode(code, end=_yymmdd(first[1:]))
    if first.startswith(">"):
        return DatedCode(code, start=_yymmdd(first[1:]))
    return DatedCode(code, start=_yymmdd(first), end=_yymmdd(second) if second else None)


def parse_petrarch(text: str, source: str = "<text>") -> ActorDictionary:
    """Parse PETRARCH/TABARI actor dictionary text (``+NAME`` synonyms, dated codes).

    A code with an impossible date fails with the file, the line and the reason.
    """
    result = ActorDictionary()
    names: list[str] = []
    codes: list[DatedCode] = []

    def flush() -> None:
        for n in names:
            for c in codes:
                result.add(n, c)

    def read_codes(line: str, number: int) -> list[DatedCode]:
        try:
            return [petrarch_code(m) for m in CODE_RE.finditer(line)]
        except ValueError as exc:
            raise InputError(
                f"{source}, line {number}: bad date in an actor code ({exc}); "
                "PETRARCH dates are YYMMDD"
            ) from exc

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("+"):
            names.append(stripped[1:].split("[", 1)[0].strip())
            codes.extend(read_codes(stripped, number))
            continue
        if stripped.startswith("["):
            codes.extend(read_codes(stripped, number))
            continue
        flush()
        names = [stripped.split("[", 1)[0].strip()]
        codes = read_codes(stripped, number)
    flush()
    return result


def _iso(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(f"{where}: bad date {value!r} in actor list; use YYYY-MM-DD") from exc


def parse_yaml(text: str, source: str = "<text>") -> ActorDictionary:
    """Parse a YAML actor list (see the module docstring for the format)."""
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: not valid YAML: {exc}") from exc
    result = ActorDictionary()
    items = data.get("actors", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError(f"{source}: actor YAML must hold a list under 'actors'")
    for number, item in enumerate(items, start=1):
        where = f"{source}, actor {number}"
        if not isinstance(item, dict) or "names" not in item or "codes" not in item:
            raise InputError(f"{where}: each actor needs 'names' and 'codes'")
        for name in item["names"]:
            for c in item["codes"]:
                if not isinstance(c, dict) or "code" not in c:
                    raise InputError(f"{where}: each code needs 'code' (start, end optional)")
                dc = DatedCode(
                    str(c["code"]), _iso(c.get("start"), where), _iso(c.get("end"), where)
                )
                result.add(str(name), dc)
    return result


def parse_csv(text: str, source: str = "<text>") -> ActorDictionary:
    """Parse a CSV actor list with columns name, code, start, end (``#`` lines are comments)."""
    result = ActorDictionary()
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if not line.startswith("#")]
    reader = csv.DictReader(line for _, line in lines)
    if reader.fieldnames is None or not {"name", "code"} <= set(reader.fieldnames):
        raise InputError(f"{source}: actor CSV needs a header with at least 'name' and 'code'")
    for (number, _), row in zip(lines[1:], reader, strict=False):
        where = f"{source}, line {number}"
        if not row.get("name") or not (row.get("code") or "").strip():
            raise InputError(f"{where}: every row needs a name and a code")
        start, end = _iso(row.get("start"), where), _iso(row.get("end"), where)
        result.add(row["name"], DatedCode(row["code"].strip(), start, end))
    return result


def load_actor_dictionary(path: str | Path) -> ActorDictionary:
    """Load a user actor list: ``.yaml``/``.yml``, ``.csv``, or a PETRARCH/TABARI ``.txt``."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read actor dictionary {p}: {exc}") from exc
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return parse_yaml(text, str(p))
    if suffix == ".csv":
        return parse_csv(text, str(p))
    return parse_petrarch(text, str(p))


@cache
def default_dictionary() -> ActorDictionary:
    """Return the bundled dated actor lists (``BUNDLED_LISTS``, in ``data/actors``)."""
    out = ActorDictionary()
    for name in BUNDLED_LISTS:
        out = out.merged(parse_yaml(read_text("actors", name), f"data/actors/{name}"))
    return out


@cache
def people_dictionary() -> ActorDictionary | None:
    """Return Phoenix's people with dated roles (``data/actors/phoenix.csv``), if installed.

    Built by ``scripts/build_phoenix_actors.py``; consulted for names of people only, after our
    own lists: its roles stop around 2015, and its codes for places and organisations are
    coarser than the tables'.
    """
    if not has_data("actors", "phoenix.csv"):
        return None
    return parse_csv(read_text("actors", "phoenix.csv"), "data/actors/phoenix.csv")
