"""Syntactic cue rules: find (cue, speaker, content) candidates in a parsed Doc.

Each rule looks at one token and its dependency neighbourhood, so a document costs O(tokens).
Candidates carry the cue lemma and the pattern that found them; the lexicon decides which
(lemma, pattern) pairs count as statements (``Lexicon.accepts``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from spacy.attrs import DEP, IDX, IS_PUNCT, IS_SPACE, LEMMA, LOWER, ORTH, POS, SPACY
from spacy.symbols import VERB
from spacy.tokens import Doc, Token

from .quotes import Quotes
from .statements_lexicon import Lexicon

_SUBJECTS = ("nsubj", "csubj")
_INHERIT = ("conj", "xcomp", "advcl", "ccomp")
_QUOTE_TEXTS = frozenset({'"', "“", "”", "«", "»", "``", "''", "„", "'", "‘", "’"})
MARKS = "\"'“”‘’`«» "
_DASHES = frozenset({"—", "–", "―", "--", "-"})  # em, en, horizontal bar, ASCII
_DASH_CHARS = "".join(d for d in _DASHES if len(d) == 1)
_GAP_CHARS = " \t\u00a0"  # between a closing mark and an attribution dash
_RELATIVE_WORDS = frozenset({"which", "who", "whose", "where"})
_TRAIL_DEPS = frozenset({"advcl", "prep", "npadvmod"})
_NOUN_PHRASE = frozenset({"ADJ", "NOUN", "PROPN"})  # words after a determiner in a speaker
ROLE_CUE, ROLE_SOURCE, ROLE_CONTENT = 1, 2, 3  # columns of Layout.roles (statements_roles)
_BASE_FORMS = {"VBP": "VB"}  # a present-tense tag is often a misread base form ("and expand")


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
    roles: NDArray[np.float32] | None = None  # per token: role probabilities (statements_roles)
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


def _subtree(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


def _coordinated(cue: Token, rng: tuple[int, int]) -> tuple[int, int]:
    """Extend a verbal content over a conjunct the parser hung above it.

    "pledging to defend and where possible expand the rules": "expand" is a conjunct of "defend"
    (same verb form, which the cue's form differs from) even when attached to the main verb.
    """
    doc = cue.doc
    start, end = rng
    if end <= start or end >= len(doc):
        return rng
    root = doc[start:end].root
    form = _BASE_FORMS.get(root.tag_, root.tag_)
    if root.pos_ not in ("VERB", "AUX") or form == _BASE_FORMS.get(cue.tag_, cue.tag_):
        return rng
    i = end
    while i < len(doc) and doc[i].is_punct and doc[i].text == ",":
        i += 1
    if i >= len(doc) or doc[i].dep_ != "cc":
        return rng
    conj = next(
        (
            t
            for t in doc[i + 1 : min(len(doc), i + 8)]
            if t.dep_ == "conj" and t.head.i <= cue.i and _BASE_FORMS.get(t.tag_, t.tag_) == form
        ),
        None,
    )
    if conj is None or any(t.is_punct and t.text in ".;" for t in doc[end : conj.i]):
        return rng
    return trim(doc, start, conj.right_edge.i + 1)


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
        end -= 1
    return start, end


def speaker_of(token: Token, depth: int = 0) -> tuple[int, int] | None:
    """Return the token range of the cue's speaker: its subject, agent or inherited subject."""
    for child in token.children:
        if child.dep_ in _SUBJECTS:
            return _trim_speaker(token.doc, *_subtree(child))
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return _trim_speaker(token.doc, *_subtree(pobj))
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


def _clause_end(token: Token) -> int:
    """Return the end of the verb's clause: its subtree without a trailing clausal dependent."""
    end = token.right_edge.i + 1
    for child in reversed(list(token.rights)):
        if child.dep_ in ("ccomp", "advcl", "conj", "parataxis", "cc") or child.is_punct:
            end = min(end, child.left_edge.i)
        else:
            break
    return end


def _cue_range(token: Token, lemma: str) -> tuple[int, int]:
    if " " in lemma:
        return token.i, token.i + 2
    return token.i, token.i + 1


def _colon_content(
    token: Token, quotes: Quotes, layout: Layout
) -> tuple[int, int] | tuple[int, int, int] | None:
    """Return the content after "cue ... :" as token range, or a char range for a quote."""
    doc = token.doc
    sent_end = layout.sent_end[token.i]
    i = token.i + 1
    while i < sent_end and i - token.i <= 6:
        tok = doc[i]
        if tok.text == ":":
            start, end = i + 1, sent_end
            while start < end and doc[start].is_space:
                start += 1
            if start == end:  # 'Smith wrote:' closes its paragraph: the next one is the content
                while start < len(doc) and doc[start].is_space:
                    start += 1
                k = bisect_left(layout.breaks, start)
                end = layout.breaks[k] if k < len(layout.breaks) else len(doc)
            if start >= end:
                return None
            nxt = doc[start]
            quote = quotes.containing(nxt.idx)
            if is_quote(nxt) and quote is not None and quote[0] == nxt.idx:
                return (quote[0], quote[1], -1)
            return (start, end)
        if tok.pos_ in ("VERB", "AUX") or tok.is_punct:
            return None
        i += 1
    return None


def about_of(token: Token, preps: frozenset[str]) -> tuple[int, int] | None:
    """Return the token range of what a cue verb is about: its object or "of/about" phrase."""
    for child in token.children:
        if child.dep_ == "dobj" and child.i > token.i:
            return child.left_edge.i, child.i + 1
        if child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj.left_edge.i, pobj.i + 1
    return None


def verb_candidates(
    token: Token, quotes: Quotes, lex: Lexicon, layout: Layout
) -> Iterator[Candidate]:
    """Yield every pattern the verb token could introduce a statement with."""
    doc = token.doc
    lemma = cue_lemma(token, lex.multiword)
    cue = _cue_range(token, lemma)
    speaker = speaker_of(token)
    colon = _colon_content(token, quotes, layout)
    if colon is not None:
        if len(colon) == 3:
            chars = (colon[0], colon[1])
            first = doc.char_span(chars[0], chars[1], alignment_mode="expand")
            rng = (first.start, first.end) if first is not None else (cue[1], cue[1])
            yield Candidate(
                lemma, "colon", cue, rng, speaker, about_of(token, lex.about_preps), chars
            )
        else:
            yield Candidate(lemma, "colon", cue, trim(doc, colon[0], colon[1]), speaker)
    children = list(token.children)
    dobj = next((c for c in children if c.dep_ == "dobj"), None)
    for child in children:
        dep = child.dep_
        if dep == "ccomp":
            rng = _coordinated(token, trim(doc, *_subtree(child)))
            yield Candidate(lemma, "ccomp", cue, rng, speaker)
        elif dep == "parataxis" and child.i < token.i:
            yield Candidate(lemma, "parataxis", cue, trim(doc, *_subtree(child)), speaker)
        elif dep == "xcomp":
            start, end = _subtree(child)
            if dobj is not None and dobj.i < child.i:
                start = dobj.left_edge.i
            rng = _coordinated(token, trim(doc, start, end))
            yield Candidate(lemma, "xcomp", cue, rng, speaker)
        elif (dep == "oprd" and dobj is not None) or (
            dep == "prep" and child.lower_ == "as" and dobj is not None and child.i > dobj.i
        ):
            yield Candidate(
                lemma,
                "oprd",
                cue,
                trim(doc, dobj.left_edge.i, child.right_edge.i + 1),
                speaker,
                (dobj.left_edge.i, dobj.i + 1),
            )
        elif dep == "dobj" and child.i > token.i:
            rng = trim(doc, *_subtree(child))
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in child.children):
                yield Candidate(lemma, "prep", cue, rng, speaker, (child.left_edge.i, child.i + 1))
            yield Candidate(lemma, "dobj", cue, rng, speaker)
            full = trim(doc, child.left_edge.i, _clause_end(token))
            if full[1] > rng[1]:
                yield Candidate(lemma, "dobjall", cue, full, speaker)
            tail = [
                c
                for c in children
                if c.dep_ == "prep" and c.i > child.right_edge.i and c.lower_ in lex.object_preps
            ]
            if tail:
                end = tail[-1].right_edge.i + 1
                whole = trim(doc, child.left_edge.i, end)
                yield Candidate(
                    lemma, "dobjprep", cue, whole, speaker, (child.left_edge.i, child.i + 1)
                )
        elif dep == "prep" and child.i == token.i + 1 and child.lower_ in lex.verb_preps:
            base = lemma if " " in lemma else f"{lemma} {child.lower_}"
            for pobj in child.children:
                if pobj.dep_ in ("pobj", "pcomp"):
                    rng = trim(doc, *_subtree(pobj))
                    yield Candidate(base, "vprep", (token.i, child.i + 1), rng, speaker)
                    full = trim(doc, pobj.left_edge.i, _clause_end(token))
                    if full[1] > rng[1]:
                        yield Candidate(base, "vprepall", (token.i, child.i + 1), full, speaker)
        elif dep == "prep" and child.lower_ in lex.about_preps and child.i > token.i:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    yield Candidate(lemma, "prep", cue, trim(doc, *_subtree(pobj)), speaker)
    if (
        token.dep_ == "parataxis"
        and token.head.i < token.i
        and not any(c.dep_ == "ccomp" for c in children)
    ):
        head = token.head
        start, end = head.left_edge.i, token.left_edge.i
        yield Candidate(
            lemma, "parataxis", cue, trim(doc, max(start, layout.sent_start[head.i]), end), speaker
        )
    elif (
        token.dep_ == "parataxis"
        and token.head.i > token.i
        and not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in children)
    ):
        # "The plan, she said, is sound": content on both sides of the parenthetical cue.
        left = trim(doc, layout.sent_start[token.i], token.left_edge.i)
        right = trim(doc, token.right_edge.i + 1, layout.sent_end[token.i])
        if left[1] > left[0] and right[1] > right[0]:
            closed = any(is_quote(doc[k]) for k in range(left[1] - 1, token.i))
            if closed and not is_quote(doc[right[0]]):
                # '"…," Moreno said, after Park said …': a closed quotation is the content;
                # the unquoted rest is the cue's own clause, not the content's second part.
                yield Candidate(lemma, "parataxis", cue, left, speaker)
            else:
                yield Candidate(lemma, "parataxis", cue, left, speaker, extra=right)


