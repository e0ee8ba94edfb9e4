"""End to end in headless Chromium: the sample corpus served by uvicorn, clicked through.

Uses Debian's ``/usr/bin/chromium`` through Playwright (never ``playwright install``). Set
``NEWSEVENTS_SCREENSHOTS=docs/screenshots`` to write the README's screenshots there.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsevents import process

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="no Chromium at /usr/bin/chromium; install it with `apt-get install chromium`",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path) -> Iterator[str]:
    """The sample corpus processed into a database and served on 127.0.0.1 in a thread."""
    import uvicorn

    from newsevents.web import create_app

    db = tmp_path_factory.mktemp("ui") / "sample.duckdb"
    process([sample_corpus], db=db, workers=1)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _shots(tmp_path: Path) -> Path:
    target = os.environ.get("NEWSEVENTS_SCREENSHOTS")
    folder = Path(target) if target else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_events_timeline_to_highlighted_evidence(base_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    shots = _shots(tmp_path)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on(
                "console",
                lambda msg: errors.append(msg.text) if msg.type == "error" else None,
            )

            page.goto(f"{base_url}/events")
            bars = page.locator("svg.timeline rect.bar")
            expect(bars.first).to_be_visible()
            assert bars.count() > 1
            heights = [
                float(h or 0)
                for h in bars.evaluate_all("bs => bs.map(b => b.getAttribute('height'))")
            ]
            assert sum(heights) > 0
            assert sum(int(n) for n in bars.evaluate_all("bs => bs.map(b => b.dataset.n)")) > 1
            page.screenshot(path=str(shots / "events.png"))

            link = page.locator("a.event-link").first
            trigger = link.inner_text().strip()
            event_id = link.get_attribute("data-event")
            link.click()
            page.wait_for_url(f"**/articles/*#hl-{event_id}")
            marker = page.locator(f"#hl-{event_id}")
            expect(marker).to_be_visible()
            expect(marker).to_have_class("mark mark-event active")
            active_trigger = page.locator("span.r-trigger.active")
            expect(active_trigger.first).to_be_visible()
            assert trigger in " ".join(active_trigger.all_inner_texts())
            sentence = " ".join(page.locator("span.r-sentence.active").all_inner_texts())
            assert trigger in sentence
            page.screenshot(path=str(shots / "article.png"))

            # ... and back: the marker links to the record in the list beside the text.
            marker.click()
            page.wait_for_url(f"**#rec-{event_id}")
            expect(page.locator(f"#rec-{event_id}")).to_be_visible()

            for name, path in (
                ("actor", "/actors/RUSGOV"),
                ("statements", "/statements"),
                ("search", "/search?q=cease-fire"),
                ("home", "/"),
            ):
                page.goto(base_url + path)
                expect(page.locator("h1")).to_be_visible()
                page.screenshot(path=str(shots / f"{name}.png"))
            assert not errors, errors
        finally:
            browser.close()


def test_network_view(base_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    shots = _shots(tmp_path)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on(
                "console",
                lambda msg: errors.append(msg.text) if msg.type == "error" else None,
            )

            # From the events page, with its filters, to the network drawn from the same events.
            page.goto(f"{base_url}/events?quad=4")
            page.locator("a.see-network").click()
            page.wait_for_url("**/network?quad=4")
            expect(page.locator("svg.network")).to_be_visible()
            edges = page.locator("svg.network a.edge")
            assert edges.count() > 1 and page.locator("svg.network a.node").count() > 2
            hrefs = edges.evaluate_all("es => es.map(e => e.getAttribute('href'))")
            assert all("quad=4" in h and "source=" in h and "target=" in h for h in hrefs)

            page.goto(f"{base_url}/network")  # the whole corpus, for the screenshot
            nodes = page.locator("svg.network a.node")
            expect(nodes.first).to_be_visible()
            assert nodes.count() > 10
            radii = [float(r) for r in nodes.evaluate_all(
                "ns => ns.map(n => n.querySelector('circle').getAttribute('r'))")]  # fmt: skip
            assert max(radii) > min(radii)
            labels = page.locator("svg.network a.node text")
            assert labels.count() > 5
            expect(labels.first).to_be_visible()
            assert "events" in (nodes.first.locator("title").text_content() or "")
            expect(page.locator("svg.network-legend")).to_be_visible()
            page.screenshot(path=str(shots / "network.png"), full_page=True)

            # Clicking an edge (the heaviest whose middle is not under a node) lists its events.
            page.locator("svg.network").scroll_into_view_if_needed()
            source, target, n, x, y = page.locator("svg.network").evaluate(
                """svg => {
                  for (const a of Array.from(svg.querySelectorAll("a.edge")).reverse()) {
                    const p = a.querySelector("path");
                    const m = p.getPointAtLength(p.getTotalLength() / 2)
                      .matrixTransform(p.getScreenCTM());
                    if (a.contains(document.elementFromPoint(m.x, m.y))) {
                      return [a.dataset.source, a.dataset.target, Number(a.dataset.n), m.x, m.y];
                    }
                  }
                  return null;
                }"""
            )
            page.mouse.click(x, y)
            page.wait_for_url(f"**/events?source={source}&target={target}")
            rows = page.locator("table.records.events tbody tr")
            expect(rows.first).to_be_visible()
            assert rows.count() >= n > 0  # codes are prefixes: RUS also lists RUSGOV's
            assert not errors, errors
        finally:
            browser.close()
