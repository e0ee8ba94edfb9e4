"""An event's modality: asserted, reported, negated, hypothetical, generic, future or historical.

Negation, conditional and wishing words, future auxiliaries, an old year dating the clause (not
a year naming something in it: "the 2015 deal") and a reporting verb or a statement around the
trigger are read in that order; the word lists are the ``[modality]`` table of
``data/events/rules.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from spacy.tokens import Span, Token

from ...dates import years_in
from ...model import Statement
from ...ontology import cameo
from .candidates import Candidate
from .rules import gates, words
from .syntax import reporter_of

NOUN_MODIFIERS = frozenset({"compound", "amod", "nummod", "poss", "nmod"})


def _date_entities(clause: Sequence[Token]) -> list[Span]:
    """The DATE entities that touch the clause, read from token tags (``doc.ents`` is costly)."""
    if not clause:
        return []
    doc = clause[0].doc
    starts = {t.i for t in clause if t.ent_type_ == "DATE"}
    starts = {i for i in starts if doc[i].ent_iob_ == "B"} | {
        _entity_start(doc[i]) for i in starts if doc[i].ent_iob_ == "I"
    }
    out = []
    for start in sorted(starts):
        end = start + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        out.append(doc[start:end])
    return out


def _entity_start(tok: Token) -> int:
    i = tok.i
    while i > 0 and tok.doc[i].ent_iob_ == "I":
        i -= 1
    return i


def free_dates(clause: Sequence[Token]) -> list[Token]:
    """Return the clause's date words that date it, not a noun in it ("the 2015 deal")."""
    ids = {t.i for t in clause}
    out: list[Token] = []
    for ent in _date_entities(clause):
        if not any(t.i in ids for t in ent):
            continue
        root = ent.root
        if root.dep_ in NOUN_MODIFIERS and root.head.pos_ in ("NOUN", "PROPN"):
            continue
        out.extend(t for t in ent if t.i in ids)
    return out


def attributed_to(statements: Sequence[Statement], tok: Token) -> str | None:
    """Return the id of the statement whose content holds a token, or None."""
    for st in statements:
        if st.content.start <= tok.idx < st.content.end:
            return st.id
    return None


def _purpose(top: Token) -> bool:
    """Whether a predicate is an infinitive of purpose ("hired reporters to investigate him")."""
    w = words()
    if top.dep_ != "advcl" or top.head.lemma_.lower() in w.purpose_journeys:
        return False  # "traveled to Moscow to meet Putin": the meeting is reported
    return any(c.dep_ == "aux" and c.lower_ in w.purpose_aux for c in top.children)


def _irrealis(top: Token) -> bool:
    """Whether a predicate is an infinitive a noun or adjective of ability, plan or need governs.

    "a strategy to prevent attacks", "the ability to finance programs", "it is important to
    defend the right": the act is a possibility, not a happening ("the decision to allow" is not
    in the list: a decision is taken).
    """
    w = words()
    head = top.head
    if head.i == top.i or head.pos_ not in ("NOUN", "ADJ"):
        return False
    if not any(c.dep_ == "aux" and c.lower_ in w.purpose_aux for c in top.children):
        return False
    return head.lemma_.lower() in w.irrealis_heads


def _generic(top: Token, clause: Sequence[Token]) -> bool:
    """Whether a predicate in the simple present tells a habit or a state, not a happening.

    "Democrats typically oppose the tax", "the portal allows members to log in": news reports
    events in the past (or the perfect); the simple present without a date in its clause is
    generic (headlines and leads excepted). A date makes it scheduled ("ministers meet in
    December"), which dating handles; threats are conditional by nature and keep their reading
    ("Iran threatens to close ...").
    """
    w = words()
    if top.tag_ not in w.generic_tags or _headline(top, w.headline_sentences):
        return False
    return not any(t.ent_type_ in ("DATE", "TIME") for t in clause)