def according_candidate(token: Token, layout: Layout) -> Candidate | None:
    """Return the statement of "according to X, Y" / "Y, according to X" (the longer side)."""
    sides = according_sides(token, layout)
    if not sides:
        return None
    return max(sides, key=lambda c: c.content[1] - c.content[0])


def according_sides(token: Token, layout: Layout) -> list[Candidate]:
    """Return "according to X" candidates with the content before and after the phrase.

    Inside parentheses ("(the figure is 15 percent, according to the survey)") both sides
    stop at the brackets.
    """
    doc = token.doc
    prep = next((c for c in token.children if c.lower_ == "to"), None)
    if prep is None and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        prep = doc[token.i + 1]
    if prep is None:
        return []
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    speaker = trim(doc, *_subtree(pobj)) if pobj is not None else None
    phrase_start = token.i
    phrase_end = max(prep.i + 1, speaker[1] if speaker else prep.i + 1)
    start, end = layout.sent_start[token.i], layout.sent_end[token.i]
    opening = next((i for i in range(phrase_start - 1, start - 1, -1) if doc[i].text in "()"), None)
    if opening is not None and doc[opening].text == "(":
        start = opening + 1
        end = next((i for i in range(phrase_end, end) if doc[i].text == ")"), end)
    left = trim(doc, start, phrase_start)
    right = trim(doc, phrase_end, end)
    cue = (token.i, prep.i + 1)
    return [
        Candidate("according to", "according", cue, side, speaker)
        for side in (left, right)
        if side[1] > side[0]
    ]


