"""Speaker identities in the store: the SQL side of ``newsevents.identities``.

``Store.write`` calls ``assign_identities`` after it replaces a batch's articles, in the same
transaction: every named speaker of the database (article, name, entity label) is assigned
again by the pure ``identities.assign``, so the result depends only on what is stored, never on
the order articles arrived in, and storing the same articles again changes nothing. Part of the
store: only code here and in ``store.py`` touches DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from .identities import Known, assign

_SPEAKERS = """
SELECT DISTINCT s.article_id, s.speaker_name, e.label
FROM statements s LEFT JOIN entities e ON e.article_id = s.article_id AND e.id = s.speaker_entity_id
WHERE s.speaker_name IS NOT NULL
"""


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


def assign_identities(con: duckdb.DuckDBPyConnection) -> None:
    """Assign every named speaker its identity and rebuild the identities table."""
    speakers = [(a, n, lbl) for a, n, lbl in con.execute(_SPEAKERS).fetchall()]
    mapping, identities = assign(speakers, known(con))
    con.execute("DELETE FROM identities")
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
