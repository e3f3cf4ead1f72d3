"""HTTP for the follower: one httpx client, every limit enforced while streaming.

Why so careful: ``follow`` fetches whatever URLs feeds hand it, from servers we
do not control. Each request has connect/read timeouts plus a total deadline
(a response trickling one byte a second never trips a read timeout); the body
is read in chunks and decompressed by us with a bounded output per step, so the
size limit counts *decoded* bytes and a gzip bomb stops at the limit instead of
filling memory; the content type is checked before the body is read.

Redirects are followed by hand, so every hop is checked against robots.txt,
counted against ``max_redirects`` and a loop is named as such. 429/503 are
retried after ``Retry-After`` (seconds or an HTTP date; without it an
exponential backoff), never longer than ``max_wait``. Conditional GET: the
caller passes the stored ETag / Last-Modified and a 304 comes back as a
``Response`` with status 304 and no body.
"""

from __future__ import annotations

import re
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal, Self
from urllib.parse import urljoin

import httpx

from newsdesk.follow.archive import WarcArchive
from newsdesk.follow.politeness import Politeness
from newsdesk.follow.settings import FollowSettings
from newsdesk.follow.urls import is_http_url

Kind = Literal["page", "listing", "robots"]
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_REDIRECTS = {301, 302, 303, 307, 308}
_ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "listing": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
    "robots": "text/plain,*/*;q=0.1",
}


class FetchError(Exception):
    """A URL that could not be fetched. ``transient``: a later run may succeed
    (timeouts, 5xx, 429), so the URL is not marked done."""

    def __init__(self, url: str, reason: str, status: int = 0, transient: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status, self.transient = url, reason, status, transient


@dataclass(frozen=True)
class Response:
    """A fetched response: ``url`` is where it ended up after redirects."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str:
        return media_type(self.headers.get("content-type"))

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of Content-Type, lower-cased, if any."""
        match = _CHARSET.search(self.headers.get("content-type") or "")
        return match.group(1).lower() if match else None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


def media_type(header: str | None) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    return (header or "").split(";", 1)[0].strip().lower()


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta seconds or an HTTP date), None if absent or garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _Decoder:
    """Content-Encoding undone step by step, never emitting more than the limit allows."""

    def __init__(self, url: str, encoding: str | None, limit: int) -> None:
        self.url, self.limit, self.size = url, limit, 0
        self.name = (encoding or "identity").strip().lower()
        if self.name not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(url, f"unsupported Content-Encoding {self.name!r}")
        self.encoded = self.name not in ("", "identity")
        self._zlib: Any = None  # made on the first bytes: "deflate" may be zlib-wrapped or raw

    def feed(self, data: bytes) -> bytes:
        if not self.encoded:
            return self._count(data)
        if self._zlib is None and data:
            raw_deflate = self.name == "deflate" and (data[0] & 0x0F) != 8  # no zlib header (common)
            wbits = -zlib.MAX_WBITS if raw_deflate else (zlib.MAX_WBITS | (16 if self.name != "deflate" else 0))
            self._zlib = zlib.decompressobj(wbits)
        out = bytearray()
        pending = data
        try:
            while pending:
                out += self._count(self._zlib.decompress(pending, self.limit - self.size + 1))
                pending = self._zlib.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(self.url, f"corrupt compressed body: {exc}") from None
        return bytes(out)

    def _count(self, piece: bytes) -> bytes:
        self.size += len(piece)
        if self.size > self.limit:
            how = " after decompression" if self.encoded else ""
            raise FetchError(self.url, f"response over the size limit of {self.limit:,} bytes{how}")
        return piece


