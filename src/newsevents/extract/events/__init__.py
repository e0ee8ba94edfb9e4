"""Political events from a parsed document: who did what to whom, when and where (CAMEO/PLOVER).

For each sentence, triggers (verbs, a few nominals and adjectives) are matched against the
reviewed lexicon in ``data/events/lexicon.csv``, then PETRARCH2's verb patterns; frames
("agreed to", "threatened to", "will")
compose with their complement through ``data/events/compose.csv``. Source and target come from
the dependency parse and are coded by :class:`~newsevents.extract.actors.ActorCoder`. There is no
fallback code: a sentence without a confident match yields no event.

* :mod:`.triggers`: the lexicon, its constraints, matching and frame composition;
* :mod:`.verbs`: PETRARCH2's verb patterns matched on the dependency parse;
* :mod:`.candidates`: a sentence's matched triggers composed with frames and auxiliaries;
* :mod:`.syntax`: subjects, targets, clauses and reporting verbs in the dependency parse;
* :mod:`.participants`: source and target actors;
* :mod:`.literal`: literal before figurative (force needs an actor or violence), off-topic;
* :mod:`.modality`: asserted, reported, negated, hypothetical, future or historical;
* :mod:`.gates`: what a candidate needs to be an event (asserted, dyadic where it must be);
* :mod:`.classifier`: the trained PLOVER type model that re-ranks and calibrates;
* :mod:`.location`: where an event happened (clause, place acted on, sentence, dateline);
* :mod:`.assemble`: candidates to scored, dated and placed events, merged per document;
* :mod:`.rules`: typed views of ``data/events/rules.toml``.
"""

from __future__ import annotations

from .assemble import extract_events

__all__ = ["extract_events"]
