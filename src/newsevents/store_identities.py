"""Speaker identities in the store: the SQL side of ``newsevents.identities``.

``Store.write`` calls ``speakers_touched`` before it replaces a batch's articles and
``assign_identities`` after, in the same transaction: the named speakers (article, name, entity
label) of every name group the batch touches, before or after (``identities.name_group``: a
surname, or a body's longer name, widened by the user's known identities that join groups), are
assigned again by the pure ``identities.assign``. Names of other groups can share no identity
with them, so the result equals assigning the whole database at once: it depends only on what
is stored, never on the order articles arrived in, and storing the same articles again changes
nothing, while a batch's cost does not grow with the database. Part of the store: only code here
and in ``store.py`` touches DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from .identities import Known, assign, known_groups, name_group, name_key

_SPEAKERS = """
SELECT DISTINCT s.article_id, s.speaker_name, e.label
FROM statements s LEFT JOIN entities e ON e.article_id = s.article_id AND e.id = s.speaker_entity_id
WHERE s.speaker_name IS NOT NULL
"""
_IN_GROUPS = " AND s.speaker_group IN (SELECT g FROM _speaker_groups)"
_OF_ARTICLES = (
    "SELECT DISTINCT speaker_group, speaker_identity FROM statements "
    "WHERE speaker_name IS NOT NULL AND article_id IN (SELECT id FROM _speaker_articles)"
)


@dataclass(frozen=True, slots=True)
class Touched:
    """The name groups and identities some articles' named speakers are in."""

    groups: frozenset[str] = frozenset()
    identities: frozenset[str] = frozenset()


def speaker_group(name: str | None, label: str | None) -> str | None:
    """Return the name group stored with a statement's speaker (None for no name)."""
    return name_group(name_key(name, label)) if name else None


def speakers_touched(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> Touched:
    """Return the name groups and identities of these articles' named speakers in the store."""
    if not article_ids:
        return Touched()
    con.register("_speaker_articles", pa.table({"id": pa.array(list(article_ids), pa.string())}))
    try:
        rows = con.execute(_OF_ARTICLES).fetchall()
    finally:
        con.unregister("_speaker_articles")
    return Touched(
        frozenset(str(g) for g, _ in rows if g is not None),
        frozenset(str(i) for _, i in rows if i is not None),
    )


def known(con: duckdb.DuckDBPyConnection) -> tuple[Known, ...]:
    """Return the identities the user supplied, in the order of their file."""
    rows = con.execute(
        "SELECT id, name, wikidata FROM known_identities ORDER BY position"
    ).fetchall()
    names: dict[str, list[str]] = {}
    wikidata: dict[str, str] = {}
    for ident, name, wd in rows:
        names.setdefault(ident, []).append(name)
        if wd:
            wikidata.setdefault(ident, wd)
    return tuple(Known(i, v[0], wikidata.get(i), tuple(v)) for i, v in names.items())


def replace_known(con: duckdb.DuckDBPyConnection, identities: Sequence[Known]) -> None:
    """Replace the user's known identities (call ``assign_identities`` afterwards)."""
    con.execute("DELETE FROM known_identities")
    rows = [
        {"id": k.id, "name": name, "wikidata": k.wikidata, "position": n}
        for n, (k, name) in enumerate((k, v) for k in identities for v in k.variants)
    ]
    if rows:
        con.register("_known", pa.Table.from_pylist(rows))
        try:
            con.execute("INSERT INTO known_identities BY NAME SELECT * FROM _known")
        finally:
            con.unregister("_known")


def assign_identities(
    con: duckdb.DuckDBPyConnection,
    article_ids: Sequence[str] | None = None,
    before: Touched = Touched(),
) -> None:
    """Assign identities to the named speakers of the groups these articles' speakers are (or
    were, ``before``) in and rewrite those groups' identities; ``None``: the whole database."""
    _fill_groups(con)
    users = known(con)
    if article_ids is None:
        rows = con.execute(_SPEAKERS).fetchall()
        stale: set[str] | None = None
    else:
        groups = _widened(before.groups | speakers_touched(con, article_ids).groups, users)
        if not groups and not before.identities:
            return
        con.register("_speaker_groups", pa.table({"g": pa.array(sorted(groups), pa.string())}))
        try:
            rows = con.execute(_SPEAKERS + _IN_GROUPS).fetchall()
            current = con.execute(
                "SELECT DISTINCT speaker_identity FROM statements s WHERE speaker_identity "
                "IS NOT NULL" + _IN_GROUPS
            ).fetchall()
        finally:
            con.unregister("_speaker_groups")
        stale = set(before.identities) | {str(i) for (i,) in current}
    mapping, identities = assign([(a, n, lbl) for a, n, lbl in rows], users)
    if stale is None:
        con.execute("DELETE FROM identities")
    else:
        stale |= {i.id for i in identities}
        if stale:
            con.register("_stale", pa.table({"id": pa.array(sorted(stale), pa.string())}))
            try:
                con.execute("DELETE FROM identities WHERE id IN (SELECT id FROM _stale)")
            finally:
                con.unregister("_stale")
    if not identities:
        return
    ids = pa.Table.from_pylist(
        [
            {
                "id": i.id,
                "name": i.name,
                "kind": i.kind,
                "wikidata": i.wikidata,
                "variants": list(i.variants),
            }
            for i in identities
        ]
    )
    links = pa.Table.from_pylist(
        [{"article_id": a, "speaker_name": n, "identity": i} for (a, n), i in mapping.items()]
    )
    con.register("_identities", ids)
    con.register("_links", links)
    try:
        con.execute("INSERT INTO identities BY NAME SELECT * FROM _identities")
        con.execute(
            "UPDATE statements SET speaker_identity = l.identity FROM _links l "
            "WHERE statements.article_id = l.article_id "
            "AND statements.speaker_name = l.speaker_name "
            "AND statements.speaker_identity IS DISTINCT FROM l.identity"
        )
    finally:
        con.unregister("_identities")
        con.unregister("_links")


def _widened(groups: frozenset[str], users: Sequence[Known]) -> frozenset[str]:
    """Add the groups a known identity joins to one of these (until nothing more is added)."""
    found = set(groups)
    joined = [g for g in known_groups(users) if len(g) > 1]
    grown = True
    while grown:
        grown = False
        for together in joined:
            if not together <= found and not together.isdisjoint(found):
                found |= together
                grown = True
    return frozenset(found)


def _fill_groups(con: duckdb.DuckDBPyConnection) -> None:
    """Give a name group to named speakers stored without one (by an older newsevents)."""
    if not con.execute(
        "SELECT 1 FROM statements WHERE speaker_name IS NOT NULL AND speaker_group IS NULL LIMIT 1"
    ).fetchall():
        return
    missing = con.execute(
        "SELECT s.id, s.speaker_name, e.label FROM statements s LEFT JOIN entities e "
        "ON e.article_id = s.article_id AND e.id = s.speaker_entity_id "
        "WHERE s.speaker_name IS NOT NULL AND s.speaker_group IS NULL"
    ).fetchall()
    fills = pa.Table.from_pylist([{"id": i, "grp": speaker_group(n, lbl)} for i, n, lbl in missing])
    con.register("_fills", fills)
    try:
        con.execute(
            "UPDATE statements SET speaker_group = f.grp FROM _fills f WHERE statements.id = f.id"
        )
    finally:
        con.unregister("_fills")
