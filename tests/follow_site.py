"""A small invented news site on 127.0.0.1 for the ``follow`` tests.

Started by a test (``http.server`` in a thread, port picked by the OS); never
talks to any other address. Serves feeds (RSS, Atom, a malformed one), a
sitemap index with a news sitemap and a gzipped one, article pages, robots.txt
with one disallowed folder, and the bad cases the follower must survive:
redirect loop, 404, a slow response, an oversize page, a gzip bomb, a PDF, a
429 with ``Retry-After: 1``. Listings answer ``If-None-Match`` with 304. Every
request is logged (path, headers) so tests can assert what was, and was not,
fetched.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from test_ingest_cmd import article_text

from newsdesk.follow.settings import FollowSettings, follow_settings

ROBOTS = "User-agent: *\nDisallow: /private/\n"
BOMB_BYTES = 20_000_000


def quick_settings() -> FollowSettings:
    """Politeness shrunk to test scale: no gaps, short timeouts, tiny retry waits."""
    return follow_settings().replace(
        min_delay=0.0, read_timeout=1.0, connect_timeout=2.0, total_timeout=2.5, max_wait=0.05,
        backoff_base=0.01, max_page_bytes=200_000, max_listing_bytes=500_000, workers=4, batch_pages=4,
        contact="tests@example.invalid",
    )


def article_html(index: int, title_suffix: str = "") -> bytes:
    """An invented article page: head metadata, navigation, headline, paragraphs."""
    text = article_text(index, random.Random(1000 + index))
    headline, *paragraphs = [p for p in text.split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in paragraphs)
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(headline + title_suffix)}</title></head><body>"
        "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
        f"<article><h1>{html.escape(headline + title_suffix)}</h1>{body}</article>"
        "<footer>Copyright The Invented Gazette</footer></body></html>"
    ).encode()


def rss(title: str, links: list[str], malformed: bool = False) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{html.escape(link)}</link>"
        f"<pubDate>Tue, 0{1 + i % 8} Sep 2026 10:00:00 GMT</pubDate><category>Region</category></item>"
        for i, link in enumerate(links)
    )
    document = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(title)}</title>{items}</channel></rss>'
    return (document[: document.index("</title>") + 4] if malformed else document).encode("utf-8")


def atom(title: str, links: list[str]) -> bytes:
    entries = "".join(
        f'<entry><title>Entry {i}</title><link href="{html.escape(link)}"/><id>urn:x:{i}</id>'
        f"<updated>2026-09-1{i % 9}T08:00:00Z</updated></entry>"
        for i, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{html.escape(title)}</title>'
        f"<id>urn:x:feed</id><updated>2026-09-19T08:00:00Z</updated>{entries}</feed>"
    ).encode()


def news_sitemap(base: str, paths: list[str]) -> bytes:
    urls = "".join(
        f"<url><loc>{base}{p}</loc><news:news><news:publication>"
        "<news:name>Invented Gazette</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>2026-09-2{i}T09:00:00Z</news:publication_date><news:title>Story {i}</news:title>"
        "</news:news></url>"
        for i, p in enumerate(paths)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def sitemap_index(base: str, paths: list[str]) -> bytes:
    maps = "".join(f"<sitemap><loc>{base}{p}</loc><lastmod>2026-09-2{i}</lastmod></sitemap>" for i, p in enumerate(paths))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'
    ).encode()


@dataclass
class Site:
    """The running site: its base URL, the request log and switches tests flip."""

    base: str = ""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    busy_left: dict[str, int] = field(default_factory=dict)
    slow_seconds: float = 4.0
    page_delay: float = 0.0
    extra_news: list[str] = field(default_factory=list)  # appended to the news sitemap
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self, prefix: str = "/") -> list[str]:
        with self.lock:
            return [p for p, _ in self.requests if p.startswith(prefix)]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()

    # --- content ------------------------------------------------------------------

    def listings(self) -> dict[str, tuple[str, bytes]]:
        b = self.base
        return {
            "/feeds/world.rss": ("application/rss+xml", rss("The Invented Gazette: World", [
                f"{b}/news/a1", f"{b}/news/a2?utm_source=rss&utm_medium=feed", "/news/a3#comments",
            ])),
            "/feeds/politics.atom": ("application/atom+xml", atom("The Invented Gazette: Politics", [
                f"{b}/news/b1", f"{b}/private/b2", f"{b}/news/b3", f"{b}/news/a1?ref=rss",
            ])),
            "/feeds/broken.rss": ("application/rss+xml", rss("Broken", [f"{b}/news/z1"], malformed=True)),
            "/feeds/bad.rss": ("application/rss+xml", rss("Bad pages", [
                f"{b}/news/d1", f"{b}/bad/missing", f"{b}/bad/loop1", f"{b}/bad/slow", f"{b}/bad/big",
                f"{b}/bad/bomb", f"{b}/bad/pdf", f"{b}/bad/moved", f"{b}/bad/busy",
            ])),
            "/feeds/many.rss": ("application/rss+xml", rss("Many", [f"{b}/news/k{i}" for i in range(1, 9)])),
            "/sitemap_index.xml": ("application/xml", sitemap_index(b, ["/sitemaps/news.xml", "/sitemaps/more.xml.gz"])),
            "/sitemaps/news.xml": ("application/xml", news_sitemap(b, ["/news/c1", "/news/c2", *self.extra_news])),
            "/sitemaps/more.xml.gz": ("application/x-gzip", gzip.compress(news_sitemap(b, ["/news/c3"]), mtime=0)),
        }


PAGES = {f"/news/{name}": index for index, name in enumerate(
    ["a1", "a2", "a3", "b1", "b3", "c1", "c2", "c3", "d1", "z1", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"]
)} | {"/private/b2": 99}


@functools.cache
def _bomb() -> bytes:
    """20 MB of spaces gzipped to about 20 kB (made once: it takes a moment)."""
    return gzip.compress(b" " * BOMB_BYTES, compresslevel=9)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.requests.append((self.path, dict(self.headers.items())))
            listings = site.listings()
            if path == "/robots.txt":
                return self.send(200, ROBOTS.encode(), "text/plain")
            if path in listings:
                kind, body = listings[path]
                etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
                if self.headers.get("If-None-Match") == etag:
                    return self.send(304, headers={"ETag": etag})
                return self.send(200, body, kind, {"ETag": etag})
            if path in PAGES:
                time.sleep(site.page_delay)
                return self.send(200, article_html(PAGES[path]))
            return self.bad(path)

        def bad(self, path: str) -> None:
            if path == "/bad/loop1":
                return self.send(302, headers={"Location": "/bad/loop2"})
            if path == "/bad/loop2":
                return self.send(301, headers={"Location": f"{site.base}/bad/loop1"})
            if path == "/bad/moved":
                return self.send(301, headers={"Location": "/news/k1"})
            if path == "/bad/pdf":
                return self.send(200, b"%PDF-1.4 not an article", "application/pdf")
            if path == "/bad/big":
                return self.send(200, b"<html><body>" + b"<p>word word word</p>" * 30_000 + b"</body></html>")
            if path == "/bad/stream":  # no Content-Length: only the streaming count can stop it
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for _ in range(2000):
                        self.wfile.write(b"<p>more words, and more words</p>" * 100)
                except OSError:
                    pass
                self.close_connection = True
                return None
            if path == "/bad/bomb":
                return self.send(200, _bomb(), headers={"Content-Encoding": "gzip"})
            if path == "/bad/busy":
                with site.lock:
                    left = site.busy_left.setdefault(path, 1)
                    site.busy_left[path] = left - 1
                if left > 0:
                    return self.send(429, b"slow down", "text/plain", {"Retry-After": "1"})
                return self.send(200, article_html(PAGES["/news/k2"]))
            if path == "/bad/trickle":  # a byte at a time, never done: only a total deadline stops it
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                try:
                    for _ in range(100):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.05)
                except OSError:
                    pass
                return None
            if path == "/bad/slow":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"<html><body><p>")
                self.wfile.flush()
                time.sleep(site.slow_seconds)
                return None
            return self.send(404, b"not found", "text/plain")

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on purpose (size limits, timeouts) are expected here


@contextmanager
def running_site() -> Iterator[Site]:
    """The site served on 127.0.0.1 (free port) for the duration of the block."""
    site = Site()
    server = _Server(("127.0.0.1", 0), _handler(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