def dash_candidates(doc: Doc, quotes: Quotes, text: str) -> Iterator[Candidate]:
    """Yield '"…" — Smith' attributions: a quotation followed by a dash and a name.

    The dash may be an em or en dash, a horizontal bar ("― Smith") or hyphens, with or
    without a space after the closing mark (which the tokenizer may glue to it: '”―').
    ``text`` is ``doc.text``.
    """
    for start, end in quotes.spans:
        k = end
        while k < len(text) and text[k] in _GAP_CHARS:
            k += 1
        if k >= len(text) or text[k] not in _DASH_CHARS:
            continue
        dash = doc.char_span(k, k + 1, alignment_mode="expand")
        if dash is None or dash.end >= len(doc) or not doc[dash.end - 1].is_punct:
            continue
        i = dash.end - 1
        name_start = i + 1
        while name_start < len(doc) and doc[name_start].is_space:  # '― Name' (no-break space)
            name_start += 1
        name_end = name_start
        while name_end < len(doc) and doc[name_end].pos_ == "PROPN":
            name_end += 1
        if name_end == name_start:
            continue
        if name_end < len(doc) and doc[name_end].pos_ in ("VERB", "AUX"):
            continue
        content = doc.char_span(start, end, alignment_mode="expand")
        if content is None:
            continue
        yield Candidate(
            "—",
            "dash",
            (i, i + 1),
            (content.start, min(content.end, i)),  # a dash glued to the mark ('”―') is the cue
            (name_start, name_end),
            None,
            (start, end),
        )


