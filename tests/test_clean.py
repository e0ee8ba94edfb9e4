"""The plain-text cleaner: furniture out, every body sentence in, offsets back to the raw text."""

from __future__ import annotations

import pytest

from newsevents.clean import clean_text, keep_text

BODY = [
    "Foreign ministers from both countries met in Vienna on Tuesday for a second round of talks.",
    "The minister said the sides had agreed to reopen a border crossing by the end of the month.",
    'The talks were "frank and useful," a senior official told reporters.',
]


def _page(*, before: list[str], after: list[str]) -> str:
    return "\n".join([*before, "", *("\n".join([b, ""]) for b in BODY), *after]) + "\n"


FURNITURE = [
    (["Skip to main content", "Home | World | Europe", "Breaking News"], []),
    (["Accessibility links", "Share on Facebook", "Subscribe to our newsletter"], []),
    ([], ["• 16x9 Image", "[Video]", "Share this article"]),
    (
        [],
        [
            "Related stories",
            "Most read",
            "© 2025 Example Media. All rights reserved.",
            "Privacy Policy",
        ],
    ),
    (
        [
            "A caption of a photo shown twice on the page here.",
            "A caption of a photo shown twice on the page here.",
        ],
        [],
    ),
]


@pytest.mark.parametrize(("before", "after"), FURNITURE)
def test_furniture_is_removed_and_body_kept(before: list[str], after: list[str]) -> None:
    raw = _page(before=before, after=after)
    cleaned = clean_text(raw)
    for sentence in BODY:
        assert sentence in cleaned.text
    for line in before + after:
        assert line not in cleaned.text


def test_headline_is_recognised() -> None:
    raw = _page(before=["Breaking News", "Ministers Agree To Reopen Border Crossing"], after=[])
    cleaned = clean_text(raw)
    assert cleaned.title == "Ministers Agree To Reopen Border Crossing"
    assert not cleaned.text.startswith("Ministers Agree")


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        ("With reporting by Example Wire and AFP", "With reporting by Example Wire and AFP"),
        (
            "Reporting by Jane Doe; Editing by John Roe",
            "Reporting by Jane Doe; Editing by John Roe",
        ),
    ],
)
def test_credit_lines_move_to_credits(credit: str, expected: str) -> None:
    raw = _page(before=[], after=[credit, "Our journalists report the news in many languages."])
    cleaned = clean_text(raw)
    assert cleaned.credits == (expected,)
    assert credit not in cleaned.text
    # a credit line near the end closes the body: the promotional text after it is dropped
    assert "Our journalists" not in cleaned.text


def test_wire_dateline_agency_is_credited() -> None:
    raw = "GENEVA (AP) — Envoys met on Monday to discuss a truce.\n\nThey will meet again.\n"
    assert clean_text(raw).agencies == ("AP",)


def test_offsets_map_back_to_raw() -> None:
    raw = _page(before=["Skip to main content", "Breaking News"], after=["Privacy Policy"])
    cleaned = clean_text(raw)
    for sentence in BODY:
        start = cleaned.text.index(sentence)
        raw_start = cleaned.offsets.to_raw(start)
        assert raw[raw_start : raw_start + len(sentence)] == sentence


def test_keep_text_is_identity() -> None:
    raw = "  Share\nSome text.  "
    kept = keep_text(raw)
    assert kept.text == raw
    assert kept.offsets.to_raw(5) == 5


def test_clean_article_is_unchanged_in_substance() -> None:
    raw = "\n\n".join(BODY)
    assert clean_text(raw).text == raw


def test_million_character_line_is_quick_and_kept() -> None:
    line = "word | " * 150_000
    cleaned = clean_text(line + "\n\n" + BODY[0])
    assert BODY[0] in cleaned.text
    assert len(cleaned.text) > 1_000_000


NAV = ["Home", "World", "Europe", "Politics", "Business", "Sport", "Weather", "Contact"]
RELATED = ["Markets slip again", "3 hours ago", "Storm warning issued", "5 hours ago", "Tags"]


def test_block_step_drops_menus_and_link_lists_but_keeps_headings() -> None:
    body = [
        BODY[0],
        BODY[1],
        "Next steps",
        BODY[2],
        "Officials from both sides will meet again in two weeks to review progress on the plan.",
    ]
    raw = "\n".join([*NAV, "Ministers agree to reopen the border crossing", *body, *RELATED])
    cleaned = clean_text(raw)
    assert cleaned.text.split("\n\n") == body
    assert cleaned.title == "Ministers agree to reopen the border crossing"


def test_clean_article_with_headings_keeps_everything() -> None:
    extra = "Officials on both sides said they expected the crossing to handle several thousand"
    extra += " travellers a day once it reopens, and that customs checks would be simplified."
    parts = [BODY[0] + " " + BODY[1], "Background", extra, "Reactions", BODY[2], "It was short."]
    raw = "\n\n".join(parts)
    cleaned = clean_text(raw)
    assert cleaned.text == raw


def test_repeated_long_paragraph_is_kept_once() -> None:
    long_line = " ".join(BODY) + " " + " ".join(reversed(BODY))
    raw = "\n".join([long_line, *NAV, long_line])
    cleaned = clean_text(raw)
    assert cleaned.text == long_line


def test_video_teaser_with_duration_is_dropped() -> None:
    raw = _page(before=[], after=["Watch: Envoys arrive for the talks (2:15)"])
    cleaned = clean_text(raw)
    assert "Envoys arrive" not in cleaned.text
    assert BODY[2] in cleaned.text


def test_headline_skips_byline_and_date() -> None:
    before = [
        "Border crossing to reopen after talks in Vienna",
        "By Jane Doe",
        "3 March 2025 | 10:15",
    ]
    cleaned = clean_text(_page(before=before, after=[]))
    assert cleaned.title == "Border crossing to reopen after talks in Vienna"
    assert cleaned.text.startswith(BODY[0])
