"""Build the second layer of verb knowledge from PETRARCH's older, larger verb dictionary.

Usage: ``python scripts/build_verbs_extra.py [PETRARCH_DIR]`` (default
``../shared/reference/petrarch``). Reads ``CAMEO.verbpatterns.150430.txt`` (MIT, Copyright (c)
2015 Open Event Data Alliance; about 11,000 patterns inherited from the TABARI CAMEO
dictionaries) and writes ``verb_synsets_extra.csv``, ``verbs_extra.csv`` and
``verb_patterns_extra.csv`` under ``src/newsevents/data/events/``, in the format of
``scripts/build_verbs.py``. The matcher (``newsevents.extract.events.verbs``) consults this layer
only where CAMEO.2.0 codes nothing: its patterns for any verb, its bare codes for verbs
CAMEO.2.0 does not list.

The older dictionary writes patterns as TABARI did, as word sequences without phrase brackets
(``- * OUTPOST IN + [0874]``). A sequence is kept only when it reads as what the parse-based
matcher checks: an optional particle, an optional noun phrase of at most three words (the
object), and an optional preposition with an actor or a noun phrase; before the verb, actors or
a short noun phrase (the subject). A pattern must name a noun after the verb: with only a
subject ("&MILITARY *") or a preposition and an actor ("* IN +") it does not choose the verb's
sense, and the matcher cannot require the actor. Each pattern is tagged as a small sentence
("They abandon outpost in them") with the project's spaCy tagger, and a pattern whose words
are verbs, auxiliaries, pronouns or conjunctions (a clause: "* TO ARRIVE IN", "* PRESS LIFT
EMBARGO") is dropped and counted: the matcher would read it as a noun and fire on the wrong
sentences. TABARI's word stems ("SMUGGL") are kept as written: they never equal a lemma, so
they never match.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from build_verbs import (
    DEFAULT_DIR,
    MARKERS,
    PARTICLES,
    PREPOSITIONS,
    SKIP_WORDS,
    Lemmas,
    Pattern,
    Stats,
    convert,
    load_lemmas,
    pattern_code,
)

SOURCE = "CAMEO.verbpatterns.150430.txt"
MAX_NOUN_WORDS = 3
MAX_SUBJECT_WORDS = 2
# Particles that are never prepositions: "* UP SANCTIONS" is *step up* sanctions.
PURE_PARTICLES = frozenset(
    {"up", "down", "out", "off", "back", "away", "forward", "aside", "apart", "together", "ahead"}
)
# Prepositions the older dictionary writes bare after the verb or its object.
BARE_PREPOSITIONS = PREPOSITIONS | frozenset({"in", "on", "over", "about", "through", "around"})
FUNCTION_WORDS = frozenset(
    {"to", "that", "which", "whether", "if", "and", "or", "but", "not", "no", "it", "its"}
    | {"their", "his", "her", "this", "these", "those", "than", "as", "so", "who", "be"}
    | {"is", "are", "was", "were", "been", "being", "will", "would", "can", "could", "should"}
    | {"may", "might", "must", "shall", "has", "have", "had", "do", "does", "did", "there"}
    | {"a", "an", "the", "all", "any", "some", "more", "most", "also", "only", "very"}
)
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
MODIFIER_TAGS = NOUN_TAGS | frozenset({"JJ", "JJR", "JJS", "CD"})


class SequenceParser:
    """Read a TABARI-style pattern line into constraints, or drop it (counted)."""

    def __init__(self, lem: Lemmas) -> None:
        self.lem = lem

    def __call__(
        self,
        body: str,
        comment: str,
        block: str,
        synsets: dict[str, list[list[str]]],
        stats: Stats,
    ) -> Pattern | None:
        """Return the pattern of one ``- ... * ... [code]`` line, or None when unusable."""
        coded = pattern_code(body, stats)
        if coded is None:
            return None
        code, text = coded
        if text.count("*") != 1 or any(c in text for c in "(){}"):
            stats.counts["patterns without one verb slot, or with brackets"] += 1
            return None
        pre, _, post = text.partition("*")
        pre_words = _words(pre)
        post_words = _words(post)
        if post.startswith("_"):  # "*_UP": a particle written onto the verb
            if not post_words or post_words[0].lower() not in PARTICLES:
                stats.counts["patterns too complex for the parse"] += 1
                return None
            post_words[0] = post_words[0].lower()
        lowered = {w.lower() for w in (*pre_words, *post_words)}
        if lowered & SKIP_WORDS or "&AUXVERB" in text or "&TOBEVERB" in text:
            stats.counts["patterns on auxiliaries or negation"] += 1
            return None
        for w in (*pre_words, *post_words):
            if w.startswith("&") and w[1:].rstrip("_") not in synsets:
                stats.counts["patterns with an undefined synset"] += 1
                return None
        require = _read(pre_words, post_words)
        if require is None:
            stats.counts["patterns too complex for the parse"] += 1
            return None
        if not require:
            stats.counts["patterns with actors only"] += 1
            return None
        if all(kind == "subj" or not phrase for kind, _, phrase in require):
            # "&MILITARY * [173]": the subject alone does not choose the verb's sense ("the
            # navy *held* drills"), and "* IN +": TABARI required an actor after the
            # preposition, which the matcher cannot check ("joined in demanding").
            stats.counts["patterns naming no object (subject or actor only)"] += 1
            return None
        verbs = tuple(
            v
            for v in re.split(r"[\s,]+", re.sub(r"<[^>]*>", "", comment))
            if re.fullmatch(r"[A-Z_]+", v)
        )
        if not self._nouns_ok(verbs, pre_words, post_words, synsets):
            stats.counts["patterns whose words are not nouns (a clause)"] += 1
            return None
        stats.counts["patterns kept"] += 1
        return Pattern(block, verbs, tuple(require), code)

    def _nouns_ok(
        self,
        verbs: tuple[str, ...],
        pre: list[str],
        post: list[str],
        synsets: dict[str, list[list[str]]],
    ) -> bool:
        """Return whether the pattern's content words tag as nouns and their modifiers."""
        verb = verbs[0].split("_")[0].lower() if verbs else "saw"

        def show(w: str) -> str:
            if w in MARKERS:
                return "them"
            if w.startswith("&"):
                members = synsets.get(w[1:].rstrip("_")) or [["thing"]]
                return " ".join(members[0]).lower()
            return w.lower()

        subject = [show(w) for w in pre if w not in MARKERS] or ["they"]
        shown = [*subject, verb, *(show(w) for w in post)]
        doc = self.lem.nlp(" ".join(shown) + " .")
        content = _content_positions(pre, post)
        tags = [t.tag_ for t in doc]
        words_tags: list[list[str]] = []  # each shown word's tokens' tags
        tok_i = 0
        for w in shown:
            n = len(self.lem.nlp.tokenizer(w))
            words_tags.append(tags[tok_i : tok_i + n])
            tok_i += n
        n_pre = len([w for w in pre if w not in MARKERS])
        pre_tags = words_tags[:n_pre]
        post_tags = words_tags[len(subject) + 1 :]
        for pos, is_head in content:
            side, i = pos
            wtags = pre_tags[i] if side == "pre" else post_tags[i]
            allowed = NOUN_TAGS if is_head else MODIFIER_TAGS
            if not wtags or wtags[-1] not in allowed:
                return False
        return True