def noun_candidates(token: Token, preps: frozenset[str]) -> Iterator[Candidate]:
    """Yield statement-bearing noun phrases: "the claim that …", "criticism of …"."""
    doc = token.doc
    lemma = token.lemma_.lower()
    speaker: tuple[int, int] | None = None
    poss = next((c for c in token.children if c.dep_ == "poss"), None)
    if poss is not None:
        speaker = trim(doc, poss.left_edge.i, poss.i + 1)
    elif token.dep_ in ("dobj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX"):
        speaker = speaker_of(token.head)
    cue = (token.i, token.i + 1)
    for child in token.children:
        if child.i <= token.i:
            continue
        if child.dep_ in ("acl", "ccomp") and any(
            (c.dep_ == "mark" and c.lower_ in ("that", "whether", "if"))
            or (c.dep_ == "aux" and c.lower_ == "to")
            for c in child.children
        ):
            yield Candidate(lemma, "noun", cue, trim(doc, *_subtree(child)), speaker)
        elif child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ in ("pobj", "pcomp"):
                    rng = trim(doc, *_subtree(pobj))
                    yield Candidate(lemma, "nounprep", (token.i, child.i + 1), rng, speaker)


def quote_first(
    doc: Doc, quotes: Quotes, cues: frozenset[str], layout: Layout
) -> dict[int, Candidate]:
    """Map cue token index to a '"…," Name said' / '"…," said Name' candidate, parse-free.

    The quotation is followed (after punctuation) within a few tokens by a cue verb and a
    name or pronoun, so a misattached parse does not lose the quote.
    """
    out: dict[int, Candidate] = {}
    starts = layout.starts
    text = layout.text
    for q_start, q_end in quotes.spans:
        i = bisect_left(starts, q_end)
        while i < len(doc) and doc[i].is_punct and doc[i].text not in _DASHES and i < len(doc):
            if doc[i].text in (".", "?", "!") and not is_quote(doc[i]):
                break
            i += 1
        if i >= len(doc) or doc[i].is_punct:
            continue
        if text[q_start:q_end].rstrip(MARKS).endswith(".") and not doc[i].is_lower:
            continue  # '"… over." The Post reported that …': the full stop ended the sentence
        window = range(i, min(len(doc), i + 5))
        verb = next(
            (j for j in window if doc[j].pos_ == "VERB" and doc[j].lemma_.lower() in cues), None
        )
        if verb is None or any(doc[j].is_punct for j in range(i, verb)):
            continue
        token = doc[verb]
        speaker = speaker_of(token)
        if speaker is None or not (i <= speaker[0] and speaker[0] < verb + 6):
            k = verb + 1 if verb == i else i
            if k >= len(doc):
                continue
            if doc[k].pos_ in ("PROPN", "PRON"):
                end = k
                while end < len(doc) and doc[end].pos_ == "PROPN" and end - k < 4:
                    end += 1
            elif verb == i and doc[k].pos_ == "DET":
                # '"…," said the clerk, who …': the parse may take the noun phrase for content
                end = k + 1
                while end < len(doc) and doc[end].pos_ in _NOUN_PHRASE and end - k < 5:
                    end += 1
                if doc[end - 1].pos_ not in ("NOUN", "PROPN"):
                    continue
            else:
                continue
            speaker = (k, max(end, k + 1))
        first = bisect_left(starts, q_start)
        out.setdefault(
            verb,
            Candidate(
                token.lemma_.lower(),
                "quote",
                (verb, verb + 1),
                (first, max(first + 1, i)),
                speaker,
                None,
                (q_start, q_end),
            ),
        )
    for q_start, q_end in quotes.spans:
        # 'Name said, "…"': the parse may hang the quotation anywhere.
        first = bisect_left(starts, q_start)
        j = first - 1
        while j >= 0 and doc[j].text in (",", ":") and first - j <= 2:
            j -= 1
        if j < 0 or j in out or j == first - 1 or "\n" in doc[j].whitespace_:
            continue
        token = doc[j]
        if token.pos_ != "VERB" or token.lemma_.lower() not in cues:
            continue
        speaker = speaker_of(token)
        if speaker is None:
            continue
        end = max(first + 1, bisect_left(starts, q_end))
        out[j] = Candidate(
            token.lemma_.lower(),
            "quotepre",
            (j, j + 1),
            (first, end),
            speaker,
            None,
            (q_start, q_end),
        )
    return out


