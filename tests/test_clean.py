"""The plain-text cleaner: furniture out, every body sentence in, offsets back to the raw text."""

from __future__ import annotations

import pytest

from newsevents.clean import clean_text, keep_text, take_credits

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


# --- block end: lists and tables after the last paragraph, teaser lists -------------------

LONG = [
    "The festival will return to the riverside park next summer with a longer programme of"
    " concerts, talks and workshops for families, the organisers said on Friday.",
    "Tickets go on sale in the spring, and local residents will again be offered a discount"
    " on day passes, according to a statement published on the festival's website.",
    "The organisers said that the number of visitors had grown by a third since last year"
    " and that they planned to add a second stage near the old boathouse.",
]
MORE = [
    "A spokesman for the town council said the park's lawns had recovered well from the"
    " crowds and that the council would again pay for extra buses on the busiest days.",
    "Several cafes near the park reported their best weekend of the year, and two of them"
    " said they would stay open late on festival nights when the event comes back.",
    "Residents of the streets nearest the stage asked for the music to end earlier, and"
    " the organisers promised to move the last concert of each evening forward by an hour.",
]
TOUR = [
    "The dates announced so far:",
    "May 3 -- Riverside Park, Northtown",
    "May 10 -- Old Market Hall, Easton",
    "May 17 -- Harbour Green, Westport",
]
RESULTS = ["Final standings", "Greenfield 21 14 3 4", "Lakeside 20 12 5 3", "Hillcrest 19 9 6 4"]
PRODUCTS = ["1) A folding camp chair", "http://example.com/p/1", "2) A picnic blanket"]


@pytest.mark.parametrize("tail", [TOUR, RESULTS, PRODUCTS, ["Ingredients", *RESULTS[1:]]])
def test_clean_article_keeps_its_closing_list(tail: list[str]) -> None:
    raw = "\n\n".join([*LONG, *tail])
    assert clean_text(raw).text == raw


@pytest.mark.parametrize(
    "after",
    [
        ["Share on Facebook", "Festival opens new stage", "Local bakery wins prize"],
        ["© 2025 Example Media", "Rain expected all week 3", "Bus routes 4 and 5 change"],
        ["Subscribe", "May 24 -- Somewhere Else, Farville"],
    ],
)
def test_closing_list_stops_at_page_furniture(after: list[str]) -> None:
    raw = "\n".join(["Home", "News", "Events", *LONG, *TOUR, *after])
    text = clean_text(raw).text
    assert text.split("\n\n") == [*LONG, *TOUR]


TEASERS = [
    "Bridge repairs to start in March",
    "2 days ago",
    "The council said the work on the old bridge would close one lane for about six weeks.",
    "New library opens its doors",
    "3 days ago",
    "The library on Station Road has twice as many reading places as the old building had.",
    "School wins robotics contest",
    "4 days ago",
    "Pupils from the town's secondary school built a robot that sorts recycling by colour.",
    "Market moves to the square",
    "5 days ago",
    "The weekly farmers' market will move to the main square from the first week of May.",
]


def test_teaser_list_after_article_is_cut() -> None:
    raw = "\n".join(["Home", "News", *LONG, *MORE, "More from the town", *TEASERS])
    text = clean_text(raw).text
    assert text.split("\n\n")[:6] == [*LONG, *MORE]
    assert "Bridge repairs" not in text
    assert "robot that sorts" not in text


def test_article_with_regular_headings_is_not_trimmed() -> None:
    parts = [LONG[0]]
    for i, paragraph in enumerate([*LONG[1:], *MORE]):
        parts += [f"Part {i + 2}", paragraph]
    raw = "\n\n".join(parts)
    assert clean_text(raw).text == raw


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for our morning newsletter",
        "Subscribe to email alerts from this author",
        "Register for free updates",
    ],
)
def test_newsletter_prompts_are_dropped(line: str) -> None:
    raw = _page(before=[], after=[line])
    assert line not in clean_text(raw).text


