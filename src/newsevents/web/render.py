"""HTML building blocks: evidence highlights from offsets, the SVG timeline.

Everything taken from the database is escaped with markupsafe before it is joined into markup,
so article text containing ``<script>`` or ``onerror=`` shows as text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from ..csv_safe import to_csv as to_csv  # re-exported: the CSV of the web API
from ..ontology import PLOVER_TYPES, QUAD_NAMES

QUAD_COLOURS = {"1": "#7fbf7b", "2": "#1b7837", "3": "#f1a340", "4": "#b2182b", "none": "#999"}
PLOVER_PALETTE = (
    "#1f77b4", "#aec7e8", "#2ca02c", "#98df8a", "#17becf", "#9edae5", "#bcbd22", "#dbdb8d",
    "#ff7f0e", "#ffbb78", "#e377c2", "#f7b6d2", "#9467bd", "#8c564b", "#d62728", "#7f0000",
)  # fmt: skip
PLOVER_COLOURS = dict(zip(PLOVER_TYPES, PLOVER_PALETTE, strict=True)) | {"none": "#999"}
STATEMENT_ROLES = ("speaker", "cue", "content", "continuation")
EVENT_ROLES = ("source", "trigger", "target", "sentence")


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted range of the text and the record it belongs to."""

    start: int
    end: int
    role: str
    record: str


@dataclass(frozen=True, slots=True)
class Record:
    """A statement or event shown beside the text, with its short label (S1, E1)."""

    id: str
    kind: str
    label: str
    row: dict[str, Any]


def records(statements: Sequence[dict[str, Any]], events: Sequence[dict[str, Any]]) -> list[Record]:
    """Label an article's statements S1.. and events E1.., in text order."""
    out = [Record(str(s["id"]), "statement", f"S{i}", s) for i, s in enumerate(statements, 1)]
    out += [Record(str(e["id"]), "event", f"E{i}", e) for i, e in enumerate(events, 1)]
    return out


def spans_of(record: Record) -> list[Span]:
    """Return the highlighted spans of one record (missing or empty parts are left out)."""
    roles = STATEMENT_ROLES if record.kind == "statement" else EVENT_ROLES
    out = []
    for role in roles:
        start, end = record.row.get(f"{role}_start"), record.row.get(f"{role}_end")
        if isinstance(start, int) and isinstance(end, int) and start < end:
            out.append(Span(start, end, role, record.id))
    return out


def highlight(text: str, recs: Sequence[Record]) -> Markup:
    """Return the text as markup with every record's spans wrapped and a marker at each start.

    The text is cut at every span boundary; each piece is escaped and, when spans cover it,
    wrapped in a ``<span>`` naming their roles and records. Spans outside the text are dropped.
    """
    spans = [s for r in recs for s in spans_of(r) if 0 <= s.start < s.end <= len(text)]
    starts: dict[int, list[Span]] = defaultdict(list)
    ends: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        starts[s.start].append(s)
        ends[s.end].append(s)
    first: dict[int, list[Record]] = defaultdict(list)
    for r in recs:
        own = [s.start for s in spans if s.record == r.id]
        if own:
            first[min(own)].append(r)
    bounds = sorted({0, len(text), *starts, *ends})
    active: set[Span] = set()
    parts: list[Markup] = []
    for a, b in pairwise(bounds):
        active -= set(ends.get(a, ()))
        active |= set(starts.get(a, ()))
        for r in first.get(a, ()):
            parts.append(
                Markup(
                    '<a class="mark mark-{}" id="hl-{}" href="#rec-{}" title="{} {}">{}</a>'
                ).format(r.kind, r.id, r.id, r.kind, r.label, r.label)
            )
        piece = escape(text[a:b])
        if active:
            roles = " ".join(sorted({f"r-{s.role}" for s in active}))
            ids = " ".join(sorted({s.record for s in active}))
            parts.append(
                Markup('<span class="{}" data-rec="{}">{}</span>').format(roles, ids, piece)
            )
        else:
            parts.append(piece)
    return Markup("").join(parts)


# The timeline's bin for a range of dates: the finest whose bars stay readable, by the most
# days it may span (a day up to about three months, a week up to two years, a month up to 15).
BUCKET_SPANS = (("day", 92), ("week", 731), ("month", 5479))
MAX_TICKS = 8  # labels on the time axis, at most


def pick_bucket(first: date, last: date) -> str:
    """Return the timeline bin (day, week, month or year) for events from ``first`` to ``last``."""
    days = (last - first).days + 1
    return next((bucket for bucket, most in BUCKET_SPANS if days <= most), "year")


def period_start(day: date, bucket: str) -> date:
    """Return the first day of the period (day, ISO week, month or year) holding ``day``."""
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    if bucket == "year":
        return day.replace(month=1, day=1)
    return day


def rebin(rows: Sequence[dict[str, Any]], bucket: str) -> list[dict[str, Any]]:
    """Return timeline rows (``day``, ``key``, ``n``) counted again per coarser period."""
    counts: dict[tuple[date, str], int] = defaultdict(int)
    for r in rows:
        counts[period_start(r["day"], bucket), r["key"]] += int(r["n"])
    return [{"day": d, "key": k, "n": n} for (d, k), n in sorted(counts.items())]


