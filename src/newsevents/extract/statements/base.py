"""The shared base of the statement rules: candidates, per-document layout, range helpers.

A :class:`Candidate` is one reading of a possible statement as token ranges; a :class:`Layout`
holds the token facts every rule needs, computed in one pass over the Doc. The helpers trim
ranges, find a cue's speaker and its lemma, and are used by the rules of
:mod:`.syntax_rules`, :mod:`.layout_rules` and :mod:`.candidates` alike.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from spacy.attrs import DEP, IDX, IS_PUNCT, IS_SPACE, LEMMA, LOWER, ORTH, POS, SPACY
from spacy.symbols import VERB
from spacy.tokens import Doc, Token

_SUBJECTS = ("nsubj", "csubj")
_INHERIT = ("conj", "xcomp", "advcl", "ccomp")
_QUOTE_TEXTS = frozenset({'"', "“", "”", "«", "»", "``", "''", "„", "'", "‘", "’"})
MARKS = "\"'“”‘’`«» "
_RELATIVE_WORDS = frozenset({"which", "who", "whose", "where"})
_TRAIL_DEPS = frozenset({"advcl", "prep", "npadvmod"})
ROLE_CUE, ROLE_SOURCE, ROLE_CONTENT = 1, 2, 3  # columns of Layout.roles (see .roles)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible statement: token ranges (end exclusive) of cue, content and speaker."""

    lemma: str
    pattern: str
    cue: tuple[int, int]
    content: tuple[int, int]
    speaker: tuple[int, int] | None
    about: tuple[int, int] | None = None
    char_content: tuple[int, int] | None = None
    extra: tuple[int, int] | None = None  # a second content range (after a parenthetical cue)
    score: float = 1.0  # the learned scorer's probability, when one chose the candidate


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Return the parser's sentences, rejoining those it broke between two words of a line.

    A sentence of news text ends with punctuation or a line break; a break after a word with
    the next word on the same line ('the 19th | Amendment gave') is a parse error.
    """
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        if spans:
            last = doc[spans[-1][1] - 1]
            if last.text.isalnum() and doc[sent.start].is_alpha:
                spans[-1] = (spans[-1][0], sent.end)
                continue
        spans.append((sent.start, sent.end))
    return spans


@dataclass(frozen=True, slots=True)
class Layout:
    """Per-document token facts, computed in one pass so rules need not rescan the Doc."""

    text: str  # Doc.text (building it creates every Token, so it is built once)
    sent_start: list[int]  # per token: the index of its sentence's first token
    sent_end: list[int]  # per token: the index after its sentence's last token
    starts: list[int]  # per token: its character offset
    breaks: list[int]  # whitespace tokens holding a line break
    cue_verbs: list[int]  # verbs whose lemma is a cue
    relative_commas: list[int]  # commas before "which", "who", "whose", "where"
    trails: list[int]  # advcl/prep/npadvmod tokens right after punctuation
    quote_marks: list[int]  # quotation-mark tokens
    roles: NDArray[np.float32] | None = None  # per token: role probabilities (see .roles)
    # prefix sums over tokens of: content probability, "content is the likeliest role", source
    # probability (so a range's mean costs two lookups)
    role_sums: tuple[list[float], list[float], list[float]] | None = None

    @classmethod
    def of(cls, doc: Doc, cues: frozenset[str], roles: NDArray[np.float32] | None = None) -> Layout:
        """Return the document's layout (``cues`` are the cue lemmas; ``roles`` the tagger's)."""
        n = len(doc)
        sent_start, sent_end = [0] * n, [0] * n
        for start, end in sentence_bounds(doc):
            for i in range(start, end):
                sent_start[i], sent_end[i] = start, end
        rows = doc.to_array([IDX, POS, DEP, IS_PUNCT, IS_SPACE, LEMMA, ORTH, LOWER, SPACY])
        strings = doc.vocab.strings
        names: dict[int, str] = {}

        def name(key: int) -> str:
            if key not in names:
                names[key] = strings[key]
            return names[key]

        pieces: list[str] = []
        starts: list[int] = []
        breaks: list[int] = []
        cue_verbs: list[int] = []
        relative_commas: list[int] = []
        trails: list[int] = []
        quote_marks: list[int] = []
        prev_punct, prev_comma = False, -1
        for i, (idx, pos, dep, punct, space, lemma, orth, lower, ws) in enumerate(rows.tolist()):
            word = name(orth)
            pieces.append(word + " " if ws else word)
            starts.append(idx)
            if space and "\n" in word:
                breaks.append(i)
            if prev_comma == i - 1 and name(lower) in _RELATIVE_WORDS:
                relative_commas.append(i - 1)
            if word == ",":
                prev_comma = i
            elif word in _QUOTE_TEXTS:
                quote_marks.append(i)
            if pos == VERB and name(lemma).lower() in cues:
                cue_verbs.append(i)
            if prev_punct and name(dep) in _TRAIL_DEPS:
                trails.append(i)
            prev_punct = bool(punct)
        return cls(
            "".join(pieces),
            sent_start,
            sent_end,
            starts,
            breaks,
            cue_verbs,
            relative_commas,
            trails,
            quote_marks,
            roles,
            None if roles is None else _prefix_sums(roles),
        )


def _prefix_sums(roles: NDArray[np.float32]) -> tuple[list[float], list[float], list[float]]:
    """Return prefix sums of content probability, content-is-likeliest, source probability."""
    columns = (roles[:, ROLE_CONTENT], roles.argmax(axis=1) == ROLE_CONTENT, roles[:, ROLE_SOURCE])
    return tuple(np.concatenate(([0.0], np.cumsum(c, dtype="float64"))).tolist() for c in columns)


def within(indices: list[int], start: int, end: int) -> list[int]:
    """Return the sorted indices in [start, end)."""
    return indices[bisect_left(indices, start) : bisect_left(indices, end)]


def is_quote(token: Token) -> bool:
    """Return whether the token is a quotation mark."""
    return token.text in _QUOTE_TEXTS


def is_imperative(token: Token) -> bool:
    """Return whether the verb is a subjectless base-form root ("Please note that …").

    An imperative attributes nothing.
    """
    return (
        token.tag_ == "VB"
        and token.dep_ == "ROOT"
        and not any(c.dep_ in _SUBJECTS for c in token.children)
    )


_LEADING_POS = frozenset({"ADP", "DET", "SCONJ", "CCONJ"})
# function words that only lead into their head: stranded at an end when it was cut off
# ("the dam was safe and that | …", "figures she had | cited", "the plan, which | …")
_HEADED_POS = frozenset({"DET", "SCONJ", "AUX", "PART"})
_WH_TAGS = frozenset({"WDT", "WP"})


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Strip punctuation (but not quotation marks) and coordinators from both ends.

    At the end, a word whose complement lies beyond the range ("attacked Christie by | accusing
    him", "what she called a | …") is stripped too; a stranded preposition ("the aid you
    qualify for") has none and stays.
    """
    while start < end and (
        (doc[start].is_punct and not is_quote(doc[start])) or doc[start].dep_ == "cc"
    ):
        start += 1
    while end > start and _dangles(doc[end - 1], end, end - 1 > start):
        end -= 1
    return start, end


