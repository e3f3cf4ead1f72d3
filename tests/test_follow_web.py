"""The /feeds page and its /api/feeds twin: every followed feed with its health,
hostile feed titles shown as text; and one Playwright check that a browser sees
the list (skipped without /usr/bin/chromium, as tests/test_browser.py is)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.options import Options
from newsdesk.store import PollResult, Store
from newsdesk.web.app import create_app

HOSTILE = '<script>alert("feed")</script> Gazette'


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'feeds.db'}") as opened:
        opened.add_feed("http://127.0.0.1:9/world.rss", "World desk")
        opened.record_poll("http://127.0.0.1:9/world.rss", PollResult(kind="feed", entries=4, stored=3))
        opened.add_feed("http://127.0.0.1:9/broken.rss", HOSTILE)
        opened.record_poll("http://127.0.0.1:9/broken.rss", PollResult(error="http://127.0.0.1:9/broken.rss: malformed feed <x>", failed=1))
        opened.add_feed("javascript:alert(1)")
        yield opened


@pytest.fixture
def client(store: Store) -> TestClient:
    return TestClient(create_app(Options(db_url=store.url), store=store), base_url="http://127.0.0.1")


def test_api_feeds_lists_health_and_counts(client: TestClient) -> None:
    data = client.get("/api/feeds").json()
    assert data["count"] == 3 and data["failing"] == 1
    feeds = {f["url"]: f for f in data["feeds"]}
    assert feeds["http://127.0.0.1:9/world.rss"]["health"] == "ok"
    assert feeds["http://127.0.0.1:9/world.rss"]["stored"] == 3 and feeds["http://127.0.0.1:9/world.rss"]["entries"] == 4
    assert feeds["http://127.0.0.1:9/broken.rss"]["health"] == "failing"
    assert feeds["javascript:alert(1)"]["health"] == "new"
    assert "/api/feeds" in client.get("/openapi.json").json()["paths"]


def test_feeds_page_escapes_titles_and_links_only_http(client: TestClient) -> None:
    response = client.get("/feeds")
    assert response.status_code == 200
    page = response.text
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "malformed feed &lt;x&gt;" in page
    assert 'href="http://127.0.0.1:9/world.rss"' in page
    assert 'href="javascript:' not in page
    assert 'href="/api/feeds"' in page and 'href="/feeds"' in page  # JSON twin link, nav link


def test_feeds_page_without_feeds_says_how_to_add_one(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'empty.db'}") as empty:
        page = TestClient(create_app(Options(db_url=empty.url), store=empty), base_url="http://127.0.0.1").get("/feeds").text
    assert "newsdesk follow FEED_URL" in page


@pytest.mark.browser
def test_browser_lists_feeds(store: Store) -> None:
    from test_browser import CHROMIUM, LAUNCH_ARGS, _free_port, _require_browser

    _require_browser()
    import uvicorn
    from playwright.sync_api import expect, sync_playwright

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Options(db_url=store.url), store=store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/feeds")
            expect(page.locator("tr.feed")).to_have_count(3)
            expect(page.locator("tr.feed-failing")).to_contain_text(HOSTILE)  # shown as text, not run
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
