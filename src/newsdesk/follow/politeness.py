"""Being a polite crawler: robots.txt per host, a gap between requests, few at once.

Why here and not in httpx: the rules are per host (``scheme://host:port``) and
shared by every thread of a run. Each host gets a semaphore (requests in flight
at once, ``per_host_concurrency``) and a "next request not before" clock spaced
by ``min_delay`` or the site's ``Crawl-delay``, whichever is longer. A 429/503
with ``Retry-After`` pushes the clock for the whole host, not just one URL.
robots.txt is parsed with protego (the parser Scrapy uses; it knows wildcards,
``Allow`` precedence and ``Crawl-delay``) and asked once per host per run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from protego import Protego

from newsdesk.follow.settings import FollowSettings
from newsdesk.follow.urls import host_key

# A robots.txt fetch: the robots URL -> (HTTP status, body), or None when the host
# could not be reached at all.
RobotsLoader = Callable[[str], "tuple[int, bytes] | None"]


@dataclass
class _Host:
    semaphore: threading.Semaphore
    lock: threading.Lock
    robots_lock: threading.Lock
    next_at: float = 0.0
    delay: float = 0.0
    robots: Protego | None = None
    blocked: str | None = None  # why every path of the host is off limits this run
    robots_read: bool = False


class Politeness:
    """Robots rules and pacing for every host a run touches (thread-safe)."""

    def __init__(
        self, settings: FollowSettings, load_robots: RobotsLoader, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.settings = settings
        self._load_robots = load_robots
        self._sleep = sleep
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, url: str) -> _Host:
        key = host_key(url)
        with self._lock:
            host = self._hosts.get(key)
            if host is None:
                host = _Host(
                    threading.Semaphore(self.settings.per_host_concurrency),
                    threading.Lock(),
                    threading.Lock(),
                    delay=self.settings.min_delay,
                )
                self._hosts[key] = host
            return host

    def refusal(self, url: str) -> str | None:
        """Why robots.txt forbids ``url`` to us (None when allowed or robots are off)."""
        if not self.settings.obey_robots:
            return None
        host = self._host(url)
        self._read_robots(url, host)
        if host.blocked:
            return host.blocked
        if host.robots is not None and not host.robots.can_fetch(url, self.settings.user_agent):
            return "disallowed by robots.txt"
        return None

    def _read_robots(self, url: str, host: _Host) -> None:
        with host.robots_lock:  # other threads wait for the verdict, not past it
            if not host.robots_read:
                self._apply_robots(host, self._load_robots(host_key(url) + "/robots.txt"))
                host.robots_read = True

    def _apply_robots(self, host: _Host, loaded: tuple[int, bytes] | None) -> None:
        if loaded is None or loaded[0] >= 500:
            if self.settings.robots_unreachable_blocks:
                host.blocked = "robots.txt unreachable, host skipped this run"
            return
        status, body = loaded
        if status >= 400:  # no robots.txt: everything allowed (RFC 9309)
            return
        host.robots = Protego.parse(body.decode("utf-8", errors="replace"))
        crawl_delay = host.robots.crawl_delay(self.settings.user_agent)
        if crawl_delay:
            host.delay = max(host.delay, min(float(crawl_delay), self.settings.max_wait))

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        """Hold one of the host's request slots, starting no sooner than its pacing allows."""
        host = self._host(url)
        with host.semaphore:
            with host.lock:
                now = time.monotonic()
                start = max(now, host.next_at)
                host.next_at = start + host.delay
            if start > now:
                self._sleep(start - now)
            yield

    def defer(self, url: str, seconds: float) -> None:
        """The host asked us to wait (429/503): no request to it for ``seconds``."""
        host = self._host(url)
        with host.lock:
            host.next_at = max(host.next_at, time.monotonic() + seconds)
