"""The cleaner's headline anchor: the article block is the one under the page's headline."""

from __future__ import annotations

import pytest

from newsevents.clean import Line, _rules, clean_text, headline_anchors
from newsevents.clean_blocks import anchored_run

TITLE = "Harbour ferry service to resume after winter repairs | The Coastal Times"

# Teasers for other stories: each a headline glued to a long summary sentence, more text in
# all than the short article below, so the highest-scoring run alone would pick them.
TEASERS = [
    "Council approves new cycle lanesThe council voted on Monday to add four kilometres of"
    " protected lanes along the seafront road, after a consultation that ran all summer.",
    "School kitchens get a makeoverThree primary schools will serve hot lunches again from"
    " January, once the new kitchens pass their inspections in the coming weeks.",
    "Library extends its opening hoursThe central library will open until nine on weekdays,"
    " the head librarian said, adding that volunteers would help run the evening desk.",
    "Storm damage closes coastal pathA stretch of the cliff path remains shut while engineers"
    " check the fences and the steps that were washed away during last week's storm.",
    "Fishing fleet reports a good seasonSkippers said catches were up on last year, helped"
    " by calm weather in the early autumn and a new cold store at the harbour.",
    "Museum reopens its maritime galleryThe refurbished gallery shows ship models, charts and"
    " letters from sailors, and entry stays free for residents of the county.",
]
ARTICLE = [
    "The harbour ferry will run again from Saturday after three months of repairs to its hull.",
    "Engineers replaced two propellers and repainted the deck, the operator said on Friday.",
    "Tickets bought before the closure will still be accepted until the end of the year.",
]


def _page(headline: str | None) -> str:
    lines = [TITLE, "Menu", "News", "Sport", "Latest headlines", *TEASERS, "Weather", "Travel"]
    if headline is not None:
        lines.append(headline)
    lines += ["By Sam Writer", "12 March 2025", *ARTICLE, "Share this article", "Most read"]
    return "\n\n".join(lines) + "\n"


def _lines(texts: list[str]) -> list[Line]:
    out, offset = [], 0
    for text in texts:
        out.append(Line(offset, text))
        offset += len(text) + 1
    return out


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # the headline repeated under the menu is an anchor; other lines are not
        ([TITLE, "Menu", "Harbour ferry service to resume after winter repairs", "Text."], [2]),
        # case and punctuation do not matter
        ([TITLE, "HARBOUR FERRY SERVICE TO RESUME AFTER WINTER REPAIRS!"], [1]),
        # too few of the title's words: a section name that is part of the title
        ([TITLE, "The Coastal Times"], []),
        # words in another order, or words not in the title
        ([TITLE, "Winter repairs for harbour ferry service"], []),
        ([TITLE, "Harbour ferry service to resume after summer repairs"], []),
        # two words only, even if they are the title's start
        ([TITLE, "Harbour ferry"], []),
        ([], []),
        ([TITLE], []),
    ],
)
def test_headline_anchors(texts: list[str], expected: list[int]) -> None:
    lines = _lines(texts)
    found = headline_anchors(lines, _rules())
    assert found == [lines[i].raw_start for i in expected]


@pytest.mark.parametrize(
    ("scores", "anchors", "expected"),
    [
        # no anchor: the highest-scoring run
        ([-50.0, 300.0, 300.0, -500.0, 100.0, 100.0, -50.0], [], (1, 3)),
        # an anchor before the smaller run: it wins (its total is above 0.1 of the best)
        ([-50.0, 300.0, 300.0, -500.0, 100.0, 100.0, -50.0], [4], (4, 6)),
        # the run starts a few lines after the anchor (a byline, a date between)
        ([300.0, 300.0, -50.0, -40.0, -40.0, 100.0, -50.0], [2], (5, 6)),
        # the anchored run is too small beside the best run: the best run stays
        ([-50.0, 3000.0, 3000.0, -500.0, 100.0, -50.0], [3], (1, 3)),
        # the anchor's best run starts too far from it: not anchored
        ([100.0, -50.0] + [-40.0] * 10 + [200.0], [1], (12, 13)),
    ],
)
def test_anchored_run(scores: list[float], anchors: list[int], expected: tuple[int, int]) -> None:
    assert anchored_run(scores, anchors, _rules().blocks) == expected


def test_article_under_its_headline_beats_a_longer_teaser_list() -> None:
    text = clean_text(_page("Harbour ferry service to resume after winter repairs")).text
    assert all(sentence in text for sentence in ARTICLE)
    assert not any(teaser[:30] in text for teaser in TEASERS)


def test_without_a_headline_repeat_the_longest_block_still_wins() -> None:
    text = clean_text(_page(None)).text
    assert any(teaser[:30] in text for teaser in TEASERS)
