"""Statements: who said what, about whom and when, from a parsed spaCy Doc.

The public entry is :func:`extract_statements`. Its parts, in the order a document meets them:

- :mod:`.quotes` — quotation spans in the raw text;
- :mod:`.lexicon` — the cue lexicon and thresholds of ``data/statements``;
- :mod:`.base` — the shared :class:`~.base.Candidate`, :class:`~.base.Layout` and range helpers;
- :mod:`.syntax_rules`, :mod:`.layout_rules`, :mod:`.candidates` — the cue rules, and every
  candidate of a document grouped by cue;
- :mod:`.bounds` — where a candidate's content ends;
- :mod:`.roles` — the token role tagger; :mod:`.scorer` — the learned candidate scorer;
- :mod:`.speakers` — speaker mentions resolved to document entities;
- :mod:`.extractor` — the statements kept, without nesting, as records.
"""

from .extractor import extract_statements

__all__ = ["extract_statements"]
