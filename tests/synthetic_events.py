"""Synthetic articles with coded events for the cluster and export tests (no spaCy needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from newsevents.model import Actor, Article, Event, Location, Span, make_id


@dataclass(frozen=True)
class Report:
    """One article reporting one event: who did what to whom, when, where, from which outlet."""

    name: str
    domain: str | None
    published: date
    source: str | None = "RUSMIL"
    target: str | None = "UKR"
    cameo: str = "190"
    plover: str | None = "ASSAULT"
    modality: str = "asserted"
    place: str | None = "Kharkiv"
    confidence: float = 0.7
    fingerprint: tuple[int, ...] = ()
    source_text: str = "Russian forces"


PLACES = {
    "Kharkiv": Location("Kharkiv", "UKR", 49.99, 36.23),
    "Kyiv": Location("Kyiv", "UKR", 50.45, 30.52),
    "Ukraine": Location("Ukraine", "UKR", None, None),
    "Moscow": Location("Moscow", "RUS", 55.75, 37.62),
}


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


def article(r: Report) -> Article:
    """Return an article whose one event is the report's."""
    lead = f"{r.source_text} shelled Kharkiv on Monday, officials said."
    text = f"{lead}\n\nThe attack, reported by {r.name}, damaged several buildings."
    sentence = _span(text, lead)
    src = _span(text, r.source_text)
    tgt = _span(text, "Kharkiv")
    event = Event(
        id=make_id("event", r.name),
        cameo=r.cameo,
        plover_type=r.plover,
        plover_mode=None,
        quad_class=4,
        goldstein=-10.0,
        source=Actor(src.text, src.start, src.end, "Russia", r.source, "RUS", "MIL")
        if r.source
        else None,
        target=Actor(tgt.text, tgt.start, tgt.end, "Ukraine", r.target, "UKR", None)
        if r.target
        else None,
        trigger=_span(text, "shelled"),
        sentence_start=sentence.start,
        sentence_end=sentence.end,
        date=r.published,
        location=PLACES[r.place] if r.place else None,
        modality=r.modality,
        attributed_to=None,
        confidence=r.confidence,
    )
    return Article(
        id=make_id("article", r.name),
        source_path=f"{r.name}.txt",
        text=text,
        url=f"https://{r.domain}/{r.name}" if r.domain else None,
        title=f"Shelling in Kharkiv ({r.name})",
        published=r.published,
        language="en",
        source_domain=r.domain,
        events=(event,),
        fingerprint=r.fingerprint,
    )


DAY = date(2025, 3, 3)
WIRE = tuple(range(1, 9))  # band keys shared by a wire story and its syndicated copy
# One happening: a wire story, its syndicated copy on another site, three independent reports
# (one a day later, one without a place); then reports that are not the same happening.
HAPPENING = (
    Report("wire", "wire.test", DAY, confidence=0.6, fingerprint=WIRE),
    Report("copy", "copy.test", DAY, confidence=0.6, fingerprint=WIRE),
    Report("daily", "daily.test", DAY, confidence=0.9),
    Report("herald", "herald.test", date(2025, 3, 4), place="Ukraine"),
    Report("post", "post.test", date(2025, 3, 5), place=None),
)
OTHERS = (
    Report("later", "later.test", date(2025, 3, 20)),  # outside the date window
    Report("denied", "daily.test", DAY, modality="negated"),  # denied, not reported as done
    Report("elsewhere", "far.test", DAY, place="Moscow"),  # another country
    Report("other-target", "daily.test", DAY, target="POL"),  # another target
    Report("protest", "daily.test", DAY, cameo="141", plover="PROTEST"),  # another type
    Report("nobody", "daily.test", DAY, source=None, target=None),  # no actor codes: alone
)


def articles(reports: tuple[Report, ...] = HAPPENING + OTHERS) -> list[Article]:
    """Return the articles of the reports, in order."""
    return [article(r) for r in reports]
