"""robots.txt rules and per-host pacing, with a stub robots loader and a recording
sleep (no network, no real waiting)."""

from __future__ import annotations

import pytest
from follow_site import quick_settings

from newsdesk.follow.politeness import Politeness

ROBOTS = b"""User-agent: *
Disallow: /private/
Crawl-delay: 2

User-agent: newsdesk
Disallow: /no-newsdesk/
Crawl-delay: 3
"""


def _politeness(robots: tuple[int, bytes] | None, **changes: object) -> tuple[Politeness, list[float], list[str]]:
    waits: list[float] = []
    asked: list[str] = []

    def load(url: str) -> tuple[int, bytes] | None:
        asked.append(url)
        return robots

    settings = quick_settings().replace(**changes)
    return Politeness(settings, load, waits.append), waits, asked


def test_rules_for_newsdesk_apply_to_our_user_agent() -> None:
    polite, _, asked = _politeness((200, ROBOTS))
    assert polite.refusal("http://127.0.0.1:9/no-newsdesk/a") == "disallowed by robots.txt"
    assert polite.refusal("http://127.0.0.1:9/private/a") is None  # the * group is not ours
    assert polite.refusal("http://127.0.0.1:9/news/a") is None
    assert asked == ["http://127.0.0.1:9/robots.txt"]  # once per host per run


def test_crawl_delay_spaces_requests_to_one_host() -> None:
    polite, waits, _ = _politeness((200, ROBOTS), min_delay=0.5, max_wait=10.0)
    polite.refusal("http://127.0.0.1:9/news/a")
    for _ in range(3):
        with polite.slot("http://127.0.0.1:9/news/a"):
            pass
    # Crawl-delay 3 beats min_delay 0.5; the sleep is recorded, not slept, so the
    # third request waits for two gaps.
    assert [round(w, 1) for w in waits] == [3.0, 6.0]
    with polite.slot("http://127.0.0.1:8/other"):  # another host has its own clock
        pass
    assert len(waits) == 2


def test_crawl_delay_is_capped_by_max_wait() -> None:
    polite, waits, _ = _politeness((200, b"User-agent: *\nCrawl-delay: 3600\n"), min_delay=0.0, max_wait=4.0)
    polite.refusal("http://127.0.0.1:9/news/a")
    for _ in range(2):
        with polite.slot("http://127.0.0.1:9/news/a"):
            pass
    assert [round(w, 1) for w in waits] == [4.0]


def test_retry_after_defers_the_whole_host() -> None:
    polite, waits, _ = _politeness(None, obey_robots=False)
    polite.defer("http://127.0.0.1:9/a", 1.5)
    with polite.slot("http://127.0.0.1:9/b"):
        pass
    assert len(waits) == 1 and 1.4 < waits[0] <= 1.5


@pytest.mark.parametrize(
    ("robots", "blocks", "refusal"),
    [
        (None, True, "robots.txt unreachable, host skipped this run"),
        ((503, b""), True, "robots.txt unreachable, host skipped this run"),
        ((503, b""), False, None),
        ((404, b""), True, None),
    ],
)
def test_missing_or_unreachable_robots(robots: tuple[int, bytes] | None, blocks: bool, refusal: str | None) -> None:
    polite, _, _ = _politeness(robots, robots_unreachable_blocks=blocks)
    assert polite.refusal("http://127.0.0.1:9/news/a") == refusal