class Fetcher:
    """The run's HTTP client with politeness, limits, retries and the optional archive."""

    def __init__(
        self, settings: FollowSettings, archive: WarcArchive | None = None, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.settings, self.archive, self._sleep = settings, archive, sleep
        timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
        self.client = httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self.politeness = Politeness(settings, self._robots, sleep)
        self.requests = 0
        self._count_lock = threading.Lock()

    def close(self) -> None:
        """Close the HTTP client (the archive belongs to the caller, who may reuse it)."""
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- public -------------------------------------------------------------------

    def get(self, url: str, kind: Kind = "page", etag: str | None = None, last_modified: str | None = None) -> Response:
        """Fetch ``url`` politely; raises FetchError with a one-line reason."""
        seen: list[str] = []
        current = url
        while True:
            if kind != "robots" and (refusal := self.politeness.refusal(current)):
                raise FetchError(current, refusal)
            response = self._with_retries(current, kind, etag, last_modified)
            if response.status not in _REDIRECTS:
                return self._checked(response, kind)
            seen.append(current)
            current = self._next_hop(current, response, seen)

    # --- steps --------------------------------------------------------------------

    def _next_hop(self, url: str, response: Response, seen: list[str]) -> str:
        location = response.headers.get("location")
        if not location:
            raise FetchError(url, f"HTTP {response.status} redirect without a Location", response.status)
        target = urljoin(url, location.strip())
        if not is_http_url(target):
            raise FetchError(url, f"redirect to a non-http URL {target[:200]!r}", response.status)
        if target in seen:
            raise FetchError(seen[0], f"redirect loop ({len(seen)} hops back to {target})", response.status)
        if len(seen) > self.settings.max_redirects:
            raise FetchError(seen[0], f"more than {self.settings.max_redirects} redirects", response.status)
        return target

    def _with_retries(self, url: str, kind: Kind, etag: str | None, last_modified: str | None) -> Response:
        attempt = 0
        while True:
            response = self._once(url, kind, etag, last_modified)
            if response.status not in self.settings.retry_statuses:
                return response
            if attempt >= self.settings.max_retries:
                raise FetchError(
                    url, f"HTTP {response.status} after {attempt + 1} tries", response.status, transient=True
                )
            asked = retry_after(response.headers.get("retry-after"))
            wait = asked if asked is not None else self.settings.backoff_base * 2**attempt
            self.politeness.defer(url, min(wait, self.settings.max_wait))
            attempt += 1

    def _checked(self, response: Response, kind: Kind) -> Response:
        status = response.status
        if kind == "robots" or status in (200, 203, 304):
            return response
        transient = status >= 500 or status == 408
        raise FetchError(response.url, f"HTTP {status}", status, transient=transient)

    def _headers(self, etag: str | None, last_modified: str | None, kind: Kind) -> dict[str, str]:
        headers = {"Accept": _ACCEPT[kind]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    def _once(self, url: str, kind: Kind, etag: str | None, last_modified: str | None) -> Response:
        """One request/response, body read within every limit, archived."""
        with self.politeness.slot(url):
            deadline = time.monotonic() + self.settings.total_timeout  # from the request, not the queue
            with self._count_lock:
                self.requests += 1
            try:
                with self.client.stream("GET", url, headers=self._headers(etag, last_modified, kind)) as raw:
                    body = self._body(url, raw, kind, deadline)
                    response = Response(url, raw.status_code, raw.headers, body)
                    reason = raw.reason_phrase
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out ({type(exc).__name__})", transient=True) from None
            except httpx.HTTPError as exc:
                raise FetchError(url, f"{type(exc).__name__}: {exc}"[:300], transient=True) from None
        if self.archive is not None:
            self.archive.write(url, response.status, reason, list(response.headers.multi_items()), body)
        return response

    def _body(self, url: str, raw: httpx.Response, kind: Kind, deadline: float) -> bytes:
        status = raw.status_code
        if status not in (200, 203) and kind != "robots":
            return b""  # redirects, 304, errors: the status is all we use
        self._check_type(url, raw, kind)
        limit = self.settings.max_page_bytes if kind == "page" else self.settings.max_listing_bytes
        declared = raw.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit and "content-encoding" not in raw.headers:
            raise FetchError(url, f"response over the size limit of {limit:,} bytes (Content-Length {int(declared):,})")
        decoder = _Decoder(url, raw.headers.get("content-encoding"), limit)
        out = bytearray()
        for chunk in raw.iter_raw():  # as the network delivers, so the deadline is checked often
            if time.monotonic() > deadline:
                raise FetchError(
                    url, f"response slower than {self.settings.total_timeout:g}s, abandoned", transient=True
                )
            out += decoder.feed(chunk)
        return bytes(out)

    def _check_type(self, url: str, raw: httpx.Response, kind: Kind) -> None:
        if kind == "robots":
            return
        allowed = self.settings.page_types if kind == "page" else self.settings.listing_types | self.settings.page_types
        found = media_type(raw.headers.get("content-type"))
        if found and found not in allowed:
            raise FetchError(url, f"content type {found!r} is not {'HTML' if kind == 'page' else 'a feed or sitemap'}")

    def _robots(self, robots_url: str) -> tuple[int, bytes] | None:
        """robots.txt for the politeness rules (redirects followed, as RFC 9309 asks)."""
        try:
            response = self.get(robots_url, kind="robots")
        except FetchError:
            return None
        return response.status, response.body
