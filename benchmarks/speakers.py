"""Benchmark speaker resolution on GUM coreference (../shared/eval/gum_coref), beside a baseline.

Usage: ``python benchmarks/speakers.py [--half a|b|both]``

For every mention of a person or organisation that is a third-person pronoun ("he", "they"),
a surname alone ("Lindqvist" after "Anna Lindqvist") or a description (a determiner and a
common noun in lower case: "the company", "the minister", "the school" for Harrow School; a
trailing possessive set aside, so "the Secretary's", a capitalised title, is no more counted
than "the Secretary"; not a part of the name, "the Vale family"), in a chain that has a name
(its Wikipedia title, else its longest mention with two capitalised words), newsevents'
speaker resolver (``SpeakerResolver.resolve`` on the mention, as if it were a statement's
speaker) must give that name. The baseline, printed in the same run, takes the nearest
preceding spaCy entity of the gold type (PERSON for a person, ORG for an organisation). A
resolved name is right when one's words contain the other's, when one is the other's acronym
("UCSB"), or, for a person, when they share the surname (last word; an organisation's last
word is its kind: "Harrow School" is not "Aberdeen Grammar School").
Printed per kind: mentions, newsevents' accuracy, the baseline's, and the share of mentions
newsevents leaves unresolved (no name rather than a guess).

The 48 documents are split in two halves by ``random.Random(20261203)``: rules were decided
looking at half A only; half B is the figure to report. Only aggregate figures are printed; no
corpus text is written anywhere.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
GUM = ROOT.parent / "shared" / "eval" / "gum_coref"
SEED = 20261203
KINDS = ("pronoun", "surname", "description")
TYPES = {"person": "PERSON", "organization": "ORG"}
PRONOUNS = frozenset(
    {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
    | {"they", "them", "their", "theirs", "themselves", "it", "its"}
)
DETERMINERS = frozenset({"the", "this", "that"})
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "at", "in", "on", "de"})


@dataclass(frozen=True)
class Mention:
    """A gold mention: token range [start, end) of the document, its chain id and type."""

    start: int
    end: int
    chain: str
    etype: str
    link: str | None


@dataclass
class Document:
    """One GUM document: its text, token character offsets and gold mentions."""

    name: str
    text: str
    offsets: list[tuple[int, int]]
    tokens: list[str]
    mentions: list[Mention]


_PART = re.compile(r"\(|\)|[^()]+")


def _brackets(field: str) -> list[tuple[str, str]]:
    """Split a bracket column into ('open'|'close'|'single', label) parts."""
    out: list[tuple[str, str]] = []
    parts = _PART.findall(field)
    i = 0
    while i < len(parts):
        part = parts[i]
        if part == "(" and i + 1 < len(parts) and parts[i + 1] not in "()":
            if i + 2 < len(parts) and parts[i + 2] == ")":
                out.append(("single", parts[i + 1]))
                i += 3
                continue
            out.append(("open", parts[i + 1]))
            i += 2
            continue
        if part not in "()" and i + 1 < len(parts) and parts[i + 1] == ")":
            out.append(("close", part))
            i += 2
            continue
        i += 1
    return out


def _label(label: str) -> tuple[str, str, str | None]:
    etype, _, rest = label.partition("-")
    chain, _, link = rest.partition("-")
    return etype, chain, link or None


def read_document(name: str) -> Document:
    """Read a GUM document: text from the CoNLL-U sentences, mentions from the CoNLL file."""
    sentences: list[str] = []
    breaks: list[bool] = []
    newpar = False
    for line in (GUM / "conllu" / f"{name}.conllu").read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar"):
            newpar = True
        elif line.startswith("# text = "):
            sentences.append(line[len("# text = ") :])
            breaks.append(newpar)
            newpar = False
    text = ""
    for sentence, brk in zip(sentences, breaks, strict=True):
        text += ("\n\n" if brk else " ") + sentence if text else sentence
    tokens: list[str] = []
    fields: list[str] = []
    for line in (GUM / "conll" / f"{name}.conll").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 3 and cols[0].isdigit():
            tokens.append(cols[1])
            fields.append(cols[2])
    offsets: list[tuple[int, int]] = []
    at = 0
    for tok in tokens:
        found = text.find(tok, at)
        if found < 0 or found - at > 40:
            found = at
        offsets.append((found, found + len(tok)))
        at = found + len(tok)
    mentions: list[Mention] = []
    open_: dict[str, list[int]] = {}
    for i, field in enumerate(fields):
        for what, label in _brackets(field):
            etype, chain, link = _label(label)
            if what == "single":
                mentions.append(Mention(i, i + 1, chain, etype, link))
            elif what == "open":
                open_.setdefault(chain, []).append(i)
            elif open_.get(chain):
                mentions.append(Mention(open_[chain].pop(), i + 1, chain, etype, link))
    return Document(name, text, offsets, tokens, mentions)


def _fold(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[a-z0-9]+", plain)
    return [w for w in words if w not in ("the", "of", "s")]


def _acronym(short: str, full: str) -> bool:
    """Whether a one-word capitals name is the initials of the other's content words
    ("UCSB" for "University of California, Santa Barbara")."""
    letters = re.sub(r"[^A-Za-z]", "", short)
    if len(letters) < 2 or not letters.isupper() or " " in short.strip():
        return False
    words = [w for w in re.findall(r"[A-Za-z]+", full) if w.lower() not in FUNCTION_WORDS]
    return len(words) >= 2 and "".join(w[0] for w in words).upper() == letters


def same_name(pred: str | None, gold: str, person: bool = True) -> bool:
    """Whether a predicted name names the gold entity: one's words contain the other's, one is
    the other's acronym, or (a person) they share the surname. An organisation's last word is
    its kind ("Harrow School", "Aberdeen Grammar School"), not a surname."""
    if not pred:
        return False
    p, g = _fold(pred), _fold(gold)
    if not p or not g:
        return False
    if _acronym(pred, gold) or _acronym(gold, pred):
        return True
    return (person and p[-1] == g[-1]) or set(p) <= set(g) or set(g) <= set(p)


def gold_names(doc: Document) -> dict[str, str]:
    """Return each chain's name: its Wikipedia title, else its longest two-capital mention."""
    names: dict[str, str] = {}
    for m in doc.mentions:
        if m.link and m.chain not in names:
            names[m.chain] = re.sub(r"_\(.*\)$", "", unquote(m.link)).replace("_", " ")
    for m in sorted(doc.mentions, key=lambda m: m.start - m.end):
        words = doc.tokens[m.start : m.end]
        if m.chain not in names and sum(w[:1].isupper() for w in words) >= 2 and len(words) <= 5:
            names[m.chain] = " ".join(words)
    return names


