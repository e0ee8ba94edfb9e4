"""The web server under load: requests per second and latency for 1 and for 20 concurrent clients.

Starts ``newsevents serve`` (the real server, on 127.0.0.1) over a database, then for each number
of clients runs a fixed mix of API and page requests (lists with filters, an article, search,
stats, HTML pages) for a few seconds, every client on its own keep-alive connection, and prints
requests/s, p50 and p99 latency and the errors seen.

Without ``--db`` the database is generated: ``--articles`` synthetic articles (default 100),
each with about 3,000 characters, 12 statements and 12 events, written through ``Store``.

    .venv/bin/python benchmarks/web.py [--db FILE] [--articles 100] [--clients 1,20] [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsevents.model import (  # noqa: E402
    Actor,
    Article,
    Entity,
    Event,
    Mention,
    Span,
    Speaker,
    Statement,
    make_id,
)
from newsevents.store import Store  # noqa: E402

PEOPLE = [
    ("Sergei Lavrov", "RUSGOV"), ("Antony Blinken", "USAGOV"), ("Annalena Baerbock", "DEUGOV"),
    ("Volodymyr Zelensky", "UKRGOV"), ("Claire Duval", "FRAGOV"), ("Marco Rossi", "ITAGOV"),
]  # fmt: skip
EVENTS = [("036", "CONSULT", 1, 4.0), ("112", "ACCUSE", 3, -2.0), ("173", "COERCE", 4, -5.0),
          ("057", "AGREE", 1, 8.0), ("190", "ASSAULT", 4, -10.0)]  # fmt: skip
PATHS = [
    "/api/events?limit=20", "/api/events?actor=RUS&limit=20", "/api/statements?limit=20",
    "/api/statements?speaker=Lavrov", "/api/articles?limit=20", "/api/stats", "/api/actors",
    "/api/search?q=talks", "/api/speakers", "/api/entities?label=PERSON", "/", "/events",
    "/statements", "/articles", "/api/timeline?bucket=week",
]  # fmt: skip


def article(n: int) -> Article:
    """One synthetic article of 12 paragraphs, each a statement and an event with evidence."""
    parts: list[str] = []
    statements, events, mentions = [], [], {}
    pos = 0
    day = date(2025, 1, 1) + timedelta(days=n % 90)
    for i in range(12):
        who, code = PEOPLE[(n + i) % len(PEOPLE)]
        other, other_code = PEOPLE[(n + i + 1) % len(PEOPLE)]
        cameo, plover, quad, goldstein = EVENTS[(n + i) % len(EVENTS)]
        said = f"{who} said the talks on the border would go on for some weeks ({n}.{i})."
        did = f" {who} met {other} in Geneva on Monday to discuss the ceasefire and prisoners."
        para = said + did + " Officials from both sides declined to comment further.\n\n"
        speaker = Span(pos, pos + len(who), who)
        mentions.setdefault(who, []).append(Mention(speaker.start, speaker.end, who))
        cue = pos + said.index("said")
        statements.append(
            Statement(
                id=make_id("statement", n, i),
                kind="indirect",
                speaker=Speaker(who, speaker.start, speaker.end, who, code=code),
                cue=Span(cue, cue + 4, "said"),
                content=Span(cue + 5, pos + len(said), said[cue + 5 - pos :]),
                date=day,
                cue_class="assert",
                confidence=0.5 + (i % 5) / 10,
            )
        )
        s0 = pos + len(said) + 1
        met = s0 + len(who) + 1
        target = met + 4
        events.append(
            Event(
                id=make_id("event", n, i),
                cameo=cameo,
                plover_type=plover,
                plover_mode=None,
                quad_class=quad,
                goldstein=goldstein,
                source=Actor(who, s0, s0 + len(who), who, code=code, country=code[:3]),
                target=Actor(other, target, target + len(other), other, code=other_code),
                trigger=Span(met, met + 3, "met"),
                sentence_start=s0,
                sentence_end=s0 + len(did) - 1,
                date=day,
                location=None,
                modality="asserted",
                attributed_to=None,
                confidence=0.7,
            )
        )
        parts.append(para)
        pos += len(para)
    text = "".join(parts)
    entities = tuple(
        Entity(make_id("entity", "PERSON", name), name, "PERSON", tuple(ms))
        for name, ms in mentions.items()
    )
    return Article(
        id=make_id("article", n),
        source_path=f"story-{n}.txt",
        text=text,
        title=f"Talks go on, day {n}",
        published=day,
        language="en",
        source_domain=f"news{n % 7}.example.com",
        entities=entities,
        statements=tuple(statements),
        events=tuple(events),
    )


def build(path: Path, n: int) -> None:
    """Write ``n`` synthetic articles into a new database at ``path``."""
    with Store(path) as store:
        store.write([article(i) for i in range(n)])


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db: Path, port: int, cache: bool = True) -> subprocess.Popen[bytes]:
    """Start ``newsevents serve`` (its answer cache on or off) and wait until it answers."""
    env = dict(os.environ, **({} if cache else {"NEWSEVENTS_WEB_CACHE_ENTRIES": "0"}))
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsevents", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def load(port: int, clients: int, seconds: float) -> tuple[int, list[float], int]:
    """Run ``clients`` threads for ``seconds``; return requests done, latencies, errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(k: int) -> None:
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        i = k
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                con.request("GET", PATHS[i % len(PATHS)])
                response = con.getresponse()
                response.read()
                failed = response.status != 200
            except (OSError, http.client.HTTPException):  # a dropped connection: count, reopen
                con.close()
                con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                failed = True
            mine.append(time.perf_counter() - t0)
            if failed:
                with lock:
                    errors[0] += 1
            i += 1
        con.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), sorted(latencies), errors[0]


def main() -> None:
    """Build or take the database, serve it, and measure each number of clients."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--clients", default="1,20")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "web.duckdb"
            build(db, args.articles)
        with Store(db, read_only=True) as store:
            counts = store.counts()
        print(
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; {db.name}: {counts['articles']} articles, "
            f"{counts['statements']} statements, {counts['events']} events"
        )
        # The mix repeats its paths, so with the answer cache on (the default) most requests
        # are answered from it; with it off every request reads the database.
        for cache in (True, False):
            print(f"answer cache {'on (default)' if cache else 'off'}:")
            port = free_port()
            proc = serve(db, port, cache)
            try:
                load(port, 2, 2.0)  # warm up
                for clients in (int(c) for c in args.clients.split(",")):
                    done, lat, errors = load(port, clients, args.seconds)
                    p50 = lat[len(lat) // 2] * 1000 if lat else 0.0
                    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else 0.0
                    print(
                        f"  {clients:>3} clients: {done / args.seconds:6.1f} req/s, "
                        f"p50 {p50:6.1f} ms, p99 {p99:6.1f} ms, {errors} errors"
                    )
            finally:
                proc.terminate()
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
