"""Word lists and small text rules for speaker resolution (:mod:`.speakers`).

The words live in ``data/statements/speakers.toml``: names that are never a speaker's name,
descriptions of people and bodies ("the lawmaker", "the company"), gendered pronouns and titles,
and the weights that choose a pronoun's antecedent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from ...model import Entity, Mention, make_id
from ...resources import read_csv, read_toml
from .lexicon import lexicon
from .names import clean_body, country_of


@dataclass(frozen=True, slots=True)
class Words:
    """The speaker word lists and antecedent weights."""

    never: frozenset[str]  # never a name: pronouns and quantifiers
    second: frozenset[str]
    described: dict[str, frozenset[str]]  # "lawmaker" -> title words it may stand for
    org_nouns: frozenset[str]
    generic_orgs: frozenset[str]
    pronoun_gender: dict[str, str]  # "he" -> "m", "her" -> "f"
    subject_weight: float
    decay: float
    frequency_weight: float
    parallel_weight: float  # a subject pronoun's subject antecedents weigh this much more
    propagate_gender: bool  # a gendered pronoun linked to a person marks the person's gender
    place_preps: frozenset[str]  # "at Harrow": a tagged person never a subject is a place
    reflexive: frozenset[str]  # "himself": its clause's subject or the noun it stresses
    title_gender: dict[str, str]  # "mrs." -> "f"
    untagged_subjects: int  # subject uses that make an untagged proper noun a person
    person_nouns: frozenset[str]  # "the boy", "the author": people a pronoun-like rule finds
    noun_gender: dict[str, str]  # "woman" -> "f"
    org_kinds: dict[str, frozenset[str]]  # "college" -> {"education"}: kinds of organisation
    any_kind: frozenset[str]  # "the organisation": fits every organisation
    person_suffixes: tuple[str, ...]  # "the cellist": a person's noun by its ending
    min_suffix_length: int
    not_person: frozenset[str]
    anonymous: frozenset[str]  # "the official": news' unnamed sources, never a salience guess
    person_nearest: bool  # a person's noun with no salient person: the nearest one before
    body_nearest: bool  # an organisation's noun with no salient body: the nearest before
    ordinal_refs: dict[str, int]  # "latter" -> 1: the last person or body named, "former" -> 2
    noun_bonus: float  # "the party": a body whose name has the noun scores this much more
    state_bodies: frozenset[str]  # "the government": only a body whose name says it is one


@cache
def word_lists() -> Words:
    """Return the speaker word lists, read once."""
    raw = read_toml("statements", "speakers.toml")
    orgs = raw["org_descriptions"]
    gender = raw["gender"]
    people = raw["person_nouns"]
    kinds: dict[str, set[str]] = {}
    for kind, nouns in raw["org_kinds"].items():
        if kind != "any_kind":
            for noun in nouns:
                kinds.setdefault(noun, set()).add(kind)
    return Words(
        never=frozenset(raw["never_names"]),
        second=frozenset(raw["second_person"]),
        described={k: frozenset(v) for k, v in raw["description_titles"].items()},
        org_nouns=frozenset(orgs["nouns"]),
        generic_orgs=frozenset(orgs["generic"]),
        subject_weight=float(raw["antecedents"]["subject_weight"]),
        decay=float(raw["antecedents"]["decay"]),
        frequency_weight=float(raw["antecedents"]["frequency_weight"]),
        parallel_weight=float(raw["antecedents"]["parallel_weight"]),
        propagate_gender=bool(raw["antecedents"]["propagate_gender"]),
        reflexive=frozenset(raw["reflexive"]),
        place_preps=frozenset(raw["antecedents"]["place_prepositions"]),
        pronoun_gender={
            **{w: "m" for w in gender["male_pronouns"]},
            **{w: "f" for w in gender["female_pronouns"]},
        },
        untagged_subjects=int(raw["untagged_subjects"]),
        person_nouns=frozenset(people["plain"]),
        noun_gender={
            **{w: "m" for w in people["male"]},
            **{w: "f" for w in people["female"]},
        },
        org_kinds={k: frozenset(v) for k, v in kinds.items()},
        any_kind=frozenset(raw["org_kinds"]["any_kind"]),
        person_suffixes=tuple(people["person_suffixes"]),
        min_suffix_length=int(people["min_suffix_length"]),
        not_person=frozenset(people["not_person"]),
        anonymous=frozenset(people["anonymous"]),
        person_nearest=bool(raw["descriptions"]["person_nearest"]),
        body_nearest=bool(raw["descriptions"]["body_nearest"]),
        noun_bonus=float(raw["descriptions"]["noun_bonus"]),
        state_bodies=frozenset(raw["descriptions"]["state_bodies"]),
        ordinal_refs={k: int(v) for k, v in raw["descriptions"]["ordinal"].items()},
        title_gender={
            **{w: "m" for w in gender["male_titles"]},
            **{w: "f" for w in gender["female_titles"]},
        },
    )


@cache
def _noun_kinds() -> dict[str, str]:
    return {row["noun"]: row["kind"] for row in read_csv("statements", "noun_kinds.csv")}


def noun_kind(noun: str) -> str | None:
    """Return what a common noun's first WordNet sense is: "person", "organisation" or None."""
    return _noun_kinds().get(noun)


