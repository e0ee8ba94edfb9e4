"""Publication dates written in the text."""

from __future__ import annotations

from datetime import date

import pytest

from newsevents.dates import date_in_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published: January 17, 2017 10:45 GMT\n\nMOSCOW —", date(2017, 1, 17)),
        ("Last updated 3 March 2025\n\nEnvoys met.", date(2025, 3, 3)),
        ("Posted Sept. 5, 2024 by staff", date(2024, 9, 5)),
        ("2024-11-19T10:00 | World\n\nFarmers protest.", date(2024, 11, 19)),
        ("KYIV, March 3 (Newswire) — no year here", None),
        ("February 30, 2025 is not a date", None),
        ("No date at all in this line.", None),
    ],
)
def test_date_in_text(text: str, expected: date | None) -> None:
    assert date_in_text(text) == expected


def test_only_the_top_is_searched() -> None:
    assert date_in_text("x " * 2000 + "January 17, 2017") is None