def _dangles(last: Token, end: int, more: bool) -> bool:
    """Return whether a range's last token adds nothing on its own at the end.

    ``more``: other tokens precede it (a lone 'which' is a relative clause's object).
    """
    return (
        (last.is_punct and not is_quote(last))
        or last.dep_ == "cc"
        or (more and last.head.i >= end and (last.pos_ in _HEADED_POS or last.tag_ in _WH_TAGS))
        or (last.pos_ in _LEADING_POS and any(c.i >= end for c in last.children))
    )


def subtree(token: Token) -> tuple[int, int]:
    """Return the token range of the token's subtree."""
    return token.left_edge.i, token.right_edge.i + 1


def cue_lemma(token: Token, multiword: frozenset[str]) -> str:
    """Return the token's cue lemma, joined with a particle or listed preposition ("call for")."""
    lemma = token.lemma_.lower()
    doc = token.doc
    if token.i + 1 < len(doc):
        nxt = doc[token.i + 1]  # only the next word can join (cheaper than scanning children)
        if nxt.head.i == token.i and nxt.dep_ in ("prep", "prt"):
            joined = f"{lemma} {nxt.lower_}"
            if nxt.dep_ == "prt" or joined in multiword:
                return joined
    return lemma


def _trim_speaker(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Strip punctuation, quotation marks included, from a speaker's ends.

    A misparse can hang a quotation's closing mark on the subject after it ('"…," Denver, who
    …, said'); the mark then overlapped the content and the statement was dropped.
    """
    start, end = trim(doc, start, end)
    while start < end and doc[start].is_punct:
        start += 1
    while end > start and doc[end - 1].is_punct:
        if doc[end - 1].text == ")" and any(t.text == "(" for t in doc[start : end - 1]):
            break  # "the Agency for Rivers and Lakes (ARL)": the bracket closes
        end -= 1
    return start, end


def speaker_of(token: Token, depth: int = 0) -> tuple[int, int] | None:
    """Return the token range of the cue's speaker: its subject, agent or inherited subject."""
    subjects = [subtree(c) for c in token.children if c.dep_ in _SUBJECTS]
    if subjects:
        start, end = subjects[0]
        for s_start, s_end in subjects[1:]:
            if s_start != end:
                break
            end = s_end  # "Acme co-founder Priya Ramaswamy" parsed as three subjects: one name
        return _trim_speaker(token.doc, start, end)
    for child in token.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return _trim_speaker(token.doc, *subtree(pobj))
    if any(c.dep_ == "nsubjpass" for c in token.children):
        return None
    head = token.head
    if token.dep_ in ("conj", "advcl") and head.dep_ == "ccomp" and head.head.i < head.i:
        # "said he would win and insisted …", "said it would recover, adding …": the
        # coordinated cue shares the outer cue's speaker, not the reported clause's subject.
        return speaker_of(head.head, depth + 1) if depth < 2 else None
    if depth < 2 and token.dep_ in _INHERIT and token.head.i != token.i:
        if token.dep_ == "ccomp" and token.i > token.head.i:
            return None
        return speaker_of(token.head, depth + 1)
    if token.dep_ == "relcl" and token.head.pos_ in ("PROPN", "NOUN", "PRON"):
        head = token.head
        return head.i, head.i + 1
    return None
