"""Speaker names as readers write them: the name alone, the title and body it came with apart.

"Afghan Ambassador to the United States Hamdullah Mohib" is the name "Hamdullah Mohib" with the
role "Ambassador to the United States" and the affiliation "Afghanistan"; "Facebook co-founder
Mark Zuckerberg" is "Mark Zuckerberg", co-founder, Facebook (a hyphenated word is one word).
Title words are speakers.toml's titles, ``data/statements/names.toml`` and nameparser's title
list; demonyms map to their country through ``data/actors/countries.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nameparser.config import CONSTANTS  # type: ignore[import-untyped]

from ...resources import read_csv, read_toml
from .lexicon import lexicon


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name split into the name proper, the role before it and the body it belongs to."""

    name: str
    role: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class _Words:
    strong: frozenset[str]  # always a title or role word before a name
    weak: frozenset[str]  # a title only when two name words follow it
    connectors: frozenset[str]
    particles: frozenset[str]
    countries: dict[str, str]  # demonym or alias (lower-case) -> country name


@cache
def _words() -> _Words:
    raw = read_toml("statements", "names.toml")
    strong = set(lexicon().titles) | {w.lower() for w in raw["role_words"]}
    given = {w.lower() for w in raw["given_name_titles"]}
    parser_titles = {str(t).lower() for t in CONSTANTS.titles}
    particles = frozenset(w.lower() for w in raw["particles"])
    weak = frozenset((parser_titles - strong - particles) | (given - strong))
    countries: dict[str, str] = {}
    for row in read_csv("actors", "countries.csv"):
        for field in ("demonyms", "aliases"):
            for word in (row.get(field) or "").split("|"):
                if word:
                    countries.setdefault(word.lower(), row["name"])
        countries.setdefault(row["name"].lower(), row["name"])
    return _Words(
        strong=frozenset(strong),
        weak=weak,
        connectors=frozenset(w.lower() for w in raw["connectors"]),
        particles=particles,
        countries=countries,
    )


def _key(token: str) -> str:
    return token.lower().strip(",;:")


def _name_words(tail: list[str], words: _Words) -> int:
    """Return how many of the last words of ``tail`` are the person's name after a place."""
    n = 2
    while n < len(tail) and (
        _key(tail[-n]) in words.particles or (len(tail[-n]) <= 2 and tail[-n].endswith("."))
    ):
        n += 1  # "Bashar al - Assad", "Donald J. Trump": the particle or initial is the name's
    return min(n, len(tail))


def split_person(name: str) -> NameParts:
    """Split a person's name as the text gives it into name, role and affiliation."""
    words = _words()
    before, comma, after = name.rpartition(", ")
    if comma and _looks_like_name(after, words):
        # "Britain's ambassador to the United Nations, Sarah Whitcombe": the apposed name
        named = split_person(after)
        said = named.role or before
        owner, possessive, rest = before.replace("’s ", "'s ").partition("'s ")
        owner = " ".join(w for w in owner.split() if _key(w) not in ("the", "a", "an"))
        owned = named.affiliation
        if possessive and rest and owner and all(w[:1].isupper() for w in owner.split()):
            said, owned = named.role or rest, owned or country_of(owner)
        return NameParts(named.name, said.strip(" ,") or None, owned)
    tokens = name.split()
    if len(tokens) < 2:
        return NameParts(name)
    last_title = -1
    first_title = -1
    run = 0  # name words since the last title word
    suffix: list[str] = []
    for i, tok in enumerate(tokens[:-1]):
        w = _key(tok)
        if run >= 2 and w in words.connectors and last_title >= 0:
            suffix, tokens = tokens[i + 1 :], tokens[:i]  # "Rep. Adam Schiff of California"
            break
        if w in words.particles and last_title < 0:
            continue
        title = w in words.strong or (w in words.weak and len(tokens) - i - 1 >= 2)
        joiner = last_title >= 0 and w in words.connectors
        lower = tok[:1].islower() and w not in words.particles | words.connectors
        if title or joiner or lower:
            last_title, run = i, 0
            if first_title < 0 and (title or lower):
                first_title = i
        else:
            run += 1
    if last_title < 0:
        return NameParts(name)
    tail = tokens[last_title + 1 :]
    place: list[str] = []
    if _key(tokens[last_title]) in words.connectors and len(tail) > 2:
        keep = _name_words(tail, words)
        place, tail = tail[:-keep], tail[-keep:]
    if not any(t[:1].isupper() for t in tail):
        return NameParts(name)
    lead = tokens[:first_title]
    role_words = tokens[first_title : last_title + 1] + place
    affiliation: str | None = None
    if lead:
        lead_text = clean_body(" ".join(lead))
        affiliation = words.countries.get(lead_text.lower(), lead_text)
    elif place or suffix:
        place_text = " ".join(t for t in place or suffix if _key(t) not in words.connectors)
        affiliation = words.countries.get(place_text.lower(), place_text) or None
    role = " ".join(role_words).strip(" ,") or None
    return NameParts(" ".join(tail), role, affiliation)


def _looks_like_name(text: str, words: _Words) -> bool:
    """Whether text is two or more capitalised words (titles and particles allowed)."""
    tokens = text.split()
    return len(tokens) >= 2 and all(t[:1].isupper() or _key(t) in words.particles for t in tokens)


def country_of(affiliation: str) -> str:
    """Return the country a demonym or alias names ("Russian" -> "Russia"), else the text."""
    return _words().countries.get(affiliation.lower(), affiliation)


def clean_body(name: str) -> str:
    """Return an organisation's name without an unclosed bracket or a possessive ending."""
    out = name.strip()
    while out.count("(") > out.count(")"):
        out = out[: out.rfind("(")].rstrip(" ,")
    while out.count(")") > out.count("("):
        out = out.replace(")", "", 1).strip()
    for ending in ("'s", "’s"):
        if out.endswith(ending):
            out = out[: -len(ending)]
    return out.strip() or name


def speaker_name(name: str, label: str, person_label: str = "PERSON") -> NameParts:
    """Return the name a reader would write for an entity name of the given label."""
    if label == person_label:
        parts = split_person(clean_body(name))
        return parts
    return NameParts(clean_body(name))