def source_pp(token: Token) -> Iterator[Candidate]:
    """Yield "X leads by ten points in the poll": a clause sourced by an "in/on" phrase."""
    doc = token.doc
    head = token.head
    pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.pos_ != "NOUN" or head.pos_ not in ("VERB", "AUX"):
        return
    start, end = _subtree(head)
    pp_start, pp_end = _subtree(token)
    if pp_end >= end - 1:
        end = pp_start
    elif pp_start <= start + 1:
        start = pp_end
    else:
        return
    content = trim(doc, start, end)
    if content[1] - content[0] < 3:
        return
    speaker = trim(doc, *_subtree(pobj))
    yield Candidate(
        f"{token.lower_} {pobj.lemma_.lower()}",
        "sourcepp",
        (token.i, token.i + 1),
        content,
        speaker,
    )


def headline_candidates(doc: Doc, layout: Layout) -> Iterator[Candidate]:
    """Yield headline attributions "Name: what they said" at the start of a line."""
    text = layout.text
    colon = text.find(":")
    while colon >= 0:
        i = bisect_left(layout.starts, colon)
        colon = text.find(":", colon + 1)
        if i >= len(doc) or doc[i].text != ":":
            continue
        token = doc[i]
        k = bisect_left(layout.breaks, i)
        line_start = layout.breaks[k - 1] + 1 if k else 0
        if token.i - line_start > 5 or token.i == line_start:
            continue
        name = doc[line_start : token.i]
        if not any(t.pos_ == "PROPN" for t in name) or any(
            t.pos_ in ("VERB", "AUX", "PUNCT", "NUM") for t in name
        ):
            continue
        end = token.i + 1
        while end < len(doc) and not (doc[end].is_space and "\n" in doc[end].text):
            if "\n" in doc[end].whitespace_:
                end += 1
                break
            end += 1
        content = trim(doc, token.i + 1, end)
        if content[1] - content[0] >= 2:
            yield Candidate(":", "headline", (token.i, token.i + 1), content, (line_start, token.i))
