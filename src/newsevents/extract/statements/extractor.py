"""Statements: who said what, about whom and when, from a parsed spaCy Doc.

Direct ("…," he said), indirect (he said that …) and mixed speech are found by cue rules
(:mod:`.syntax_rules`, :mod:`.layout_rules`, :mod:`.candidates`) over a lexicon of cue verbs
(``data/statements``), with quotation spans (:mod:`.quotes`) extending content over
multi-sentence quotes; the learned :mod:`.scorer` picks each cue's reading. Speakers are
resolved to document entities (:mod:`.speakers`). Nested attributions are dropped: a cue inside
another statement's content belongs to that statement (the univocal reading).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from ...dates import resolve_words
from ...model import Entity, Span, Speaker, Statement, StatementKind, make_id
from .base import Candidate, Layout, trim
from .candidates import all_candidates, find_candidates, transcript_turns
from .lexicon import Lexicon, lexicon
from .quotes import Quotes, find_quotes, has_quote_mark
from .roles import Roles, role_shape, token_roles, widened
from .scorer import Scorer, scorer, select
from .speakers import SpeakerResolver
from .syntax_rules import about_of

_ABOUT_CLASSES = frozenset({"accuse", "deny", "praise", "describe", "warn"})
_DATE_HOPS = 8


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def _chars(doc: Doc, rng: tuple[int, int]) -> tuple[int, int]:
    return doc[rng[0]].idx, doc[rng[1] - 1].idx + len(doc[rng[1] - 1].text)


def _snap(quotes: Quotes, start: int, end: int, cue: tuple[int, int]) -> tuple[int, int]:
    """Extend content that starts or ends inside a quotation to the quotation's marks."""
    q = quotes.containing(start)
    if q is not None and q[0] < start and not (q[0] <= cue[0] < q[1]):
        start = q[0]
    q = quotes.containing(end - 1)
    if q is not None and q[1] > end and not (q[0] <= cue[0] < q[1]):
        end = q[1]
    return start, end


def _kind(text: str, quotes: Quotes, start: int, end: int) -> StatementKind:
    inside = text[start:end]
    if not has_quote_mark(inside):
        return "indirect"
    covering = [q for q in quotes.overlapping(start, end)]
    quoted = sum(min(q[1], end) - max(q[0], start) for q in covering)
    return "direct" if quoted >= 0.9 * (end - start) else "mixed"


def _statement_date(
    cue: Token, content: tuple[int, int], published: date | None, dates: Sequence[DocSpan]
) -> date | None:
    """Return the date the sentence gives the statement (a DATE tied to the cue), or published.

    ``dates`` are the DATE entities of the cue's sentence (only they can be tied to the cue
    through the parse).
    """
    for ent in dates:
        if content[0] <= ent.start_char < content[1]:
            continue
        node, hops = ent.root, 0
        while node.i != cue.i and node.head.i != node.i and hops < _DATE_HOPS:
            node, hops = node.head, hops + 1
        if node.i != cue.i:
            continue
        parsed = resolve_words([t.text for t in ent], published, past=True)
        if parsed is not None:
            return parsed
    return published


def _cue_class(cand: Candidate, lex: Lexicon) -> str:
    if cand.pattern in ("according", "dash", "headline"):
        return "assert"
    return lex.accepts(cand.lemma, cand.pattern) or lex.cue_class.get(cand.lemma, "assert")


def _surer_cues(cand: Candidate, cands: list[Candidate]) -> frozenset[int]:
    """Return the cue tokens of the other candidates scored at least as high as ``cand``."""
    return frozenset(
        i
        for other in cands
        if other is not cand and other.score >= cand.score
        for i in range(*other.cue)
    )


def _touches(cand: Candidate, start: int, end: int) -> bool:
    """Return whether the candidate's cue or content has a token in [start, end)."""
    return any(a < end and start < b for a, b in (cand.cue, cand.content) if b > a)