@pytest.mark.parametrize(
    ("kept", "expected"),
    [
        ([0, 1, 2, 3], set()),
        ([0, 2, 3], {2}),
        ([1, 2], {1, -1}),
        ([0, 3], {3}),
    ],
)
def test_after_gaps_marks_lines_after_dropped_ones(kept: list[int], expected: set[int]) -> None:
    from newsevents.clean import Line, after_gaps

    before = [Line(i, f"line {i}") for i in range(4)]
    assert after_gaps(before, [before[i] for i in kept]) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["May 3 -- Park", "May 10 -- Hall"], [True, True]),
        (["Greenfield 21 14 3 4"], [True]),
        (["1) A camp chair", "* A blanket", "http://example.com/x"], [True, True, True]),
        (["Local bakery wins prize", "25 things to do"], [False, False]),
        (["A full sentence that ends well."], [True]),
    ],
)
def test_body_like_lines(texts: list[str], expected: list[bool]) -> None:
    from newsevents.clean import _rules
    from newsevents.clean_blocks import body_like, line_score

    params = _rules().blocks
    scores = [line_score(t, params) for t in texts]
    assert body_like(texts, scores, params) == expected


@pytest.mark.parametrize(
    ("scores", "expected_end"),
    [
        ([50.0] * 10, 10),  # all body
        ([50.0, -5.0] * 6, 12),  # a heading before every paragraph: regular, not trimmed
        ([50.0] * 8 + [-5.0, -5.0, 50.0] * 6, 8),  # headline, date, summary, repeated
        ([50.0] * 8 + [-5.0] * 20 + [50.0], 8),
        ([50.0] * 8 + [-5.0, -5.0, 50.0] * 2, 14),  # two short runs: too little to cut
    ],
)
def test_trim_tail(scores: list[float], expected_end: int) -> None:
    from newsevents.clean import _rules
    from newsevents.clean_blocks import trim_tail

    assert trim_tail(scores, 0, len(scores), _rules().blocks) == expected_end


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        ("Jane Roe on March 3, 2025 at 4:05 pm said:", True),
        ("Reply", True),
        ("In a statement on Tuesday, the minister said:", False),
        ("“We are ready,” the minister said at 10:30.", False),
    ],
)
def test_comment_header_ends_the_body(line: str, cut: bool) -> None:
    comment = "I went last year and the queues for the buses were far too long, sadly."
    raw = "\n\n".join([*LONG, line, comment])
    text = clean_text(raw).text
    assert all(p in text for p in LONG)
    assert (comment not in text) is cut


def test_credit_lines_leave_extracted_bodies() -> None:
    """Regression: 'Reporting by …; Editing by …' stayed in bodies taken from HTML pages."""
    body = "\n\n".join([*BODY, "Reporting by Jane Doe in Vienna; Editing by John Roe"])
    cleaned = take_credits(body)
    assert cleaned.credits == ("Reporting by Jane Doe in Vienna; Editing by John Roe",)
    assert cleaned.text == "\n\n".join(BODY)


# --- calls to action, cross-links and leads: rules that hold across sites ----------------

LEAD = (
    "Three protesters were killed in clashes with police near the capital on Friday, officials"
    " in the river province said."
)
STORY = [
    "Officials said the clashes began when police tried to clear a road blocked by supporters"
    " of the former governor, who has refused to accept the result of the vote.",
    "Hospitals in the province treated dozens of people for injuries, and the regional"
    " government declared a curfew that will last until the end of the week.",
    "The interior minister promised an inquiry and called on both sides to return to talks"
    " before the results are certified next month.",
]
TITLE = "Three protesters killed in clashes near capital – Example Daily"
MENU = ["Home", "News", "World", "Business", "Sport"]

PAGES: list[tuple[str, str]] = [
    # a call to action and a cross-link inside the article
    (
        "\n".join(
            [
                TITLE,
                *MENU,
                LEAD,
                STORY[0],
                "Also on example.com Ministers meet to discuss the election crisis",
                STORY[1],
                "Like this story? Share it with a friend!",
                STORY[2],
            ]
        ),
        "\n\n".join([LEAD, *STORY]),
    ),
    # the lead shown twice, as standfirst and as first paragraph: one copy stays
    (
        "\n".join([TITLE, *MENU, LEAD, "By Jane Roe", "3 May 2025", LEAD, *STORY]),
        "\n\n".join([LEAD, *STORY]),
    ),
    # cross-links and prompts after the article, as a class
    (
        "\n".join(
            [
                TITLE,
                *MENU,
                LEAD,
                *STORY,
                "Read also: Curfew extended in two more provinces",
                "Enjoyed this article? Subscribe for more stories like it",
                "Want more news like this? Sign up for our free daily newsletter today",
                "Got a story? Email us your tips and feedback",
            ]
        ),
        "\n\n".join([LEAD, *STORY]),
    ),
]


