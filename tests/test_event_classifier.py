"""The learned PLOVER type model of a sentence and how it moves event confidence.

The sentences were written for this test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from newsevents.errors import ConfigError
from newsevents.extract.entities import extract_entities
from newsevents.extract.events import assemble, classifier, extract_events
from newsevents.extract.events.classifier import (
    IDENTITY,
    NONE,
    Calibration,
    TypeModel,
    load_type_model,
    read_calibration,
    sentence_features,
    type_model,
    type_scores,
)
from newsevents.model import Event
from newsevents.ontology import PLOVER_TYPES

PUB = date(2024, 5, 15)

# (sentence, the PLOVER type the bundled model should rank first)
RANKED_FIRST = [
    ("Thousands of workers marched through the capital demanding higher wages.", "PROTEST"),
    ("Rebels shelled a village near the border, killing four civilians.", "ASSAULT"),
    ("The army deployed tanks along the northern frontier.", "MOBILIZE"),
    ("The government rejected the union's proposal.", "REJECT"),
    ("The opposition called on the government to release the detained journalists.", "REQUEST"),
    ("The government imposed sanctions on the mining company.", "SANCTION"),
    ("The ministers met in Geneva to discuss the crisis.", "CONSULT"),
    ("Police arrested dozens of opposition activists overnight.", "COERCE"),
]

# Sentences with events of several kinds, for the with/without-model comparisons.
EVENT_SENTENCES = [
    "Thousands of workers marched through the capital demanding higher wages.",
    "Chilean troops shelled the border post after Peru accused them of spying.",
    "Japan's foreign minister held talks with his South Korean counterpart in Seoul.",
    "Kenya said that Somalia must rebuild the disputed bridge.",
    "Lebanon appealed to France for emergency financial assistance.",
]


def _sent(nlp: Language, text: str):  # type: ignore[no-untyped-def]
    return next(iter(nlp(text).sents))


def _events(nlp: Language, text: str) -> tuple[Event, ...]:
    doc = nlp(text)
    return extract_events(doc, entities=extract_entities(doc), published=PUB)


def _signature(events: tuple[Event, ...]) -> list[tuple[str, float, str | None, str | None]]:
    return [
        (
            e.cameo,
            e.confidence,
            e.source.code if e.source else None,
            e.target.code if e.target else None,
        )
        for e in events
    ]


def _toy_model() -> TypeModel:
    """A hand-made model: "march" means PROTEST, "shell" means ASSAULT."""
    classes = ("PROTEST", "ASSAULT", NONE)
    features = ["bias", "w=march", "w=shell"]
    weights = np.asarray([[0.0, 0.0, 0.0], [3.0, -1.0, 0.0], [-1.0, 3.0, 0.0]], dtype=np.float32)
    return TypeModel(classes, {f: i for i, f in enumerate(features)}, weights)


@pytest.mark.parametrize(("text", "expected"), RANKED_FIRST)
def test_bundled_model_ranks_the_type_first(nlp: Language, text: str, expected: str) -> None:
    if type_model() is None:
        pytest.skip("no bundled type model")
    scores = type_scores(_sent(nlp, text))
    ranked = sorted((c for c in scores if c != NONE), key=lambda c: -scores[c])
    assert ranked[0] == expected, (text, [(c, round(scores[c], 3)) for c in ranked[:3]])


def test_bundled_model_covers_every_plover_type(nlp: Language) -> None:
    model = type_model()
    if model is None:
        pytest.skip("no bundled type model")
    assert set(PLOVER_TYPES) <= set(model.classes)
    scores = type_scores(_sent(nlp, "Troops withdrew from the town."))
    assert abs(sum(scores.values()) - 1.0) < 1e-6
    assert all(0.0 <= v <= 1.0 for v in scores.values())


def test_features_read_the_parse(nlp: Language) -> None:
    feats = sentence_features([_sent(nlp, "Egypt did not send troops to Libya.")])
    assert "bias" in feats
    assert "v=send" in feats
    assert "vo=send>troop" in feats
    assert "vpo=send>to>GPE" in feats  # a proper name stands as its entity type
    assert "neg=send" in feats


def test_main_predicate_under_a_reporting_verb(nlp: Language) -> None:
    feats = sentence_features([_sent(nlp, "Officials said troops attacked the village.")])
    assert "root=say" in feats
    assert "main=attack" in feats


def test_missing_weights_leave_events_unchanged(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the weights file events come out exactly as the rules score them."""
    monkeypatch.setattr(classifier, "type_model", lambda: None)
    without_model = [_signature(_events(nlp, t)) for t in EVENT_SENTENCES]
    monkeypatch.setattr(assemble, "rescore", lambda score, code, sent: score)
    rules_only = [_signature(_events(nlp, t)) for t in EVENT_SENTENCES]
    assert without_model == rules_only
    assert any(without_model)


