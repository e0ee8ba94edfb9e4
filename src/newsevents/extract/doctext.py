"""A parsed document's text, read once: ``Doc.text`` rebuilds it from every token each time."""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "newsevents.text"


def doc_text(doc: Doc) -> str:
    """Return ``doc.text``, kept in the Doc's ``user_data`` after the first call."""
    text = doc.user_data.get(_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[_KEY] = text
    return text
