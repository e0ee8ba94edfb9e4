"""Actor coding: titles, demonyms, metonyms, IGOs, agents, dates and user dictionaries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from newsevents.errors import InputError
from newsevents.extract.actors import ActorCoder, load_actor_dictionary, parse_petrarch
from newsevents.extract.actors.dictionary import people_dictionary
from newsevents.extract.entities import extract_entities
from newsevents.extract.places import lookup_place

SUBJECTS = [
    ("Russian Foreign Minister Sergei Lavrov arrived on Monday.", "RUSGOV"),
    ("The Kremlin rejected the offer.", "RUSGOV"),
    ("Washington rejected the offer.", "USAGOV"),
    ("U.S. intelligence agencies published a report.", "USASPY"),
    ("Kenyan police detained the men.", "KENCOP"),
    ("NATO announced new exercises.", "IGONAT"),
    ("Syrian rebels seized the town.", "SYRREB"),
    ("The German government welcomed the plan.", "DEUGOV"),
    ("Iraqi soldiers entered the city.", "IRQMIL"),
    ("Brazil signed the treaty.", "BRA"),
    # an agent "in" a country takes that country
    ("Rebels in Mozambique seized the port.", "MOZREB"),
    # a vague head ("groups") does not override a specific modifier ("opposition")
    ("Opposition groups in Zambia rejected the result.", "ZMBOPP"),
    # a combined agent code is coded by its primary role (activist: CVL + OPP)
    ("Egyptian activists rejected the plan.", "EGYOPP"),
]

# (text, publication date, expected code): dated office holders; out of office, the country stays
# and the role comes from the text
HOLDERS = [
    ("Jacques Chirac rejected the offer.", date(1999, 5, 1), "FRAGOV"),
    ("President Hosni Mubarak rejected the offer.", date(2005, 5, 1), "EGYGOV"),
    # out of office: the bundled Phoenix list codes a former leader as elite (CAMEO's ELI)
    ("Hosni Mubarak rejected the offer.", date(2015, 5, 1), "EGYELI"),
    ("President Kofi Annan rejected the offer.", date(1998, 5, 1), "IGOUNO"),
]


@pytest.mark.parametrize(("text", "when", "expected"), HOLDERS)
def test_office_holders(nlp: Language, text: str, when: date, expected: str) -> None:
    assert _subject_code(nlp, text, when) == expected


def _subject_code(nlp: Language, text: str, published: date | None = None) -> str | None:
    doc = nlp(text)
    coder = ActorCoder(doc, (), published)
    subj = next(t for t in doc if t.dep_ in ("nsubj", "nsubjpass"))
    actor = coder.code(subj)
    return None if actor is None else actor.code


@pytest.mark.parametrize(("text", "expected"), SUBJECTS)
def test_subject_codes(nlp: Language, text: str, expected: str) -> None:
    assert _subject_code(nlp, text) == expected


def test_actor_span_matches_text(nlp: Language) -> None:
    doc = nlp("Russian Foreign Minister Sergei Lavrov arrived on Monday.")
    actor = ActorCoder(doc).code(doc[4])
    assert actor is not None
    assert doc.text[actor.start : actor.end] == actor.text


def test_role_depends_on_date(nlp: Language) -> None:
    text = "Donald Trump met the Japanese prime minister."
    assert _subject_code(nlp, text, date(2017, 1, 10)) == "USAELI"
    assert _subject_code(nlp, text, date(2017, 3, 1)) == "USAGOV"


def test_later_mentions_inherit(nlp: Language) -> None:
    doc = nlp(
        "Turkish Defence Minister Ali Demirkol visited the base. Demirkol praised the troops."
    )
    coder = ActorCoder(doc)
    for tok in doc:
        coder.code(tok)
    later = [t for t in doc if t.text == "Demirkol"][-1]
    actor = coder.code(later)
    assert actor is not None and actor.code == "TURGOV"


PETRARCH = """# test dictionary
JOHN_EXAMPLE_ [ABCGOV 991231-080507]
+J._EXAMPLE
  [ABCELI >080508]
