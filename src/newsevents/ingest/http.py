"""Polite, guarded HTTP fetching for feeds and their items.

Polite: a timeout, a per-host delay, a User-Agent naming the tool. Guarded (the fetch policy in
the README): only ``http``/``https`` URLs are opened, for the URL asked for and for every
redirect (there is no handler for ``file:``, ``ftp:`` or ``data:`` at all), and the address
actually connected to is checked at each hop: a private, loopback, link-local or otherwise
non-public address may be reached only from a URL the user named, or from a feed that itself
came from a local file or such an address (and never when ``fetch_private_links`` is off) —
so a public feed or redirect can never make newsevents read the local network.
"""

from __future__ import annotations

import http.client
import ipaddress
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlparse

from ..config import ReadLimits
from ..errors import FetchError, InputTooLargeError, UnsafeInputError

SCHEMES = frozenset({"http", "https"})

_last_request: dict[str, float] = {}
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched body, whether every address it came through was private, and its validators
    (the ``ETag`` and ``Last-Modified`` headers, for a conditional GET next time)."""

    body: bytes
    private: bool
    etag: str | None = None
    last_modified: str | None = None


def check_scheme(url: str) -> None:
    """Raise UnsafeInputError unless ``url`` is an http(s) URL with a host."""
    parts = urlparse(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise UnsafeInputError(
            f"refused to fetch {url[:200]!r}: only http:// and https:// URLs are fetched "
            "(never local files or other schemes)"
        )


def is_private(address: str) -> bool:
    """Whether an IP address is not on the public internet (loopback, private, link-local…)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


class _Guard:
    """The private-address rule for one fetch, checked at every connection it makes."""

    def __init__(self, *, named: bool, may_be_private: bool, links_allowed: bool) -> None:
        self.first = named  # the user named this URL: its own address is their choice
        self.may_be_private = may_be_private and links_allowed
        self.links_allowed = links_allowed
        self.all_private = True

    def check(self, host: str, address: str) -> None:
        private = is_private(address)
        self.all_private = self.all_private and private
        if self.first:
            self.first = False
            self.may_be_private = private and self.links_allowed
        elif private and not self.may_be_private:
            raise UnsafeInputError(
                f"refused to connect to {host} ({address}): a private or local address reached "
                "through a feed link or a redirect from a public address (see the fetch policy "
                "in the README)"
            )


def _opener(guard: _Guard) -> urllib.request.OpenerDirector:
    def checked(conn: http.client.HTTPConnection) -> None:
        if conn.sock is not None:
            guard.check(conn.host, str(conn.sock.getpeername()[0]))

    class GuardedHTTP(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            checked(self)

    class GuardedHTTPS(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            checked(self)

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(GuardedHTTP, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(GuardedHTTPS, req, context=self._context)  # type: ignore[attr-defined]

    class Redirects(urllib.request.HTTPRedirectHandler):
        def http_error_302(
            self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any
        ) -> Any:
            location = headers.get("location") or headers.get("uri")
            if location:
                check_scheme(urljoin(req.full_url, location))
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

        def redirect_request(
            self,
            req: urllib.request.Request,
            fp: Any,
            code: int,
            msg: str,
            headers: Any,
            newurl: str,
        ) -> urllib.request.Request | None:
            check_scheme(newurl)
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),  # any other scheme: "unknown url type"
        HTTPHandler(),
        HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        Redirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _wait_for_host(host: str, delay: float) -> None:
    with _lock:
        now = time.monotonic()
        ready = _last_request.get(host, 0.0) + delay
        _last_request[host] = max(now, ready)
    if ready > now:
        time.sleep(ready - now)


def fetch_page(url: str, limits: ReadLimits, *, origin_private: bool | None = None) -> Page:
    """Fetch a URL politely and within the fetch policy; raise FetchError with the reason.

    ``origin_private`` is None for a URL the user named, else whether the feed that links to
    it came from a local file or a private address.
    """
    page = _get(url, limits, origin_private, {})
    assert page is not None  # only a conditional request is answered 304
    return page


def fetch_if_changed(
    url: str, limits: ReadLimits, *, etag: str | None = None, last_modified: str | None = None
) -> Page | None:
    """Fetch a URL the user named with a conditional GET (``If-None-Match: etag``,
    ``If-Modified-Since: last_modified``); return None when the server answers 304 (unchanged)."""
    headers = {"If-None-Match": etag} if etag else {}
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return _get(url, limits, None, headers)


def _get(
    url: str, limits: ReadLimits, origin_private: bool | None, headers: dict[str, str]
) -> Page | None:
    check_scheme(url)
    guard = _Guard(
        named=origin_private is None,
        may_be_private=bool(origin_private),
        links_allowed=limits.fetch_private_links,
    )
    _wait_for_host(urlparse(url).netloc, limits.http_host_delay)
    request = urllib.request.Request(url, headers={"User-Agent": limits.user_agent, **headers})
    try:
        with _opener(guard).open(request, timeout=limits.http_timeout) as response:
            body: bytes = response.read(limits.max_input_bytes + 1)
            etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and headers:
            exc.close()
            return None
        raise FetchError(f"fetching {url} failed: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"fetching {url} failed: {reason}; check the URL and the network") from exc
    if len(body) > limits.max_input_bytes:
        raise InputTooLargeError(
            f"{url} is over the {limits.max_input_bytes:,}-byte limit for one article"
        )
    return Page(body, guard.all_private, etag, modified)


def fetch(url: str, limits: ReadLimits, *, origin_private: bool | None = None) -> bytes:
    """Fetch a URL (see :func:`fetch_page`) and return its body."""
    return fetch_page(url, limits, origin_private=origin_private).body
