"""Syntactic cue rules: find (cue, speaker, content) candidates in a parsed Doc.

Each rule looks at one token and its dependency neighbourhood, so a document costs O(tokens).
Candidates carry the cue lemma and the pattern that found them; the lexicon decides which
(lemma, pattern) pairs count as statements (``Lexicon.accepts``). These are the rules of cue
verbs, statement nouns, "according to" and sourcing phrases; the parse-free rules that read
quotation marks, dashes and lines are in :mod:`.layout_rules`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from spacy.tokens import Token

from .base import Candidate, Layout, cue_lemma, is_quote, speaker_of, subtree, trim
from .lexicon import Lexicon
from .quotes import Quotes

_BASE_FORMS = {"VBP": "VB"}  # a present-tense tag is often a misread base form ("and expand")


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
            rng = _coordinated(token, trim(doc, *subtree(child)))
            yield Candidate(lemma, "ccomp", cue, rng, speaker)
        elif dep == "parataxis" and child.i < token.i:
            yield Candidate(lemma, "parataxis", cue, trim(doc, *subtree(child)), speaker)
        elif dep == "xcomp":
            start, end = subtree(child)
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
            rng = trim(doc, *subtree(child))
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
                    rng = trim(doc, *subtree(pobj))
                    yield Candidate(base, "vprep", (token.i, child.i + 1), rng, speaker)
                    full = trim(doc, pobj.left_edge.i, _clause_end(token))
                    if full[1] > rng[1]:
                        yield Candidate(base, "vprepall", (token.i, child.i + 1), full, speaker)
        elif dep == "prep" and child.lower_ in lex.about_preps and child.i > token.i:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    yield Candidate(lemma, "prep", cue, trim(doc, *subtree(pobj)), speaker)
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
    speaker = trim(doc, *subtree(pobj)) if pobj is not None else None
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
            yield Candidate(lemma, "noun", cue, trim(doc, *subtree(child)), speaker)
        elif child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ in ("pobj", "pcomp"):
                    rng = trim(doc, *subtree(pobj))
                    yield Candidate(lemma, "nounprep", (token.i, child.i + 1), rng, speaker)


def source_pp(token: Token) -> Iterator[Candidate]:
    """Yield "X leads by ten points in the poll": a clause sourced by an "in/on" phrase."""
    doc = token.doc
    head = token.head
    pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.pos_ != "NOUN" or head.pos_ not in ("VERB", "AUX"):
        return
    start, end = subtree(head)
    pp_start, pp_end = subtree(token)
    if pp_end >= end - 1:
        end = pp_start
    elif pp_start <= start + 1:
        start = pp_end
    else:
        return
    content = trim(doc, start, end)
    if content[1] - content[0] < 3:
        return
    speaker = trim(doc, *subtree(pobj))
    yield Candidate(
        f"{token.lower_} {pobj.lemma_.lower()}",
        "sourcepp",
        (token.i, token.i + 1),
        content,
        speaker,
    )
