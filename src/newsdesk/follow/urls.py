"""Canonical URLs: one spelling per page, so a page is fetched and stored once.

courlan (trafilatura's URL library) lower-cases scheme and host, drops default
ports, sorts the query and strips the common trackers (``utm_*``, ``fbclid``);
we then drop the fragment (never sent to the server) and the extra tracking
parameters listed in ``data/follow.toml``. Feeds often add ``?ref=rss`` or
``?cmpid=...`` to every link, which would otherwise make each poll look new.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from courlan import normalize_url

from newsdesk.follow.settings import follow_settings

_SCHEMES = ("http", "https")


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host (the only kind we fetch)."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in _SCHEMES and bool(parts.hostname)


def canonical_url(url: str, base: str | None = None, strip: frozenset[str] | None = None) -> str:
    """The canonical form of ``url`` (resolved against ``base`` when relative).

    Raises ValueError for anything that is not an http(s) URL."""
    absolute = urljoin(base, url.strip()) if base else url.strip()
    if not is_http_url(absolute):
        raise ValueError(f"not an http(s) URL: {url!r}")
    normal = normalize_url(absolute)
    parts = urlsplit(normal)
    drop = follow_settings().strip_params if strip is None else strip
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in drop]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


def host_key(url: str) -> str:
    """``scheme://host:port``: the unit robots.txt, rate limits and concurrency apply to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


def site_name(url: str) -> str:
    """The site's domain without ``www.``: the outlet name of last resort."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")
