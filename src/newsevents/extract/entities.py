"""Named entities with document-level consistency: one entity per referent, all its mentions.

spaCy's small English model labels names per sentence, so the same person can come out as
PERSON in one sentence and ORG in the next, and a surname ("Lavrov") is a separate span from
the full name ("Sergei Lavrov"). This extractor merges them: a surface tagged PERSON anywhere
is a person everywhere, a multi-word name whose surname is tagged PERSON elsewhere is a person,
a name right after a title ("Minister", "Sen.") is a person, a surname
or given name alone joins the full name it belongs to, and untagged repetitions of a known
person's name are added as mentions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span

from ..model import Entity, Mention, make_id
from ..resources import read_csv, read_toml
from .doctext import doc_text
from .statements.lexicon import lexicon


@dataclass(frozen=True, slots=True)
class _Rules:
    labels: frozenset[str]
    leading_words: tuple[str, ...]
    possessives: tuple[str, ...]
    label_priority: tuple[str, ...]


@cache
def _rules() -> _Rules:
    raw = read_toml("entities.toml")
    return _Rules(
        labels=frozenset(raw["labels"]),
        leading_words=tuple(raw["leading_words"]),
        possessives=tuple(raw["possessives"]),
        label_priority=tuple(raw["label_priority"]),
    )


@dataclass
class _Cluster:
    name: str
    labels: Counter[str] = field(default_factory=Counter)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _trim(doc: Doc, span: Span, rules: _Rules) -> tuple[int, int] | None:
    """Return character offsets of the span without leading articles and possessive endings."""
    start, end = span.start, span.end
    while start < end and (doc[start].text in rules.leading_words or not _wordy(doc[start].text)):
        start += 1
    while end > start and (doc[end - 1].text in rules.possessives or not _wordy(doc[end - 1].text)):
        end -= 1
    if start >= end:
        return None
    first, last = doc[start], doc[end - 1]
    return first.idx, last.idx + len(last.text)


def _wordy(token_text: str) -> bool:
    return any(ch.isalnum() for ch in token_text)


def _best_label(labels: Counter[str], rules: _Rules) -> str:
    for label in rules.label_priority:
        if labels[label]:
            return label
    return labels.most_common(1)[0][0]


def _person_parts(name: str) -> list[str]:
    return [w for w in name.split() if w[:1].isupper() and len(w) > 1]


def extract_entities(doc: Doc) -> tuple[Entity, ...]:
    """Return the document's named entities, merged across mentions and labels."""
    rules = _rules()
    titles = lexicon().titles
    text = doc_text(doc)
    clusters: dict[str, _Cluster] = {}
    cues = lexicon().cue_class
    speaking: Counter[str] = Counter()  # surfaces' mentions that are subjects of a cue verb
    for ent in _joined_names(doc):
        if ent.label_ not in rules.labels:
            continue
        offsets = _trim(doc, ent, rules)
        if offsets is None:
            continue
        surface = " ".join(text[offsets[0] : offsets[1]].split())
        cluster = clusters.setdefault(surface, _Cluster(name=surface))
        label = ent.label_
        if label == "ORG" and ent.start > 0 and doc[ent.start - 1].lower_ in titles:
            label = "PERSON"  # "Foreign Minister Ulf Berglund" is a person, whatever the tag
        cluster.labels[label] += 1
        cluster.spans.append(offsets)
        if ent.root.dep_ == "nsubj" and ent.root.head.lemma_.lower() in cues:
            speaking[surface] += 1

    # A multi-word name whose last word is tagged PERSON on its own elsewhere in the document
    # ("Helena Kask" tagged ORG, "Kask" PERSON) is a person.
    single_persons = {
        c.name for c in clusters.values() if c.labels["PERSON"] and len(c.name.split()) == 1
    }
    for cluster in clusters.values():
        parts = cluster.name.split()
        if (
            len(parts) > 1
            and not cluster.labels["PERSON"]
            and not cluster.labels["GPE"]
            and parts[-1] in single_persons
            and _person_parts(cluster.name) == parts
        ):
            cluster.labels["PERSON"] += 1

    # A surface that is the surname or given name of a multi-word person joins that person.
    persons = [c for c in clusters.values() if c.labels["PERSON"] and len(c.name.split()) > 1]
    part_owner: dict[str, set[str]] = defaultdict(set)
    for person in persons:
        for part in _person_parts(person.name):
            part_owner[part].add(person.name)
    merged: dict[str, _Cluster] = {}
    for surface, cluster in clusters.items():
        owners = part_owner.get(surface, set())
        place = cluster.labels["GPE"] and speaking[surface] < len(cluster.spans)
        if len(owners) == 1 and surface not in owners and not place:
            owner = clusters[next(iter(owners))]
            owner.spans.extend(cluster.spans)
            owner.labels["PERSON"] += sum(cluster.labels.values())
            continue
        merged[surface] = cluster

    # Untagged repetitions of a person's full name or surname become mentions too.
    taken = {offset for c in merged.values() for span in c.spans for offset in range(*span)}
    people = [c for c in merged.values() if _best_label(c.labels, rules) == "PERSON"]
    forms: list[set[str]] = []
    for cluster in people:
        names = {cluster.name}
        parts = _person_parts(cluster.name)
        if len(parts) > 1 and len(part_owner.get(parts[-1], ())) == 1:
            names.add(parts[-1])
        forms.append(names)
    for n, start, end in _find_tokens(doc, forms):
        if start not in taken:
            people[n].spans.append((start, end))
            taken.update(range(start, end))

    entities = []
    for cluster in merged.values():
        label = _best_label(cluster.labels, rules)
        spans = sorted(set(cluster.spans))
        mentions = tuple(Mention(start=s, end=e, text=text[s:e]) for s, e in spans)
        entities.append(
            Entity(
                id=make_id("entity", label, cluster.name),
                name=cluster.name,
                label=label,
                mentions=mentions,
            )
        )
    entities.sort(key=lambda e: e.mentions[0].start)
    return tuple(entities)


