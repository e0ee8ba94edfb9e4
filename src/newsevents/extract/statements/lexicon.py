"""Loads the statement extractor's data files: cue classes, patterns, thresholds, speaker words."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ...resources import has_data, read_csv, read_toml


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the statement rules read from ``data/statements``."""

    cue_class: dict[str, str]
    allowed: dict[str, frozenset[str]]
    learned: dict[tuple[str, str], tuple[float, int]]
    according: frozenset[str]
    according_prep: str
    min_precision: float
    min_support: int
    add_precision: float
    add_support: int
    antecedent_sentences: int
    nested_margin: float
    inner_margin: float
    min_content_chars: int
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    first_person: frozenset[str]
    relative: frozenset[str]
    titles: frozenset[str]
    role_stopwords: frozenset[str]
    speaker_labels: frozenset[str]
    person_label: str
    raising_verbs: frozenset[str]
    adjective_preps: frozenset[str]
    multiword: frozenset[str]  # cue + particle/preposition read as one cue ("call for")
    about_preps: frozenset[str]
    verb_preps: frozenset[str]
    object_preps: frozenset[str]
    noun_preps: frozenset[str]
    inner_cues: frozenset[str]  # attitude cues that stay inside a reported content
    title_case_share: float  # capitalised share of words that makes a line Title Case
    title_max_words: int
    resume_words: frozenset[str]  # '"…," he said, but "…"': the quotation goes on
    transcript_max_words: int  # the longest speaker label of a transcript turn ("ANA RUIZ:")
    transcript_min_turns: int  # turns a document needs to be read as a transcript
    transcript_confidence: float  # the confidence a turn is kept at (no learned score)

    def accepts(self, lemma: str, pattern: str) -> str | None:
        """Return the cue class if the lemma may introduce a statement with the pattern."""
        learned = self.learned.get((lemma, pattern))
        cls = self.cue_class.get(lemma)
        if learned is not None:
            precision, support = learned
            if support >= self.min_support and precision < self.min_precision:
                return None
            if support >= self.add_support and precision >= self.add_precision:
                return cls or "assert"
        if cls is None or pattern not in self.allowed.get(cls, frozenset()):
            return None
        return cls


def _learned() -> dict[tuple[str, str], tuple[float, int]]:
    if not has_data("statements", "learned.csv"):
        return {}
    rows = read_csv("statements", "learned.csv")
    return {(r["lemma"], r["pattern"]): (float(r["precision"]), int(r["support"])) for r in rows}


@cache
def lexicon() -> Lexicon:
    """Return the statement lexicon (read once per process)."""
    cues, patterns, speakers = (
        read_toml("statements", name) for name in ("cues.toml", "patterns.toml", "speakers.toml")
    )
    cue_class: dict[str, str] = {}
    for cls, lemmas in cues["classes"].items():
        for lemma in lemmas:
            cue_class.setdefault(lemma, cls)
    thresholds = patterns["thresholds"]
    return Lexicon(
        cue_class=cue_class,
        allowed={cls: frozenset(p) for cls, p in patterns["allowed"].items()},
        learned=_learned(),
        according=frozenset(cues["according"]["words"]),
        according_prep=str(cues["according"]["preposition"]),
        min_precision=float(thresholds["min_precision"]),
        min_support=int(thresholds["min_support"]),
        add_precision=float(thresholds["add_precision"]),
        add_support=int(thresholds["add_support"]),
        antecedent_sentences=int(thresholds["antecedent_sentences"]),
        nested_margin=float(thresholds["nested_margin"]),
        inner_margin=float(thresholds["inner_margin"]),
        min_content_chars=int(thresholds["min_content_chars"]),
        person_pronouns=frozenset(speakers["person_pronouns"]),
        group_pronouns=frozenset(speakers["group_pronouns"]),
        first_person=frozenset(speakers["first_person"]),
        relative=frozenset(speakers["relative"]),
        titles=frozenset(speakers["titles"]),
        role_stopwords=frozenset(speakers["role_stopwords"]),
        speaker_labels=frozenset(speakers["speaker_labels"]),
        person_label=str(speakers["person_label"]),
        raising_verbs=frozenset(patterns["shapes"]["raising_verbs"]),
        adjective_preps=frozenset(patterns["shapes"]["adjective_prepositions"]),
        multiword=frozenset(k for k in cue_class if " " in k)
        | frozenset(patterns["shapes"]["multiword_cues"]),
        about_preps=frozenset(patterns["prepositions"]["about"]),
        verb_preps=frozenset(patterns["prepositions"]["verb"]),
        object_preps=frozenset(patterns["prepositions"]["object"]),
        noun_preps=frozenset(patterns["prepositions"]["noun"]),
        inner_cues=frozenset(
            k for k, c in cue_class.items() if c in patterns["shapes"]["inner_classes"]
        ),
        title_case_share=float(patterns["shapes"]["title_case_share"]),
        title_max_words=int(patterns["shapes"]["title_max_words"]),
        resume_words=frozenset(patterns["shapes"]["resume_words"]),
        transcript_max_words=int(patterns["transcripts"]["max_words"]),
        transcript_min_turns=int(patterns["transcripts"]["min_turns"]),
        transcript_confidence=float(patterns["transcripts"]["confidence"]),
    )
