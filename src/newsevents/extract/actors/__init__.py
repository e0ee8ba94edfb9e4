"""Actors: noun phrases and speakers to CAMEO-style codes (country ISO3 + sector, or an IGO).

* :mod:`.tables`: the bundled country, IGO, agent, sector and title tables and the agent rules;
* :mod:`.dictionary`: dated actor lists (the user's, YAML/CSV/PETRARCH, and the bundled ones);
* :mod:`.coder`: :class:`ActorCoder`, which codes the noun phrases of one document with memory
  of earlier mentions;
* :mod:`.speakers`: :func:`code_speakers`, the actor codes of statement speakers.
"""

from __future__ import annotations

from .coder import ActorCoder, Coding, code_tokens, phrase_tokens, split_code
from .dictionary import (
    ActorDictionary,
    DatedCode,
    default_dictionary,
    load_actor_dictionary,
    parse_csv,
    parse_petrarch,
    parse_yaml,
)
from .speakers import code_speakers
from .tables import ActorRules, ActorTables, actor_rules, actor_tables

__all__ = [
    "ActorCoder",
    "ActorDictionary",
    "ActorRules",
    "ActorTables",
    "Coding",
    "DatedCode",
    "actor_rules",
    "actor_tables",
    "code_speakers",
    "code_tokens",
    "default_dictionary",
    "load_actor_dictionary",
    "parse_csv",
    "parse_petrarch",
    "parse_yaml",
    "phrase_tokens",
    "split_code",
]
