"""The CAMEO/PLOVER ontology tables and frame composition."""

from __future__ import annotations

import pytest

from newsevents.errors import ConfigError
from newsevents.extract.events.triggers import compose, lexicon
from newsevents.ontology import PLOVER_TYPES, cameo, cameo_table, is_cameo

CODES = [
    # (code, root, level, quad_class, plover_type)
    ("01", "01", 1, 1, None),
    ("016", "01", 2, 1, None),
    ("020", "02", 2, 1, "REQUEST"),
    ("036", "03", 2, 1, "AGREE"),
    ("042", "04", 2, 1, "CONSULT"),
    ("051", "05", 2, 1, "SUPPORT"),
    ("064", "06", 2, 2, "COOPERATE"),
    ("073", "07", 2, 2, "AID"),
    ("0841", "08", 3, 2, "RETREAT"),
    ("090", "09", 2, 3, "ACCUSE"),
    ("100", "10", 2, 3, "REQUEST"),
    ("112", "11", 2, 3, "ACCUSE"),
    ("120", "12", 2, 3, "REJECT"),
    ("138", "13", 2, 3, "THREATEN"),
    ("141", "14", 2, 4, "PROTEST"),
    ("154", "15", 2, 4, "MOBILIZE"),
    ("163", "16", 2, 4, "COERCE"),
    ("161", "16", 2, 4, "SANCTION"),
    ("173", "17", 2, 4, "COERCE"),
    ("183", "18", 2, 4, "ASSAULT"),
    ("194", "19", 2, 4, "ASSAULT"),
    ("202", "20", 2, 4, "ASSAULT"),
]


@pytest.mark.parametrize(("code", "root", "level", "quad", "ptype"), CODES)
def test_code_facts(code: str, root: str, level: int, quad: int, ptype: str | None) -> None:
    info = cameo(code)
    assert (info.root, info.level, info.quad_class, info.plover_type) == (root, level, quad, ptype)
    assert info.name


def test_every_root_present_with_goldstein() -> None:
    table = cameo_table()
    roots = [c for c in table.values() if c.level == 1]
    assert len(roots) == 20
    assert all(c.goldstein is not None for c in table.values())
    assert cameo("0874").goldstein == 10.0
    assert cameo("183").goldstein == -10.0


def test_all_plover_types_reachable() -> None:
    reached = {c.plover_type for c in cameo_table().values()}
    assert set(PLOVER_TYPES) <= reached


def test_unknown_code_raises() -> None:
    assert not is_cameo("999")
    with pytest.raises(ConfigError):
        cameo("999")


COMPOSE = [
    ("intent", "040", "036"),
    ("intent", "0841", "0353"),
    ("intent", None, "030"),
    ("threat", "190", "1384"),
    ("threat", "163", "1312"),
    ("demand", "0841", "1053"),
    ("reject", "046", "125"),
    ("appeal", "073", "023"),
]


@pytest.mark.parametrize(("frame", "inner", "expected"), COMPOSE)
def test_compose(frame: str, inner: str | None, expected: str) -> None:
    assert compose(frame, inner) == expected


def test_lexicon_codes_are_valid() -> None:
    for entries in lexicon().values():
        for entry in entries:
            assert is_cameo(entry.code)