"""


@pytest.mark.parametrize(
    ("name", "when", "expected"),
    [
        ("John Example", date(2005, 1, 1), "ABCGOV"),
        ("J. Example", date(2010, 1, 1), "ABCELI"),
        ("John Example", date(1990, 1, 1), None),
        ("Nobody", date(2005, 1, 1), None),
    ],
)
def test_petrarch_import(name: str, when: date, expected: str | None) -> None:
    assert parse_petrarch(PETRARCH).lookup(name, when) == expected


def test_yaml_and_csv_lists(tmp_path: Path) -> None:
    y = tmp_path / "a.yaml"
    y.write_text(
        "actors:\n  - names: [Jane Roe]\n    codes:\n"
        "      - {code: XYZGOV, start: 2020-01-01, end: 2020-12-31}\n",
        encoding="utf-8",
    )
    c = tmp_path / "a.csv"
    c.write_text("name,code,start,end\nJane Roe,XYZOPP,2021-01-01,\n", encoding="utf-8")
    assert load_actor_dictionary(y).lookup("jane roe", date(2020, 6, 1)) == "XYZGOV"
    assert load_actor_dictionary(c).lookup("Jane Roe", date(2022, 6, 1)) == "XYZOPP"
    assert load_actor_dictionary(c).lookup("Jane Roe", date(2020, 6, 1)) is None


def test_bad_lists_raise(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("who,what\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_actor_dictionary(bad)
    with pytest.raises(InputError):
        load_actor_dictionary(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("a.csv", "name,code,start,end\nJane Roe,XYZGOV,,\nJim Roe,XYZGOV,2020-13-01,\n", "line 3"),
        ("b.csv", "# a comment\nname,code\nJane Roe,\n", "line 3"),
        ("c.txt", "JANE_ROE_ [XYZGOV 090121-130201]\n+ROE\nJIM_ROE_ [XYZGOV 991399]\n", "line 3"),
        (
            "d.yaml",
            "actors:\n  - names: [Jane Roe]\n    codes: [{code: X, start: nope}]\n",
            "actor 1",
        ),
        ("e.yaml", "actors: [unclosed\n", "not valid YAML"),
    ],
)
def test_malformed_lists_name_the_file_line_and_reason(
    tmp_path: Path, name: str, content: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=f"{name}.*{where}|{name}: {where}"):
        load_actor_dictionary(path)


def test_a_dated_role_wins_over_the_undated_default() -> None:
    # regression: codes were tried in file order, so an undated default listed first hid
    # every dated role after it
    text = "JANE_ROE_\n  [XYZELI]\n  [XYZGOV 090121-130201]\n"
    found = parse_petrarch(text)
    assert found.lookup("Jane Roe", date(2010, 1, 1)) == "XYZGOV"
    assert found.lookup("Jane Roe", date(2016, 1, 1)) == "XYZELI"


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # a person the bundled Phoenix list knows, with the role of the day
        ("Hillary Clinton met Iraqi officials.", date(2010, 6, 1), "USAGOV"),
        ("Hillary Clinton met Iraqi officials.", date(2014, 6, 1), "USAELI"),
        # a major-party presidential candidate (data/actors/us_politics.yaml): a party actor
        ("Hillary Clinton met Iraqi officials.", date(2016, 6, 1), "USAPTY"),
        # the text's own title is newer than the list's role
        ("Senator Hillary Clinton met Iraqi officials.", date(2003, 6, 1), "USALEG"),
    ],
)
def test_people_get_their_role_from_the_bundled_list(
    nlp: Language, text: str, published: date, expected: str
) -> None:
    if people_dictionary() is None:
        pytest.skip("data/actors/phoenix.csv is not built")
    doc = nlp(text)
    coder = ActorCoder(doc, extract_entities(doc), published)
    subject = next(t for t in doc if t.dep_ == "nsubj")
    actor = coder.code(subject)
    assert actor is not None and actor.code == expected


@pytest.mark.parametrize(
    ("name", "country", "has_coords"),
    [
        ("Astana", "KAZ", True),
        ("Kabul", "AFG", True),
        ("Aleppo", "SYR", True),
        ("France", "FRA", False),
        # first-level divisions (ISO 3166-2) before other countries' small towns
        ("Florida", "USA", False),
        ("Colorado", "USA", False),
        ("Arizona", "USA", False),
        ("Ontario", "CAN", False),
        # a city's own name wins; alternate names only for large cities
        ("San Francisco", "USA", True),
        ("Bombay", "IND", True),
    ],
)
def test_gazetteer(name: str, country: str, has_coords: bool) -> None:
    place = lookup_place(name)
    assert place is not None and place.country == country
    assert (place.lat is not None) == has_coords


def test_gazetteer_unknown() -> None:
    assert lookup_place("Qwertyville") is None
    # GeoNames lists "Francisco" as an alternate name of a small Cuban town: not indexed
    assert lookup_place("Francisco") is None


# (text, expected code of the first subject): a capital in an organisation's name gives only its
# country, and the name's last word its sector; a phrase with a title but no country takes the
# country of a place it names, or the document's home country
ORG_AND_HOME = [
    ("The Washington Post criticized the senator.", "USAMED"),
    ("The Moscow Times reported the decision.", "RUSMED"),
    ("Gov. Terry Branstad of Iowa criticized the plan.", "USAGOV"),
    (
        "Voters in Iowa and New Hampshire vote next month. Polls in Iowa are close. "
        "Sen. Ted Cruz criticized the plan.",
        "USALEG",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ORG_AND_HOME)
def test_organisations_and_home_country(nlp: Language, text: str, expected: str) -> None:
    doc = nlp(text)
    coder = ActorCoder(doc, extract_entities(doc))
    sent = list(doc.sents)[-1]
    subject = next(t for t in sent if t.dep_ == "nsubj")
    actor = coder.code(subject)
    assert actor is not None and actor.code == expected, (text, actor)


def test_no_home_country_from_one_mention(nlp: Language) -> None:
    """One place mention does not make a home country: a lone name stays uncoded."""
    doc = nlp("Voters in Iowa went to the polls. Ted Cruz criticized the plan.")
    coder = ActorCoder(doc, extract_entities(doc))
    assert coder.home is None


ACTOR_CASES = [
    # the head names the actor; an IGO in a modifier does not ("NATO-member Norway")
    ("NATO-member Norway criticized Russia.", "NOR"),  # country prefix only
    # ethnic groups are coded by where they live
    ("Ethnic Albanians in Serbia demonstrated on Tuesday.", "SRBCVL"),
    # armed movements from the bundled actor list
    ("Hezbollah guerrillas attacked an army post.", "LBNREB"),
    # added countries and demonyms
    ("Fijian rebels seized the parliament building.", "FJIREB"),
    # "pro-" or "anti-" before a demonym is a stance, not a nationality
    ("The pro-Syrian Hezbollah militia shelled an Israeli army post.", "LBN"),
]


def test_igo_country_slot(nlp: Language) -> None:
    """An IGO's actor record carries IGO where a state's country goes (its code: IGONAT)."""
    doc = nlp("NATO announced new exercises.")
    actor = ActorCoder(doc).code(doc[0])
    assert actor is not None and (actor.code, actor.country) == ("IGONAT", "IGO")


@pytest.mark.parametrize(
    "text", ["Jordan Peterson criticized the plan.", "Chad Smith met the mayor."]
)
def test_a_given_name_is_no_country(nlp: Language, text: str) -> None:
    """A person is looked up by full name or surname: the given name "Jordan" is not Jordan."""
    doc = nlp(text)
    actor = ActorCoder(doc).code(doc[1])
    assert actor is None or actor.country not in ("JOR", "TCD"), actor


def test_the_phrase_country_beats_a_namesake(nlp: Language) -> None:
    """A name the dictionaries give another country keeps the country its own phrase names."""
    doc = nlp("King Hassan of Morocco met the envoy.")
    actor = ActorCoder(doc, extract_entities(doc), date(1990, 5, 1)).code(doc[1])
    assert actor is not None and actor.country == "MAR"


@pytest.mark.parametrize(("text", "code"), ACTOR_CASES)
def test_event_source_coding(nlp: Language, text: str, code: str) -> None:
    from newsevents.extract.entities import extract_entities
    from newsevents.extract.events import extract_events

    doc = nlp(text)
    events = extract_events(doc, entities=extract_entities(doc), published=date(2024, 3, 14))
    best = max(events, key=lambda e: e.confidence)
    assert best.source is not None and (best.source.code or "").startswith(code)
