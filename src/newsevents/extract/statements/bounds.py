"""Where a statement candidate's ranges end: its cue, paragraphs, closing quotes, trailing cues.

The rules propose content as dependency subtrees; these steps cut them to what annotators and
readers take as the statement (the univocal reading: no token belongs to two statements).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from .base import MARKS, Candidate, Layout, is_quote, trim, within
from .lexicon import Lexicon
from .quotes import Quotes


def bounded(doc: Doc, quotes: Quotes, cand: Candidate, lex: Lexicon, layout: Layout) -> Candidate:
    """Cut the candidate's ranges at paragraph breaks, closing quotes and trailing cues."""
    cand = _quote_bound(doc, quotes, _paragraph_bound(doc, _after_cue(doc, cand), layout))
    return _cut_nested(doc, cand, lex.inner_cues, layout)


def _after_cue(doc: Doc, cand: Candidate) -> Candidate:
    """Keep what follows the cue of content that spans it ("the rule, which critics said was …").

    A relative clause hangs the cue inside its own content ("which critics said was unfair",
    "what she called a disgrace"); the statement is the part after the cue.
    """
    if cand.char_content is not None or cand.pattern in ("according", "dash", "headline"):
        return cand
    start, end = cand.content
    if not start < cand.cue[0] < cand.cue[1] < end:
        return cand
    rng = trim(doc, cand.cue[1], end)
    return replace(cand, content=rng) if rng[1] > rng[0] else cand


def _cut_nested(doc: Doc, cand: Candidate, inner: frozenset[str], layout: Layout) -> Candidate:
    """End content before a trailing coordinated cue ("…, adding that …", "… and insisted …").

    The univocal reading gives that cue its own statement, so it is not part of this content;
    an attitude cue (``inner``: "… but supports the plan") stays in it. A relative clause after
    an object ("the plan, which …") is cut the same way.
    """
    if cand.char_content is not None:
        return cand
    start, end = cand.content
    commas = (
        within(layout.relative_commas, start + 2, end - 1)
        if cand.pattern in ("dobj", "prep", "nounprep", "dobjprep")
        else []
    )
    for i in sorted({*commas, *within(layout.cue_verbs, start + 2, end)}):
        if i in commas:
            return replace(cand, content=(start, i))
        tok = doc[i]
        if tok.lemma_.lower() in inner:
            continue
        if tok.dep_ in ("conj", "advcl") and tok.right_edge.i + 1 >= end and tok.head.i < tok.i:
            stop = tok.left_edge.i
            while stop > start and (doc[stop - 1].dep_ == "cc" or doc[stop - 1].is_punct):
                if is_quote(doc[stop - 1]):
                    break
                stop -= 1
            if stop - start >= 2:
                return replace(cand, content=(start, stop))
            break
    return cand


def _quote_bound(doc: Doc, quotes: Quotes, cand: Candidate) -> Candidate:
    """End content that opens with a quotation at its closing mark when the cue follows it.

    A misparse ('"…," Jones, who …, said') can hang the speaker on the quoted clause; the
    words between the closing mark and the cue are then the speaker (up to a comma).
    """
    if cand.char_content is not None or cand.pattern in ("according", "headline"):
        return cand
    first = doc[cand.content[0]]
    quote = quotes.containing(first.idx)
    before = doc.char_span(quote[0], first.idx, alignment_mode="expand") if quote else None
    if quote is None or (before is not None and before.text.strip(MARKS)):
        return cand
    q_end = doc.char_span(quote[0], quote[1], alignment_mode="expand")
    if q_end is None or q_end.end >= cand.content[1] or q_end.end > cand.cue[0]:
        return cand
    speaker = cand.speaker
    if speaker is not None and q_end.end < speaker[0] and doc[q_end.end].is_lower:
        # '"We are shocked" by the fire, Okafor said': the words between the quotation
        # and the speaker go on with the content.
        return replace(cand, content=trim(doc, cand.content[0], speaker[0]))
    if speaker is None or speaker[0] < q_end.end:
        stop = q_end.end
        while stop < cand.cue[0] and doc[stop].text != ",":
            stop += 1
        rng = trim(doc, q_end.end, stop)
        speaker = rng if rng[1] > rng[0] else speaker
    return replace(cand, content=(q_end.start, q_end.end), speaker=speaker)


def _paragraph_bound(doc: Doc, cand: Candidate, layout: Layout) -> Candidate:
    """Cut token ranges at paragraph breaks, keeping the side nearest the cue."""
    cue = cand.cue[0]

    def cut(rng: tuple[int, int] | None) -> tuple[int, int] | None:
        if rng is None:
            return None
        start, end = rng
        for i in within(layout.breaks, start, end):
            if i < cue:
                start = i + 1
            elif i >= start:
                end = i + (0 if doc[i].is_space else 1)
                break
        return trim(doc, start, end) if end > start else rng

    content = cand.content if cand.char_content is not None else cut(cand.content)
    speaker = cut(cand.speaker)
    if content == cand.content and speaker == cand.speaker:
        return cand
    assert content is not None
    return replace(cand, content=content, speaker=speaker)
