"""All statement candidates of a Doc, grouped by cue, for the learned scorer to choose from.

Besides the verb, noun, quotation and "according to" rules of :mod:`.syntax_rules` and
:mod:`.layout_rules`, stance and attribution are carried by relative clauses ("a charge he
denied"), adjectives ("skeptical about the plan", "confident that …"), passives whose subject
is the content ("the claims have been echoed by …"), raising verbs ("the plan appears to be
failing") and Title Case headlines ("Senator Slams Budget Deal", whose verb the tagger reads
as a name). Each function looks at one token and yields :class:`Candidate` readings; the
learned scorer decides, per pattern and lemma, which of them are statements.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import replace

from spacy.tokens import Doc, Token

from .base import Candidate, Layout, is_imperative, is_quote, speaker_of, trim
from .bounds import bounded
from .layout_rules import dash_candidates, headline_candidates, quote_first
from .lexicon import Lexicon
from .quotes import Quotes
from .roles import role_candidates
from .syntax_rules import according_candidate, noun_candidates, source_pp, verb_candidates

_RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})
_ADJ_DEPS = frozenset({"acomp", "conj", "advcl", "ROOT", "ccomp", "xcomp", "amod"})
_COMPLEMENTS = ("xcomp", "acomp", "ccomp", "attr", "oprd")
_NOTHING = frozenset({"DET", "PUNCT", "SPACE", "CCONJ", "PART", "NUM", "SYM", "INTJ"})
# Without a scorer: the preferred pattern when a cue allows several.
PATTERN_ORDER = ("colon", "ccomp", "parataxis", "according", "oprd", "xcomp", "dobj", "prep")


def relative_candidates(token: Token) -> Iterator[Candidate]:
    """Yield the relativised noun of a relative-clause cue ("the charge [that] he denied")."""
    head = token.head
    if token.dep_ != "relcl" or head.pos_ not in _NOMINAL:
        return
    doc = token.doc
    speaker = next(
        (trim(doc, c.left_edge.i, c.right_edge.i + 1) for c in token.children if c.dep_ == "nsubj"),
        None,
    )
    if speaker is not None and doc[speaker[0]].tag_ in _RELATIVE_TAGS:
        return  # "the man who said …": the verb's complement is the content (verb rules)
    obj = next((c for c in token.children if c.dep_ in ("dobj", "pobj") and c.i < token.i), None)
    cue = (token.i, token.i + 1)
    lemma = token.lemma_.lower()
    if obj is not None:
        rng = trim(doc, obj.left_edge.i, obj.right_edge.i + 1)
        yield Candidate(lemma, "relobj", cue, rng, speaker)
        return
    start = head.left_edge.i
    end = min(head.i + 1, token.left_edge.i)
    for child in head.rights:
        if child.i < token.left_edge.i and child.dep_ not in ("relcl", "punct"):
            end = max(end, child.right_edge.i + 1)
    rng = trim(doc, start, end)
    if rng[1] > rng[0]:
        yield Candidate(lemma, "relhead", cue, rng, speaker)


def adjective_candidates(token: Token, preps: frozenset[str]) -> Iterator[Candidate]:
    """Yield stance adjectives with their object: "skeptical about X", "confident that X"."""
    if token.pos_ != "ADJ" or token.dep_ not in _ADJ_DEPS:
        return
    doc = token.doc
    head = token.head
    speaker = speaker_of(head) if token.dep_ in ("acomp", "conj") and head.i != token.i else None
    if token.dep_ == "amod" and head.pos_ in _NOMINAL:
        speaker = (head.i, head.i + 1)
    lemma = token.lemma_.lower()
    for child in token.children:
        if child.i < token.i:
            continue
        if child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ in ("pobj", "pcomp"):
                    rng = trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
                    cue = (token.i, child.i + 1)
                    yield Candidate(f"{lemma} {child.lower_}", "adjprep", cue, rng, speaker)
        elif child.dep_ in ("ccomp", "xcomp"):
            rng = trim(doc, child.left_edge.i, child.right_edge.i + 1)
            yield Candidate(lemma, "adjclause", (token.i, token.i + 1), rng, speaker)


def passive_candidates(token: Token) -> Iterator[Candidate]:
    """Yield a passive cue's subject as its content ("his remarks were condemned by …")."""
    subj = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
    if subj is None or token.pos_ != "VERB":
        return
    doc = token.doc
    speaker = None
    for child in token.children:
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                speaker = trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
    rng = trim(doc, subj.left_edge.i, subj.right_edge.i + 1)
    if rng[1] > rng[0]:
        yield Candidate(token.lemma_.lower(), "passive", (token.i, token.i + 1), rng, speaker)


