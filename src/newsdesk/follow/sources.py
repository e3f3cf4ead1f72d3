"""What to follow, and what a feed or sitemap lists.

``read_sources`` turns the command line's SOURCES into feed URLs: an http(s) URL
is one; a file is an OPML subscription list (its ``xmlUrl`` outlines, with their
titles) or a text file of URLs, one a line, ``#`` starting a comment.

``parse_listing`` turns fetched bytes into entries. Sitemaps (``urlset``,
``sitemapindex``, Google News ``news:`` extensions, gzipped ``.xml.gz``) are read
with lxml, with entity expansion and network access off; everything else goes to
feedparser (RSS 0.9x-2.0, RSS 1.0/RDF, Atom, JSON Feed), which copes with the
sloppy XML feeds are famous for. A document that yields no feed at all is a
``ListingError``, named with its URL, so the follower marks that feed failing
and goes on.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import feedparser
from lxml import etree

from newsdesk.follow.urls import canonical_url, is_http_url
from newsdesk.ingest.when import parse_date

# feedparser's complaints that do not make a feed unreadable.
_BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
ListingKind = Literal["feed", "sitemap", "sitemapindex"]
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


class ListingError(Exception):
    """A feed, sitemap or source file that could not be read; ``str()`` names it."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where, self.reason = where, reason


@dataclass(frozen=True)
class SourceSpec:
    """A feed URL to poll, with the title an OPML outline gave it."""

    url: str
    title: str | None = None


@dataclass(frozen=True)
class Entry:
    """An article URL a listing announced, with the listing's metadata for it.

    ``categories`` are kept for callers; the article model has no tags field yet,
    so they are not stored (docs/follow.md)."""

    url: str
    title: str | None = None
    published: date | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChildSitemap:
    url: str
    lastmod: date | None = None


@dataclass(frozen=True)
class Listing:
    kind: ListingKind
    title: str | None = None
    entries: list[Entry] = field(default_factory=list)
    children: list[ChildSitemap] = field(default_factory=list)
    # A feed that is not well-formed but still gave entries: they are used, and
    # this reason marks the feed failing so its owner can be told.
    problem: str | None = None


# --- SOURCES arguments -------------------------------------------------------------


def read_sources(arguments: list[str]) -> tuple[list[SourceSpec], list[str]]:
    """Feed URLs from the command line (URLs, OPML files, text files of URLs), and
    one line per argument or line that is neither."""
    specs: list[SourceSpec] = []
    errors: list[str] = []
    for argument in arguments:
        if is_http_url(argument):
            specs.append(SourceSpec(argument.strip()))
            continue
        try:
            specs.extend(_read_source_file(Path(argument), errors))
        except ListingError as exc:
            errors.append(str(exc))
    unique = {spec.url: spec for spec in reversed(specs)}  # first title wins
    return [unique[url] for url in dict.fromkeys(s.url for s in specs)], errors


def _read_source_file(path: Path, errors: list[str]) -> list[SourceSpec]:
    if not path.is_file():
        raise ListingError(str(path), "neither an http(s) URL nor a readable file")
    data = path.read_bytes()
    if b"<opml" in data[:2048].lower():
        return read_opml(data, str(path))
    specs = []
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        text = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not text:
            continue
        if is_http_url(text):
            specs.append(SourceSpec(text))
        else:
            errors.append(f"{path}:{number}: not an http(s) URL: {text[:200]!r}")
    return specs


def read_opml(data: bytes, where: str) -> list[SourceSpec]:
    """The feeds of an OPML subscription list (every outline with an ``xmlUrl``)."""
    root = _xml_root(data, where)
    specs = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url and is_http_url(url):
            specs.append(SourceSpec(url.strip(), outline.get("title") or outline.get("text") or None))
    if not specs:
        raise ListingError(where, "OPML file lists no feed (no outline with an http(s) xmlUrl)")
    return specs


# --- feeds and sitemaps ----------------------------------------------------------


