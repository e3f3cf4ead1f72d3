"""A fetched page -> a :class:`~newsdesk.model.RawArticle`, with the feed's metadata.

The bytes go through exactly what ``newsdesk ingest`` does for an HTML file
(decode with the HTTP or ``<meta>`` charset, then ``parse_html``), so a followed
page and the same page saved to disk become the same article, with one
exception: the publication date. It is the feed entry's (the publisher's own
metadata), else the date the page declares in its markup or URL, else none. The
date ``parse_html`` reports is not used: trafilatura lets htmldate guess from the
words of the text, and on the real stream in ``bench/eval_follow.py`` 84 of 120
pages without any date markup got one that way (a year the body mentions, as
1 January). The outlet is the feed's title, else the page's site name, else the
domain.
``source`` is the entry's canonical URL (its fetch-log key) and ``url`` the canonical
URL the entry's redirects ended on (the page's real address).
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date

from htmldate import find_date

from newsdesk.follow.fetch import Response
from newsdesk.follow.sources import Entry
from newsdesk.follow.urls import canonical_url, site_name
from newsdesk.ingest.decode import decode_bytes
from newsdesk.ingest.html import declared_charset, parse_html
from newsdesk.ingest.when import parse_date
from newsdesk.model import RawArticle


def content_hash(body: bytes) -> str:
    """SHA-256 of the page bytes: the same page under two URLs is fetched, not analysed twice."""
    return hashlib.sha256(body).hexdigest()


def page_article(response: Response, entry: Entry, outlet: str | None) -> RawArticle:
    """The article of one fetched page. Raises InputError (named with the URL) when
    the page holds no article text or cannot be decoded."""
    source = entry.url
    html = decode_bytes(response.body, source, response.charset or declared_charset(response.body))
    url = canonical_url(response.url)  # where the entry's redirects ended
    raw = parse_html(html, source, url=url, published=entry.published)
    return dataclasses.replace(
        raw,
        source=source,
        url=url,
        outlet=outlet or raw.outlet or site_name(entry.url),
        title=raw.title or entry.title,
        published=entry.published or declared_date(html, url),
    )


def declared_date(html: str, url: str) -> date | None:
    """The publication date the page declares in its markup or URL (meta tags,
    ``<time>``, JSON-LD), never one guessed from the words of the text."""
    try:
        found = find_date(html, extensive_search=False, original_date=True, url=url)
    except Exception:  # noqa: BLE001 (htmldate on broken markup: no date is the honest answer)
        return None
    return parse_date(found)
