"""The follower's HTTP layer against a local site: limits, redirects, retries,
conditional GET, robots.txt and the User-Agent. No spaCy needed: fast."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from follow_site import BOMB_BYTES, Site, quick_settings, running_site

from newsdesk.follow.archive import WarcArchive
from newsdesk.follow.fetch import Fetcher, FetchError, retry_after


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with running_site() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(quick_settings()) as client:
        yield client


def _error(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.get(url)
    return caught.value


def test_page_fetched_with_user_agent_naming_contact(site: Site, fetcher: Fetcher) -> None:
    site.clear()
    response = fetcher.get(f"{site.base}/news/a1")
    assert response.status == 200 and b"<article>" in response.body
    agents = {headers.get("User-Agent") for path, headers in site.requests if path == "/news/a1"}
    assert agents == {"newsdesk/0.1.0 (+tests@example.invalid)"}
    assert site.paths("/robots.txt") == ["/robots.txt"]  # asked once, before the page


def test_robots_disallowed_path_is_never_requested(site: Site, fetcher: Fetcher) -> None:
    site.clear()
    error = _error(fetcher, f"{site.base}/private/b2")
    assert "robots.txt" in error.reason and not error.transient
    assert site.paths("/private") == []


def test_listing_conditional_get_returns_304(site: Site, fetcher: Fetcher) -> None:
    first = fetcher.get(f"{site.base}/feeds/world.rss", "listing")
    assert first.status == 200 and first.etag
    second = fetcher.get(f"{site.base}/feeds/world.rss", "listing", etag=first.etag)
    assert second.status == 304 and second.body == b""


@pytest.mark.parametrize(
    ("path", "reason", "transient"),
    [
        ("/bad/missing", "HTTP 404", False),
        ("/bad/loop1", "redirect loop", False),
        ("/bad/slow", "timed out", True),
        ("/bad/big", "over the size limit of 200,000 bytes", False),
        ("/bad/stream", "over the size limit of 200,000 bytes", False),
        ("/bad/bomb", "after decompression", False),
        ("/bad/pdf", "content type 'application/pdf' is not HTML", False),
    ],
)
def test_bad_responses_fail_with_a_reason(site: Site, fetcher: Fetcher, path: str, reason: str, transient: bool) -> None:
    error = _error(fetcher, f"{site.base}{path}")
    assert reason in error.reason
    assert error.transient is transient
    assert str(error).startswith(f"{site.base}/bad/")


def test_endless_trickle_stops_at_total_timeout(site: Site) -> None:
    with Fetcher(quick_settings().replace(read_timeout=1.0, total_timeout=0.3)) as client:
        error = _error(client, f"{site.base}/bad/trickle")
    assert "slower than 0.3s" in error.reason and error.transient


def test_redirect_is_followed_to_its_target(site: Site, fetcher: Fetcher) -> None:
    response = fetcher.get(f"{site.base}/bad/moved")
    assert response.url == f"{site.base}/news/k1"


def test_429_is_retried_after_a_bounded_wait(site: Site) -> None:
    waits: list[float] = []
    site.busy_left["/bad/busy"] = 1
    with Fetcher(quick_settings(), sleep=waits.append) as client:
        response = client.get(f"{site.base}/bad/busy")
    assert response.status == 200
    assert waits and max(waits) <= 0.05  # Retry-After: 1, capped by max_wait


def test_429_gives_up_after_max_retries(site: Site) -> None:
    site.busy_left["/bad/busy"] = 10
    with Fetcher(quick_settings().replace(max_retries=1), sleep=lambda s: None) as client:
        error = _error(client, f"{site.base}/bad/busy")
    site.busy_left["/bad/busy"] = 0
    assert error.status == 429 and error.transient and "after 2 tries" in error.reason


def test_gzip_bomb_is_bigger_than_the_limit_it_hits() -> None:
    assert BOMB_BYTES > quick_settings().max_page_bytes * 50


def test_retry_after_reads_seconds_and_http_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 9, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after("7") == 7.0
    assert retry_after("Tue, 01 Sep 2026 12:00:30 GMT", now) == 30.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_archive_keeps_every_response_as_warc(site: Site, tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    archive = WarcArchive(tmp_path)
    with Fetcher(quick_settings(), archive) as client:
        client.get(f"{site.base}/news/a1")
        with pytest.raises(FetchError):
            client.get(f"{site.base}/bad/missing")
    archive.close()
    with archive.path.open("rb") as stream:
        records = [(r.rec_headers.get_header("WARC-Target-URI"), r.http_headers.get_statuscode()) for r in ArchiveIterator(stream)]
    assert (f"{site.base}/robots.txt", "200") in records
    assert (f"{site.base}/news/a1", "200") in records
    assert (f"{site.base}/bad/missing", "404") in records