def parse_listing(url: str, body: bytes, max_bytes: int) -> Listing:
    """The entries (or child sitemaps) of a fetched feed or sitemap at ``url``."""
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(url, body, max_bytes)
    if not body.strip():
        raise ListingError(url, "empty feed")
    root_name = _root_name(body)
    if root_name in ("urlset", "sitemapindex"):
        return _parse_sitemap(url, body, root_name)
    return _parse_feed(url, body)


def _root_name(body: bytes) -> str | None:
    """Local name of the document's root element (cheap, no full parse)."""
    try:
        for _, element in etree.iterparse(
            _BytesReader(body), events=("start",), resolve_entities=False, no_network=True
        ):
            return etree.QName(element).localname
    except etree.LxmlError:
        return None
    return None


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.pos + size
        chunk, self.pos = self.data[self.pos : end], min(end, len(self.data))
        return chunk


def _gunzip(url: str, body: bytes, max_bytes: int) -> bytes:
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decoder.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise ListingError(url, f"corrupt gzip data: {exc}") from None
    if len(out) > max_bytes:
        raise ListingError(url, f"sitemap over the size limit of {max_bytes:,} bytes after decompression")
    return out


def _xml_root(data: bytes, where: str) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ListingError(where, f"malformed XML: {exc}") from None


def _parse_sitemap(url: str, body: bytes, root_name: str) -> Listing:
    root = _xml_root(body, url)
    if root_name == "sitemapindex":
        children = [
            ChildSitemap(loc, parse_date(_text(node, "lastmod")))
            for node in _children(root, "sitemap")
            if (loc := _absolute(_text(node, "loc"), url))
        ]
        return Listing("sitemapindex", children=children)
    entries = []
    for node in _children(root, "url"):
        loc = _absolute(_text(node, "loc"), url)
        if not loc:
            continue
        news = node.find(f"{{{_NEWS_NS}}}news")
        title = _text(news, "title", _NEWS_NS) if news is not None else None
        published = parse_date(_text(news, "publication_date", _NEWS_NS)) if news is not None else None
        entries.append(Entry(loc, title, published or parse_date(_text(node, "lastmod"))))
    return Listing("sitemap", entries=entries)


def _children(root: Any, name: str) -> Iterator[Any]:
    """Elements ``name`` in the sitemap namespace, or without one (sloppy generators)."""
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            yield child


def _text(node: Any, name: str, namespace: str = _SITEMAP_NS) -> str | None:
    found = node.find(f"{{{namespace}}}{name}")
    if found is None:
        found = node.find(name)
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


def _absolute(link: str | None, base: str) -> str | None:
    if not link:
        return None
    try:
        return canonical_url(link, base)
    except ValueError:
        return None


def _parse_feed(url: str, body: bytes) -> Listing:
    # Bytes, never a string: feedparser would fetch a string that looks like a URL.
    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": "application/xml"})
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    problem = None
    if error is not None and not isinstance(error, _BENIGN):
        what = "malformed feed" if parsed.get("version") else "not a feed or sitemap"
        problem = f"{what} ({str(error)[:300]})"
    if not parsed.entries and (problem or not parsed.get("version")):
        raise ListingError(url, problem or "not a feed or sitemap")
    entries = [entry for item in parsed.entries if (entry := _entry(item, url)) is not None]
    title = (parsed.feed.get("title") or "").strip() or None
    return Listing("feed", title=title, entries=entries, problem=problem)


def _entry(item: Any, base: str) -> Entry | None:
    link = item.get("link")
    if not link and item.get("guidislink"):
        link = item.get("id")
    url = _absolute(link, base)
    if url is None:
        return None
    stamp = item.get("published_parsed") or item.get("updated_parsed")
    published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None  # feedparser gives UTC
    categories = tuple(t.get("term", "").strip() for t in item.get("tags", []) if t.get("term", "").strip())
    title = (item.get("title") or "").strip() or None
    return Entry(url, title, published, categories)