def raising_candidates(token: Token, verbs: frozenset[str]) -> Iterator[Candidate]:
    """Yield "X appears to be Y" / "it seems likely that Y": subject plus complement."""
    lemma = token.lemma_.lower()
    if lemma not in verbs:
        return
    doc = token.doc
    subj = next((c for c in token.children if c.dep_ in ("nsubj", "expl")), None)
    comp = next((c for c in token.children if c.dep_ in _COMPLEMENTS and c.i > token.i), None)
    if comp is None:
        return
    right = trim(doc, comp.left_edge.i, token.right_edge.i + 1)  # "likely" + "that …"
    cue = (token.i, token.i + 1)
    if subj is None or subj.dep_ == "expl" or subj.tag_ in _RELATIVE_TAGS or subj.lower_ == "it":
        yield Candidate(lemma, "raising", cue, right, None)
        return
    left = trim(doc, subj.left_edge.i, subj.right_edge.i + 1)
    yield Candidate(lemma, "raising", cue, left, None, extra=right)


def _token_candidates(
    token: Token, quotes: Quotes, lex: Lexicon, layout: Layout
) -> Iterator[Candidate]:
    if token.lower_ in lex.according:
        cand = according_candidate(token, layout)
        if cand is not None:
            yield cand
    elif token.pos_ in ("VERB", "AUX") or token.tag_ in ("VBN", "VBG"):
        if is_imperative(token):
            return
        yield from verb_candidates(token, quotes, lex, layout)
        yield from relative_candidates(token)
        yield from passive_candidates(token)
        yield from raising_candidates(token, lex.raising_verbs)
    elif token.pos_ == "NOUN":
        yield from noun_candidates(token, lex.noun_preps)
    elif token.pos_ == "ADJ":
        yield from adjective_candidates(token, lex.adjective_preps)
    elif token.dep_ == "prep" and token.lower_ in ("in", "on"):
        yield from source_pp(token)


def _title_lemma(word: str, cues: Container[str]) -> str | None:
    """Return the cue lemma of an inflected word ("Slams" -> "slam"), if it is one."""
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    if word.endswith("ed"):
        forms.extend((word[:-1], word[:-2]))
    return next((f for f in forms if f in cues), None)


def _lines(doc: Doc, layout: Layout) -> zip[tuple[int, int]]:
    """Return the token ranges of the document's lines (line-break tokens excluded)."""
    return zip([0, *(b + 1 for b in layout.breaks)], [*layout.breaks, len(doc)], strict=True)


def title_candidates(doc: Doc, layout: Layout, lex: Lexicon) -> Iterator[Candidate]:
    """Yield "Speaker Verbs Content" readings of a Title Case line (a headline or subhead).

    The tagger reads capitalised verbs as names ("Senator Slams Budget Deal"), so the verb
    rules never see them; here a capitalised word whose lowercase form inflects a cue lemma
    splits the line into speaker and content.
    """
    for line_start, line_end in _lines(doc, layout):
        if line_end - line_start > 2 * lex.title_max_words:
            continue  # a paragraph, not a title (checked before reading its tokens)
        words = [t for t in doc[line_start:line_end] if t.is_alpha]
        share = sum(t.text[0].isupper() for t in words) / max(1, len(words))
        if not 3 <= len(words) <= lex.title_max_words or share < lex.title_case_share:
            continue
        for k in range(line_start + 1, line_end - 2):
            tok = doc[k]
            if not tok.is_alpha or not tok.text[0].isupper() or tok.pos_ == "VERB":
                continue
            lemma = _title_lemma(tok.lower_, lex.cue_class)
            if lemma is None:
                continue
            cue_end = k + 1
            if doc[cue_end].lower_ in lex.about_preps or doc[cue_end].lower_ == "that":
                cue_end += 1
            speaker = trim(doc, line_start, k)
            content = trim(doc, cue_end, line_end)
            if speaker[1] > speaker[0] and content[1] - content[0] >= 2:
                yield Candidate(lemma, "title", (k, cue_end), content, speaker)