def _resolved(
    doc: Doc, text: str, quotes: Quotes, cands: list[Candidate], lex: Lexicon
) -> list[tuple[Candidate, int, int]]:
    """Return candidates with char content ranges, without nested or duplicate statements.

    A statement whose cue lies inside another's (unquoted) content is kept and the outer
    content is cut before it (the univocal reading: no token is in two statements); inside a
    quotation the inner cue belongs to the quote and is dropped.
    """
    ranged: list[tuple[Candidate, int, int]] = []
    for cand in cands:
        cue = _chars(doc, cand.cue)
        start, end = cand.char_content or _chars(doc, cand.content)
        start, end = _snap(quotes, start, end, cue)
        if cand.speaker is not None:
            s_start, _s_end = _chars(doc, cand.speaker)
            if start <= s_start < end and cand.pattern != "dash":
                continue
        if text[start:end].strip():
            ranged.append((cand, start, end))
    ranged.sort(key=lambda r: (r[1] - r[2], r[1]))
    cue_starts = [(c, doc[c.cue[0]].idx) for c, _, _ in ranged]
    kept: list[tuple[Candidate, int, int]] = []
    inner: list[tuple[Candidate, int, int]] = []
    for cand, start, end in ranged:
        cue_start = doc[cand.cue[0]].idx
        if any(s <= cue_start < e for _, s, e in kept):
            if quotes.containing(cue_start) is None and cand.char_content is None:
                inner.append((cand, start, end))
            continue
        if any(s <= start and end <= e for _, s, e in kept):
            continue
        if lex.nested_margin and any(
            start <= c_start < end and c.score > cand.score + lex.nested_margin
            for c, c_start in cue_starts
            if c is not cand
        ):
            continue  # a much surer cue inside this content: this one is the misreading
        kept.append((cand, start, end))
    # "X, she said, Y": a cue inside Y, the second part of a kept content, is part of it.
    second = [_chars(doc, c.extra) for c, _, _ in kept if c.extra and c.extra[1] > c.extra[0]]
    kept = [k for k in kept if not any(s <= doc[k[0].cue[0]].idx < e for s, e in second)]
    for cand, start, end in sorted(inner, key=lambda r: -r[0].score):
        cue_start = doc[cand.cue[0]].idx
        lead = min(cue_start, start)
        if cand.speaker is not None:
            lead = min(lead, doc[cand.speaker[0]].idx)
        for k, (outer, o_start, o_end) in enumerate(kept):
            if not o_start <= cue_start < o_end:
                continue
            if cand.score < outer.score + lex.inner_margin:
                break
            cut = _cut_end(doc, text, o_start, min(lead, cue_start))
            if cut - o_start >= lex.min_content_chars and end <= o_end + 1 and start >= o_start:
                kept[k] = (outer, o_start, cut)
                kept.append((cand, start, end))
            break
    kept.sort(key=lambda r: r[1])
    return kept


def _cut_end(doc: Doc, text: str, start: int, cut: int) -> int:
    """Return the end of text[start:cut] without trailing spaces, punctuation or conjunction.

    A last word whose complement was cut off ("blamed them for | what she called …") goes too.
    """
    piece = text[start:cut].rstrip(" \n,;:—–-(")
    for word in (" and", " but", " while", " as", " because", ","):
        if piece.endswith(word):
            piece = piece[: -len(word)].rstrip(" ,;:—–-(")
    end = start + len(piece)
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is not None and len(span) > 1:
        _, last = trim(doc, span.start, span.end)
        if last > span.start:
            end = min(end, doc[last - 1].idx + len(doc[last - 1].text))
    return end