def kind_of(doc: Document, m: Mention, name: str) -> str | None:
    """Return the mention's kind (pronoun, surname, description) or None for others."""
    words = doc.tokens[m.start : m.end]
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return "pronoun"
    full = _fold(name)
    if len(words) == 1 and words[0][:1].isupper() and len(full) > 1:
        if _fold(words[0]) == full[-1:]:
            return "surname"
        return None
    while len(words) > 2 and words[-1] in POSSESSIVES:
        words = words[:-1]  # "the Secretary 's": the noun decides, not the clitic
    if 2 <= len(words) <= 4 and words[0].lower() in DETERMINERS and words[-1].islower():
        # not a part of the name ("the Bernoulli family"); a common noun the name has is a
        # description all the same ("the school" for Harrow School, "the church")
        proper = _fold(" ".join(w for w in words[1:] if w[:1].isupper()))
        if _fold(" ".join(words[1:])) and not (set(proper) & set(full)):
            return "description"
    return None


def baseline(ents: list[tuple[int, str, str]], offset: int, label: str) -> str | None:
    """The nearest preceding spaCy entity of the gold type."""
    best = None
    for start, text, lbl in ents:
        if start >= offset:
            break
        if lbl == label:
            best = text
    return best


def run(names: list[str]) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str]]:
    """Return (mentions, newsevents right, baseline right, newsevents unresolved) per kind."""
    from newsevents.extract.entities import extract_entities
    from newsevents.extract.statements.lexicon import lexicon
    from newsevents.extract.statements.speakers import SpeakerResolver
    from newsevents.nlp import load_pipeline

    nlp = load_pipeline()
    total: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    base: Counter[str] = Counter()
    unresolved: Counter[str] = Counter()
    for name in names:
        doc_data = read_document(name)
        doc = nlp(doc_data.text)
        resolver = SpeakerResolver(doc, extract_entities(doc), lexicon())
        ents = [(e.start_char, e.text, e.label_) for e in doc.ents]
        chains = gold_names(doc_data)
        for m in doc_data.mentions:
            if m.etype not in TYPES or m.chain not in chains:
                continue
            kind = kind_of(doc_data, m, chains[m.chain])
            if kind is None:
                continue
            start, end = doc_data.offsets[m.start][0], doc_data.offsets[m.end - 1][1]
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            total[kind] += 1
            speaker = resolver.resolve(span.start, span.end)
            person = m.etype == "person"
            ours[kind] += same_name(speaker.name, chains[m.chain], person)
            unresolved[kind] += speaker.name is None
            guess = baseline(ents, start, TYPES[m.etype])
            base[kind] += same_name(guess, chains[m.chain], person)
    return total, ours, base, unresolved


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:.1f}" if n else "-"


def halves() -> tuple[list[str], list[str]]:
    """Split the documents in two halves by the fixed seed: (A, B)."""
    names = sorted(p.stem for p in (GUM / "conll").glob("GUM_*.conll"))
    random.Random(SEED).shuffle(names)
    mid = len(names) // 2
    return sorted(names[:mid]), sorted(names[mid:])


def main(argv: list[str] | None = None) -> int:
    """Print resolution accuracy per mention kind, newsevents beside the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--half", choices=["a", "b", "both"], default="b")
    args = parser.parse_args(argv)
    if not (GUM / "conll").is_dir():
        print(f"GUM coreference data not found at {GUM}", file=sys.stderr)
        return 2
    a, b = halves()
    chosen = {"a": [("A (rules decided on)", a)], "b": [("B (held out)", b)]}
    parts = chosen.get(args.half) or [*chosen["a"], *chosen["b"]]
    for title, names in parts:
        started = time.perf_counter()
        total, ours, base, unresolved = run(names)
        print(f"GUM coref half {title}: {len(names)} documents")
        print(f"{'kind':<12} {'mentions':>8} {'newsevents':>10} {'baseline':>9} {'unresolved':>10}")
        for kind in KINDS:
            n = total[kind]
            print(
                f"{kind:<12} {n:>8} {_pct(ours[kind], n):>10} {_pct(base[kind], n):>9}"
                f" {_pct(unresolved[kind], n):>10}"
            )
        print(f"seconds {time.perf_counter() - started:.1f}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
