"""Polite HTTP fetching for feed items: a timeout, a per-host delay, a clear User-Agent."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

from ..config import ReadLimits
from ..errors import FetchError, InputTooLargeError

_last_request: dict[str, float] = {}
_lock = threading.Lock()


def _wait_for_host(host: str, delay: float) -> None:
    with _lock:
        now = time.monotonic()
        ready = _last_request.get(host, 0.0) + delay
        _last_request[host] = max(now, ready)
    if ready > now:
        time.sleep(ready - now)


def fetch(url: str, limits: ReadLimits) -> bytes:
    """Fetch a URL politely and return its body; raise FetchError with the reason on failure."""
    host = urlparse(url).netloc
    _wait_for_host(host, limits.http_host_delay)
    request = urllib.request.Request(url, headers={"User-Agent": limits.user_agent})
    try:
        with urllib.request.urlopen(request, timeout=limits.http_timeout) as response:
            body: bytes = response.read(limits.max_input_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"fetching {url} failed: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"fetching {url} failed: {reason}; check the URL and the network") from exc
    if len(body) > limits.max_input_bytes:
        raise InputTooLargeError(
            f"{url} is over the {limits.max_input_bytes:,}-byte limit for one article"
        )
    return body
