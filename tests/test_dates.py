"""The one date reader: dates near the top of a text, in metadata, and in sentences."""

from __future__ import annotations

from datetime import date

import pytest

from newsevents.dates import date_in_text, iso_date, resolve_words, years_in


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


THURSDAY = date(2025, 3, 6)


@pytest.mark.parametrize(
    ("words", "past", "expected"),
    [
        ("on Tuesday", False, date(2025, 3, 4)),
        ("next Tuesday", False, date(2025, 3, 11)),
        ("next Tuesday", True, None),  # said things are not in the future
        ("yesterday", False, date(2025, 3, 5)),
        ("yesterday", True, date(2025, 3, 5)),
        ("tomorrow", True, None),
        ("January 15", False, date(2025, 1, 15)),
        ("15 January", False, date(2025, 1, 15)),
        ("April 10", False, date(2025, 4, 10)),  # nearest: a month ahead
        ("April 10", True, date(2024, 4, 10)),  # nearest before publication
        ("Sept. 5", True, date(2024, 9, 5)),
        ("March 3 , 2019", True, date(2019, 3, 3)),
        ("February 30 , 2025", False, None),
        ("it may rain", False, None),  # a month name counts only capitalised
        ("in 1998", False, None),
    ],
)
def test_resolve_words(words: str, past: bool, expected: date | None) -> None:
    assert resolve_words(words.split(), THURSDAY, past=past) == expected


def test_relative_dates_need_a_publication_date() -> None:
    assert resolve_words(["yesterday"], None) is None
    assert resolve_words(["March", "3", ",", "2019"], None) == date(2019, 3, 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2017-01-17T10:00:00Z", date(2017, 1, 17)), ("2017-13-01", None), ("", None), (None, None)],
)
def test_iso_date(value: object, expected: date | None) -> None:
    assert iso_date(value) == expected


def test_years_in() -> None:
    assert years_in(["in", "1998", "and", "2003", "12345"]) == [1998, 2003]
