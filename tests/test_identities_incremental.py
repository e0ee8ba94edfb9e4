"""Identities assigned batch by batch equal identities assigned over the whole database at once.

A batch reassigns only the name groups (``identities.name_group``) its speakers are or were in,
so its cost does not grow with the database; these tests check, on generated batches of
speakers (shared surnames, full names, bodies, labels, replaced articles, known identities),
that the result is exactly what one assignment of everything stored gives.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsevents.identities import Known, name_group, name_key
from newsevents.model import Article, Entity, Mention, Span, Speaker, Statement, make_id
from newsevents.store import Store
from newsevents.store_identities import assign_identities

NAMES = [
    ("Maria Lindqvist", "PERSON"),
    ("Lindqvist", "PERSON"),
    ("Erik Lindqvist", "PERSON"),
    ("Ms. Lindqvist", "PERSON"),
    ("Tomas Okafor", "PERSON"),
    ("Okafor", "PERSON"),
    ("Okafor", "ORG"),
    ("the Harbour Board", "ORG"),
    ("Harbour Board", "ORG"),
    ("Port Authority", "ORG"),
    ("Dana Reyes", "PERSON"),
    ("Reyes", None),
]
KNOWN = (Known("K1", "Dana Reyes", None, ("Dana Reyes", "the Harbour Board")),)

# one batch: articles, each (article number, its speakers as indices into NAMES)
batches = st.lists(
    st.lists(
        st.tuples(st.integers(0, 6), st.lists(st.integers(0, len(NAMES) - 1), max_size=3)),
        min_size=1,
        max_size=3,
    ),
    min_size=1,
    max_size=4,
)


def _article(number: int, speakers: Sequence[int]) -> Article:
    """An article whose statements are by the given speakers (replaces any earlier number)."""
    statements, entities = [], []
    for k, index in enumerate(speakers):
        name, label = NAMES[index]
        entity_id = None
        if label is not None:
            entity_id = make_id("entity", number, k)
            entities.append(Entity(entity_id, name, label, (Mention(10 * k, 10 * k + 4, name),)))
        statements.append(
            Statement(
                id=make_id("statement", number, k, index),
                kind="direct",
                speaker=Speaker(name, 0, 4, name, entity_id),
                cue=Span(5, 9, "said"),
                content=Span(10, 20, "the talks"),
                date=None,
            )
        )
    return Article(
        id=f"a{number}",
        source_path=f"a{number}.txt",
        text=f"Article {number}: someone said the talks went on.",
        entities=tuple(entities),
        statements=tuple(statements),
    )


def _state(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    identities = store.con.execute(
        "SELECT id, name, kind, wikidata, variants FROM identities ORDER BY id"
    ).fetchall()
    links = store.con.execute("SELECT id, speaker_identity FROM statements ORDER BY id").fetchall()
    return identities, links


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=batches, with_known=st.booleans())
def test_batch_by_batch_equals_all_at_once(
    batches: list[list[tuple[int, list[int]]]], with_known: bool
) -> None:
    """Whatever the batches and replacements, the incremental result is the whole one."""
    with Store(":memory:") as store:
        if with_known:
            store.set_identities(KNOWN)
        for batch in batches:
            store.write([_article(n, speakers) for n, speakers in batch])
        incremental = _state(store)
        store._transaction(lambda: assign_identities(store.con))  # everything at once
        assert _state(store) == incremental


# (key, group): a surname, alone or with a given name, and a body's single word share a group
GROUPS = [
    ("Maria Lindqvist", "PERSON", "lindqvist"),
    ("Lindqvist", "PERSON", "lindqvist"),
    ("Lindqvist", "ORG", "lindqvist"),
    ("the Harbour Board", "ORG", "b:harbour board"),
]


def test_name_groups() -> None:
    """Names that can share an identity are in one group."""
    for name, label, group in GROUPS:
        assert name_group(name_key(name, label)) == group


def test_old_database_rows_get_their_group() -> None:
    """Speakers stored without a group (an older newsevents) are given one, then joined."""
    with Store(":memory:") as store:
        store.write([_article(1, [1])])  # "Lindqvist"
        store.con.execute("UPDATE statements SET speaker_group = NULL")
        store.write([_article(2, [0])])  # "Maria Lindqvist" joins the earlier "Lindqvist"
        rows = store.con.execute(
            "SELECT DISTINCT speaker_group, speaker_identity FROM statements"
        ).fetchall()
    assert len(rows) == 1 and rows[0][0] == "lindqvist"