def person_noun(noun: str) -> bool:
    """Whether a singular common noun names a person ("the defendant", "the cellist") that a
    salient person may be (the lists of ``speakers.toml``, a person's ending, else WordNet);
    not news' unnamed sources ("the official") nor an organisation's noun ("the company")."""
    lists = word_lists()
    if noun in lists.anonymous:
        return False
    if noun in lists.person_nouns or noun in lists.noun_gender:
        return True
    if noun in lists.org_nouns or noun in lists.not_person:
        return False
    if noun_kind(noun) == "person":
        return True
    return (
        len(noun) >= lists.min_suffix_length
        and noun.isalpha()
        and noun not in lists.not_person
        and noun.endswith(lists.person_suffixes)
    )


def org_kinds(words: Sequence[str]) -> frozenset[str]:
    """Return the kinds of organisation the words name ("State University" -> education)."""
    lists = word_lists()
    found: set[str] = set()
    for word in words:
        found |= lists.org_kinds.get(word.lower(), frozenset())
    return frozenset(found)


def compatible_body(noun: str, names: Sequence[str]) -> bool:
    """Whether "the <noun>" can refer to an organisation with these names: the noun fits every
    body or is of no listed kind (WordNet's "insurer"), or the names share a kind with it, or
    they have none and the noun is no country's institution ("the government" is no "Delta
    Mining": a state's body the text does not name)."""
    lists = word_lists()
    if noun in lists.any_kind or (noun not in lists.org_nouns and noun not in lists.org_kinds):
        return True
    kinds = org_kinds([w for name in names for w in name.split()])
    if not kinds:
        return noun not in lists.state_bodies
    return bool(kinds & lists.org_kinds.get(noun, frozenset()))


def body_like(label: str, name: str) -> bool:
    """Whether an entity can be a body a description names: an organisation, or a name of
    several words the tagger took for a place or group but no country or city knows
    ("Pittsburgh Pirates")."""
    if label == "ORG":
        return True
    return (
        label in ("GPE", "NORP")
        and len(name.split()) >= 2
        and country_of(name) == name
        and name.lower() not in _cities()
    )


def proper_text(span: Span) -> str:
    """Return the span's text without a leading determiner or trailing possessive."""
    tokens = [t for t in span if not (t.i == span.start and t.dep_ == "det")]
    while tokens and (tokens[-1].dep_ == "case" or tokens[-1].is_punct):
        tokens.pop()
    if not tokens:
        return span.text
    return span.doc[tokens[0].i : tokens[-1].i + 1].text


def body_of(span: Span, name: str) -> str | None:
    """Return the fuller body name the span gives ("Order" + " of the Silver Lamp"), if any."""
    proper = proper_text(span)
    if not proper.startswith(name) or len(proper) == len(name):
        return None
    rest = proper[len(name) :].split()
    if not rest or rest[0] not in ("of", "for") or rest[-1][:1].islower():
        return None
    if any(w[:1].islower() and w not in ("of", "for", "the", "and") for w in rest):
        return None
    return clean_body(proper)


