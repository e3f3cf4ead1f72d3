"""``follow`` end to end against the local site: the real fetcher, readers,
cleaner, analyzer, linkers and a SQLite store.

The target scenario of issue 15: three feeds (one malformed, one listing a path
robots.txt disallows) -> every allowed article stored exactly once, nothing
disallowed fetched; a second run fetches nothing new."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from follow_site import Site, quick_settings, running_site

from newsdesk.follow import follow_once
from newsdesk.options import Options
from newsdesk.store import Store


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with running_site() as running:
        yield running


def _urls(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(row[0] for row in conn.execute("SELECT url FROM articles"))


def test_three_feeds_store_each_allowed_article_once_and_rerun_fetches_nothing(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "follow.db"
    options = Options(db_url=f"sqlite:///{db}")
    feeds = [f"{site.base}/feeds/world.rss", f"{site.base}/feeds/politics.atom", f"{site.base}/feeds/broken.rss"]
    lines: list[str] = []
    site.clear()
    report = follow_once(feeds, options, quick_settings(), say=lines.append)

    allowed = ["a1", "a2", "a3", "b1", "b3"]
    assert _urls(db) == [f"{site.base}/news/{name}" for name in allowed]
    assert report.stored == len(allowed)
    assert site.paths("/private") == []  # disallowed by robots.txt: never requested
    assert sorted(site.paths("/news/")) == [f"/news/{name}" for name in allowed]  # each page once
    assert any(line.startswith(f"{site.base}/feeds/broken.rss: malformed feed") for line in lines)
    assert f"{site.base}/private/b2: skipped, disallowed by robots.txt" in lines

    with Store(options.db) as store:
        feeds_by_url = {f.url: f for f in store.list_feeds()}
        assert feeds_by_url[feeds[2]].health == "failing" and "malformed feed" in (feeds_by_url[feeds[2]].last_error or "")
        assert feeds_by_url[feeds[0]].health == "ok" and feeds_by_url[feeds[0]].title == "The Invented Gazette: World"
        assert feeds_by_url[feeds[0]].stored_count == 3 and feeds_by_url[feeds[1]].disallowed_count == 1
        assert store.count_fetches() == len(allowed)
        outlets = {a.outlet for a in store.list_articles(limit=50)}
        assert outlets == {"The Invented Gazette: World", "The Invented Gazette: Politics"}

    site.clear()
    again = follow_once(feeds, options, quick_settings(), say=lines.append)
    assert site.paths("/news/") == [] and again.fetched == 0 and again.stored == 0
    assert again.not_modified == 2  # world and politics answered 304 to their ETags
    assert _urls(db) == [f"{site.base}/news/{name}" for name in allowed]
    with Store(options.db) as store:
        assert store.get_feed(feeds[2]).health == "failing"  # type: ignore[union-attr]  # still broken
        assert store.get_feed(feeds[0]).health == "ok"  # type: ignore[union-attr]


def test_bad_pages_are_named_and_the_rest_go_on(site: Site, tmp_path: Path) -> None:
    options = Options(db_url=f"sqlite:///{tmp_path / 'bad.db'}")
    lines: list[str] = []
    site.busy_left["/bad/busy"] = 1
    report = follow_once([f"{site.base}/feeds/bad.rss", f"{site.base}/sitemap_index.xml"], options, quick_settings(), say=lines.append)

    expected = {
        "/bad/missing": "HTTP 404",
        "/bad/loop1": "redirect loop",
        "/bad/slow": "timed out",
        "/bad/big": "over the size limit",
        "/bad/bomb": "after decompression",
        "/bad/pdf": "is not HTML",
    }
    for path, reason in expected.items():
        assert any(line.startswith(f"{site.base}{path}:") and reason in line for line in lines), (path, lines)
    stored = _urls(tmp_path / "bad.db")
    # d1 plain; /bad/moved redirects to k1 (stored under the URL it ended on); /bad/busy
    # answers 429 once, then a page; c1, c2 from the news sitemap, c3 from the gzipped
    # one, via the sitemap index.
    assert stored == sorted(f"{site.base}{p}" for p in ["/news/d1", "/news/k1", "/bad/busy", "/news/c1", "/news/c2", "/news/c3"])
    assert report.stored == 6
    with Store(options.db) as store:
        health = {f.url: f.health for f in store.list_feeds()}
        known = store.known_urls(f"{site.base}{p}" for p in expected)
        redirect = store.known_urls([f"{site.base}/bad/moved", f"{site.base}/news/k1"])
    assert health[f"{site.base}/feeds/bad.rss"] == "failing"
    assert health[f"{site.base}/sitemap_index.xml"] == "ok" and health[f"{site.base}/sitemaps/more.xml.gz"] == "ok"
    # Permanent failures are logged (not refetched); a timeout is retried next run.
    assert known == {f"{site.base}{p}" for p in expected if p != "/bad/slow"}
    assert redirect == {f"{site.base}/bad/moved", f"{site.base}/news/k1"}  # both ends of the redirect are known


def test_rounds_poll_again_and_find_nothing_new(site: Site, tmp_path: Path) -> None:
    from itertools import islice

    from newsdesk.follow import follow_rounds

    waits: list[float] = []
    options = Options(db_url=f"sqlite:///{tmp_path / 'rounds.db'}")
    rounds = follow_rounds([f"{site.base}/feeds/world.rss"], options, 60.0, quick_settings(), say=lambda _: None, sleep=waits.append)
    first, second = list(islice(rounds, 2))
    rounds.close()
    assert (first.stored, second.stored, second.fetched, second.not_modified) == (3, 0, 0, 1)
    assert len(waits) == 1 and 0 < waits[0] <= 60.0


def test_unchanged_sitemap_index_still_polls_its_children(site: Site, tmp_path: Path) -> None:
    options = Options(db_url=f"sqlite:///{tmp_path / 'index.db'}")
    index = f"{site.base}/sitemap_index.xml"
    first = follow_once([index], options, quick_settings(), say=lambda _: None)
    assert first.stored == 3
    site.extra_news.append("/news/k3")  # the news sitemap changes, the index does not
    try:
        site.clear()
        second = follow_once([index], options, quick_settings(), say=lambda _: None)
    finally:
        site.extra_news.clear()
    assert second.not_modified == 2  # the index and the gzipped sitemap
    assert second.stored == 1 and site.paths("/news/") == ["/news/k3"]


def test_archive_can_be_ingested_offline(site: Site, tmp_path: Path) -> None:
    from newsdesk.corpus import ingest_paths

    archive = tmp_path / "warc"
    follow_once([f"{site.base}/feeds/world.rss"], Options(db_url=f"sqlite:///{tmp_path / 'a.db'}"), quick_settings(), archive=archive, say=lambda _: None)
    files = list(archive.glob("*.warc.gz"))
    assert len(files) == 1
    offline = ingest_paths(files, Options(db_url=f"sqlite:///{tmp_path / 'offline.db'}"))
    assert offline.ingested == 3 and not offline.failed