def _words(text: str) -> list[str]:
    """Return a pattern side's words: markers kept, underscores split, articles dropped."""
    out = []
    for w in re.split(r"[\s_]+", text):
        if not w or w.lower() in ("a", "an", "the"):
            continue
        out.append(w)
    return out


def _is_content(word: str) -> bool:
    return word.startswith("&") or (word.isalpha() and word.lower() not in FUNCTION_WORDS)


def _noun_run(words: list[str], i: int) -> int:
    """Return the end of the run of content words starting at ``i``."""
    j = i
    while j < len(words) and _is_content(words[j]) and words[j].lower() not in BARE_PREPOSITIONS:
        j += 1
    return j


def _read(pre: list[str], post: list[str]) -> list[tuple[str, str, tuple[str, ...]]] | None:
    """Return a pattern's constraints (kind, word, phrase), or None if it is not
    [particle] [noun phrase] [preposition [actor | noun phrase]] after the verb."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    subject = [w for w in pre if w not in MARKERS]
    if subject:
        if len(subject) > MAX_SUBJECT_WORDS or not all(
            _is_content(w) and w.lower() not in BARE_PREPOSITIONS for w in subject
        ):
            return None
        out.append(("subj", "", tuple(subject)))
    i = 0
    if i < len(post) and post[i].lower() in PURE_PARTICLES:
        out.append(("prt", post[i].lower(), ()))
        i += 1
    while i < len(post) and post[i] in MARKERS:
        i += 1
    j = _noun_run(post, i)
    if j > i:
        if j - i > MAX_NOUN_WORDS:
            return None
        out.append(("obj", "", tuple(post[i:j])))
        i = j
    if i < len(post) and post[i].lower() in BARE_PREPOSITIONS:
        prep = post[i].lower()
        i += 1
        while i < len(post) and post[i] in MARKERS:
            i += 1
        j = _noun_run(post, i)
        if j - i > MAX_NOUN_WORDS:
            return None
        out.append(("prep", prep, tuple(post[i:j])))
        i = j
        while i < len(post) and post[i] in MARKERS:
            i += 1
    if i != len(post):
        return None
    return out


def _content_positions(pre: list[str], post: list[str]) -> list[tuple[tuple[str, int], bool]]:
    """Return ((side, index among shown words), is phrase head) for each content word."""
    out: list[tuple[tuple[str, int], bool]] = []
    subject = [w for w in pre if w not in MARKERS]
    for i, w in enumerate(subject):
        if not w.startswith("&"):
            out.append((("pre", i), i == len(subject) - 1))
    i = 0
    while i < len(post):
        j = _noun_run(post, i) if post[i] not in MARKERS else i
        if j > i:
            for k in range(i, j):
                if not post[k].startswith("&"):
                    out.append((("post", k), k == j - 1))
            i = j
        else:
            i += 1
    return out


def main() -> None:
    """Convert the older dictionary and print what was written."""
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    lem = load_lemmas()
    convert(src / SOURCE, lem, suffix="_extra", parse=SequenceParser(lem))


if __name__ == "__main__":
    main()