def genders(
    doc: Doc, mentions: Sequence[tuple[int, int, str]], by_id: dict[str, Entity], person: str
) -> dict[str, str]:
    """Return the gender ("m" or "f") the document marks each person with, where it does.

    A gendered title before a mention ("Mrs.", "Lord") counts twice; the first personal
    pronoun after a mention that is its sentence's subject counts once ("Ana Ruiz said she").
    """
    lists = word_lists()
    votes: dict[str, Counter[str]] = {}
    for start, end, eid in mentions:
        if by_id[eid].label != person:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        tally = votes.setdefault(eid, Counter())
        if span.start > 0:
            g = lists.title_gender.get(doc[span.start - 1].lower_)
            if g is not None:
                tally[g] += 2
        if span.root.dep_ not in ("nsubj", "nsubjpass"):
            continue
        for tok in doc[span.end : span.sent.end]:
            g = lists.pronoun_gender.get(tok.lower_)
            if g is not None:
                tally[g] += 1
                break
    out: dict[str, str] = {}
    for eid, tally in votes.items():
        ranked = tally.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            out[eid] = ranked[0][0]
    return out


def human(role: Token, name: str) -> bool:
    """Whether a name apposed to the role noun is a person's: a role noun for people ("chief
    negotiator") and a name of two or three words without an organisation's noun."""
    lists = word_lists()
    parts = name.split()
    return (
        role.pos_ == "NOUN"
        and role.lower_ not in lists.org_nouns
        and 2 <= len(parts) <= 3
        and not any(p.lower() in lists.org_nouns for p in parts)
    )


@cache
def _cities() -> frozenset[str]:
    return frozenset(row["name"].lower() for row in read_csv("actors", "cities.csv"))


def untagged_people(doc: Doc, entities: Sequence[Entity]) -> tuple[Entity, ...]:
    """Return people spaCy did not tag: a lone capitalised proper noun outside every entity
    that is a sentence subject several times ("Lindqvist wrote …"), no place or title word."""
    lists = word_lists()
    covered = {i for e in entities for m in e.mentions for i in range(m.start, m.end)}
    titles = lexicon().titles

    def lone(i: int) -> bool:
        tok = doc[i]
        return (
            tok.pos_ == "PROPN"
            and tok.idx not in covered
            and tok.text[:1].isupper()
            and not tok.text.isupper()
            and tok.text.isalpha()
            and not (i > 0 and doc[i - 1].pos_ == "PROPN")
            and not (i + 1 < len(doc) and doc[i + 1].pos_ == "PROPN")
        )

    subjects = Counter(t.text for t in doc if t.dep_ in ("nsubj", "nsubjpass") and lone(t.i))
    people = []
    for text, n in sorted(subjects.items()):
        low = text.lower()
        if (
            n < lists.untagged_subjects
            or low in lists.never
            or low in titles
            or low in _cities()
            or country_of(text) != text
        ):
            continue
        mentions = tuple(
            Mention(t.idx, t.idx + len(t.text), t.text) for t in doc if t.text == text and lone(t.i)
        )
        people.append(Entity(make_id("entity", "PERSON", text), text, "PERSON", mentions))
    return tuple(people)


def predicated(subject: Token) -> list[Token]:
    """Return the nouns the clause says the subject is ("Ilya Volkov was a painter": painter)."""
    if subject.dep_ not in ("nsubj", "nsubjpass"):
        return []
    verb = subject.head
    return [c for c in verb.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")]


def describes(noun: Token) -> bool:
    """Whether an indefinite noun describes someone named rather than introducing an unnamed
    one: a name's apposition ("Ana Ruiz, a farmer"), what a clause says its subject is ("she
    was a farmer", "worked as a farmer", not "there was a farmer"), or a noun the text names
    ("a band called the Foxes")."""
    if noun.dep_ in ("appos", "oprd"):
        return True
    if noun.dep_ == "pobj" and noun.head.lower_ == "as":
        return True
    if any(
        c.dep_ in ("appos", "acl") and any(t.pos_ == "PROPN" for t in c.subtree)
        for c in noun.children
    ):
        return True
    if noun.dep_ != "attr":
        return False
    return not any(c.dep_ == "expl" for c in noun.head.children)


def named_before(head: Token) -> Span | None:
    """Return the last phrase before the head that names a body with the head's noun after
    proper nouns ("the Vale family" … "the family", "the Hart campaign" … "the campaign"), as
    the tagger may leave it untagged; None when there is none."""
    doc = head.doc
    noun = head.lower_  # the same form: "the Ontario courts" is no "the court"
    for tok in reversed(doc[: head.i]):
        if tok.pos_ != "NOUN" or tok.lower_ != noun:
            continue
        proper = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if proper and all(c.i < tok.i for c in proper):
            start = min(c.left_edge.i for c in proper)
            if all(t.pos_ == "PROPN" or t.is_punct for t in doc[start : tok.i]):
                return doc[start : tok.i + 1]
    return None