def _continuations(
    doc: Doc, text: str, quotes: Quotes, kept: list[tuple[Candidate, int, int]], lex: Lexicon
) -> tuple[dict[int, tuple[int, int]], set[int]]:
    """Map statement index to the quotation that continues its quoted content, if any.

    A quotation continues a statement when it follows the statement's sentence with nothing but
    spaces between, nothing outside it attributes it, and the statement's content quotes (all
    or part: '"…" of the plan, she said. "…"').
    Also returns the indices of statements nested inside a continuation (to be dropped).
    """
    cues = [doc[c.cue[0]].idx for c, _, _ in kept]
    resume = lex.resume_words | {""}
    out: dict[int, tuple[int, int]] = {}
    nested: set[int] = set()
    for n, (cand, start, end) in enumerate(kept):
        if n in nested or cand.pattern in ("headline", "according"):
            continue
        if not quotes.overlapping(start, end):
            continue
        after = max(end, doc[cand.cue[0]].sent.end_char)
        lead = _chars(doc, cand.cue)[1]
        if cand.speaker is not None and cand.speaker[1] > cand.speaker[0]:
            lead = max(lead, _chars(doc, cand.speaker)[1])
        i = bisect_left(quotes.starts, lead)
        if (
            end <= lead
            and i < len(quotes.starts)
            and quotes.starts[i] < after
            and _resumes(text, end, lead, quotes.starts[i], resume, cues)
        ):
            after = quotes.starts[i]  # '"…," she said, "…"': the quote resumes in the sentence
        i = bisect_left(quotes.starts, after)
        if (
            i > 0
            and quotes.starts[i - 1] >= end
            and not text[quotes.starts[i - 1] : after].strip("\"'“”‘’` \n")
        ):
            i, after = i - 1, quotes.starts[i - 1]  # the sentence ended after the opening mark
        first = last = None
        inside: set[int] = set()
        while i < len(quotes.spans):
            q_start, q_end = quotes.spans[i]
            gap = text[after:q_start]
            if gap.strip() or gap.count("\n") > 2:
                break
            within = {m for m, c in enumerate(cues) if q_start <= c < q_end}
            if any(
                s < q_end and q_start < e
                for m, (_, s, e) in enumerate(kept)
                if m != n and m not in within
            ):
                break
            inside |= within
            if first is None:
                first = q_start
            last, after = q_end, q_end
            i += 1
        if first is not None and last is not None:
            out[n] = (first, last)
            nested |= inside
    return out, nested


def _resumes(
    text: str, end: int, lead: int, resume_at: int, words: frozenset[str], cues: list[int]
) -> bool:
    """Whether the quotation at ``resume_at`` goes on with the quoted content ending at ``end``.

    Either only a resume word stands between the attribution and the quotation, or the quoted
    content broke off at a comma and its attribution ('Ortiz told a radio host on Monday,')
    runs up to a comma before the quotation, with no other cue or quotation mark in between.
    """
    gap = text[lead:resume_at]
    if gap.strip(" ,").lower() in words:
        return True
    broke_off = text[max(0, end - 3) : end].rstrip("\"'“”‘’` ").endswith(",")
    return (
        broke_off
        and gap.rstrip().endswith(",")
        and not any(lead <= c < resume_at for c in cues)
        and not any(ch in gap for ch in '"“”«»')
    )


def _continuation(
    doc: Doc, text: str, cand: Candidate, quote: tuple[int, int] | None
) -> Span | None:
    if quote is not None:
        return _span(text, *quote)
    if cand.extra is not None and cand.extra[1] > cand.extra[0]:
        return _span(text, *_chars(doc, cand.extra))
    return None


def _covering(start: int, end: int, continuation: Span | None) -> tuple[int, int]:
    """Return the content's range over its continuation and the attribution between them.

    Content the attribution interrupts ('"…," she said. "…"') is one passage: the content span
    runs from its first part's start to its continuation's end, and ``continuation`` marks the
    part after the attribution.
    """
    if continuation is None:
        return start, end
    return min(start, continuation.start), max(end, continuation.end)