def _joined_names(doc: Doc) -> list[Span]:
    """Return the document's entities with a given name tagged as a place joined to its
    surname: "Valeska Paris" (tagged GPE, GPE) is one person when "Valeska" is no known place."""
    ents = list(doc.ents)
    places = _known_places()
    out: list[Span] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if (
            nxt is not None
            and len(ent) == 1
            and len(nxt) == 1
            and ent.end == nxt.start
            and ent.label_ in ("GPE", "LOC")
            and nxt.label_ in ("GPE", "LOC", "PERSON")
            and ent.root.dep_ == "compound"
            and ent.root.head.i == nxt.root.i
            and ent.text.lower() not in places
        ):
            out.append(Span(doc, ent.start, nxt.end, label="PERSON"))
            i += 2
            continue
        out.append(ent)
        i += 1
    return out


@cache
def _known_places() -> frozenset[str]:
    """Return lower-case names of the countries and cities in the actor tables."""
    names: set[str] = set()
    for row in read_csv("actors", "countries.csv"):
        names.add(row["name"].lower())
        names.update(a.lower() for a in (row.get("aliases") or "").split("|") if a)
    for row in read_csv("actors", "cities.csv"):
        names.add(row["name"].lower())
    return frozenset(names)


def _find_tokens(doc: Doc, forms: Sequence[set[str]]) -> list[tuple[int, int, int]]:
    """Return (form set index, start, end) offsets of token sequences equal to a form.

    One pass over the document for all form sets; matches are ordered by form set, then
    position, so an earlier set claims an overlapping stretch first.
    """
    by_first: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    for n, names in enumerate(forms):
        for form in names:
            words = form.split()
            by_first[words[0]].append((n, words))
    if not by_first:
        return []
    texts = [t.text for t in doc]
    found: list[tuple[int, int, int]] = []
    for i, word in enumerate(texts):
        for n, words in by_first.get(word, ()):
            end_i = i + len(words)
            if end_i <= len(texts) and texts[i:end_i] == words:
                last = doc[end_i - 1]
                found.append((n, doc[i].idx, last.idx + len(last.text)))
    found.sort()
    return found
