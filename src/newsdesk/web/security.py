"""Safety middleware and the static file table of the web UI.

Why pure ASGI middleware (not ``BaseHTTPMiddleware``): the body limit has to act
*before* the route reads the body, by checking ``Content-Length`` and by counting
bytes as they stream in, so an oversized upload is refused without ever being
held in memory. Security headers go on every response, error pages included.

Static files are served from a table built once at start-up from the package's
``web/static`` folder: a request names a key in that table or gets 404, so no
path a client sends (``..``, encoded slashes, absolute paths, symlinks) can ever
reach the file system.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    """Raised inside ``receive`` when a streamed body passes the limit."""


def _wants_json(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    headers = dict(scope.get("headers") or [])
    return path.startswith("/api/") or b"application/json" in headers.get(b"accept", b"")


async def _send_413(scope: Scope, send: Send, limit: int) -> None:
    message = f"request body too large (limit {limit:,} bytes)"
    if _wants_json(scope):
        body = json.dumps({"detail": message}).encode()
        ctype = b"application/json"
    else:
        body = f"<!doctype html><title>413</title><h1>413</h1><p>{message}</p>".encode()
        ctype = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", ctype),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` with 413, before the app reads them.

    A declared ``Content-Length`` over the limit is refused at once; a chunked or
    lying body is counted as it streams and cut off when it passes the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers") or []:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    await _send_413(scope, send, self.max_bytes)
                    return
        received = 0
        exceeded = False
        replaced = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # The app may catch BodyTooLarge and answer (FastAPI turns body parsing
            # errors into 400): whatever it answers, the client gets the 413.
            nonlocal replaced
            if exceeded:
                if message["type"] == "http.response.start" and not replaced:
                    replaced = True
                    await _send_413(scope, send, self.max_bytes)
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            if not replaced:
                await _send_413(scope, send, self.max_bytes)


@dataclass(frozen=True)
class SecurityHeaderValues:
    content_security_policy: str
    referrer_policy: str


class SecurityHeaders:
    """Add CSP (``default-src 'self'``, ``frame-ancestors 'none'``), nosniff,
    frame and referrer headers to every HTTP response."""

    def __init__(self, app: ASGIApp, values: SecurityHeaderValues) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", values.content_security_policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", values.referrer_policy.encode()),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    media_type: str


def load_static_files(package: str = "newsdesk.web", folder: str = "static") -> dict[str, StaticFile]:
    """Every plain file directly in the package's static folder, by name.

    Built once: the static route only looks names up in this table."""
    table: dict[str, StaticFile] = {}
    root = resources.files(package).joinpath(folder)
    for entry in root.iterdir():
        if not entry.is_file() or entry.name.startswith("."):
            continue
        media_type = mimetypes.guess_type(entry.name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type in ("application/javascript", "image/svg+xml"):
            media_type += "; charset=utf-8"
        table[entry.name] = StaticFile(entry.read_bytes(), media_type)
    return table


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None (shown as text, never linked):
    stops ``javascript:``, ``data:`` and similar URLs from an untrusted article."""
    if not url:
        return None
    candidate = url.strip()
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in candidate):
        return None
    return candidate if urlsplit(candidate).scheme.lower() in ("http", "https") else None


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def host_name(value: str) -> str:
    """``Host`` header -> lower-case name without port (``[::1]:8000`` -> ``::1``)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    if _wants_json(scope):
        body, ctype = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{message}</p>".encode()
        ctype = b"text/html; charset=utf-8"
    headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    """Refuse requests a browser was tricked into sending.

    * **Host allow-list** (DNS rebinding): a page on ``evil.example`` whose name
      is re-pointed at 127.0.0.1 reaches this server with ``Host: evil.example``;
      only the loopback names and those given with ``--allow-host`` are served
      (400 otherwise), so such a page can never read the corpus. (A request with
      no Host header at all does not come from a browser and passes.)
    * **Cross-origin writes** (CSRF): a state-changing request (POST, PUT, PATCH,
      DELETE) is refused with 403 when the browser says it comes from another
      site (``Sec-Fetch-Site`` other than ``same-origin``/``none``) or, in older
      browsers that do not send it, when its ``Origin`` is not this server's own
      (``null`` included). Clients that send
      neither (curl, scripts) are not browsers and cannot carry a victim's
      ambient access, so they pass.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = frozenset(host_name(h) for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value.decode("latin-1") for name, value in scope.get("headers") or []}
        host = headers.get(b"host")
        if host is None:  # HTTP/1.0 without Host: not a browser, nothing to rebind
            host = "localhost"
        elif host_name(host) not in self.allowed:
            await _refuse(scope, send, 400, "unknown Host header (serve with --allow-host NAME to allow it)")
            return
        if scope.get("method", "GET").upper() in _UNSAFE_METHODS and not _same_origin(headers, host, scope):
            await _refuse(scope, send, 403, "cross-origin request refused")
            return
        await self.app(scope, receive, send)


def _same_origin(headers: dict[bytes, str], host: str, scope: Scope) -> bool:
    """Whether a write comes from this server's own pages (or from no browser).

    ``Sec-Fetch-Site`` is set by the browser itself and cannot be forged by a
    page, so when present it decides: our own pages send ``Origin: null`` on form
    posts because of ``Referrer-Policy: no-referrer``, while the browser still
    says ``same-origin`` here. Browsers too old to send it fall back to ``Origin``."""
    site = headers.get(b"sec-fetch-site")
    if site is not None:
        return site.strip().lower() in ("same-origin", "none")
    origin = headers.get(b"origin")
    if origin is None:
        return True
    parts = urlsplit(origin.strip())
    scheme = str(scope.get("scheme", "http"))
    return parts.scheme == scheme and parts.netloc.lower() == host.strip().lower()
