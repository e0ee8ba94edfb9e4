"""Parse-free cue rules: attributions read from quotation marks, dashes and line layout.

'"…," Name said' and 'Name said, "…"' around a quotation, '"…" — Name' after one, and
"Name: what they said" headlines. They look at the text and the tokens' tags, not the
dependency parse, so a misattached parse does not lose them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from spacy.tokens import Doc, Span

from .base import MARKS, Candidate, Layout, is_quote, speaker_of, trim
from .quotes import Quotes

_DASHES = frozenset({"—", "–", "―", "--", "-"})  # em, en, horizontal bar, ASCII
_DASH_CHARS = "".join(d for d in _DASHES if len(d) == 1)
_GAP_CHARS = " \t\u00a0"  # between a closing mark and an attribution dash
_NOUN_PHRASE = frozenset({"ADJ", "NOUN", "PROPN"})  # words after a determiner in a speaker


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


_PERSONAL = frozenset({"i", "me", "my", "we", "us", "our", "you", "your"})


def _news_line(content: Span) -> bool:
    """Whether "Name: …" reports news about the name rather than quoting it.

    "Julian Assange: Sweden drops rape investigation": no quotation mark, no first or second
    person, and a finite verb in the present or past whose subject is another proper name
    (no modal: "Mexico will pay" may be the name's words).
    """
    if any(is_quote(t) or t.lower_ in _PERSONAL for t in content):
        return False
    root = content.root
    if root.tag_ not in ("VBZ", "VBD", "VBN") or any(c.tag_ == "MD" for c in root.children):
        return False
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("PROPN", "NOUN") for c in root.children
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
        if content[1] - content[0] >= 2 and not _news_line(doc[content[0] : content[1]]):
            yield Candidate(":", "headline", (token.i, token.i + 1), content, (line_start, token.i))