def quoted(tok: Token) -> bool:
    """Whether a token stands inside quotation marks in its sentence (an odd count before it)."""
    marks = words().quote_marks
    return sum(1 for t in tok.sent if t.i < tok.i and t.text in marks) % 2 == 1


def _quoted_prospect(top: Token, tok: Token) -> bool:
    """Whether a quotation holds an act as a prospect, wish or opinion, not as narrated past:
    "'we will make the deals'", "'America must reject him'", "'taxing consumption helps'"."""
    return top.tag_ in words().quoted_prospect_tags and quoted(tok)


def _headline(tok: Token, n: int) -> bool:
    """Whether a token is in the first ``n`` sentences of its document: a headline or a lead,
    where news tells past events in the present ("Senate passes the bill")."""
    for i, sent in enumerate(tok.doc.sents):
        if i >= n:
            return False
        if sent.start <= tok.i < sent.end:
            return True
    return False


def _obliged(tok: Token, cand: Candidate) -> bool:
    """Whether an act is only said to be due ("America must reject him", "had to give him a
    taste of it"): no event, unless the
    obligation itself was coded as a demand ("X said Y must Z", CAMEO 10)."""
    if cand.frame_modality == "demand" or cand.code.startswith("10"):
        return False
    w = words()
    if any(c.dep_ == "aux" and c.lower_ in w.obligation_aux for c in tok.children):
        return True
    infinitive = any(c.dep_ == "aux" and c.lower_ in w.purpose_aux for c in tok.children)
    return infinitive and tok.dep_ == "xcomp" and tok.head.lemma_.lower() in w.obligation_heads


def _question(top: Token) -> bool:
    """Whether a predicate asks who or what acts ("Who is demanding that he run?")."""
    subject = next((c for c in top.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    asked = any(t.text == "?" for t in top.sent[-2:])  # the mark may precede a closing quote
    return subject is not None and subject.lower_ in words().question_words and asked


def modality(
    cand: Candidate,
    clause: list[Token],
    statements: Sequence[Statement],
    published: date | None,
) -> tuple[str, str | None]:
    """Return a candidate's modality and the id of the statement it was reported in (or None)."""
    tok = cand.token
    w = words()
    chain = [tok, *(a for a in tok.ancestors if a.i < tok.i + 40)][:4]
    attributed = attributed_to(statements, tok)
    if any(c.dep_ == "neg" or (c.lower_ in w.negations and c.dep_ == "neg") for c in tok.children):
        return "negated", attributed
    auxes = {c.lower_ for t in chain[:2] for c in t.children if c.dep_ == "aux"}
    marks = {c.lower_ for t in chain for c in t.children if c.dep_ == "mark"}
    # "if you talk to them, they reject it": a condition on the predicate itself
    marks |= {
        m.lower_ for c in tok.children if c.dep_ == "advcl" for m in c.children if m.dep_ == "mark"
    }
    reported = attributed is not None or reporter_of(tok) is not None
    if _purpose(cand.top) or _question(cand.top) or _irrealis(cand.top):
        return "hypothetical", attributed
    if _obliged(cand.top, cand):
        return "hypothetical", attributed
    if _quoted_prospect(cand.top, tok):
        return "hypothetical", attributed
    if _generic(cand.top, clause) and cameo(cand.code).plover_type not in gates().conditional:
        return "generic", attributed
    if (
        marks & w.hypothetical_marks
        or auxes & w.hypothetical_aux
        or (auxes & w.backshift_aux and not reported)
        or any(a.lemma_.lower() in w.hypothetical_verbs for a in chain[1:])
    ):
        return "hypothetical", attributed
    going = tok.dep_ == "xcomp" and tok.head.lemma_ == "go" and tok.head.lower_ == "going"
    backshift = bool(auxes & w.backshift_aux)
    if cand.frame_modality == "future" or auxes & w.future_aux or going or backshift:
        return "future", attributed
    years = years_in(free_dates(clause))
    if published and years and max(years) <= published.year - w.historical_years:
        return "historical", attributed
    if reported:
        return "reported", attributed
    return "asserted", attributed