def _next_period(day: date, bucket: str) -> date:
    return period_end(day, bucket) + timedelta(days=1)


def period_end(day: date, bucket: str) -> date:
    """Return the last day of the period that starts on ``day``."""
    if bucket == "week":
        return day + timedelta(days=6)
    if bucket == "month":
        nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return nxt - timedelta(days=1)
    if bucket == "year":
        return day.replace(month=12, day=31)
    return day


def axis_ticks(first: date, last: date, bucket: str, most: int = MAX_TICKS) -> list[date]:
    """Return the period starts to label on the time axis: evenly spaced, ``first`` included,
    at most ``most`` of them."""
    starts = [period_start(first, bucket)]
    while (nxt := _next_period(starts[-1], bucket)) <= last:
        starts.append(nxt)
    step = -(-len(starts) // most)  # ceiling division
    return starts[::step]


def tick_label(day: date, bucket: str) -> str:
    """Return a period's label on the time axis: 2025, 2025-03 or 2025-03-04."""
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}"}.get(bucket, day.isoformat())


_BAR = (
    '<a href="/events?{}"><rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" '
    'height="{:.1f}" fill="{}" data-day="{}" data-key="{}" data-n="{}">'
    "<title>{}: {} {}</title></rect></a>"
)


def timeline_svg(
    rows: Sequence[dict[str, Any]], stack: str, bucket: str, params: dict[str, Any]
) -> Markup:
    """Return an SVG bar chart of events per period, stacked by quad class or PLOVER type.

    Each bar segment links to the events page for that period and group (other filters kept).
    """
    if not rows:
        return Markup('<p class="empty">No dated events match these filters.</p>')
    width, height, left, bottom, top = 960, 220, 40, 24, 10
    colours = QUAD_COLOURS if stack == "quad" else PLOVER_COLOURS
    totals: dict[date, int] = defaultdict(int)
    for r in rows:
        totals[r["day"]] += int(r["n"])
    first, last = min(totals), max(totals)
    span_days = (period_end(last, bucket) - first).days + 1
    plot_w, plot_h = width - left - 10, height - bottom - top
    step = plot_w / max(span_days, 1)
    bar_w = max(3.0, step * {"day": 1, "week": 7, "month": 30, "year": 365}[bucket] * 0.9)
    peak = max(totals.values())
    order = list(colours)
    out = [
        Markup(
            '<svg class="timeline" role="img" viewBox="0 0 {} {}" width="100%" '
            'aria-label="events per {} stacked by {}">'
        ).format(width, height, bucket, stack),
        Markup('<text x="4" y="{}" class="axis">{}</text>').format(top + 10, peak),
        Markup('<text x="4" y="{}" class="axis">0</text>').format(top + plot_h),
        Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" class="base"/>').format(
            left, top + plot_h, width - 10, top + plot_h
        ),
    ]
    for tick in axis_ticks(first, last, bucket):  # labels along the axis, not only at its ends
        x = left + (tick - first).days * step
        out.append(
            Markup(
                '<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" class="tick"/>'
                '<text x="{:.1f}" y="{}" class="axis tick-label" text-anchor="start">{}</text>'
            ).format(x, top + plot_h, x, top + plot_h + 4, x, height - 6, tick_label(tick, bucket))
        )
    base = {k: v for k, v in params.items() if k not in {"since", "until", "quad", "plover"}}
    base_query = urlencode(base)  # once: the other filters are the same on every bar
    stacked: dict[date, float] = defaultdict(float)
    for r in sorted(
        rows, key=lambda r: (r["day"], order.index(r["key"]) if r["key"] in order else 99)
    ):
        day, key, n = r["day"], str(r["key"]), int(r["n"])
        x = left + (day - first).days * step
        h = plot_h * n / peak
        y = top + plot_h - stacked[day] - h
        stacked[day] += h
        link = dict(since=day.isoformat(), until=period_end(day, bucket).isoformat())
        if key != "none":
            link["quad" if stack == "quad" else "plover"] = key
        query = "&".join(q for q in (base_query, urlencode(link)) if q)
        name = QUAD_NAMES.get(int(key), key) if stack == "quad" and key.isdigit() else key
        # str.format with the text escaped here: Markup.format escapes every number too, and
        # a timeline has hundreds of bars (this loop was most of the /events page's time)
        out.append(
            Markup(
                _BAR.format(
                    escape(query),
                    x,
                    y,
                    bar_w,
                    h,
                    escape(colours.get(key, "#999")),
                    day.isoformat(),
                    escape(key),
                    n,
                    day.isoformat(),
                    n,
                    escape(name),
                )
            )
        )
    out.append(Markup("</svg>"))
    present = {str(r["key"]) for r in rows}
    legend = [
        Markup(
            '<svg class="swatch" width="12" height="12" aria-hidden="true">'
            '<rect width="12" height="12" fill="{}"/></svg>{}'
        ).format(colours[k], QUAD_NAMES.get(int(k), k) if stack == "quad" and k.isdigit() else k)
        for k in order
        if k in present
    ]
    out.append(Markup('<p class="legend">{}</p>').format(Markup(" ").join(legend)))
    return Markup("").join(out)