def transcript_turns(doc: Doc, layout: Layout, lex: Lexicon) -> list[Candidate]:
    """Return the turns of an interview transcript: 'HOLLIS: The council will vote …'.

    A turn is a paragraph that opens (after an optional quotation mark) with a name in
    capitals of at most ``transcript_max_words`` words and a colon; the paragraph's rest is the
    content. Only a document with ``transcript_min_turns`` turns or more, by two speakers or
    more, is a transcript (a lone 'UPDATE:' is no speaker).
    """
    turns: list[Candidate] = []
    for line_start, line_end in _lines(doc, layout):
        k = line_start + 1 if line_start < line_end and is_quote(doc[line_start]) else line_start
        label = k
        while k < line_end and k - label < lex.transcript_max_words and _capitals(doc[k].text):
            k += 1
        if k == label or k >= line_end or doc[k].text != ":":
            continue
        start = k + 1
        while start < line_end and doc[start].is_space:
            start += 1
        if line_end - start >= 2:
            turns.append(Candidate(":", "turn", (k, k + 1), (start, line_end), (label, k)))
    names = {doc[c.speaker[0] : c.speaker[1]].text for c in turns if c.speaker is not None}
    return turns if len(turns) >= lex.transcript_min_turns and len(names) >= 2 else []


def _capitals(word: str) -> bool:
    """Return whether a word is a name written in capitals ('HOLLIS', 'O'NEIL', 'MR.').

    One letter ('Q:', 'A:') labels a role, not a speaker.
    """
    return word.isupper() and word[0].isalpha() and sum(ch.isalpha() for ch in word) > 1


def all_candidates(
    doc: Doc, quotes: Quotes, lex: Lexicon, layout: Layout | None = None
) -> list[list[Candidate]]:
    """Return every candidate of every possible cue, grouped by cue (for a learned scorer)."""
    groups: list[list[Candidate]] = []
    cues = frozenset(lex.cue_class)
    layout = layout or Layout.of(doc, cues)
    quoted = quote_first(doc, quotes, cues, layout)
    for token in doc:
        if token.pos_ in _NOTHING and token.i not in quoted:
            continue
        group = [quoted[token.i]] if token.i in quoted else []
        group.extend(_token_candidates(token, quotes, lex, layout))
        first = quoted.get(token.i)
        if first is not None and first.pattern == "quote" and (first.speaker or (0,))[0] > token.i:
            # '"…," said the clerk': after an inverted cue comes its speaker, never its content
            group = [c for c in group if c.content[0] < token.i]
        group = [bounded(doc, quotes, c, lex, layout) for c in group if c.content[1] > c.content[0]]
        if group:
            groups.append(group)
    for cand in (
        *dash_candidates(doc, quotes, layout.text),
        *headline_candidates(doc, layout),
        *title_candidates(doc, layout, lex),
    ):
        groups.append([bounded(doc, quotes, cand, lex, layout)])
    owner = {i: group for group in groups for cand in group for i in range(*cand.cue)}
    for cand in role_candidates(doc, layout, set(owner)):
        # a run read as a cue beside a rule cue ('also | sketched') is another reading of it
        beside = owner.get(cand.cue[1], owner.get(cand.cue[0] - 1))
        if beside is None:
            groups.append([cand])
        else:
            beside.append(cand)
    return groups


def _rank(pattern: str) -> int:
    """Return the pattern's preference; patterns only learned.csv admits come last."""
    return PATTERN_ORDER.index(pattern) if pattern in PATTERN_ORDER else len(PATTERN_ORDER)


def find_candidates(
    doc: Doc, quotes: Quotes, lex: Lexicon, layout: Layout | None = None
) -> list[Candidate]:
    """Return the candidates the lexicon accepts, one per cue (used when no scorer is bundled)."""
    found: list[Candidate] = []
    cues = frozenset(lex.cue_class)
    layout = layout or Layout.of(doc, cues)
    for token in doc:
        if token.lower_ in lex.according:
            cand = according_candidate(token, layout)
            if cand is not None:
                found.append(cand)
            continue
        if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBN", "VBG"):
            continue
        if is_imperative(token):
            continue
        best: Candidate | None = None
        for cand in verb_candidates(token, quotes, lex, layout):
            if cand.content[1] <= cand.content[0]:
                continue
            if lex.accepts(cand.lemma, cand.pattern) is None:
                base = token.lemma_.lower()
                if base == cand.lemma or lex.accepts(base, cand.pattern) is None:
                    continue
                cand = replace(cand, lemma=base, cue=(token.i, token.i + 1))
            if best is None or _rank(cand.pattern) < _rank(best.pattern):
                best = cand
        if best is not None:
            found.append(best)
    found.extend(dash_candidates(doc, quotes, layout.text))
    found.extend(headline_candidates(doc, layout))
    return [bounded(doc, quotes, c, lex, layout) for c in found]
