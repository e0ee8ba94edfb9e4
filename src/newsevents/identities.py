"""One identity per person or body across articles: "Trump", "Donald J. Trump" -> one id.

Pure logic, no database: :func:`name_key` reduces a speaker name to a key (a person's given
name and surname through nameparser, titles and middle names dropped; a body's name
case-folded), :func:`identity_of` gives the id a single document can know, and
:func:`assign` gives every (article, name) of a whole database its identity. A surname alone
joins the one full name with that surname anywhere in the database; with none, or several,
it stays an identity of its own article (two "Johnson"s in two articles stay apart). Users
name known identities in a CSV (:func:`read_known`: ``id,name[,wikidata]``, one row per
name variant, the first row of an id its canonical name).
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nameparser import HumanName  # type: ignore[import-untyped]

from .errors import ConfigError
from .model import make_id

PERSON = "PERSON"
_BODY_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})


@dataclass(frozen=True, slots=True)
class Known:
    """A user-supplied identity: its id, canonical name, Wikidata id and name variants."""

    id: str
    name: str
    wikidata: str | None
    variants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Identity:
    """One real-world person or body: id, canonical name, kind and the names it went by."""

    id: str
    name: str
    kind: str  # "person" or "body"
    wikidata: str | None
    variants: tuple[str, ...]


def _fold(text: str) -> str:
    """Return text lower-case, without accents, dots or commas, single-spaced."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = plain.replace(".", "").replace(",", " ").replace("’", "'").replace("&", " and ")
    return " ".join(plain.lower().split())


@lru_cache(maxsize=65536)
def name_key(name: str, label: str | None = PERSON) -> str:
    """Return a name's key: ``p:given|surname|suffix``, ``s:surname`` (alone) or ``b:body``."""
    if label in _BODY_LABELS:
        folded = _fold(name)
        for lead in ("the ",):
            if folded.startswith(lead):
                folded = folded[len(lead) :]
        if folded.endswith("'s"):
            folded = folded[:-2]
        return "b:" + folded
    parsed = HumanName(name)
    first, last, suffix = _fold(parsed.first), _fold(parsed.last), _fold(parsed.suffix)
    if first and last:
        return f"p:{first}|{last}|{suffix}"
    return "s:" + (last or first or _fold(name))


def name_group(key: str) -> str:
    """Return a name key's group: a surname ("trump" for ``p:donald|trump|``, ``s:trump`` and
    ``b:trump``) or the key of a body's longer name. Keys of different groups never share an
    identity unless a user's known identity names them both (:func:`known_groups`)."""
    if key.startswith("p:"):
        return key.split("|")[1]
    alone = key[2:]
    if key.startswith("s:") or " " not in alone:
        return alone
    return key


def known_groups(known: Iterable[Known]) -> list[frozenset[str]]:
    """Return, for each known identity, the groups its name variants fall in."""
    return [
        frozenset(name_group(name_key(v, label)) for v in k.variants for label in (PERSON, "ORG"))
        for k in known
    ]


def identity_id(key: str, article_id: str | None = None) -> str:
    """Return the id of an identity key (a surname alone is scoped to its article)."""
    return make_id("identity", key) if article_id is None else make_id("identity", key, article_id)


def identity_of(name: str | None, label: str | None) -> str | None:
    """Return the identity id one document gives a speaker name (None for no name)."""
    if not name:
        return None
    return identity_id(name_key(name, label))


def read_known(path: str | Path) -> tuple[Known, ...]:
    """Read a CSV of known identities: ``id,name[,wikidata]``, one row per name variant."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            columns = set(reader.fieldnames or ())
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"cannot read the identities file {path}: {exc}") from exc
    if not {"id", "name"} <= columns:
        raise ConfigError(f"the identities file {path} needs the columns id,name[,wikidata]")
    names: dict[str, list[str]] = defaultdict(list)
    wikidata: dict[str, str] = {}
    for row in rows:
        ident, name = (row.get("id") or "").strip(), (row.get("name") or "").strip()
        if not ident or not name:
            continue
        names[ident].append(name)
        if (row.get("wikidata") or "").strip():
            wikidata.setdefault(ident, row["wikidata"].strip())
    return tuple(Known(i, v[0], wikidata.get(i), tuple(v)) for i, v in names.items())


def assign(
    speakers: Iterable[tuple[str, str, str | None]], known: Iterable[Known] = ()
) -> tuple[dict[tuple[str, str], str], tuple[Identity, ...]]:
    """Give each (article id, speaker name, label) its identity.

    Returns the map (article id, name) -> identity id and the identities with their canonical
    name (a user's, else the most frequent full variant) and name variants. The result depends
    only on the set of speakers, not on the order articles arrived in.
    """
    user: dict[str, Known] = {}
    for k in known:
        for variant in k.variants:
            for as_label in (PERSON, "ORG"):
                user.setdefault(name_key(variant, as_label), k)
    key_of: dict[tuple[str, str | None], str] = {}
    pair_key: dict[tuple[str, str], str] = {}
    for article, name, label in speakers:
        key = key_of.get((name, label))
        if key is None:
            key = key_of[(name, label)] = name_key(name, label)
        old = pair_key.get((article, name))
        if old is None or key < old:  # one key per name in an article, whatever the order
            pair_key[(article, name)] = key
    surnames: dict[str, set[str]] = defaultdict(set)
    for key in set(pair_key.values()) | set(user):
        if key.startswith("p:"):
            surnames[key.split("|")[1]].add(key)
    settled: dict[str, tuple[str | None, str]] = {}  # key -> (identity or None: per article, kind)
    mapping: dict[tuple[str, str], str] = {}
    counts: Counter[tuple[str, str]] = Counter()
    kinds: dict[str, str] = {}
    for (article, name), key in pair_key.items():
        found = settled.get(key)
        if found is None:
            found = settled[key] = _settle(key, surnames, user)
        ident = found[0] or identity_id(key, article)
        mapping[(article, name)] = ident
        counts[(ident, name)] += 1
        if kinds.get(ident) != "person":  # a person if any of its names is (order-free)
            kinds[ident] = found[1]
    variants: dict[str, dict[str, int]] = defaultdict(dict)
    for (ident, name), n in counts.items():
        variants[ident][name] = n
    by_user = {k.id: k for k in known}
    identities = []
    for ident in sorted(variants):
        names = variants[ident]
        mine = by_user.get(ident)
        person = kinds[ident] == "person"
        full = [n for n in names if person and name_key(n).startswith("p:")] or list(names)
        canonical = mine.name if mine else min(full, key=lambda n: (-names[n], len(n), n))
        identities.append(
            Identity(
                ident,
                canonical,
                kinds[ident],
                mine.wikidata if mine else None,
                tuple(sorted(names)),
            )
        )
    return mapping, tuple(identities)


def _settle(
    key: str, surnames: dict[str, set[str]], user: dict[str, Known]
) -> tuple[str | None, str]:
    """Return a key's identity (None: a surname alone, scoped to its article) and kind."""
    alone = key[2:] if key.startswith("s:") or (key.startswith("b:") and " " not in key) else ""
    owners = surnames.get(alone, set()) if alone else set()
    if len(owners) == 1:
        key = next(iter(owners))  # "Trump" (even tagged as a body) joins "Donald Trump"
    kind = "body" if key.startswith("b:") else "person"
    given = user.get(key)
    if given is not None:
        return given.id, kind
    if key.startswith("s:"):
        return None, kind
    return identity_id(key), kind
