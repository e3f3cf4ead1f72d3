"""End to end in a real browser: Playwright drives Debian's chromium against
``newsdesk serve``'s app running in a background thread on a free port.

Skipped when /usr/bin/chromium is missing, unless NEWSDESK_REQUIRE_BROWSER=1.
Screenshots go to test-artifacts/ (git-ignored) for a human to look at."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLES, REPO, SEEDS_DIR

from newsdesk.corpus import ingest_paths
from newsdesk.options import Options
from newsdesk.store import Store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("NEWSDESK_REQUIRE_BROWSER") == "1":
        pytest.fail("NEWSDESK_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
    pytest.skip("/usr/bin/chromium not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store, set[str]]]:
    """(base URL, store, ids of the seed articles or of the example story's articles)."""
    _require_browser()
    import uvicorn

    from newsdesk.web.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.db'}"
    seeds = sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
    ingest_paths([EXAMPLES / "story", *seeds], Options(db_url=url))
    store = Store(url)
    seed_sources = {str(p) for p in seeds}
    focus = {a.id for a in store.list_articles(limit=500) if a.source in seed_sources}
    if not focus:
        biggest = max(store.list_stories(), key=lambda s: s.article_count)
        focus = set(store.story_article_ids(biggest.id))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Options(db_url=url), store=store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store, focus
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def _page(browser: object, problems: list[str]):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page


def test_claim_badge_jumps_to_its_sentence(served: tuple[str, Store, set[str]], browser: object) -> None:
    from playwright.sync_api import expect

    base, store, focus = served
    story_id = store.article_story(next(iter(focus)))
    problems: list[str] = []
    page = _page(browser, problems)
    page.goto(f"{base}/stories/{story_id}")
    expect(page.locator("article.column")).to_have_count(len(store.story_article_ids(story_id)))
    badge = page.locator("button.badge.jump").last  # far down the list: a real jump
    target_id = badge.get_attribute("data-targets").split()[0]
    target = page.locator(f"[id='{target_id}']")
    expect(target).not_to_have_class("sent is-target")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "story-top.png"))
    badge.click()
    expect(target).to_have_class(re.compile(r"\bis-target\b"))
    expect(target).to_be_in_viewport()
    page.screenshot(path=str(ARTIFACTS / "story.png"))
    page.locator(".panels").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "story-panels.png"))
    assert not problems, problems  # no script errors, no CSP violations


def test_upload_form_analyses_and_shows_article(served: tuple[str, Store, set[str]], browser: object) -> None:
    from playwright.sync_api import expect

    base, store, _focus = served
    problems: list[str] = []
    page = _page(browser, problems)
    page.goto(f"{base}/upload")
    page.fill("#text", (
        "Lenvik council closes old bridge after cracks found\n\n"
        "The old bridge in Lenvik was closed on Friday after engineers found cracks in a pillar, "
        "council member Anja Rudd said.\n\n"
        "\"Nobody will cross it until it is safe,\" Rudd told the Lenvik Observer on Saturday."
    ))
    page.fill("#outlet", "Lenvik Observer")
    page.fill("#published", "2024-04-05")
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/articles/*")
    expect(page.locator(".notice")).to_contain_text("Article added and analysed")
    expect(page.locator(".article-text a.ent").first).to_be_visible()
    expect(page.locator(".article-text .tx").first).to_be_visible()
    story_link = page.locator(".notice a")
    expect(story_link).to_have_count(1)
    article_id = page.url.split("/articles/")[1].split("?")[0]
    assert store.get_analysis(article_id) is not None
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "uploaded-article.png"), full_page=True)
    story_link.click()
    expect(page.locator(f"[id^='s-{article_id}-']").first).to_be_attached()
    page.goto(f"{base}/?q=bridge")
    expect(page.locator("ol.hits mark").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "search.png"))
    assert not problems, problems