def test_type_scores_empty_without_model(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(classifier, "type_model", lambda: None)
    assert type_scores(_sent(nlp, "Rebels shelled the village.")) == {}


def test_model_moves_confidence_by_type(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rule score rises for a probable type and falls for an improbable one."""
    model = _toy_model()
    monkeypatch.setattr(classifier, "type_model", lambda: model)
    monkeypatch.setattr(classifier, "calibration", lambda: Calibration(0.1, 1e-3, 0, -1, (), ()))
    sent = _sent(nlp, "Workers marched through the capital.")
    protest = classifier.rescore(0.8, "140", sent)  # 140: PROTEST
    assault = classifier.rescore(0.8, "190", sent)  # 190: ASSAULT
    statement = classifier.rescore(0.8, "010", sent)  # 010: no PLOVER type, left alone
    assert protest is not None and assault is not None
    assert protest > 0.8 > assault
    assert statement == 0.8


def test_model_reorders_a_sentences_events(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the rules offer two types, the model's favourite comes first."""
    text = "Chilean troops shelled the border post after Peru accused them of spying."
    before = _events(nlp, text)
    types = {e.plover_type for e in before}
    if not {"ASSAULT", "ACCUSE"} <= types:
        pytest.skip(f"the rules found {types}")
    for favourite, word in (("ASSAULT", "w=shell"), ("ACCUSE", "w=accuse")):
        weights = np.zeros((2, 2), dtype=np.float32)
        weights[1, 0] = 5.0
        model = TypeModel(
            (favourite, "ACCUSE" if favourite == "ASSAULT" else "ASSAULT"),
            {
                "bias": 0,
                word: 1,
            },
            weights,
        )
        monkeypatch.setattr(classifier, "type_model", lambda m=model: m)
        monkeypatch.setattr(
            classifier, "calibration", lambda: Calibration(0.5, 1e-3, 0, -9, (), ())
        )
        best = max(_events(nlp, text), key=lambda e: e.confidence)
        assert best.plover_type == favourite


def test_calibration_maps_and_drops(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    cal = Calibration(0.0, 1e-3, 0.0, 0.5, (0.0, 1.0), (0.2, 0.6))
    assert cal.confidence(0.5) == pytest.approx(0.4)
    assert cal.confidence(2.0) == pytest.approx(0.6)  # held beyond the last knot
    assert IDENTITY.confidence(0.77) == 0.77
    monkeypatch.setattr(classifier, "type_model", _toy_model)
    monkeypatch.setattr(classifier, "calibration", lambda: cal)
    sent = _sent(nlp, "Workers marched through the capital.")
    assert classifier.rescore(0.4, "140", sent) is None  # below drop_below
    assert classifier.rescore(0.9, "140", sent) == pytest.approx(0.56)


def test_bundled_calibration_is_increasing() -> None:
    cal = classifier.calibration()
    assert list(cal.values) == sorted(cal.values)
    assert all(0.0 <= v <= 1.0 for v in cal.values)


def test_bad_files_raise_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "types.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ConfigError):
        load_type_model(bad)
    toml = tmp_path / "classifier.toml"
    toml.write_text("[calibration]\ntype_weight = 0.1\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        read_calibration(toml)
    toml.write_text(
        "[calibration]\ntype_weight = 0.1\ntype_floor = 0.001\nnone_weight = 0\n"
        "drop_below = 0\nknots = [0.5, 0.1]\nvalues = [0.1, 0.2]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError):
        read_calibration(toml)


def test_model_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "types.npz"
    np.savez_compressed(
        path,
        features=np.asarray(["bias", "w=march"]),
        classes=np.asarray(["PROTEST", "ASSAULT"]),
        weights=np.asarray([[0.0, 0.0], [2.0, 0.0]], dtype=np.float16),
    )
    model = load_type_model(path)
    p = model.probabilities(["bias", "w=march", "w=unseen"])
    assert p[0] == pytest.approx(np.exp(2) / (np.exp(2) + 1), rel=1e-3)