def extract_statements(
    doc: Doc,
    *,
    entities: Sequence[Entity] = (),
    published: date | None = None,
    min_confidence: float | None = None,
    model: Scorer | None = None,
    roles: Roles | None = None,
) -> tuple[Statement, ...]:
    """Return the document's statements (direct, indirect, mixed), speakers resolved.

    ``min_confidence`` is the scorer probability a statement needs (default: the threshold
    fitted with the scorer); lower finds more statements, less precisely. ``model`` replaces
    the bundled scorer (one fitted by ``scripts/train_statements.py`` on other data) and
    ``roles`` the bundled role tagger's token probabilities (with a scorer fitted on them).
    """
    lex = lexicon()
    model = model or scorer()
    if roles is None and model is not None and model.uses_roles:
        roles = token_roles(doc)
    layout = Layout.of(doc, frozenset(lex.cue_class), roles)
    text = layout.text
    quotes = find_quotes(text)
    resolver = SpeakerResolver(doc, entities, lex)
    statements: list[Statement] = []
    if model is not None:
        groups = all_candidates(doc, quotes, lex, layout)
        threshold = model.threshold if min_confidence is None else min_confidence
        cands = select(doc, quotes, groups, lex, model, layout, threshold)
        # growth stops at the cues of statements at least as sure as this one
        cands = [
            widened(doc, cand, layout, role_shape().widen, _surer_cues(cand, cands))
            for cand in cands
        ]
    else:
        cands = find_candidates(doc, quotes, lex, layout)
    turns = transcript_turns(doc, layout, lex)
    if turns:  # a turn is one statement: nothing inside or across it is another
        lines = [(t.speaker[0] if t.speaker else t.cue[0], t.content[1]) for t in turns]
        cands = [c for c in cands if not any(_touches(c, a, b) for a, b in lines)]
        cands.extend(replace(turn, score=lex.transcript_confidence) for turn in turns)
    kept = _resolved(doc, text, quotes, cands, lex)
    continued, nested = _continuations(doc, text, quotes, kept, lex)
    dates = [ent for ent in doc.ents if ent.label_ == "DATE"]
    date_starts = [ent.start for ent in dates]
    order = sorted(range(len(kept)), key=lambda k: kept[k][0].cue[0])
    for n in order:
        cand, start, end = kept[n]
        if n in nested:
            continue
        cue_start, cue_end = _chars(doc, cand.cue)
        cue_token = doc[cand.cue[0]]
        speaker: Speaker | None = None
        if cand.speaker is not None and cand.speaker[1] > cand.speaker[0]:
            speaker = resolver.resolve(*cand.speaker)
            resolver.note(cue_start, speaker)
        cls = _cue_class(cand, lex)
        about_rng = cand.about
        if about_rng is None and cls in _ABOUT_CLASSES and cand.pattern != "dash":
            about_rng = about_of(cue_token, lex.about_preps)
        about = None
        if about_rng is not None and about_rng[1] > about_rng[0]:
            about = doc[about_rng[0] : about_rng[1]].text
        continuation = _continuation(doc, text, cand, continued.get(n))
        content = _span(text, *_covering(start, end, continuation))
        cue = _span(text, cue_start, cue_end)
        sent = layout.sent_start[cue_token.i], layout.sent_end[cue_token.i]
        in_sentence = dates[bisect_left(date_starts, sent[0]) : bisect_left(date_starts, sent[1])]
        statements.append(
            Statement(
                id=make_id("statement", content.start, content.end, cue.start),
                kind=_kind(text, quotes, start, end),
                speaker=speaker,
                cue=cue,
                content=content,
                date=_statement_date(cue_token, (start, end), published, in_sentence),
                cue_class=cls,
                about=about,
                continuation=continuation,
                confidence=None if model is None else round(cand.score, 3),
            )
        )
    statements = _first_person(statements, lex)
    statements.sort(key=lambda st: (st.content.start, st.cue.start))
    return tuple(statements)


def _first_person(statements: list[Statement], lex: Lexicon) -> list[Statement]:
    """Give an "I"/"we" speaker inside another statement's quoted words that one's speaker."""
    out: list[Statement] = []
    for st in statements:
        sp = st.speaker
        if sp is not None and not sp.resolved and sp.text.lower() in lex.first_person:
            outer = next(
                (
                    o.speaker
                    for o in statements
                    if o is not st
                    and o.speaker is not None
                    and o.speaker.resolved
                    and any(
                        part is not None and part.start <= sp.start < part.end
                        for part in (o.content, o.continuation)
                    )
                ),
                None,
            )
            if outer is not None:
                st = replace(
                    st,
                    speaker=replace(
                        outer, text=sp.text, start=sp.start, end=sp.end, code=outer.code
                    ),
                )
        out.append(st)
    return out
