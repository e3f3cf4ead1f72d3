"""What SOURCES name and what feeds and sitemaps list (pure parsing, no network)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from follow_site import atom, news_sitemap, rss, sitemap_index

from newsdesk.follow import parse_interval
from newsdesk.follow.sources import ListingError, parse_listing, read_sources
from newsdesk.follow.urls import canonical_url

BASE = "http://127.0.0.1:9"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Example.COM:80/a/b?utm_source=x&id=3#top", "http://example.com/a/b?id=3"),
        ("https://example.com/story?ref=rss&fbclid=abc", "https://example.com/story"),
        ("https://example.com/story?b=2&a=1", "https://example.com/story?a=1&b=2"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_canonical_url_strips_tracking_and_fragments(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_canonical_url_refuses_other_schemes() -> None:
    with pytest.raises(ValueError):
        canonical_url("javascript:alert(1)")


def test_rss_entries_are_absolute_canonical_and_dated() -> None:
    listing = parse_listing(f"{BASE}/feed", rss("Gazette", [f"{BASE}/a?utm_source=rss", "/b#c"]), 10**6)
    assert listing.kind == "feed" and listing.title == "Gazette"
    assert [e.url for e in listing.entries] == [f"{BASE}/a", f"{BASE}/b"]
    assert listing.entries[0].published is not None and listing.entries[0].categories == ("Region",)


def test_atom_links_are_read() -> None:
    listing = parse_listing(f"{BASE}/atom", atom("Politics", [f"{BASE}/x", f"{BASE}/y"]), 10**6)
    assert [e.url for e in listing.entries] == [f"{BASE}/x", f"{BASE}/y"]


def test_news_sitemap_gives_publication_dates_and_titles() -> None:
    listing = parse_listing(f"{BASE}/s.xml", news_sitemap(BASE, ["/n/1", "/n/2"]), 10**6)
    assert listing.kind == "sitemap"
    assert [(e.url, e.published.isoformat() if e.published else None, e.title) for e in listing.entries] == [
        (f"{BASE}/n/1", "2026-09-20", "Story 0"), (f"{BASE}/n/2", "2026-09-21", "Story 1"),
    ]


def test_sitemap_index_lists_children_and_gzip_is_opened() -> None:
    index = parse_listing(f"{BASE}/i.xml", sitemap_index(BASE, ["/a.xml", "/b.xml.gz"]), 10**6)
    assert index.kind == "sitemapindex" and [c.url for c in index.children] == [f"{BASE}/a.xml", f"{BASE}/b.xml.gz"]
    zipped = parse_listing(f"{BASE}/b.xml.gz", gzip.compress(news_sitemap(BASE, ["/n/9"])), 10**6)
    assert [e.url for e in zipped.entries] == [f"{BASE}/n/9"]


def test_gzipped_sitemap_over_the_limit_is_refused() -> None:
    with pytest.raises(ListingError, match="after decompression"):
        parse_listing(f"{BASE}/big.xml.gz", gzip.compress(b" " * 100_000), 1000)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</ti', "malformed feed"),
        (b"<html><body><p>just a page</p></body></html>", "not a feed or sitemap"),
        (b"   ", "empty feed"),
    ],
)
def test_unreadable_listings_name_the_url(body: bytes, reason: str) -> None:
    with pytest.raises(ListingError) as caught:
        parse_listing(f"{BASE}/f", body, 10**6)
    assert str(caught.value).startswith(f"{BASE}/f: {reason}")


def test_truncated_feed_keeps_its_readable_entries_and_names_the_problem() -> None:
    body = rss("Cut", [f"{BASE}/a", f"{BASE}/b", f"{BASE}/c"])
    listing = parse_listing(f"{BASE}/f", body[: body.index(b"/b</link>")], 10**6)
    assert [e.url for e in listing.entries] == [f"{BASE}/a"]
    assert listing.problem is not None and listing.problem.startswith("malformed feed")


def test_sitemap_entities_are_not_expanded() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://h/&x;</loc></url></urlset>'
    )
    listing = parse_listing(f"{BASE}/s.xml", evil, 10**6)
    assert all("root:" not in e.url for e in listing.entries)


def test_sources_from_urls_opml_and_text_files(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
        f'<outline text="Gazette" title="The Gazette" type="rss" xmlUrl="{BASE}/g.rss"/>'
        f'<outline text="Planet" xmlUrl="{BASE}/p.rss"/></outline></body></opml>',
        encoding="utf-8",
    )
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# my feeds\n{BASE}/t.rss\n\nnot a url\n{BASE}/g.rss\n", encoding="utf-8")
    specs, errors = read_sources([f"{BASE}/u.rss", str(opml), str(listing), str(tmp_path / "missing.txt")])
    assert [(s.url, s.title) for s in specs] == [
        (f"{BASE}/u.rss", None), (f"{BASE}/g.rss", "The Gazette"), (f"{BASE}/p.rss", "Planet"), (f"{BASE}/t.rss", None),
    ]
    assert errors == [f"{listing}:4: not an http(s) URL: 'not a url'", f"{tmp_path / 'missing.txt'}: neither an http(s) URL nor a readable file"]


@pytest.mark.parametrize(("text", "seconds"), [("90", 90.0), ("30s", 30.0), ("15m", 900.0), ("2h", 7200.0), ("1d", 86400.0)])
def test_interval_parsing(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "0m", "-5s", "soon"])
def test_bad_intervals_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)