@pytest.mark.parametrize(("text", "expected"), PAGES)
def test_generated_pages(text: str, expected: str) -> None:
    assert clean_text(text).text == expected


def test_regression_cross_link_line_is_dropped() -> None:
    """Regression: an "Also on <site> …" cross-link between paragraphs stayed in the body."""
    raw = "\n".join([TITLE, LEAD, "Also on example.org Talks collapse again", *STORY])
    assert "Also on" not in clean_text(raw).text


def test_regression_call_to_action_is_dropped() -> None:
    """Regression: "Like this story? Share it with a friend!" stayed in the body."""
    raw = "\n".join([TITLE, LEAD, *STORY, "Like this story? Share it with a friend!"])
    text = clean_text(raw).text
    assert "Like this story" not in text
    assert STORY[2] in text


def test_regression_repeated_lead_survives() -> None:
    """Regression: a lead shown twice (standfirst, first paragraph) lost both copies."""
    raw = "\n".join([TITLE, *MENU, LEAD, "Photo: Police at the scene", LEAD, *STORY])
    text = clean_text(raw).text
    assert text.startswith(LEAD)
    assert text.count(LEAD) == 1


@pytest.mark.parametrize(
    "between",
    [
        ["By Jane Roe | 3 May 2025"],
        ["By Jane Roe", "3 May 2025"],
        ["Jane Roe", "Senior correspondent", "3 May 2025", "5 min read"],
    ],
)
def test_regression_lead_before_byline_joins_the_block(between: list[str]) -> None:
    """Regression: a lead sharing words with the title, cut off by byline lines, was dropped."""
    raw = "\n".join([TITLE, *MENU, LEAD, *between, *STORY])
    text = clean_text(raw).text
    assert text.startswith(LEAD)
    assert all(paragraph in text for paragraph in STORY)


def test_sentence_before_the_block_without_title_words_stays_out() -> None:
    teaser = "Markets in the region closed lower on Friday as investors waited for new figures."
    raw = "\n".join([TITLE, *MENU, teaser, "By Jane Roe", "3 May 2025", *STORY])
    assert teaser not in clean_text(raw).text


def test_repeated_caption_without_title_words_still_goes() -> None:
    caption = "A man walks his dog past a row of old houses on a quiet morning in spring."
    raw = "\n".join([TITLE, caption, LEAD, *STORY, caption])
    assert caption not in clean_text(raw).text


def test_sentences_with_question_and_share_verbs_in_body_stay() -> None:
    body = [
        LEAD,
        "Why did the talks fail? Diplomats blamed the late arrival of the delegations.",
        *STORY,
    ]
    raw = "\n\n".join(body)
    assert clean_text(raw).text == raw


def test_line_features_are_finite_and_named() -> None:
    import math

    from newsevents.clean import _rules
    from newsevents.clean_blocks import FEATURES, line_features

    rules = _rules()
    rows = line_features([TITLE, *MENU, LEAD, *STORY], TITLE, rules.lines.boiler, rules.blocks)
    assert all(len(row) == len(FEATURES) for row in rows)
    assert all(math.isfinite(x) for row in rows for x in row)
    # the lead shares words with the title; the menu does not
    share = FEATURES.index("title_share")
    assert rows[len(MENU) + 1][share] > 0 and rows[1][share] == 0


def test_line_classifier_path_runs_when_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The classifier is off by default (see clean.toml); its path must still work when on."""
    import dataclasses

    from newsevents import clean

    base = clean._rules()
    assert base.lines.weights, "clean_lines.toml weights are installed"
    model = dataclasses.replace(
        base.lines, enabled=True, block_weight=2.5, drop_below=-6.0, edge_below=-6.0
    )
    rules = dataclasses.replace(base, lines=model)
    monkeypatch.setattr(clean, "_rules", lambda: rules)
    raw = "\n".join([TITLE, *MENU, LEAD, *STORY, "Like this story? Share it with a friend!"])
    assert clean.clean_text(raw).text == "\n\n".join([LEAD, *STORY])
